"""Security headers and caching on every response: every GET route of the URL map as each
actor (pages, redirects, CSV, JSON, .ics, feeds, static files) and every error page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, abort
from sqlalchemy import select

from mentoring import create_app
from mentoring.web import CONTENT_SECURITY_POLICY
from tests.conftest import ROOT, app_config, signed_in

REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
CSP_DIRECTIVES = (
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "script-src 'self'",
    "style-src 'self'",
)


def assert_security_headers(response: Any, where: str) -> None:
    """Every response carries the CSP, nosniff, a referrer and a permissions policy."""
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    for directive in CSP_DIRECTIVES:
        assert directive in csp, f"{where}: CSP lacks {directive}: {csp!r}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    for name, value in REQUIRED.items():
        assert headers.get(name) == value, f"{where}: {name} is {headers.get(name)!r}"
    assert "camera=()" in headers.get("Permissions-Policy", ""), where


def assert_not_stored(response: Any, where: str) -> None:
    """A dynamic response may not sit in a shared or back-button cache."""
    assert "no-store" in response.headers.get("Cache-Control", ""), (
        f"{where}: Cache-Control is {response.headers.get('Cache-Control')!r}"
    )


@pytest.fixture
def demo_world(app: Flask) -> Iterator[dict[str, Any]]:
    """The demo data, and one object of each kind a URL can name, as the demo users see it."""
    from mentoring.auth.models import Invitation
    from mentoring.auth.services import create_invitation, password_reset_token
    from mentoring.cohorts.models import Cohort, Enrollment, ParticipantImport
    from mentoring.curriculum.models import GoalTemplate, Topic
    from mentoring.demo import DEMO_COHORT_NAME, demo_logins, seed_demo
    from mentoring.extensions import db
    from mentoring.goals.models import Goal
    from mentoring.matching.models import MatchRun, Pair
    from mentoring.meetings.feeds import reset_feed
    from mentoring.meetings.models import Meeting, MeetingLog
    from mentoring.notifications.content import unsubscribe_token
    from mentoring.people.models import Person
    from mentoring.trust.models import EndRequest

    with app.app_context():
        seed_demo()
        db.session.commit()
        logins = dict(demo_logins())
        person = {
            role: db.session.scalar(select(Person).where(Person.email == email))
            for role, email in logins.items()
        }
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == DEMO_COHORT_NAME))
        mentor_enrollment = db.session.scalar(
            select(Enrollment).where(
                Enrollment.person_id == person["mentor"].id, Enrollment.cohort_id == cohort.id
            )
        )
        pair = db.session.scalar(
            select(Pair).where(Pair.mentor_enrollment_id == mentor_enrollment.id)
        )
        mentee_enrollment = db.session.get(Enrollment, pair.mentee_enrollment_id)
        logged = db.session.scalar(
            select(MeetingLog)
            .join(Meeting)
            .where(Meeting.pair_id == pair.id, MeetingLog.author_id == person["mentor"].id)
        )
        goal = db.session.scalar(select(Goal).where(Goal.pair_id == pair.id))
        run = db.session.scalar(select(MatchRun).where(MatchRun.cohort_id == cohort.id))
        end_request = db.session.scalar(select(EndRequest))
        pending = db.session.scalar(select(Person).where(Person.password_hash.is_(None)))
        invitation = db.session.scalar(select(Invitation).where(Invitation.person_id == pending.id))
        invitation = invitation or create_invitation(pending, created_by=person["admin"])
        from mentoring.auth.services import invitation_token

        secret = reset_feed(person["mentor"], actor=person["mentor"])
        values = {
            "cohort_id": cohort.id,
            "pair_id": pair.id,
            "meeting_id": logged.meeting_id,
            "enrollment_id": mentee_enrollment.id,
            "mentee_id": mentee_enrollment.id,
            "run_id": run.id if run else 0,
            "goal_id": goal.id if goal else 0,
            "person_id": person["mentor"].id,
            "topic_id": db.session.scalar(select(Topic.id)),
            "template_id": db.session.scalar(select(GoalTemplate.id)),
            "import_id": db.session.scalar(select(ParticipantImport.id)) or 0,
            "request_id": end_request.id if end_request else 0,
            "phase": "start",
            "key": "funnel",
            "secret": secret,
            "token": None,  # per endpoint, below
            "filename": "css/app.css",
        }
        tokens = {
            "auth.accept_invitation": invitation_token(invitation),
            "auth.reset_password": password_reset_token(person["mentee"]),
            "notifications.unsubscribe": unsubscribe_token(person["mentee"], "reminders"),
        }
        db.session.commit()
        db.session.remove()
    # No app context stays pushed: each request then loads its own signed-in person.
    yield {"logins": logins, "values": values, "tokens": tokens}


# GET routes no demo actor reaches with a 2xx or 3xx, and why.
UNREACHED_WITH_REASON = {
    "cohorts.import_preview": "the demo imports no file",
    "trust.decide": "the demo has no open request to end a pair",
}


def test_every_get_route_as_every_actor_carries_the_headers(app, demo_world):
    """Walk the URL map: every response has the headers; dynamic ones are not stored."""
    clients = {"anonymous": app.test_client()}
    for role, email in demo_world["logins"].items():
        clients[role] = signed_in(app, email, "reverse-mentoring")
    reached: dict[str, list[int]] = {}
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.endpoint.startswith("_")
    ]
    assert len(rules) > 40
    for rule in rules:
        values = {
            name: demo_world["tokens"].get(rule.endpoint)
            if name == "token"
            else demo_world["values"][name]
            for name in rule.arguments
        }
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        for actor, client in clients.items():
            response = client.get(url)
            where = f"{actor} GET {url} ({rule.endpoint}) -> {response.status_code}"
            assert response.status_code < 500, where
            assert_security_headers(response, where)
            if rule.endpoint == "meetings.feed" and response.status_code < 400:
                # Feeds keep their own revalidation headers: private, ETag, 304.
                assert response.headers["Cache-Control"].startswith("private"), where
                assert response.headers.get("ETag"), where
            elif rule.endpoint != "static":
                assert_not_stored(response, where)
            reached.setdefault(rule.endpoint, []).append(response.status_code)
    unreached = {
        endpoint
        for endpoint, statuses in reached.items()
        if not any(status < 400 for status in statuses)
    }
    assert unreached <= set(UNREACHED_WITH_REASON), sorted(unreached - set(UNREACHED_WITH_REASON))


def test_a_feed_revalidates_with_its_etag(app, client, demo_world):
    url = f"/calendar/{demo_world['values']['secret']}.ics"
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "private, max-age=0, must-revalidate"
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert_security_headers(again, "feed 304")
    assert again.headers["Cache-Control"].startswith("private")


@pytest.fixture
def error_app(database_url: str) -> Flask:
    """An app with routes that fail in each way the error pages cover."""
    app = create_app(app_config(database_url, MAX_CONTENT_LENGTH=1024, PROPAGATE_EXCEPTIONS=False))
    app.config["TESTING"] = False  # let the 500 handler answer, as in production

    @app.route("/_fail/<int:code>")
    def _fail(code: int):
        abort(code)

    @app.route("/_crash")
    def _crash():
        raise RuntimeError("boom")

    return app


@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500, 503])
def test_error_pages_carry_the_headers(error_app, code):
    client = error_app.test_client()
    response = client.get(f"/_fail/{code}")
    assert response.status_code == code
    assert_security_headers(response, f"error {code}")
    assert_not_stored(response, f"error {code}")


def test_real_errors_carry_the_headers(error_app):
    client = error_app.test_client()
    answers = {
        "unknown page": client.get("/no/such/page"),
        "wrong method": client.put("/login"),
        "too large": client.post("/login", data={"x": "y" * 5000}),
        "missing CSRF": client.post("/login", data={"email": "a@example.org"}),
        "crash": client.get("/_crash"),
        "redirect": client.get("/"),
        "static": client.get("/static/css/app.css"),
        "untrusted host": create_app(
            app_config(error_app.config["SQLALCHEMY_DATABASE_URI"], TRUSTED_HOSTS=["a.example"])
        )
        .test_client()
        .get("/login", headers={"Host": "evil.example"}),
    }
    expected = {
        "unknown page": 404,
        "wrong method": 405,
        "too large": 413,
        "missing CSRF": 400,
        "crash": 500,
        "redirect": 302,
        "static": 200,
        "untrusted host": 400,
    }
    for name, response in answers.items():
        assert response.status_code == expected[name], name
        assert_security_headers(response, name)
    assert "boom" not in answers["crash"].get_data(as_text=True)


def test_hsts_in_production_only(monkeypatch, database_url):
    assert (
        "Strict-Transport-Security"
        not in create_app(app_config(database_url)).test_client().get("/login").headers
    )
    monkeypatch.setenv("MENTORING_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("EXTERNAL_URL", "https://mentoring.acme.example")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    production = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    response = production.test_client().get("/login", base_url="https://mentoring.acme.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_policy_forbids_inline_code():
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY


def test_no_absolute_link_is_built_from_the_host_header():
    """Absolute links come from EXTERNAL_URL (mentoring.web.external_url) only."""
    offenders = []
    pattern = re.compile(r"\b_external\s*=\s*True|\burl_root\b|\bhost_url\b|request\.host\b")
    for path in [*(ROOT / "mentoring").rglob("*.py"), *(ROOT / "templates").rglob("*.html")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
