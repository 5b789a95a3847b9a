"""Request-level wiring: loading the signed-in person, headers, template helpers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, abort, current_app, jsonify, request
from flask_login import current_user
from sqlalchemy import text
from werkzeug.routing import IntegerConverter

from mentoring.extensions import db, login_manager
from mentoring.people.models import ROLE_LABELS, Person, Role
from mentoring.permissions import public

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
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
    person = db.session.get(Person, int(person_id))
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
    """Format an aware UTC datetime in the viewer's time zone, naming the zone."""
    if value is None:
        return ""
    local = value.astimezone(viewer_timezone())
    if "%H" not in fmt and "%I" not in fmt:
        return local.strftime(fmt)  # a date alone: the zone would only add noise
    return f"{local.strftime(fmt)} {local.tzname()}"


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

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response

    app.add_template_filter(format_localtime, "localtime")
    app.add_template_filter(small_group, "small_group")
    app.jinja_env.globals.update(
        Role=Role,
        ROLE_LABELS=ROLE_LABELS,
    )

    @app.route("/healthz")
    @public
    def healthz():
        """Answer a load balancer: 200 when the database answers."""
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok")
