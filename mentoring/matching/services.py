"""HR's matching workflow: run, review, adjust, publish; then end pairs and re-match.

The engine (`mentoring.matching.engine`) is pure; this module feeds it from the
database and stores what it answers. Services flush, views commit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from mentoring.audit.services import record_event
from mentoring.cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    EnrollmentTopic,
    MeetingFormat,
    Side,
)
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.matching import engine
from mentoring.matching.models import (
    EndReason,
    ForbiddenPair,
    MatchProposal,
    MatchRun,
    MatchUnmatched,
    Pair,
    PairStatus,
    RunStatus,
)
from mentoring.matching.signals import pair_created, pair_ended, run_published
from mentoring.matching.wording import render_notes
from mentoring.people.availability import minutes_of_day
from mentoring.people.models import Person

RUNNABLE_STATUSES = (CohortStatus.DRAFT.value, CohortStatus.MATCHING.value)


class NeedsConfirmation(Exception):
    """A hand-made pair that breaks no rule but scores poorly: HR must confirm it.

    `warnings` are (code, parameters) notes: `wording.render_note` words them."""

    def __init__(self, warnings: list[engine.Note]) -> None:
        super().__init__(render_notes(warnings))
        self.warnings = warnings


def cohort_weights(cohort: Cohort) -> engine.Weights:
    """The cohort's matching weights (HR's choice, else the defaults)."""
    known = {f.name for f in fields(engine.Weights)}
    return engine.Weights(
        **{k: float(v) for k, v in (cohort.match_weights or {}).items() if k in known}
    )


def _participant(enrollment: Enrollment) -> engine.Participant:
    person = enrollment.person
    return engine.Participant(
        enrollment_id=enrollment.id,
        person_id=person.id,
        name=person.name,
        department=person.department,
        seniority=person.seniority_level,
        timezone=person.timezone,
        languages=frozenset(person.languages or ()),
        site=person.site,
        topic_ids=tuple(link.topic_id for link in enrollment.topic_links),
        availability=tuple(
            (int(w["day"]), minutes_of_day(w["start"]), minutes_of_day(w["end"]))
            for w in enrollment.availability or ()
        ),
        capacity=enrollment.capacity,
    )


def _enrollments(cohort: Cohort) -> list[Enrollment]:
    return list(
        db.session.scalars(
            select(Enrollment)
            .where(
                Enrollment.cohort_id == cohort.id,
                Enrollment.status == EnrollmentStatus.ACTIVE.value,
            )
            .options(selectinload(Enrollment.person), selectinload(Enrollment.topic_links))
            .order_by(Enrollment.id)
        )
    )


def _previous_pairs(cohort: Cohort) -> frozenset[tuple[int, int]]:
    mentee, mentor = aliased(Enrollment), aliased(Enrollment)
    rows = db.session.execute(
        select(mentee.person_id, mentor.person_id)
        .select_from(Pair)
        .join(mentee, mentee.id == Pair.mentee_enrollment_id)
        .join(mentor, mentor.id == Pair.mentor_enrollment_id)
        .where(Pair.cohort_id != cohort.id)
    ).all()
    return frozenset((a, b) for a, b in rows)


def build_match_input(
    cohort: Cohort,
    *,
    locked: tuple[tuple[int, int], ...] = (),
    weights: engine.Weights | None = None,
    today: date | None = None,
) -> engine.MatchInput:
    """Everything the engine needs about a cohort, read in a fixed number of queries."""
    enrollments = _enrollments(cohort)
    managers = dict(db.session.execute(select(Person.id, Person.manager_id)).all())
    forbidden = frozenset(
        db.session.execute(
            select(ForbiddenPair.mentee_enrollment_id, ForbiddenPair.mentor_enrollment_id).where(
                ForbiddenPair.cohort_id == cohort.id
            )
        ).all()
    )
    today = today or date.today()
    rules = engine.Rules(
        min_seniority_gap=cohort.min_seniority_gap,
        allow_repeat_pairs=cohort.allow_repeat_pairs,
        previous_pairs=frozenset() if cohort.allow_repeat_pairs else _previous_pairs(cohort),
        forbidden=frozenset((int(a), int(b)) for a, b in forbidden),
        locked=locked,
        in_person=cohort.meeting_format == MeetingFormat.IN_PERSON.value,
        reference_date=max(cohort.start_date, today),
        min_score=int(cohort.min_score or 0),
    )
    return engine.MatchInput(
        mentees=[_participant(e) for e in enrollments if e.side == Side.MENTEE.value],
        mentors=[_participant(e) for e in enrollments if e.side == Side.MENTOR.value],
        managers=managers,
        topic_names={topic.id: topic.name for topic in cohort.topics},
        weights=weights or cohort_weights(cohort),
        rules=rules,
    )


def current_draft(cohort: Cohort) -> MatchRun | None:
    """The cohort's draft match run under review, if any."""
    return db.session.scalar(
        select(MatchRun)
        .where(MatchRun.cohort_id == cohort.id, MatchRun.status == RunStatus.DRAFT.value)
        .order_by(MatchRun.created_at.desc(), MatchRun.id.desc())
        .limit(1)
    )


