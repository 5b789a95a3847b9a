"""Journey 2 in Chromium: HR runs the matching, locks a pair, re-runs, publishes;
then a mentor sees their mentee and why they were matched."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from mentoring.auth.services import hash_password
from mentoring.cohorts.models import Cohort, Enrollment, EnrollmentTopic
from mentoring.curriculum.models import Topic
from mentoring.extensions import db
from mentoring.people.models import Person

PASSWORD = "journey passphrase"


def _setup(app):
    with app.app_context():
        password = hash_password(PASSWORD)
        topics = [Topic(name="LinkedIn profile and network"), Topic(name="AI tools at work")]
        cohort = Cohort(
            name="Leaders 2027",
            start_date=date(2027, 1, 4),
            end_date=date(2027, 6, 30),
            status="matching",
            topics=topics,
        )
        hr = Person(
            email="hr@acme.example",
            name="Hana Ressources",
            password_hash=password,
            roles=("admin",),
        )
        people = []
        for index, (name, level, dept, side) in enumerate(
            [
                ("Victor Exec", 9, "Sales", "mentee"),
                ("Wendy Exec", 8, "Finance", "mentee"),
                ("Zoé Junior", 2, "Marketing", "mentor"),
                ("Yann Junior", 2, "IT", "mentor"),
            ]
        ):
            person = Person(
                email=f"p{index}@acme.example",
                name=name,
                seniority_level=level,
                department=dept,
                timezone="Europe/Paris",
                languages=["fr", "en"],
                password_hash=password,
                roles=(side,),
            )
            people.append(person)
            db.session.add(
                Enrollment(
                    cohort=cohort,
                    person=person,
                    side=side,
                    topic_links=[EnrollmentTopic(topic=topics[index % 2], priority=1)],
                )
            )
        db.session.add_all([cohort, hr, *people])
        db.session.commit()
        return cohort.id


def _sign_in(page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_hr_runs_locks_reruns_publishes_and_a_mentor_sees_the_pair(app, page):
    cohort_id = _setup(app)
    _sign_in(page, "hr@acme.example")
    page.goto(f"/cohorts/{cohort_id}")
    page.get_by_role("link", name="Matching").click()
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_text("Matching done: 2 pairs proposed")).to_be_visible()
    expect(page.get_by_text("2 / 2")).to_be_visible()

    rows = page.locator("table.proposals > tbody > tr")
    expect(rows).to_have_count(2)
    first = rows.nth(0)
    mentee = first.get_by_role("rowheader").inner_text().splitlines()[0]
    mentor = first.locator("td").nth(0).inner_text().splitlines()[0]
    expect(first).to_contain_text("covers")
    first.get_by_role("button", name=f"Lock the pair of {mentee}").click()
    expect(page.get_by_text(f"Locked: {mentee} and {mentor}.")).to_be_visible()

    # Re-run with other weights: the locked pair stays.
    page.get_by_text("Weights and rules").click()
    page.get_by_label("Topics covered").fill("0")
    page.get_by_label("Different departments").fill("10")
    page.get_by_role("button", name="Run the matching again").click()
    locked_row = page.locator("table.proposals > tbody > tr.locked")
    expect(locked_row).to_have_count(1)
    expect(locked_row).to_contain_text(mentee)
    expect(locked_row).to_contain_text(mentor)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish 2 pairs").click()
    expect(page.get_by_text("Published 2 pairs.")).to_be_visible()
    expect(page.get_by_role("rowheader", name=mentee)).to_be_visible()

    page.locator("summary").filter(has_text="Hana").click()
    page.get_by_role("button", name="Sign out").click()

    with app.app_context():
        from sqlalchemy import select

        mentor_email = db.session.scalar(select(Person.email).where(Person.name == mentor))
    _sign_in(page, mentor_email)
    expect(page.get_by_role("heading", name=f"Your mentee: {mentee}")).to_be_visible()
    why = page.locator("p", has_text="Why you were matched:")
    expect(why).to_contain_text(re.compile(r"different departments|speak"))
