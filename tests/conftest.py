"""Fixtures: the app on SQLite (default) or PostgreSQL (TEST_DATABASE_URL), a client,
a login helper that goes through the real form, and factories."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mentoring import create_app
from mentoring.config import normalise_database_url
from mentoring.extensions import db as _db

PASSWORD = "correct horse battery"
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
EXTERNAL_URL = "https://mentoring.example.com"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def postgres_url() -> str | None:
    """The PostgreSQL URL the suite runs against, when TEST_DATABASE_URL is set."""
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


def reset_postgres_schema(url: str) -> None:
    """Empty the PostgreSQL test database, so migrations build it from nothing."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def app_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    """Configuration for an app under test: fast hashing, no rate limits, CSRF on."""
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
        # Limits stay on, as in production, but high enough for a test's many sign-ins.
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
        "FORGOT_PASSWORD_RATE_LIMIT": "1000 per minute",
        "SERVER_NAME": None,
        # Emails go to Flask-Mailman's in-memory outbox; links point at this address.
        "MAIL_BACKEND": "locmem",
        "EXTERNAL_URL": EXTERNAL_URL,
        "MAIL_DEFAULT_SENDER": "Reverse Mentoring <no-reply@mentoring.example.com>",
        "MAIL_SEND_IMMEDIATELY": False,
        # Report pages computed on every view: tests write, then read fresh figures
        # (tests/test_report_cache.py turns the cache on where it tests it).
        "REPORT_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh database for the session, built by the migrations."""
    url = postgres_url()
    if url:
        try:
            reset_postgres_schema(url)
        except Exception as error:  # noqa: BLE001 - any failure means "cannot reach it"
            pytest.exit(f"TEST_DATABASE_URL is set but PostgreSQL cannot be reached: {error}", 2)
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    """The application under test, its schema made by `flask db upgrade`."""
    app = create_app(app_config(database_url))
    with app.app_context():
        upgrade(revision="heads")
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty every table after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    app.extensions["mailman"].outbox = []  # the in-memory backend's sent emails
    with app.app_context():
        _db.session.remove()
        tables = [table.name for table in _db.metadata.sorted_tables]
        with _db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(tables)))
                )
            else:
                for name in reversed(tables):
                    connection.execute(text(f"DELETE FROM {name}"))  # noqa: S608


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client (no app context stays pushed, so each request is independent)."""
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The database, inside an app context, for tests that work below the views."""
    with app.app_context():
        yield _db
        _db.session.rollback()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def deliver_emails(app: Flask) -> list[Any]:
    """Send what the outbox holds (in-memory backend); every email sent in this test."""
    from mentoring.notifications.sender import send_queued

    with app.app_context():
        send_queued()
        _db.session.remove()
    return list(getattr(app.extensions["mailman"], "outbox", []))


def email_link(message: Any, path_prefix: str) -> str:
    """The path of the first link in an email's text that starts with path_prefix."""
    match = re.search(
        re.escape(EXTERNAL_URL) + "(" + re.escape(path_prefix) + r"[^\s\"<>]+)", message.body
    )
    assert match, f"no {path_prefix} link in: {message.body}"
    return match.group(1)


def post_form(
    client: FlaskClient,
    url: str,
    data: dict[str, Any],
    *,
    form_url: str | None = None,
    **kwargs: Any,
):
    """GET the page with the form, then POST it with its CSRF token, as a browser would."""
    page = client.get(form_url or url)
    return client.post(
        url, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data}, **kwargs
    )


def signed_in(app: Flask, email: str, password: str = PASSWORD) -> FlaskClient:
    """A fresh client signed in through the real form."""
    client = app.test_client()
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "email": email,
            "password": password,
        },
    )
    assert response.status_code == 302, f"could not sign in {email}"
    return client


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., Any]:
    """Sign in through the real form."""

    def do_login(email: str, password: str = PASSWORD, *, follow: bool = False, **extra: Any):
        return post_form(
            client,
            "/login",
            {"email": email, "password": password, **extra},
            follow_redirects=follow,
        )

    return do_login