def published_run(cohort: Cohort) -> MatchRun | None:
    """The run HR published for this cohort, if any."""
    return db.session.scalar(
        select(MatchRun).where(
            MatchRun.cohort_id == cohort.id, MatchRun.status == RunStatus.PUBLISHED.value
        )
    )


def set_weights(
    cohort: Cohort, weights: engine.Weights, *, min_score: int | None = None, actor: Person
) -> None:
    """Store HR's weights (and minimum acceptable score, if given) for the next runs."""
    if not any(getattr(weights, name) > 0 for name in engine.CRITERIA):
        raise RuleViolation(_("Give at least one criterion a weight above 0."), "topics")
    if min_score is not None and not 0 <= min_score <= 100:
        raise RuleViolation(_("Give a minimum acceptable score from 0 to 100."), "min_score")
    before = (cohort.match_weights, cohort.min_score)
    cohort.match_weights = {name: getattr(weights, name) for name in engine.CRITERIA}
    if min_score is not None:
        cohort.min_score = min_score
    db.session.flush()
    if (cohort.match_weights, cohort.min_score) == before:
        return
    record_event(
        "matching.weights_set",
        actor=actor,
        subject=cohort,
        weights=cohort.match_weights,
        min_score=cohort.min_score,
    )


def run_cohort_matching(
    cohort: Cohort, *, actor: Person | None, today: date | None = None
) -> MatchRun:
    """Compute a new draft run, keeping the locks of the current draft and every forbid."""
    if cohort.status not in RUNNABLE_STATUSES:
        raise RuleViolation(
            _("Matching runs before the cohort is active. To pair someone now, use re-match.")
        )
    previous = current_draft(cohort)
    locked: tuple[tuple[int, int], ...] = ()
    if previous is not None:
        locked = tuple(
            (p.mentee_enrollment_id, p.mentor_enrollment_id) for p in previous.proposals if p.locked
        )
    data = build_match_input(cohort, locked=locked, today=today)
    if not data.mentees or not data.mentors:
        raise RuleViolation(_("Enroll at least one mentor and one mentee before matching."))
    result = engine.run_matching(data)
    if previous is not None:
        previous.status = RunStatus.SUPERSEDED.value
    manual = {
        (p.mentee_enrollment_id, p.mentor_enrollment_id)
        for p in (previous.proposals if previous else [])
        if p.manual
    }
    run = MatchRun(
        cohort=cohort,
        weights={name: getattr(data.weights, name) for name in engine.CRITERIA},
        rules={
            "min_seniority_gap": data.rules.min_seniority_gap,
            "allow_repeat_pairs": data.rules.allow_repeat_pairs,
            "in_person": data.rules.in_person,
            "forbidden": len(data.rules.forbidden),
            "locked": len(locked),
            "reference_date": data.rules.reference_date.isoformat(),
            "min_score": data.rules.min_score,
        },
        total_score=float(result.total_score),
        created_by=actor,
    )
    db.session.add(run)
    for pair in result.pairs:
        run.proposals.append(
            MatchProposal(
                mentee_enrollment_id=pair.mentee_id,
                mentor_enrollment_id=pair.mentor_id,
                score=pair.score,
                breakdown=pair.breakdown,
                explanation=pair.clauses,
                locked=pair.locked,
                manual=(pair.mentee_id, pair.mentor_id) in manual,
            )
        )
    for person in result.unmatched:
        run.unmatched.append(
            MatchUnmatched(
                enrollment_id=person.enrollment_id,
                side=person.side,
                reason=person.reason,
                detail=person.notes,
            )
        )
    # A dropped lock's mentee may have found another mentor: list only those left out.
    listed = {row.enrollment_id for row in run.unmatched} | {p.mentee_id for p in result.pairs}
    for lock in result.dropped_locks:
        if lock.mentee_id not in listed:
            run.unmatched.append(
                MatchUnmatched(
                    enrollment_id=lock.mentee_id,
                    side=Side.MENTEE.value,
                    reason="lock_dropped",
                    detail=[lock.note],
                )
            )
    if cohort.status == CohortStatus.DRAFT.value:
        cohort.status = CohortStatus.MATCHING.value
    db.session.flush()
    record_event(
        "matching.run",
        actor=actor,
        subject=cohort,
        run=run.id,
        pairs=len(result.pairs),
        unmatched=len(result.unmatched),
        total_score=float(result.total_score),
    )
    return run


