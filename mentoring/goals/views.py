"""The goal pages of a pair, and the confidence self-assessment."""

from __future__ import annotations

from datetime import date
from itertools import groupby

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mentoring.cohorts.forms import ConfirmForm
from mentoring.cohorts.models import CohortStatus, Enrollment, Side
from mentoring.cohorts.services import FINISHED_STATUSES
from mentoring.curriculum.models import EvidenceKind
from mentoring.domain import RuleViolation, commit_or_attach, commit_or_flash
from mentoring.extensions import db
from mentoring.goals import bp
from mentoring.goals.access import goal_rule
from mentoring.goals.assessments import (
    assessment_due,
    assessment_phases_open,
    assessment_ratings,
    assessment_topics,
    own_confidence,
    save_self_assessment,
)
from mentoring.goals.forms import (
    CUSTOM,
    DropForm,
    EditGoalForm,
    EvidenceForm,
    NewGoalForm,
    self_assessment_form,
)
from mentoring.goals.models import AssessmentPhase, Goal, GoalMilestone
from mentoring.goals.progress import goals_for_pair, meeting_history
from mentoring.goals.rules import end_window_opens
from mentoring.goals.services import (
    CustomGoal,
    accept_goal,
    add_custom_goal,
    add_goal_from_template,
    complete_goal,
    custom_goal_topics,
    discard_proposal,
    drop_goal,
    is_open,
    offered_templates,
    own_enrollment,
    record_evidence,
    set_milestone,
    start_goal,
    update_goal,
)
from mentoring.i18n import localized
from mentoring.matching.access import get_pair_or_403
from mentoring.matching.models import Pair
from mentoring.meetings.overview import past_meeting_pages
from mentoring.people.models import Role
from mentoring.permissions import Access, get_or_403, roles_required

PARTICIPANT_ROLES = (Role.ADMIN, Role.MENTOR, Role.MENTEE)


@bp.app_template_global()
def pair_goals_of(pair: Pair):
    """Template helper for pages that include goals/_pair_goals.html without passing
    `pair_goals`: the pair's goals, in one query."""
    return goals_for_pair(pair)


@bp.app_template_global()
def pair_goals_open(pair: Pair) -> bool:
    """Template helper: whether the pair's goals may still change (`is_open`)."""
    return is_open(pair)


def _me():
    return current_user._get_current_object()


def _today() -> date:
    return date.today()


def _pair(pair_id: int, action: str = "view") -> Pair:
    return get_pair_or_403(pair_id, action)


def _goal(pair_id: int, goal_id: int, action: str = "view") -> Goal:
    """The pair's goal, if the current person may do the action on it (else 404/403)."""
    _pair(pair_id, "view" if action == "view" else "participate")
    goal = db.session.get(Goal, goal_id)
    if goal is None or goal.pair_id != pair_id:
        abort(404)
    return get_or_403(Goal, goal_id, action)  # goal_rule; the goal is in the identity map


def _goal_url(goal: Goal, **kwargs) -> str:
    return url_for("goals.detail", pair_id=goal.pair_id, goal_id=goal.id, **kwargs)


def _check_csrf() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


# -- the pair's goals -------------------------------------------------------------------------


@bp.route("/pairs/<int:pair_id>/goals")
@roles_required(*PARTICIPANT_ROLES)
def pair_goals(pair_id: int):
    """Both sides' goals of a pair, with their progress."""
    pair = _pair(pair_id, "view")
    mine = own_enrollment(pair, _me())
    due = assessment_due(mine, _today()) if mine is not None else None
    return render_template(
        "goals/pair_goals.html",
        pair=pair,
        pair_goals=goals_for_pair(pair),
        assessment_enrollment=mine,
        assessment_phase=due,
        my_confidence=own_confidence(mine) if mine is not None else [],
    )


def _new_goal_form(pair: Pair, side: str) -> tuple[NewGoalForm, list]:
    form = NewGoalForm()
    templates = offered_templates(pair, side)
    form.set_choices(templates, custom_goal_topics(pair, side, templates))
    if request.method == "GET" and not templates:
        form.template.data = CUSTOM
    return form, templates


