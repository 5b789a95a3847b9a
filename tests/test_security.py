"""Closing the security review: feed secrets die with deactivation, remember-me cookies
die with the sessions, links ignore the Host header, log lines cannot be forged, and
production refuses to start half-configured."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select

from mentoring import create_app
from mentoring.config import load_config
from tests.conftest import PASSWORD, csrf_token, post_form

FEED_PATH = re.compile(r'value="https://mentoring\.example\.com(/calendar/[A-Za-z0-9_-]+\.ics)"')


def _feed_path(client) -> str:
    token = csrf_token(client.get("/calendar").get_data(as_text=True))
    assert client.post("/calendar/feed", data={"csrf_token": token}).status_code == 302
    match = FEED_PATH.search(client.get("/calendar").get_data(as_text=True))
    assert match, "no feed link on the calendar page"
    return match.group(1)


def _audit_count(app, action: str) -> int:
    from mentoring.audit.models import AuditEvent
    from mentoring.extensions import db

    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )


def test_deactivating_a_person_kills_their_feed_for_good(
    app, client, login, make_pair, make_person
):
    ids = make_pair(mentor_email="mia@example.org")
    make_person("hr@example.org", roles=("admin",))
    login("mia@example.org")
    feed = _feed_path(client)
    anonymous = app.test_client()
    assert anonymous.get(feed).status_code == 200

    hr = app.test_client()
    post_form(hr, "/login", {"email": "hr@example.org", "password": PASSWORD})
    person = f"/people/{ids['mentor']}"
    assert (
        post_form(hr, f"{person}/deactivate", {"reason": "left"}, form_url=person).status_code
        == 302
    )
    assert anonymous.get(feed).status_code == 404
    assert post_form(hr, f"{person}/reactivate", {}, form_url=person).status_code == 302
    # Reactivation lets the person sign in again, not the old feed URL back.
    assert anonymous.get(feed).status_code == 404
    assert _audit_count(app, "calendar.feed_revoked") == 1
    fresh = app.test_client()
    post_form(fresh, "/login", {"email": "mia@example.org", "password": PASSWORD})
    page = fresh.get("/calendar").get_data(as_text=True)
    assert feed not in page
    new_feed = _feed_path(fresh)  # they can turn a new one on
    assert new_feed != feed and anonymous.get(new_feed).status_code == 200


def _remember_cookie(client) -> str:
    cookie = client.get_cookie("remember_token")
    assert cookie is not None, "no remember-me cookie was set"
    return cookie.value


def _with_only(app, value: str):
    other = app.test_client()
    other.set_cookie("remember_token", value)
    return other


def test_remember_me_lasts_30_days_and_is_http_only(app, client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    response = login("ana@example.org", remember="y")
    header = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")
    )
    assert "HttpOnly" in header
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", header).group(1))
    lifetime = expires - datetime.now(UTC)
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
    # The cookie alone signs a new browser in.
    assert _with_only(app, _remember_cookie(client)).get("/").status_code == 200


def test_remember_me_cookie_dies_with_sign_out_everywhere(app, client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org", remember="y")
    remembered = _remember_cookie(client)
    assert _with_only(app, remembered).get("/").status_code == 200
    token = csrf_token(client.get("/").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    assert _with_only(app, remembered).get("/").status_code == 302


def test_remember_me_cookie_dies_with_a_password_change(app, client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org", remember="y")
    remembered = _remember_cookie(client)
    other = app.test_client()
    post_form(other, "/login", {"email": "ana@example.org", "password": PASSWORD})
    answer = post_form(
        other,
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "quilted marmot harbour 42",
            "confirm_password": "quilted marmot harbour 42",
        },
    )
    assert answer.status_code == 302
    assert _with_only(app, remembered).get("/").status_code == 302


def test_remember_days_and_production_cookie_flags(monkeypatch, tmp_path):
    monkeypatch.setenv("REMEMBER_DAYS", "7")
    assert load_config(str(tmp_path))["REMEMBER_COOKIE_DURATION"] == timedelta(days=7)
    monkeypatch.delenv("REMEMBER_DAYS")
    monkeypatch.setenv("MENTORING_ENV", "production")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    config = load_config(str(tmp_path))
    assert config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SECURE"] is True


def test_links_ignore_the_host_header(app, client, login, make_pair):
    make_pair(mentor_email="mia@example.org")
    login("mia@example.org")
    _feed_path(client)
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    answer = client.get("/calendar", headers={"Host": "evil.example"})
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "evil.example" not in page
    assert "webcal://mentoring.example.com/calendar/" in page


@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.setenv("MENTORING_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("EXTERNAL_URL", "https://mentoring.acme.example")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    return monkeypatch


def test_production_refuses_to_start_without_an_https_external_url(production_env):
    production_env.delenv("EXTERNAL_URL")
    with pytest.raises(RuntimeError, match="EXTERNAL_URL"):
        create_app()
    production_env.setenv("EXTERNAL_URL", "http://mentoring.acme.example")
    with pytest.raises(RuntimeError, match="EXTERNAL_URL"):
        create_app()


def test_production_refuses_to_start_without_a_shared_rate_limit_store(production_env):
    production_env.delenv("RATELIMIT_STORAGE_URI")
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app()


def test_production_starts_when_configured(production_env):
    app = create_app()
    assert app.config["EXTERNAL_URL"] == "https://mentoring.acme.example"


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.extend(self.format(record).splitlines())


def test_user_data_cannot_forge_a_log_line(app):
    handler = _Lines()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("forgery-test")
    logger.addHandler(handler)
    app.logger.addHandler(handler)
    try:
        forged = "ana@example.org\r\nINFO mentoring admin signed in\u2028x"
        logger.warning("Sign-in refused for %s", forged)
        app.logger.warning("Import of %s", "a\nb.csv")
    finally:
        logger.removeHandler(handler)
        app.logger.removeHandler(handler)
    assert len(handler.lines) == 2
    assert handler.lines[1].endswith("Import of a\\nb.csv")
    assert handler.lines[0].endswith(
        "Sign-in refused for ana@example.org\\r\\nINFO mentoring admin signed in\\u2028x"
    )


def _change_password(client, new: str):
    return post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )


def test_passwords_are_judged_by_guessability_not_composition(client, login, make_person):
    make_person("marta.kowalczyk@example.org", name="Marta Kowalczyk", roles=("mentor",))
    login("marta.kowalczyk@example.org")
    refused = {
        "eleven char": "Use at least 12 characters.",
        "qwertyuiop12": "too easy to guess",
        "Password1234!": "similar to a commonly used password",
        "MartaKowalczyk!": "too easy to guess",  # the person's own name
        "a" * 300: "Repeats like",
        "x" * 1001: "Use at most 1,000 characters.",
    }
    for password, message in refused.items():
        answer = _change_password(client, password)
        assert answer.status_code == 200 and message in answer.get_data(as_text=True), password
    # No composition rules: plain lower-case words pass; long passphrases are allowed.
    long_one = "glass otter lantern river " * 38  # 988 characters
    assert _change_password(client, long_one).status_code == 302
    client.delete_cookie("session")
    assert login("marta.kowalczyk@example.org", long_one).status_code == 302


def test_accepting_an_invitation_refuses_a_guessable_password(app, client, make_person):
    from mentoring.auth.services import create_invitation, invitation_token
    from mentoring.extensions import db
    from mentoring.people.models import Person

    person_id = make_person("new@example.org", password=None, name="Nora New")
    with app.app_context():
        invitation = create_invitation(db.session.get(Person, person_id), created_by=None)
        path = f"/invitation/{invitation_token(invitation)}"
        db.session.commit()
    weak = post_form(
        client, path, {"new_password": "letmein12345", "confirm_password": "letmein12345"}
    )
    assert weak.status_code == 200 and "too easy to guess" in weak.get_data(as_text=True)
    strong = "otter lantern quietly 9"
    answer = post_form(client, path, {"new_password": strong, "confirm_password": strong})
    assert answer.status_code == 302


def test_sign_ins_are_audited_without_collecting_guessed_addresses(app, client, login, make_person):
    from mentoring.audit.models import AuditEvent
    from mentoring.extensions import db

    person_id = make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org", "wrong password!")
    login("ghost@example.org", "wrong password!")
    login("ana@example.org")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        rows = [(e.action, e.subject_id, e.details.get("reason")) for e in events]
        assert rows == [
            ("auth.sign_in_failed", person_id, "wrong password"),
            ("auth.sign_in_failed", None, "no such account"),
            ("auth.signed_in", person_id, None),
        ]
        assert all("ghost" not in repr(e.details) for e in events)


def test_a_throttled_account_is_told_how_long_to_wait(app, client, login, make_person):
    from mentoring.extensions import limiter

    make_person("ana@example.org", roles=("mentor",))
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "2 per hour"
    limiter.reset()
    try:
        for _ in range(3):  # successes are not counted
            assert login("ana@example.org").status_code == 302
            client.delete_cookie("session")
        assert login("ana@example.org", "wrong password!").status_code == 200
        assert login("Ana@Example.org", "wrong password!").status_code == 200
        throttled = login("ana@example.org")
        assert throttled.status_code == 429
        text = throttled.get_data(as_text=True)
        assert "Too many failed sign-ins. Wait 60 minutes and try again" in text
        assert int(throttled.headers["Retry-After"]) > 3500
        # Another account from the same address is not affected.
        make_person("bob@example.org", roles=("mentor",))
        assert login("bob@example.org").status_code == 302
    finally:
        limiter.reset()
        app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "1000 per minute"
