"""Report aggregates, computed in SQL with GROUP BY: no Flask, no rows loaded one by one.

Each function takes a session and a `ReportFilter` and returns plain dataclasses of
grouped counts; `reports.figures` turns them into suppressed tables. Every function
runs a fixed number of queries whatever the data size.

Scope of the filters: cohorts and department select people (their own department) for
the per-person figures (funnel, adoption, learning, satisfaction) and pairs (the
executive's department) for the pair figures (meetings, cadence); the date range selects
events: meetings by their start, goals by their completion. Months are UTC months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from mentoring.cohorts.models import Cohort, Enrollment, EnrollmentStatus, Side
from mentoring.curriculum.models import GoalTemplate, Topic
from mentoring.goals.models import AssessmentPhase, Goal, GoalStatus, SelfAssessment
from mentoring.matching.models import Pair, PairStatus
from mentoring.meetings.models import Meeting, MeetingLog, MeetingStatus
from mentoring.people.models import Person

SIDES = (Side.MENTEE.value, Side.MENTOR.value)

# Seniority bands of the executives (HR's levels 1-10), lowest first.
BANDS = (("1–4", 1, 4), ("5–6", 5, 6), ("7–8", 7, 8), ("9–10", 9, 10))


@dataclass(frozen=True)
class ReportFilter:
    """What a report covers: cohorts (none = all), a date range, a department, a side."""

    cohort_ids: tuple[int, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    department: str = ""
    side: str = ""

    @property
    def sides(self) -> tuple[str, ...]:
        """The sides the report shows, executives first."""
        return (self.side,) if self.side in SIDES else SIDES

    def start(self) -> datetime | None:
        """The first instant of the range, in UTC."""
        return datetime.combine(self.date_from, time(), UTC) if self.date_from else None

    def end(self) -> datetime | None:
        """The first instant after the range, in UTC."""
        if not self.date_to:
            return None
        return datetime.combine(self.date_to + timedelta(days=1), time(), UTC)


def _in_range(column: Any, filters: ReportFilter) -> list[Any]:
    conditions = []
    if filters.start():
        conditions.append(column >= filters.start())
    if filters.end():
        conditions.append(column < filters.end())
    return conditions


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _day(column: Any, dialect: str) -> Any:
    """The UTC calendar day of a timestamp."""
    if dialect == "sqlite":
        return func.date(column)
    return cast(func.timezone("UTC", column), Date)


def _days_between(later: Any, earlier: Any, dialect: str) -> Any:
    """Whole days from one day expression to another."""
    if dialect == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier


def _month(column: Any, dialect: str) -> Any:
    """The UTC month of a timestamp: YYYY-MM text on SQLite, the month's first instant on
    PostgreSQL (date_trunc is much cheaper than to_char); `month_label` reads both."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.date_trunc("month", func.timezone("UTC", column))


def month_label(value: str | datetime) -> str:
    """A month as YYYY-MM, from either form `_month` gives."""
    return value if isinstance(value, str) else value.strftime("%Y-%m")


def _band(level: Any) -> Any:
    return case(*[(level.between(low, high), label) for label, low, high in BANDS])


def _pair_scope(column: Any, filters: ReportFilter) -> list[Any]:
    """Conditions keeping a pair-id column within the filters (none when unfiltered)."""
    if not filters.cohort_ids and not filters.department:
        return []
    return [column.in_(_pairs_in_scope(filters))]


def _pairs_in_scope(filters: ReportFilter) -> Any:
    """Pair ids of the selected cohorts (and executives' department)."""
    mentee = aliased(Enrollment)
    mentee_person = aliased(Person)
    statement = select(Pair.id)
    if filters.cohort_ids:
        statement = statement.where(Pair.cohort_id.in_(filters.cohort_ids))
    if filters.department:
        statement = (
            statement.join(mentee, mentee.id == Pair.mentee_enrollment_id)
            .join(mentee_person, mentee_person.id == mentee.person_id)
            .where(mentee_person.department == filters.department)
        )
    return statement


