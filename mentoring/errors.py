"""Generic error pages: a clear message, no stack trace, no internals."""

from __future__ import annotations

from contextlib import suppress

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from mentoring.extensions import db, login_manager

# Seconds a client is asked to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 30

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    401: (_l("Please sign in"), _l("You need to sign in to see this page.")),
    403: (_l("Not allowed"), _l("Your account does not give access to this page.")),
    404: (
        _l("Page not found"),
        _l("There is nothing at this address, or you do not have access to it."),
    ),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (
        _l("File too large"),
        _l(
            "The file you sent is larger than this site accepts. Split it or remove columns "
            "you do not need, then try again."
        ),
    ),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Wait a minute and try again."),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l(
            "The database is unavailable for a moment, so nothing was saved. Try again in a minute."
        ),
    ),
    500: (
        _l("Something went wrong"),
        _l(
            "An unexpected error happened on our side and nothing was saved. Try again; if it "
            "keeps happening, tell your HR program manager what you were doing."
        ),
    ),
}


def render_error(code: int, message: str | None = None):
    """Render the generic error page for an HTTP status."""
    title, default = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    try:
        page = render_template(
            "errors/error.html", code=code, title=title, message=message or default
        )
    except Exception:  # noqa: BLE001 - e.g. no URL adapter for an untrusted host
        text = f"{title}\n\n{message or default}\n"
        return text, code, {"Content-Type": "text/plain; charset=utf-8"}
    return page, code


def register(app: Flask) -> None:
    """Install the error handlers on the app."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            _(
                "This form has expired or did not come from this site. Reload the page and "
                "send it again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith(app.static_url_path or "/static"):
            return error
        if error.response is not None:  # a page the view built for its error (e.g. 429)
            return error.response
        return render_error(error.code or 500)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: DBAPIError):
        return database_unavailable_page(app, error)

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        if error.connection_invalidated:
            return database_unavailable_page(app, error)
        return unexpected_error(error)

    @app.teardown_appcontext
    def end_session(_error: BaseException | None) -> None:
        """Close the request's session before Flask-SQLAlchemy's own teardown (which runs
        after this one and then finds nothing to do). A connection the database dropped
        after the view's last statement (a server shutting down) cannot even roll back;
        that must not turn a page already rendered into a bare 500 from gunicorn."""
        try:
            db.session.remove()
        except DBAPIError as error:
            db.session.registry.clear()  # the pool has invalidated the dead connection
            app.logger.warning("Database connection lost at the end of a request: %s", error.orig)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)


def database_unavailable_page(app: Flask, error: DBAPIError):
    """503 with Retry-After when the database is down or unreachable; the pool reconnects
    by itself (pool_pre_ping), so the next request after it is back succeeds."""
    with suppress(Exception):  # the connection may already be gone: nothing to roll back
        db.session.rollback()
    app.logger.warning(
        "Database unavailable on %s %s: %s", request.method, request.path, error.orig
    )
    # Render as nobody: the signed-in person cannot be loaded (or refreshed after the
    # rollback) without the database. Flask-Login reads the current user from g.
    g._login_user = login_manager.anonymous_user()
    body, code, *headers = render_error(503)
    extra = dict(headers[0]) if headers else {}
    return body, code, {**extra, "Retry-After": str(RETRY_AFTER_SECONDS)}