def frozen_run_reason(run: MatchRun) -> str | None:
    """Why a match run can no longer change, and what HR can do instead (None: it can)."""
    cohort_status = run.cohort.status
    # A finished cohort freezes even a draft left behind: nothing of it can change.
    if cohort_status == CohortStatus.CLOSED.value:
        return _("This cohort is closed: its matching and its pairs can no longer change.")
    if cohort_status == CohortStatus.CANCELLED.value:
        return _("This cohort was cancelled: its matching and its pairs can no longer change.")
    if run.status == RunStatus.DRAFT.value:
        return None
    if cohort_status in RUNNABLE_STATUSES:
        return _("This run was replaced by a newer one: make your changes on the current draft.")
    # Published pairs change one at a time, never by running the matching again.
    if run.status == RunStatus.PUBLISHED.value:
        return _(
            "This matching run is published: its pairs can no longer be changed here. To give "
            "a mentee another mentor, end their pair, then re-match the mentee."
        )
    return _(
        "This run was replaced by a newer one, which is published: pairs can no longer be "
        "changed here. To give a mentee another mentor, end their pair, then re-match the mentee."
    )


def _editable_run(run: MatchRun) -> None:
    reason = frozen_run_reason(run)
    if reason is not None:
        raise RuleViolation(reason)


def set_lock(proposal: MatchProposal, locked: bool, *, actor: Person) -> None:
    """Lock a proposed pair so re-runs keep it, or unlock it."""
    _editable_run(proposal.run)
    proposal.locked = locked
    db.session.flush()
    record_event(
        "matching.pair_locked" if locked else "matching.pair_unlocked",
        actor=actor,
        subject=proposal,
        run=proposal.run_id,
        mentor=proposal.mentor_enrollment_id,
        mentee=proposal.mentee_enrollment_id,
    )


def forbid_proposal(proposal: MatchProposal, *, actor: Person, reason: str = "") -> None:
    """Rule a proposed pair out for good; the mentee waits for the next run."""
    run = proposal.run
    _editable_run(run)
    exists = db.session.scalar(
        select(ForbiddenPair.id).where(
            ForbiddenPair.mentee_enrollment_id == proposal.mentee_enrollment_id,
            ForbiddenPair.mentor_enrollment_id == proposal.mentor_enrollment_id,
        )
    )
    if exists is None:
        db.session.add(
            ForbiddenPair(
                cohort_id=run.cohort_id,
                mentee_enrollment_id=proposal.mentee_enrollment_id,
                mentor_enrollment_id=proposal.mentor_enrollment_id,
                reason=reason[:200],
                created_by_id=actor.id,
            )
        )
    _leave_unmatched(
        run,
        proposal.mentee_enrollment_id,
        Side.MENTEE.value,
        "forbidden_by_hr",
        [("hr_forbade", {})],
    )
    mentor_id = proposal.mentor_enrollment_id
    run.proposals.remove(proposal)
    db.session.flush()
    _mark_idle_mentor(run, mentor_id)
    record_event(
        "matching.pair_forbidden",
        actor=actor,
        subject=run.cohort,
        mentee=proposal.mentee_enrollment_id,
        mentor=mentor_id,
    )