def _people_where(filters: ReportFilter) -> list[Any]:
    conditions = [Enrollment.status == EnrollmentStatus.ACTIVE.value]
    if filters.cohort_ids:
        conditions.append(Enrollment.cohort_id.in_(filters.cohort_ids))
    if filters.department:
        conditions.append(Person.department == filters.department)
    if filters.side in SIDES:
        conditions.append(Enrollment.side == filters.side)
    return conditions


# Choices for the filter form ---------------------------------------------------------------


@dataclass(frozen=True)
class CohortChoice:
    """A cohort the reports can cover."""

    id: int
    name: str
    status: str
    start_date: date
    end_date: date


def cohort_choices(session: Session) -> list[CohortChoice]:
    """Every cohort past its draft, newest first (one query)."""
    rows = session.execute(
        select(Cohort.id, Cohort.name, Cohort.status, Cohort.start_date, Cohort.end_date)
        .where(Cohort.status != "draft")
        .order_by(Cohort.start_date.desc(), Cohort.id.desc())
    ).all()
    return [CohortChoice(*row) for row in rows]


def department_choices(session: Session) -> list[str]:
    """The departments of enrolled people, in alphabetical order (one query)."""
    rows = session.scalars(
        select(Person.department)
        .join(Enrollment, Enrollment.person_id == Person.id)
        .where(Person.department != "")
        .group_by(Person.department)
        .order_by(Person.department)
    )
    return list(rows)


# Funnel --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelGroup:
    """People of one cohort, side, department and seniority band at each funnel step.

    Each step counts people who also passed every step before it.
    """

    cohort_id: int
    side: str
    department: str
    band: str
    enrolled: int
    activated: int
    matched: int
    first_meeting: int
    target_reached: int
    goal_done: int

    @property
    def steps(self) -> tuple[int, ...]:
        """The six steps in order."""
        return (
            self.enrolled,
            self.activated,
            self.matched,
            self.first_meeting,
            self.target_reached,
            self.goal_done,
        )


FUNNEL_STEPS = (
    "Enrolled",
    "Activated (accepted the invitation)",
    "Matched",
    "First meeting held",
    "Target number of meetings reached",
    "At least one goal done",
)


