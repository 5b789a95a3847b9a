"""The rules of goals and self-assessment that need no database or request.

Kept free of Flask and SQLAlchemy so they can be tested alone. The messages go through a
`gettext`-like callable `_` the caller passes (Flask-Babel's, in the reader's language);
without one they are English.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlsplit

from mentoring.plain_english import Gettext
from mentoring.plain_english import english as _english

NOT_STARTED, IN_PROGRESS, DONE, DROPPED = "not_started", "in_progress", "done", "dropped"

# Which status a goal may move to by hand, from each status. Ticking the first milestone
# also moves not_started → in_progress; "done" needs the evidence the goal's kind asks for.
TRANSITIONS: dict[str, frozenset[str]] = {
    NOT_STARTED: frozenset({IN_PROGRESS, DONE, DROPPED}),
    IN_PROGRESS: frozenset({DONE, DROPPED}),
    DROPPED: frozenset({IN_PROGRESS}),  # resume
    DONE: frozenset({IN_PROGRESS}),  # reopen
}


def _english_day(day: date) -> str:
    return day.strftime("%d %b %Y")


MAX_URL_LENGTH = 500
MAX_NOTE_LENGTH = 2000
CONFIDENCE_RANGE = range(1, 6)
# The end-of-cohort self-assessment opens this long before the cohort's end date.
END_ASSESSMENT_WINDOW = timedelta(days=14)


def can_move(current: str, target: str) -> bool:
    """Whether a goal may go from one status to the other."""
    return target in TRANSITIONS.get(current, frozenset())


def progress_percent(done: int, total: int, status: str) -> int:
    """Milestones done as a whole percentage; without milestones, 100 when done, else 0."""
    if total:
        return round(100 * done / total)
    return 100 if status == DONE else 0


def evidence_present(kind: str, url: str, attested: bool, note: str) -> bool:
    """Whether the evidence a kind asks for is there (kind "none" needs nothing)."""
    if kind == "url":
        return bool(url)
    if kind == "yes_no":
        return bool(attested)
    if kind == "note":
        return bool(note.strip())
    return True


def url_problem(url: str, _: Gettext = _english) -> str | None:
    """Say what is wrong with an evidence URL, or None when it is a usable http(s) link."""
    if len(url) > MAX_URL_LENGTH:
        return _(
            "Keep the link to %(limit)s characters; this one has %(length)s.",
            limit=MAX_URL_LENGTH,
            length=len(url),
        )
    if any(character.isspace() for character in url):
        return _("A link cannot contain spaces.")
    try:
        parts = urlsplit(url)
    except ValueError:
        return _("This is not a valid link.")
    if parts.scheme.lower() not in ("http", "https"):
        return _("Give a web link that starts with https:// (or http://).")
    if not parts.hostname:
        return _("The link needs a site name, e.g. https://www.linkedin.com/in/your-name.")
    return None


def target_date_problem(
    target: date | None,
    start: date,
    end: date,
    _: Gettext = _english,
    format_day: Callable[[date], str] = _english_day,
) -> str | None:
    """Say why a target date does not fit the cohort's dates, or None."""
    if target is None:
        return None
    if target < start:
        return _(
            "The target date must be on or after the cohort's start, %(day)s.",
            day=format_day(start),
        )
    if target > end:
        return _(
            "The target date must be on or before the cohort's end, %(day)s.",
            day=format_day(end),
        )
    return None


def confidence_problem(value: object, _: Gettext = _english) -> str | None:
    """Say why a confidence rating is unacceptable, or None for a whole number 1 to 5."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in CONFIDENCE_RANGE:
        return _("Choose a confidence from 1 (not at all confident) to 5 (very confident).")
    return None


def end_window_opens(cohort_end: date) -> date:
    """The first day the end-of-cohort self-assessment is offered."""
    return cohort_end - END_ASSESSMENT_WINDOW


def open_phases(today: date, cohort_end: date, *, cohort_closed: bool) -> tuple[str, ...]:
    """Which self-assessment phases may be filled in today.

    The start one any time while the cohort is not closed (late joiners still get a
    baseline); the end one from two weeks before the cohort's end until it is closed.
    """
    if cohort_closed:
        return ()
    if today >= end_window_opens(cohort_end):
        return ("start", "end")
    return ("start",)


def start_prompt_ends(cohort_start: date, cohort_end: date) -> date:
    """The first day the start-of-cohort self-assessment is no longer prompted for: once
    the cohort is past its first third, ratings would no longer be a starting point."""
    return cohort_start + (cohort_end - cohort_start) / 3


def due_phase(
    today: date,
    cohort_start: date,
    cohort_end: date,
    *,
    cohort_closed: bool,
    start_done: bool,
    end_done: bool,
) -> str | None:
    """The self-assessment to prompt for today: the end one once its window is open,
    else the start one if it is missing and the cohort is in its first third; None when
    nothing is due."""
    phases = open_phases(today, cohort_end, cohort_closed=cohort_closed)
    if "end" in phases:
        return None if end_done else "end"
    if "start" in phases and not start_done and today < start_prompt_ends(cohort_start, cohort_end):
        return "start"
    return None
