"""Journey 3 in Chromium: the mentee proposes a meeting in their own time zone, the
mentor confirms it and downloads it as .ics, and after the meeting both log it."""

from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar
from playwright.sync_api import expect

from mentoring.cohorts.models import Cohort
from mentoring.curriculum.models import Topic
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.meetings.models import Meeting
from tests.browser.conftest import sign_in, sign_out

MENTOR = "zoe.jeune@acme.example"
MENTEE = "eric.boss@acme.example"


def open_pair(page) -> None:
    page.goto("/calendar")
    page.get_by_role("link", name=re.compile("Mia Mentor.*Eric Mentee")).click()
    expect(page.get_by_role("heading", name="Upcoming meetings")).to_be_visible()


def test_propose_confirm_download_and_log_a_meeting(app, page, make_pair, tmp_path):
    ids = make_pair(mentor_email=MENTOR, mentee_email=MENTEE)
    with app.app_context():
        topic = Topic(name="LinkedIn", position=0)
        db.session.get(Cohort, ids["cohort"]).topics = [topic]
        db.session.commit()
    day = (utcnow() + timedelta(days=10)).date()

    # The mentee (New York) proposes 10:00 their time.
    sign_in(page, MENTEE)
    open_pair(page)
    page.get_by_role("link", name="Propose a meeting").first.click()
    expect(page.get_by_label("Time zone")).to_have_value("America/New_York")
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Duration (minutes)").fill("0")
    page.get_by_label("Place (in person)").fill("Tour Horizon, 12th floor; room “Agora”")
    page.get_by_label("Agenda", exact=True).fill("LinkedIn: headline, photo\nThen: first post")
    page.get_by_role("button", name="Propose the meeting").click()
    expect(page.get_by_text("A meeting must end after it starts")).to_be_visible()
    expect(page.get_by_label("Place (in person)")).to_have_value(
        "Tour Horizon, 12th floor; room “Agora”"
    )
    page.get_by_label("Duration (minutes)").fill("45")
    page.get_by_role("button", name="Propose the meeting").click()
    expect(
        page.get_by_text("Meeting proposed. Mia Mentor1 will confirm or decline it.")
    ).to_be_visible()
    card = page.locator("li.meeting").first
    expect(card).to_contain_text("10:00 E")  # EST or EDT, the mentee's own zone
    expect(card).to_contain_text("Mia Mentor1: ")  # and the mentor's local time beside it
    expect(card.locator(".status")).to_have_text("Proposed")
    sign_out(page)

    # The mentor (Paris) sees it in Paris time, confirms and downloads it.
    sign_in(page, MENTOR)
    open_pair(page)
    card = page.locator("li.meeting").first
    expect(card).to_contain_text("Proposed by Eric Mentee1")
    expect(card).to_contain_text("Eric Mentee1: ")
    card.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(page.get_by_text("Meeting confirmed.")).to_be_visible()
    expect(page.locator("li.meeting .status").first).to_have_text("Confirmed")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download .ics")).first.click()
    download = download_info.value
    assert download.suggested_filename == f"reverse-mentoring-{day.isoformat()}.ics"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    calendar = Calendar.from_ical(target.read_bytes())
    calendar.validate()
    (vevent,) = calendar.walk("VEVENT")
    with app.app_context():
        meeting = db.session.query(Meeting).one()
        assert str(vevent["UID"]) == meeting.uid
        assert vevent.decoded("DTSTART") == meeting.start_at
        assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == timedelta(minutes=45)
        meeting_id = meeting.id
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert int(vevent["SEQUENCE"]) == 1
    assert str(vevent["LOCATION"]) == "Tour Horizon, 12th floor; room “Agora”"
    assert "LinkedIn: headline, photo\nThen: first post" in str(vevent["DESCRIPTION"])

    # The meeting takes place (the test moves it into the past).
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        shift = meeting.end_at - (utcnow() - timedelta(hours=1))
        meeting.start_at -= shift
        meeting.end_at -= shift
        db.session.commit()

    page.reload()
    page.get_by_role("link", name=re.compile("^Log this meeting")).click()
    page.get_by_label("Held: the meeting took place").check()
    page.get_by_label("How long it lasted (minutes)").fill("50")
    page.get_by_label("LinkedIn").check()
    page.get_by_label("Private notes").fill("Eric set up his headline; photo next time.")
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Feedback for HR").fill("Great energy.")
    page.get_by_role("button", name="Save the log").click()
    expect(page.get_by_text("Thank you: your log is saved.")).to_be_visible()
    card = page.locator(f"#meeting-{meeting_id}")
    expect(card.locator(".status").first).to_have_text("Held")
    expect(card).to_contain_text("Your log: Held, 50 min, rated 4/5")
    expect(card.get_by_role("link", name=re.compile("^Edit your log"))).to_be_visible()
    sign_out(page)

    # The mentee logs it too, and reads the mentor's private notes (not their feedback).
    sign_in(page, MENTEE)
    open_pair(page)
    card = page.locator(f"#meeting-{meeting_id}")
    expect(card).to_contain_text("Eric set up his headline; photo next time.")
    expect(card).not_to_contain_text("Great energy.")
    card.get_by_role("link", name=re.compile("^Log this meeting")).click()
    page.get_by_label("Held: the meeting took place").check()
    page.get_by_label("How long it lasted (minutes)").fill("55")
    page.get_by_label("5", exact=True).check()
    page.get_by_label("Private notes").fill("Learned what a headline is for.")
    page.get_by_role("button", name="Save the log").click()
    expect(page.get_by_text("Thank you: your log is saved.")).to_be_visible()
    card = page.locator(f"#meeting-{meeting_id}")
    expect(card).to_contain_text("Your log: Held, 55 min, rated 5/5")
    # The other member's rating is for HR only: the mentee sees the outcome, not the rating.
    expect(card).to_contain_text("Mia Mentor1 (mentor): Held, 50 min")
    expect(card).not_to_contain_text("rated 4/5")
    expect(page.locator(".meeting-stats")).to_contain_text("1held")