def _leave_unmatched(
    run: MatchRun, enrollment_id: int, side: str, reason: str, detail: list[engine.Note]
) -> None:
    for row in run.unmatched:
        if row.enrollment_id == enrollment_id:
            row.reason, row.detail = reason, detail
            return
    run.unmatched.append(
        MatchUnmatched(enrollment_id=enrollment_id, side=side, reason=reason, detail=detail)
    )


def _mark_idle_mentor(run: MatchRun, mentor_id: int) -> None:
    if not any(p.mentor_enrollment_id == mentor_id for p in run.proposals):
        _leave_unmatched(
            run,
            mentor_id,
            Side.MENTOR.value,
            "not_needed",
            [("mentee_changed_by_hand", {})],
        )


def _evaluate(
    run: MatchRun, mentee_id: int, mentor_id: int, data: engine.MatchInput | None = None
) -> engine.PairEvaluation:
    data = data or build_match_input(run.cohort)
    try:
        return engine.evaluate_pair(data, mentee_id, mentor_id)
    except (KeyError, ValueError, LookupError) as error:
        raise RuleViolation(
            _("Choose an enrolled mentee and an enrolled mentor of this cohort.")
        ) from error


def _weak_warnings(evaluation: engine.PairEvaluation, min_score: int = 0) -> list[engine.Note]:
    warnings: list[engine.Note] = [
        ("weak_criterion", {"criterion": c}) for c in evaluation.weak_criteria
    ]
    if evaluation.under_minimum:
        warnings.insert(0, ("under_minimum", {"score": evaluation.score, "minimum": min_score}))
    return warnings


def _refuse_broken(evaluation: engine.PairEvaluation) -> None:
    if evaluation.rules_broken:
        raise RuleViolation(
            _(
                "This pair breaks a hard rule: %(rules)s.",
                rules=render_notes(evaluation.rules_broken),
            )
        )


def _capacity(run: MatchRun, mentor_id: int) -> int:
    return db.session.scalar(select(Enrollment.capacity).where(Enrollment.id == mentor_id)) or 0


def assign_by_hand(
    run: MatchRun, mentee_id: int, mentor_id: int, *, actor: Person, confirmed: bool = False
) -> MatchProposal:
    """Give a mentee a mentor chosen by HR: refused if a hard rule or the mentor's
    capacity would break, to be confirmed if a soft criterion is poor. The pair is locked."""
    _editable_run(run)
    evaluation = _evaluate(run, mentee_id, mentor_id)
    _refuse_broken(evaluation)
    taken = sum(
        1
        for p in run.proposals
        if p.mentor_enrollment_id == mentor_id and p.mentee_enrollment_id != mentee_id
    )
    if taken >= _capacity(run, mentor_id):
        raise RuleViolation(
            _(
                "This mentor is already at capacity in this draft: swap instead, or free a "
                "place first."
            )
        )
    warnings = _weak_warnings(evaluation, run.cohort.min_score)
    if warnings and not confirmed:
        raise NeedsConfirmation(warnings)
    return _place(run, evaluation, warnings, actor)


def _place(
    run: MatchRun, evaluation: engine.PairEvaluation, warnings: list[engine.Note], actor: Person
) -> MatchProposal:
    old = next((p for p in run.proposals if p.mentee_enrollment_id == evaluation.mentee_id), None)
    old_mentor = old.mentor_enrollment_id if old else None
    if old is not None:
        run.proposals.remove(old)
        db.session.flush()
    proposal = MatchProposal(
        mentee_enrollment_id=evaluation.mentee_id,
        mentor_enrollment_id=evaluation.mentor_id,
        score=evaluation.score,
        breakdown=evaluation.breakdown,
        explanation=evaluation.clauses,
        warnings=[list(note) for note in warnings],
        locked=True,
        manual=True,
    )
    run.proposals.append(proposal)
    run.unmatched = [
        u
        for u in run.unmatched
        if u.enrollment_id not in (evaluation.mentee_id, evaluation.mentor_id)
    ]
    db.session.flush()
    if old_mentor is not None and old_mentor != evaluation.mentor_id:
        _mark_idle_mentor(run, old_mentor)
    run.total_score = float(sum(p.score for p in run.proposals))
    db.session.flush()
    record_event(
        "matching.pair_assigned",
        actor=actor,
        subject=run.cohort,
        mentee=evaluation.mentee_id,
        mentor=evaluation.mentor_id,
        warnings=[list(note) for note in warnings],
    )
    return proposal


