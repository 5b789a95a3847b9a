"""Reading list parameters from the URL safely."""

from __future__ import annotations

from flask import current_app, request

MAX_PAGE = 100_000


def whole_number(raw: str | None, *, max_digits: int = 9) -> int | None:
    """A non-negative integer typed in ASCII digits (Unicode digits and huge values are
    refused), or None."""
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > max_digits:
        return None
    return int(raw)


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """A URL parameter as an integer clamped to [low, high]; anything else is the default."""
    value = whole_number(request.args.get(name))
    return default if value is None else min(max(value, low), high)


def page_number() -> int:
    """The ?page= parameter as a positive integer; anything else means page 1."""
    return int_arg("page", 1, 1, MAX_PAGE)


def search_text(name: str = "q", max_length: int = 100) -> str:
    """A free-text URL parameter, trimmed and bounded."""
    return (request.args.get(name) or "").strip()[:max_length]


def choice_arg(name: str, allowed: set[str] | frozenset[str]) -> str:
    """A URL parameter that must be one of the allowed values; anything else means ''."""
    value = request.args.get(name) or ""
    return value if value in allowed else ""


def paginate(statement):
    """Paginate a select with the app's page size; past the last page shows the last one."""
    from mentoring.extensions import db

    per_page = current_app.config["PER_PAGE"]
    page = page_number()
    pagination = db.paginate(statement, page=page, per_page=per_page, error_out=False)
    if pagination.pages and page > pagination.pages:
        pagination = db.paginate(
            statement, page=pagination.pages, per_page=per_page, error_out=False
        )
    return pagination
