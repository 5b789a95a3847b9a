"""HR's matching pages, the published pairs, ending and re-matching."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from mentoring.cohorts.forms import ConfirmForm
from mentoring.cohorts.models import Cohort, Enrollment, Side
from mentoring.db import utcnow
from mentoring.domain import RuleViolation, attach_error, commit_or_flash
from mentoring.extensions import db
from mentoring.matching import bp, engine
from mentoring.matching.forms import AssignForm, EndPairForm, ForbidForm, SwapForm, WeightsForm
from mentoring.matching.models import EndReason, MatchProposal, MatchRun, Pair, PairStatus
from mentoring.matching.services import (
    NeedsConfirmation,
    active_pair_of,
    assign_by_hand,
    build_match_input,
    cohort_weights,
    current_draft,
    end_pair,
    forbid_proposal,
    frozen_run_reason,
    pair_by_hand,
    publish,
    published_run,
    rematch_candidates,
    run_cohort_matching,
    run_view,
    set_lock,
    set_weights,
    swap_mentors,
)
from mentoring.matching.wording import criterion_labels, render_notes
from mentoring.meetings.overview import overdue_pairs, pair_meeting_summaries
from mentoring.pagination import choice_arg, int_arg, paginate, search_text, whole_number
from mentoring.people.models import Person, Role
from mentoring.permissions import get_or_403, roles_required

SORTS = {"score", "score_asc", "mentee", "mentor"}


@bp.app_template_filter("match_notes")
def match_notes(notes) -> str:
    """Notes of the engine or the services (an explanation, warnings) in the reader's
    language."""
    return render_notes(notes or ())


def _int_field(value: str | None) -> int:
    number = whole_number(value, max_digits=18)
    if number is None:
        abort(400)
    return number


def _review_page(cohort: Cohort, form: WeightsForm):
    """The matching page: HR's settings, then the draft under review or the published run."""
    draft = current_draft(cohort)
    published = published_run(cohort)
    sort = choice_arg("sort", SORTS) or "score"
    # A display filter only; the cohort's minimum acceptable score is form.min_score.
    score_from = int_arg("score_from", 0, 0, 100)
    shown = draft or published
    view = run_view(shown, sort=sort, score_from=score_from) if shown else None
    return render_template(
        "matching/review.html",
        cohort=cohort,
        form=form,
        view=view,
        read_only=view is not None and draft is None,
        sort=sort,
        score_from=score_from,
        weak_percent=round(engine.WEAK_BELOW * 100),
        published=published,
        confirm_form=ConfirmForm(),
        labels=criterion_labels(),
    )


@bp.route("/cohorts/<int:cohort_id>/matching")
@roles_required(Role.ADMIN)
def review(cohort_id: int):
    """The draft match run, or the published one (read-only): pairs with scores and
    explanations, the people left unmatched and why."""
    cohort = get_or_403(Cohort, cohort_id, "view")
    weights = cohort_weights(cohort)
    data = {name: getattr(weights, name) for name in engine.CRITERIA}
    form = WeightsForm(data={**data, "min_score": cohort.min_score})
    return _review_page(cohort, form)


@bp.route("/cohorts/<int:cohort_id>/matching/run", methods=["POST"])
@roles_required(Role.ADMIN)
def run(cohort_id: int):
    """Save the weights and minimum score, then compute a new draft (locks and forbidden
    pairs are kept). Bad values are shown on the page, as typed, and nothing runs."""
    cohort = get_or_403(Cohort, cohort_id, "edit")
    form = WeightsForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _review_page(cohort, form), 422
    try:
        set_weights(
            cohort,
            engine.Weights(**{name: float(form[name].data) for name in engine.CRITERIA}),
            min_score=form.min_score.data,
            actor=current_user,
        )
        draft = run_cohort_matching(cohort, actor=current_user)
    except RuleViolation as error:
        db.session.rollback()
        if error.field and error.field in form:
            attach_error(form, error)
            return _review_page(cohort, form), 422
        flash(error.message, "error")
    else:
        db.session.commit()
        # TRANSLATORS: %(pairs)s is "1 pair proposed" or "N pairs proposed".
        pairs = ngettext("%(num)d pair proposed", "%(num)d pairs proposed", len(draft.proposals))
        flash(
            ngettext(
                "Matching done: %(pairs)s, %(num)d person left unmatched.",
                "Matching done: %(pairs)s, %(num)d people left unmatched.",
                len(draft.unmatched),
                pairs=pairs,
            ),
            "success",
        )
    return redirect(url_for("matching.review", cohort_id=cohort.id))


