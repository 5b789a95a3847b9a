"""iCalendar output, parsed back with the icalendar library: RFC 5545 essentials, stable
UIDs, growing SEQUENCE, cancelled events, escaping, and nothing private inside."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from mentoring.meetings.ical import (
    CalendarEvent,
    build_event,
    check_url,
    render_event_file,
    render_feed,
)

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TRICKY = "Café «Le Zinc», 2nd floor; room: B\\12 — ünïcødé ↔ 東京"


def event(**changes) -> CalendarEvent:
    values = {
        "uid": "0b7e8f0e-6d59-4b1f-9d43-6d1a3b1c2d3e@reverse-mentoring",
        "sequence": 0,
        "start": START,
        "end": START + timedelta(minutes=45),
        "status": "confirmed",
        "summary": "Reverse mentoring: Ana ↔ M. Dupont",
        "location": "Room 4",
        "created": datetime(2027, 2, 1, 8, 0, tzinfo=UTC),
        "last_modified": datetime(2027, 2, 2, 8, 0, 0, 123456, tzinfo=UTC),
    }
    values.update(changes)
    return CalendarEvent(**values)


def parse(body: bytes) -> Calendar:
    calendar = Calendar.from_ical(body)
    calendar.validate()
    return calendar


def only_event(body: bytes):
    (vevent,) = parse(body).walk("VEVENT")
    return vevent


def test_a_file_has_the_required_properties_in_utc():
    body = render_event_file(event())
    calendar = parse(body)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Reverse Mentoring//")
    assert str(calendar["METHOD"]) == "PUBLISH"
    vevent = only_event(body)
    assert str(vevent["UID"]) == event().uid
    assert vevent.decoded("DTSTART") == START
    assert vevent.decoded("DTEND") == START + timedelta(minutes=45)
    assert vevent.decoded("DTSTAMP") == datetime(2027, 2, 2, 8, 0, tzinfo=UTC)
    assert vevent.decoded("LAST-MODIFIED") == datetime(2027, 2, 2, 8, 0, tzinfo=UTC)
    assert vevent.decoded("CREATED") == datetime(2027, 2, 1, 8, 0, tzinfo=UTC)
    assert int(vevent["SEQUENCE"]) == 0
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["SUMMARY"]) == "Reverse mentoring: Ana ↔ M. Dupont"
    assert b"DTSTART:20270301T090000Z\r\n" in body
    assert b"DTEND:20270301T094500Z\r\n" in body
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")


def test_every_content_line_is_folded_to_75_octets():
    body = render_event_file(event(location="ü" * 200, agenda="long " * 100, agenda_private=False))
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # folding never splits a multi-byte character


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("proposed", "TENTATIVE"),
        ("confirmed", "CONFIRMED"),
        ("held", "CONFIRMED"),
        ("no_show", "CONFIRMED"),
        ("cancelled", "CANCELLED"),
    ],
)
def test_meeting_states_map_to_event_statuses(status, expected):
    vevent = only_event(render_event_file(event(status=status)))
    assert str(vevent["STATUS"]) == expected
    assert str(vevent["TRANSP"]) == ("TRANSPARENT" if status == "cancelled" else "OPAQUE")


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="unknown meeting status"):
        build_event(event(status="postponed"))


def test_a_feed_has_no_method_and_keeps_cancelled_events():
    events = [
        event(),
        event(
            uid="second@reverse-mentoring",
            start=START + timedelta(days=14),
            end=START + timedelta(days=14, hours=1),
            status="cancelled",
            sequence=3,
        ),
    ]
    body = render_feed(events, name="Reverse mentoring · Ana")
    calendar = parse(body)
    assert "METHOD" not in calendar
    assert b"METHOD" not in body
    assert str(calendar["X-WR-CALNAME"]) == "Reverse mentoring · Ana"
    vevents = calendar.walk("VEVENT")
    assert [str(v["UID"]) for v in vevents] == [events[0].uid, "second@reverse-mentoring"]
    assert str(vevents[1]["STATUS"]) == "CANCELLED"
    assert int(vevents[1]["SEQUENCE"]) == 3


def test_the_same_events_always_render_the_same_bytes():
    events = [event(), event(uid="b@x", start=START - timedelta(days=7), end=START)]
    first = render_feed(events, name="Feed")
    assert render_feed(list(reversed(events)), name="Feed") == first
    assert render_event_file(events[0]) == render_event_file(events[0])


@pytest.mark.parametrize(
    "text",
    [
        TRICKY,
        "a,b;c:d\\e",
        "line one\nline two\n\nline four",
        "trailing spaces   ",
        "Ligne: 1; «guillemets», tabs\tand emoji 🎉",
    ],
)
def test_text_round_trips_exactly(text):
    body = render_event_file(event(summary=text, location=text, agenda=text, agenda_private=False))
    vevent = only_event(body)
    assert str(vevent["SUMMARY"]) == text
    assert str(vevent["LOCATION"]) == text
    assert f"Agenda:\n{text}" in str(vevent["DESCRIPTION"])


def test_windows_line_breaks_come_back_as_line_feeds():
    vevent = only_event(render_event_file(event(location="a\r\nb\rc")))
    assert str(vevent["LOCATION"]) == "a\nb\nc"


@pytest.mark.parametrize(
    "attack",
    [
        "x\r\nATTENDEE:mailto:evil@example.org",
        "x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil",
        "x\r\n ATTENDEE:evil",
        "x;X-INJECTED=1:y",
    ],
)
def test_user_text_cannot_add_a_property(attack):
    body = render_feed(
        [event(summary=attack, location=attack, agenda=attack, agenda_private=False)],
        name=attack,
    )
    calendar = parse(body)
    vevent = only_event(body)
    assert "ATTENDEE" not in vevent
    assert "X-INJECTED" not in vevent
    assert len(calendar.walk("VEVENT")) == 1
    assert str(vevent["UID"]) == event().uid
    expected = attack.replace("\r\n", "\n")
    assert str(vevent["LOCATION"]) == expected
    assert str(vevent["SUMMARY"]) == expected
    names = [line.split(b":")[0].split(b";")[0] for line in body.split(b"\r\n") if line]
    assert not any(name.startswith((b"ATTENDEE", b"X-INJECTED")) for name in names)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://meet.example/a b",
        'https://meet.example/"x"',
        "https://meet.example/x\r\nATTENDEE:evil",
        "ftp://files.example/x",
    ],
)
def test_unsafe_urls_are_refused(url):
    with pytest.raises(ValueError):
        check_url(url)
    with pytest.raises(ValueError):
        render_event_file(event(video_url=url))


def test_a_video_link_is_the_url_and_the_location_when_there_is_no_place():
    link = "https://meet.example/abc-defg?pwd=1;x=2"
    vevent = only_event(render_event_file(event(location="", video_url=link)))
    assert str(vevent["URL"]) == link
    assert str(vevent["LOCATION"]) == link
    assert f"Video link: {link}" in str(vevent["DESCRIPTION"])


def test_a_private_agenda_never_reaches_a_calendar():
    private = event(
        agenda="PRIVATE: my fear of TikTok", agenda_private=True, page_url="https://x/p/1"
    )
    for body in (render_event_file(private), render_feed([private], name="Feed")):
        assert b"TikTok" not in body
        vevent = only_event(body)
        assert "TikTok" not in str(vevent.get("DESCRIPTION", ""))
        assert "https://x/p/1" in str(vevent["DESCRIPTION"])
    public = replace(private, agenda_private=False)
    assert "my fear of TikTok" in str(only_event(render_event_file(public))["DESCRIPTION"])


def test_calendar_events_have_no_field_for_notes():
    fields = set(CalendarEvent.__dataclass_fields__)
    assert not {"notes", "private_notes", "feedback", "cancel_reason"} & fields


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        render_event_file(event(start=datetime(2027, 3, 1, 9, 0)))


def test_an_empty_feed_is_still_a_valid_calendar():
    calendar = parse(render_feed([], name="Nobody yet"))
    assert calendar.walk("VEVENT") == []
    assert "METHOD" not in calendar