def _add_goal(form: NewGoalForm, pair: Pair, owner: Enrollment, proposer: Enrollment | None):
    if form.template.data != CUSTOM:
        if (form.title.data or "").strip() or (form.milestones.data or "").strip():
            raise RuleViolation(
                _(
                    "You chose a goal from the curriculum: clear the title and milestones of "
                    "“My own goal”, or choose “My own goal”."
                ),
                "template",
            )
        return add_goal_from_template(
            pair,
            owner,
            int(form.template.data),
            target_date=form.target_date.data,
            proposed_by=proposer,
        )
    details = CustomGoal(
        title=form.title.data or "",
        description=form.description.data or "",
        topic_id=form.topic_id.data,
        evidence_kind=form.evidence_kind.data or EvidenceKind.NONE.value,
        milestones=(form.milestones.data or "").splitlines(),
        target_date=form.target_date.data,
    )
    return add_custom_goal(pair, owner, details, proposed_by=proposer)


def _goal_form_page(pair: Pair, owner: Enrollment, proposer: Enrollment | None):
    if not is_open(pair):
        flash(_("This pair has ended: its goals can no longer change."), "error")
        return redirect(url_for("goals.pair_goals", pair_id=pair.id))
    form, templates = _new_goal_form(pair, owner.side)
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            goal = _add_goal(form, pair, owner, proposer)
        if committed:
            title = localized(goal, "title")
            if proposer is not None:
                flash(
                    _(
                        "“%(title)s” is proposed to %(name)s, who can accept or decline it.",
                        title=title,
                        name=owner.person.name,
                    ),
                    "success",
                )
                return redirect(url_for("goals.pair_goals", pair_id=pair.id))
            flash(_("“%(title)s” is added to your goals.", title=title), "success")
            return redirect(_goal_url(goal))
    return render_template(
        "goals/new.html",
        pair=pair,
        form=form,
        template_groups=[
            (group[0].topic, group)
            for group in (
                list(items) for _topic_id, items in groupby(templates, key=lambda t: t.topic_id)
            )
        ],
        owner=owner,
        proposing=proposer is not None,
    )


@bp.route("/pairs/<int:pair_id>/goals/new", methods=["GET", "POST"])
@roles_required(*PARTICIPANT_ROLES)
def new_goal(pair_id: int):
    """Add a goal of one's own: from the curriculum, or written by hand."""
    pair = _pair(pair_id, "participate")
    owner = own_enrollment(pair, _me())
    if owner is None:  # pragma: no cover - the pair rule admits members only
        abort(404)
    return _goal_form_page(pair, owner, None)


@bp.route("/pairs/<int:pair_id>/goals/propose", methods=["GET", "POST"])
@roles_required(*PARTICIPANT_ROLES)
def propose_goal(pair_id: int):
    """The mentor proposes a goal to the mentee, who accepts or declines it."""
    pair = _pair(pair_id, "participate")
    if pair.mentor.person_id != _me().id:
        abort(404)
    return _goal_form_page(pair, pair.mentee, pair.mentor)


# -- one goal ---------------------------------------------------------------------------------


def _detail_page(
    goal: Goal, evidence_form: EvidenceForm | None = None, drop_form: DropForm | None = None
):
    me = _me()

    def may(action: str) -> bool:
        return goal_rule(me, goal, action) is Access.ALLOW

    pair_open = is_open(goal.pair)
    can_edit = pair_open and may("edit")
    if evidence_form is None and can_edit:
        evidence_form = EvidenceForm(formdata=None, obj=goal)
    history = meeting_history(goal)
    return render_template(
        "goals/detail.html",
        goal=goal,
        pair=goal.pair,
        can_edit=can_edit,
        sees_evidence=may("evidence"),
        can_accept=pair_open and may("accept"),
        can_discard=pair_open and may("discard"),
        evidence_form=evidence_form,
        drop_form=drop_form or DropForm(formdata=None),
        history=history,
        # Each meeting's page among the pair page's past meetings, for its link (one query).
        meeting_pages=past_meeting_pages(goal.pair_id, {item.meeting_id for item in history}),
    )


