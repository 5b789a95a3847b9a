"""Several writers at once: SQLite in WAL mode with a busy timeout and its write lock
taken first, and members acting on one meeting at the same moment (both databases)."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Table, create_engine, func, insert, select
from sqlalchemy import update as sql_update

from mentoring.domain import RuleViolation
from mentoring.extensions import db as _db
from mentoring.matching.models import Pair
from mentoring.meetings.models import Meeting
from mentoring.meetings.scheduling import (
    MeetingDetails,
    cancel_meeting,
    confirm_meeting,
    propose_meeting,
)
from mentoring.people.models import Person
from tests.conftest import app_config

PROCESSES = 4
WRITES = 25
# Not a table of the app: a counter each writer reads, then increments (a read-then-write
# that loses updates unless the transaction holds the write lock from its read).
scratch = MetaData()
counter = Table(
    "write_counter", scratch, Column("id", Integer, primary_key=True), Column("n", Integer)
)


def _writer(url: str, worker: int, start: Any, results: Any) -> None:
    """One process as a gunicorn worker would be: its own app, engine and connections."""
    from mentoring import create_app
    from mentoring.audit.services import record_event

    errors: list[str] = []
    try:
        app = create_app(app_config(url))
        with app.app_context():
            start.wait()
            for number in range(WRITES):
                try:
                    # A read first, outside any transaction, as a request reads its user.
                    _db.session.scalar(select(func.count(Person.id)))
                    seen = _db.session.scalar(
                        select(counter.c.n).where(counter.c.id == 1).with_for_update()
                    )
                    person = Person(email=f"p{worker}-{number}@example.org", name=f"P {number}")
                    _db.session.add(person)
                    _db.session.flush()
                    record_event("test.written", actor=None, subject=person)
                    _db.session.execute(
                        sql_update(counter).where(counter.c.id == 1).values(n=seen + 1)
                    )
                    _db.session.commit()
                except Exception as error:  # noqa: BLE001 - every failure is reported
                    _db.session.rollback()
                    errors.append(f"worker {worker}, write {number}: {error}")
            _db.session.remove()
            _db.engine.dispose()
    except Exception as error:  # noqa: BLE001 - a worker that could not start says so
        errors.append(f"worker {worker}: {error}")
    finally:
        results.put(errors)


def test_sqlite_connections_are_set_up_for_several_processes(tmp_path: Path):
    engine = create_engine("sqlite:///" + str(tmp_path / "x.sqlite3"))
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA busy_timeout").scalar() >= 5000
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            raw = connection.connection.dbapi_connection
            assert raw.isolation_level == "IMMEDIATE"
    finally:
        engine.dispose()
    memory = create_engine("sqlite://")
    with memory.connect() as connection:  # no WAL for a database in memory, no error
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "memory"
    memory.dispose()


def test_several_processes_writing_at_once_lose_nothing(tmp_path: Path):
    from mentoring import create_app

    url = "sqlite:///" + str(tmp_path / "shared.sqlite3")
    app = create_app(app_config(url))
    with app.app_context():
        _db.create_all()
        scratch.create_all(_db.engine)
        with _db.engine.begin() as connection:
            connection.execute(insert(counter).values(id=1, n=0))
        _db.engine.dispose()
    # fork: each worker starts with the app's code already imported, as gunicorn's do.
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(target=_writer, args=(url, worker, start, results))
        for worker in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    results = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    errors = [error for result in results for error in result]
    assert errors == []
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(counter.c.n)) == PROCESSES * WRITES
            assert connection.scalar(select(func.count(Person.id))) == PROCESSES * WRITES
    finally:
        engine.dispose()


def _at_once(app, *actions) -> list[str]:
    """Run each action in its own thread and app context (its own connection), started
    together; each holds its transaction open a moment before committing."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action) -> None:
        with app.app_context():
            barrier.wait()
            try:
                action()
                threading.Event().wait(0.2)
                _db.session.commit()
                outcomes.append("done")
            except RuleViolation as error:
                _db.session.rollback()
                outcomes.append(error.message)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def _proposed_meeting(app, ids) -> int:
    day = (datetime.now(UTC) + timedelta(days=6)).date()
    with app.app_context():
        meeting = propose_meeting(
            _db.session.get(Pair, ids["pair"]),
            MeetingDetails(day, time(9, 0), "Europe/Paris", 30, location="Room 2"),
            actor=_db.session.get(Person, ids["mentor"]),
        )
        _db.session.commit()
        return meeting.id


def _as(person_id: int, service, meeting_id: int, *args):
    def action() -> None:
        service(
            _db.session.get(Meeting, meeting_id), *args, actor=_db.session.get(Person, person_id)
        )

    return action


def test_confirming_one_meeting_twice_at_once_confirms_it_once(app, make_pair):
    ids = make_pair()
    meeting_id = _proposed_meeting(app, ids)
    confirm = _as(ids["mentee"], confirm_meeting, meeting_id)
    outcomes = _at_once(app, confirm, confirm)
    assert outcomes == ["This meeting is already confirmed.", "done"]
    with app.app_context():
        meeting = _db.session.get(Meeting, meeting_id)
        assert (meeting.status, meeting.sequence) == ("confirmed", 1)


def test_cancelling_and_confirming_at_once_keep_the_state_of_the_last_one(app, make_pair):
    ids = make_pair()
    meeting_id = _proposed_meeting(app, ids)
    outcomes = _at_once(
        app,
        _as(ids["mentee"], confirm_meeting, meeting_id),
        _as(ids["mentor"], cancel_meeting, meeting_id, "Travelling that week"),
    )
    with app.app_context():
        meeting = _db.session.get(Meeting, meeting_id)
        if outcomes == ["done", "done"]:
            # The confirmation came first, then the cancellation of a confirmed meeting.
            assert meeting.status == "cancelled" and meeting.sequence == 2
            assert meeting.confirmed_at is not None and not meeting.declined
        else:
            # The cancellation came first: nothing left to confirm.
            assert outcomes == ["A cancelled meeting cannot be confirmed.", "done"]
            assert meeting.status == "cancelled" and meeting.sequence == 1
            assert meeting.confirmed_at is None
