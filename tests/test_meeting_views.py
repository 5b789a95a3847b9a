"""Meeting pages through HTTP: forms keep what was typed, the pair page, logs, .ics
downloads, and access: another pair's meetings and logs are out of reach for every
role, and HR never reads private notes, agendas or unshared feedback."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from icalendar import Calendar
from sqlalchemy import func, select

from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.matching.models import Pair
from mentoring.meetings.logs import LogEntry, log_meeting
from mentoring.meetings.models import Meeting, MeetingLog
from mentoring.meetings.scheduling import (
    MeetingDetails,
    confirm_meeting,
    propose_meeting,
    propose_series,
)
from mentoring.meetings.timezones import NonexistentLocalTime, local_to_utc
from mentoring.people.models import Person
from tests.conftest import csrf_token
from tests.conftest import signed_in as client_for

SECRETS = (
    "MENTOR-PRIVATE-NOTE",
    "MENTEE-PRIVATE-NOTE",
    "MENTOR-UNSHARED-FEEDBACK",
    "PRIVATE-AGENDA",
)


def email_of(app: Flask, person_id: int) -> str:
    with app.app_context():
        return db.session.get(Person, person_id).email


def token_of(client) -> str:
    return csrf_token(client.get("/calendar").get_data(as_text=True))


def at_noon_utc(days_from_now: int) -> MeetingDetails:
    day = (utcnow() + timedelta(days=days_from_now)).date()
    return MeetingDetails(
        start_date=day,
        start_time=time(12, 0),
        timezone="UTC",
        duration_minutes=60,
        location="Room 4",
    )


def build_world(app: Flask, make_pair, make_person) -> dict[str, Any]:
    """Two pairs, HR and a leader; pair one has a logged past meeting (notes, feedback),
    a proposed meeting with a private agenda, one with a public agenda, and a series."""
    first = make_pair()
    second = make_pair()
    world: dict[str, Any] = {
        "pair": first["pair"],
        "first": first,
        "second": second,
        "hr": make_person("hr@example.org", roles=("admin",)),
        "leader": make_person("leader@example.org", roles=("leader",)),
    }
    now = utcnow()
    earlier = now - timedelta(days=10)
    with app.app_context():
        pair = db.session.get(Pair, first["pair"])
        mentor, mentee = pair.mentor.person, pair.mentee.person
        past = propose_meeting(pair, at_noon_utc(-3), actor=mentee, now=earlier)
        confirm_meeting(past, actor=mentor, now=earlier)
        log_meeting(
            past,
            LogEntry(
                outcome="held",
                actual_minutes=50,
                rating=2,
                private_notes="MENTOR-PRIVATE-NOTE",
                feedback="MENTOR-UNSHARED-FEEDBACK",
            ),
            actor=mentor,
            now=now,
        )
        log_meeting(
            past,
            LogEntry(
                outcome="held",
                actual_minutes=60,
                rating=5,
                private_notes="MENTEE-PRIVATE-NOTE",
                feedback="MENTEE-SHARED-FEEDBACK",
                feedback_shareable=True,
            ),
            actor=mentee,
            now=now,
        )
        private = propose_meeting(
            pair,
            MeetingDetails(
                **{**at_noon_utc(5).__dict__, "agenda": "PRIVATE-AGENDA", "agenda_private": True}
            ),
            actor=mentee,
            now=now,
        )
        public = propose_meeting(
            pair,
            MeetingDetails(
                **{
                    **at_noon_utc(6).__dict__,
                    "agenda": "PUBLIC-AGENDA",
                    "video_url": "https://meet.example/abc",
                }
            ),
            actor=mentor,
            now=now,
        )
        series = propose_series(
            pair, at_noon_utc(8), every_weeks=1, occurrences=2, actor=mentee, now=now
        )
        db.session.commit()
        world.update(
            past=past.id,
            private=private.id,
            public=public.id,
            series=series.id,
            mentor_email=mentor.email,
            mentee_email=mentee.email,
            other_mentor_email=db.session.get(Person, second["mentor"]).email,
            other_mentee_email=db.session.get(Person, second["mentee"]).email,
        )
    return world


@pytest.fixture
def world(app, make_pair, make_person) -> dict[str, Any]:
    return build_world(app, make_pair, make_person)


def state(app) -> tuple:
    with app.app_context():
        meetings = db.session.execute(
            select(Meeting.id, Meeting.status, Meeting.sequence, Meeting.start_at).order_by(
                Meeting.id
            )
        ).all()
        logs = db.session.execute(
            select(MeetingLog.id, MeetingLog.rating, MeetingLog.updated_at)
        ).all()
    return tuple(meetings), tuple(logs)


# -- access ---------------------------------------------------------------------------------


def pair_one_routes(w: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    later = (utcnow() + timedelta(days=20)).date().isoformat()
    meeting_form = {
        "start_date": later,
        "start_time": "12:00",
        "timezone": "UTC",
        "duration_minutes": "60",
        "location": "Hijacked",
    }
    log_form = {"outcome": "held", "actual_minutes": "30", "rating": "1"}
    p, m, past, s = w["pair"], w["private"], w["past"], w["series"]
    return [
        ("GET", f"/pairs/{p}", {}),
        ("GET", f"/pairs/{p}/meetings/new", {}),
        ("POST", f"/pairs/{p}/meetings/new", meeting_form),
        ("GET", f"/pairs/{p}/series/new", {}),
        ("POST", f"/pairs/{p}/series/new", {**meeting_form, "every_weeks": 1, "occurrences": 2}),
        ("GET", f"/meetings/{m}/reschedule", {}),
        ("POST", f"/meetings/{m}/reschedule", meeting_form),
        ("POST", f"/meetings/{m}/confirm", {}),
        ("POST", f"/series/{s}/confirm", {}),
        ("GET", f"/meetings/{m}/cancel", {}),
        ("POST", f"/meetings/{m}/cancel", {"reason": "hijack"}),
        ("GET", f"/meetings/{m}.ics", {}),
        ("GET", f"/meetings/{past}.ics", {}),
        ("GET", f"/meetings/{past}/log", {}),
        ("POST", f"/meetings/{past}/log", log_form),
        ("GET", f"/meetings/{past}/log/edit", {}),
        ("POST", f"/meetings/{past}/log/edit", log_form),
    ]


@pytest.mark.parametrize("who", ["other_mentor_email", "other_mentee_email", "leader"])
def test_another_pairs_meetings_and_logs_are_not_found_for_every_role(app, world, who):
    email = "leader@example.org" if who == "leader" else world[who]
    client = client_for(app, email)
    token = token_of(client)
    before = state(app)
    for method, url, data in pair_one_routes(world):
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 404, (who, method, url)
        assert not any(secret.encode() in response.data for secret in SECRETS)
    assert state(app) == before


def test_hr_sees_the_pair_page_but_cannot_act_or_download(app, world):
    client = client_for(app, "hr@example.org")
    token = token_of(client)
    before = state(app)
    for method, url, data in pair_one_routes(world):
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token, **data})
        expected = 200 if url == f"/pairs/{world['pair']}" else 403
        assert response.status_code == expected, (method, url)
    assert state(app) == before


def test_hr_reads_metadata_and_shared_feedback_never_private_text(app, world):
    page = client_for(app, "hr@example.org").get(f"/pairs/{world['pair']}").get_data(as_text=True)
    for secret in (*SECRETS, "PUBLIC-AGENDA", "Room 4", "meet.example"):
        assert secret not in page
    assert "MENTEE-SHARED-FEEDBACK" in page
    assert "rated 2/5" in page and "rated 5/5" in page
    assert "Held" in page and "Proposed" in page
    assert "Log this meeting" not in page and "Confirm" not in page


def test_members_read_both_logs_and_only_their_own_feedback(app, world):
    mentor_page = client_for(app, world["mentor_email"]).get(f"/pairs/{world['pair']}")
    html = mentor_page.get_data(as_text=True)
    for text in (
        "MENTOR-PRIVATE-NOTE",
        "MENTEE-PRIVATE-NOTE",
        "PRIVATE-AGENDA",
        "PUBLIC-AGENDA",
        "MENTOR-UNSHARED-FEEDBACK",
    ):
        assert text in html
    assert "MENTEE-SHARED-FEEDBACK" not in html  # feedback is for HR, not the partner
    mentee_html = (
        client_for(app, world["mentee_email"]).get(f"/pairs/{world['pair']}").get_data(as_text=True)
    )
    assert "MENTOR-UNSHARED-FEEDBACK" not in mentee_html
    assert "MENTEE-SHARED-FEEDBACK" in mentee_html


def test_signed_out_visitors_are_sent_to_sign_in(app, world):
    client = app.test_client()
    for url in (f"/pairs/{world['pair']}", f"/meetings/{world['past']}.ics", "/calendar"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_meetings_and_pairs_are_not_found(app, world):
    client = client_for(app, world["mentor_email"])
    for url in ("/pairs/999999", "/meetings/999999.ics", "/meetings/999999/log"):
        assert client.get(url).status_code == 404


# -- the pair page ---------------------------------------------------------------------------


def test_the_pair_page_shows_both_local_times_and_the_cadence(app, make_pair):
    ids = make_pair(created_at=datetime(2026, 1, 1, tzinfo=UTC))
    with app.app_context():
        pair = db.session.get(Pair, ids["pair"])
        mentee = pair.mentee.person
        meeting = propose_meeting(pair, at_noon_utc(4), actor=mentee)
        db.session.commit()
        start = meeting.start_at
    html = client_for(app, email_of(app, ids["mentor"]))
    html = html.get(f"/pairs/{ids['pair']}").get_data(as_text=True)
    paris = start.astimezone(ZoneInfo("Europe/Paris"))
    new_york = start.astimezone(ZoneInfo("America/New_York"))
    assert paris.strftime("%a %d %b %Y, %H:%M") + " " + paris.tzname() in html
    assert "Eric Mentee" in html and new_york.strftime("%H:%M") + " " + new_york.tzname() in html


def test_an_overdue_pair_is_flagged(app, make_pair, make_cohort):
    today = utcnow().date()
    cohort = make_cohort(
        status="active", start_date=today - timedelta(days=60), end_date=today + timedelta(days=60)
    )
    ids = make_pair(cohort_id=cohort, created_at=utcnow() - timedelta(days=30))
    html = client_for(app, email_of(app, ids["mentor"])).get(f"/pairs/{ids['pair']}")
    html = html.get_data(as_text=True)
    assert "cadence-overdue" in html
    assert "Overdue:" in html and "16 days ago" in html


# -- proposing through the form ---------------------------------------------------------------


def next_gap_in_paris() -> date:
    day = utcnow().date() + timedelta(days=2)
    for _ in range(400):
        try:
            local_to_utc(day, time(2, 30), "Europe/Paris")
        except NonexistentLocalTime:
            return day
        day += timedelta(days=1)
    raise AssertionError("no DST gap within a year")


def meeting_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Meeting.id)))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_date": "gap", "start_time": "02:30"}, "02:30 in Europe/Paris does not exist"),
        ({"timezone": "Mars/Olympus"}, "&#39;Mars/Olympus&#39; is not a known time zone"),
        ({"start_date": "yesterday"}, "has already passed"),
        ({"duration_minutes": "0"}, "must end after it starts"),
        ({"duration_minutes": "600"}, "at most 8 hours"),
        ({"video_url": "javascript:alert(1)"}, "must be a web address starting with https://"),
        ({"location": "", "video_url": ""}, "Say where you meet"),
        ({"start_time": ""}, "Choose the start time."),
    ],
)
def test_the_form_shows_the_problem_and_keeps_what_was_typed(app, make_pair, changes, message):
    ids = make_pair()
    client = client_for(app, email_of(app, ids["mentee"]))
    url = f"/pairs/{ids['pair']}/meetings/new"
    form = {
        "start_date": (utcnow() + timedelta(days=9)).date().isoformat(),
        "start_time": "10:00",
        "timezone": "Europe/Paris",
        "duration_minutes": "45",
        "location": "Café «Le Zinc», 2nd floor",
        "agenda": "LinkedIn: headline; photo",
        **changes,
    }
    if form["start_date"] == "gap":
        form["start_date"] = next_gap_in_paris().isoformat()
    if form["start_date"] == "yesterday":
        form["start_date"] = (utcnow() - timedelta(days=1)).date().isoformat()
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, **form})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert "LinkedIn: headline; photo</textarea>" in html
    assert meeting_count(app) == 0


def test_propose_confirm_move_and_cancel_through_the_pages(app, make_pair):
    ids = make_pair()
    mentee = client_for(app, email_of(app, ids["mentee"]))
    mentor = client_for(app, email_of(app, ids["mentor"]))
    day = (utcnow() + timedelta(days=9)).date()
    url = f"/pairs/{ids['pair']}/meetings/new"
    page = mentee.get(url).get_data(as_text=True)
    assert '<option selected value="America/New_York">' in page
    response = mentee.post(
        url,
        data={
            "csrf_token": csrf_token(page),
            "start_date": day.isoformat(),
            "start_time": "09:30",
            "timezone": "America/New_York",
            "duration_minutes": "45",
            "location": "Room 4",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.scalar(select(Meeting))
        expected = local_to_utc(day, time(9, 30), "America/New_York")
        assert (meeting.start_at, meeting.duration_minutes) == (expected, 45)
        meeting_id = meeting.id

    html = mentor.get(f"/pairs/{ids['pair']}").get_data(as_text=True)
    assert "Proposed by Eric Mentee" in html
    response = mentor.post(f"/meetings/{meeting_id}/confirm", data={"csrf_token": token_of(mentor)})
    assert response.status_code == 302
    assert "Meeting confirmed" in mentor.get(response.headers["Location"]).get_data(as_text=True)

    # The reschedule form opens in the mentor's own zone.
    form = mentor.get(f"/meetings/{meeting_id}/reschedule").get_data(as_text=True)
    paris = expected.astimezone(ZoneInfo("Europe/Paris"))
    assert f'value="{paris:%H:%M}"' in form
    assert '<option selected value="Europe/Paris">' in form
    response = mentor.post(
        f"/meetings/{meeting_id}/reschedule",
        data={
            "csrf_token": csrf_token(form),
            "start_date": paris.date().isoformat(),
            "start_time": "18:00",
            "timezone": "Europe/Paris",
            "duration_minutes": "45",
            "location": "Room 4",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert (meeting.status, meeting.proposed_by_id, meeting.sequence) == (
            "proposed",
            ids["mentor"],
            2,
        )

    # Cancelling needs a reason; the page keeps the meeting, marked cancelled.
    page = mentee.get(f"/meetings/{meeting_id}/cancel").get_data(as_text=True)
    assert "Decline the meeting" in page
    response = mentee.post(
        f"/meetings/{meeting_id}/cancel",
        data={
            "csrf_token": csrf_token(page),
            "reason": "",
        },
    )
    assert "Say why" in response.get_data(as_text=True)
    response = mentee.post(
        f"/meetings/{meeting_id}/cancel",
        data={
            "csrf_token": csrf_token(page),
            "reason": "Travelling to Singapore",
        },
    )
    assert response.status_code == 302
    html = mentor.get(f"/pairs/{ids['pair']}").get_data(as_text=True)
    assert "Declined by Eric Mentee" in html and "Travelling to Singapore" in html


def test_a_series_through_the_page_and_confirm_all(app, make_pair):
    ids = make_pair()
    mentee = client_for(app, email_of(app, ids["mentee"]))
    mentor = client_for(app, email_of(app, ids["mentor"]))
    url = f"/pairs/{ids['pair']}/series/new"
    page = mentee.get(url).get_data(as_text=True)
    response = mentee.post(
        url,
        data={
            "csrf_token": csrf_token(page),
            "start_date": (utcnow() + timedelta(days=3)).date().isoformat(),
            "start_time": "12:00",
            "timezone": "UTC",
            "duration_minutes": "30",
            "video_url": "https://meet.example/x",
            "every_weeks": "2",
            "occurrences": "3",
        },
    )
    assert response.status_code == 302
    html = mentor.get(f"/pairs/{ids['pair']}").get_data(as_text=True)
    assert "Series 3/3" in html
    series_url = re.search(r'action="(/series/\d+/confirm)"', html).group(1)
    response = mentor.post(series_url, data={"csrf_token": csrf_token(html)})
    assert "3 meetings confirmed" in mentor.get(response.headers["Location"]).get_data(as_text=True)


# -- logs through the pages ---------------------------------------------------------------------


def move_into_the_past(app, meeting_id: int, days: int = 1) -> None:
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        shift = meeting.end_at - (utcnow() - timedelta(days=days))
        meeting.start_at -= shift
        meeting.end_at -= shift
        db.session.commit()


def test_logging_before_the_end_twice_and_editing_after_14_days(app, world):
    mentor = client_for(app, world["mentor_email"])
    meeting_id = world["public"]
    with app.app_context():
        confirm_meeting(
            db.session.get(Meeting, meeting_id),
            actor=db.session.get(Person, world["first"]["mentee"]),
        )
        db.session.commit()
    response = mentor.get(f"/meetings/{meeting_id}/log")
    assert response.status_code == 302
    assert "once it has ended" in mentor.get(response.headers["Location"]).get_data(as_text=True)

    move_into_the_past(app, meeting_id)
    page = mentor.get(f"/meetings/{meeting_id}/log").get_data(as_text=True)
    assert "How long it lasted" in page
    form = {
        "csrf_token": csrf_token(page),
        "outcome": "held",
        "actual_minutes": "40",
        "private_notes": "Profile photo done",
        "rating": "7",
    }
    response = mentor.post(f"/meetings/{meeting_id}/log", data=form)
    assert "Rate the meeting from 1 to 5." in response.get_data(as_text=True)
    assert "Profile photo done</textarea>" in response.get_data(as_text=True)
    response = mentor.post(f"/meetings/{meeting_id}/log", data={**form, "rating": "4"})
    assert response.status_code == 302
    response = mentor.post(f"/meetings/{meeting_id}/log", data={**form, "rating": "4"})
    assert "You have already logged this meeting" in response.get_data(as_text=True)

    # The mentee has no log to edit, and cannot edit the mentor's.
    mentee = client_for(app, world["mentee_email"])
    assert mentee.get(f"/meetings/{meeting_id}/log/edit").status_code == 404
    page = mentor.get(f"/meetings/{meeting_id}/log/edit").get_data(as_text=True)
    assert 'value="40"' in page
    response = mentor.post(
        f"/meetings/{meeting_id}/log/edit",
        data={**form, "csrf_token": csrf_token(page), "rating": "5"},
    )
    assert response.status_code == 302
    with app.app_context():
        log = db.session.scalar(select(MeetingLog).where(MeetingLog.meeting_id == meeting_id))
        assert log.rating == 5
        log.created_at -= timedelta(days=15)
        db.session.commit()
    response = mentor.get(f"/meetings/{meeting_id}/log/edit")
    assert "can be edited for 14 days" in mentor.get(response.headers["Location"]).get_data(
        as_text=True
    )
    response = mentor.post(
        f"/meetings/{meeting_id}/log/edit",
        data={**form, "csrf_token": csrf_token(page), "rating": "1"},
    )
    assert "can be edited for 14 days" in response.get_data(as_text=True)


# -- .ics downloads -----------------------------------------------------------------------------


def test_a_meeting_downloads_as_an_ics_file_without_private_text(app, world):
    client = client_for(app, world["mentee_email"])
    for key in ("private", "public", "past"):
        response = client.get(f"/meetings/{world[key]}.ics")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        assert response.headers["Cache-Control"] == "private, no-store"
        for secret in (*SECRETS, "MENTEE-SHARED-FEEDBACK"):
            assert secret.encode() not in response.data
        calendar = Calendar.from_ical(response.data)
        calendar.validate()
        (vevent,) = calendar.walk("VEVENT")
        with app.app_context():
            meeting = db.session.get(Meeting, world[key])
            assert str(vevent["UID"]) == meeting.uid
            assert vevent.decoded("DTSTART") == meeting.start_at.replace(microsecond=0)
        assert str(vevent["SUMMARY"]).startswith("Reverse mentoring: Mia Mentor")
    public = Calendar.from_ical(client.get(f"/meetings/{world['public']}.ics").data)
    assert "PUBLIC-AGENDA" in str(public.walk("VEVENT")[0]["DESCRIPTION"])


# -- what the pages say is true ---------------------------------------------------------------


def text_of(html: str) -> str:
    """The page's text as a person reads it: tags dropped, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def held_meetings(app, pair_id: int, count: int) -> None:
    """`count` meetings of the pair, held and logged, in the past weeks."""
    now = utcnow()
    with app.app_context():
        pair = db.session.get(Pair, pair_id)
        mentor, mentee = pair.mentor.person, pair.mentee.person
        for number in range(count):
            when = now - timedelta(days=40 - 7 * number)
            meeting = propose_meeting(pair, at_noon_utc(-(30 - 7 * number)), actor=mentee, now=when)
            confirm_meeting(meeting, actor=mentor, now=when)
            log_meeting(
                meeting, LogEntry(outcome="held", actual_minutes=60, rating=4), actor=mentor
            )
        db.session.commit()


