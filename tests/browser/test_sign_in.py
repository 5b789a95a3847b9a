"""Sign in as each demo role in Chromium, see that role's home page, sign out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mentoring.demo import DEMO_PASSWORD, seed_demo
from mentoring.extensions import db


@pytest.fixture
def demo(app):
    """Load the demo organisation and return its logins by role."""
    with app.app_context():
        report = seed_demo()
        db.session.commit()
    return dict(report.logins)


def sign_in(page, email: str, password: str) -> None:
    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    page.locator("summary").filter(has_text=re.compile(".+")).first.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


ROLE_HOME = {
    "admin": "Program administration",
    "mentor": "Your mentoring",
    "mentee": "Your mentoring",
    "leader": "Program adoption",
}


@pytest.mark.parametrize("role", ["admin", "mentor", "mentee", "leader"])
def test_each_role_signs_in_sees_its_home_and_signs_out(page, demo, role):
    sign_in(page, demo[role], DEMO_PASSWORD)
    expect(page.get_by_role("heading", name=re.compile(r"^Hello, "))).to_be_visible()
    expect(page.get_by_role("heading", name=ROLE_HOME[role])).to_be_visible()
    if role == "admin":
        expect(page.get_by_role("rowheader", name="Digital Leadership 2026")).to_be_visible()
        expect(page.get_by_role("heading", name="Cohorts")).to_be_visible()
        expect(page.get_by_role("link", name="Curriculum")).to_be_visible()
    if role in ("mentor", "mentee"):
        # The demo cohort is matched and published: each sees their pair and why.
        other = "Your mentee: " if role == "mentor" else "Your mentor: "
        expect(page.get_by_role("heading", name=re.compile(other)).first).to_be_visible()
        expect(page.get_by_text("Why you were matched:").first).to_be_visible()
    if role == "leader":
        # Leadership sees aggregates only, and no curriculum admin link.
        expect(page.get_by_role("heading", name="Program administration")).to_have_count(0)
        expect(page.get_by_text("executives enrolled as mentees")).to_be_visible()
    sign_out(page)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))


def test_wrong_password_shows_an_error_and_keeps_the_email(page, demo):
    sign_in(page, demo["mentee"], "not the right password")
    expect(page.get_by_text("That email and password do not match an account.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(demo["mentee"])
    expect(page.get_by_label("Password")).to_have_value("")


def test_curriculum_is_browsable_from_the_navigation(page, demo):
    sign_in(page, demo["mentee"], DEMO_PASSWORD)
    page.get_by_role("link", name="Curriculum").click()
    expect(page.get_by_role("heading", name="Curriculum", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Set up a LinkedIn profile")).to_be_visible()
