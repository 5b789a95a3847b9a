"""Report aggregates, computed in SQL with GROUP BY: no Flask, no rows loaded one by one.

Each function takes a session and a `ReportFilter` and returns plain dataclasses of
grouped counts; `reports.figures` turns them into suppressed tables. Every function
runs a fixed number of queries whatever the data size.

Scope of the filters: cohorts and department select people (their own department) for
the per-person figures (funnel, adoption, learning, satisfaction) and pairs (the
executive's department) for the pair figures (meetings, cadence), no cohort chosen meaning
every cohort the filter offers (`reported_cohorts`: all but the drafts); the date range
selects events: meetings by their start, goals by their completion. Months are UTC months.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    true,
    union_all,
)
from sqlalchemy.orm import Bundle, Session, aliased

from mentoring.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus, Side
from mentoring.curriculum.models import GoalTemplate, Topic
from mentoring.goals.models import AssessmentPhase, Goal, GoalStatus, SelfAssessment
from mentoring.matching.models import Pair, PairStatus
from mentoring.meetings.models import Meeting, MeetingLog, MeetingStatus
from mentoring.people.models import Person
from mentoring.reports.summary import (
    RATINGS,
    TOTAL_COLUMNS,
    PairMonth,
    PairTotal,
    pair_month_rows,
    pair_total_rows,
    rated_column,
)
from mentoring.reports.suppression import (
    Gettext,
    Ngettext,
    english,
    english_plural,
    plain_decimal,
)
from mentoring.trust.models import EndRequest

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


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _activity(dialect: str, filters: ReportFilter, *, ratings: bool = False) -> Any:
    """The rows of `_activity_rows` as a CTE: read once however often the query uses them."""
    return _activity_rows(dialect, filters, ratings=ratings).cte("activity")


def _activity_rows(dialect: str, filters: ReportFilter, *, ratings: bool = False) -> Any:
    """Meetings and ratings per pair and month within the filters' dates and pairs.

    Whole months come from the summary `report_pair_month`; the days of a partial month
    at either edge of the date range are counted from the meetings themselves (by the
    start-time index), so the figures are exact for any range.
    """
    scope = _pair_scope(PairMonth.pair_id, filters)
    columns = [getattr(PairMonth, name).label(name) for name in _ACTIVITY_COLUMNS]
    if not filters.date_from and not filters.date_to:
        return select(*columns).where(*scope)
    # The summary's rating counts are exact; from the meetings they cost a read of the logs.
    start, end = filters.date_from, filters.date_to + timedelta(days=1) if filters.date_to else None
    first_whole = start if start is None or start.day == 1 else _next_month(start)
    end_whole = None if end is None else _first_of_month(end)
    whole = [
        *([PairMonth.month >= first_whole] if first_whole else []),
        *([PairMonth.month < end_whole] if end_whole else []),
    ]
    if first_whole and end_whole and first_whole >= end_whole:
        edges = [(start, end)]  # no whole month: every day from the meetings
        whole = [PairMonth.month.is_(None)]
    else:
        edges = [
            edge
            for edge in ((start, first_whole), (end_whole, end))
            if edge[0] is not None and edge[1] is not None and edge[0] < edge[1]
        ]
    parts = [select(*columns).where(*scope, *whole)]
    if edges:

        def instant(day: date) -> datetime:
            return datetime.combine(day, time(), UTC)

        # One statement per edge: a single range each, read from the start-time index.
        for low, high in edges:
            conditions = [
                Meeting.start_at >= instant(low),
                Meeting.start_at < instant(high),
                *_pair_scope(Meeting.pair_id, filters),
            ]
            parts.append(pair_month_rows(dialect, *conditions, ratings=ratings))
    return union_all(*parts)


_ACTIVITY_COLUMNS = [column.name for column in PairMonth.__table__.columns]


def _per_pair(dialect: str, filters: ReportFilter, *, ratings: bool = False) -> Any:
    """Meetings and ratings per pair within the filters' dates and pairs, as a CTE with
    the columns of `report_pair_total`.

    Without dates it is the pair totals of the summary itself; with dates, the rows of
    `_activity_rows` summed per pair (`ratings` as there).
    """
    if not filters.date_from and not filters.date_to:
        columns = [getattr(PairTotal, name).label(name) for name in TOTAL_COLUMNS]
        statement = select(*columns).where(*_pair_scope(PairTotal.pair_id, filters))
    else:
        statement = pair_total_rows(_activity_rows(dialect, filters, ratings=ratings).subquery())
    # Materialized: PostgreSQL would otherwise guess 200 pairs for a sum per pair and plan
    # the rest for them (a parallel plan that sums the months once per worker).
    return statement.cte("per_pair").prefix_with("MATERIALIZED", dialect="postgresql")


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


def reported_cohorts() -> Any:
    """The condition on `Cohort` of the cohorts the reports cover, and the filter offers:
    every one past its draft.

    A draft is still being set up, so "all cohorts" leaves it out as the filter does. It
    has no pairs (publishing a match run makes a cohort active, and an active cohort never
    goes back to draft), so only the figures of enrolled people need this condition.
    """
    return Cohort.status != CohortStatus.DRAFT.value


def _people_where(filters: ReportFilter) -> list[Any]:
    conditions = [Enrollment.status == EnrollmentStatus.ACTIVE.value]
    if filters.cohort_ids:
        conditions.append(Enrollment.cohort_id.in_(filters.cohort_ids))
    else:
        conditions.append(Enrollment.cohort_id.in_(select(Cohort.id).where(reported_cohorts())))
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
    """The cohorts the reports cover (`reported_cohorts`), newest first (one query)."""
    rows = session.execute(
        select(Cohort.id, Cohort.name, Cohort.status, Cohort.start_date, Cohort.end_date)
        .where(reported_cohorts())
        .order_by(Cohort.start_date.desc(), Cohort.id.desc())
    ).all()
    return [CohortChoice(*row) for row in rows]


def department_choices(session: Session) -> list[str]:
    """The departments of people enrolled in the cohorts the reports cover, in alphabetical
    order (one query)."""
    rows = session.scalars(
        select(Person.department)
        .join(Enrollment, Enrollment.person_id == Person.id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Person.department != "", reported_cohorts())
        .group_by(Person.department)
        .order_by(Person.department)
    )
    return list(rows)


# Funnel --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelGroup:
    """Enrollments of one cohort, side, department and seniority band at each funnel step
    (one per person in a cohort: summed over cohorts, a person counts once in each).

    Each step counts the enrollments that also passed every step before it.
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
    "Target reached and at least one goal done",
)


