"""Goals of a pair, their milestones and evidence.

Services flush and never commit: the view owns the transaction, so a refused change
(a RuleViolation) is rolled back whole. Who may call which service (the owner of a goal,
a member of the pair) is the views' business, through `goal_rule`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from mentoring.cohorts.models import CohortStatus, Enrollment, Side
from mentoring.curriculum.models import Audience, EvidenceKind, GoalTemplate, Topic
from mentoring.curriculum.services import MAX_MILESTONE_LENGTH, MAX_MILESTONES
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.goals.models import Goal, GoalMilestone, GoalStatus
from mentoring.goals.rules import MAX_NOTE_LENGTH, can_move, target_date_problem, url_problem
from mentoring.i18n import format_day, localized
from mentoring.matching.models import Pair, PairStatus
from mentoring.people.models import Person

MAX_TITLE_LENGTH = 160
MAX_DESCRIPTION_LENGTH = 2000
MAX_REASON_LENGTH = 500

EVIDENCE_FIELDS = {
    EvidenceKind.URL.value: "evidence_url",
    EvidenceKind.YES_NO.value: "evidence_attested",
    EvidenceKind.NOTE.value: "evidence_note",
}


# -- who is who in a pair ---------------------------------------------------------------------


def own_enrollment(pair: Pair, person: Person) -> Enrollment | None:
    """The person's side of the pair (their enrollment), or None for an outsider."""
    for enrollment in (pair.mentee, pair.mentor):
        if enrollment.person_id == person.id:
            return enrollment
    return None


def is_open(pair: Pair) -> bool:
    """Whether the pair's goals may still change: the pair is active, its cohort not closed."""
    return pair.status == PairStatus.ACTIVE.value and pair.cohort.status != CohortStatus.CLOSED


def _check_open(pair: Pair) -> None:
    if not is_open(pair):
        raise RuleViolation(_("This pair has ended: its goals can no longer change."))


# -- what can be picked -----------------------------------------------------------------------


def offered_templates(pair: Pair, side: str) -> list[GoalTemplate]:
    """The goal templates a side of the pair may pick, in curriculum order.

    Mentees pick mentee templates of the cohort's topics in scope; mentors pick the
    mentor templates (what the junior learns from the executive), whatever their topic.
    Retired templates and templates of retired topics are not offered.
    """
    statement = (
        select(GoalTemplate)
        .join(Topic, Topic.id == GoalTemplate.topic_id)
        .where(GoalTemplate.retired_at.is_(None), Topic.retired_at.is_(None))
        .options(selectinload(GoalTemplate.topic), selectinload(GoalTemplate.milestones))
        .order_by(Topic.position, Topic.name, GoalTemplate.position, GoalTemplate.title)
    )
    if side == Side.MENTOR.value:
        statement = statement.where(GoalTemplate.audience == Audience.MENTOR.value)
    else:
        topic_ids = [topic.id for topic in pair.cohort.topics]
        statement = statement.where(
            GoalTemplate.audience == Audience.MENTEE.value, GoalTemplate.topic_id.in_(topic_ids)
        )
    return list(db.session.scalars(statement))


def custom_goal_topics(
    pair: Pair, side: str, templates: Iterable[GoalTemplate] | None = None
) -> list[Topic]:
    """The topics a custom goal may be filed under: the cohort's topics in scope, and for
    a mentor also the topics of the mentor templates (`templates`: `offered_templates(pair,
    side)` when the caller has it already)."""
    topics = [topic for topic in pair.cohort.topics if not topic.is_retired]
    if side == Side.MENTOR.value:
        seen = {topic.id for topic in topics}
        if templates is None:
            templates = offered_templates(pair, side)
        for template in templates:
            if template.topic_id not in seen:
                seen.add(template.topic_id)
                topics.append(template.topic)
    return topics


# -- adding goals -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomGoal:
    """What a participant types for a goal of their own."""

    title: str
    description: str = ""
    topic_id: int | None = None
    evidence_kind: str = EvidenceKind.NONE.value
    milestones: list[str] = field(default_factory=list)
    target_date: date | None = None


