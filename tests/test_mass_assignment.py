"""Extra form fields are ignored: no mass assignment.

Each form that creates or updates an object is sent as a browser would send it (the
fields the page shows, filled in) plus fields it does not show: roles, admin flags,
other people's, pairs' and cohorts' ids, statuses, password hashes. The stored objects
keep what the form may change and nothing else.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import select

from mentoring.extensions import db
from tests.access_world import World, build_world, clean_database


class _FormReader(HTMLParser):
    """The fields of the page's POST form sent to its own URL, as a browser sends them."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.fields: list[tuple[str, str]] = []
        self.in_form = self.done = False
        self.textarea: str | None = None
        self.select: str | None = None
        self.first_option: str | None = None
        self.selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get("method", "").lower() == "post":
            if a.get("action", "").split("?")[0] in ("", self.url):
                self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self.select, self.first_option, self.selected = name, None, False
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a:
                self.fields.append((self.select, a.get("value", "")))
                self.selected = True

    def handle_data(self, data: str) -> None:
        if self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select:
            if not self.selected and self.first_option is not None:
                self.fields.append((self.select, self.first_option))
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def submit(client, url: str, values: dict[str, Any], extra: dict[str, Any]):
    """GET the form, fill it in as a person would, add fields it lacks, POST it."""
    reader = _FormReader(url)
    reader.feed(client.get(url).get_data(as_text=True))
    shown = {name for name, _value in reader.fields}
    data: dict[str, Any] = {}
    for name, value in reader.fields:
        data.setdefault(name, [])
        data[name].append(value)
    data.update({name: value for name, value in values.items()})
    for name, value in extra.items():
        assert name not in shown, f"{url} shows a {name} field: not an extra one"
        data[name] = value
    response = client.post(url, data=data)
    errors = re.findall(r'class="error"[^>]*>([^<]+)<', response.get_data(as_text=True))
    assert response.status_code in (302, 303), (url, errors)
    return response


@pytest.fixture
def world(app) -> World:
    clean_database(app)
    return build_world(app)


def _extras(world: World) -> dict[str, Any]:
    """Fields no form of a participant shows, aimed at other people, pairs and cohorts."""
    ids, people = world.ids, world.ids["people"]
    return {
        "role": "admin",
        "roles": "admin",
        "is_admin": "y",
        "is_active": "",
        "password_hash": "$argon2id$forged",
        "session_token": "forged",
        "cohort_id": str(ids["drafting"]),
        "person_id": str(people["other"]),
        "author_id": str(people["other"]),
        "requester_id": str(people["other"]),
        "proposed_by_id": str(people["other"]),
        "owner_enrollment_id": str(ids["b_mentee_enrollment"]),
        "enrollment_id": str(ids["b_mentee_enrollment"]),
        "pair_id": str(ids["pair_b"]),
        "meeting_id": str(ids["b_held"]),
        "status": "done",
        "resolution": "ended",
        "side": "mentor",
        "id": "999",
    }


def _person(person_id: int):
    from mentoring.people.models import Person

    return db.session.get(Person, person_id)


