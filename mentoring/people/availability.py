"""Weekly availability windows, written "Mon 09:00-11:00; Wed 14:00-16:00" in a person's
own time zone: reading them, checking them, writing them back.

Pure, with no Flask and no database, so the enrollment form, the participants import and
the matching read windows alike. A window is stored as
``{"day": 0-6 (Monday = 0), "start": "HH:MM", "end": "HH:MM"}``. Problems are worded
through a `gettext`-like callable `_` (English when none is given).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from mentoring.plain_english import Gettext, english

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_WINDOWS = 21
EXAMPLE = "Mon 09:00-11:00"

# Day spellings, case-folded: English short and long forms, and French (lun., lundi…).
DAY_NAMES: dict[str, int] = {
    name: index
    for index, names in enumerate(
        (
            ("mon", "monday", "lun", "lundi"),
            ("tue", "tues", "tuesday", "mar", "mardi"),
            ("wed", "weds", "wednesday", "mer", "mercredi"),
            ("thu", "thur", "thurs", "thursday", "jeu", "jeudi"),
            ("fri", "friday", "ven", "vendredi"),
            ("sat", "saturday", "sam", "samedi"),
            ("sun", "sunday", "dim", "dimanche"),
        )
    )
    for name in names
}

# Between windows: ; , | or a new line. Inside a window: a day (or a day range such as
# Mon-Fri), then a start and an end time (09:00, 9:00, 9h30, 9.30, 9h or 9).
_SEPARATORS = re.compile(r"[;,|\n\r]")
_TIME = r"\d{1,2}(?:[:h.]\d{2}|h)?"
_WINDOW = re.compile(
    rf"(?:(?P<day>[^\W\d_]+)\.?(?:\s*[-–]\s*(?P<last>[^\W\d_]+)\.?)?\s*:?\s+)?"
    rf"(?P<start>{_TIME})\s*(?:-|–|—|to|à|a)\s*(?P<end>{_TIME})",
    re.IGNORECASE,
)
_TIME_PARTS = re.compile(r"(\d{1,2})(?:[:h.](\d{2}))?h?", re.IGNORECASE)

Window = tuple[int, str, str]  # (day, "HH:MM", "HH:MM"): hashable, compares as data
# Why a window is refused, as data: (kind, its values); worded by `_problem_text`.
Problem = tuple[str, tuple[tuple[str, str], ...]]


def day_names(_: Gettext = english) -> tuple[str, ...]:
    """Short day names, Monday first, in the reader's language; `parse_availability`
    reads them back (lun., mar., … in French)."""
    return (
        _("Mon"),
        _("Tue"),
        _("Wed"),
        _("Thu"),
        _("Fri"),
        _("Sat"),
        _("Sun"),
    )


def minutes_of_day(text: str) -> int:
    """Minutes since midnight of a time written 09:30, 9h30, 9.30, 9h or 9; ValueError if
    it is not a time of day (24:00 is the end of the day)."""
    match = _TIME_PARTS.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"'{text}' is not a time of day.")
    hours, minutes = int(match[1]), int(match[2] or 0)
    value = hours * 60 + minutes
    if hours > 24 or minutes > 59 or value > 24 * 60:
        raise ValueError(f"'{text}' is not a time of day.")
    return value


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _shorten(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _day(name: str) -> int | None:
    return DAY_NAMES.get(name.casefold())


@lru_cache(maxsize=4096)  # an import repeats the same few windows thousands of times
def _read_window(item: str) -> tuple[tuple[Window, ...], Problem | None]:
    """The windows one item gives (a day range gives several), or why it is refused.

    The reason is data, not words: the cache is shared by readers of every language."""
    shown = _shorten(item)
    match = _WINDOW.fullmatch(item)
    if match is None:
        return (), ("not_window", (("item", shown),))
    if match["day"] is None:
        return (), ("no_day", (("item", shown),))
    first = _day(match["day"])
    last = first if match["last"] is None else _day(match["last"])
    if first is None or last is None:
        name = match["day"] if first is None else match["last"]
        return (), ("unknown_day", (("item", shown), ("day", _shorten(name))))
    if last < first:
        return (), ("backwards", (("item", shown),))
    times = []
    for text in (match["start"], match["end"]):
        try:
            times.append(minutes_of_day(text))
        except ValueError:
            return (), ("bad_time", (("item", shown), ("time", _shorten(text))))
    start, end = times
    if end < start:
        return (), ("ends_before", (("item", shown),))
    if end == start:
        return (), ("ends_at_start", (("item", shown),))
    return tuple((day, _clock(start), _clock(end)) for day in range(first, last + 1)), None


def _problem_text(problem: Problem, _: Gettext) -> str:
    """A refused window in the reader's words (a lower-case clause, no final stop)."""
    kind, values = problem
    params = dict(values, example=EXAMPLE)
    if kind == "no_day":
        return _("'%(item)s' has no day: write it like '%(example)s'", **params)
    if kind == "unknown_day":
        # TRANSLATORS: the day names listed are those the import reads; keep them as they are.
        return _(
            "'%(item)s' is not a window like '%(example)s': unknown day '%(day)s' "
            "(write Mon to Sun, Monday to Sunday, or lundi to dimanche)",
            **params,
        )
    if kind == "backwards":
        return _("'%(item)s': the days run backwards (write Mon-Fri, not Fri-Mon)", **params)
    if kind == "bad_time":
        return _("'%(item)s': '%(time)s' is not a time of day (00:00 to 24:00)", **params)
    if kind == "ends_before":
        return _("'%(item)s' ends before it starts", **params)
    if kind == "ends_at_start":
        return _("'%(item)s' ends when it starts", **params)
    return _("'%(item)s' is not a window like '%(example)s'", **params)


