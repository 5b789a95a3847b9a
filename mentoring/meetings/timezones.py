"""Local wall-clock times to UTC and back, refusing times a time zone skips or repeats.

Pure helpers (no Flask): a person types a date and a time in their own zone; the
database stores UTC. On the night the clocks go forward some local times never
happen (the DST gap); on the night they go back some happen twice (the fold). Both are
refused with a message that names the local time, rather than silently guessed.

The messages go through a `gettext`-like callable `_`, and dates in them through a
`describe_day` callable, that the caller passes (Flask-Babel's, in the reader's
language); without them they are English.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from mentoring.plain_english import Gettext
from mentoring.plain_english import english as _english


def _english_day(day: date) -> str:
    return day.strftime("%a %d %b %Y")


class LocalTimeError(ValueError):
    """A local date and time that cannot be turned into one UTC instant."""


class UnknownTimeZone(LocalTimeError):
    """A time zone name the IANA database does not know."""


class NonexistentLocalTime(LocalTimeError):
    """A local time skipped when the clocks go forward."""


class AmbiguousLocalTime(LocalTimeError):
    """A local time that happens twice when the clocks go back."""


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def load_zone(name: str, _: Gettext = _english) -> ZoneInfo:
    """The IANA time zone of that name, or UnknownTimeZone."""
    name = (name or "").strip()
    # available_timezones() rules out file paths and oddities ZoneInfo might accept.
    if name not in _known_zones():
        raise UnknownTimeZone(
            _("'%(zone)s' is not a known time zone (use a name like Europe/Paris).", zone=name)
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:  # pragma: no cover - listed zones load
        raise UnknownTimeZone(_("'%(zone)s' is not a known time zone.", zone=name)) from error


def describe_local(
    day: date,
    clock: time,
    _: Gettext = _english,
    describe_day: Callable[[date], str] = _english_day,
) -> str:
    """A local date and time as people read it: 'Sun 28 Mar 2027 at 02:30'."""
    return _("%(day)s at %(time)s", day=describe_day(day), time=clock.strftime("%H:%M"))


# Dates far outside a program's life overflow when shifted across time zones.
MIN_YEAR, MAX_YEAR = 1900, 2200


def local_to_utc(
    day: date,
    clock: time,
    zone_name: str,
    _: Gettext = _english,
    describe_day: Callable[[date], str] = _english_day,
) -> datetime:
    """Turn a wall-clock date and time in a zone into an aware UTC datetime.

    Raises UnknownTimeZone, NonexistentLocalTime (DST gap) or AmbiguousLocalTime (DST
    fold), each with a message for the person who typed the time.
    """
    zone = load_zone(zone_name, _)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise LocalTimeError(
            _("Choose a date between %(first)s and %(last)s.", first=MIN_YEAR, last=MAX_YEAR)
        )
    naive = datetime.combine(day, clock.replace(tzinfo=None, fold=0))
    earlier = naive.replace(tzinfo=zone, fold=0)
    later = naive.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() != later.utcoffset():
        # Both folds disagree: the time is either skipped or repeated. A skipped time
        # does not survive the round trip through UTC; a repeated one does.
        back = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        when = describe_local(day, clock, _, describe_day)
        if back != naive:
            raise NonexistentLocalTime(
                _(
                    "%(when)s in %(zone)s does not exist: the clocks go forward that night. "
                    "Choose another time.",
                    when=when,
                    zone=zone_name,
                )
            )
        raise AmbiguousLocalTime(
            _(
                "%(when)s in %(zone)s happens twice: the clocks go back that night. "
                "Choose a time an hour earlier or later.",
                when=when,
                zone=zone_name,
            )
        )
    return earlier.astimezone(UTC)


def utc_to_local(moment: datetime, zone_name: str) -> datetime:
    """An aware datetime shown in a zone (UTC when the zone is unknown)."""
    try:
        zone = load_zone(zone_name)
    except UnknownTimeZone:
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone)


def format_in_zone(
    moment: datetime,
    zone_name: str,
    fmt: str = "%a %d %b %Y, %H:%M",
    *,
    strftime: Callable[[datetime, str], str] = datetime.strftime,
) -> str:
    """Format an aware datetime in a zone, naming the zone's abbreviation; `strftime`
    formats the local time (`mentoring.i18n.format_moment` for the reader's language)."""
    local = utc_to_local(moment, zone_name)
    return f"{strftime(local, fmt)} {zone_abbreviation(local)}"


def zone_abbreviation(local: datetime) -> str:
    """The zone of a local time as a reader knows it: "CET", "EST", and "UTC+08" where the
    zone has no letters of its own (the database writes Singapore's as "+08")."""
    name = local.tzname() or ""
    return f"UTC{name}" if name[:1] in ("+", "-") else name