def test_a_participants_forms_ignore_fields_they_do_not_show(app, world):
    from mentoring.auth.services import verify_password
    from mentoring.cohorts.models import Enrollment
    from mentoring.goals.models import Goal
    from mentoring.meetings.models import Meeting, MeetingLog
    from mentoring.notifications.models import EmailPreference
    from mentoring.trust.models import EndRequest
    from tests.conftest import PASSWORD

    ids, people = world.ids, world.ids["people"]
    mentor, mentee = world.client(app, "mentor"), world.client(app, "mentee")
    extras = _extras(world)

    submit(
        mentee,
        "/profile",
        {"bio": "Learning in public", "languages": "en"},
        {k: v for k, v in extras.items() if k != "roles"},
    )
    submit(mentee, f"/cohorts/enrollments/{ids['mentee_enrollment']}/edit", {}, extras)
    submit(
        mentor,
        f"/pairs/{ids['pair']}/goals/new",
        {"template": "custom", "title": "Learn the board's habits"},
        extras,
    )
    when = datetime.now(UTC) + timedelta(days=12)
    submit(
        mentee,
        f"/pairs/{ids['pair']}/meetings/new",
        {
            "start_date": when.strftime("%Y-%m-%d"),
            "start_time": "15:00",
            "duration_minutes": "45",
            "location": "Room 4",
        },
        extras,
    )
    submit(
        mentor,
        f"/meetings/{ids['to_log']}/log",
        {"outcome": "held", "actual_minutes": "40", "rating": "3"},
        extras,
    )
    submit(mentor, f"/pairs/{ids['pair']}/end-request", {"reason": "We drifted apart"}, extras)
    submit(mentor, "/account/email", {}, extras)

    with app.app_context():
        eric = _person(people["mentee"])
        assert eric.bio == "Learning in public" and eric.name == "Eric Exec"
        assert {role.value for role in eric.roles} == {"mentee"}
        assert eric.is_active and verify_password(eric, PASSWORD)
        assert eric.session_token != "forged"
        enrollment = db.session.get(Enrollment, ids["mentee_enrollment"])
        assert (enrollment.cohort_id, enrollment.person_id, enrollment.side) == (
            ids["cohort"],
            people["mentee"],
            "mentee",
        )
        assert enrollment.status == "active"
        goal = db.session.scalar(select(Goal).where(Goal.title == "Learn the board's habits"))
        assert (goal.pair_id, goal.owner_enrollment_id) == (ids["pair"], ids["mentor_enrollment"])
        assert goal.status != "done" and goal.id != 999
        meeting = db.session.scalar(select(Meeting).where(Meeting.location == "Room 4"))
        assert (meeting.pair_id, meeting.proposed_by_id, meeting.status) == (
            ids["pair"],
            people["mentee"],
            "proposed",
        )
        log = db.session.scalar(select(MeetingLog).where(MeetingLog.meeting_id == ids["to_log"]))
        assert log.author_id == people["mentor"]
        assert (
            db.session.scalar(
                select(MeetingLog).where(
                    MeetingLog.author_id == people["other"], MeetingLog.meeting_id != ids["b_held"]
                )
            )
            is None
        )
        request = db.session.scalar(
            select(EndRequest).where(EndRequest.reason == "We drifted apart")
        )
        assert (request.pair_id, request.requester_id, request.resolution) == (
            ids["pair"],
            people["mentor"],
            None,
        )
        owners = set(db.session.scalars(select(EmailPreference.person_id)))
        assert owners == {people["mentor"]}
        other = _person(people["other"])
        assert {role.value for role in other.roles} == {"mentor"} and other.is_active


def test_hrs_forms_ignore_fields_they_do_not_show(app, world):
    from mentoring.cohorts.models import Cohort
    from mentoring.people.models import Person

    hr = world.client(app, "hr")
    extras = {
        k: v for k, v in _extras(world).items() if k not in ("roles", "cohort_id", "status", "side")
    }
    submit(
        hr,
        "/people/new",
        {
            "email": "new.hire@example.org",
            "name": "New Hire",
            "seniority_level": "3",
            "roles": "mentor",
        },
        extras,
    )
    submit(
        hr,
        "/cohorts/new",
        {"name": "Winter", "start_date": "2027-01-04", "end_date": "2027-06-30"},
        {**extras, "status": "active"},
    )
    with app.app_context():
        hire = db.session.scalar(select(Person).where(Person.email == "new.hire@example.org"))
        assert hire.password_hash is None and hire.session_token != "forged"
        assert hire.is_active and hire.id != 999
        assert {role.value for role in hire.roles} == {"mentor"}
        winter = db.session.scalar(select(Cohort).where(Cohort.name == "Winter"))
        assert winter.status == "draft" and winter.id != 999
