"""Meetings and ratings per pair and UTC month: the summary the reports sum.

The reports read `report_pair_month` (about a tenth of the meetings' rows) instead of
every meeting and log, and its sum per pair `report_pair_total` (a tenth of that again)
for figures over the whole program. Both are kept up to date in the same transaction as
the writes: a session listener, connected here by the reports (meetings know nothing of
it), recounts the rows of each pair whose meetings or logs a flush touched, from the same
aggregates `pair_month_rows` and `pair_total_rows` that `rebuild` runs over every pair
(`flask reports rebuild-summary` after a bulk load that bypassed the ORM). No Flask import.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    case,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from mentoring.cohorts.models import Enrollment
from mentoring.db import UTCDateTime
from mentoring.extensions import db
from mentoring.matching.models import Pair
from mentoring.meetings.models import Meeting, MeetingLog, MeetingStatus

RATINGS = (1, 2, 3, 4, 5)
SIDES = ("mentee", "mentor")


class _Counted:
    """The columns both summaries count: meetings by outcome, then each side's ratings."""

    held: Mapped[int]
    no_show: Mapped[int]
    cancelled: Mapped[int]
    first_held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mentee_rated_1: Mapped[int]
    mentee_rated_2: Mapped[int]
    mentee_rated_3: Mapped[int]
    mentee_rated_4: Mapped[int]
    mentee_rated_5: Mapped[int]
    mentor_rated_1: Mapped[int]
    mentor_rated_2: Mapped[int]
    mentor_rated_3: Mapped[int]
    mentor_rated_4: Mapped[int]
    mentor_rated_5: Mapped[int]