def running_cohort(make_cohort, **fields) -> int:
    today = utcnow().date()
    return make_cohort(
        status="active",
        start_date=today - timedelta(days=90),
        end_date=today + timedelta(days=90),
        **fields,
    )


def test_the_cadence_box_counts_held_meetings_against_the_target(app, make_pair, make_cohort):
    reached = make_pair(cohort_id=running_cohort(make_cohort, target_meetings=2))
    held_meetings(app, reached["pair"], 3)
    text = text_of(
        client_for(app, email_of(app, reached["mentor"]))
        .get(f"/pairs/{reached['pair']}")
        .get_data(as_text=True)
    )
    assert "3 held · target 2 reached" in text
    assert "(of 2)" not in text

    short = make_pair(cohort_id=running_cohort(make_cohort, target_meetings=8))
    held_meetings(app, short["pair"], 1)
    text = text_of(
        client_for(app, email_of(app, short["mentee"]))
        .get(f"/pairs/{short['pair']}")
        .get_data(as_text=True)
    )
    assert "1 held · target 8" in text
    assert "target 8 reached" not in text and "(of 8)" not in text


def test_a_meeting_planned_after_the_due_date_is_late_for_the_cadence(
    app, make_pair, make_cohort, make_person
):
    make_person("hr@example.org", roles=("admin",))
    created = utcnow() - timedelta(days=5)
    ids = make_pair(cohort_id=running_cohort(make_cohort), created_at=created)
    due = created.date() + timedelta(days=14)
    late_day = due + timedelta(days=3)
    with app.app_context():
        pair = db.session.get(Pair, ids["pair"])
        details = MeetingDetails(
            start_date=late_day,
            start_time=time(12, 0),
            timezone="UTC",
            duration_minutes=60,
            location="Room 4",
        )
        propose_meeting(pair, details, actor=pair.mentee.person)
        db.session.commit()
    member = text_of(
        client_for(app, email_of(app, ids["mentor"]))
        .get(f"/pairs/{ids['pair']}")
        .get_data(as_text=True)
    )
    assert f"Next meeting due by {due.strftime('%a %d %b %Y')}" in member
    assert (
        f"Late for the cadence: the meeting planned for {late_day.strftime('%a %d %b %Y')} "
        "is 3 days after that date."
    ) in member
    assert f"plan another meeting by {due.strftime('%a %d %b')}" in member
    hr = text_of(
        client_for(app, "hr@example.org").get(f"/pairs/{ids['pair']}").get_data(as_text=True)
    )
    assert "Late for the cadence" in hr and "plan another meeting" not in hr  # HR plans nothing

    # Moved before the due date, the planned meeting is on time and nothing is flagged.
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.pair_id == ids["pair"]))
        meeting.start_at -= timedelta(days=4)
        meeting.end_at -= timedelta(days=4)
        db.session.commit()
    html = client_for(app, email_of(app, ids["mentor"])).get(f"/pairs/{ids['pair']}")
    html = html.get_data(as_text=True)
    assert "Late for the cadence" not in html and "cadence-overdue" not in html


