"""Generic error pages: a clear message, no stack trace, no internals."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from mentoring.extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back and try again."),
    401: ("Please sign in", "You need to sign in to see this page."),
    403: ("Not allowed", "Your account does not give access to this page."),
    404: ("Page not found", "There is nothing at this address, or you do not have access to it."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: (
        "File too large",
        "The file you sent is larger than this site accepts. Split it or remove columns "
        "you do not need, then try again.",
    ),
    429: ("Too many attempts", "Too many attempts in a short time. Wait a minute and try again."),
    500: (
        "Something went wrong",
        "An unexpected error happened on our side and nothing was saved. Try again; if it "
        "keeps happening, tell your HR program manager what you were doing.",
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
            "This form has expired or did not come from this site. Reload the page and "
            "send it again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith(app.static_url_path or "/static"):
            return error
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
