"""Reading meetings: a pair's meetings, a person's upcoming ones, and the figures
and cadence of many pairs (metadata only, never notes: HR reads these) in few queries.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from mentoring.cohorts.models import Cohort, CohortStatus
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.matching.models import Pair, PairStatus
from mentoring.meetings.common import pair_ids_of
from mentoring.meetings.models import (
    PLANNED_STATUSES,
    LogOutcome,
    Meeting,
    MeetingLog,
    MeetingStatus,
)
from mentoring.meetings.timezones import utc_to_local

LOW_RATING = 2


@dataclass(frozen=True)
class CadenceStatus:
    """Where a pair stands against its cohort's cadence.

    `next_due` is None when the cadence does not apply (the pair ended, the cohort
    closed or is over): such a pair is never overdue.
    """

    next_due: date | None
    overdue: bool
    last_meeting: datetime | None
    next_meeting: datetime | None = None
    days_overdue: int = 0

    def planned_days_late(self, zone: str) -> int:
        """How many days after the due date the next planned meeting falls, on the
        calendar of `zone` (the viewer's): 0 when it is on time or none is planned."""
        if self.next_due is None or self.next_meeting is None:
            return 0
        planned_on = utc_to_local(self.next_meeting, zone).date()
        return max((planned_on - self.next_due).days, 0)


@dataclass(frozen=True)
class PairMeetingSummary:
    """A pair's meeting figures: metadata only, never notes."""

    pair_id: int
    held: int
    no_show: int
    cancelled: int
    upcoming: int
    awaiting_log: int
    logged_no_shows: int
    ratings: int
    average_rating: float | None
    low_ratings: int
    last_meeting: datetime | None
    next_meeting: datetime | None
    cadence: CadenceStatus


def pair_meeting_summaries(
    pair_ids: Collection[int], *, now: datetime | None = None
) -> dict[int, PairMeetingSummary]:
    """Meeting figures and cadence status for many pairs, in one query in all.

    The last meeting is the latest held one, or a confirmed one that has ended and is
    not logged yet (it probably took place); no-shows and cancellations do not count.
    """
    now = now or utcnow()
    ids = sorted(set(pair_ids))
    if not ids:
        return {}
    status = Meeting.status
    coming = status.in_(PLANNED_STATUSES) & (Meeting.start_at > now)
    unlogged = (status == MeetingStatus.CONFIRMED.value) & (Meeting.end_at <= now)
    counted = (status == MeetingStatus.HELD.value) | unlogged

    def meetings_where(condition):
        # A meeting appears once per log (up to one per member): count meetings, not rows.
        return func.count(func.distinct(case((condition, Meeting.id))))

    pairs = db.session.execute(
        select(
            Pair.id,
            Pair.status,
            Pair.created_at,
            Cohort.cadence_days,
            Cohort.start_date,
            Cohort.end_date,
            Cohort.status.label("cohort_status"),
            meetings_where(status == MeetingStatus.HELD.value).label("held"),
            meetings_where(status == MeetingStatus.NO_SHOW.value).label("no_show"),
            meetings_where(status == MeetingStatus.CANCELLED.value).label("cancelled"),
            meetings_where(coming).label("upcoming"),
            meetings_where(unlogged).label("awaiting_log"),
            func.max(case((counted, Meeting.start_at))).label("last_meeting"),
            func.min(case((coming, Meeting.start_at))).label("next_meeting"),
            func.count(case((MeetingLog.outcome == LogOutcome.NO_SHOW.value, MeetingLog.id))).label(
                "logged_no_shows"
            ),
            func.count(MeetingLog.rating).label("ratings"),
            func.avg(MeetingLog.rating).label("average_rating"),
            func.count(case((MeetingLog.rating <= LOW_RATING, MeetingLog.id))).label("low_ratings"),
        )
        .join(Cohort, Cohort.id == Pair.cohort_id)
        .outerjoin(Meeting, Meeting.pair_id == Pair.id)
        .outerjoin(MeetingLog, MeetingLog.meeting_id == Meeting.id)
        .where(Pair.id.in_(ids))
        .group_by(
            Pair.id,
            Pair.status,
            Pair.created_at,
            Cohort.cadence_days,
            Cohort.start_date,
            Cohort.end_date,
            Cohort.status,
        )
    ).all()
    summaries = {}
    for pair in pairs:
        last = _as_utc(pair.last_meeting)
        upcoming = _as_utc(pair.next_meeting)
        summaries[pair.id] = PairMeetingSummary(
            pair_id=pair.id,
            held=pair.held,
            no_show=pair.no_show,
            cancelled=pair.cancelled,
            upcoming=pair.upcoming,
            awaiting_log=pair.awaiting_log,
            logged_no_shows=pair.logged_no_shows,
            ratings=pair.ratings,
            average_rating=(
                None if pair.average_rating is None else round(float(pair.average_rating), 2)
            ),
            low_ratings=pair.low_ratings,
            last_meeting=last,
            next_meeting=upcoming,
            cadence=_cadence(pair, last, upcoming, now),
        )
    return summaries


def _as_utc(value: datetime | str | None) -> datetime | None:
    # Aggregates keep the column type on PostgreSQL; SQLite may hand back text.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _cadence(
    pair: Row[Any], last: datetime | None, upcoming: datetime | None, now: datetime
) -> CadenceStatus:
    tracked = (
        pair.status == PairStatus.ACTIVE.value
        and pair.cohort_status != CohortStatus.CLOSED.value
        and now.date() <= pair.end_date
    )
    if not tracked:
        return CadenceStatus(next_due=None, overdue=False, last_meeting=last, next_meeting=upcoming)
    since = last.date() if last else max(pair.created_at.date(), pair.start_date)
    next_due = since + timedelta(days=pair.cadence_days)
    late = (now.date() - next_due).days
    return CadenceStatus(
        next_due=next_due,
        overdue=late > 0,
        last_meeting=last,
        next_meeting=upcoming,
        days_overdue=max(late, 0),
    )


