"""Emails through the outbox, with Flask-Mailman's in-memory backend: each email once
for its trigger, to the right person, with the right links and calendar part."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes
from email.utils import getaddresses

import icalendar
import pytest
from sqlalchemy import func, select

from mentoring.audit.models import AuditEvent
from mentoring.cohorts.models import Cohort
from mentoring.extensions import db as _db
from mentoring.matching.models import MatchProposal, MatchRun, Pair
from mentoring.matching.services import publish
from mentoring.meetings.feeds import calendar_event
from mentoring.meetings.logs import LogEntry, log_meeting
from mentoring.meetings.models import Meeting
from mentoring.meetings.scheduling import (
    MeetingDetails,
    cancel_meeting,
    confirm_meeting,
    confirm_series,
    propose_meeting,
    propose_series,
    reschedule_meeting,
)
from mentoring.notifications.due import queue_due
from mentoring.notifications.meeting_emails import remind_pair
from mentoring.notifications.models import Notification
from mentoring.notifications.sender import send_queued
from mentoring.notifications.services import set_preferences
from mentoring.people.models import Person
from tests.conftest import EXTERNAL_URL, PASSWORD, csrf_token, deliver_emails, email_link, post_form

NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # a Monday morning
PARIS = "Europe/Paris"


def details(**changes) -> MeetingDetails:
    values = {
        "start_date": date(2027, 1, 11),
        "start_time": time(10, 0),
        "timezone": PARIS,
        "duration_minutes": 60,
        "location": "Room 4",
        "video_url": "https://meet.example.com/abc",
    }
    values.update(changes)
    return MeetingDetails(**values)


@pytest.fixture
def pair(db, make_pair) -> Pair:
    ids = make_pair(created_at=datetime(2026, 9, 1, tzinfo=UTC))
    return db.session.get(Pair, ids["pair"])


def members(pair: Pair) -> tuple[Person, Person]:
    return pair.mentor.person, pair.mentee.person


def outbox(app) -> list:
    return list(getattr(app.extensions["mailman"], "outbox", []))


def send(app, now: datetime | None = None) -> list:
    """Send what is queued and return the emails sent by this run only."""
    before = len(outbox(app))
    send_queued(now=now)
    return outbox(app)[before:]


def calendar_of(message) -> icalendar.Calendar:
    """The text/calendar alternative of an email, parsed back, with its method parameter."""
    parsed = message_from_bytes(message.message().as_bytes())
    parts = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "one text/calendar part"
    part = parts[0]
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    assert part.get_param("method") == str(calendar["METHOD"])
    attachments = [p for p in parsed.walk() if p.get_filename() == "invitation.ics"]
    assert len(attachments) == 1, "the same invitation as an .ics attachment"
    attached = attachments[0].get_payload(decode=True)
    assert attached.replace(b"\r\n", b"\n") == part.get_payload(decode=True).replace(b"\r\n", b"\n")
    return calendar


def event_of(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event


def html_of(message) -> str:
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


# -- the outbox -------------------------------------------------------------------------


def test_a_rolled_back_change_queues_nothing(app, db, pair):
    mentor, mentee = members(pair)
    propose_meeting(pair, details(), actor=mentee, now=NOW)
    # One for each member, in the transaction.
    assert db.session.scalar(select(func.count(Notification.id))) == 2
    db.session.rollback()
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert send(app) == []


def test_a_queued_email_is_sent_once_however_often_the_sender_runs(app, db, pair):
    mentor, mentee = members(pair)
    propose_meeting(pair, details(), actor=mentee, now=NOW)
    db.session.commit()
    assert len(send(app)) == 2  # the mentor's invitation and the mentee's own copy
    assert send(app) == []
    rows = db.session.scalars(select(Notification)).all()
    assert [(r.state, r.attempts, r.last_error) for r in rows] == [("sent", 1, "")] * 2


def test_links_come_from_the_external_url_not_the_host_header(app, client, make_person):
    make_person("ana@example.org", name="Ana Lima")
    page = client.get("/password/forgot", headers={"Host": "evil.example.net"})
    client.post(
        "/password/forgot",
        data={"csrf_token": csrf_token(page.get_data(as_text=True)), "email": "ana@example.org"},
        headers={"Host": "evil.example.net"},
    )
    (message,) = deliver_emails(app)
    assert "evil.example.net" not in message.body + html_of(message)
    assert f"{EXTERNAL_URL}/password/reset/" in message.body


def test_a_name_with_line_breaks_cannot_inject_headers(app, db, make_person):
    evil = db.session.get(
        Person, make_person("eve@example.org", name="Eve\r\nBcc: victim@example.net")
    )
    from mentoring.auth.services import request_password_reset

    request_password_reset("eve@example.org")
    db.session.commit()
    (message,) = send(app)
    raw = message.message().as_bytes()
    parsed = message_from_bytes(raw)
    assert parsed["Bcc"] is None
    assert getaddresses(parsed.get_all("To")) == [
        ("Eve Bcc: victim@example.net", "eve@example.org")
    ]
    assert getaddresses(message.recipients()) == [
        ("Eve Bcc: victim@example.net", "eve@example.org")
    ]
    assert b"\nBcc:" not in raw
    assert evil.name.startswith("Eve\r\n")  # stored as typed; only the header is cleaned


# -- invitations, password resets ------------------------------------------------------


def _hr(make_person, login) -> int:
    hr = make_person("hr@example.org", roles=("admin",), name="Hana HR")
    login("hr@example.org")
    return hr


def test_hr_emails_all_pending_invitations_once(app, client, login, make_person):
    _hr(make_person, login)
    make_person("new1@example.org", name="Nora New", password=None)
    make_person("new2@example.org", name="Omar New", password=None)
    make_person("old@example.org", name="Has Password")
    response = post_form(client, "/people/invitations", {}, form_url="/people/invitations")
    assert response.status_code == 302
    # A second click sends nothing more: those invitations are emailed and still valid.
    post_form(client, "/people/invitations", {}, form_url="/people/invitations")
    sent = deliver_emails(app)
    assert sorted(m.to[0] for m in sent) == [
        "Nora New <new1@example.org>",
        "Omar New <new2@example.org>",
    ]
    nora = next(m for m in sent if "new1" in m.to[0])
    assert nora.subject == "You are invited to the reverse-mentoring program"
    assert "Hello Nora," in nora.body and "Hello Nora," in html_of(nora)
    path = email_link(nora, "/invitation/")
    assert f'href="{EXTERNAL_URL}{path}"' in html_of(nora)
    assert app.test_client().get(path).status_code == 200
    listing = client.get("/people/invitations").get_data(as_text=True)
    assert listing.count("Sent ") == 2
    assert "mentoring.example.com/invitation/" not in listing  # no link for HR to copy


def test_an_unanswered_invitation_gets_one_reminder_after_a_week(app, db, make_person):
    from mentoring.auth.services import email_new_invitation

    hr = db.session.get(Person, make_person("hr@example.org", roles=("admin",)))
    nora = db.session.get(Person, make_person("nora@example.org", name="Nora", password=None))
    email_new_invitation(nora, actor=hr)
    db.session.commit()
    (first,) = send(app)
    sent_at = datetime.now(UTC)
    queue_due(sent_at + timedelta(days=6))
    db.session.commit()
    assert [m.subject for m in send(app, sent_at + timedelta(days=6)) if "invit" in m.subject] == []
    later = sent_at + timedelta(days=7, minutes=1)
    queue_due(later)
    queue_due(later)  # cron running twice
    db.session.commit()
    reminders = [m for m in send(app, later) if "Reminder" in m.subject]
    assert len(reminders) == 1
    assert email_link(reminders[0], "/invitation/") == email_link(first, "/invitation/")


def test_forgot_password_answers_alike_and_sends_one_single_use_link(app, client, make_person):
    ana = make_person("ana@example.org", name="Ana Lima")
    known = post_form(client, "/password/forgot", {"email": "ANA@example.org"})
    unknown = post_form(client, "/password/forgot", {"email": "nobody@example.org"})
    strip = lambda page: page.get_data(as_text=True).replace("nobody", "X").replace("ANA", "X")  # noqa: E731
    assert strip(known).split("<main")[1] == strip(unknown).split("<main")[1]
    # Asking again at once sends nothing more (one reset email per account per window).
    post_form(client, "/password/forgot", {"email": "ana@example.org"})
    (message,) = deliver_emails(app)
    assert message.to == ["Ana Lima <ana@example.org>"]
    path = email_link(message, "/password/reset/")

    browser = app.test_client()
    form = browser.get(path)
    assert "Choose a new password" in form.get_data(as_text=True)
    done = browser.post(
        path,
        data={
            "csrf_token": csrf_token(form.get_data(as_text=True)),
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert done.status_code == 302
    used = app.test_client().get(path)
    assert used.status_code == 404
    assert "Ask for a new link" in used.get_data(as_text=True)
    with app.app_context():
        assert (
            _db.session.scalar(
                select(func.count(AuditEvent.id)).where(
                    AuditEvent.action == "auth.password_reset", AuditEvent.subject_id == ana
                )
            )
            == 1
        )


def test_an_expired_reset_link_is_refused_with_a_way_forward(app, client, make_person, monkeypatch):
    make_person("ana@example.org", name="Ana Lima")
    post_form(client, "/password/forgot", {"email": "ana@example.org"})
    path = email_link(deliver_emails(app)[0], "/password/reset/")
    monkeypatch.setattr("mentoring.auth.services.RESET_MAX_AGE_SECONDS", -1)
    page = app.test_client().get(path)
    assert page.status_code == 404
    assert "/password/forgot" in page.get_data(as_text=True)


def test_the_sign_in_page_links_to_forgot_password(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)


def test_hr_copies_an_invitation_link_only_for_a_newcomer_and_it_is_audited(
    app, client, login, make_person, make_pair
):
    _hr(make_person, login)
    newcomer = make_person("new@example.org", name="Nora New", password=None)
    post_form(client, f"/people/{newcomer}/invitation", {}, form_url=f"/people/{newcomer}")
    shown = post_form(
        client, f"/people/{newcomer}/invitation/link", {}, form_url=f"/people/{newcomer}"
    )
    assert shown.status_code == 200
    assert 'value="https://mentoring.example.com/invitation/' in shown.get_data(as_text=True)
    with app.app_context():
        assert (
            _db.session.scalar(
                select(func.count(AuditEvent.id)).where(
                    AuditEvent.action == "auth.invitation_link_copied"
                )
            )
            == 1
        )
    # Someone in a pair: the page offers no copy, and the route refuses.
    ids = make_pair()
    with app.app_context():
        mentee = _db.session.get(Person, ids["mentee"])
        mentee.password_hash = None
        _db.session.commit()
    post_form(
        client, f"/people/{ids['mentee']}/invitation", {}, form_url=f"/people/{ids['mentee']}"
    )
    page = client.get(f"/people/{ids['mentee']}").get_data(as_text=True)
    assert "Show the link to copy" not in page
    refused = post_form(
        client,
        f"/people/{ids['mentee']}/invitation/link",
        {},
        form_url=f"/people/{ids['mentee']}",
    )
    assert refused.status_code == 302
    after = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "This link cannot be copied" in after
    assert 'value="https://mentoring.example.com/invitation/' not in after


def test_send_immediately_delivers_after_the_commit(app, client, make_person):
    make_person("ana@example.org", name="Ana Lima")
    app.config["MAIL_SEND_IMMEDIATELY"] = True
    try:
        post_form(client, "/password/forgot", {"email": "ana@example.org"})
    finally:
        app.config["MAIL_SEND_IMMEDIATELY"] = False
    assert [m.to for m in outbox(app)] == [["Ana Lima <ana@example.org>"]]
    with app.app_context():
        assert _db.session.scalar(select(Notification.state)) == "sent"


# -- matching ---------------------------------------------------------------------------


def test_publishing_tells_both_members_once(app, db, make_person, make_cohort):
    from mentoring.cohorts.models import Enrollment

    hr = db.session.get(Person, make_person("hr@example.org", roles=("admin",)))
    cohort = db.session.get(Cohort, make_cohort(status="matching", name="Spring 2027"))
    mia = db.session.get(
        Person,
        make_person(
            "mia@example.org", name="Mia Park", title="Data analyst", timezone="Asia/Seoul"
        ),
    )
    eric = db.session.get(
        Person, make_person("eric@example.org", name="Eric Stone", title="CFO", timezone=PARIS)
    )
    mentor = Enrollment(cohort=cohort, person=mia, side="mentor")
    mentee = Enrollment(cohort=cohort, person=eric, side="mentee")
    db.session.add_all([mentor, mentee])
    db.session.flush()
    run = MatchRun(cohort=cohort)
    run.proposals.append(
        MatchProposal(
            mentee=mentee, mentor=mentor, score=88, explanation="covers LinkedIn and AI tools"
        )
    )
    db.session.add(run)
    db.session.commit()
    publish(run, actor=hr)
    db.session.commit()
    sent = send(app)
    assert sorted(m.to[0] for m in sent) == [
        "Eric Stone <eric@example.org>",
        "Mia Park <mia@example.org>",
    ]
    to_eric = next(m for m in sent if "eric" in m.to[0])
    assert to_eric.subject == "You have been matched with Mia Park"
    for expected in ("Mia Park, Data analyst", "Asia/Seoul", "covers LinkedIn and AI tools"):
        assert expected in to_eric.body
    assert f"{EXTERNAL_URL}/pairs/" in to_eric.body
    # The same trigger again (a re-delivered signal) queues nothing more.
    from mentoring.notifications.receivers import on_run_published

    on_run_published(run)
    db.session.commit()
    assert send(app) == []


# -- meetings ---------------------------------------------------------------------------


def _to(messages, person) -> object:
    """The one message of `messages` addressed to `person`."""
    (message,) = [m for m in messages if m.to == [f"{person.name} <{person.email}>"]]
    return message


def _attendees(event) -> dict[str, str]:
    attendees = event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
    return {str(a).removeprefix("mailto:"): str(a.params["PARTSTAT"]) for a in attendees}


def test_a_meeting_s_life_sends_real_invitations_with_one_uid(app, db, pair):
    """Both members get every change as an invitation from the app (one organizer for
    the meeting's whole life, both of them attendees): each calendar stays up to date,
    the copy of the member who acted included."""
    mentor, mentee = members(pair)
    meeting = propose_meeting(
        pair, details(agenda="Private plans", agenda_private=True), actor=mentee, now=NOW
    )
    db.session.commit()
    sent = send(app)
    assert len(sent) == 2
    proposed, own = _to(sent, mentor), _to(sent, mentee)
    assert proposed.subject.startswith(
        f"{mentee.name} proposes a meeting on Mon 11 Jan 2027, 10:00"
    )
    assert own.subject.startswith(f"You proposed a meeting to {mentor.name} on ")
    assert f"You proposed this meeting to {mentor.name}, who confirms" in own.body
    for message in (proposed, own):
        calendar = calendar_of(message)
        event = event_of(calendar)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["UID"]) == meeting.uid == calendar_event(meeting).uid
        assert event["SEQUENCE"] == meeting.sequence == 0
        assert str(event["ORGANIZER"]) == "mailto:no-reply@mentoring.example.com"
        assert event["ORGANIZER"].params["CN"] == "Reverse Mentoring"
        assert _attendees(event) == {mentee.email: "ACCEPTED", mentor.email: "NEEDS-ACTION"}
        assert str(event["STATUS"]) == "TENTATIVE"
        assert "Private plans" not in message.message().as_string()

    confirm_meeting(meeting, actor=mentor, now=NOW)
    db.session.commit()
    sent = send(app)
    assert len(sent) == 2
    assert _to(sent, mentee).subject.startswith(f"{mentor.name} confirmed your meeting on ")
    assert _to(sent, mentor).subject.startswith(f"You confirmed your meeting with {mentee.name}")
    event = event_of(calendar_of(_to(sent, mentor)))
    assert (event["SEQUENCE"], str(event["STATUS"])) == (1, "CONFIRMED")
    assert _attendees(event) == {mentee.email: "ACCEPTED", mentor.email: "ACCEPTED"}

    # Moved by the member who did not propose it: the organizer stays the same, so
    # calendar clients take the update for the event they hold.
    reschedule_meeting(meeting, details(start_time=time(11, 0)), actor=mentor, now=NOW)
    db.session.commit()
    sent = send(app)
    assert len(sent) == 2
    for message in sent:
        event = event_of(calendar_of(message))
        assert str(event["UID"]) == meeting.uid
        assert event["SEQUENCE"] == 2
        assert event["DTSTART"].dt == datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
        assert str(event["ORGANIZER"]) == "mailto:no-reply@mentoring.example.com"
    assert _to(sent, mentor).subject.startswith(f"You moved your meeting with {mentee.name} to ")

    cancel_meeting(meeting, "Board meeting moved", actor=mentee, now=NOW)
    db.session.commit()
    sent = send(app)
    assert len(sent) == 2
    for message in sent:
        calendar = calendar_of(message)
        event = event_of(calendar)
        assert str(calendar["METHOD"]) == "CANCEL"
        assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (
            meeting.uid,
            3,
            "CANCELLED",
        )
        assert "Board meeting moved" in message.body
    # The mentor's move put a new time to the mentee, who turned it down.
    assert _to(sent, mentor).subject.startswith(f"{mentee.name} declined the meeting you proposed")
    assert send(app) == []


def test_a_change_made_by_hr_names_them_as_hr(app, db, pair, make_person):
    mentor, mentee = members(pair)
    hr = db.session.get(Person, make_person("hr@example.org", roles=("admin",), name="Hana Ito"))
    propose_meeting(pair, details(), actor=mentee, now=NOW)
    db.session.commit()
    send(app)
    from mentoring.meetings.scheduling import cancel_future_meetings

    cancel_future_meetings(pair, "", actor=hr, now=NOW)  # as when HR ends the pair
    db.session.commit()
    sent = send(app)
    assert len(sent) == 2
    for member in (mentor, mentee):
        assert _to(sent, member).subject.startswith("Hana Ito (HR) cancelled your meeting on ")


def test_a_series_is_one_invitation_with_one_event_per_meeting(app, db, pair):
    mentor, mentee = members(pair)
    series = propose_series(pair, details(), every_weeks=2, occurrences=3, actor=mentee, now=NOW)
    db.session.commit()
    sent = send(app)
    message = _to(sent, mentor)
    events = calendar_of(message).walk("VEVENT")
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.series_id == series.id).order_by(Meeting.start_at)
    ).all()
    assert [str(e["UID"]) for e in events] == [m.uid for m in meetings]
    assert "series of 3 meetings" in message.subject
    assert "You proposed a series of 3 meetings to" in _to(sent, mentee).subject
    confirm_series(series, actor=mentor, now=NOW)
    db.session.commit()
    sent = send(app)
    assert len(sent) == 2
    confirmed = _to(sent, mentee)
    assert [e["SEQUENCE"] for e in calendar_of(confirmed).walk("VEVENT")] == [1, 1, 1]


def _confirmed_meeting(db, pair) -> Meeting:
    mentor, mentee = members(pair)
    meeting = propose_meeting(pair, details(), actor=mentee, now=NOW)
    confirm_meeting(meeting, actor=mentor, now=NOW)
    db.session.commit()
    return meeting


def test_a_reminder_goes_out_the_day_before_in_each_recipient_s_zone(app, db, pair):
    meeting = _confirmed_meeting(db, pair)  # Mon 11 Jan 10:00 Paris = 04:00 New York
    mentor, mentee = members(pair)
    send(app)
    # 00:30 on Sunday in Paris (the mentor's eve), still Saturday in New York.
    early = datetime(2027, 1, 9, 23, 30, tzinfo=UTC)
    queue_due(early)
    db.session.commit()
    (for_mentor,) = [m for m in send(app, early) if "Tomorrow" in m.subject]
    assert for_mentor.to == [f"{mentor.name} <{mentor.email}>"]
    assert "Mon 11 Jan 2027, 10:00 CET" in for_mentor.body
    assert "Room 4" in for_mentor.body and "https://meet.example.com/abc" in for_mentor.body
    # Sunday morning in New York: the mentee's turn, and the mentor's is not repeated.
    later = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
    queue_due(later)
    queue_due(later)
    db.session.commit()
    (for_mentee,) = [m for m in send(app, later) if "Tomorrow" in m.subject]
    assert for_mentee.to == [f"{mentee.name} <{mentee.email}>"]
    assert "Mon 11 Jan 2027, 04:00 EST" in for_mentee.body
    assert for_mentee.extra_headers["List-Unsubscribe"].startswith(
        f"<{EXTERNAL_URL}/email/unsubscribe/"
    )
    assert f"{EXTERNAL_URL}/account/email" in for_mentee.body
    assert meeting.id


def test_log_your_meeting_the_day_after_unless_logged(app, db, pair):
    meeting = _confirmed_meeting(db, pair)
    mentor, mentee = members(pair)
    log_meeting(
        meeting,
        LogEntry(
            outcome="held",
            actual_minutes=50,
            rating=4,
            private_notes="SECRET-NOTE",
            feedback="SECRET-FEEDBACK",
        ),
        actor=mentor,
        now=datetime(2027, 1, 11, 12, 0, tzinfo=UTC),
    )
    db.session.commit()
    send(app)
    next_day = datetime(2027, 1, 12, 15, 0, tzinfo=UTC)
    queue_due(next_day)
    queue_due(next_day)
    db.session.commit()
    logs = [m for m in send(app, next_day) if "How did your meeting" in m.subject]
    assert [m.to for m in logs] == [[f"{mentee.name} <{mentee.email}>"]]
    assert f"{EXTERNAL_URL}/meetings/{meeting.id}/log" in logs[0].body


def test_an_overdue_pair_is_nudged_once_per_overdue_period_and_hr_can_remind(app, db, pair):
    mentor, mentee = members(pair)
    late = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # months after the pair started
    queue_due(late)
    db.session.commit()
    nudges = [m for m in send(app, late) if "Time to plan" in m.subject]
    assert sorted(m.to[0] for m in nudges) == sorted(
        f"{p.name} <{p.email}>" for p in (mentor, mentee)
    )
    queue_due(late + timedelta(days=1))
    db.session.commit()
    assert [m for m in send(app, late + timedelta(days=1)) if "Time to plan" in m.subject] == []
    hr = db.session.get(Person, _make_hr(db))
    assert remind_pair(pair, actor=hr) == 2
    assert remind_pair(pair, actor=hr) == 0  # once a day
    db.session.commit()
    reminded = send(app)
    assert len(reminded) == 2 and "HR program manager asks" in reminded[0].body


def _make_hr(db) -> int:
    hr = Person(email="hr@example.org", name="Hana HR", roles=("admin",))
    db.session.add(hr)
    db.session.flush()
    return hr.id


def test_opting_out_is_honoured_and_one_click_unsubscribe_works(app, db, client, pair):
    mentor, mentee = members(pair)
    set_preferences(mentee, reminders=True, nudges=False)
    db.session.commit()
    late = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    queue_due(late)
    db.session.commit()
    nudged = [m.to[0] for m in send(app, late) if "Time to plan" in m.subject]
    assert nudged == [f"{mentor.name} <{mentor.email}>"]
    # The mentor turns nudges off from the email's List-Unsubscribe link (RFC 8058 POST).
    message = next(m for m in outbox(app) if "Time to plan" in m.subject)
    url = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix(EXTERNAL_URL)
    assert client.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert remind_pair(pair, actor=db.session.get(Person, _make_hr(db))) == 0
    # Meeting invitations still reach someone who turned reminders and nudges off.
    set_preferences(mentor, reminders=False, nudges=False)
    db.session.commit()
    propose_meeting(pair, details(), actor=mentee, now=NOW)
    db.session.commit()
    assert f"{mentor.name} <{mentor.email}>" in [m.to[0] for m in send(app)]


def test_hr_gets_one_weekly_digest(app, db, pair):
    _make_hr(db)
    db.session.commit()
    monday = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    queue_due(monday)
    queue_due(monday + timedelta(days=2))
    db.session.commit()
    digests = [m for m in send(app, monday + timedelta(days=2)) if "digest" in m.subject]
    assert len(digests) == 1
    body = digests[0].body
    mentor, mentee = members(pair)
    assert "At-risk pairs (no meeting within the cadence): 1" in body
    assert f"{mentee.name} and {mentor.name}" in body
    # Nothing pending: the text part says so, as the HTML part does.
    assert "Pending invitations: 0\nNone.\n" in body
    assert "Pending invitations: 0</h2>\n<p>None.</p>" in html_of(digests[0])
    queue_due(monday + timedelta(days=7))
    db.session.commit()
    assert len([m for m in send(app, monday + timedelta(days=7)) if "digest" in m.subject]) == 1


def test_no_email_carries_private_notes_unshared_feedback_or_a_private_agenda(app, db, pair):
    mentor, mentee = members(pair)
    meeting = propose_meeting(
        pair, details(agenda="SECRET-AGENDA", agenda_private=True), actor=mentee, now=NOW
    )
    confirm_meeting(meeting, actor=mentor, now=NOW)
    log_meeting(
        meeting,
        LogEntry(
            outcome="held",
            actual_minutes=50,
            private_notes="SECRET-NOTE",
            rating=2,
            feedback="SECRET-FEEDBACK",
        ),
        actor=mentor,
        now=datetime(2027, 1, 11, 12, 0, tzinfo=UTC),
    )
    _make_hr(db)
    db.session.commit()
    for moment in (
        datetime(2027, 1, 10, 12, tzinfo=UTC),
        datetime(2027, 1, 12, 12, tzinfo=UTC),
        datetime(2027, 3, 1, 12, tzinfo=UTC),
    ):
        queue_due(moment)
        db.session.commit()
        send(app, moment)
    kinds = set(db.session.scalars(select(Notification.kind)))
    assert {"meeting_proposed", "meeting_confirmed", "log_reminder", "digest", "nudge"} <= kinds
    for message in outbox(app):
        raw = message.message().as_string()
        for secret in ("SECRET-AGENDA", "SECRET-NOTE", "SECRET-FEEDBACK"):
            assert secret not in raw, (message.subject, secret)


def test_the_cli_queues_what_is_due_and_prints_a_summary(app, db, pair):
    _make_hr(db)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-notifications"])
    assert result.exit_code == 0, result.output
    assert "Queued" in result.output and "digests" in result.output
    assert (
        "Sent: " in result.output and " sent, 0 to retry later, 0 failed for good" in result.output
    )


def test_email_settings_page_saves_the_choice(app, client, login, make_person):
    person = make_person("ana@example.org", name="Ana Lima")
    login("ana@example.org")
    page = client.get("/account/email").get_data(as_text=True)
    assert 'id="reminders"' in page and "checked" in page
    post_form(client, "/account/email", {"nudges": "y"})
    with app.app_context():
        from mentoring.notifications.services import preference_of

        preference = preference_of(_db.session.get(Person, person))
        assert (preference.reminders, preference.nudges) == (False, True)
    assert PASSWORD


def test_forgot_password_is_rate_limited_per_client(app, database_url):
    from mentoring import create_app
    from tests.conftest import app_config

    limited = create_app(app_config(database_url, FORGOT_PASSWORD_RATE_LIMIT="2 per minute"))
    client = limited.test_client()
    answers = [
        post_form(client, "/password/forgot", {"email": f"x{n}@example.org"}).status_code
        for n in range(3)
    ]
    assert answers == [200, 200, 429]


def test_a_header_line_keeps_french_no_break_spaces():
    from mentoring.notifications.content import one_line

    assert one_line("Demain\u00a0: votre\r\nrencontre  avec\tEric\u202f?") == (
        "Demain\u00a0: votre rencontre avec Eric\u202f?"
    )


def test_a_late_pair_with_a_meeting_planned_is_not_told_to_plan_one(app, db, pair):
    mentor, mentee = members(pair)
    late = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # months after the pair started
    # Planned before the cron runs: no nudge is queued.
    meeting = propose_meeting(pair, details(start_date=date(2027, 1, 20)), actor=mentee, now=NOW)
    db.session.commit()
    send(app)
    queue_due(late)
    db.session.commit()
    assert [m for m in send(app, late) if "Time to plan" in m.subject] == []
    # Planned after the nudge was queued, before it was sent: it is not sent.
    cancel_meeting(meeting, "Travelling", actor=mentee, now=NOW)
    db.session.commit()
    send(app)
    later = late + timedelta(days=40)
    queue_due(later)
    db.session.commit()
    nudges = select(Notification.state).where(Notification.kind == "nudge")
    assert db.session.scalars(nudges).all() == ["queued", "queued"]
    propose_meeting(pair, details(start_date=date(2027, 3, 1)), actor=mentor, now=NOW)
    db.session.commit()
    assert [m for m in send(app, later) if "Time to plan" in m.subject] == []
    assert db.session.scalars(nudges).all() == ["skipped", "skipped"]


def test_a_change_of_place_and_a_declined_proposal_are_worded_as_what_they_are(app, db, pair):
    mentor, mentee = members(pair)
    meeting = propose_meeting(pair, details(), actor=mentee, now=NOW)
    db.session.commit()
    send(app)
    reschedule_meeting(meeting, details(location="Room 9"), actor=mentee, now=NOW)
    db.session.commit()
    sent = send(app)
    assert _to(sent, mentor).subject.startswith(
        f"{mentee.name} changed the place of your meeting on Mon 11 Jan 2027, 10:00"
    )
    assert f"{mentee.name} changed the place of your meeting." in _to(sent, mentor).body
    assert _to(sent, mentee).subject.startswith(
        f"You changed the place of your meeting with {mentor.name} on "
    )
    # The mentor turns the proposal down: it was never a meeting they had agreed to.
    cancel_meeting(meeting, "Not that week", actor=mentor, now=NOW)
    db.session.commit()
    sent = send(app)
    assert _to(sent, mentee).subject.startswith(
        f"{mentor.name} declined the meeting you proposed on "
    )
    assert _to(sent, mentor).subject.startswith(
        f"You declined the meeting {mentee.name} proposed on "
    )
    assert "cancelled" not in _to(sent, mentee).subject


def test_a_reset_link_hr_sent_does_not_say_ignore_it_if_you_did_not_ask(app, db, make_person):
    from mentoring.auth.services import request_password_reset

    make_person("ana@example.org", name="Ana Lima")
    make_person("bo@example.org", name="Bo Berg")
    hr = db.session.get(Person, _make_hr(db))
    request_password_reset("ana@example.org")  # Ana asked herself
    request_password_reset("bo@example.org", actor=hr)  # HR sent it to Bo
    db.session.commit()
    sent = send(app)
    (to_ana,) = [m for m in sent if "ana@" in m.to[0]]
    (to_bo,) = [m for m in sent if "bo@" in m.to[0]]
    assert "If you did not ask for this, ignore this email" in to_ana.body
    assert "If you did not ask for this" not in to_bo.body + html_of(to_bo)
    assert "Your HR program manager sent you this link" in to_bo.body


def test_a_reminder_sent_on_the_day_of_the_meeting_says_today(app, db, pair, monkeypatch):
    from mentoring.notifications import meeting_emails
    from mentoring.notifications.meeting_emails import queue_meeting_reminders

    mentor, mentee = members(pair)
    meeting = propose_meeting(pair, details(), actor=mentee, now=NOW)  # 11 Jan, 09:00 UTC
    confirm_meeting(meeting, actor=mentor, now=NOW)
    db.session.commit()
    send(app)
    assert queue_meeting_reminders(datetime(2027, 1, 10, 9, 0, tzinfo=UTC)) == 2
    db.session.commit()
    # The sender stalled and runs on the morning of the meeting.
    morning = datetime(2027, 1, 11, 7, 0, tzinfo=UTC)
    monkeypatch.setattr(meeting_emails, "utcnow", lambda: morning)
    sent = send(app, morning)
    assert len(sent) == 2
    for message in sent:
        assert message.subject.startswith("Today: your meeting with ")
        assert " is today: " in message.body and "tomorrow" not in message.body.lower()
