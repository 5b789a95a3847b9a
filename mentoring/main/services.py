"""What the home pages show, each in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Integer, Select, bindparam, case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from mentoring.cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    EnrollmentTopic,
    Side,
)
from mentoring.cohorts.services import CohortSummary, cohort_summaries
from mentoring.curriculum.models import Topic
from mentoring.extensions import db
from mentoring.people.models import Person
from mentoring.reports.suppression import Cell, Suppressor


def person_counts() -> dict[str, int]:
    """How many people there are, and how many active ones have never signed in."""
    total, never = db.session.execute(
        select(
            func.count(Person.id),
            func.count(case((Person.is_active.is_(True) & Person.last_login_at.is_(None), 1))),
        )
    ).one()
    return {"total": total, "never_signed_in": never}


def my_enrollments(person: Person) -> list[Enrollment]:
    """A participant's active enrollments, with their cohorts and topics, newest first."""
    return list(db.session.scalars(_my_enrollments_statement(), {"person_id": person.id}).unique())


@cache
def _my_enrollments_statement() -> Select:
    """The query of `my_enrollments`, built once per process (a statement is immutable,
    and building it costs more than running it on a home page)."""
    return (
        select(Enrollment)
        .join(Cohort)
        .where(
            Enrollment.person_id == bindparam("person_id", type_=Integer),
            Enrollment.status == EnrollmentStatus.ACTIVE.value,
        )
        # One query: the cohort from the join, the topics joined alongside.
        .options(
            contains_eager(Enrollment.cohort),
            joinedload(Enrollment.topic_links).joinedload(EnrollmentTopic.topic),
        )
        .order_by(Cohort.start_date.desc())
    )


@dataclass(frozen=True)
class Headline:
    """Headline adoption figures for leadership: aggregates only."""

    cohorts_running: int
    cohorts_total: int
    mentors_enrolled: int
    mentees_enrolled: int
    departments_involved: int
    topics_in_curriculum: int


def headline_figures() -> Headline:
    """Aggregate counts across all cohorts, for the leadership home page."""
    running = (CohortStatus.MATCHING.value, CohortStatus.ACTIVE.value)
    cohorts_running, cohorts_total = db.session.execute(
        select(func.count(case((Cohort.status.in_(running), 1))), func.count(Cohort.id))
    ).one()
    active = Enrollment.status == EnrollmentStatus.ACTIVE.value
    mentors, mentees, departments = db.session.execute(
        select(
            func.count(func.distinct(case((Enrollment.side == Side.MENTOR.value, Person.id)))),
            func.count(func.distinct(case((Enrollment.side == Side.MENTEE.value, Person.id)))),
            func.count(func.distinct(Person.department)),
        )
        .select_from(Enrollment)
        .join(Person, Person.id == Enrollment.person_id)
        .where(active)
    ).one()
    topics = db.session.scalar(select(func.count(Topic.id)).where(Topic.retired_at.is_(None)))
    return Headline(cohorts_running, cohorts_total, mentors, mentees, departments, topics or 0)


# Participants' home ------------------------------------------------------------------

LOG_WINDOW_DAYS = 30


@dataclass(frozen=True)
class MeetingToLog:
    """A meeting of mine that has ended and that I have not logged yet."""

    meeting_id: int
    pair_id: int
    start_at: datetime


@dataclass(frozen=True)
class ParticipantHome:
    """Everything a mentor's or mentee's home page shows, loaded in a fixed number of
    queries whatever the number of pairs, meetings and goals."""

    pairs: list
    meetings: dict
    next_meetings: dict
    goals: dict
    to_log: dict[int, list[MeetingToLog]]
    enrollments: list[Enrollment]
    assessments: dict[int, str | None]


def meetings_to_log(person: Person, pair_ids: list[int], now: datetime) -> list[MeetingToLog]:
    """Meetings of these pairs that ended in the last 30 days and the person has not
    logged, in one query."""
    if not pair_ids:
        return []
    rows = db.session.execute(
        _meetings_to_log_statement(),
        {
            "person_id": person.id,
            "pair_ids": list(pair_ids),
            "now": now,
            "since": now - timedelta(days=LOG_WINDOW_DAYS),
        },
    ).all()
    return [MeetingToLog(*row) for row in rows]


