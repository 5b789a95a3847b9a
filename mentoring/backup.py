"""Back up and restore the app's database: SQLite's online backup API, or PostgreSQL's
pg_dump and pg_restore.

Flask-free: every function takes the database URL. A backup is written to a temporary
file beside its destination and renamed into place once complete, so a failed or
interrupted backup never leaves a partial file under the name asked for.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore, run with an argument list, no shell
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, select, table
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from mentoring.db import SQLITE_BUSY_TIMEOUT_MS

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
# Tables that say nothing about the program's data: a database holding only these is empty.
BOOKKEEPING_TABLES = frozenset({"alembic_version"})


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup wrote."""

    path: Path
    source: str
    size: int
    tables: int | None = None
    rows: int | None = None

    def describe(self) -> str:
        """One line for the command's output."""
        kilobytes = max(1, round(self.size / 1024))
        counts = ""
        if self.tables is not None:
            counts = f", {self.tables} tables, {self.rows} rows"
        return f"Backed up {self.source} to {self.path} ({kilobytes:,} KB{counts})."


def describe_database(url: str | URL) -> str:
    """Name a database for people, without its password."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        return f"the SQLite database {_sqlite_path(url)}"
    host = url.host or "the local socket"
    port = f":{url.port}" if url.port else ""
    return f"the PostgreSQL database {url.database} on {host}{port}"


def backup_database(url: str | URL, destination: Path) -> BackupSummary:
    """Write a consistent copy of the database to `destination`, while others write to it."""
    url = make_url(url)
    destination = Path(destination)
    _check_destination(url, destination)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return _sqlite_backup(_sqlite_path(url), destination, describe_database(url))
    if backend == "postgresql":
        return _pg_backup(url, destination)
    raise BackupError(f"Backups of {backend} databases are not supported.")


def restore_database(url: str | URL, source: Path) -> None:
    """Replace the database's contents with a backup made by `backup_database`."""
    url = make_url(url)
    source = Path(source)
    backend = url.get_backend_name()
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    if backend == "sqlite":
        _sqlite_restore(source, _sqlite_path(url))
    elif backend == "postgresql":
        _pg_restore(url, source)
    else:
        raise BackupError(f"Restoring {backend} databases is not supported.")


def database_has_data(url: str | URL) -> bool:
    """Whether any table of the database, but the migrations' bookkeeping, holds a row."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite" and not _sqlite_path(url).exists():
        return False
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            for name in inspect(connection).get_table_names():
                if name in BOOKKEEPING_TABLES:
                    continue
                if connection.execute(select(1).select_from(table(name)).limit(1)).first():
                    return True
        return False
    except Exception as error:
        raise BackupError(
            f"Could not read {describe_database(url)}: {_first_line(error)}"
        ) from error
    finally:
        engine.dispose()


# SQLite ------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    database = url.database or ""
    if database in ("", ":memory:") or url.query.get("mode") == "memory":
        raise BackupError("The database is in memory: there is no file to back up or restore.")
    return Path(database).resolve()


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    return connection


def _sqlite_backup(path: Path, destination: Path, source_name: str) -> BackupSummary:
    if not path.is_file():
        raise BackupError(f"There is no database file at {path}: nothing to back up.")
    with _temporary_beside(destination) as temporary:
        source = _sqlite_connect(path)
        target = sqlite3.connect(str(temporary))
        try:
            # One step (pages=-1) copies every page inside one read transaction: a
            # snapshot of one moment, while writers go on in WAL mode.
            source.backup(target, pages=-1)
            # The copy is one self-contained file, whatever mode the live database runs in.
            target.execute("PRAGMA journal_mode=DELETE")
            _check_sqlite(target, temporary)
            tables, rows = _sqlite_counts(target)
        except sqlite3.Error as error:
            raise BackupError(f"The SQLite backup failed: {error}") from error
        finally:
            target.close()
            source.close()
        _fsync(temporary)
        os.replace(temporary, destination)
    _fsync_directory(destination.parent)
    return BackupSummary(destination, source_name, destination.stat().st_size, tables, rows)


def _sqlite_restore(source: Path, path: Path) -> None:
    with source.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(
                f"{source} is not a SQLite backup (a PostgreSQL dump goes to a PostgreSQL "
                "database)."
            )
    if not path.parent.is_dir():
        raise BackupError(f"The folder of the database, {path.parent}, does not exist.")
    backup = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        _check_sqlite(backup, source)
        live = _sqlite_connect(path)
        try:
            # Through SQLite's own API, under its locks: never copy over a live file.
            backup.backup(live, pages=-1)
            _check_sqlite(live, path)
        finally:
            live.close()
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite restore failed: {error}") from error
    finally:
        backup.close()


def _check_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise BackupError(f"{path} fails SQLite's integrity check: {problems[0]}")
    broken = connection.execute("PRAGMA foreign_key_check").fetchone()
    if broken:
        raise BackupError(f"{path} has a row of {broken[0]} pointing at a missing {broken[2]}.")


def _sqlite_counts(connection: sqlite3.Connection) -> tuple[int, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    rows = sum(
        connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
        for name in names
    )
    return len(names), rows


# PostgreSQL --------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on the PATH: install PostgreSQL's client tools (the "
            "server's major version or newer; on Debian, apt install postgresql-client)."
        )
    return found


def _pg_connection(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and an environment that carries it, so the
    password never shows in the process list."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    without_password = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return without_password.render_as_string(hide_password=False), environment


def _run_pg_tool(arguments: list[str], environment: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments not through a shell
            arguments, env=environment, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError(f"Could not run {arguments[0]}: {error}") from error
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {message}")


def _pg_backup(url: URL, destination: Path) -> BackupSummary:
    pg_dump = _pg_tool("pg_dump")
    uri, environment = _pg_connection(url)
    with _temporary_beside(destination) as temporary:
        _run_pg_tool(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--file={temporary}",
                f"--dbname={uri}",
            ],
            environment,
            "pg_dump",
        )
        _fsync(temporary)
        os.replace(temporary, destination)
    _fsync_directory(destination.parent)
    return BackupSummary(destination, describe_database(url), destination.stat().st_size)


def _pg_restore(url: URL, source: Path) -> None:
    with source.open("rb") as handle:
        if handle.read(len(PG_DUMP_HEADER)) != PG_DUMP_HEADER:
            raise BackupError(
                f"{source} is not a PostgreSQL backup made by `flask backup` (pg_dump's "
                "custom format)."
            )
    pg_restore = _pg_tool("pg_restore")
    uri, environment = _pg_connection(url)
    _run_pg_tool(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            # All of it or nothing: a failed restore leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={uri}",
            str(source),
        ],
        environment,
        "pg_restore",
    )


# Files -------------------------------------------------------------------------------


def _check_destination(url: URL, destination: Path) -> None:
    if destination.is_dir():
        raise BackupError(f"{destination} is a folder: give the backup file's name.")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist.")
    if url.get_backend_name() == "sqlite" and destination.resolve() == _sqlite_path(url):
        raise BackupError(f"{destination} is the live database: choose another file.")


@contextlib.contextmanager
def _temporary_beside(destination: Path) -> Iterator[Path]:
    """A temporary file in the destination's folder (so renaming it is atomic), removed
    unless it was renamed into place."""
    handle, name = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent
    )
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can sync a folder
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