def _check_owner(pair: Pair, owner: Enrollment, proposed_by: Enrollment | None) -> None:
    if owner.id not in (pair.mentee_enrollment_id, pair.mentor_enrollment_id):
        raise RuleViolation(_("A goal belongs to one of the two people of the pair."))
    if proposed_by is not None and (
        proposed_by.id != pair.mentor_enrollment_id or owner.id != pair.mentee_enrollment_id
    ):
        raise RuleViolation(_("Only the mentor of the pair proposes goals, to the mentee."))


def _check_target_date(pair: Pair, target: date | None) -> None:
    problem = target_date_problem(
        target, pair.cohort.start_date, pair.cohort.end_date, _, format_day
    )
    if problem:
        raise RuleViolation(problem, "target_date")


def _flush_new_goal(goal: Goal) -> Goal:
    db.session.add(goal)
    try:
        db.session.flush()
    except IntegrityError as error:
        if "template_id" in str(error.orig) or "uq_goal" in str(error.orig):
            raise RuleViolation(_duplicate_message(localized(goal, "title")), "template") from error
        raise
    return goal


def _duplicate_message(title: str) -> str:
    return _(
        "“%(title)s” is already among these goals: open it from the list instead.", title=title
    )


def add_goal_from_template(
    pair: Pair,
    owner: Enrollment,
    template_id: int,
    *,
    target_date: date | None = None,
    proposed_by: Enrollment | None = None,
) -> Goal:
    """Give one side of the pair a goal made from a template, milestones copied.

    With `proposed_by` (the mentor), the goal is a proposal the mentee must accept.
    """
    _check_open(pair)
    _check_owner(pair, owner, proposed_by)
    template = next((t for t in offered_templates(pair, owner.side) if t.id == template_id), None)
    if template is None:
        raise RuleViolation(_("Choose one of the goals offered in the list."), "template")
    _check_target_date(pair, target_date)
    already = db.session.scalar(
        select(Goal.id).where(
            Goal.pair_id == pair.id,
            Goal.owner_enrollment_id == owner.id,
            Goal.template_id == template.id,
        )
    )
    if already is not None:
        raise RuleViolation(_duplicate_message(localized(template, "title")), "template")
    goal = Goal(
        pair=pair,
        owner=owner,
        template=template,
        topic_id=template.topic_id,
        title=template.title,
        description=template.description,
        target_date=target_date,
        evidence_kind=template.evidence_kind,
        evidence_hint=template.evidence_hint,
        proposed_by=proposed_by,
        milestones=[
            GoalMilestone(position=number, title=milestone.title)
            for number, milestone in enumerate(template.milestones, start=1)
        ],
    )
    return _flush_new_goal(goal)


def _clean_custom(details: CustomGoal, pair: Pair, side: str) -> CustomGoal:
    title = details.title.strip()
    if not title:
        raise RuleViolation(_("Give your own goal a title."), "title")
    if len(title) > MAX_TITLE_LENGTH:
        raise RuleViolation(
            _(
                "Keep the title to %(limit)s characters; it has %(length)s.",
                limit=MAX_TITLE_LENGTH,
                length=len(title),
            ),
            "title",
        )
    description = details.description.strip()
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise RuleViolation(
            _("Keep the description to %(limit)s characters.", limit=MAX_DESCRIPTION_LENGTH),
            "description",
        )
    if details.evidence_kind not in {kind.value for kind in EvidenceKind}:
        raise RuleViolation(_("Choose what will show the goal is reached."), "evidence_kind")
    if details.topic_id is not None and details.topic_id not in {
        topic.id for topic in custom_goal_topics(pair, side)
    }:
        raise RuleViolation(_("Choose one of the topics in the list, or none."), "topic_id")
    milestones = [title.strip() for title in details.milestones if title.strip()]
    if len(milestones) > MAX_MILESTONES:
        raise RuleViolation(
            _(
                "Keep to %(limit)s milestones at most; there are %(count)s.",
                limit=MAX_MILESTONES,
                count=len(milestones),
            ),
            "milestones",
        )
    for number, milestone in enumerate(milestones, start=1):
        if len(milestone) > MAX_MILESTONE_LENGTH:
            raise RuleViolation(
                _(
                    "Milestone %(number)s is %(length)s characters long; keep each one to "
                    "%(limit)s characters.",
                    number=number,
                    length=len(milestone),
                    limit=MAX_MILESTONE_LENGTH,
                ),
                "milestones",
            )
    return CustomGoal(
        title=title,
        description=description,
        topic_id=details.topic_id,
        evidence_kind=details.evidence_kind,
        milestones=milestones,
        target_date=details.target_date,
    )


