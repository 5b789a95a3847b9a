"""iCalendar (RFC 5545) output for meetings: one event as a file, or a person's feed.

Pure: no Flask, no database. The callers turn meetings into `CalendarEvent`s, which
carry no private notes at all, and an agenda only with its privacy flag; this module
drops private agendas itself, so no caller can leak one by mistake. The same events
always give the same bytes (DTSTAMP is the meeting's last change, never "now"), so a
feed can be validated with an ETag.

Text goes through the icalendar library, which escapes commas, semicolons, backslashes
and new lines and folds long lines on UTF-8 boundaries, so nothing a person types can
start a property of its own. URLs are not escaped by RFC 5545 (they are URIs), so they
are checked here instead.

The words a calendar shows around the data ("Video link:", "Agenda:") go through a
`gettext`-like callable `_` the caller passes (Flask-Babel's, in the reader's language);
without one they are English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneStandard, vText

from mentoring.plain_english import Gettext
from mentoring.plain_english import english as _english

PRODID = "-//Reverse Mentoring//Meetings 1.0//EN"
# Bump when the output format changes, so feed ETags change with it.
FORMAT_VERSION = "1"

# Meeting statuses (see models.MeetingStatus) as VEVENT STATUS values.
ICAL_STATUS = {
    "proposed": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "held": "CONFIRMED",
    "no_show": "CONFIRMED",
    "cancelled": "CANCELLED",
}


_SAFE_URL = re.compile(r"^https?://[!#-~]+$")  # printable ASCII, no space, no quote


@dataclass(frozen=True)
class CalendarEvent:
    """Everything a calendar may show of one meeting, and nothing more."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    status: str
    summary: str
    location: str = ""
    video_url: str = ""
    agenda: str = ""
    agenda_private: bool = True
    page_url: str = ""
    created: datetime | None = None
    last_modified: datetime | None = None


def normalise_text(text: str) -> str:
    """Line breaks as LF only, the form iCalendar text round-trips exactly."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _text(text: str) -> vText:
    # Always an explicit TEXT value: icalendar leaves properties it does not know (NAME,
    # X-WR-CALNAME) unescaped, where a new line would start a property of its own.
    return vText(normalise_text(text))


def check_url(url: str) -> str:
    """Return an http(s) URL that is safe to write as a URI value, or raise ValueError."""
    if not _SAFE_URL.match(url or ""):
        raise ValueError(f"not a safe http(s) URL: {url!r}")
    return url


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: calendar times must be aware")
    # Whole seconds: iCalendar has no sub-second precision.
    return moment.astimezone(UTC).replace(microsecond=0)


def description_of(event: CalendarEvent, _: Gettext = _english) -> str:
    """The DESCRIPTION text: the video link, the agenda unless private, the pair page."""
    parts = []
    if event.video_url:
        parts.append(_("Video link: %(url)s", url=event.video_url))
    if event.agenda and not event.agenda_private:
        parts.append(_("Agenda:") + "\n" + normalise_text(event.agenda))
    if event.page_url:
        parts.append(_("Details: %(url)s", url=event.page_url))
    return "\n\n".join(parts)


def build_event(event: CalendarEvent, _: Gettext = _english) -> Event:
    """One VEVENT for a meeting: times in UTC, stable UID, SEQUENCE, STATUS."""
    if event.status not in ICAL_STATUS:
        raise ValueError(f"unknown meeting status {event.status!r}")
    stamp = _utc(event.last_modified or event.created or event.start)
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _utc(event.start))
    vevent.add("dtend", _utc(event.end))
    vevent.add("sequence", event.sequence)
    vevent.add("status", ICAL_STATUS[event.status])
    vevent.add("summary", _text(event.summary))
    location = event.location or event.video_url
    if location:
        vevent.add("location", _text(location))
    if event.video_url:
        vevent.add("url", check_url(event.video_url))
    description = description_of(event, _)
    if description:
        vevent.add("description", _text(description))
    if event.page_url:
        check_url(event.page_url)
    # Cancelled meetings no longer make anyone busy.
    vevent.add("transp", "TRANSPARENT" if event.status == "cancelled" else "OPAQUE")
    if event.created:
        vevent.add("created", _utc(event.created))
    vevent.add("last-modified", stamp)
    return vevent


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = " ".join(name.split())  # a calendar's name is one line
    if name:
        calendar.add("name", _text(name))
        calendar.add("x-wr-calname", _text(name))
    return calendar


def render_event_file(event: CalendarEvent, _: Gettext = _english) -> bytes:
    """A downloadable .ics file holding one meeting (METHOD:PUBLISH, as for a file)."""
    calendar = _calendar("")
    calendar.add("method", "PUBLISH")
    calendar.add_component(build_event(event, _))
    return calendar.to_ical()


def render_feed(events: Iterable[CalendarEvent], *, name: str, _: Gettext = _english) -> bytes:
    """A subscription feed: every event, cancelled ones included, and no METHOD."""
    calendar = _calendar(name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for event in sorted(events, key=lambda e: (_utc(e.start), e.uid)):
        calendar.add_component(build_event(event, _))
    if not calendar.subcomponents:
        # RFC 5545 wants at least one component: an empty feed carries the UTC zone.
        calendar.add_component(_utc_zone())
    return calendar.to_ical()


def _utc_zone() -> Timezone:
    standard = TimezoneStandard()
    # Naive on purpose: a zone rule's start is a local time.
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    zone = Timezone()
    zone.add("tzid", "UTC")
    zone.add_component(standard)
    return zone