def _proposal(proposal_id: int) -> MatchProposal:
    proposal = db.session.get(MatchProposal, proposal_id)
    if proposal is None:
        abort(404)
    get_or_403(Cohort, proposal.run.cohort_id, "edit")
    return proposal


@bp.route("/matching/proposals/<int:proposal_id>/lock", methods=["POST"])
@roles_required(Role.ADMIN)
def lock(proposal_id: int):
    """Lock or unlock a proposed pair."""
    proposal = _proposal(proposal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    locked = request.form.get("locked") == "1"
    names = {"mentee": proposal.mentee.person.name, "mentor": proposal.mentor.person.name}
    commit_or_flash(
        lambda: set_lock(proposal, locked, actor=current_user),
        _("Locked: %(mentee)s and %(mentor)s.", **names)
        if locked
        else _("Unlocked: %(mentee)s and %(mentor)s.", **names),
    )
    kept = {key: request.args[key] for key in ("sort", "score_from") if key in request.args}
    return redirect(url_for("matching.review", cohort_id=proposal.run.cohort_id, **kept))


@bp.route("/matching/proposals/<int:proposal_id>/forbid", methods=["POST"])
@roles_required(Role.ADMIN)
def forbid(proposal_id: int):
    """Rule a proposed pair out for this cohort."""
    proposal = _proposal(proposal_id)
    cohort_id = proposal.run.cohort_id
    form = ForbidForm()
    if not form.validate_on_submit():
        abort(400)
    commit_or_flash(
        lambda: forbid_proposal(proposal, actor=current_user, reason=form.reason.data or ""),
        _(
            "%(mentee)s and %(mentor)s will not be paired in this cohort. Run the matching "
            "again to find new pairs.",
            mentee=proposal.mentee.person.name,
            mentor=proposal.mentor.person.name,
        ),
    )
    return redirect(url_for("matching.review", cohort_id=cohort_id))


def _run(run_id: int) -> MatchRun:
    match_run = db.session.get(MatchRun, run_id)
    if match_run is None:
        abort(404)
    get_or_403(Cohort, match_run.cohort_id, "edit")
    return match_run


@bp.route("/matching/runs/<int:run_id>/mentees/<int:mentee_id>")
@roles_required(Role.ADMIN)
def alternatives(run_id: int, mentee_id: int):
    """A mentee's best other eligible mentors, to assign or swap by hand; read-only, with
    what HR can do instead, once the run can no longer change (published, replaced)."""
    match_run = _run(run_id)
    mentee = db.session.get(Enrollment, mentee_id)
    if mentee is None or mentee.cohort_id != match_run.cohort_id or mentee.side != "mentee":
        abort(404)
    data = build_match_input(match_run.cohort)
    options = engine.alternatives(data, mentee.id, limit=10)
    mentors = {
        e.id: e
        for e in db.session.scalars(
            select(Enrollment)
            .where(Enrollment.id.in_([o.mentor_id for o in options]))
            .options(selectinload(Enrollment.person))
        )
    }
    frozen = frozen_run_reason(match_run)
    view = run_view(match_run)
    current = next((p for p in view.proposals if p.mentee_enrollment_id == mentee.id), None)
    by_mentor: dict[int, list[MatchProposal]] = {}
    for proposal in view.proposals:
        by_mentor.setdefault(proposal.mentor_enrollment_id, []).append(proposal)
    return render_template(
        "matching/alternatives.html",
        run=match_run,
        mentee=mentee,
        options=options,
        mentors=mentors,
        current=current,
        by_mentor=by_mentor,
        labels=criterion_labels(),
        confirm_form=ConfirmForm(),
        frozen=frozen,
        active_pair=active_pair_of(mentee) if frozen else None,
    )


def _hand_change(match_run: MatchRun, change, *, endpoint: str, fields: dict, back: str, done: str):
    """Apply a hand-made change: ask to confirm weak pairs, refuse broken rules."""
    try:
        change()
    except NeedsConfirmation as warning:
        db.session.rollback()
        return render_template(
            "matching/confirm.html",
            run=match_run,
            warnings=warning.warnings,
            action=url_for(endpoint, run_id=match_run.id),
            fields=fields,
            back=back,
        )
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("matching.review", cohort_id=match_run.cohort_id))