def cadence_status(pair: Pair, now: datetime | None = None) -> CadenceStatus:
    """Whether a pair is keeping its cohort's cadence: next meeting due by, overdue."""
    return pair_meeting_summaries([pair.id], now=now)[pair.id].cadence


def overdue_pairs(
    *, now: datetime | None = None, cohort_id: int | None = None, person_id: int | None = None
) -> list[tuple[int, CadenceStatus]]:
    """Active pairs with no meeting within their cadence, most overdue first, in four
    queries: all of them, one cohort's, or one person's (for their home page)."""
    now = now or utcnow()
    statement = select(Pair.id).where(Pair.status == PairStatus.ACTIVE.value)
    if cohort_id is not None:
        statement = statement.where(Pair.cohort_id == cohort_id)
    if person_id is not None:
        statement = statement.where(Pair.id.in_(pair_ids_of(person_id)))
    summaries = pair_meeting_summaries(db.session.scalars(statement).all(), now=now)
    late = [(pair_id, s.cadence) for pair_id, s in summaries.items() if s.cadence.overdue]
    return sorted(late, key=lambda item: (-item[1].days_overdue, item[0]))


def pair_meetings(pair: Pair) -> list[Meeting]:
    """Every meeting of a pair, oldest first, with its series, its logs and their topics."""
    # No loader for the logs' authors: they are the pair's two members, which the pair
    # page loads with the pair, so each author comes from the session without a query.
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.pair_id == pair.id)
            .options(
                selectinload(Meeting.logs).joinedload(MeetingLog.topics),
                joinedload(Meeting.series),
            )
            .order_by(Meeting.start_at, Meeting.id)
        )
    )


def upcoming_meetings_of(pairs: Sequence[Pair], *, now: datetime | None = None) -> list[Meeting]:
    """The planned meetings of a person's pairs that have not ended, soonest first.

    `pairs` come with their members loaded (`pairs_of`): each meeting's pair, and its
    people, then come from the session without a query.
    """
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.pair_id.in_([pair.id for pair in pairs]),
                Meeting.status.in_(PLANNED_STATUSES),
                Meeting.end_at > now,
            )
            .order_by(Meeting.start_at)
            .limit(50)
        )
    )