def swap_mentors(
    run: MatchRun,
    first: MatchProposal,
    second: MatchProposal,
    *,
    actor: Person,
    confirmed: bool = False,
) -> None:
    """Exchange the mentors of two proposed pairs (both new pairs are checked)."""
    _editable_run(run)
    if first.run_id != run.id or second.run_id != run.id or first.id == second.id:
        raise RuleViolation(_("Choose two different pairs of this draft."))
    data = build_match_input(run.cohort)
    a = _evaluate(run, first.mentee_enrollment_id, second.mentor_enrollment_id, data)
    b = _evaluate(run, second.mentee_enrollment_id, first.mentor_enrollment_id, data)
    _refuse_broken(a)
    _refuse_broken(b)
    minimum = run.cohort.min_score
    warnings = _weak_warnings(a, minimum) + _weak_warnings(b, minimum)
    if warnings and not confirmed:
        raise NeedsConfirmation(warnings)
    _place(run, a, _weak_warnings(a, minimum), actor)
    _place(run, b, _weak_warnings(b, minimum), actor)


def publish(run: MatchRun, *, actor: Person) -> int:
    """Publish a draft whole: its pairs become real and the cohort becomes active.

    Claiming the run with a conditional UPDATE makes a second publish (a double
    click, or another HR person) a no-op error; the pair table's unique constraint
    makes duplicates impossible even so.
    """
    claimed = db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run.id, MatchRun.status == RunStatus.DRAFT.value)
        .values(status=RunStatus.PUBLISHED.value, published_at=utcnow(), published_by_id=actor.id)
    ).rowcount
    if claimed != 1:
        raise RuleViolation(_("This match run has already been published or replaced."))
    cohort = run.cohort
    if cohort.status not in RUNNABLE_STATUSES:
        raise RuleViolation(
            _("A %(status)s cohort cannot be published again.", status=cohort.status_label.lower())
        )
    if not run.proposals:
        raise RuleViolation(_("There is no pair to publish."))
    for proposal in run.proposals:
        db.session.add(
            Pair(
                cohort_id=cohort.id,
                mentee_enrollment_id=proposal.mentee_enrollment_id,
                mentor_enrollment_id=proposal.mentor_enrollment_id,
                score=proposal.score,
                explanation_notes=proposal.explanation_notes,
                match_run_id=run.id,
            )
        )
    cohort.status = CohortStatus.ACTIVE.value
    try:
        db.session.flush()
    except IntegrityError as error:
        raise RuleViolation(
            _("Some of these pairs already exist: nothing was published.")
        ) from error
    record_event(
        "matching.published", actor=actor, subject=cohort, run=run.id, pairs=len(run.proposals)
    )
    run_published.send(run, actor=actor)
    db.session.expire(run)
    return len(run.proposals)


def end_pair(pair: Pair, reason: EndReason, *, actor: Person, note: str = "") -> None:
    """End an active pair with a reason; its history stays."""
    if pair.status != PairStatus.ACTIVE.value:
        raise RuleViolation(_("This pair has already ended."))
    pair.status = PairStatus.ENDED.value
    pair.ended_at = utcnow()
    pair.end_reason = reason.value
    pair.end_note = note.strip()[:500]
    db.session.flush()
    # Meetings (above matching) listen: they cancel the pair's future meetings.
    pair_ended.send(pair, reason=reason, actor=actor)
    record_event("pair.ended", actor=actor, subject=pair, reason=reason.value)


