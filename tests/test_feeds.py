"""Personal calendar feeds: a secret URL kept only as a hash, 404 when unknown or reset,
GET only, deterministic with an ETag and 304, following every change, nothing private."""

from __future__ import annotations

import hashlib
import re
from datetime import time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from mentoring.audit.models import AuditEvent
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.meetings.models import FeedToken, Meeting
from mentoring.meetings.scheduling import MeetingDetails, cancel_meeting, reschedule_meeting
from mentoring.people.models import Person
from tests.conftest import csrf_token
from tests.test_meeting_views import SECRETS, build_world, client_for, email_of, token_of

# Links come from EXTERNAL_URL (https://mentoring.example.com in tests), not the Host header.
FEED_URL = re.compile(r'value="(https://mentoring\.example\.com/calendar/([A-Za-z0-9_-]+)\.ics)"')


@pytest.fixture
def world(app, make_pair, make_person):
    return build_world(app, make_pair, make_person)


def turn_on_feed(client) -> tuple[str, str]:
    """Press the button on the calendar page; return the feed URL path and the secret."""
    response = client.post("/calendar/feed", data={"csrf_token": token_of(client)})
    assert response.status_code == 302
    html = client.get("/calendar").get_data(as_text=True)
    match = FEED_URL.search(html)
    assert match, "no feed link on the calendar page"
    url, secret = match.groups()
    assert f'href="webcal://mentoring.example.com/calendar/{secret}.ics"' in html
    return url.removeprefix("https://mentoring.example.com"), secret


def events_of(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    calendar.validate()
    assert "METHOD" not in calendar
    return {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}


def uids_of_pair(app, pair_id: int) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Meeting.uid).where(Meeting.pair_id == pair_id)))


def test_a_feed_lists_the_persons_meetings_for_anyone_with_the_link(app, world):
    url, secret = turn_on_feed(client_for(app, world["mentor_email"]))
    anonymous = app.test_client()
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=0, must-revalidate"
    assert re.fullmatch(r'"[0-9a-f]{40}"', response.headers["ETag"])
    assert "Set-Cookie" not in response.headers
    events = events_of(response.data)
    assert set(events) == uids_of_pair(app, world["pair"])
    assert len(events) == 5
    statuses = sorted(str(e["STATUS"]) for e in events.values())
    assert statuses == ["CONFIRMED", "TENTATIVE", "TENTATIVE", "TENTATIVE", "TENTATIVE"]


def test_the_secret_is_256_bits_and_stored_only_as_its_hash(app, world):
    _, secret = turn_on_feed(client_for(app, world["mentor_email"]))
    assert len(secret) == 43  # 32 bytes, base64url without padding
    with app.app_context():
        token = db.session.scalar(select(FeedToken))
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        stored = " ".join(str(value) for value in vars(token).values())
        assert secret not in stored
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "calendar.feed_created")
        )
        assert secret not in repr(event.details)