@cache
def _meetings_to_log_statement() -> Select:
    """The query of `meetings_to_log`, built once per process."""
    from mentoring.meetings.models import Meeting, MeetingLog, MeetingStatus

    mine = select(MeetingLog.id).where(
        MeetingLog.meeting_id == Meeting.id,
        MeetingLog.author_id == bindparam("person_id", type_=Integer),
    )
    return (
        select(Meeting.id, Meeting.pair_id, Meeting.start_at)
        .where(
            Meeting.pair_id.in_(bindparam("pair_ids", expanding=True)),
            Meeting.status.in_(
                [
                    MeetingStatus.CONFIRMED.value,
                    MeetingStatus.HELD.value,
                    MeetingStatus.NO_SHOW.value,
                ]
            ),
            Meeting.end_at <= bindparam("now", type_=Meeting.end_at.type),
            Meeting.end_at > bindparam("since", type_=Meeting.end_at.type),
            ~mine.exists(),
        )
        .order_by(Meeting.start_at)
    )


def next_meetings(pair_ids: list[int], now: datetime) -> dict:
    """Each pair's next planned meeting (proposed or confirmed, not started), in one
    query: {pair_id: Meeting}, for its place, video link and calendar file."""
    if not pair_ids:
        return {}
    rows = db.session.scalars(_next_meetings_statement(), {"pair_ids": pair_ids, "now": now})
    found: dict = {}
    for meeting in rows:
        found.setdefault(meeting.pair_id, meeting)
    return found


@cache
def _next_meetings_statement() -> Select:
    """The query of `next_meetings`, built once per process."""
    from mentoring.meetings.models import PLANNED_STATUSES, Meeting

    upcoming = (
        Meeting.pair_id.in_(bindparam("pair_ids", expanding=True))
        & Meeting.status.in_(PLANNED_STATUSES)
        & (Meeting.start_at > bindparam("now", type_=Meeting.start_at.type))
    )
    first = (
        select(Meeting.pair_id, func.min(Meeting.start_at).label("start_at"))
        .where(upcoming)
        .group_by(Meeting.pair_id)
        .subquery()
    )
    return (
        select(Meeting)
        .join(first, (first.c.pair_id == Meeting.pair_id) & (first.c.start_at == Meeting.start_at))
        .where(upcoming)
        .order_by(Meeting.id)
    )


def participant_home(person: Person, now: datetime) -> ParticipantHome:
    """The mentor/mentee part of the home page."""
    from mentoring.goals.assessments import assessments_due
    from mentoring.goals.progress import goal_summaries
    from mentoring.matching.access import pairs_of
    from mentoring.meetings.overview import pair_meeting_summaries

    pairs = pairs_of(person, active_only=True)
    ids = [pair.id for pair in pairs]
    to_log: dict[int, list[MeetingToLog]] = {}
    for meeting in meetings_to_log(person, ids, now):
        to_log.setdefault(meeting.pair_id, []).append(meeting)
    enrollments = my_enrollments(person)
    return ParticipantHome(
        pairs=pairs,
        meetings=pair_meeting_summaries(ids, now=now),
        next_meetings=next_meetings(ids, now),
        goals=goal_summaries(ids),
        to_log=to_log,
        enrollments=enrollments,
        assessments=assessments_due(enrollments, now.date()),
    )


# HR's home: the health of each cohort ----------------------------------------------------


@dataclass(frozen=True)
class CohortHealth:
    """How a cohort is doing, at a glance."""

    summary: CohortSummary
    active_pairs: int
    unpaired_mentees: int
    on_cadence: int
    overdue: int
    goals_done: int
    goals_total: int


def cohort_health(now: datetime) -> list[CohortHealth]:
    """Each cohort's matching, cadence and goals, in a fixed number of queries."""
    from mentoring.goals.models import Goal, GoalStatus
    from mentoring.matching.models import Pair, PairStatus
    from mentoring.meetings.overview import pair_meeting_summaries

    summaries = cohort_summaries()
    pair_cohort = dict(
        db.session.execute(
            select(Pair.id, Pair.cohort_id).where(Pair.status == PairStatus.ACTIVE.value)
        ).all()
    )
    pairs = Counter(pair_cohort.values())
    # The active pairs' cadence, from the ids just read (what `overdue_pairs` would count).
    overdue = Counter(
        pair_cohort[pair_id]
        for pair_id, summary in pair_meeting_summaries(pair_cohort, now=now).items()
        if summary.cadence.overdue
    )
    goals = {
        cohort_id: (done, total)
        for cohort_id, done, total in db.session.execute(
            select(
                Pair.cohort_id,
                func.count(case((Goal.status == GoalStatus.DONE.value, 1))),
                func.count(Goal.id),
            )
            .join(Pair, Pair.id == Goal.pair_id)
            .group_by(Pair.cohort_id)
        ).all()
    }
    health = []
    for row in summaries:
        cohort_id = row.cohort.id
        active_pairs = pairs.get(cohort_id, 0)
        late = overdue.get(cohort_id, 0)
        done, total = goals.get(cohort_id, (0, 0))
        health.append(
            CohortHealth(
                summary=row,
                active_pairs=active_pairs,
                unpaired_mentees=max(row.mentees - active_pairs, 0)
                if row.cohort.status == CohortStatus.ACTIVE.value
                else 0,
                on_cadence=active_pairs - late,
                overdue=late,
                goals_done=done,
                goals_total=total,
            )
        )
    return health