def add_custom_goal(
    pair: Pair, owner: Enrollment, details: CustomGoal, *, proposed_by: Enrollment | None = None
) -> Goal:
    """Give one side of the pair a goal of their own, with the milestones they typed."""
    _check_open(pair)
    _check_owner(pair, owner, proposed_by)
    details = _clean_custom(details, pair, owner.side)
    _check_target_date(pair, details.target_date)
    goal = Goal(
        pair=pair,
        owner=owner,
        topic_id=details.topic_id,
        title=details.title,
        description=details.description,
        target_date=details.target_date,
        evidence_kind=details.evidence_kind,
        proposed_by=proposed_by,
        milestones=[
            GoalMilestone(position=number, title=title)
            for number, title in enumerate(details.milestones, start=1)
        ],
    )
    return _flush_new_goal(goal)


# -- changing a goal --------------------------------------------------------------------------


def _check_changeable(goal: Goal) -> None:
    _check_open(goal.pair)
    if goal.is_pending:
        raise RuleViolation(_("Accept this proposed goal before working on it."))


def update_goal(
    goal: Goal, *, target_date: date | None, title: str | None = None, description: str = ""
) -> Goal:
    """Change a goal's target date, and for a custom goal its title and description."""
    _check_open(goal.pair)
    _check_target_date(goal.pair, target_date)
    if goal.template_id is None and title is not None:
        details = _clean_custom(
            CustomGoal(
                title=title,
                description=description,
                topic_id=goal.topic_id,
                evidence_kind=goal.evidence_kind,
            ),
            goal.pair,
            goal.owner.side,
        )
        goal.title, goal.description = details.title, details.description
    goal.target_date = target_date
    db.session.flush()
    return goal


def set_milestone(
    goal: Goal, milestone: GoalMilestone, done: bool, *, now: datetime | None = None
) -> GoalMilestone:
    """Tick or untick one milestone; the first tick starts a goal not started yet."""
    _check_changeable(goal)
    if milestone.goal_id != goal.id:
        raise RuleViolation(_("This milestone belongs to another goal."))
    if goal.status == GoalStatus.DONE:
        raise RuleViolation(_("This goal is done: reopen it to change its milestones."))
    if goal.status == GoalStatus.DROPPED:
        raise RuleViolation(_("This goal is dropped: resume it to tick its milestones."))
    now = now or utcnow()
    if done and milestone.done_at is None:
        milestone.done_at = now
        if goal.status == GoalStatus.NOT_STARTED:
            goal.status = GoalStatus.IN_PROGRESS.value
    elif not done:
        milestone.done_at = None
    goal.updated_at = now
    db.session.flush()
    return milestone


def record_evidence(goal: Goal, *, url: str = "", attested: bool = False, note: str = "") -> Goal:
    """Store the evidence the goal's kind asks for (the other kinds' values are ignored)."""
    _check_changeable(goal)
    kind = goal.evidence_kind
    if kind == EvidenceKind.NONE:
        raise RuleViolation(_("This goal needs no evidence."))
    if kind == EvidenceKind.URL:
        url = url.strip()
        problem = url_problem(url, _) if url else None
        if problem:
            raise RuleViolation(problem, "evidence_url")
        goal.evidence_url = url
    elif kind == EvidenceKind.YES_NO:
        goal.evidence_attested = bool(attested)
    else:
        note = note.strip()
        if len(note) > MAX_NOTE_LENGTH:
            raise RuleViolation(
                _(
                    "Keep the note to %(limit)s characters; it has %(length)s.",
                    limit=MAX_NOTE_LENGTH,
                    length=len(note),
                ),
                "evidence_note",
            )
        goal.evidence_note = note
    if goal.status == GoalStatus.DONE and not goal.has_evidence:
        raise RuleViolation(
            _("A done goal keeps its evidence: reopen the goal to remove it."),
            EVIDENCE_FIELDS[kind],
        )
    db.session.flush()
    return goal


