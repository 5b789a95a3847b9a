"""iCalendar invitations (iTIP, RFC 5546) for email: METHOD, ORGANIZER and ATTENDEE.

Pure: no Flask, no database. Each VEVENT comes from meetings/ical.py's `build_event`,
so an invitation carries the very UID and SEQUENCE the feed and the .ics download
show, and a calendar client files them as one event. A series is one VCALENDAR with
one VEVENT per meeting (not an RRULE): each meeting keeps its own UID and can be moved
or cancelled alone, exactly as the feed shows it, where an RRULE would need a series
UID the feed does not have and exceptions for every moved meeting.

The words around the data (in DESCRIPTION) go through the `gettext`-like `_` the caller
passes, in the recipient's language; without one they are English.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Calendar, vCalAddress, vText

from mentoring.meetings.ical import PRODID, CalendarEvent, Gettext, build_event
from mentoring.plain_english import english as _english

METHODS = ("REQUEST", "CANCEL")
PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE")


@dataclass(frozen=True)
class Party:
    """A person on an invitation: name and address, and their answer when attending."""

    name: str
    email: str
    partstat: str = "NEEDS-ACTION"


def _address(party: Party, *, attendee: bool) -> vCalAddress:
    if "\n" in party.email or "\r" in party.email or ":" in party.email:
        raise ValueError(f"not an email address: {party.email!r}")
    address = vCalAddress(f"mailto:{party.email}")
    # A parameter value cannot hold quotes or line breaks; a name is one plain line.
    name = " ".join(party.name.replace('"', "'").split())
    if name:
        address.params["CN"] = vText(name)
    if attendee:
        if party.partstat not in PARTSTATS:
            raise ValueError(f"unknown PARTSTAT {party.partstat!r}")
        address.params["CUTYPE"] = vText("INDIVIDUAL")
        address.params["ROLE"] = vText("REQ-PARTICIPANT")
        address.params["PARTSTAT"] = vText(party.partstat)
        address.params["RSVP"] = vText("FALSE")
    return address


def render_invitation(
    events: Sequence[CalendarEvent],
    *,
    method: str,
    organizer: Party,
    attendees: Sequence[Party],
    _: Gettext = _english,
) -> bytes:
    """A VCALENDAR with METHOD REQUEST (new, changed) or CANCEL, one VEVENT per meeting."""
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    if not events:
        raise ValueError("an invitation needs at least one meeting")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for event in events:
        if method == "CANCEL" and event.status != "cancelled":
            raise ValueError("a cancellation carries cancelled meetings only")
        vevent = build_event(event, _)
        vevent.add("organizer", _address(organizer, attendee=False))
        for attendee in attendees:
            vevent.add("attendee", _address(attendee, attendee=True))
        calendar.add_component(vevent)
    return calendar.to_ical()