def test_hr_and_members_each_read_wording_written_for_them(app, world):
    hr = text_of(
        client_for(app, "hr@example.org").get(f"/pairs/{world['pair']}").get_data(as_text=True)
    )
    assert "As HR you see when the pair meets" in hr
    assert "feedback not shared with you stays with its author" in hr
    assert "What HR sees of your pair" not in hr and "between the two of you" not in hr
    member = text_of(
        client_for(app, world["mentor_email"]).get(f"/pairs/{world['pair']}").get_data(as_text=True)
    )
    assert "What HR sees of your pair" in member
    assert "never sees your rating or your feedback for HR" in member
    assert "As HR you see" not in member


def test_a_member_sees_their_own_rating_never_the_partners(app, world):
    # The mentor rated 2, the mentee 5: each member sees only their own; HR sees both.
    mentor = client_for(app, world["mentor_email"]).get(f"/pairs/{world['pair']}")
    mentor_html = mentor.get_data(as_text=True)
    assert "rated 2/5" in mentor_html and "rated 5/5" not in mentor_html
    mentee = client_for(app, world["mentee_email"]).get(f"/pairs/{world['pair']}")
    mentee_html = mentee.get_data(as_text=True)
    assert "rated 5/5" in mentee_html and "rated 2/5" not in mentee_html