@bp.route("/pairs/<int:pair_id>/goals/<int:goal_id>")
@roles_required(*PARTICIPANT_ROLES)
def detail(pair_id: int, goal_id: int):
    """A goal: its milestones, evidence, status and the meetings that advanced it."""
    return _detail_page(_goal(pair_id, goal_id, "view"))


@bp.route("/pairs/<int:pair_id>/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@roles_required(*PARTICIPANT_ROLES)
def edit_goal(pair_id: int, goal_id: int):
    """Change a goal's target date (and a custom goal's title and description)."""
    goal = _goal(pair_id, goal_id, "edit")
    form = EditGoalForm(obj=goal if request.method == "GET" else None)
    custom = goal.template_id is None
    if not custom:  # a curriculum goal keeps the curriculum's title and description
        del form.title
        del form.description
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            update_goal(
                goal,
                target_date=form.target_date.data,
                title=form.title.data if custom else None,
                description=(form.description.data or "") if custom else goal.description,
            )
        if committed:
            flash(_("The goal is saved."), "success")
            return redirect(_goal_url(goal))
    return render_template("goals/edit.html", goal=goal, pair=goal.pair, form=form)


@bp.route(
    "/pairs/<int:pair_id>/goals/<int:goal_id>/milestones/<int:milestone_id>", methods=["POST"]
)
@roles_required(*PARTICIPANT_ROLES)
def set_milestone_done(pair_id: int, goal_id: int, milestone_id: int):
    """Tick (done=1) or untick (done=0) one milestone of one's own goal."""
    goal = _goal(pair_id, goal_id, "edit")
    milestone = db.session.get(GoalMilestone, milestone_id)
    if milestone is None or milestone.goal_id != goal.id:
        abort(404)
    _check_csrf()
    done = request.form.get("done") == "1"
    title = localized(milestone, "title")
    commit_or_flash(
        lambda: set_milestone(goal, milestone, done),
        _("Milestone “%(title)s” is ticked.", title=title)
        if done
        else _("Milestone “%(title)s” is no longer ticked.", title=title),
    )
    return redirect(_goal_url(goal, _anchor="milestones"))


@bp.route("/pairs/<int:pair_id>/goals/<int:goal_id>/evidence", methods=["POST"])
@roles_required(*PARTICIPANT_ROLES)
def save_evidence(pair_id: int, goal_id: int):
    """Save the goal's evidence; with the "mark done" button, also mark it done."""
    goal = _goal(pair_id, goal_id, "edit")
    form = EvidenceForm()
    complete = request.form.get("action") == "complete"
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            record_evidence(
                goal,
                url=form.evidence_url.data or "",
                attested=bool(form.evidence_attested.data),
                note=form.evidence_note.data or "",
            )
            if complete:
                complete_goal(goal)
        if committed:
            flash(
                _("Well done: “%(title)s” is done.", title=localized(goal, "title"))
                if complete
                else _("The evidence is saved."),
                "success",
            )
            return redirect(_goal_url(goal))
    elif not form.errors:  # pragma: no cover - the CSRF token is missing or stale
        abort(400)
    db.session.refresh(goal)
    return _detail_page(goal, evidence_form=form)


STATUS_ACTIONS = {
    "start": (_l("The goal is in progress."), start_goal),
    "resume": (_l("The goal is resumed."), start_goal),
    "reopen": (_l("The goal is reopened."), start_goal),
    "complete": (_l("Well done: the goal is done."), complete_goal),
}


@bp.route("/pairs/<int:pair_id>/goals/<int:goal_id>/status", methods=["POST"])
@roles_required(*PARTICIPANT_ROLES)
def change_status(pair_id: int, goal_id: int):
    """Start, resume, reopen or complete one's own goal."""
    goal = _goal(pair_id, goal_id, "edit")
    _check_csrf()
    action = STATUS_ACTIONS.get(request.form.get("action", ""))
    if action is None:
        abort(400)
    message, service = action
    commit_or_flash(lambda: service(goal), str(message))
    return redirect(_goal_url(goal))


@bp.route("/pairs/<int:pair_id>/goals/<int:goal_id>/drop", methods=["POST"])
@roles_required(*PARTICIPANT_ROLES)
def drop(pair_id: int, goal_id: int):
    """Drop one's own goal, with a reason."""
    goal = _goal(pair_id, goal_id, "edit")
    form = DropForm()
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            drop_goal(goal, form.reason.data or "")
        if committed:
            flash(
                _(
                    "“%(title)s” is dropped. You can resume it later.",
                    title=localized(goal, "title"),
                ),
                "success",
            )
            return redirect(_goal_url(goal))
    elif not form.errors:  # pragma: no cover - the CSRF token is missing or stale
        abort(400)
    db.session.refresh(goal)
    return _detail_page(goal, drop_form=form)


@bp.route("/pairs/<int:pair_id>/goals/<int:goal_id>/accept", methods=["POST"])
@roles_required(*PARTICIPANT_ROLES)
def accept(pair_id: int, goal_id: int):
    """The mentee accepts a goal their mentor proposed."""
    goal = _goal(pair_id, goal_id, "accept")
    _check_csrf()
    commit_or_flash(
        lambda: accept_goal(goal),
        _("“%(title)s” is now one of your goals.", title=localized(goal, "title")),
    )
    return redirect(_goal_url(goal))


@bp.route("/pairs/<int:pair_id>/goals/<int:goal_id>/discard", methods=["POST"])
@roles_required(*PARTICIPANT_ROLES)
def discard(pair_id: int, goal_id: int):
    """The mentee declines, or the mentor withdraws, a proposed goal (it is deleted)."""
    goal = _goal(pair_id, goal_id, "discard")
    _check_csrf()
    declined = goal.owner.person_id == _me().id
    title = localized(goal, "title")
    if commit_or_flash(
        lambda: discard_proposal(goal),
        _("“%(title)s” is declined.", title=title)
        if declined
        else _("“%(title)s” is withdrawn.", title=title),
    ):
        return redirect(url_for("goals.pair_goals", pair_id=pair_id))
    return redirect(_goal_url(goal))


# -- self-assessment --------------------------------------------------------------------------


@bp.route(
    "/enrollments/<int:enrollment_id>/self-assessment/<any(start, end):phase>",
    methods=["GET", "POST"],
)
@roles_required(*PARTICIPANT_ROLES)
def self_assessment(enrollment_id: int, phase: str):
    """Rate one's confidence per topic, at the start or at the end of the cohort."""
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.person_id != _me().id:
        abort(404)  # nobody else's, not even HR's: reports show aggregates only
    today = _today()
    topics = assessment_topics(enrollment)
    saved = assessment_ratings(enrollment)[phase]
    form = self_assessment_form(topics, saved)
    is_open_now = phase in assessment_phases_open(enrollment, today)
    if is_open_now and form.validate_on_submit():
        ratings = {topic.id: _rating(getattr(form, f"topic_{topic.id}").data) for topic in topics}
        with commit_or_attach(form) as committed:
            save_self_assessment(enrollment, phase, ratings, today=today)
        if committed:
            flash(_("Thank you: your confidence ratings are saved."), "success")
            return redirect(url_for("main.home"))
    elif request.method == "POST" and not is_open_now:
        if phase == AssessmentPhase.END and enrollment.cohort.status not in FINISHED_STATUSES:
            message = _("The end-of-cohort self-assessment opens two weeks before the cohort ends.")
        elif enrollment.cohort.status == CohortStatus.CANCELLED:
            message = _("This cohort is cancelled: its self-assessments can no longer change.")
        else:
            message = _("This cohort is closed: its self-assessments can no longer change.")
        form.form_errors.append(message)
    return render_template(
        "goals/self_assessment.html",
        enrollment=enrollment,
        cohort=enrollment.cohort,
        phase=phase,
        topics=topics,
        form=form,
        fields=[getattr(form, f"topic_{topic.id}") for topic in topics],
        already=bool(saved),
        is_open_now=is_open_now,
        end_opens=end_window_opens(enrollment.cohort.end_date),
        is_mentor=enrollment.side == Side.MENTOR.value,
    )


def _rating(value: object) -> object:
    """A submitted rating as an int when it is one, else as typed (the service refuses it)."""
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii():
        try:
            return int(text)
        except ValueError:
            pass
    return value