@dataclass(frozen=True)
class Attention:
    """Things waiting on HR."""

    pending_invitations: int
    drafts_to_publish: int


def hr_attention() -> Attention:
    """Counts of what waits on HR, in two queries."""
    from mentoring.auth.models import Invitation
    from mentoring.matching.models import MatchRun, RunStatus

    pending = db.session.scalar(
        select(func.count(func.distinct(Invitation.person_id)))
        .join(Person, Person.id == Invitation.person_id)
        .where(
            Invitation.open_(),
            Person.password_hash.is_(None),
            Person.is_active.is_(True),
        )
    )
    drafts = db.session.scalar(
        select(func.count(MatchRun.id)).where(MatchRun.status == RunStatus.DRAFT.value)
    )
    return Attention(pending or 0, drafts or 0)


# Leadership: aggregates only --------------------------------------------------------------


@dataclass(frozen=True)
class Adoption:
    """Program-wide adoption figures for leadership: no names, no notes.

    Each count comes with the number of people (or pairs) it rests on, so the tiles
    hide it under the same rule as the reports (`tiles`).
    """

    active_pairs: int
    meetings_held: int
    meetings_held_30_days: int
    goals_done: int
    mentees_with_goal_done: int
    mentees_paired: int
    pairs_met: int = 0
    pairs_met_30_days: int = 0
    people_with_goal_done: int = 0

    def tiles(self, headline: Headline, min_group: int) -> dict[str, Cell]:
        """The leader's home tiles, suppressed as the reports are: a figure resting on
        fewer than `min_group` people reads "fewer than N"."""
        s = Suppressor(min_group)
        return {
            "mentees_enrolled": s.count(headline.mentees_enrolled),
            "mentors_enrolled": s.count(headline.mentors_enrolled),
            "active_pairs": s.count(self.active_pairs),
            "meetings_held": s.count(self.meetings_held, base=self.pairs_met),
            "meetings_held_30_days": s.count(
                self.meetings_held_30_days, base=self.pairs_met_30_days
            ),
            "goals_done": s.count(self.goals_done, base=self.people_with_goal_done),
            "mentees_with_goal_done": s.count(self.mentees_with_goal_done),
            "mentees_paired": s.count(self.mentees_paired),
        }


def adoption_figures(now: datetime) -> Adoption:
    """Aggregates across every cohort, in three queries."""
    from mentoring.goals.models import Goal, GoalStatus
    from mentoring.matching.models import Pair, PairStatus
    from mentoring.meetings.models import Meeting, MeetingStatus

    # Executives are counted as people (one enrolled in two cohorts is one executive),
    # as the tiles name them; the reports count enrollments and say so.
    active_pairs, mentees_paired = db.session.execute(
        select(
            func.count(case((Pair.status == PairStatus.ACTIVE.value, 1))),
            func.count(func.distinct(Enrollment.person_id)),
        ).join(Enrollment, Enrollment.id == Pair.mentee_enrollment_id)
    ).one()
    held = Meeting.status == MeetingStatus.HELD.value
    held_recently = held & (Meeting.start_at > now - timedelta(days=30))
    meetings_held, recent, pairs_met, pairs_recent = db.session.execute(
        select(
            func.count(case((held, 1))),
            func.count(case((held_recently, 1))),
            func.count(func.distinct(case((held, Meeting.pair_id)))),
            func.count(func.distinct(case((held_recently, Meeting.pair_id)))),
        )
    ).one()
    goals_done, mentees_done, people_done = db.session.execute(
        select(
            func.count(Goal.id),
            func.count(
                func.distinct(case((Enrollment.side == Side.MENTEE.value, Enrollment.person_id)))
            ),
            func.count(func.distinct(Enrollment.person_id)),
        )
        .join(Enrollment, Enrollment.id == Goal.owner_enrollment_id)
        .where(Goal.status == GoalStatus.DONE.value)
    ).one()
    return Adoption(
        active_pairs,
        meetings_held,
        recent,
        goals_done,
        mentees_done,
        mentees_paired,
        pairs_met=pairs_met,
        pairs_met_30_days=pairs_recent,
        people_with_goal_done=people_done,
    )