def test_the_log_form_and_the_logs_say_exactly_who_reads_what(app, world):
    mentor = client_for(app, world["mentor_email"])
    form = text_of(mentor.get(f"/meetings/{world['past']}/log/edit").get_data(as_text=True))
    assert "Who reads what you write here" in form
    assert "Your rating: HR, with your name. Eric Mentee" in form and "does not see it" in form
    assert "Private notes: Eric Mentee" in form and "HR never sees them" in form
    assert "Feedback for HR: only you, unless you tick" in form
    assert "aggregate" not in form
    mentor_page = text_of(mentor.get(f"/pairs/{world['pair']}").get_data(as_text=True))
    assert "Your feedback for HR (not shared: only you can read it)" in mentor_page
    mentee_page = text_of(
        client_for(app, world["mentee_email"]).get(f"/pairs/{world['pair']}").get_data(as_text=True)
    )
    assert "Your feedback for HR (HR reads it with your name)" in mentee_page
    hr_page = text_of(
        client_for(app, "hr@example.org").get(f"/pairs/{world['pair']}").get_data(as_text=True)
    )
    assert "Feedback shared with HR MENTEE-SHARED-FEEDBACK" in hr_page
    for page in (mentor_page, mentee_page, hr_page):
        assert "aggregate" not in page


