"""Journeys 1-2 in Chromium: HR imports participants with their availability, runs the
matching, sees a weak pair flagged in the list, publishes, and reads the published run's
explanations afterwards."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from mentoring.auth.services import hash_password
from mentoring.cohorts.models import Cohort
from mentoring.curriculum.models import Topic
from mentoring.extensions import db
from mentoring.people.models import Person

PASSWORD = "published passphrase"
# Wendy's only window (Friday evening) meets no mentor's: her pair is weak on availability.
PARTICIPANTS = (
    "Email,Name,Side,Department,Level,Time zone,Languages,Topics,Capacity,Availability\n"
    "victor@acme.example,Victor Exec,mentee,Sales,9,Europe/Paris,fr;en,LinkedIn,,"
    "Mon 09:00-11:00; Wed 14:00-16:00\n"
    "wendy@acme.example,Wendy Exec,mentee,Finance,8,Europe/Paris,fr;en,AI tools,,"
    "Fri 18:00-19:00\n"
    "zoe@acme.example,Zoé Junior,mentor,Marketing,2,Europe/Paris,fr;en,LinkedIn;AI tools,1,"
    "Mon 09:00-12:00; Wed 14:00-16:00\n"
    "yann@acme.example,Yann Junior,mentor,IT,2,Europe/London,en,AI tools,1,"
    "Mon 08:00-10:00\n"
)


def _setup(app) -> int:
    with app.app_context():
        topics = [Topic(name="LinkedIn", position=0), Topic(name="AI tools", position=1)]
        cohort = Cohort(
            name="Leaders 2027",
            start_date=date(2027, 1, 4),
            end_date=date(2027, 6, 30),
            status="draft",
            topics=topics,
        )
        hr = Person(
            email="hr@published.example",
            name="Hana Ressources",
            password_hash=hash_password(PASSWORD),
            roles=("admin",),
        )
        db.session.add_all([cohort, hr])
        db.session.commit()
        return cohort.id


def test_hr_imports_with_availability_matches_publishes_and_rereads_the_run(app, page, tmp_path):
    cohort_id = _setup(app)
    page.goto("/login")
    page.get_by_label("Email").fill("hr@published.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Import, with an availability column.
    page.goto(f"/cohorts/{cohort_id}")
    page.get_by_role("link", name="Import participants").first.click()
    upload = tmp_path / "participants.csv"
    upload.write_text(PARTICIPANTS, encoding="utf-8")
    page.get_by_label("Participants file (CSV)").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("The file is clean.")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Import 4 participants")).click()
    expect(page.get_by_text("4 people added")).to_be_visible()

    # Run the matching with the default weights and no minimum score.
    page.goto(f"/cohorts/{cohort_id}")
    page.get_by_role("link", name="Matching").first.click()
    expect(page.get_by_label("Minimum acceptable score")).to_have_value("0")
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_text("Matching done: 2 pairs proposed")).to_be_visible()

    rows = page.locator("table.proposals > tbody > tr")
    expect(rows).to_have_count(2)
    # The imported windows count: Victor's pair shares real hours, Wendy's shares none.
    victor = rows.filter(has=page.get_by_role("rowheader", name=re.compile("Victor Exec")))
    expect(victor).to_contain_text(re.compile(r"\d+ h( \d+ min)? of shared availability a week"))
    wendy = rows.filter(has=page.get_by_role("rowheader", name=re.compile("Wendy Exec")))
    expect(wendy).to_contain_text("no shared availability")
    # The weak pair is flagged in the list itself, and the summary counts it.
    expect(wendy).to_contain_text("Weak pair")
    expect(wendy).to_contain_text("Shared availability")
    expect(wendy).to_have_class(re.compile(r"\bweak\b"))
    expect(victor.get_by_text("Weak pair")).to_have_count(0)
    expect(page.locator(".stat").filter(has_text="weak pair")).to_contain_text("1")
    wendy_why = wendy.locator("td").nth(2).inner_text().splitlines()[0].strip()
    wendy_score = wendy.locator(".score").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish 2 pairs").click()
    expect(page.get_by_text("Published 2 pairs.")).to_be_visible()

    # Afterwards, the matching page shows the published run, read-only, with its reasons.
    page.get_by_role("link", name="Matching").click()
    expect(page.get_by_role("heading", name=re.compile("Published run, computed"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Publish|Run the matching"))).to_have_count(0)
    rows = page.locator("table.proposals > tbody > tr")
    expect(rows).to_have_count(2)
    wendy = rows.filter(has=page.get_by_role("rowheader", name=re.compile("Wendy Exec")))
    expect(wendy).to_contain_text(wendy_why)
    expect(wendy.locator(".score")).to_have_text(wendy_score)
    expect(wendy).to_contain_text("Weak pair")
    wendy.locator("summary", has_text="Score breakdown").click()
    availability = wendy.locator("table.breakdown tr").filter(has_text="Shared availability")
    expect(availability.locator("td.num")).to_have_text(
        "0%"
    )  # Babel writes "0%" in English, "0 %" in French
    wendy.get_by_role("link", name=re.compile("Open the pair of Wendy Exec")).click()
    expect(page).to_have_url(re.compile(r"/pairs/\d+$"))
    expect(page.get_by_text("Wendy Exec").first).to_be_visible()