@bp.route("/matching/runs/<int:run_id>/assign", methods=["POST"])
@roles_required(Role.ADMIN)
def assign(run_id: int):
    """Pair a mentee with a mentor by hand (warned on weak criteria, refused on rules)."""
    match_run = _run(run_id)
    form = AssignForm()
    if not form.validate_on_submit():
        abort(400)
    mentee_id, mentor_id = _int_field(form.mentee_id.data), _int_field(form.mentor_id.data)
    return _hand_change(
        match_run,
        lambda: assign_by_hand(
            match_run,
            mentee_id,
            mentor_id,
            actor=current_user,
            confirmed=form.confirmed.data == "1",
        ),
        endpoint="matching.assign",
        fields={"mentee_id": mentee_id, "mentor_id": mentor_id},
        back=url_for("matching.alternatives", run_id=match_run.id, mentee_id=mentee_id),
        done=_("Pair assigned by hand and locked."),
    )


@bp.route("/matching/runs/<int:run_id>/swap", methods=["POST"])
@roles_required(Role.ADMIN)
def swap(run_id: int):
    """Exchange the mentors of two proposed pairs."""
    match_run = _run(run_id)
    form = SwapForm()
    if not form.validate_on_submit():
        abort(400)
    first = db.session.get(MatchProposal, _int_field(form.first.data))
    second = db.session.get(MatchProposal, _int_field(form.second.data))
    if first is None or second is None:
        abort(404)
    return _hand_change(
        match_run,
        lambda: swap_mentors(
            match_run, first, second, actor=current_user, confirmed=form.confirmed.data == "1"
        ),
        endpoint="matching.swap",
        fields={"first": first.id, "second": second.id},
        back=url_for(
            "matching.alternatives", run_id=match_run.id, mentee_id=first.mentee_enrollment_id
        ),
        done=_("Mentors swapped; both pairs are locked."),
    )


@bp.route("/matching/runs/<int:run_id>/publish", methods=["POST"])
@roles_required(Role.ADMIN)
def publish_run(run_id: int):
    """Publish the draft: the pairs become real and the cohort active."""
    match_run = _run(run_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    cohort_id = match_run.cohort_id
    try:
        count = publish(match_run, actor=current_user)
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("matching.review", cohort_id=cohort_id))
    db.session.commit()
    flash(
        ngettext(
            "Published %(num)d pair. The cohort is active and the pair can see each other.",
            "Published %(num)d pairs. The cohort is active and the pairs can see each other.",
            count,
        ),
        "success",
    )
    return redirect(url_for("matching.pairs", cohort_id=cohort_id))


# Made once: an alias is costly to build, and a statement using new ones each time is
# built anew (its cache key too) on every view of the list.
_PAIR_LIST_ALIASES = (aliased(Enrollment), aliased(Enrollment), aliased(Person), aliased(Person))


