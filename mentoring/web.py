"""Request-level wiring: loading the signed-in person, headers, template helpers."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, abort, current_app, jsonify, request
from flask_login import current_user
from sqlalchemy import Integer, Select, bindparam, select, text
from sqlalchemy.orm import joinedload
from werkzeug.routing import IntegerConverter

from mentoring.extensions import db, login_manager
from mentoring.i18n import (
    LOCALE_NAMES,
    current_language,
    format_day,
    format_moment,
    format_number,
    format_share,
    localized,
)
from mentoring.meetings.timezones import zone_abbreviation
from mentoring.people.models import ROLE_LABELS, Person, Role
from mentoring.permissions import public

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)
# Feed and reset URLs carry secrets: no other site ever learns a URL of this one.
REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()"
)
HSTS = "max-age=31536000; includeSubDomains"
# Endpoints whose responses set their own caching (calendar feeds revalidate with ETags).
OWN_CACHING_ENDPOINTS = frozenset({"meetings.feed"})


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link to an endpoint built from EXTERNAL_URL, never from the Host header."""
    base = urlsplit(current_app.config["EXTERNAL_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def escape_line_breaks(text: str) -> str:
    """Text fit for one log line: CR and LF (and other line separators) written as escapes."""
    return (
        text.replace("\r", "\\r")
        .replace("\n", "\\n")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_record_factory_installed = False


def install_log_line_escaping() -> None:
    """Make every log record's message a single line, so user data cannot forge a line."""
    global _record_factory_installed
    if _record_factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        message = record.getMessage()
        escaped = escape_line_breaks(message)
        if escaped != message or record.args:
            record.msg, record.args = escaped, ()
        return record

    logging.setLogRecordFactory(factory)
    _record_factory_installed = True


@cache
def _person_statement() -> Select:
    """A person with their roles, in one query (every page asks the roles: navigation,
    access rules); built once per process, as building it costs more than running it."""
    return (
        select(Person)
        .where(Person.id == bindparam("id", type_=Integer))
        .options(joinedload(Person.role_links))
    )


@login_manager.user_loader
def load_person(session_id: str) -> Person | None:
    """Load the signed-in person from the session, if the session is still valid.

    The session id is "<person id>:<session token>"; a token that no longer matches
    (sign-out, password change) or a disabled account ends the session.
    """
    from mentoring.auth.services import session_token_matches

    person_id, _, token = session_id.partition(":")
    if not person_id.isdigit() or not token:
        return None
    person = db.session.scalars(_person_statement(), {"id": int(person_id)}).unique().first()
    if person is None or not person.is_active or not session_token_matches(person, token):
        return None
    return person


def viewer_timezone() -> ZoneInfo:
    """The time zone to show times in: the signed-in person's, else the site default."""
    name = current_app.config["DEFAULT_TIMEZONE"]
    if current_user.is_authenticated and current_user.timezone:
        name = current_user.timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_localtime(value: datetime | None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """Format an aware UTC datetime in the viewer's time zone and language, naming the zone."""
    if value is None:
        return ""
    local = value.astimezone(viewer_timezone())
    if "%H" not in fmt and "%I" not in fmt:
        return format_moment(local, fmt)  # a date alone: the zone would only add noise
    return f"{format_moment(local, fmt)} {zone_abbreviation(local)}"


SMALL_GROUP = 5


def small_group(count: int) -> str:
    """A count of people as leadership may see it: groups under 5 are not shown exactly."""
    if 0 < count < SMALL_GROUP:
        return f"fewer than {SMALL_GROUP}"
    return str(count)


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` URL parts that fit a database integer: larger ones are a plain 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**63 - 1, signed=False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_web(app: Flask) -> None:
    """Install headers, template helpers and the health check on the app."""

    @app.before_request
    def refuse_nul_characters():
        # NUL cannot be stored in PostgreSQL text and is never typed by a person.
        values = [*request.args.values(), *request.form.values()]
        if any("\x00" in value for value in values):
            abort(400)

    install_log_line_escaping()
    hsts = app.config.get("ENV_NAME") == "production" or app.config.get("SESSION_COOKIE_SECURE")
    static_prefix = (app.static_url_path or "/static") + "/"

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = REFERRER_POLICY
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        if hsts:
            headers["Strict-Transport-Security"] = HSTS
        # Nothing the app generates may sit in a shared or back-button cache: signed-in
        # pages, exports, .ics files, and forms holding a CSRF token or a secret link.
        # Static files revalidate (Flask's ETags); calendar feeds set their own headers.
        own_caching = request.endpoint in OWN_CACHING_ENDPOINTS and response.status_code < 400
        if not request.path.startswith(static_prefix) and not own_caching:
            if "no-store" not in (headers.get("Cache-Control") or ""):
                headers["Cache-Control"] = "no-store"
        return response

    app.add_template_filter(format_localtime, "localtime")
    app.add_template_filter(small_group, "small_group")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_share, "percent")
    app.add_template_filter(localized, "localized")
    app.jinja_env.globals.update(
        LOCALE_NAMES=LOCALE_NAMES,
        current_language=current_language,
        localized=localized,
        Role=Role,
        ROLE_LABELS=ROLE_LABELS,
    )

    @app.route("/healthz")
    @public
    def healthz():
        """Answer a load balancer: 200 when the database answers."""
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok")
