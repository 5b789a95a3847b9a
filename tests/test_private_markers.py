"""Private notes, unshared feedback and private agendas stay with their pair.

Pair A's members write unique marker strings through the real forms; then every GET
page of the app is opened by every actor (with every object id of the world), every
export and report CSV is downloaded, every calendar file and feed is fetched, every
email that is due is rendered, and the markers are searched for everywhere:

- private notes and private agendas appear only in pair A's members' own pages;
- feedback (not shared with HR) appears only in its author's own pages;
- private agendas never appear in a calendar file, a feed or an email's calendar part.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from mentoring.extensions import db
from tests.access_world import ACTORS, World, build_world, clean_database
from tests.conftest import csrf_token, deliver_emails
from tests.test_access_matrix import DEFAULT_ARGS, ENDPOINT_ARGS, LITERAL_ARGS, rule_of

NOTE_MENTOR = "qzx-mentor-private-note-5581"
NOTE_MENTEE = "qzx-mentee-private-note-9034"
FEEDBACK_MENTOR = "qzx-mentor-feedback-2217"
FEEDBACK_MENTEE = "qzx-mentee-feedback-6642"
AGENDA_NEW = "qzx-private-agenda-new-3390"
AGENDA_MOVED = "qzx-private-agenda-moved-4471"

PAIR_A = {"mentor", "mentee"}
# Marker -> the actors whose own responses may show it.
WHO_MAY_SEE = {
    NOTE_MENTOR: PAIR_A,
    NOTE_MENTEE: PAIR_A,
    FEEDBACK_MENTOR: {"mentor"},
    FEEDBACK_MENTEE: {"mentee"},
    AGENDA_NEW: PAIR_A,
    AGENDA_MOVED: PAIR_A,
}
AGENDAS = (AGENDA_NEW, AGENDA_MOVED)


def _post(client, url: str, data: dict[str, Any]):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def write_markers(app: Flask, world: World) -> None:
    """Pair A's members write every marker through the real forms."""
    ids = world.ids
    mentor, mentee = world.client(app, "mentor"), world.client(app, "mentee")
    log = {"outcome": "held", "actual_minutes": "55", "rating": "4"}
    response = _post(
        mentor,
        f"/meetings/{ids['to_log']}/log",
        {**log, "private_notes": NOTE_MENTOR, "feedback": FEEDBACK_MENTOR},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    response = _post(
        mentee,
        f"/meetings/{ids['held']}/log/edit",
        {**log, "private_notes": NOTE_MENTEE, "feedback": FEEDBACK_MENTEE},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    when = datetime.now(UTC) + timedelta(days=9)
    meeting = {
        "start_date": when.strftime("%Y-%m-%d"),
        "start_time": "10:00",
        "timezone": "Europe/Paris",
        "duration_minutes": "60",
        "video_url": "https://meet.example.org/pair-a",
        "agenda_private": "y",
    }
    response = _post(
        mentor, f"/pairs/{ids['pair']}/meetings/new", {**meeting, "agenda": AGENDA_NEW}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    moved = {**meeting, "start_date": (when + timedelta(days=1)).strftime("%Y-%m-%d")}
    response = _post(
        mentee, f"/meetings/{ids['planned']}/reschedule", {**moved, "agenda": AGENDA_MOVED}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def object_ids(app: Flask, world: World) -> dict[str, list[Any]]:
    """Every id each kind of URL argument can take in the world (after the markers)."""
    from sqlalchemy import select

    from mentoring.meetings.models import Meeting

    ids = world.ids
    with app.app_context():
        meetings = list(db.session.scalars(select(Meeting.id)))
    return {
        "pair_id": [ids["pair"], ids["pair_b"]],
        "meeting_id": meetings,
        "goal_id": [ids["goal"], ids["proposed_goal"], ids["b_goal"]],
        "person_id": sorted(ids["people"].values()),
        "enrollment_id": [ids["mentee_enrollment"], ids["mentor_enrollment"]],
        "cohort_id": [ids["cohort"], ids["drafting"]],
    }


def get_urls(app: Flask, world: World) -> list[str]:
    """Every GET URL of the app, with every id of the world where it names an object."""
    from flask import url_for

    ids, many = world.ids, object_ids(app, world)
    urls: list[str] = []
    endpoints = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    )
    for endpoint in endpoints:
        rule = rule_of(app, endpoint)
        choices: list[list[tuple[str, Any]]] = []
        for argument in sorted(rule.arguments):
            if argument in many:
                values = many[argument]
            elif argument in ENDPOINT_ARGS.get(endpoint, {}):
                values = [ids[ENDPOINT_ARGS[endpoint][argument]]]
            elif argument in LITERAL_ARGS:
                values = [LITERAL_ARGS[argument]]
            else:
                values = [ids[DEFAULT_ARGS[argument]]]
            choices.append([(argument, value) for value in values])
        for combination in itertools.product(*choices):
            with app.test_request_context():
                urls.append(url_for(endpoint, **dict(combination)))
    return urls


def export_urls(app: Flask, world: World) -> list[str]:
    """Every CSV link of the report pages HR and leaders see, for each cohort too."""
    hr = world.client(app, "hr")
    links: set[str] = set()
    for page in ("/reports/", f"/reports/?cohort={world.ids['cohort']}", "/reports/compare"):
        html = hr.get(page).get_data(as_text=True).replace("&amp;", "&")
        links.update(re.findall(r'href="(/reports/export/[^"]+)"', html))
    assert links, "no CSV export link on the report pages"
    return sorted(links)


def feed_urls(app: Flask, world: World) -> dict[str, str]:
    """Each signed-in actor's calendar feed (turned on through the calendar page)."""
    feeds = {}
    for actor in ACTORS:
        if actor in ("anonymous", "deactivated"):
            continue
        client = world.client(app, actor)
        page = client.get("/calendar").get_data(as_text=True)
        match = re.search(r"(/calendar/[A-Za-z0-9_-]+\.ics)", page)
        if match is None:
            assert (
                client.post("/calendar/feed", data={"csrf_token": csrf_token(page)}).status_code
                == 302
            )
            page = client.get("/calendar").get_data(as_text=True)
            match = re.search(r"(/calendar/[A-Za-z0-9_-]+\.ics)", page)
        assert match, f"no feed for {actor}"
        feeds[actor] = match.group(1)
    return feeds


def leaks(text: str, reader: str, *, calendar: bool = False) -> list[str]:
    """The markers a reader must not see in this text."""
    found = [marker for marker, readers in WHO_MAY_SEE.items() if marker in text]
    return [
        marker
        for marker in found
        if reader not in WHO_MAY_SEE[marker] or (calendar and marker in AGENDAS)
    ]


def test_markers_never_leave_their_pair(app):
    clean_database(app)
    world = build_world(app)
    write_markers(app, world)
    found: list[str] = []

    # Pair A's members do see their own private text (so the search below means something).
    mentor_page = world.client(app, "mentor").get(f"/meetings/{world.ids['to_log']}/log/edit")
    assert NOTE_MENTOR in mentor_page.get_data(as_text=True)
    pair_page = world.client(app, "mentee").get(f"/pairs/{world.ids['pair']}")
    assert AGENDA_NEW in pair_page.get_data(as_text=True)
    own = world.client(app, "mentor").get("/profile/export").get_data(as_text=True)
    assert NOTE_MENTOR in own and FEEDBACK_MENTOR in own and AGENDA_NEW in own
    # HR's export of a person, made on their request, says what it leaves out.
    made_by_hr = world.client(app, "hr").get(f"/people/{world.ids['people']['mentor']}/export")
    assert "private notes" in made_by_hr.get_json()["left_out"].lower()

    urls = get_urls(app, world) + export_urls(app, world)
    for actor in ACTORS:
        client = world.client(app, actor)
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, f"{actor} GET {url}: {response.status_code}"
            calendar = url.endswith(".ics")
            for marker in leaks(response.get_data(as_text=True), actor, calendar=calendar):
                found.append(f"{marker} in {actor}'s GET {url}")

    anonymous = app.test_client()
    for owner, feed in feed_urls(app, world).items():
        body = anonymous.get(feed).get_data(as_text=True)
        for marker in leaks(body, owner, calendar=True):
            found.append(f"{marker} in {owner}'s feed")

    # Every email: those the forms queued, and everything due a day and a week later.
    from mentoring.notifications.due import queue_due

    with app.app_context():
        for days in (1, 2, 8, 15):
            queue_due(datetime.now(UTC) + timedelta(days=days))
            db.session.commit()
    emails = deliver_emails(app)
    assert emails, "no email was sent"
    address_of = {email: actor for actor, email in _emails().items()}
    for message in emails:
        for to in message.to:
            reader = address_of.get(_address(to), "anonymous")
            parts = [message.body] + [content for content, _type in message.alternatives]
            for part in parts:
                for marker in leaks(str(part), reader):
                    found.append(f"{marker} in the email {message.subject!r} to {reader}")
            for attachment in message.attachments:
                content = attachment[1] if isinstance(attachment, tuple) else str(attachment)
                for marker in leaks(str(content), reader, calendar=True):
                    found.append(f"{marker} in the attachment of {message.subject!r} to {reader}")

    assert found == [], "\n".join(found)


def _emails() -> dict[str, str]:
    from tests.access_world import EMAILS

    return EMAILS


def _address(to: str) -> str:
    match = re.search(r"<([^>]+)>", to)
    return (match.group(1) if match else to).strip().lower()