def funnel_groups(session: Session, filters: ReportFilter) -> list[FunnelGroup]:
    """The funnel, grouped by cohort, side, department and band (one query)."""
    members = union_all(
        select(Pair.id.label("pair_id"), Pair.mentee_enrollment_id.label("enrollment_id")),
        select(Pair.id.label("pair_id"), Pair.mentor_enrollment_id.label("enrollment_id")),
    ).subquery("members")
    held = (
        select(Meeting.pair_id, func.count().label("held"))
        .where(
            Meeting.status == MeetingStatus.HELD.value,
            *_in_range(Meeting.start_at, filters),
            *_pair_scope(Meeting.pair_id, ReportFilter(cohort_ids=filters.cohort_ids)),
        )
        .group_by(Meeting.pair_id)
        .subquery("held")
    )
    per_enrollment = (
        select(
            members.c.enrollment_id,
            func.count(members.c.pair_id).label("pairs"),
            func.coalesce(func.sum(held.c.held), 0).label("held"),
        )
        .select_from(members)
        .outerjoin(held, held.c.pair_id == members.c.pair_id)
        .group_by(members.c.enrollment_id)
        .subquery("per_enrollment")
    )
    done = (
        select(Goal.owner_enrollment_id.label("enrollment_id"), func.count().label("done"))
        .where(Goal.status == GoalStatus.DONE.value, *_in_range(Goal.completed_at, filters))
        .group_by(Goal.owner_enrollment_id)
        .subquery("done")
    )
    activated = Person.password_hash.is_not(None)
    matched = activated & (func.coalesce(per_enrollment.c.pairs, 0) > 0)
    first = matched & (func.coalesce(per_enrollment.c.held, 0) > 0)
    target = first & (func.coalesce(per_enrollment.c.held, 0) >= Cohort.target_meetings)
    goal = target & (func.coalesce(done.c.done, 0) > 0)

    def flag(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    band = _band(Person.seniority_level)
    rows = session.execute(
        select(
            Enrollment.cohort_id,
            Enrollment.side,
            Person.department,
            band.label("band"),
            func.count(Enrollment.id),
            flag(activated),
            flag(matched),
            flag(first),
            flag(target),
            flag(goal),
        )
        .select_from(Enrollment)
        .join(Person, Person.id == Enrollment.person_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .outerjoin(per_enrollment, per_enrollment.c.enrollment_id == Enrollment.id)
        .outerjoin(done, done.c.enrollment_id == Enrollment.id)
        .where(*_people_where(filters))
        .group_by(Enrollment.cohort_id, Enrollment.side, Person.department, band)
    ).all()
    return [FunnelGroup(*row[:4], *(int(value or 0) for value in row[4:])) for row in rows]


# Adoption by topic and goal template -----------------------------------------------------------


@dataclass(frozen=True)
class TopicAdoption:
    """People of one side, department and band who took a topic as a goal, and completed it."""

    side: str
    topic_id: int
    topic: str
    department: str
    band: str
    took: int
    done: int


@dataclass(frozen=True)
class TemplateAdoption:
    """People of one side who took a goal template, and completed it."""

    side: str
    topic: str
    template_id: int
    template: str
    took: int
    done: int


def _taken_goals(filters: ReportFilter) -> list[Any]:
    # A proposal its owner has not accepted is not taken yet.
    return [
        or_(Goal.proposed_by_enrollment_id.is_(None), Goal.accepted_at.is_not(None)),
        *_people_where(filters),
    ]


def _done(filters: ReportFilter) -> Any:
    conditions = [Goal.status == GoalStatus.DONE.value, *_in_range(Goal.completed_at, filters)]
    return and_(*conditions)


def topic_adoption(session: Session, filters: ReportFilter) -> list[TopicAdoption]:
    """Per side, topic, department and band: people with a goal in it, and with one done."""
    band = _band(Person.seniority_level)
    rows = session.execute(
        select(
            Enrollment.side,
            Topic.id,
            Topic.name,
            Person.department,
            band.label("band"),
            func.count(func.distinct(Enrollment.id)),
            func.count(func.distinct(case((_done(filters), Enrollment.id)))),
        )
        .select_from(Goal)
        .join(Enrollment, Enrollment.id == Goal.owner_enrollment_id)
        .join(Person, Person.id == Enrollment.person_id)
        .join(Topic, Topic.id == Goal.topic_id)
        .where(*_taken_goals(filters))
        .group_by(Enrollment.side, Topic.id, Topic.name, Person.department, band)
    ).all()
    return [TopicAdoption(*row) for row in rows]


def template_adoption(session: Session, filters: ReportFilter) -> list[TemplateAdoption]:
    """Per side and goal template: people who took it, and who completed it (one query)."""
    rows = session.execute(
        select(
            Enrollment.side,
            Topic.name,
            GoalTemplate.id,
            GoalTemplate.title,
            func.count(func.distinct(Enrollment.id)),
            func.count(func.distinct(case((_done(filters), Enrollment.id)))),
        )
        .select_from(Goal)
        .join(GoalTemplate, GoalTemplate.id == Goal.template_id)
        .join(Topic, Topic.id == GoalTemplate.topic_id)
        .join(Enrollment, Enrollment.id == Goal.owner_enrollment_id)
        .join(Person, Person.id == Enrollment.person_id)
        .where(*_taken_goals(filters))
        .group_by(
            Enrollment.side,
            Topic.name,
            Topic.position,
            GoalTemplate.id,
            GoalTemplate.title,
            GoalTemplate.position,
        )
        .order_by(Topic.position, GoalTemplate.position)
    ).all()
    return [TemplateAdoption(*row) for row in rows]


# Activity -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthActivity:
    """Meetings held in one UTC month, and by how many pairs."""

    month: str
    held: int
    pairs: int


@dataclass(frozen=True)
class CohortOutcomes:
    """One cohort's meetings by outcome, and how many pairs they involve."""

    cohort_id: int
    held: int
    no_show: int
    cancelled: int
    pairs: int


@dataclass(frozen=True)
class CohortCadence:
    """One cohort's active pairs whose cadence is tracked, and how many keep it."""

    cohort_id: int
    tracked: int
    on_cadence: int


@dataclass(frozen=True)
class FirstMeetingDelay:
    """How many pairs of a cohort held their first meeting this many days after publishing."""

    cohort_id: int
    days: int
    pairs: int


def meetings_by_month(session: Session, filters: ReportFilter) -> list[MonthActivity]:
    """Held meetings per UTC month, oldest first (one query)."""
    month = _month(Meeting.start_at, _dialect(session))
    rows = session.execute(
        select(month.label("month"), func.count(), func.count(func.distinct(Meeting.pair_id)))
        .where(
            Meeting.status == MeetingStatus.HELD.value,
            *_pair_scope(Meeting.pair_id, filters),
            *_in_range(Meeting.start_at, filters),
        )
        .group_by(month)
        .order_by(month)
    ).all()
    return [MonthActivity(month_label(month), held, pairs) for month, held, pairs in rows]


def meeting_outcomes(session: Session, filters: ReportFilter) -> list[CohortOutcomes]:
    """Per cohort: meetings held, no-shows and cancellations, and pairs involved."""
    status = Meeting.status
    counted = (MeetingStatus.HELD.value, MeetingStatus.NO_SHOW.value, MeetingStatus.CANCELLED.value)
    rows = session.execute(
        select(
            Pair.cohort_id,
            func.count(case((status == MeetingStatus.HELD.value, 1))),
            func.count(case((status == MeetingStatus.NO_SHOW.value, 1))),
            func.count(case((status == MeetingStatus.CANCELLED.value, 1))),
            func.count(func.distinct(Meeting.pair_id)),
        )
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(
            status.in_(counted),
            *_pair_scope(Meeting.pair_id, filters),
            *_in_range(Meeting.start_at, filters),
        )
        .group_by(Pair.cohort_id)
    ).all()
    return [CohortOutcomes(*row) for row in rows]


def _last_met(now: datetime) -> Any:
    # As the pair pages count it: the latest held meeting, or a confirmed one that has
    # ended and waits for its log.
    counted = (Meeting.status == MeetingStatus.HELD.value) | (
        (Meeting.status == MeetingStatus.CONFIRMED.value) & (Meeting.end_at <= now)
    )
    # Only active pairs can be late: their meetings alone are read (by the pair index).
    active = select(Pair.id).where(Pair.status == PairStatus.ACTIVE.value)
    return (
        select(Meeting.pair_id, func.max(Meeting.start_at).label("last_met"))
        .where(counted, Meeting.pair_id.in_(active))
        .group_by(Meeting.pair_id)
        .subquery("last_met")
    )


def _days_late(session: Session, now: datetime) -> tuple[Any, Any]:
    """(days since the pair last met or started, the join target) for tracked pairs."""
    dialect = _dialect(session)
    last = _last_met(now)
    if dialect == "sqlite":
        started = func.max(func.date(Pair.created_at), Cohort.start_date)
    else:
        started = func.greatest(_day(Pair.created_at, dialect), Cohort.start_date)
    anchor = func.coalesce(_day(last.c.last_met, dialect), started)
    today = literal(now.date(), Date)
    return _days_between(today, anchor, dialect), last


def _tracked(now: datetime) -> list[Any]:
    return [
        Pair.status == PairStatus.ACTIVE.value,
        Cohort.status != "closed",
        Cohort.end_date >= now.date(),
    ]


def cadence_by_cohort(
    session: Session, filters: ReportFilter, now: datetime
) -> list[CohortCadence]:
    """Per cohort: active pairs whose cadence applies, and those within it (one query)."""
    days, last = _days_late(session, now)
    rows = session.execute(
        select(
            Pair.cohort_id,
            func.count(Pair.id),
            func.count(case((days <= Cohort.cadence_days, 1))),
        )
        .join(Cohort, Cohort.id == Pair.cohort_id)
        .outerjoin(last, last.c.pair_id == Pair.id)
        .where(*_tracked(now), *_pair_scope(Pair.id, filters))
        .group_by(Pair.cohort_id)
    ).all()
    return [CohortCadence(*row) for row in rows]


def first_meeting_delays(session: Session, filters: ReportFilter) -> list[FirstMeetingDelay]:
    """Per cohort, how many pairs held their first meeting N days after publishing."""
    dialect = _dialect(session)
    first = (
        select(Meeting.pair_id, func.min(Meeting.start_at).label("first_at"))
        .where(Meeting.status == MeetingStatus.HELD.value, *_pair_scope(Meeting.pair_id, filters))
        .group_by(Meeting.pair_id)
        .subquery("first")
    )
    days = _days_between(_day(first.c.first_at, dialect), _day(Pair.created_at, dialect), dialect)
    rows = session.execute(
        select(Pair.cohort_id, days.label("days"), func.count())
        .join(first, first.c.pair_id == Pair.id)
        .where(*_pair_scope(Pair.id, filters), *_in_range(first.c.first_at, filters))
        .group_by(Pair.cohort_id, days)
    ).all()
    return [FirstMeetingDelay(cohort_id, int(d), n) for cohort_id, d, n in rows]


# Satisfaction -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingGroup:
    """Meeting logs of one cohort and side that gave one rating, and their authors."""

    cohort_id: int
    side: str
    rating: int
    logs: int
    authors: int


@dataclass(frozen=True)
class RaterCount:
    """How many people of one cohort and side rated at least one meeting."""

    cohort_id: int
    side: str
    authors: int


def _logs(
    filters: ReportFilter, *, rated: bool = True, with_person: bool = False
) -> tuple[Any, Any]:
    """(the author's side, a function making a statement over the selected logs)."""
    author_enrollment = aliased(Enrollment, name="author_enrollment")
    side = author_enrollment.side
    conditions = [*_in_range(Meeting.start_at, filters)]
    if rated:
        conditions.append(MeetingLog.rating.is_not(None))
    if filters.cohort_ids:
        conditions.append(Pair.cohort_id.in_(filters.cohort_ids))
    if filters.department:
        conditions.append(Person.department == filters.department)
    if filters.side in SIDES:
        conditions.append(side == filters.side)

    def statement(*columns: Any) -> Any:
        # The author's enrollment is theirs in the pair's cohort (one per person and
        # cohort): an index lookup rather than a test against both members of the pair.
        query = (
            select(*columns)
            .select_from(MeetingLog)
            .join(Meeting, Meeting.id == MeetingLog.meeting_id)
            .join(Pair, Pair.id == Meeting.pair_id)
            .join(
                author_enrollment,
                and_(
                    author_enrollment.cohort_id == Pair.cohort_id,
                    author_enrollment.person_id == MeetingLog.author_id,
                ),
            )
            .where(*conditions)
        )
        if with_person or filters.department:
            query = query.join(Person, Person.id == MeetingLog.author_id)
        return query

    return side, statement


def ratings(session: Session, filters: ReportFilter) -> tuple[list[RatingGroup], list[RaterCount]]:
    """Per cohort, side and rating 1-5: logs and distinct authors; and per cohort and
    side, how many people rated a meeting. One query: both aggregate the same per-author
    groups, which the database computes once."""
    # Logs first grouped by pair, author and rating (the indexes answer it alone), then
    # placed in their cohort and side: the joins run on a few groups per person, not on
    # every log.
    per_pair = (
        select(
            Meeting.pair_id.label("pair_id"),
            MeetingLog.author_id.label("author_id"),
            MeetingLog.rating.label("rating"),
            func.count().label("logs"),
        )
        .join(Meeting, Meeting.id == MeetingLog.meeting_id)
        .where(
            MeetingLog.rating.is_not(None),
            *_in_range(Meeting.start_at, filters),
            *_pair_scope(Meeting.pair_id, ReportFilter(cohort_ids=filters.cohort_ids)),
        )
        .group_by(Meeting.pair_id, MeetingLog.author_id, MeetingLog.rating)
        .subquery("per_pair")
    )
    author_enrollment = aliased(Enrollment, name="author_enrollment")
    side = author_enrollment.side
    per_author_query = (
        select(
            Pair.cohort_id.label("cohort_id"),
            side.label("side"),
            per_pair.c.author_id,
            per_pair.c.rating,
            func.sum(per_pair.c.logs).label("logs"),
        )
        .select_from(per_pair)
        .join(Pair, Pair.id == per_pair.c.pair_id)
        .join(
            author_enrollment,
            and_(
                author_enrollment.cohort_id == Pair.cohort_id,
                author_enrollment.person_id == per_pair.c.author_id,
            ),
        )
    )
    if filters.cohort_ids:
        per_author_query = per_author_query.where(Pair.cohort_id.in_(filters.cohort_ids))
    if filters.side in SIDES:
        per_author_query = per_author_query.where(side == filters.side)
    if filters.department:
        per_author_query = per_author_query.join(Person, Person.id == per_pair.c.author_id).where(
            Person.department == filters.department
        )
    per_author = per_author_query.group_by(
        Pair.cohort_id, side, per_pair.c.author_id, per_pair.c.rating
    ).cte("per_author")
    c = per_author.c
    by_rating = select(
        literal(1).label("kind"),
        c.cohort_id,
        c.side,
        c.rating,
        func.sum(c.logs),
        func.count(),
    ).group_by(c.cohort_id, c.side, c.rating)
    by_side = select(
        literal(2).label("kind"),
        c.cohort_id,
        c.side,
        literal(0).label("rating"),
        func.sum(c.logs),
        func.count(func.distinct(c.author_id)),
    ).group_by(c.cohort_id, c.side)
    groups, raters = [], []
    for kind, cohort_id, author_side, rating, logs, authors in session.execute(
        union_all(by_rating, by_side)
    ):
        if kind == 1:
            groups.append(RatingGroup(cohort_id, author_side, rating, int(logs), authors))
        else:
            raters.append(RaterCount(cohort_id, author_side, authors))
    return groups, raters


# Learning gain ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfidencePairs:
    """People of one cohort and side who rated a topic `start` then `end`."""

    cohort_id: int
    side: str
    topic_id: int
    topic: str
    start: int
    end: int
    people: int


def confidence_pairs(session: Session, filters: ReportFilter) -> list[ConfidencePairs]:
    """Start and end confidence of the same people, grouped by their two ratings.

    At most 25 groups per topic and side, from which means, gains and the paired test
    follow exactly (one query).
    """
    start, end = aliased(SelfAssessment), aliased(SelfAssessment)
    rows = session.execute(
        select(
            Enrollment.cohort_id,
            Enrollment.side,
            Topic.id,
            Topic.name,
            start.confidence,
            end.confidence,
            func.count(),
        )
        .select_from(start)
        .join(
            end,
            and_(
                end.enrollment_id == start.enrollment_id,
                end.topic_id == start.topic_id,
                end.phase == AssessmentPhase.END.value,
            ),
        )
        .join(Enrollment, Enrollment.id == start.enrollment_id)
        .join(Person, Person.id == Enrollment.person_id)
        .join(Topic, Topic.id == start.topic_id)
        .where(start.phase == AssessmentPhase.START.value, *_people_where(filters))
        .group_by(
            Enrollment.cohort_id,
            Enrollment.side,
            Topic.id,
            Topic.name,
            start.confidence,
            end.confidence,
        )
    ).all()
    return [ConfidencePairs(*row) for row in rows]


# HR only: pairs at risk, shareable feedback ----------------------------------------------------

# Why a pair is at risk, in the order HR reads them. Add a reason here and a query in
# `at_risk_pairs` (e.g. a member's request to end the pair).
RISK_OVERDUE = "overdue"
RISK_NO_SHOWS = "no_shows"
RISK_LOW_RATINGS = "low_ratings"
RISK_NO_GOAL = "no_goal"
RISK_ABSENT = "absent"
RISK_REASONS = (RISK_OVERDUE, RISK_NO_SHOWS, RISK_LOW_RATINGS, RISK_NO_GOAL, RISK_ABSENT)

ABSENT_DAYS = 30
LOW_MEAN_RATING = 3
RECENT_LOGS = 3


@dataclass
class PairRisk:
    """An active pair at risk, with each reason in plain words (HR only)."""

    pair_id: int
    cohort_id: int
    cohort: str
    mentor: str
    mentee: str
    reasons: dict[str, str] = field(default_factory=dict)


def at_risk_pairs(session: Session, cohort_ids: Sequence[int], now: datetime) -> list[PairRisk]:
    """Active pairs with at least one risk reason, by cohort then mentee (five queries)."""
    mentor_e, mentee_e = aliased(Enrollment), aliased(Enrollment)
    mentor_p, mentee_p = aliased(Person), aliased(Person)
    days, last = _days_late(session, now)
    scope = [Pair.status == PairStatus.ACTIVE.value]
    if cohort_ids:
        scope.append(Pair.cohort_id.in_(cohort_ids))
    absent_before = now - timedelta(days=ABSENT_DAYS)
    tracked = and_(Cohort.status != "closed", Cohort.end_date >= now.date())
    rows = session.execute(
        select(
            Pair.id,
            Pair.cohort_id,
            Cohort.name,
            mentor_p.name,
            mentee_p.name,
            case((tracked, days - Cohort.cadence_days), else_=None).label("late"),
            Cohort.at_risk_grace_days,
            mentor_p.last_login_at,
            mentee_p.last_login_at,
        )
        .join(Cohort, Cohort.id == Pair.cohort_id)
        .join(mentor_e, mentor_e.id == Pair.mentor_enrollment_id)
        .join(mentee_e, mentee_e.id == Pair.mentee_enrollment_id)
        .join(mentor_p, mentor_p.id == mentor_e.person_id)
        .join(mentee_p, mentee_p.id == mentee_e.person_id)
        .outerjoin(last, last.c.pair_id == Pair.id)
        .where(*scope)
        .order_by(Cohort.start_date.desc(), mentee_p.name)
    ).all()
    pairs = {
        row[0]: PairRisk(
            pair_id=row[0], cohort_id=row[1], cohort=row[2], mentor=row[3], mentee=row[4]
        )
        for row in rows
    }
    for row in rows:
        risk = pairs[row[0]]
        late, grace = row[5], row[6]
        if late is not None and late > grace:
            risk.reasons[RISK_OVERDUE] = (
                f"No meeting for {late} days past the cadence (grace period {grace} days)"
            )
        absent = [
            role
            for role, seen in (("mentor", row[7]), ("mentee", row[8]))
            if seen is None or _aware(seen) < absent_before
        ]
        if absent:
            risk.reasons[RISK_ABSENT] = (
                f"The {' and the '.join(absent)} {'has' if len(absent) == 1 else 'have'} "
                f"not signed in for {ABSENT_DAYS} days"
            )
    scoped = select(Pair.id).where(*scope)

    # The last two meetings that happened or should have (held or no-show).
    order = func.row_number().over(
        partition_by=Meeting.pair_id, order_by=(Meeting.start_at.desc(), Meeting.id.desc())
    )
    recent = (
        select(Meeting.pair_id, Meeting.status, order.label("n"))
        .where(
            Meeting.pair_id.in_(scoped),
            Meeting.status.in_((MeetingStatus.HELD.value, MeetingStatus.NO_SHOW.value)),
        )
        .subquery("recent")
    )
    for (pair_id,) in session.execute(
        select(recent.c.pair_id)
        .where(recent.c.n <= 2, recent.c.status == MeetingStatus.NO_SHOW.value)
        .group_by(recent.c.pair_id)
        .having(func.count() == 2)
    ):
        pairs[pair_id].reasons[RISK_NO_SHOWS] = "The last two meetings were no-shows"

    log_order = func.row_number().over(
        partition_by=Meeting.pair_id,
        order_by=(Meeting.start_at.desc(), MeetingLog.created_at.desc(), MeetingLog.id.desc()),
    )
    logs = (
        select(Meeting.pair_id, MeetingLog.rating, log_order.label("n"))
        .join(Meeting, Meeting.id == MeetingLog.meeting_id)
        .where(Meeting.pair_id.in_(scoped), MeetingLog.rating.is_not(None))
        .subquery("logs")
    )
    for pair_id, mean in session.execute(
        select(logs.c.pair_id, func.avg(logs.c.rating))
        .where(logs.c.n <= RECENT_LOGS)
        .group_by(logs.c.pair_id)
        .having(func.avg(logs.c.rating) < LOW_MEAN_RATING)
    ):
        pairs[pair_id].reasons[RISK_LOW_RATINGS] = (
            f"Mean rating {float(mean):.1f} over the last {RECENT_LOGS} logs"
        )

    held = (
        select(Meeting.pair_id, func.count().label("held"))
        .where(Meeting.pair_id.in_(scoped), Meeting.status == MeetingStatus.HELD.value)
        .group_by(Meeting.pair_id)
        .subquery("held")
    )
    has_goal = select(Goal.id).where(
        Goal.pair_id == held.c.pair_id, Goal.status != GoalStatus.DROPPED.value
    )
    for pair_id, count in session.execute(
        select(held.c.pair_id, held.c.held).where(held.c.held >= 2, ~has_goal.exists())
    ):
        pairs[pair_id].reasons[RISK_NO_GOAL] = f"No goal after {count} meetings held"

    at_risk = [risk for risk in pairs.values() if risk.reasons]
    for risk in at_risk:
        risk.reasons = {key: risk.reasons[key] for key in RISK_REASONS if key in risk.reasons}
    return at_risk


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@dataclass(frozen=True)
class SharedFeedback:
    """Feedback its author marked shareable with HR."""

    cohort_id: int
    cohort: str
    pair_id: int
    author: str
    side: str
    rating: int | None
    feedback: str
    meeting_start: datetime
    written_at: datetime


@dataclass(frozen=True)
class SideRating:
    """The mean meeting rating one side of a cohort's pairs gives."""

    cohort_id: int
    side: str
    mean: float
    logs: int


def shared_feedback(session: Session, filters: ReportFilter) -> list[SharedFeedback]:
    """Feedback marked shareable in the selected cohorts, newest first (one query)."""
    side, statement = _logs(ReportFilter(filters.cohort_ids), rated=False, with_person=True)
    rows = session.execute(
        statement(
            Pair.cohort_id,
            Cohort.name,
            Pair.id,
            Person.name,
            side,
            MeetingLog.rating,
            MeetingLog.feedback,
            Meeting.start_at,
            MeetingLog.created_at,
        )
        .join(Cohort, Cohort.id == Pair.cohort_id)
        .where(MeetingLog.feedback_shareable.is_(True), MeetingLog.feedback != "")
        .order_by(Cohort.start_date.desc(), Cohort.id, MeetingLog.created_at.desc())
    ).all()
    return [SharedFeedback(*row) for row in rows]


def side_ratings(session: Session, filters: ReportFilter) -> list[SideRating]:
    """Per cohort and side, the mean rating and the number of rated logs (one query)."""
    side, statement = _logs(ReportFilter(filters.cohort_ids))
    rows = session.execute(
        statement(
            Pair.cohort_id, side, func.avg(MeetingLog.rating), func.count(MeetingLog.id)
        ).group_by(Pair.cohort_id, side)
    ).all()
    return [SideRating(cohort_id, s, float(mean), n) for cohort_id, s, mean, n in rows]


# Benchmark baseline ---------------------------------------------------------------------------


def meetings_by_cohort_and_month(session: Session) -> list[tuple[int, str, int]]:
    """The bare GROUP BY the benchmark compares report pages with."""
    month = _month(Meeting.start_at, _dialect(session))
    return [
        tuple(row)
        for row in session.execute(
            select(Pair.cohort_id, month, func.count())
            .join(Pair, Pair.id == Meeting.pair_id)
            .group_by(Pair.cohort_id, month)
        )
    ]
