"""Goals of a pair, their milestones and evidence, and confidence self-assessments.

Services flush and never commit: the view owns the transaction, so a refused change
(a RuleViolation) is rolled back whole. Who may call which service (the owner of a goal,
a member of the pair) is the views' business, through `goal_rule`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from types import SimpleNamespace
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from mentoring.cohorts.models import CohortStatus, Enrollment, Side, cohort_topic
from mentoring.cohorts.services import FINISHED_STATUSES
from mentoring.curriculum.models import Audience, EvidenceKind, GoalTemplate, Topic
from mentoring.curriculum.services import MAX_MILESTONE_LENGTH, MAX_MILESTONES
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.goals.models import (
    AssessmentPhase,
    Goal,
    GoalMilestone,
    GoalStatus,
    SelfAssessment,
    meeting_log_goal,
)
from mentoring.goals.rules import (
    MAX_NOTE_LENGTH,
    can_move,
    confidence_problem,
    due_phase,
    open_phases,
    progress_percent,
    target_date_problem,
    url_problem,
)
from mentoring.i18n import format_day, localized
from mentoring.matching.models import Pair, PairStatus
from mentoring.meetings.models import Meeting, MeetingLog
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


# -- what meetings advanced -------------------------------------------------------------------


class MeetingAdvance(NamedTuple):
    """A meeting log that recorded progress on a goal."""

    meeting_log_id: int
    meeting_id: int
    meeting_start: datetime
    outcome: str
    logged_by: str


def advanceable_goals(pair: Pair, person: Person) -> list[tuple[int, str]]:
    """The (goal id, label) choices a meeting log may record as advanced: both sides'
    goals of the pair, accepted and not dropped; the other side's are named as theirs.
    One query."""
    rows = db.session.execute(
        select(Goal.id, Goal.title, _template_title_fr(), Enrollment.side, Enrollment.person_id)
        .join(Enrollment, Enrollment.id == Goal.owner_enrollment_id)
        .outerjoin(GoalTemplate, GoalTemplate.id == Goal.template_id)
        .where(
            Goal.pair_id == pair.id,
            Goal.status != GoalStatus.DROPPED.value,
            (Goal.proposed_by_enrollment_id.is_(None)) | Goal.accepted_at.is_not(None),
        )
        .order_by(Enrollment.side, Goal.created_at, Goal.id)  # "mentee" sorts first
    ).all()
    names = {pair.mentee.person_id: pair.mentee.person, pair.mentor.person_id: pair.mentor.person}
    choices = []
    for goal_id, title, title_fr, _side, owner in rows:
        shown = localized(SimpleNamespace(title=title, title_fr=title_fr), "title")
        if owner != person.id:
            shown = _("%(title)s (%(name)s’s goal)", title=shown, name=names[owner].first_name)
        choices.append((goal_id, shown))
    return choices


def _template_title_fr():
    """The French title a goal shows, in a query joined to its template (outer join): the
    template's while the goal keeps its template's English title, else none."""
    return case((Goal.title == GoalTemplate.title, GoalTemplate.title_fr), else_="")


def advanced_goal_ids(log: MeetingLog) -> list[int]:
    """The goals a meeting log recorded as advanced (to fill the log's form again)."""
    return list(
        db.session.scalars(
            select(meeting_log_goal.c.goal_id)
            .where(meeting_log_goal.c.meeting_log_id == log.id)
            .order_by(meeting_log_goal.c.goal_id)
        )
    )


def record_goals_advanced(log: MeetingLog, goal_ids: Iterable[int]) -> None:
    """Link a meeting log to the goals it advanced, replacing its earlier choice.

    Only the pair's goals that `advanceable_goals` offers may be chosen (a goal linked
    before and since dropped may stay); anything else is refused on the form's field.
    """
    chosen = {int(goal_id) for goal_id in goal_ids}
    db.session.flush()  # the log needs its id
    already = set(advanced_goal_ids(log))
    offered = {goal_id for goal_id, _ in advanceable_goals(log.meeting.pair, log.author)}
    if chosen - offered - already:
        raise RuleViolation(_("Choose goals from your pair's goals."), "goal_ids")
    db.session.execute(delete(meeting_log_goal).where(meeting_log_goal.c.meeting_log_id == log.id))
    if chosen:
        db.session.execute(
            insert(meeting_log_goal),
            [{"meeting_log_id": log.id, "goal_id": goal_id} for goal_id in sorted(chosen)],
        )
    db.session.flush()


def meeting_history(goal: Goal) -> list[MeetingAdvance]:
    """The meeting logs that recorded this goal as advanced, latest meeting first.

    Times, outcomes and authors only: never the logs' private notes.
    """
    rows = db.session.execute(
        select(MeetingLog.id, Meeting.id, Meeting.start_at, MeetingLog.outcome, Person.name)
        .join(meeting_log_goal, meeting_log_goal.c.meeting_log_id == MeetingLog.id)
        .join(Meeting, Meeting.id == MeetingLog.meeting_id)
        .join(Person, Person.id == MeetingLog.author_id)
        .where(meeting_log_goal.c.goal_id == goal.id)
        .order_by(Meeting.start_at.desc(), MeetingLog.id.desc())
    ).all()
    return [MeetingAdvance(*row) for row in rows]


# -- summaries for home pages and pair pages (fixed number of queries) ------------------------


@dataclass(frozen=True)
class GoalSummary:
    """A goal as lists show it: enough to draw a line with its progress."""

    id: int
    pair_id: int
    side: str
    title: str
    status: str
    topic_id: int | None
    target_date: date | None
    completed_at: datetime | None
    milestones_done: int
    milestones_total: int
    pending: bool
    title_fr: str = ""  # the template's French title, while the goal keeps its title

    @property
    def progress(self) -> int:
        """The share of milestones done, in percent."""
        return progress_percent(self.milestones_done, self.milestones_total, self.status)

    @property
    def status_label(self) -> str:
        """The status as people read it."""
        return GoalStatus(self.status).label


@dataclass
class PairGoals:
    """The goals of a pair, per side, in the order they were added."""

    mentee: list[GoalSummary] = field(default_factory=list)
    mentor: list[GoalSummary] = field(default_factory=list)

    def of(self, side: str) -> list[GoalSummary]:
        """The goals of one side ("mentee" or "mentor")."""
        return self.mentor if side == Side.MENTOR.value else self.mentee

    @property
    def done(self) -> int:
        """How many goals of both sides are done."""
        return sum(1 for goal in self.mentee + self.mentor if goal.status == GoalStatus.DONE)

    @property
    def total(self) -> int:
        """How many goals both sides have, proposals included."""
        return len(self.mentee) + len(self.mentor)


def goal_summaries(pair_ids: Iterable[int]) -> dict[int, PairGoals]:
    """Every goal of the given pairs with its milestone counts, per pair and side.

    One query whatever the number of pairs and goals (none for no pairs); pairs without
    goals are in the answer, empty.
    """
    ids = sorted(set(pair_ids))
    if not ids:
        return {}
    rows = db.session.execute(_goal_summaries_statement(), {"pair_ids": ids}).all()
    answer = {pair_id: PairGoals() for pair_id in ids}
    for row in rows:
        summary = GoalSummary(*row[:10], pending=bool(row[10]), title_fr=row[11] or "")
        answer[summary.pair_id].of(summary.side).append(summary)
    return answer


@cache
def _goal_summaries_statement() -> Select:
    """The query of `goal_summaries`, built once per process (statements are immutable;
    building this one costs more than running it)."""
    return (
        select(
            Goal.id,
            Goal.pair_id,
            Enrollment.side,
            Goal.title,
            Goal.status,
            Goal.topic_id,
            Goal.target_date,
            Goal.completed_at,
            func.count(GoalMilestone.done_at),
            func.count(GoalMilestone.id),
            Goal.proposed_by_enrollment_id.is_not(None) & Goal.accepted_at.is_(None),
            _template_title_fr(),
        )
        .join(Enrollment, Enrollment.id == Goal.owner_enrollment_id)
        .outerjoin(GoalMilestone, GoalMilestone.goal_id == Goal.id)
        .outerjoin(GoalTemplate, GoalTemplate.id == Goal.template_id)
        .where(Goal.pair_id.in_(bindparam("pair_ids", expanding=True)))
        .group_by(Goal.id, Enrollment.side, GoalTemplate.title, GoalTemplate.title_fr)
        .order_by(Goal.created_at, Goal.id)
    )


def goals_for_pair(pair: Pair) -> PairGoals:
    """The goals of one pair, per side (one query): what the pair page shows."""
    return goal_summaries([pair.id])[pair.id]


def completed_goal_counts(pair_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """How many goals each side of each pair has completed: {pair_id: {"mentee": n,
    "mentor": n}}, in one query (none for no pairs)."""
    ids = sorted(set(pair_ids))
    if not ids:
        return {}
    answer = {pair_id: {Side.MENTEE.value: 0, Side.MENTOR.value: 0} for pair_id in ids}
    rows = db.session.execute(
        select(Goal.pair_id, Enrollment.side, func.count(Goal.id))
        .join(Enrollment, Enrollment.id == Goal.owner_enrollment_id)
        .where(Goal.pair_id.in_(ids), Goal.status == GoalStatus.DONE.value)
        .group_by(Goal.pair_id, Enrollment.side)
    ).all()
    for pair_id, side, count in rows:
        answer[pair_id][side] = count
    return answer


# -- self-assessment --------------------------------------------------------------------------


def assessment_topics(enrollment: Enrollment) -> list[Topic]:
    """The topics a participant rates: the cohort's topics in scope, and for a mentor also
    the topics of the mentor templates (what the junior learns in return)."""
    topics = list(enrollment.cohort.topics)
    if enrollment.side == Side.MENTOR.value:
        seen = {topic.id for topic in topics}
        extra = db.session.scalars(
            select(Topic)
            .join(GoalTemplate, GoalTemplate.topic_id == Topic.id)
            .where(
                GoalTemplate.audience == Audience.MENTOR.value,
                GoalTemplate.retired_at.is_(None),
                Topic.retired_at.is_(None),
            )
            .distinct()
            .order_by(Topic.position, Topic.name)
        )
        topics += [topic for topic in extra if topic.id not in seen]
    return topics


def assessment_ratings(enrollment: Enrollment) -> dict[str, dict[int, int]]:
    """A participant's ratings so far: {phase: {topic_id: confidence}}."""
    ratings: dict[str, dict[int, int]] = {phase.value: {} for phase in AssessmentPhase}
    rows = db.session.execute(
        select(SelfAssessment.phase, SelfAssessment.topic_id, SelfAssessment.confidence).where(
            SelfAssessment.enrollment_id == enrollment.id
        )
    )
    for phase, topic_id, confidence in rows:
        ratings[phase][topic_id] = confidence
    return ratings


@dataclass(frozen=True)
class OwnConfidence:
    """A participant's own confidence in one topic at the start and at the end."""

    topic: str
    start: int | None
    end: int

    @property
    def change(self) -> int | None:
        """End minus start, when both exist."""
        return None if self.start is None else self.end - self.start


def own_confidence(enrollment: Enrollment) -> list[OwnConfidence]:
    """A participant's before/after confidence per topic, once they rated the end (seen by
    them alone); empty before the end rating exists."""
    ratings = assessment_ratings(enrollment)
    if not ratings[AssessmentPhase.END.value]:
        return []
    names = {topic.id: localized(topic, "name") for topic in assessment_topics(enrollment)}
    missing = set(ratings[AssessmentPhase.END.value]) - set(names)
    if missing:
        names.update(
            (topic.id, localized(topic, "name"))
            for topic in db.session.scalars(select(Topic).where(Topic.id.in_(missing)))
        )
    start = ratings[AssessmentPhase.START.value]
    return [
        OwnConfidence(names[topic_id], start.get(topic_id), end)
        for topic_id, end in sorted(
            ratings[AssessmentPhase.END.value].items(), key=lambda item: names[item[0]].lower()
        )
    ]


# A closed or cancelled cohort's self-assessments no longer change, nor are prompted for.


def assessment_phases_open(enrollment: Enrollment, today: date) -> tuple[str, ...]:
    """The self-assessment phases the participant may fill in or change today."""
    return open_phases(
        today,
        enrollment.cohort.end_date,
        cohort_closed=enrollment.cohort.status in FINISHED_STATUSES,
    )


def assessment_due(enrollment: Enrollment, today: date) -> str | None:
    """The self-assessment phase to prompt a participant for today ("start", "end"), if
    any: the start one until it is done (in the cohort's first third), the end one in
    the cohort's last two weeks."""
    return assessments_due([enrollment], today)[enrollment.id]


def assessments_due(enrollments: Sequence[Enrollment], today: date) -> dict[int, str | None]:
    """`assessment_due` for many enrollments at once, {enrollment_id: phase or None}, in
    one query whatever their number (none for no enrollments), the enrollments' cohorts
    being loaded with them: for home pages."""
    if not enrollments:
        return {}
    cohort_ids = {enrollment.cohort_id for enrollment in enrollments}
    no_text, no_id = cast(null(), String), cast(null(), Integer)
    # Three kinds of rows in one query: (kind, cohort or enrollment id, topic id, phase).
    parts = [
        select(
            literal_column("'cohort'"), cohort_topic.c.cohort_id, cohort_topic.c.topic_id, no_text
        ).where(cohort_topic.c.cohort_id.in_(cohort_ids)),
        select(
            literal_column("'rated'"),
            SelfAssessment.enrollment_id,
            SelfAssessment.topic_id,
            SelfAssessment.phase,
        ).where(SelfAssessment.enrollment_id.in_([e.id for e in enrollments])),
    ]
    if any(enrollment.side == Side.MENTOR.value for enrollment in enrollments):
        parts.append(
            select(literal_column("'mentor'"), no_id, GoalTemplate.topic_id, no_text)
            .join(Topic, Topic.id == GoalTemplate.topic_id)
            .where(
                GoalTemplate.audience == Audience.MENTOR.value,
                GoalTemplate.retired_at.is_(None),
                Topic.retired_at.is_(None),
            )
        )
    in_scope: dict[int, set[int]] = defaultdict(set)
    mentor_topics: set[int] = set()
    rated: dict[tuple[int, str], set[int]] = defaultdict(set)
    for kind, owner_id, topic_id, phase in db.session.execute(union_all(*parts)):
        if kind == "cohort":
            in_scope[owner_id].add(topic_id)
        elif kind == "mentor":
            mentor_topics.add(topic_id)
        else:
            rated[(owner_id, phase)].add(topic_id)
    answer: dict[int, str | None] = {}
    for enrollment in enrollments:
        topics = set(in_scope[enrollment.cohort_id])
        if enrollment.side == Side.MENTOR.value:
            topics |= mentor_topics
        cohort = enrollment.cohort
        answer[enrollment.id] = (
            due_phase(
                today,
                cohort.start_date,
                cohort.end_date,
                cohort_closed=cohort.status in FINISHED_STATUSES,
                start_done=topics <= rated[(enrollment.id, AssessmentPhase.START.value)],
                end_done=topics <= rated[(enrollment.id, AssessmentPhase.END.value)],
            )
            if topics
            else None
        )
    return answer


def save_self_assessment(
    enrollment: Enrollment, phase: str, ratings: Mapping[int, object], *, today: date
) -> list[SelfAssessment]:
    """Record (or correct) a participant's confidence per topic for one phase.

    Every topic must be rated 1 to 5; ratings of topics outside the list are refused.
    """
    if phase not in {p.value for p in AssessmentPhase}:
        raise RuleViolation(_("Unknown self-assessment."))
    if phase not in assessment_phases_open(enrollment, today):
        if phase == AssessmentPhase.END:
            raise RuleViolation(
                _("The end-of-cohort self-assessment opens two weeks before the cohort ends.")
            )
        raise RuleViolation(_("This cohort is closed: its self-assessments can no longer change."))
    topics = assessment_topics(enrollment)
    known = {topic.id for topic in topics}
    unknown = set(ratings) - known
    if unknown:
        raise RuleViolation(_("Rate only the topics in the list."))
    for topic in topics:
        if ratings.get(topic.id) is None:
            raise RuleViolation(
                _(
                    "Rate your confidence in %(topic)s, from 1 to 5.",
                    topic=localized(topic, "name"),
                ),
                f"topic_{topic.id}",
            )
        problem = confidence_problem(ratings[topic.id], _)
        if problem:
            raise RuleViolation(problem, f"topic_{topic.id}")
    existing = {
        row.topic_id: row
        for row in db.session.scalars(
            select(SelfAssessment).where(
                SelfAssessment.enrollment_id == enrollment.id, SelfAssessment.phase == phase
            )
        )
    }
    saved = []
    for topic in topics:
        row = existing.get(topic.id)
        if row is None:
            row = SelfAssessment(enrollment_id=enrollment.id, topic_id=topic.id, phase=phase)
            db.session.add(row)
        row.confidence = int(ratings[topic.id])  # type: ignore[call-overload]
        saved.append(row)
    db.session.flush()
    return saved


class ConfidenceGain(NamedTuple):
    """Confidence in a topic at the start and at the end, over the same participants."""

    n: int
    mean_start: float
    mean_end: float

    @property
    def gain(self) -> float:
        """The learning gain: the mean change of confidence (end − start)."""
        return self.mean_end - self.mean_start


def confidence_gains(cohort_id: int, *, side: str | None = None) -> dict[int, ConfidenceGain]:
    """Per topic, how many participants rated it at both the start and the end, and their
    mean confidence each time: {topic_id: (n, mean_start, mean_end)}.

    Only participants with both ratings count, so the gain compares the same people.
    `side` ("mentee" or "mentor") keeps one side only: executives' gains are the mentees'.
    One query. Reports must still hide groups smaller than their privacy threshold.
    """
    start, end = aliased(SelfAssessment), aliased(SelfAssessment)
    statement = (
        select(start.topic_id, func.count(), func.avg(start.confidence), func.avg(end.confidence))
        .join(
            end,
            and_(
                end.enrollment_id == start.enrollment_id,
                end.topic_id == start.topic_id,
                end.phase == AssessmentPhase.END.value,
            ),
        )
        .join(Enrollment, Enrollment.id == start.enrollment_id)
        .where(start.phase == AssessmentPhase.START.value, Enrollment.cohort_id == cohort_id)
        .group_by(start.topic_id)
    )
    if side is not None:
        statement = statement.where(Enrollment.side == side)
    return {
        topic_id: ConfidenceGain(count, float(mean_start), float(mean_end))
        for topic_id, count, mean_start, mean_end in db.session.execute(statement)
    }