def test_the_feed_answers_304_until_something_changes(app, world):
    url, _ = turn_on_feed(client_for(app, world["mentee_email"]))
    client = app.test_client()
    first = client.get(url)
    again = client.get(url)
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    etag = first.headers["ETag"]
    cached = client.get(url, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.data == b""
    assert cached.headers["ETag"] == etag
    assert cached.headers["Cache-Control"] == "private, max-age=0, must-revalidate"
    assert client.get(url, headers={"If-None-Match": f'"x", W/{etag}'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200

    with app.app_context():
        meeting = db.session.get(Meeting, world["public"])
        mentor = db.session.get(Person, world["first"]["mentor"])
        uid, before = meeting.uid, meeting.sequence
        moved = meeting.start_at + timedelta(days=1)
        reschedule_meeting(
            meeting,
            MeetingDetails(
                start_date=moved.date(),
                start_time=time(12, 0),
                timezone="UTC",
                duration_minutes=60,
                location="Room 4",
                video_url="https://meet.example/abc",
                agenda="PUBLIC-AGENDA",
            ),
            actor=mentor,
        )
        db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    event = events_of(changed.data)[uid]
    assert event.decoded("DTSTART") == moved
    assert int(event["SEQUENCE"]) == before + 1

    with app.app_context():
        meeting = db.session.get(Meeting, world["public"])
        cancel_meeting(meeting, "Offsite", actor=db.session.get(Person, world["first"]["mentee"]))
        db.session.commit()
    cancelled = events_of(client.get(url).data)[uid]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == before + 2
    assert "Offsite" not in str(cancelled.get("DESCRIPTION", ""))


def test_a_reset_kills_the_old_url_at_once(app, world):
    client = client_for(app, world["mentor_email"])
    old_url, old_secret = turn_on_feed(client)
    page = client.get("/calendar").get_data(as_text=True)
    assert 'data-confirm="Reset your calendar link?' in page
    response = client.post("/calendar/feed", data={"csrf_token": csrf_token(page)})
    assert "the old link no longer works" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    new_url, new_secret = FEED_URL.search(client.get("/calendar").get_data(as_text=True)).groups()
    assert new_secret != old_secret
    anonymous = app.test_client()
    assert anonymous.get(old_url).status_code == 404
    assert anonymous.get(new_url.removeprefix("https://mentoring.example.com")).status_code == 200
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert events[-2:] == ["calendar.feed_created", "calendar.feed_reset"]


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/" + "A" * 43 + ".ics",
        "/calendar/short.ics",
        "/calendar/" + "A" * 43 + "!.ics",
        "/calendar/%00.ics",
    ],
)
def test_unknown_secrets_are_not_found(app, world, path):
    assert app.test_client().get(path).status_code == 404


def test_the_feed_is_get_only(app, world):
    url, _ = turn_on_feed(client_for(app, world["mentor_email"]))
    client = app.test_client()
    assert client.post(url).status_code == 405
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert client.head(url).status_code == 200


def test_a_deactivated_persons_feed_is_gone(app, world):
    url, _ = turn_on_feed(client_for(app, world["mentor_email"]))
    with app.app_context():
        db.session.get(Person, world["first"]["mentor"]).is_active = False
        db.session.commit()
    assert app.test_client().get(url).status_code == 404


def test_no_feed_holds_notes_feedback_or_private_agendas(app, world):
    bodies = []
    for email in (world["mentor_email"], world["mentee_email"]):
        url, _ = turn_on_feed(client_for(app, email))
        bodies.append(app.test_client().get(url).data)
    for body in bodies:
        for secret in (*SECRETS, "MENTEE-SHARED-FEEDBACK"):
            assert secret.encode() not in body
        assert b"PUBLIC-AGENDA" in body


def test_feeds_of_other_pairs_and_roles_hold_none_of_this_pairs_meetings(app, world):
    mine = uids_of_pair(app, world["pair"])
    for email in (
        world["other_mentor_email"],
        world["other_mentee_email"],
        "hr@example.org",
        "leader@example.org",
    ):
        client = client_for(app, email)
        url, secret = turn_on_feed(client)
        body = app.test_client().get(url).data
        assert not mine & set(events_of(body)), email
        assert not any(text.encode() in body for text in SECRETS)
        # Nobody's calendar page shows another person's link.
        page = client.get("/calendar").get_data(as_text=True)
        assert set(re.findall(r"/calendar/([A-Za-z0-9_-]{43})\.ics", page)) == {secret}


def test_a_mentor_with_two_pairs_gets_both_in_one_feed(app, make_pair, make_cohort):
    first = make_pair()
    second = make_pair(cohort_id=make_cohort(status="active"), mentor_email=None)
    with app.app_context():
        from mentoring.cohorts.models import Enrollment
        from mentoring.matching.models import Pair
        from mentoring.meetings.scheduling import propose_meeting

        # Move the second pair's mentor enrollment onto the first pair's mentor.
        second_pair = db.session.get(Pair, second["pair"])
        db.session.get(Enrollment, second_pair.mentor_enrollment_id).person_id = first["mentor"]
        db.session.commit()
        for pair_id, days in ((first["pair"], 3), (second["pair"], 4)):
            pair = db.session.get(Pair, pair_id)
            day = (utcnow() + timedelta(days=days)).date()
            propose_meeting(
                pair,
                MeetingDetails(
                    start_date=day,
                    start_time=time(9, 0),
                    timezone="UTC",
                    duration_minutes=30,
                    location="Room 1",
                ),
                actor=pair.mentee.person,
            )
        db.session.commit()
    url, _ = turn_on_feed(client_for(app, email_of(app, first["mentor"])))
    events = events_of(app.test_client().get(url).data)
    assert set(events) == uids_of_pair(app, first["pair"]) | uids_of_pair(app, second["pair"])
    assert len(events) == 2
