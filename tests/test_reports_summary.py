"""The reports' pair-month summary: kept equal to a from-scratch count through every write
the meeting services make, rebuilt by a command, and used for exact date ranges."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from mentoring.domain import RuleViolation
from mentoring.extensions import db as _db
from mentoring.matching.models import Pair
from mentoring.meetings.logs import LogEntry, edit_log, log_meeting
from mentoring.meetings.models import Meeting, MeetingLog, MeetingStatus
from mentoring.meetings.scheduling import (
    MeetingDetails,
    cancel_meeting,
    confirm_meeting,
    propose_meeting,
    reschedule_meeting,
)
from mentoring.reports import queries
from mentoring.reports.summary import (
    PairMonth,
    PairTotal,
    pair_month_rows,
    pair_total_rows,
    rebuild,
)

START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def stored() -> set[tuple]:
    """The summary as the app kept it."""
    columns = [getattr(PairMonth, c.name) for c in PairMonth.__table__.columns]
    return {tuple(row) for row in _db.session.execute(select(*columns))}


def from_scratch() -> set[tuple]:
    """The summary counted again from every meeting and log."""
    rows = pair_month_rows(_db.session.get_bind().dialect.name).subquery()
    return {tuple(row) for row in _db.session.execute(select(*rows.c))}


def stored_totals() -> set[tuple]:
    """The per-pair totals as the app kept them."""
    columns = [getattr(PairTotal, c.name) for c in PairTotal.__table__.columns]
    return {tuple(row) for row in _db.session.execute(select(*columns)) if any(row[1:])}


def totals_from_scratch() -> set[tuple]:
    """The per-pair totals summed again from a from-scratch count of every month."""
    months = pair_month_rows(_db.session.get_bind().dialect.name).subquery()
    rows = pair_total_rows(months).subquery()
    columns = [getattr(rows.c, c.name) for c in PairTotal.__table__.columns]
    return {tuple(row) for row in _db.session.execute(select(*columns)) if any(row[1:])}


def details(start: datetime) -> MeetingDetails:
    return MeetingDetails(
        start_date=start.date(),
        start_time=time(start.hour, 0),
        timezone="UTC",
        duration_minutes=60,
        location="Room 4",
    )


def _step(rng: random.Random, pairs: list[Pair], now: datetime) -> str | None:
    """One random write by a member of a random pair; returns its name when it ran."""
    pair = rng.choice(pairs)
    mentor, mentee = pair.mentor.person, pair.mentee.person
    member = rng.choice((mentor, mentee))
    other = mentee if member is mentor else mentor
    meetings = list(
        _db.session.scalars(select(Meeting).where(Meeting.pair_id == pair.id).order_by(Meeting.id))
    )
    planned = [m for m in meetings if m.is_planned and m.start_at > now]
    action = rng.choice(
        ("propose", "confirm", "confirm", "reschedule", "cancel", "log", "log", "edit")
    )
    if action == "propose" or not meetings:
        start = (now + timedelta(days=rng.randint(1, 40))).replace(
            hour=rng.randint(7, 17), minute=0, second=0, microsecond=0
        )
        propose_meeting(pair, details(start), actor=member, now=now)
        return "propose"
    if action == "confirm":
        waiting = [m for m in planned if m.status == "proposed" and m.proposed_by_id != member.id]
        if waiting:
            confirm_meeting(rng.choice(waiting), actor=member, now=now)
            return action
    elif action == "reschedule" and planned:
        start = (now + timedelta(days=rng.randint(1, 40))).replace(
            hour=rng.randint(7, 17), minute=0, second=0, microsecond=0
        )
        reschedule_meeting(rng.choice(planned), details(start), actor=member, now=now)
        return action
    elif action == "cancel" and planned:
        cancel_meeting(rng.choice(planned), "Busy", actor=member, now=now)
        return action
    elif action == "log":
        ended = [
            m
            for m in meetings
            if m.status in ("confirmed", "held", "no_show")
            and m.end_at <= now
            and m.log_by(member.id) is None
        ]
        if ended:
            entry = (
                LogEntry(outcome="held", actual_minutes=50, rating=rng.randint(1, 5))
                if rng.random() < 0.8
                else LogEntry(outcome="no_show")
            )
            log_meeting(rng.choice(ended), entry, actor=member, now=now)
            return action
    elif action == "edit":
        logs = [
            log
            for m in meetings
            for log in m.logs
            if log.author_id in (member.id, other.id) and now - log.created_at < timedelta(days=14)
        ]
        if logs:
            log = rng.choice(logs)
            author = mentor if log.author_id == mentor.id else mentee
            entry = (
                LogEntry(outcome="held", actual_minutes=45, rating=rng.randint(1, 5))
                if rng.random() < 0.7
                else LogEntry(outcome="no_show")
            )
            edit_log(log, entry, actor=author, now=now)
            return action
    return None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_equals_a_count_from_scratch_after_random_writes(db, make_pair, seed):
    rng = random.Random(seed)
    cohort_ids = make_pair(created_at=START)
    ids = [cohort_ids["pair"]] + [
        make_pair(cohort_id=cohort_ids["cohort"], created_at=START)["pair"] for _ in range(2)
    ]
    pairs = [db.session.get(Pair, pair_id) for pair_id in ids]
    now = START
    done: dict[str, int] = {}
    for step in range(200):
        now += timedelta(hours=rng.randint(6, 96))
        try:
            name = _step(rng, pairs, now)
        except RuleViolation:
            db.session.rollback()  # as a view does: nothing half-written
            continue
        db.session.commit()
        if name:
            done[name] = done.get(name, 0) + 1
        if step % 25 == 0:
            assert stored() == from_scratch(), f"after step {step} ({name})"
            assert stored_totals() == totals_from_scratch(), f"totals after step {step}"
    assert stored() == from_scratch()
    assert stored_totals() == totals_from_scratch() != set()
    # The sequence exercised every kind of write, and months of held and rated meetings.
    assert set(done) == {"propose", "confirm", "reschedule", "cancel", "log", "edit"}, done
    held = db.session.scalar(
        select(_db.func.count()).where(Meeting.status == MeetingStatus.HELD.value)
    )
    assert held and len({row[1] for row in stored()}) >= 3


def test_summary_follows_a_deleted_meeting_and_a_rebuild(db, make_pair):
    ids = make_pair(created_at=START)
    pair = db.session.get(Pair, ids["pair"])
    meeting = Meeting(
        pair=pair,
        uid="summary-1@test",
        start_at=datetime(2026, 10, 5, 10, tzinfo=UTC),
        end_at=datetime(2026, 10, 5, 11, tzinfo=UTC),
        duration_minutes=60,
        status="held",
    )
    db.session.add(meeting)
    db.session.flush()
    db.session.add(
        MeetingLog(
            meeting=meeting, author_id=ids["mentee"], outcome="held", actual_minutes=60, rating=4
        )
    )
    db.session.commit()
    [row] = db.session.execute(select(PairMonth)).scalars().all()
    assert (row.month, row.held, row.mentee_rated_4, row.mentor_rated_4) == (
        date(2026, 10, 1),
        1,
        1,
        0,
    )
    db.session.delete(meeting)
    db.session.commit()
    assert stored() == set() == from_scratch()

    # A bulk load past the ORM leaves the summary behind until the command recounts it.
    db.session.execute(
        Meeting.__table__.insert(),
        [
            {
                "pair_id": pair.id,
                "uid": f"bulk-{n}@test",
                "start_at": datetime(2026, 11, 2 + n, 10, tzinfo=UTC),
                "end_at": datetime(2026, 11, 2 + n, 11, tzinfo=UTC),
                "duration_minutes": 60,
                "status": "held",
                "sequence": 0,
            }
            for n in range(3)
        ],
    )
    db.session.commit()
    assert stored() != from_scratch()
    assert rebuild(db.session) == 1
    db.session.commit()
    assert stored() == from_scratch()


def test_rebuild_command(app, db, make_pair):
    make_pair(created_at=START)
    result = app.test_cli_runner().invoke(args=["reports", "rebuild-summary"])
    assert result.exit_code == 0, result.output
    assert "Report summary rebuilt: 0 pair-months." in result.output


def test_date_range_cutting_months_counts_the_edges_from_the_meetings(db, make_pair):
    """Whole months come from the summary, partial ones from the meetings: exact either way."""
    ids = make_pair(created_at=START)
    pair = db.session.get(Pair, ids["pair"])
    days = [date(2026, 9, 28), date(2026, 10, 3), date(2026, 10, 20), date(2026, 11, 2)]
    for n, day in enumerate(days):
        start = datetime.combine(day, time(10), UTC)
        db.session.add(
            Meeting(
                pair=pair,
                uid=f"edge-{n}@test",
                start_at=start,
                end_at=start + timedelta(hours=1),
                duration_minutes=60,
                status="held",
            )
        )
    db.session.commit()
    cases = [
        (None, None, 4),
        (date(2026, 9, 29), None, 3),
        (date(2026, 10, 1), date(2026, 10, 31), 2),
        (date(2026, 10, 2), date(2026, 11, 1), 2),
        (date(2026, 10, 4), date(2026, 10, 19), 0),
        (date(2026, 9, 28), date(2026, 11, 2), 4),
        (None, date(2026, 10, 19), 2),
    ]
    for low, high, expected in cases:
        filters = queries.ReportFilter(date_from=low, date_to=high)
        months = queries.meetings_by_month(db.session, filters)
        assert sum(m.held for m in months) == expected, (low, high)
        outcomes = queries.meeting_outcomes(db.session, filters)
        assert sum(o.held for o in outcomes) == expected, (low, high)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # Cohorts 1 (60 items), 2 (none), 3 (45), 4 (none); 50 per page, three pages.
        (1, [1]),
        (2, [1, 2, 3]),
        (3, [3, 4]),
    ],
)
def test_shared_feedback_pages_show_each_cohort_where_the_list_reaches_it(page, expected):
    counts = {1: 60, 3: 45}
    assert queries.cohorts_on_page([1, 2, 3, 4], counts, page, 50) == expected