def funnel_groups(session: Session, filters: ReportFilter) -> list[FunnelGroup]:
    """The funnel, grouped by cohort, side, department and band (one query)."""
    members = union_all(
        select(Pair.id.label("pair_id"), Pair.mentee_enrollment_id.label("enrollment_id")),
        select(Pair.id.label("pair_id"), Pair.mentor_enrollment_id.label("enrollment_id")),
    ).subquery("members")
    held = _per_pair(
        _dialect(session),
        ReportFilter(filters.cohort_ids, date_from=filters.date_from, date_to=filters.date_to),
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


def _taken(filters: ReportFilter, key: Any) -> Any:
    """One row per person and `key` of their goals taken (a topic or a goal template):
    `done` is 1 when one of those goals was completed within the dates, else 0.

    Grouping the goals per person first makes the counts of people plain counts of rows:
    no DISTINCT over every goal, whose sort is most of the cost.
    """
    return (
        select(
            Goal.owner_enrollment_id.label("enrollment_id"),
            key.label("key"),
            func.max(case((_done(filters), 1), else_=0)).label("done"),
        )
        # A proposal its owner has not accepted is not taken yet.
        .where(
            or_(Goal.proposed_by_enrollment_id.is_(None), Goal.accepted_at.is_not(None)),
            key.is_not(None),
            *_owner_scope(filters),
        )
        .group_by(Goal.owner_enrollment_id, key)
        .subquery("taken")
    )


def _owner_scope(filters: ReportFilter) -> list[Any]:
    """Conditions keeping goals to owners within the filters (none when unfiltered)."""
    if not filters.cohort_ids and not filters.department and filters.side not in SIDES:
        return []
    owners = select(Enrollment.id).join(Person, Person.id == Enrollment.person_id)
    return [Goal.owner_enrollment_id.in_(owners.where(*_people_where(filters)))]


def _enrolled(filters: ReportFilter, *columns: Any) -> Any:
    """The enrollments in the filters, with these columns of them and of their person."""
    return (
        select(Enrollment.id, *columns)
        .join(Person, Person.id == Enrollment.person_id)
        .where(*_people_where(filters))
        # OFFSET 0 keeps PostgreSQL from folding this into the join with the goals, where
        # it would guess a few hundred rows and read them one by one through nested loops.
        .offset(0)
        .subquery("enrolled")
    )


def _done(filters: ReportFilter) -> Any:
    conditions = [Goal.status == GoalStatus.DONE.value, *_in_range(Goal.completed_at, filters)]
    return and_(*conditions)


def topic_adoption(session: Session, filters: ReportFilter) -> list[TopicAdoption]:
    """Per side, topic, department and band: people with a goal in it, and with one done."""
    taken = _taken(filters, Goal.topic_id)
    people = _enrolled(
        filters, Enrollment.side, Person.department, _band(Person.seniority_level).label("band")
    )
    groups = (people.c.side, taken.c.key, people.c.department, people.c.band)
    # Counted before the topics' names are joined: PostgreSQL then sizes the groups right.
    counts = (
        select(
            *groups,
            func.count().label("took"),
            func.count(case((taken.c.done == 1, 1))).label("done"),
        )
        .select_from(taken)
        .join(people, people.c.id == taken.c.enrollment_id)
        .group_by(*groups)
        .subquery("counts")
    )
    c = counts.c
    rows = session.execute(
        select(c.side, Topic.id, Topic.name, c.department, c.band, c.took, c.done).join(
            Topic, Topic.id == c.key
        )
    ).all()
    return [TopicAdoption(*row) for row in rows]


def template_adoption(session: Session, filters: ReportFilter) -> list[TemplateAdoption]:
    """Per side and goal template: people who took it, and who completed it (one query)."""
    taken = _taken(filters, Goal.template_id)
    people = _enrolled(filters, Enrollment.side)
    # Counted before the templates are joined, as in `topic_adoption`.
    counts = (
        select(
            people.c.side,
            taken.c.key,
            func.count().label("took"),
            func.count(case((taken.c.done == 1, 1))).label("done"),
        )
        .select_from(taken)
        .join(people, people.c.id == taken.c.enrollment_id)
        .group_by(people.c.side, taken.c.key)
        .subquery("counts")
    )
    c = counts.c
    rows = session.execute(
        select(c.side, Topic.name, GoalTemplate.id, GoalTemplate.title, c.took, c.done)
        .join(GoalTemplate, GoalTemplate.id == c.key)
        .join(Topic, Topic.id == GoalTemplate.topic_id)
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
    activity = _activity(_dialect(session), filters)
    held = func.sum(activity.c.held)
    # A pair has one row per month (the edges of a range are other months than the whole
    # ones): its pairs are counted without DISTINCT, whose sort would cost more than the rest.
    rows = session.execute(
        select(activity.c.month, held, func.count(case((activity.c.held > 0, 1))))
        .group_by(activity.c.month)
        .having(held > 0)
        .order_by(activity.c.month)
    ).all()
    return [MonthActivity(month_label(month), int(n), pairs) for month, n, pairs in rows]


def meeting_outcomes(session: Session, filters: ReportFilter) -> list[CohortOutcomes]:
    """Per cohort: meetings held, no-shows and cancellations, and pairs involved."""
    # Per pair first: the pairs involved are then counted without DISTINCT.
    c = _per_pair(_dialect(session), filters).c
    rows = session.execute(
        select(
            Pair.cohort_id,
            func.sum(c.held),
            func.sum(c.no_show),
            func.sum(c.cancelled),
            func.count(case((c.held + c.no_show + c.cancelled > 0, 1))),
        )
        .join(Pair, Pair.id == c.pair_id)
        .group_by(Pair.cohort_id)
        .having(func.sum(c.held + c.no_show + c.cancelled) > 0)
    ).all()
    return [CohortOutcomes(row[0], *(int(value) for value in row[1:])) for row in rows]


def _last_met(now: datetime) -> Any:
    """When the pair (the enclosing query's `Pair`) last met, as the pair pages count it:
    the latest held meeting, or a confirmed one that has ended and waits for its log.

    A correlated subquery reading the pair's meetings newest first by the (pair, start)
    index until one counts: a few index entries per pair, whatever the pair's history.
    """
    counted = (Meeting.status == MeetingStatus.HELD.value) | (
        (Meeting.status == MeetingStatus.CONFIRMED.value) & (Meeting.end_at <= now)
    )
    return (
        select(Meeting.start_at)
        .where(Meeting.pair_id == Pair.id, counted)
        .order_by(Meeting.start_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def _days_late(session: Session, now: datetime) -> Any:
    """Days since the pair (the enclosing query's `Pair`, joined to its `Cohort`) last met
    or started."""
    dialect = _dialect(session)
    if dialect == "sqlite":
        started = func.max(func.date(Pair.created_at), Cohort.start_date)
    else:
        started = func.greatest(_day(Pair.created_at, dialect), Cohort.start_date)
    anchor = func.coalesce(_day(_last_met(now), dialect), started)
    today = literal(now.date(), Date)
    return _days_between(today, anchor, dialect)


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
    days = _days_late(session, now)
    rows = session.execute(
        select(
            Pair.cohort_id,
            func.count(Pair.id),
            func.count(case((days <= Cohort.cadence_days, 1))),
        )
        .join(Cohort, Cohort.id == Pair.cohort_id)
        .where(*_tracked(now), *_pair_scope(Pair.id, filters))
        .group_by(Pair.cohort_id)
    ).all()
    return [CohortCadence(*row) for row in rows]


def first_meeting_delays(session: Session, filters: ReportFilter) -> list[FirstMeetingDelay]:
    """Per cohort, how many pairs held their first meeting N days after publishing."""
    dialect = _dialect(session)
    first = (
        select(PairTotal.pair_id, PairTotal.first_held_at.label("first_at"))
        .where(PairTotal.held > 0, *_pair_scope(PairTotal.pair_id, filters))
        .subquery("first")
    )
    days = _days_between(_day(first.c.first_at, dialect), _day(Pair.created_at, dialect), dialect)
    rows = session.execute(
        select(Pair.cohort_id, days.label("days"), func.count())
        .join(first, first.c.pair_id == Pair.id)
        .where(*_in_range(first.c.first_at, filters))
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
    side, how many people rated a meeting (one query).

    The pair-month summary already counts each member's ratings: they are summed per
    author (a member's enrollment in the pair's cohort), then per cohort and side.
    """
    # Per pair first (the summary's totals without dates), then per author on each side.
    activity = _per_pair(
        _dialect(session),
        ReportFilter(filters.cohort_ids, date_from=filters.date_from, date_to=filters.date_to),
        ratings=True,
    )
    per_side = []
    for side in filters.sides:
        author = (
            Pair.mentee_enrollment_id if side == Side.MENTEE.value else Pair.mentor_enrollment_id
        )
        statement = (
            select(
                Pair.cohort_id.label("cohort_id"),
                literal(side).label("side"),
                *[
                    func.sum(rated_column(activity, side, rating)).label(f"rated_{rating}")
                    for rating in RATINGS
                ],
            )
            .select_from(activity)
            .join(Pair, Pair.id == activity.c.pair_id)
            .group_by(Pair.cohort_id, author)
        )
        if filters.department:
            statement = (
                statement.join(Enrollment, Enrollment.id == author)
                .join(Person, Person.id == Enrollment.person_id)
                .where(Person.department == filters.department)
            )
        per_side.append(statement)
    per_author = union_all(*per_side).subquery("per_author")
    c = per_author.c
    counts = [getattr(c, f"rated_{rating}") for rating in RATINGS]
    columns = []
    for rated in counts:
        columns += [func.sum(rated), func.count(case((rated > 0, 1)))]
    rated_any = func.count(case((sum(counts[1:], counts[0]) > 0, 1)))
    groups, raters = [], []
    for cohort_id, side, *values in session.execute(
        select(c.cohort_id, c.side, *columns, rated_any).group_by(c.cohort_id, c.side)
    ):
        for rating, logs, authors in zip(RATINGS, values[0::2], values[1::2], strict=False):
            if logs:
                groups.append(RatingGroup(cohort_id, side, rating, int(logs), authors))
        if values[-1]:
            raters.append(RaterCount(cohort_id, side, values[-1]))
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
RISK_END_REQUEST = "end_request"
RISK_REASONS = (
    RISK_END_REQUEST,
    RISK_OVERDUE,
    RISK_NO_SHOWS,
    RISK_LOW_RATINGS,
    RISK_NO_GOAL,
    RISK_ABSENT,
)

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
    # The oldest open request of a member to end the pair (its page is HR's to decide on);
    # its reason stays on that page.
    end_request_id: int | None = None


def at_risk_pairs(
    session: Session,
    cohort_ids: Sequence[int],
    now: datetime,
    _: Gettext = english,
    ngettext: Ngettext = english_plural,
    decimal: Callable[[float, int], str] = plain_decimal,
) -> list[PairRisk]:
    """Active pairs with at least one risk reason, by cohort then mentee (five queries);
    the reasons are worded by `_` and `ngettext`, their decimals written by `decimal` (a
    value and its digits), English with plain numbers by default."""
    mentor_e, mentee_e = aliased(Enrollment), aliased(Enrollment)
    mentor_p, mentee_p = aliased(Person), aliased(Person)
    days = _days_late(session, now)
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
            risk.reasons[RISK_OVERDUE] = ngettext(
                "No meeting for %(num)d day past the cadence (grace period %(grace)s days)",
                "No meeting for %(num)d days past the cadence (grace period %(grace)s days)",
                late,
                grace=grace,
            )
        absent = [
            role
            for role, seen in (("mentor", row[7]), ("mentee", row[8]))
            if seen is None or _aware(seen) < absent_before
        ]
        if len(absent) == 2:
            risk.reasons[RISK_ABSENT] = _(
                "The mentor and the mentee have not signed in for %(days)s days", days=ABSENT_DAYS
            )
        elif absent == ["mentor"]:
            risk.reasons[RISK_ABSENT] = _(
                "The mentor has not signed in for %(days)s days", days=ABSENT_DAYS
            )
        elif absent:
            risk.reasons[RISK_ABSENT] = _(
                "The mentee has not signed in for %(days)s days", days=ABSENT_DAYS
            )
    scoped = select(Pair.id).where(*scope)

    # The last two meetings that happened or should have (held or no-show).
    no_show = MeetingStatus.NO_SHOW.value
    for (pair_id,) in session.execute(
        select(Pair.id).where(*scope, *(status == no_show for status in _last_outcomes(2)))
    ):
        pairs[pair_id].reasons[RISK_NO_SHOWS] = _("The last two meetings were no-shows")

    recent = (
        select(Pair.id, _recent_mean_rating(RECENT_LOGS).label("mean"))
        .where(*scope)
        .subquery("recent")
    )
    for pair_id, mean in session.execute(
        select(recent.c.id, recent.c.mean).where(recent.c.mean < LOW_MEAN_RATING)
    ):
        pairs[pair_id].reasons[RISK_LOW_RATINGS] = _(
            "Mean rating %(mean)s over the last %(logs)s logs",
            mean=decimal(float(mean), 1),
            logs=RECENT_LOGS,
        )

    held = (
        select(PairTotal.pair_id, PairTotal.held)
        .where(PairTotal.pair_id.in_(scoped))
        .subquery("held")
    )
    has_goal = select(Goal.id).where(
        Goal.pair_id == held.c.pair_id, Goal.status != GoalStatus.DROPPED.value
    )
    for pair_id, count in session.execute(
        select(held.c.pair_id, held.c.held).where(held.c.held >= 2, ~has_goal.exists())
    ):
        pairs[pair_id].reasons[RISK_NO_GOAL] = ngettext(
            "No goal after %(num)d meeting held", "No goal after %(num)d meetings held", count
        )

    # Requests HR has not decided on, as `trust.services.open_end_requests` selects them:
    # that a request exists, never its reason.
    for request_id, pair_id in session.execute(
        select(EndRequest.id, EndRequest.pair_id)
        .where(EndRequest.resolution.is_(None), EndRequest.pair_id.in_(scoped))
        .order_by(EndRequest.created_at.desc(), EndRequest.id.desc())
    ):
        pairs[pair_id].reasons[RISK_END_REQUEST] = _("A member asked HR to end the pair")
        pairs[pair_id].end_request_id = request_id  # the oldest comes last

    at_risk = [risk for risk in pairs.values() if risk.reasons]
    for risk in at_risk:
        risk.reasons = {key: risk.reasons[key] for key in RISK_REASONS if key in risk.reasons}
    return at_risk


def _last_outcomes(count: int) -> list[Any]:
    """The outcomes of the pair's (the enclosing query's `Pair`) last `count` meetings that
    happened or should have (held or no-show), newest first; NULL past the first meeting.

    Correlated subqueries reading the pair's meetings newest first by the (pair, start)
    index: a few index entries per pair, whatever the pair's history.
    """
    outcomes = (MeetingStatus.HELD.value, MeetingStatus.NO_SHOW.value)
    return [
        select(Meeting.status)
        .where(Meeting.pair_id == Pair.id, Meeting.status.in_(outcomes))
        .order_by(Meeting.start_at.desc(), Meeting.id.desc())
        .limit(1)
        .offset(n)
        .scalar_subquery()
        for n in range(count)
    ]


def _recent_mean_rating(logs: int) -> Any:
    """The mean rating of the pair's (the enclosing query's `Pair`) last `logs` rated logs,
    newest meeting first (NULL when it has none), read newest first as `_last_outcomes`."""
    recent = (
        select(MeetingLog.rating)
        .join(Meeting, Meeting.id == MeetingLog.meeting_id)
        .where(Meeting.pair_id == Pair.id, MeetingLog.rating.is_not(None))
        .order_by(Meeting.start_at.desc(), MeetingLog.created_at.desc(), MeetingLog.id.desc())
        .limit(logs)
        .correlate(Pair)
        .subquery("recent_logs")
    )
    return select(func.avg(recent.c.rating)).scalar_subquery()


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


class _FeedbackBundle(Bundle):
    """The columns of a `SharedFeedback`, loaded as one."""

    def create_row_processor(self, query: Any, procs: Any, labels: Any) -> Any:
        """Make each row a `SharedFeedback`."""

        def process(row: Any) -> SharedFeedback:
            return SharedFeedback(*(proc(row) for proc in procs))

        return process


def _shared(filters: ReportFilter) -> tuple[Any, Any]:
    """(the author's side, a function making a statement over the shareable feedback of
    the selected cohorts)."""
    side, statement = _logs(ReportFilter(filters.cohort_ids), rated=False, with_person=True)

    def shared(*columns: Any) -> Any:
        return statement(*columns).where(
            MeetingLog.feedback_shareable == true(), MeetingLog.feedback != ""
        )

    return side, shared


def shared_feedback_statement(filters: ReportFilter) -> Any:
    """Feedback marked shareable in the selected cohorts, cohort by cohort as
    `cohort_choices` lists them, newest first: a statement of `SharedFeedback` items to
    read a page at a time (`shared_feedback_counts` says how many each cohort has)."""
    side, shared = _shared(filters)
    item = _FeedbackBundle(
        "feedback",
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
    return (
        shared(item)
        .join(Cohort, Cohort.id == Pair.cohort_id)
        .order_by(
            Cohort.start_date.desc(),
            Cohort.id.desc(),
            MeetingLog.created_at.desc(),
            MeetingLog.id.desc(),
        )
    )


def shared_feedback_counts(session: Session, filters: ReportFilter) -> dict[int, int]:
    """How many feedbacks marked shareable each selected cohort has (one query)."""
    _side, shared = _shared(filters)
    rows = session.execute(shared(Pair.cohort_id, func.count()).group_by(Pair.cohort_id))
    return {cohort_id: count for cohort_id, count in rows}


def cohorts_on_page(
    cohort_ids: Sequence[int], counts: dict[int, int], page: int, per_page: int
) -> list[int]:
    """The cohorts whose section a page of the shared feedback shows, in order: those with
    feedback on the page, and those without any where the list would reach them."""
    pages = max(1, -(-sum(counts.values()) // per_page))
    first, end = (page - 1) * per_page, page * per_page
    shown, position = [], 0
    for cohort_id in cohort_ids:
        count = counts.get(cohort_id, 0)
        if count:
            if position < end and position + count > first:
                shown.append(cohort_id)
        elif min(position // per_page + 1, pages) == page:
            shown.append(cohort_id)
        position += count
    return shown


def side_ratings(session: Session, filters: ReportFilter) -> list[SideRating]:
    """Per cohort and side, the mean rating and the number of rated logs (one query)."""
    sums = [
        func.sum(sum(rating * rated_column(PairTotal, side, rating) for rating in RATINGS))
        for side in SIDES
    ]
    counts = [
        func.sum(sum(rated_column(PairTotal, side, rating) for rating in RATINGS)) for side in SIDES
    ]
    statement = (
        select(Pair.cohort_id, *sums, *counts)
        .join(Pair, Pair.id == PairTotal.pair_id)
        .group_by(Pair.cohort_id)
    )
    if filters.cohort_ids:
        statement = statement.where(Pair.cohort_id.in_(filters.cohort_ids))
    result = []
    for cohort_id, *values in session.execute(statement):
        for side, total, n in zip(SIDES, values[:2], values[2:], strict=True):
            if n:
                result.append(SideRating(cohort_id, side, int(total) / int(n), int(n)))
    return result


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