@bp.route("/cohorts/<int:cohort_id>/pairs")
@roles_required(Role.ADMIN)
def pairs(cohort_id: int):
    """The cohort's published pairs, searchable, with ended ones on request."""
    cohort = get_or_403(Cohort, cohort_id, "view")
    status = choice_arg("status", {"active", "ended", "overdue"})
    query = search_text()
    mentee, mentor, mentee_person, mentor_person = _PAIR_LIST_ALIASES
    statement = (
        select(Pair)
        .join(mentee, mentee.id == Pair.mentee_enrollment_id)
        .join(mentor, mentor.id == Pair.mentor_enrollment_id)
        .join(mentee_person, mentee_person.id == mentee.person_id)
        .join(mentor_person, mentor_person.id == mentor.person_id)
        .where(Pair.cohort_id == cohort.id)
        # One query: both members come from the joins; their roles are not shown here.
        .options(
            contains_eager(Pair.mentee.of_type(mentee))
            .contains_eager(mentee.person.of_type(mentee_person))
            .lazyload(mentee_person.role_links),
            contains_eager(Pair.mentor.of_type(mentor))
            .contains_eager(mentor.person.of_type(mentor_person))
            .lazyload(mentor_person.role_links),
        )
        .order_by(func.lower(mentee_person.name), Pair.id)
    )
    now = utcnow()
    if status == "overdue":
        late = [pair_id for pair_id, _ in overdue_pairs(now=now, cohort_id=cohort.id)]
        statement = statement.where(Pair.id.in_(late))
    elif status:
        statement = statement.where(Pair.status == status)
    for word in query.split()[:5]:
        pattern = f"%{word.lower()}%"
        statement = statement.where(
            or_(
                func.lower(mentee_person.name).like(pattern),
                func.lower(mentor_person.name).like(pattern),
            )
        )
    unpaired = db.session.scalars(
        select(Enrollment)
        .where(
            Enrollment.cohort_id == cohort.id,
            Enrollment.side == Side.MENTEE.value,
            Enrollment.status == "active",
            ~select(Pair.id)
            .where(
                Pair.mentee_enrollment_id == Enrollment.id, Pair.status == PairStatus.ACTIVE.value
            )
            .exists(),
        )
        .options(joinedload(Enrollment.person).lazyload(Person.role_links))
    ).all()
    pagination = paginate(statement)
    return render_template(
        "matching/pairs.html",
        cohort=cohort,
        pagination=pagination,
        status=status,
        query=query,
        unpaired=unpaired,
        meetings=pair_meeting_summaries([pair.id for pair in pagination.items], now=now),
        end_reason_label=_end_reason_label,
    )


def _end_reason_label(reason: str | None) -> str:
    """Why a pair ended, as people read it (the code itself if unknown)."""
    try:
        return EndReason(reason).label
    except ValueError:
        return (reason or "").replace("_", " ")


@bp.route("/pairs/<int:pair_id>/end", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def end(pair_id: int):
    """End a pair with a reason."""
    pair = get_or_403(Pair, pair_id, "manage")
    form = EndPairForm()
    if form.validate_on_submit() and commit_or_flash(
        lambda: end_pair(
            pair, EndReason(form.reason.data), actor=current_user, note=form.note.data or ""
        ),
        _(
            "The pair of %(mentee)s and %(mentor)s has ended. You can re-match the mentee.",
            mentee=pair.mentee.person.name,
            mentor=pair.mentor.person.name,
        ),
    ):
        return redirect(url_for("matching.pairs", cohort_id=pair.cohort_id))
    return render_template("matching/end_pair.html", pair=pair, form=form)


@bp.route("/cohorts/<int:cohort_id>/rematch/<int:mentee_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def rematch(cohort_id: int, mentee_id: int):
    """Pair one mentee of an active cohort with a mentor who has a free place."""
    cohort = get_or_403(Cohort, cohort_id, "edit")
    mentee = db.session.get(Enrollment, mentee_id)
    if mentee is None or mentee.cohort_id != cohort.id or mentee.side != Side.MENTEE.value:
        abort(404)
    form = AssignForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            pair = pair_by_hand(cohort, mentee, _int_field(form.mentor_id.data), actor=current_user)
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "%(mentee)s is now paired with %(mentor)s.",
                    mentee=mentee.person.name,
                    mentor=pair.mentor.person.name,
                ),
                "success",
            )
            return redirect(url_for("matching.pairs", cohort_id=cohort.id))
    # Someone still paired is told so, with a link to the pair, and offered nobody.
    active_pair = active_pair_of(mentee)
    options = (
        rematch_candidates(cohort, mentee)
        if cohort.status == "active" and active_pair is None
        else []
    )
    mentors = {
        e.id: e
        for e in db.session.scalars(
            select(Enrollment)
            .where(Enrollment.id.in_([o.mentor_id for o in options]))
            .options(selectinload(Enrollment.person))
        )
    }
    return render_template(
        "matching/rematch.html",
        cohort=cohort,
        mentee=mentee,
        options=options,
        mentors=mentors,
        labels=criterion_labels(),
        confirm_form=ConfirmForm(),
        active_pair=active_pair,
    )