def read_availability(text: str, _: Gettext = english) -> tuple[tuple[Window, ...], list[str]]:
    """Every window of a text, sorted and without repeats, and every problem found in it
    (all of them, so an import can list each bad window), worded through `_`."""
    windows: set[Window] = set()
    problems: list[str] = []
    for raw in _SEPARATORS.split(text or ""):
        item = " ".join(raw.split())
        if not item:
            continue
        found, problem = _read_window(item)
        if problem is not None:
            problems.append(_problem_text(problem, _))
        windows.update(found)
    if len(windows) > MAX_WINDOWS:
        problems.append(
            _(
                "%(count)s weekly windows: give at most %(limit)s (join windows that touch "
                "into one)",
                count=len(windows),
                limit=MAX_WINDOWS,
            )
        )
    return tuple(sorted(windows)), problems


def parse_availability(text: str, _: Gettext = english) -> list[dict[str, Any]]:
    """Weekly windows as stored from "Mon 09:00-11:00, Thu 14:00-15:30" (also one per line
    or separated by ; or |); ValueError naming the first bad window, worded through `_`."""
    windows, problems = read_availability(text, _)
    if problems:
        raise ValueError(problems[0][0].upper() + problems[0][1:] + ".")
    return as_stored(windows)


def as_stored(windows: Iterable[Window]) -> list[dict[str, Any]]:
    """Windows in the form an enrollment stores them."""
    return [{"day": day, "start": start, "end": end} for day, start, end in windows]


def from_stored(stored: Iterable[Mapping[str, Any]] | None) -> tuple[Window, ...]:
    """Stored windows as sorted tuples, so two lists compare as data."""
    return tuple(sorted({(int(w["day"]), str(w["start"]), str(w["end"])) for w in stored or ()}))


def format_availability(
    windows: Iterable[Mapping[str, Any]] | Iterable[Window], days: Sequence[str] = DAYS
) -> str:
    """Windows written back in the form `parse_availability` reads, with these day names
    (`day_names(gettext)` for the reader's language)."""
    items = [w if isinstance(w, tuple) else from_stored([w])[0] for w in windows]
    return ", ".join(f"{days[day]} {start}-{end}" for day, start, end in items)
