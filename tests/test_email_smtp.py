"""Delivery through a real SMTP server (aiosmtpd on 127.0.0.1, started by the test):
calendar parts arrive intact, a server that is down loses nothing and sends nothing
twice, and a recipient refused with 550 is marked failed and not retried."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes
from email.message import Message
from email.utils import parseaddr

import icalendar
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from mentoring.auth.services import request_password_reset
from mentoring.matching.models import Pair
from mentoring.meetings.scheduling import MeetingDetails, cancel_meeting, propose_meeting
from mentoring.notifications.models import Notification
from mentoring.notifications.sender import send_queued
from mentoring.people.models import Person

NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


class Recorder:
    """An SMTP handler that keeps what it receives and refuses some recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    """A local SMTP server that a test can stop and start again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Recorder()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def messages(self) -> list[Message]:
        return [message_from_bytes(content) for _rcpt, content in self.handler.received]


@pytest.fixture
def smtp(app) -> Iterator[SMTPServer]:
    """The app's mail goes to a real SMTP server on 127.0.0.1 for this test."""
    server = SMTPServer()
    server.start()
    state = app.extensions["mailman"]
    saved = (state.backend, state.server, state.port, state.timeout)
    state.backend, state.server, state.port, state.timeout = (
        "smtp",
        "127.0.0.1",
        server.port,
        5,
    )
    try:
        yield server
    finally:
        state.backend, state.server, state.port, state.timeout = saved
        server.stop()


def calendar_part(message: Message) -> tuple[str, icalendar.Calendar]:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part.get_param("method"), icalendar.Calendar.from_ical(part.get_payload(decode=True))


def test_a_meeting_invitation_and_its_cancellation_arrive_intact(app, db, make_pair, smtp):
    pair = db.session.get(Pair, make_pair(created_at=NOW - timedelta(days=30))["pair"])
    mentor, mentee = pair.mentor.person, pair.mentee.person
    meeting = propose_meeting(
        pair,
        MeetingDetails(
            start_date=date(2027, 1, 11),
            start_time=time(10, 0),
            timezone="Europe/Paris",
            duration_minutes=60,
            location="Salle Ada, 3e étage",
        ),
        actor=mentee,
        now=NOW,
    )
    db.session.commit()
    report = send_queued()
    # The mentor's invitation, and the mentee's own copy for their calendar.
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    cancel_meeting(meeting, "Travelling that week", actor=mentee, now=NOW)
    db.session.commit()
    send_queued()

    received = [rcpt for rcpt, _ in smtp.handler.received]
    assert sorted(map(tuple, received)) == sorted([(mentor.email,), (mentee.email,)] * 2)
    invitation, cancellation = (
        message
        for message, rcpt in zip(smtp.messages(), received, strict=True)
        if rcpt == [mentor.email]
    )
    method, calendar = calendar_part(invitation)
    (event,) = calendar.walk("VEVENT")
    assert method == "REQUEST" and str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == meeting.uid
    assert str(event["LOCATION"]) == "Salle Ada, 3e étage"
    sender = parseaddr(app.config["MAIL_DEFAULT_SENDER"])[1]
    assert str(event["ORGANIZER"]) == f"mailto:{sender}"
    assert sorted(map(str, event["ATTENDEE"])) == sorted(
        [f"mailto:{mentor.email}", f"mailto:{mentee.email}"]
    )
    first_sequence = event["SEQUENCE"]

    method, calendar = calendar_part(cancellation)
    (event,) = calendar.walk("VEVENT")
    assert method == "CANCEL"
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] > first_sequence
    assert str(event["STATUS"]) == "CANCELLED"
    assert any(p.get_filename() == "invitation.ics" for p in cancellation.walk())


def _people(db, make_person, count: int) -> list[Person]:
    ids = [make_person(f"p{n}@example.org", name=f"Person {n}") for n in range(count)]
    return [db.session.get(Person, person_id) for person_id in ids]


def test_a_server_that_is_down_loses_nothing_and_the_next_run_sends_each_once(
    app, db, make_person, smtp
):
    people = _people(db, make_person, 3)
    for person in people:
        request_password_reset(person.email)
    db.session.commit()
    smtp.stop()

    result = app.test_cli_runner().invoke(args=["send-notifications", "--no-due"])
    assert result.exit_code == 1  # cron notices, nothing crashed
    assert "0 sent, 3 to retry later, 0 failed for good" in result.output
    rows = db.session.scalars(select(Notification)).all()
    db.session.expire_all()
    assert {(row.state, row.attempts) for row in rows} == {("queued", 1)}
    assert all("Connection refused" in row.last_error for row in rows)

    smtp.start()
    # Within the backoff nothing is retried; after it, each email goes out once.
    assert send_queued().sent == 0
    later = datetime.now(UTC) + timedelta(minutes=6)
    assert send_queued(now=later).sent == 3
    assert send_queued(now=later + timedelta(hours=1)).sent == 0
    assert sorted(rcpt[0] for rcpt, _ in smtp.handler.received) == sorted(
        person.email for person in people
    )


def test_a_recipient_refused_with_550_is_failed_once_and_the_others_still_go(
    app, db, client, login, make_person, smtp
):
    people = _people(db, make_person, 3)
    smtp.handler.refuse.add(people[1].email)
    for person in people:
        request_password_reset(person.email)
    db.session.commit()

    report = send_queued()
    assert (report.sent, report.retrying, report.failed) == (2, 0, 1)
    assert send_queued(now=datetime.now(UTC) + timedelta(days=2)).failed == 0  # not retried
    failed = db.session.scalar(select(Notification).where(Notification.state == "failed"))
    assert (failed.to_address, failed.attempts) == (people[1].email, 1)
    assert "550" in failed.last_error

    make_person("hr@example.org", roles=("admin",), name="Hana HR")
    login("hr@example.org")
    page = client.get(f"/people/{people[1].id}").get_data(as_text=True)
    assert f"Emails to {people[1].email} bounced" in page
    assert "No such mailbox" in page
