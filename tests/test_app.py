"""Configuration, error pages, headers and templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mentoring import create_app
from mentoring.config import DEFAULT_SECRET_KEY, normalise_database_url
from tests.conftest import ROOT, app_config


def test_database_defaults_to_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    expected = "sqlite:///" + str(Path(app.instance_path) / "mentoring.sqlite3")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_database_url_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal:5432/mentoring")
    app = create_app({"TESTING": True})
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"]
        == "postgresql+psycopg://u:p@db.internal:5432/mentoring"
    )
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setenv("MENTORING_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_debug(monkeypatch):
    monkeypatch.setenv("MENTORING_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="(?i)debug"):
        create_app()


def test_production_with_a_real_secret_starts_with_secure_cookies(monkeypatch):
    monkeypatch.setenv("MENTORING_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("EXTERNAL_URL", "https://mentoring.acme.example")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    app = create_app()
    assert app.config["SECRET_KEY"] != DEFAULT_SECRET_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_unknown_page_gets_a_generic_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_unexpected_error_shows_a_generic_500_without_internals(database_url):
    app = create_app(app_config(database_url))

    @app.route("/_boom")
    def _boom():
        raise RuntimeError("secret internals: password=hunter2")

    response = app.test_client().get("/_boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "hunter2" not in page
    assert "Traceback" not in page


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_http_only(client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    response = login("ana@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_health_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_templates_have_no_inline_scripts_or_styles():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        # Emails are no web page (no CSP applies) and mail clients drop stylesheets: their
        # styles are inline by necessity. Scripts stay banned there too.
        is_email = path.relative_to(ROOT).parts[:2] == ("templates", "email")
        if INLINE_SCRIPT.search(text) or (INLINE_STYLE.search(text) and not is_email):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_form_field_has_a_label(client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    pages = [client.get("/login").get_data(as_text=True)]
    login("ana@example.org")
    pages.append(client.get("/account/password").get_data(as_text=True))
    for page in pages:
        ids = re.findall(
            r'<input[^>]*type="(?:text|email|password|checkbox)"[^>]*id="([^"]+)"', page
        )
        ids += re.findall(
            r'<input[^>]*id="([^"]+)"[^>]*type="(?:text|email|password|checkbox)"', page
        )
        assert ids, "no fields found"
        for field_id in ids:
            assert f'for="{field_id}"' in page, field_id


def test_pages_are_served_from_the_repository_templates(app):
    assert Path(app.template_folder).resolve() == (ROOT / "templates").resolve()
    assert Path(app.static_folder).resolve() == (ROOT / "static").resolve()


def test_form_fields_carry_no_empty_attributes(client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    pages = [client.get("/login").get_data(as_text=True)]
    login("ana@example.org")
    pages.append(client.get("/account/password").get_data(as_text=True))
    pages.append(client.get("/profile").get_data(as_text=True))
    for page in pages:
        assert '="None"' not in page
    assert 'aria-describedby="new_password-hint"' in pages[1]


def test_behind_a_trusted_proxy_links_use_the_public_address(database_url):
    from flask import url_for

    app = create_app(app_config(database_url, TRUSTED_PROXIES=1))

    @app.route("/_where")
    def _where():
        return url_for("auth.login", _external=True)

    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "mentoring.acme.example"}
    answer = app.test_client().get("/_where", headers=forwarded)
    assert answer.get_data(as_text=True) == "https://mentoring.acme.example/login"
    # Without the setting, forwarded headers are not trusted.
    plain = create_app(app_config(database_url))
    plain.add_url_rule("/_where", view_func=_where)
    assert (
        plain.test_client().get("/_where", headers=forwarded).get_data(as_text=True)
        == "http://localhost/login"
    )


def test_hostile_url_parameters_get_clean_answers(client, login, make_person):
    make_person("hr@example.org", roles=("admin",))
    login("hr@example.org")
    assert client.get("/people/99999999999999999999999").status_code == 404
    assert client.get("/pairs/99999999999999999999").status_code == 404
    assert client.get("/people/?page=²").status_code == 200
    assert client.get("/people/?q=a%00b").status_code == 400


def test_nul_characters_in_forms_are_refused(client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org")
    from tests.conftest import post_form

    response = post_form(
        client, "/profile", {"timezone": "Europe/Paris", "languages": "en", "bio": "hello\x00world"}
    )
    assert response.status_code == 400


def test_profile_posted_without_some_fields_is_a_form_error(client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org")
    from tests.conftest import post_form

    response = post_form(client, "/profile", {"timezone": "Europe/Paris", "bio": "hi"})
    assert response.status_code in (200, 302)


def test_trusted_hosts_refuse_other_host_headers(database_url):
    app = create_app(app_config(database_url, TRUSTED_HOSTS=["mentoring.acme.example"]))
    client = app.test_client()
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/login", headers={"Host": "mentoring.acme.example"}).status_code == 200