class PairMonth(_Counted, db.Model):
    """One pair's meetings in one UTC month by outcome, and its members' ratings of them.

    `first_held_at` is the start of the month's first held meeting; `mentee_rated_3`
    counts the logs in which the pair's mentee rated a meeting of the month 3, whatever
    the meeting's status.
    """

    __tablename__ = "report_pair_month"

    pair_id: Mapped[int] = mapped_column(
        ForeignKey("pair.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)


class PairTotal(_Counted, db.Model):
    """One pair's meetings by outcome and its members' ratings of them, all months
    together: the sum of its `PairMonth` rows (`first_held_at`: the first of them)."""

    __tablename__ = "report_pair_total"

    pair_id: Mapped[int] = mapped_column(
        ForeignKey("pair.id", ondelete="CASCADE"), primary_key=True
    )


COLUMNS = [column.name for column in PairMonth.__table__.columns]
TOTAL_COLUMNS = [column.name for column in PairTotal.__table__.columns]
COUNTED = [name for name in TOTAL_COLUMNS if name not in ("pair_id", "first_held_at")]


def rated_column(source: Any, side: str, rating: int) -> Any:
    """The column counting one side's logs that gave one rating, in a row source."""
    return getattr(source.c if hasattr(source, "c") else source, f"{side}_rated_{rating}")


def month_of(column: Any, dialect: str) -> Any:
    """The first day of a timestamp's UTC month, as a date."""
    if dialect == "sqlite":
        return type_coerce(func.strftime("%Y-%m-01", column), Date)
    return cast(func.date_trunc("month", func.timezone("UTC", column)), Date)


def pair_month_rows(dialect: str, *conditions: Any, ratings: bool = True) -> Any:
    """The summary's rows computed from the meetings and logs that meet `conditions`.

    Conditions are on `Meeting` (pairs, start times); one row per pair and month. Without
    `ratings` the logs are not read and the rating counts are 0 (figures of meetings only).
    """
    month = month_of(Meeting.start_at, dialect)
    columns = [
        Meeting.pair_id.label("pair_id"),
        month.label("month"),
        Meeting.status.label("status"),
        Meeting.start_at.label("start_at"),
    ]
    meetings = select(*columns).where(*conditions)
    if ratings:
        mentee, mentor = aliased(Enrollment), aliased(Enrollment)
        # Each member's rating of the meeting: one lookup in the unique (meeting, author)
        # index per meeting, whatever plan the database would choose for a join.
        meetings = (
            select(
                *columns,
                *[
                    select(MeetingLog.rating)
                    .where(
                        MeetingLog.meeting_id == Meeting.id,
                        MeetingLog.author_id == member.person_id,
                    )
                    .scalar_subquery()
                    .label(side)
                    for side, member in (("mentee", mentee), ("mentor", mentor))
                ],
            )
            # "+ 0" keeps SQLite from reading the meetings pair by pair through the pair
            # index: the conditions (a start-time range, a few pairs) pick them first.
            .join(Pair, Pair.id == Meeting.pair_id + 0)
            .join(mentee, mentee.id == Pair.mentee_enrollment_id)
            .join(mentor, mentor.id == Pair.mentor_enrollment_id)
            .where(*conditions)
            # OFFSET 0 keeps PostgreSQL from copying the lookups into each of the ten
            # counts below (ten times the work, and a plan costly enough to compile).
            .offset(0)
        )
    rows = meetings.subquery("meetings")
    status = rows.c.status

    def counted(condition: Any) -> Any:
        return func.count(case((condition, 1)))

    held = status == MeetingStatus.HELD.value
    return select(
        rows.c.pair_id,
        rows.c.month,
        counted(held).label("held"),
        counted(status == MeetingStatus.NO_SHOW.value).label("no_show"),
        counted(status == MeetingStatus.CANCELLED.value).label("cancelled"),
        type_coerce(func.min(case((held, rows.c.start_at))), UTCDateTime).label("first_held_at"),
        *[
            (counted(getattr(rows.c, side) == rating) if ratings else literal(0, Integer)).label(
                f"{side}_rated_{rating}"
            )
            for side in SIDES
            for rating in RATINGS
        ],
    ).group_by(rows.c.month, rows.c.pair_id)


def pair_total_rows(source: Any, *conditions: Any) -> Any:
    """The pair totals summed from rows of the pair-month summary's columns (the table
    itself, or a subquery of the same columns) that meet `conditions`."""
    c = source.c if hasattr(source, "c") else source.__table__.c
    return (
        select(
            c.pair_id,
            *[func.sum(getattr(c, name)).label(name) for name in COUNTED[:3]],
            type_coerce(func.min(c.first_held_at), UTCDateTime).label("first_held_at"),
            *[func.sum(getattr(c, name)).label(name) for name in COUNTED[3:]],
        )
        .where(*conditions)
        .group_by(c.pair_id)
    )


def refresh_pairs(connection: Connection, pair_ids: Iterable[int]) -> None:
    """Recount the summary rows of these pairs from their meetings and logs."""
    ids = sorted(set(pair_ids))
    if not ids:
        return
    dialect = connection.dialect.name
    table = PairMonth.__table__
    if dialect == "postgresql":
        # Two transactions recounting one pair would both insert its rows: take turns.
        connection.execute(select(Pair.id).where(Pair.id.in_(ids)).with_for_update())
    connection.execute(delete(table).where(table.c.pair_id.in_(ids)))
    connection.execute(
        insert(table).from_select(COLUMNS, pair_month_rows(dialect, Meeting.pair_id.in_(ids)))
    )
    totals = PairTotal.__table__
    connection.execute(delete(totals).where(totals.c.pair_id.in_(ids)))
    connection.execute(
        insert(totals).from_select(
            TOTAL_COLUMNS, pair_total_rows(PairMonth, PairMonth.pair_id.in_(ids))
        )
    )


def rebuild(session: Session) -> int:
    """Recount the whole summary from every meeting and log; returns its row count."""
    connection = session.connection()
    table = PairMonth.__table__
    connection.execute(delete(PairTotal.__table__))
    connection.execute(delete(table))
    connection.execute(insert(table).from_select(COLUMNS, pair_month_rows(connection.dialect.name)))
    connection.execute(
        insert(PairTotal.__table__).from_select(TOTAL_COLUMNS, pair_total_rows(PairMonth))
    )
    return session.scalar(select(func.count()).select_from(table)) or 0


def _touched_pairs(session: Session) -> set[int]:
    """Pairs whose meetings or logs this flush adds, changes or deletes."""
    pair_ids: set[int] = set()
    meeting_ids: set[int] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Meeting):
            state = inspect(instance)
            pair_id = state.dict.get("pair_id")
            if pair_id is not None:
                pair_ids.add(pair_id)
            elif state.identity:
                meeting_ids.add(state.identity[0])
        elif isinstance(instance, MeetingLog):
            meeting_id = inspect(instance).dict.get("meeting_id")
            if meeting_id is not None:
                meeting_ids.add(meeting_id)
    if meeting_ids:
        pair_ids.update(
            session.connection().scalars(select(Meeting.pair_id).where(Meeting.id.in_(meeting_ids)))
        )
    return pair_ids


@event.listens_for(Session, "after_flush")
def _refresh_after_flush(session: Session, _context: Any) -> None:
    """Keep the summary in step with the meetings and logs, in the flush's transaction."""
    if not any(
        isinstance(instance, Meeting | MeetingLog)
        for instance in (*session.new, *session.dirty, *session.deleted)
    ):
        return
    refresh_pairs(session.connection(), _touched_pairs(session))