def free_capacity(cohort: Cohort) -> dict[int, int]:
    """Places left per mentor enrollment of an active cohort."""
    used = dict(
        db.session.execute(
            select(Pair.mentor_enrollment_id, func.count(Pair.id))
            .where(Pair.cohort_id == cohort.id, Pair.status == PairStatus.ACTIVE.value)
            .group_by(Pair.mentor_enrollment_id)
        ).all()
    )
    capacities = db.session.execute(
        select(Enrollment.id, Enrollment.capacity).where(
            Enrollment.cohort_id == cohort.id,
            Enrollment.side == Side.MENTOR.value,
            Enrollment.status == EnrollmentStatus.ACTIVE.value,
        )
    ).all()
    return {eid: capacity - used.get(eid, 0) for eid, capacity in capacities}


def rematch_candidates(
    cohort: Cohort, mentee: Enrollment, limit: int = 10
) -> list[engine.PairEvaluation]:
    """The best eligible mentors with a free place for one mentee of an active cohort.

    Never a mentor this mentee already had in this cohort (the pair ended, so the two
    are not offered again), and never a pair HR forbade (the engine's hard rule). Those
    under the cohort's minimum score are kept, marked `under_minimum`: HR decides.
    """
    data = build_match_input(cohort)
    free = {eid for eid, left in free_capacity(cohort).items() if left > 0}
    had = set(
        db.session.scalars(
            select(Pair.mentor_enrollment_id).where(
                Pair.cohort_id == cohort.id, Pair.mentee_enrollment_id == mentee.id
            )
        )
    )
    options = engine.alternatives(data, mentee.id, limit=len(data.mentors))
    return [o for o in options if o.mentor_id in free and o.mentor_id not in had][:limit]


def active_pair_of(mentee: Enrollment) -> Pair | None:
    """The mentee's active pair, if any: re-matching them means ending it first."""
    return db.session.scalar(
        select(Pair)
        .where(Pair.mentee_enrollment_id == mentee.id, Pair.status == PairStatus.ACTIVE.value)
        .order_by(Pair.id)
        .limit(1)
    )


def pair_by_hand(cohort: Cohort, mentee: Enrollment, mentor_id: int, *, actor: Person) -> Pair:
    """Re-match one mentee of an active cohort with a mentor who has a free place."""
    if cohort.status != CohortStatus.ACTIVE.value:
        raise RuleViolation(_("Re-matching is for active cohorts."))
    if mentee.cohort_id != cohort.id or mentee.side != Side.MENTEE.value:
        raise RuleViolation(_("Choose a mentee of this cohort."))
    if active_pair_of(mentee) is not None:
        raise RuleViolation(_("This mentee already has an active pair: end it first."))
    if free_capacity(cohort).get(mentor_id, 0) <= 0:
        raise RuleViolation(_("This mentor has no free place."))
    evaluation = engine.evaluate_pair(build_match_input(cohort), mentee.id, mentor_id)
    _refuse_broken(evaluation)
    if db.session.scalar(
        select(Pair.id).where(
            Pair.mentee_enrollment_id == mentee.id, Pair.mentor_enrollment_id == mentor_id
        )
    ):
        raise RuleViolation(_("These two were already paired in this cohort."))
    pair = Pair(
        cohort_id=cohort.id,
        mentee_enrollment_id=mentee.id,
        mentor_enrollment_id=mentor_id,
        score=evaluation.score,
        explanation=evaluation.clauses,
    )
    db.session.add(pair)
    db.session.flush()
    record_event(
        "pair.created_by_hand", actor=actor, subject=pair, mentee=mentee.id, mentor=mentor_id
    )
    pair_created.send(pair, actor=actor)
    return pair


@dataclass(frozen=True)
class RunView:
    """A run ready for the matching page: proposals with names, flags, and counts."""

    run: MatchRun
    proposals: list[MatchProposal]  # those shown: sorted, filtered by score_from
    unmatched: list[MatchUnmatched]
    mentees_total: int
    matched: int
    mentor_load: dict[int, int]
    weak: dict[int, list[str]]  # proposal id -> its weak criteria (labels), weak pairs only
    weak_count: int  # weak pairs in the whole run, shown or not
    min_score: int  # the minimum acceptable score the run was computed with
    under_minimum: int  # pairs (locked or by hand) scoring under that minimum
    pair_ids: dict[int, int]  # proposal id -> published pair id (published runs only)
    ended: frozenset[int]  # proposal ids whose published pair has ended since


