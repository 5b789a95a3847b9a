"""Journey 4 in Chromium: a mentee works through a LinkedIn goal; the mentor sees it done."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from mentoring.cohorts.models import Cohort
from mentoring.curriculum.models import GoalTemplate, GoalTemplateMilestone, Topic
from mentoring.extensions import db
from tests.browser.conftest import sign_in, sign_out

MILESTONES = [
    "Professional photo and headline",
    "About section written",
    "50 relevant connections",
    "First post published",
]
PROFILE = "https://www.linkedin.com/in/eric-mentee"


def test_mentee_completes_a_linkedin_goal_and_the_mentor_sees_it(app, page, make_pair):
    ids = make_pair()
    with app.app_context():
        topic = Topic(name="LinkedIn profile and network", position=0)
        db.session.add(
            GoalTemplate(
                topic=topic,
                title="Set up a LinkedIn profile",
                evidence_kind="url",
                evidence_hint="The public URL of your LinkedIn profile",
                milestones=[
                    GoalTemplateMilestone(position=number, title=title)
                    for number, title in enumerate(MILESTONES, start=1)
                ],
            )
        )
        db.session.get(Cohort, ids["cohort"]).topics = [topic]
        db.session.commit()
    goals_url = f"/pairs/{ids['pair']}/goals"

    sign_in(page, "mentee1@example.org")
    page.goto(goals_url)
    expect(page.get_by_text("You have no goal yet.")).to_be_visible()
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Set up a LinkedIn profile").check()
    page.get_by_label("Target date").fill("2027-03-31")
    page.get_by_role("button", name="Add goal").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Set up a LinkedIn profile"))
    ).to_be_visible()
    expect(page.get_by_text("Not started", exact=True)).to_be_visible()

    for title in MILESTONES[:3]:
        page.get_by_role("button", name=f"Tick {title}", exact=True).click()
        expect(page.get_by_role("button", name=f"Untick {title}", exact=True)).to_be_visible()
    expect(page.get_by_text("3 of 4 done · 75%")).to_be_visible()
    expect(page.get_by_text("In progress", exact=True)).to_be_visible()

    # Not a web link: refused, said where, typed value kept, nothing done.
    page.get_by_label("Link", exact=True).fill("linkedin.com/in/eric-mentee")
    page.get_by_role("button", name="Save and mark done").click()
    expect(page.get_by_text("Give a web link that starts with https://")).to_be_visible()
    expect(page.get_by_label("Link", exact=True)).to_have_value("linkedin.com/in/eric-mentee")
    expect(page.get_by_text("3 of 4 done · 75%")).to_be_visible()

    page.get_by_label("Link", exact=True).fill(PROFILE)
    page.get_by_role("button", name="Save and mark done").click()
    expect(page.get_by_text("Well done: “Set up a LinkedIn profile” is done.")).to_be_visible()
    expect(page.get_by_text("4 of 4 done · 100%")).to_be_visible()
    sign_out(page)

    sign_in(page, "mentor1@example.org")
    page.goto(goals_url)
    mentee_side = page.get_by_role("region", name=re.compile("Eric Mentee1’s goals"))
    expect(mentee_side.get_by_role("link", name="Set up a LinkedIn profile")).to_be_visible()
    expect(mentee_side.get_by_text("Done", exact=True)).to_be_visible()
    expect(mentee_side.get_by_text(re.compile("4 of 4 milestones · 100%"))).to_be_visible()
    mentee_side.get_by_role("link", name="Set up a LinkedIn profile").click()
    evidence = page.get_by_role("link", name=PROFILE)
    expect(evidence).to_have_attribute("href", PROFILE)
    expect(evidence).to_have_attribute("rel", "noopener noreferrer nofollow")
    # The mentor reads the mentee's goal but cannot change it.
    expect(page.get_by_role("button", name=re.compile("^(Un)?tick"))).to_have_count(0)