def test_no_meeting_page_promises_an_aggregate_or_a_calendar_it_does_not_update(app, world):
    templates = Path(app.root_path).parent / "templates" / "meetings"
    for path in templates.glob("*.html"):
        assert "aggregate" not in path.read_text(encoding="utf-8"), path.name
    mentee = client_for(app, world["mentee_email"])
    cancel = text_of(mentee.get(f"/meetings/{world['public']}/cancel").get_data(as_text=True))
    assert "stays in your calendars" not in cancel
    assert "download its .ics again from the pair page" in cancel
    assert "sees your reason on the pair page; HR does not" in cancel
    calendar = text_of(mentee.get("/calendar").get_data(as_text=True))
    assert "The feed shows times and titles" not in calendar
    assert "place, video link and agenda (not a private agenda), never notes" in calendar
    assert "can take a few hours to appear" in calendar


def test_an_ended_pairs_page_says_it_has_ended_instead_of_inviting_a_proposal(app, make_pair):
    ids = make_pair(
        mentee_email="ended@example.org", status="ended", ended_at=utcnow(), end_reason="other"
    )
    page = client_for(app, "ended@example.org").get(f"/pairs/{ids['pair']}").get_data(as_text=True)
    assert "This pair has ended: no more meetings are planned." in page
    assert "Propose a meeting" not in page and "Nothing is planned yet." not in page


def test_a_zone_without_letters_of_its_own_is_named_from_utc(app):
    from mentoring.meetings.timezones import format_in_zone
    from mentoring.web import format_localtime

    moment = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert format_in_zone(moment, "Asia/Singapore") == "Mon 07 Dec 2026, 17:00 UTC+08"
    assert format_in_zone(moment, "America/Sao_Paulo").endswith("06:00 UTC-03")
    assert format_in_zone(moment, "Europe/Paris").endswith("10:00 CET")
    app.config["DEFAULT_TIMEZONE"], before = "Asia/Singapore", app.config["DEFAULT_TIMEZONE"]
    try:
        with app.test_request_context():
            assert format_localtime(moment) == "Mon 07 Dec 2026, 17:00 UTC+08"
    finally:
        app.config["DEFAULT_TIMEZONE"] = before