def weak_criteria(breakdown: dict[str, float]) -> list[str]:
    """The criteria of a score breakdown under the weak threshold, as HR reads them."""
    return [
        engine.criterion_label(name, _)
        for name in engine.CRITERIA
        if name in breakdown and breakdown[name] < engine.WEAK_BELOW
    ]


def run_view(run: MatchRun, *, sort: str = "score", score_from: int = 0) -> RunView:
    """Load a run's proposals and unmatched people with their names, sorted and filtered.

    `score_from` only filters what the page shows; the cohort's minimum acceptable score
    (what the engine may propose) is `Cohort.min_score`, recorded in the run's rules.
    """
    proposals = list(
        db.session.scalars(
            select(MatchProposal)
            .where(MatchProposal.run_id == run.id)
            .options(
                selectinload(MatchProposal.mentee).selectinload(Enrollment.person),
                selectinload(MatchProposal.mentor).selectinload(Enrollment.person),
            )
        )
    )
    unmatched = list(
        db.session.scalars(
            select(MatchUnmatched)
            .where(MatchUnmatched.run_id == run.id)
            .options(selectinload(MatchUnmatched.enrollment).selectinload(Enrollment.person))
        )
    )
    mentees_total = (
        db.session.scalar(
            select(func.count(Enrollment.id)).where(
                Enrollment.cohort_id == run.cohort_id,
                Enrollment.side == Side.MENTEE.value,
                Enrollment.status == EnrollmentStatus.ACTIVE.value,
            )
        )
        or 0
    )
    keys: dict[str, Any] = {
        "score": lambda p: (-p.score, p.mentee.person.name.lower()),
        "score_asc": lambda p: (p.score, p.mentee.person.name.lower()),
        "mentee": lambda p: p.mentee.person.name.lower(),
        "mentor": lambda p: (p.mentor.person.name.lower(), p.mentee.person.name.lower()),
    }
    shown = sorted(
        (p for p in proposals if p.score >= score_from), key=keys.get(sort, keys["score"])
    )
    unmatched.sort(key=lambda u: (u.side != Side.MENTEE.value, u.enrollment.person.name.lower()))
    load = Counter(p.mentor_enrollment_id for p in proposals)
    weak = {p.id: labels for p in proposals if (labels := weak_criteria(p.breakdown or {}))}
    minimum = int((run.rules or {}).get("min_score", 0))
    pair_ids: dict[int, int] = {}
    ended: set[int] = set()
    if run.status == RunStatus.PUBLISHED.value:
        published = {
            (mentee_id, mentor_id): (pair_id, status)
            for pair_id, mentee_id, mentor_id, status in db.session.execute(
                select(
                    Pair.id, Pair.mentee_enrollment_id, Pair.mentor_enrollment_id, Pair.status
                ).where(Pair.match_run_id == run.id)
            )
        }
        for p in proposals:
            found = published.get((p.mentee_enrollment_id, p.mentor_enrollment_id))
            if found is not None:
                pair_ids[p.id] = found[0]
                if found[1] == PairStatus.ENDED.value:
                    ended.add(p.id)
    return RunView(
        run=run,
        proposals=shown,
        unmatched=unmatched,
        mentees_total=mentees_total,
        matched=len(proposals),
        mentor_load=dict(load),
        weak={p.id: weak[p.id] for p in shown if p.id in weak},
        weak_count=len(weak),
        min_score=minimum,
        under_minimum=sum(1 for p in proposals if p.score < minimum),
        pair_ids=pair_ids,
        ended=frozenset(ended),
    )


def topic_names_of(enrollment_ids: list[int]) -> dict[int, list[str]]:
    """Topic names per enrollment, in priority order, in one query."""
    from mentoring.curriculum.models import Topic

    names: dict[int, list[str]] = {}
    for enrollment_id, name in db.session.execute(
        select(EnrollmentTopic.enrollment_id, Topic.name)
        .join(Topic, Topic.id == EnrollmentTopic.topic_id)
        .where(EnrollmentTopic.enrollment_id.in_(enrollment_ids))
        .order_by(EnrollmentTopic.enrollment_id, EnrollmentTopic.priority)
    ):
        names.setdefault(enrollment_id, []).append(name)
    return names
