"""The pair page lists every upcoming meeting but past meetings a page at a time, newest
first; the figures still count every meeting, the query count does not grow with the
meetings, and the way back after acting on an old meeting lands on the page that shows it."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from flask import Flask

from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.meetings.models import Meeting, MeetingLog
from mentoring.meetings.overview import PAST_PER_PAGE, past_meeting_pages
from mentoring.people.models import Person
from tests.conftest import csrf_token
from tests.conftest import signed_in as client_for
from tests.test_home import count_queries

PAST = 23
# Positions among the past meetings, newest first (0 is the latest).
UNLOGGED = (12, 21)  # confirmed, not logged yet: on pages 2 and 3
NO_SHOW = 3
CANCELLED = 7
CARD = re.compile(r'<li class="card meeting meeting-\w+" id="meeting-(\d+)">')
OPEN_LOGS = '<details class="meeting-logs-details" open>'


def _meeting(pair_id: int, start, status: str, **fields) -> Meeting:
    meeting = Meeting(
        pair_id=pair_id,
        uid=f"{uuid.uuid4()}@test",
        start_at=start,
        end_at=start + timedelta(hours=1),
        duration_minutes=60,
        status=status,
        location="Room 1",
        confirmed_at=start - timedelta(days=3) if status != "proposed" else None,
        **fields,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def build_pair(app: Flask, make_pair, *, past: int = PAST, upcoming: bool = True) -> dict:
    """A pair with `past` ended meetings (one a day, newest yesterday; most held and logged
    by the mentee) and, when `upcoming`, a confirmed and a proposed meeting to come."""
    ids = make_pair()
    now = utcnow()
    with app.app_context():
        past_ids = []
        for position in range(past):
            start = now - timedelta(days=position + 1)
            if position in UNLOGGED:
                meeting = _meeting(ids["pair"], start, "confirmed")
            elif position == CANCELLED:
                meeting = _meeting(
                    ids["pair"], start, "cancelled", cancelled_at=start - timedelta(days=1)
                )
            else:
                status = "no_show" if position == NO_SHOW else "held"
                meeting = _meeting(ids["pair"], start, status)
                db.session.add(
                    MeetingLog(
                        meeting_id=meeting.id,
                        author_id=ids["mentee"],
                        outcome="no_show" if status == "no_show" else "held",
                        actual_minutes=None if status == "no_show" else 50,
                        rating=4,
                    )
                )
            past_ids.append(meeting.id)
        coming = []
        if upcoming:
            coming.append(_meeting(ids["pair"], now + timedelta(days=2), "confirmed").id)
            coming.append(
                _meeting(
                    ids["pair"], now + timedelta(days=4), "proposed", proposed_by_id=ids["mentee"]
                ).id
            )
        db.session.commit()
        emails = {side: db.session.get(Person, ids[side]).email for side in ("mentor", "mentee")}
    return {
        **ids,
        "past": past_ids,
        "upcoming": coming,
        **{f"{k}_email": v for k, v in emails.items()},
    }


@pytest.fixture
def world(app, make_pair):
    return build_pair(app, make_pair)


def cards(html: str) -> list[int]:
    return [int(found) for found in CARD.findall(html)]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_past_meetings_come_ten_at_a_time_newest_first_after_every_upcoming_one(app, world):
    mentor = client_for(app, world["mentor_email"])
    url = f"/pairs/{world['pair']}"
    past = world["past"]

    first = cards(mentor.get(url).get_data(as_text=True))
    assert first == world["upcoming"] + past[:PAST_PER_PAGE]
    second = cards(mentor.get(f"{url}?page=2").get_data(as_text=True))
    assert second == world["upcoming"] + past[10:20]
    third = cards(mentor.get(f"{url}?page=3").get_data(as_text=True))
    assert third == world["upcoming"] + past[20:]  # the three oldest
    assert past[15] not in first and past[15] in second


def test_the_pager_links_the_pages_and_says_where_the_reader_is(app, world):
    mentor = client_for(app, world["mentor_email"])
    url = f"/pairs/{world['pair']}"

    html = mentor.get(url).get_data(as_text=True)
    nav = html[html.index('<nav class="pagination" aria-label="Pages">') :]
    nav = nav[: nav.index("</nav>")]
    assert "Showing 1–10 of 23" in text_of(nav)
    assert '<span aria-current="page">1</span>' in nav
    assert f'<a href="{url}?page=2#past-heading" rel="next">' in nav
    assert f'<a href="{url}?page=3#past-heading">3</a>' in nav
    assert 'rel="prev"' not in nav
    # The pager comes after the past meetings' heading, below their cards.
    assert html.index('id="past-heading"') < html.index('<nav class="pagination"')

    nav = mentor.get(f"{url}?page=3").get_data(as_text=True)
    assert "Showing 21–23 of 23" in text_of(nav)
    assert f'<a href="{url}?page=2#past-heading" rel="prev">' in nav
    assert 'rel="next"' not in nav


def test_only_the_newest_past_meeting_of_page_one_shows_its_logs_open(app, world):
    mentor = client_for(app, world["mentor_email"])
    url = f"/pairs/{world['pair']}"
    html = mentor.get(url).get_data(as_text=True)
    assert html.count(OPEN_LOGS) == 1
    newest, next_one = (html.index(f'id="meeting-{m}"') for m in world["past"][:2])
    assert newest < html.index(OPEN_LOGS) < next_one
    assert OPEN_LOGS not in mentor.get(f"{url}?page=2").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("page=abc", 1),
        ("page=0", 1),
        ("page=-3", 1),
        ("page=1.5", 1),
        ("page=²", 1),
        ("page=", 1),
        ("page=9999999999", 1),  # too long to be a page number: the first page
        ("page=4", 3),  # past the last page: the last page
        ("page=999", 3),
    ],
)
def test_a_bad_page_number_shows_the_first_page_and_one_too_far_the_last(app, world, query, shown):
    mentor = client_for(app, world["mentor_email"])
    response = mentor.get(f"/pairs/{world['pair']}?{query}")
    assert response.status_code == 200
    start = (shown - 1) * PAST_PER_PAGE
    expected = world["past"][start : start + PAST_PER_PAGE]
    assert cards(response.get_data(as_text=True)) == world["upcoming"] + expected


def test_past_the_last_page_without_upcoming_meetings_shows_the_last_page(app, make_pair):
    pair = build_pair(app, make_pair, upcoming=False)
    mentor = client_for(app, pair["mentor_email"])
    html = mentor.get(f"/pairs/{pair['pair']}?page=50").get_data(as_text=True)
    assert cards(html) == pair["past"][20:]
    assert "Showing 21–23 of 23" in text_of(html)


def test_no_past_meeting_says_so_on_any_page(app, make_pair):
    pair = build_pair(app, make_pair, past=0)
    mentor = client_for(app, pair["mentor_email"])
    for url in (f"/pairs/{pair['pair']}", f"/pairs/{pair['pair']}?page=3"):
        html = mentor.get(url).get_data(as_text=True)
        assert cards(html) == pair["upcoming"]
        assert "No past meeting yet." in html
        assert '<nav class="pagination"' not in html


def test_a_few_past_meetings_fit_one_page_without_pager(app, make_pair):
    pair = build_pair(app, make_pair, past=3)
    mentor = client_for(app, pair["mentor_email"])
    html = mentor.get(f"/pairs/{pair['pair']}").get_data(as_text=True)
    assert cards(html) == pair["upcoming"] + pair["past"]
    assert "No past meeting yet." not in html
    assert '<nav class="pagination"' not in html


def test_the_figures_count_every_meeting_on_every_page(app, world):
    mentor = client_for(app, world["mentor_email"])
    held = PAST - len(UNLOGGED) - 2  # one no-show, one cancelled
    for page in (1, 3):
        text = text_of(mentor.get(f"/pairs/{world['pair']}?page={page}").get_data(as_text=True))
        assert f"{held} held · target" in text
        assert "1 no-show" in text
        assert "1 cancelled" in text
        assert "2 upcoming" in text


def test_the_way_back_after_acting_on_an_old_meeting_opens_its_page(app, world):
    pair_url = f"/pairs/{world['pair']}"
    mentor = client_for(app, world["mentor_email"])
    on_page_two = world["past"][UNLOGGED[0]]

    form = mentor.get(f"/meetings/{on_page_two}/log").get_data(as_text=True)
    response = mentor.post(
        f"/meetings/{on_page_two}/log",
        data={
            "csrf_token": csrf_token(form),
            "outcome": "held",
            "actual_minutes": "45",
            "rating": "4",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{pair_url}?page=2#meeting-{on_page_two}")
    landed = mentor.get(response.headers["Location"]).get_data(as_text=True)
    assert on_page_two in cards(landed)
    assert "your log is saved" in landed

    # Editing one's log of a meeting on page 3, and a refusal about it, come back there.
    mentee = client_for(app, world["mentee_email"])
    on_page_three = world["past"][20]
    form = mentee.get(f"/meetings/{on_page_three}/log/edit").get_data(as_text=True)
    response = mentee.post(
        f"/meetings/{on_page_three}/log/edit",
        data={
            "csrf_token": csrf_token(form),
            "outcome": "held",
            "actual_minutes": "30",
            "rating": "3",
        },
    )
    assert response.headers["Location"].endswith(f"{pair_url}?page=3#meeting-{on_page_three}")
    response = mentee.get(f"/meetings/{on_page_three}/log")  # already logged
    assert response.headers["Location"].endswith(f"{pair_url}?page=3#meeting-{on_page_three}")
    response = mentee.get(f"/meetings/{on_page_three}/cancel")  # held: cannot be cancelled
    assert response.headers["Location"].endswith(f"{pair_url}?page=3#meeting-{on_page_three}")

    # Upcoming meetings are on every page: no page number.
    proposed = world["upcoming"][1]
    form = mentor.get(pair_url).get_data(as_text=True)
    response = mentor.post(f"/meetings/{proposed}/confirm", data={"csrf_token": csrf_token(form)})
    assert response.headers["Location"].endswith(f"{pair_url}#meeting-{proposed}")


def test_the_page_of_each_meeting_is_found_in_one_query(app, world):
    past, upcoming = world["past"], world["upcoming"]
    asked = [past[0], past[9], past[10], past[19], past[22], *upcoming]
    with count_queries(app) as statements, app.app_context():
        pages = past_meeting_pages(world["pair"], asked)
    assert len(statements) == 1
    assert pages == {
        past[0]: 1,
        past[9]: 1,
        past[10]: 2,
        past[19]: 2,
        past[22]: 3,
        upcoming[0]: 1,
        upcoming[1]: 1,
    }


def test_the_pair_page_runs_as_many_queries_whatever_the_page_or_the_meetings(
    app, make_pair, world
):
    few = build_pair(app, make_pair, past=2)
    counts = {}
    for ids, pages in ((world, (1, 2, 3)), (few, (1,))):
        mentor = client_for(app, ids["mentor_email"])
        mentor.get(f"/pairs/{ids['pair']}")  # first visit: one-off work
        for page in pages:
            with count_queries(app) as statements:
                response = mentor.get(f"/pairs/{ids['pair']}?page={page}")
            assert response.status_code == 200
            counts[(ids["pair"], page)] = len(statements)
    assert len(set(counts.values())) == 1, counts
    assert next(iter(counts.values())) <= 10


def test_a_goals_meeting_history_links_each_meeting_on_the_page_that_shows_it(app, world):
    from mentoring.goals.models import Goal, meeting_log_goal

    past = world["past"]
    old, recent = past[15], past[1]  # on pages 2 and 1 of the past meetings
    with app.app_context():
        goal = Goal(
            pair_id=world["pair"], owner_enrollment_id=world["mentee_enrollment"], title="Post"
        )
        db.session.add(goal)
        db.session.flush()
        for meeting_id in (old, recent):
            log = db.session.scalars(
                db.select(MeetingLog).where(MeetingLog.meeting_id == meeting_id)
            ).one()
            db.session.execute(
                meeting_log_goal.insert().values(meeting_log_id=log.id, goal_id=goal.id)
            )
        db.session.commit()
        goal_id = goal.id

    html = client_for(app, world["mentee_email"]).get(f"/pairs/{world['pair']}/goals/{goal_id}")
    page = html.get_data(as_text=True)
    assert f'href="/pairs/{world["pair"]}?page=2#meeting-{old}"' in page
    assert f'href="/pairs/{world["pair"]}#meeting-{recent}"' in page
