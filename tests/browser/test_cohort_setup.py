"""Journey 1 in Chromium: HR stands up a cohort and imports its participants."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from mentoring.auth.services import hash_password
from mentoring.curriculum.models import Topic
from mentoring.extensions import db
from mentoring.people.models import Person

MESSY = (
    "\ufeffE-mail;Full name;Role;Dept;Level;Timezone;Languages;Topics;Capacity\n"
    "boss@acme.example;Béatrice Boss;mentee;Sales;9;Europe/Paris;fr;AI tools;\n"
    "not-an-email;Zoé Jeune;mentor;Marketing;2;Europe/Paris;fr;LinkedIn;1\n"
    "sam@acme.example;Sam Senior;mentee;Sales;9;Mars/Olympus;en;LinkedIn;\n"
)
FIXED = MESSY.replace("not-an-email", "zoe@acme.example").replace("Mars/Olympus", "Europe/London")


def test_hr_creates_a_cohort_and_imports_participants(app, page, tmp_path):
    with app.app_context():
        db.session.add_all([Topic(name="LinkedIn", position=0), Topic(name="AI tools", position=1)])
        db.session.add(
            Person(
                email="hr@acme.example",
                name="Hana Ressources",
                password_hash=hash_password("hr passphrase 1"),
                roles=("admin",),
            )
        )
        db.session.commit()

    page.goto("/")
    page.get_by_label("Email").fill("hr@acme.example")
    page.get_by_label("Password").fill("hr passphrase 1")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    page.get_by_role("link", name="New cohort").first.click()
    page.get_by_label("Name").fill("Digital Leaders 2027")
    page.get_by_label("Start date").fill("2027-01-11")
    page.get_by_label("End date").fill("2027-01-04")  # before the start: refused
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_text("The end date must be after the start date.")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Digital Leaders 2027")
    page.get_by_label("End date").fill("2027-07-09")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name=re.compile("Digital Leaders 2027"))).to_be_visible()
    expect(page.get_by_text("No mentee enrolled yet")).to_be_visible()

    page.get_by_role("link", name="Import participants").first.click()
    messy = tmp_path / "export.csv"
    messy.write_text(MESSY, encoding="utf-8")
    page.get_by_label("Participants file (CSV)").set_input_files(str(messy))
    page.get_by_role("button", name="Upload and preview").click()
    expect(
        page.get_by_role("heading", name="Fix these rows, then upload the file again")
    ).to_be_visible()
    errors = page.locator("tr.row-error")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text("not-an-email")
    expect(errors.nth(1)).to_contain_text("4")
    expect(errors.nth(1)).to_contain_text("Mars/Olympus")
    expect(page.get_by_role("button", name=re.compile("^Import \\d+ participants"))).to_have_count(
        0
    )

    fixed = tmp_path / "export-fixed.csv"
    fixed.write_text(FIXED, encoding="utf-8")
    page.get_by_label("Participants file (CSV)").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload the corrected file").click()
    expect(page.get_by_text("The file is clean.")).to_be_visible()
    page.get_by_role("button", name="Import 3 participants").click()
    expect(page.get_by_text("3 people added")).to_be_visible()
    expect(page.get_by_text("Invitations are on their way to 3 people.")).to_be_visible()
    expect(page.get_by_role("link", name="Mentees (2)")).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile("Béatrice Boss"))).to_be_visible()
    page.get_by_role("link", name="Mentors (1)").click()
    expect(page.get_by_role("rowheader", name=re.compile("Zoé Jeune"))).to_be_visible()

    # "Email the invitations now" was ticked by default: they wait in the outbox.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Pending invitations").click()
    expect(page.get_by_role("row", name=re.compile("Zoé Jeune"))).to_contain_text(
        "Queued, sending soon"
    )
