"""One person on both sides: a mentor in one cohort and a mentee in another.

Their home page shows both pairs, each with its own side's wording and actions, and the
access rules hold per pair: both pair pages open, a third pair stays hidden, and each
goal is theirs to work on only on the side they hold in that pair.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from mentoring.cohorts.models import Enrollment
from mentoring.extensions import db
from mentoring.goals.models import Goal
from mentoring.people.models import Person
from tests.conftest import post_form


@pytest.fixture
def sam(app, make_pair, make_cohort):
    """Sam mentors Eric in "Spring" and is mentored by Mia in "Autumn"; a third pair
    in Autumn is not Sam's. Each pair has a goal on each side."""
    today = date.today()
    dates = {"start_date": today - timedelta(days=30), "end_date": today + timedelta(days=200)}
    spring = make_cohort(name="Spring", status="active", **dates)
    autumn = make_cohort(name="Autumn", status="active", **dates)
    as_mentor = make_pair(cohort_id=spring, mentor_email="sam@example.org")
    as_mentee = make_pair(cohort_id=autumn)
    other = make_pair(cohort_id=autumn)
    with app.app_context():
        sam = db.session.scalar(select(Person).where(Person.email == "sam@example.org"))
        sam.name = "Sam Both"
        sam.add_role("mentee")
        sam.seniority_level = 6
        # Autumn's mentee enrollment becomes Sam's (its first person leaves no trace).
        enrollment = db.session.get(Enrollment, as_mentee["mentee_enrollment"])
        placeholder = enrollment.person_id
        enrollment.person_id = sam.id
        db.session.flush()
        db.session.delete(db.session.get(Person, placeholder))
        goals = {}
        for key, pair, owner in (
            ("sam_teaches", as_mentor, "mentor_enrollment"),
            ("eric_learns", as_mentor, "mentee_enrollment"),
            ("sam_learns", as_mentee, "mentee_enrollment"),
            ("mia_learns", as_mentee, "mentor_enrollment"),
            ("stranger", other, "mentee_enrollment"),
        ):
            goal = Goal(
                pair_id=pair["pair"],
                owner_enrollment_id=pair[owner],
                title=f"Goal {key}",
                status="in_progress",
            )
            db.session.add(goal)
            db.session.flush()
            goals[key] = goal.id
        db.session.commit()
    return {"as_mentor": as_mentor, "as_mentee": as_mentee, "other": other, "goals": goals}


def _card(page: str, cohort: str) -> str:
    """The home page's pair card of one cohort."""
    start = page.index(f"{cohort} · you are the")
    end = page.find('<li class="card pair-card', start)
    return page[start : end if end != -1 else len(page)]


def test_the_home_page_shows_both_pairs_each_from_its_own_side(app, client, login, sam):
    page = login("sam@example.org", follow=True).get_data(as_text=True)
    mentoring = _card(page, "Spring")
    mentored = _card(page, "Autumn")

    assert "Spring · you are the mentor" in mentoring
    assert "Your mentee: Eric Mentee1" in mentoring
    assert "Goal sam_teaches" in mentoring and "Goal eric_learns" not in mentoring
    assert "Eric has 1 goal, none done yet." in mentoring
    assert f"/pairs/{sam['as_mentor']['pair']}/meetings/new" in mentoring

    assert "Autumn · you are the mentee" in mentored
    assert "Your mentor: Mia Mentor2" in mentored
    assert "Goal sam_learns" in mentored and "Goal mia_learns" not in mentored
    assert "Mia has 1 goal, none done yet." in mentored
    assert f"/pairs/{sam['as_mentee']['pair']}/meetings/new" in mentored

    assert "Goal stranger" not in page
    assert f"/pairs/{sam['other']['pair']}" not in page


def test_access_rules_hold_per_pair(app, client, login, sam):
    login("sam@example.org")
    mine = (sam["as_mentor"]["pair"], sam["as_mentee"]["pair"])
    for pair_id in mine:
        assert client.get(f"/pairs/{pair_id}").status_code == 200
        assert client.get(f"/pairs/{pair_id}/goals").status_code == 200
    other = sam["other"]["pair"]
    assert client.get(f"/pairs/{other}").status_code == 404
    assert client.get(f"/pairs/{other}/goals").status_code == 404
    assert client.get(f"/pairs/{other}/goals/{sam['goals']['stranger']}").status_code == 404

    goals = sam["goals"]
    spring, autumn = mine
    # Each side's own goal is Sam's to edit; the other member's goal only to read.
    assert client.get(f"/pairs/{spring}/goals/{goals['sam_teaches']}/edit").status_code == 200
    assert client.get(f"/pairs/{spring}/goals/{goals['eric_learns']}").status_code == 200
    assert client.get(f"/pairs/{spring}/goals/{goals['eric_learns']}/edit").status_code == 404
    assert client.get(f"/pairs/{autumn}/goals/{goals['sam_learns']}/edit").status_code == 200
    assert client.get(f"/pairs/{autumn}/goals/{goals['mia_learns']}/edit").status_code == 404
    # A goal is reached through its own pair only.
    assert client.get(f"/pairs/{spring}/goals/{goals['sam_learns']}").status_code == 404

    # Only the mentor proposes goals to the mentee: Sam may in Spring, not in Autumn.
    assert client.get(f"/pairs/{spring}/goals/propose").status_code == 200
    assert client.get(f"/pairs/{autumn}/goals/propose").status_code == 404

    # A new goal of Sam's lands on the side Sam holds in that pair.
    for pair_id, title in ((spring, "Teach a board member"), (autumn, "Post every week")):
        response = post_form(
            client, f"/pairs/{pair_id}/goals/new", {"template": "custom", "title": title}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        owners = dict(
            db.session.execute(
                select(Goal.title, Enrollment.side)
                .join(Enrollment, Enrollment.id == Goal.owner_enrollment_id)
                .where(Goal.title.in_(["Teach a board member", "Post every week"]))
            ).all()
        )
    assert owners == {"Teach a board member": "mentor", "Post every week": "mentee"}
