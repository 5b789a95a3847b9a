"""What meetings advanced a pair's goals, and goal summaries for home pages and pair pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from types import SimpleNamespace
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, case, delete, func, insert, select

from mentoring.cohorts.models import Enrollment, Side
from mentoring.curriculum.models import GoalTemplate
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.goals.models import Goal, GoalMilestone, GoalStatus, meeting_log_goal
from mentoring.goals.rules import progress_percent
from mentoring.i18n import localized
from mentoring.matching.models import Pair
from mentoring.meetings.models import Meeting, MeetingLog
from mentoring.people.models import Person

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
