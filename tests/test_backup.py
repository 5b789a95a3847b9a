"""`flask backup` and `flask restore`: a consistent copy taken while others write, restored
into a fresh database table for table; failures leave no file behind."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import MetaData, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from mentoring import create_app
from mentoring.backup import BackupError, backup_database, restore_database
from mentoring.extensions import db as _db
from mentoring.matching.models import Pair
from mentoring.meetings.scheduling import MeetingDetails, propose_meeting
from mentoring.people.models import Person
from tests.conftest import app_config, is_postgres, postgres_url, reset_postgres_schema

WRITER_DOMAIN = "@writer.example.org"


def _rows(url: str) -> dict[str, set[str]]:
    """Every row of every table, as comparable strings, by table."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                name: {
                    json.dumps(list(row), default=str) for row in connection.execute(select(table_))
                }
                for name, table_ in metadata.tables.items()
            }
    finally:
        engine.dispose()


def _restore_url(tmp_path: Path) -> str:
    """A fresh database to restore into: a new SQLite file, or a second PostgreSQL database."""
    url = postgres_url()
    if not url:
        return "sqlite:///" + str(tmp_path / "restored.sqlite3")
    restore = os.environ.get("TEST_RESTORE_DATABASE_URL")
    if restore:
        from mentoring.config import normalise_database_url

        restore = normalise_database_url(restore)
    else:
        # The test database's name with _restore, on the same server, created if missing.
        parsed = make_url(url)
        restore = parsed.set(database=f"{parsed.database}_restore").render_as_string(
            hide_password=False
        )
        admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        name = make_url(restore).database
        try:
            with admin.connect() as connection:
                exists = connection.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                )
                if not exists:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as error:  # noqa: BLE001 - no right to create one: say so, skip
            pytest.skip(
                f"no second PostgreSQL database to restore into ({error}); set "
                "TEST_RESTORE_DATABASE_URL to an empty database"
            )
        finally:
            admin.dispose()
    reset_postgres_schema(restore)
    return restore


def _write_until(app: Flask, stop: threading.Event, committed: list[int], errors: list) -> None:
    """Add a person and the audit event of their creation in one transaction, again and
    again, until told to stop; note each number once committed."""
    from mentoring.audit.services import record_event

    number = 0
    with app.app_context():
        while not stop.is_set():
            number += 1
            try:
                person = Person(email=f"w{number}{WRITER_DOMAIN}", name=f"Writer {number}")
                _db.session.add(person)
                _db.session.flush()
                record_event("test.written", actor=None, subject=person, number=number)
                _db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported to the test, which fails
                _db.session.rollback()
                errors.append(error)
                return
            committed.append(number)
        _db.session.remove()


