"""Declarative base with a naming convention, a UTC datetime type and small helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, values: type[StrEnum]) -> str:
    """The SQL of a CHECK constraint keeping a column within an enumeration's values."""
    return "{} IN ({})".format(column, ", ".join(f"'{value.value}'" for value in values))


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always aware and in UTC, on every database.

    SQLite drops time zones, so naive values are refused on the way in (they are a
    bug: nobody knows which zone they meant) and UTC is re-attached on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to UTC; refuse naive ones."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UTCDateTime expects a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise ValueError("naive datetime refused: attach a time zone before storing it")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return stored values as aware UTC datetimes."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of every model: one metadata with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# How long a SQLite connection waits for another process's write to finish before it
# gives up with "database is locked"; a write transaction lasts milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 15_000


def _is_sqlite(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Set up every SQLite connection for several processes writing at once.

    Foreign keys on (they are off by default); a busy timeout, so a writer waits for
    the one before it instead of failing; WAL mode for a database in a file, so readers
    never wait for a writer nor block one. pysqlite opens a transaction only at the
    first INSERT/UPDATE/DELETE, and opens it with BEGIN IMMEDIATE: reads before it see
    the latest commit (as PostgreSQL's READ COMMITTED does) and a writing transaction
    holds the write lock from its first write, so it can never be refused halfway.
    """
    if not _is_sqlite(dbapi_connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    files = [row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main"]
    if files and files[0]:  # empty for an in-memory database, which has no WAL
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    if dbapi_connection.isolation_level is not None:  # None: autocommit was asked for
        dbapi_connection.isolation_level = "IMMEDIATE"


def take_write_lock(connection: Connection) -> None:
    """On SQLite, start the transaction now with the database's write lock (no-op elsewhere).

    What the transaction reads afterwards stays true until it commits, as under a row
    lock on PostgreSQL: other writers wait for the busy timeout, readers go on.
    """
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is None or dbapi_connection.isolation_level is None:
        return
    if not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN IMMEDIATE")


@event.listens_for(Engine, "before_execute")
def _sqlite_for_update(
    connection: Connection, clauseelement: Any, multiparams: Any, params: Any, options: Any
) -> None:
    """Make `SELECT ... FOR UPDATE` lock on SQLite too, which drops the clause: the
    statement takes the database's write lock first (the only lock SQLite has)."""
    if (
        connection.dialect.name == "sqlite"
        and getattr(clauseelement, "_for_update_arg", None) is not None
    ):
        take_write_lock(connection)