def missing_evidence_message(goal: Goal) -> str:
    """What to add before the goal can be marked done."""
    hint = localized(goal, "evidence_hint") if goal.evidence_hint else ""
    if goal.evidence_kind == EvidenceKind.URL:
        if hint:
            return _("Add the link (%(hint)s) before marking this goal done.", hint=hint)
        return _("Add the link before marking this goal done.")
    if goal.evidence_kind == EvidenceKind.YES_NO:
        if hint:
            return _("Confirm it is done (%(hint)s) before marking this goal done.", hint=hint)
        return _("Confirm it is done before marking this goal done.")
    if hint:
        return _("Write the short note (%(hint)s) before marking this goal done.", hint=hint)
    return _("Write the short note before marking this goal done.")


def complete_goal(goal: Goal, *, now: datetime | None = None) -> Goal:
    """Mark a goal done: it needs its evidence; its remaining milestones are ticked too."""
    _check_changeable(goal)
    if not can_move(goal.status, GoalStatus.DONE.value):
        raise RuleViolation(_cannot_move_message(goal, GoalStatus.DONE))
    if not goal.has_evidence:
        raise RuleViolation(missing_evidence_message(goal), EVIDENCE_FIELDS[goal.evidence_kind])
    now = now or utcnow()
    for milestone in goal.milestones:
        if milestone.done_at is None:
            milestone.done_at = now
    goal.status = GoalStatus.DONE.value
    goal.completed_at = now
    goal.updated_at = now
    db.session.flush()
    return goal


def drop_goal(goal: Goal, reason: str, *, now: datetime | None = None) -> Goal:
    """Drop a goal, saying why; it can be resumed later."""
    _check_changeable(goal)
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("Say in a few words why you drop this goal."), "reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise RuleViolation(
            _("Keep the reason to %(limit)s characters.", limit=MAX_REASON_LENGTH), "reason"
        )
    if not can_move(goal.status, GoalStatus.DROPPED.value):
        raise RuleViolation(_cannot_move_message(goal, GoalStatus.DROPPED))
    goal.status = GoalStatus.DROPPED.value
    goal.drop_reason = reason
    goal.updated_at = now or utcnow()
    db.session.flush()
    return goal


def start_goal(goal: Goal, *, now: datetime | None = None) -> Goal:
    """Start a goal by hand (ticking its first milestone does it too), resume a dropped
    goal, or reopen a done one: all three lead to "in progress"."""
    _check_changeable(goal)
    if not can_move(goal.status, GoalStatus.IN_PROGRESS.value):
        raise RuleViolation(_cannot_move_message(goal, GoalStatus.IN_PROGRESS))
    goal.status = GoalStatus.IN_PROGRESS.value
    goal.drop_reason = ""
    goal.completed_at = None
    goal.updated_at = now or utcnow()
    db.session.flush()
    return goal


def _cannot_move_message(goal: Goal, target: GoalStatus) -> str:
    return _(
        "A goal that is %(current)s cannot become %(target)s.",
        current=goal.status_label.lower(),
        target=target.label.lower(),
    )


def accept_goal(goal: Goal, *, now: datetime | None = None) -> Goal:
    """The mentee accepts a goal their mentor proposed; it is theirs from then on."""
    _check_open(goal.pair)
    if not goal.is_pending:
        raise RuleViolation(_("This goal is not waiting to be accepted."))
    goal.accepted_at = now or utcnow()
    db.session.flush()
    return goal


def discard_proposal(goal: Goal) -> None:
    """Delete a proposed goal nobody accepted: the mentee declines it, or the mentor
    withdraws it. Nothing is kept, since nobody worked on it."""
    _check_open(goal.pair)
    if not goal.is_pending:
        raise RuleViolation(_("Only a goal waiting to be accepted can be declined or withdrawn."))
    db.session.delete(goal)
    db.session.flush()