def _wait_for(condition, what: str) -> None:
    event = threading.Event()
    for _ in range(500):
        if condition():
            return
        event.wait(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_backup_taken_during_writes_restores_the_moment_it_was_taken(
    app, database_url, make_pair, tmp_path
):
    ids = make_pair()
    make_pair(cohort_id=ids["cohort"])
    with app.app_context():
        day = (datetime.now(UTC) + timedelta(days=7)).date()
        propose_meeting(
            _db.session.get(Pair, ids["pair"]),
            MeetingDetails(day, time(10, 0), "Europe/Paris", 45, location="Room 4"),
            actor=_db.session.get(Person, ids["mentor"]),
        )
        _db.session.commit()
    before = _rows(database_url)
    stop, committed, errors = threading.Event(), [], []
    writer = threading.Thread(target=_write_until, args=(app, stop, committed, errors))
    writer.start()
    try:
        _wait_for(lambda: len(committed) >= 5 or errors, "the first writes")
        written_before = len(committed)
        path = tmp_path / "nightly.backup"
        result = app.test_cli_runner().invoke(args=["backup", str(path)])
        written_after = len(committed)
        _wait_for(lambda: len(committed) >= written_after + 5 or errors, "writes after it")
    finally:
        stop.set()
        writer.join()
    assert not errors, errors
    assert result.exit_code == 0, result.output
    assert f"to {path}" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["nightly.backup"]  # no temporary left
    after = _rows(database_url)

    restored_url = _restore_url(tmp_path)
    restored_app = create_app(app_config(restored_url))
    result = restored_app.test_cli_runner().invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    restored = _rows(restored_url)

    # Every table is there; it holds every row it had before the writes began and only
    # rows that existed.
    assert set(restored) == set(after)
    for name, rows in restored.items():
        assert before[name] <= rows <= after[name], name
    # The writes are there up to one moment during the backup, all of them, each whole.
    with restored_app.app_context():
        emails = _db.session.scalars(
            select(Person.email).where(Person.email.like(f"%{WRITER_DOMAIN}"))
        ).all()
        numbers = sorted(int(email[1:].split("@")[0]) for email in emails)
        events = _db.session.scalar(
            select(func.count())
            .select_from(text("audit_event"))
            .where(text("action = 'test.written'"))
        )
        _db.session.remove()
        _db.engine.dispose()
    assert written_before <= len(numbers) <= written_after
    assert numbers == list(range(1, len(numbers) + 1))
    assert events == len(numbers)
    if not is_postgres(restored_url):
        connection = sqlite3.connect(make_url(restored_url).database)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            connection.close()


def test_restore_refuses_a_database_with_data_and_asks_before_replacing(app, make_pair, tmp_path):
    make_pair()
    runner = app.test_cli_runner()
    path = tmp_path / "copy.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    refused = runner.invoke(args=["restore", "--yes", str(path)])
    assert refused.exit_code == 1
    assert "already holds data" in refused.output and "--force" in refused.output
    declined = runner.invoke(args=["restore", "--force", str(path)], input="n\n")
    assert declined.exit_code == 1
    assert "Replace the contents of the" in declined.output
    with app.app_context():
        _db.session.add(Person(email="late@example.org", name="Late Comer"))
        _db.session.commit()
    done = runner.invoke(args=["restore", "--force", str(path)], input="y\n")
    assert done.exit_code == 0, done.output
    with app.app_context():
        # The backup's moment is back: the person added after it is gone.
        assert _db.session.scalar(select(Person).where(Person.email == "late@example.org")) is None
        assert _db.session.scalar(select(func.count(Person.id))) == 2
        _db.session.remove()


def test_a_failed_backup_leaves_no_file_and_says_why(app, database_url, tmp_path, monkeypatch):
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["backup", str(tmp_path / "nowhere" / "x.backup")])
    assert missing.exit_code == 1
    assert "does not exist" in missing.output
    if is_postgres(database_url):
        monkeypatch.setenv("PATH", str(tmp_path))
        result = runner.invoke(args=["backup", str(tmp_path / "x.backup")])
        assert result.exit_code == 1
        assert "pg_dump was not found on the PATH" in result.output
    else:
        live = make_url(database_url).database
        result = runner.invoke(args=["backup", live])
        assert result.exit_code == 1
        assert "is the live database" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/usr/bin/pg_dump").exists(), reason="pg_dump is not installed")
def test_pg_dump_failing_leaves_no_partial_file_and_keeps_the_password_off_its_command_line(
    tmp_path, monkeypatch
):
    import subprocess

    seen: list[Any] = []
    run = subprocess.run

    def spy(arguments, **kwargs):
        seen.append((arguments, kwargs["env"].get("PGPASSWORD")))
        return run(arguments, **kwargs)

    monkeypatch.setattr("mentoring.backup.subprocess.run", spy)
    # Nothing listens on port 1: pg_dump fails after creating its output file.
    url = "postgresql+psycopg://someone:s3cret-pw@127.0.0.1:1/nothing"
    with pytest.raises(BackupError, match="pg_dump failed: .*127.0.0.1"):
        backup_database(url, tmp_path / "x.dump")
    assert list(tmp_path.iterdir()) == []
    arguments, password = seen[0]
    assert password == "s3cret-pw"
    assert not any("s3cret-pw" in argument for argument in arguments)
    assert "--format=custom" in arguments


def test_restore_refuses_a_file_of_the_wrong_kind(tmp_path):
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"PGDMP\x01\x0f")
    with pytest.raises(BackupError, match="not a SQLite backup"):
        restore_database("sqlite:///" + str(tmp_path / "db.sqlite3"), dump)
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(BackupError, match="not a PostgreSQL backup"):
        restore_database("postgresql+psycopg://u@127.0.0.1:1/x", other)
    assert not (tmp_path / "db.sqlite3").exists()
