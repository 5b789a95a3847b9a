"""Reading meetings: a pair's meetings, a person's upcoming ones, and the figures
and cadence of many pairs (metadata only, never notes: HR reads these) in few queries.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from math import ceil
from typing import Any

from flask_sqlalchemy.pagination import Pagination
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
# Past meetings shown at a time on the pair page.
PAST_PER_PAGE = 10


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


class PastMeetings(Pagination):
    """One page of a pair's past meetings, read with its upcoming ones: the pager of
    the other lists (`pagination_nav`) takes it as it takes `db.paginate`'s."""

    def _query_items(self) -> list[Meeting]:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]


@dataclass(frozen=True)
class PairMeetings:
    """What the pair page lists: every meeting that has not ended, soonest first, and
    one page of those that have, newest first."""

    upcoming: list[Meeting]
    past: PastMeetings


# The order of the past meetings on the pair page.
NEWEST_FIRST = (Meeting.start_at.desc(), Meeting.id.desc())


def _ended(pair_id: int, now: datetime):
    return (Meeting.pair_id == pair_id) & (Meeting.end_at <= now)


def pair_meetings_page(
    pair: Pair, page: int, *, now: datetime | None = None, per_page: int = PAST_PER_PAGE
) -> PairMeetings:
    """A pair's upcoming meetings and one page of its past ones (past the last page, the
    last one), with their series, logs and topics, in two queries.

    The number of past meetings comes with the meetings, so the pager costs no query of
    its own; only a page beyond the last costs a second look.
    """
    now = now or utcnow()
    ended = _ended(pair.id, now)
    count_past = select(func.count()).select_from(Meeting).where(ended)
    page = max(page, 1)
    on_page = (
        select(Meeting.id)
        .where(ended)
        .order_by(*NEWEST_FIRST)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    # No loader for the logs' authors: they are the pair's two members, which the pair
    # page loads with the pair, so each author comes from the session without a query.
    rows = db.session.execute(
        select(Meeting, count_past.scalar_subquery())
        .where(Meeting.pair_id == pair.id, (Meeting.end_at > now) | Meeting.id.in_(on_page))
        .options(
            selectinload(Meeting.logs).joinedload(MeetingLog.topics),
            joinedload(Meeting.series),
        )
        .order_by(Meeting.start_at, Meeting.id)
    ).all()
    meetings = [meeting for meeting, _ in rows]
    past = [m for m in reversed(meetings) if m.end_at <= now]
    if rows:
        total = rows[0][1]
    else:
        # Nothing to come and nothing on this page: none at all, or a page too far.
        total = 0 if page == 1 else db.session.scalar(count_past) or 0
    last_page = max(1, ceil(total / per_page))
    if not past and page > last_page:
        return pair_meetings_page(pair, last_page, now=now, per_page=per_page)
    return PairMeetings(
        upcoming=[m for m in meetings if m.end_at > now],
        past=PastMeetings(page=page, per_page=per_page, max_per_page=None, items=past, total=total),
    )


def past_meeting_pages(
    pair_id: int,
    meeting_ids: Collection[int],
    *,
    now: datetime | None = None,
    per_page: int = PAST_PER_PAGE,
) -> dict[int, int]:
    """The page of the pair page's past meetings that shows each meeting, in one query:
    1 for a meeting that has not ended (upcoming meetings are all on every page)."""
    now = now or utcnow()
    ids = set(meeting_ids)
    if not ids:
        return {}
    ranked = (
        select(Meeting.id, func.row_number().over(order_by=NEWEST_FIRST).label("position"))
        .where(_ended(pair_id, now))
        .subquery()
    )
    pages = dict.fromkeys(ids, 1)
    for meeting_id, position in db.session.execute(
        select(ranked.c.id, ranked.c.position).where(ranked.c.id.in_(ids))
    ):
        pages[meeting_id] = (position - 1) // per_page + 1
    return pages


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
