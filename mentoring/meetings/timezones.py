"""Local wall-clock times to UTC and back, refusing times a time zone skips or repeats.

Pure helpers (no Flask): a person types a date and a time in their own zone; the
database stores UTC. On the night the clocks go forward some local times never
happen (the DST gap); on the night they go back some happen twice (the fold). Both are
refused with a message that names the local time, rather than silently guessed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


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


def load_zone(name: str) -> ZoneInfo:
    """The IANA time zone of that name, or UnknownTimeZone."""
    name = (name or "").strip()
    # available_timezones() rules out file paths and oddities ZoneInfo might accept.
    if name not in _known_zones():
        raise UnknownTimeZone(f"'{name}' is not a known time zone (use a name like Europe/Paris).")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownTimeZone(f"'{name}' is not a known time zone.") from error


def describe_local(day: date, clock: time) -> str:
    """A local date and time as people read it: 'Sun 28 Mar 2027 at 02:30'."""
    return f"{day.strftime('%a %d %b %Y')} at {clock.strftime('%H:%M')}"


# Dates far outside a program's life overflow when shifted across time zones.
MIN_YEAR, MAX_YEAR = 1900, 2200


def local_to_utc(day: date, clock: time, zone_name: str) -> datetime:
    """Turn a wall-clock date and time in a zone into an aware UTC datetime.

    Raises UnknownTimeZone, NonexistentLocalTime (DST gap) or AmbiguousLocalTime (DST
    fold), each with a message for the person who typed the time.
    """
    zone = load_zone(zone_name)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise LocalTimeError(f"Choose a date between {MIN_YEAR} and {MAX_YEAR}.")
    naive = datetime.combine(day, clock.replace(tzinfo=None, fold=0))
    earlier = naive.replace(tzinfo=zone, fold=0)
    later = naive.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() != later.utcoffset():
        # Both folds disagree: the time is either skipped or repeated. A skipped time
        # does not survive the round trip through UTC; a repeated one does.
        back = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        where = f"{describe_local(day, clock)} in {zone_name}"
        if back != naive:
            raise NonexistentLocalTime(
                f"{where} does not exist: the clocks go forward that night. Choose another time."
            )
        raise AmbiguousLocalTime(
            f"{where} happens twice: the clocks go back that night. "
            "Choose a time an hour earlier or later."
        )
    return earlier.astimezone(UTC)


def utc_to_local(moment: datetime, zone_name: str) -> datetime:
    """An aware datetime shown in a zone (UTC when the zone is unknown)."""
    try:
        zone = load_zone(zone_name)
    except UnknownTimeZone:
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone)


def format_in_zone(moment: datetime, zone_name: str, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """Format an aware datetime in a zone, naming the zone's abbreviation."""
    local = utc_to_local(moment, zone_name)
    return f"{local.strftime(fmt)} {local.tzname()}"