@pytest.fixture
def make_person(app: Flask) -> Callable[..., int]:
    """Create a person (with a password and roles) and return their id."""
    from mentoring.auth.services import hash_password
    from mentoring.people.models import Person

    counter = iter(range(1, 10_000))

    def make(
        email: str | None = None,
        *,
        roles: tuple[str, ...] = (),
        password: str | None = PASSWORD,
        **fields: Any,
    ) -> int:
        number = next(counter)
        with app.app_context():
            person = Person(
                email=(email or f"person{number}@example.org").lower(),
                name=fields.pop("name", f"Person {number}"),
                password_hash=hash_password(password) if password else None,
                roles=roles,
                **fields,
            )
            _db.session.add(person)
            _db.session.commit()
            return person.id

    return make


@pytest.fixture
def make_cohort(app: Flask) -> Callable[..., int]:
    """Create a cohort and return its id."""
    from datetime import date

    from mentoring.cohorts.models import Cohort

    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> int:
        number = next(counter)
        with app.app_context():
            cohort = Cohort(
                name=fields.pop("name", f"Cohort {number}"),
                start_date=fields.pop("start_date", date(2026, 9, 1)),
                end_date=fields.pop("end_date", date(2027, 6, 30)),
                **fields,
            )
            _db.session.add(cohort)
            _db.session.commit()
            return cohort.id

    return make


@pytest.fixture
def make_pair(
    app: Flask, make_person: Callable[..., int], make_cohort: Callable[..., int]
) -> Callable[..., dict[str, int]]:
    """Create a published pair (cohort, two enrolled people) and return their ids.

    Returns {"pair", "cohort", "mentor", "mentee", "mentor_enrollment", "mentee_enrollment"}
    where mentor/mentee are person ids; both people can sign in with PASSWORD.
    """
    from mentoring.cohorts.models import Enrollment
    from mentoring.matching.models import Pair

    counter = iter(range(1, 10_000))

    def make(
        *,
        cohort_id: int | None = None,
        mentor_email: str | None = None,
        mentee_email: str | None = None,
        **pair_fields: Any,
    ) -> dict[str, int]:
        number = next(counter)
        if cohort_id is None:
            cohort_id = make_cohort(status="active")
        mentor_id = make_person(
            mentor_email or f"mentor{number}@example.org",
            name=f"Mia Mentor{number}",
            roles=("mentor",),
            seniority_level=2,
            department="Marketing",
            timezone="Europe/Paris",
        )
        mentee_id = make_person(
            mentee_email or f"mentee{number}@example.org",
            name=f"Eric Mentee{number}",
            roles=("mentee",),
            seniority_level=9,
            department="Finance",
            timezone="America/New_York",
        )
        with app.app_context():
            mentor = Enrollment(cohort_id=cohort_id, person_id=mentor_id, side="mentor")
            mentee = Enrollment(cohort_id=cohort_id, person_id=mentee_id, side="mentee")
            _db.session.add_all([mentor, mentee])
            _db.session.flush()
            pair = Pair(
                cohort_id=cohort_id,
                mentor_enrollment_id=mentor.id,
                mentee_enrollment_id=mentee.id,
                score=80,
                explanation="covers 2 of 3 wanted topics",
                **pair_fields,
            )
            _db.session.add(pair)
            _db.session.commit()
            return {
                "pair": pair.id,
                "cohort": cohort_id,
                "mentor": mentor_id,
                "mentee": mentee_id,
                "mentor_enrollment": mentor.id,
                "mentee_enrollment": mentee.id,
            }

    return make


def is_postgres(url: str) -> bool:
    """Whether a database URL points at PostgreSQL."""
    return make_url(url).get_backend_name() == "postgresql"


ROOT = Path(__file__).resolve().parent.parent
