"""Journey 8 in Chromium: both members accept the agreement; the mentee asks to end the
pair; HR ends it; the mentor sees that it ended, never why."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from mentoring.extensions import db
from mentoring.people.models import Person
from tests.browser.conftest import sign_in, sign_out

SECRET = "We do not get along and I would rather say it to HR only."


def test_agreement_and_ending_without_blame(app, page, make_pair, make_person):
    make_person("hr@example.org", roles=("admin",), name="Hana Hr")
    ids = make_pair()
    pair_url = f"/pairs/{ids['pair']}"
    with app.app_context():
        mentor_name = db.session.get(Person, ids["mentor"]).name

    # The mentee reads and accepts the agreement.
    sign_in(page, "mentee1@example.org")
    page.goto(pair_url)
    agreement = page.locator("#agreement")
    expect(agreement.get_by_text("Read and accept your agreement")).to_be_visible()
    expect(agreement.get_by_text("Only the two of you see your private notes")).to_be_visible()
    agreement.get_by_role("button", name="I accept this agreement").click()
    expect(page.get_by_text("You accepted the mentoring agreement.")).to_be_visible()
    expect(page.get_by_text(f"Waiting for {mentor_name} to accept the agreement.")).to_be_visible()
    sign_out(page)

    # The mentor accepts too.
    sign_in(page, "mentor1@example.org")
    page.goto(pair_url)
    page.get_by_role("button", name="I accept this agreement").click()
    expect(page.get_by_text("You accepted the mentoring agreement.")).to_be_visible()
    expect(page.get_by_role("button", name="I accept this agreement")).to_have_count(0)
    expect(page.get_by_text("Waiting for")).to_have_count(0)
    sign_out(page)

    # The mentee asks HR to end the pair, with a private reason.
    sign_in(page, "mentee1@example.org")
    page.goto(pair_url)
    page.get_by_role("link", name="ask HR to end this pair").click()
    page.get_by_role("button", name="Send my request to HR").click()
    expect(page.get_by_text("only HR reads it")).to_be_visible()
    page.get_by_label("Why do you want to end the pair?").fill(SECRET)
    page.get_by_role("button", name="Send my request to HR").click()
    expect(page.get_by_text("HR has your request and will be in touch.")).to_be_visible()
    expect(page.get_by_text("HR has not decided yet")).to_be_visible()
    sign_out(page)

    # HR sees the request on its home page, reads the reason and ends the pair.
    sign_in(page, "hr@example.org")
    page.get_by_role("link", name=re.compile("asks to end the pair of")).click()
    expect(page.get_by_text(SECRET)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End the pair").click()
    expect(
        page.get_by_text(re.compile("has ended. Its members see only that it ended"))
    ).to_be_visible()
    sign_out(page)

    # The mentor sees that the pair ended, and nothing of why or who asked.
    sign_in(page, "mentor1@example.org")
    page.goto(pair_url)
    expect(page.get_by_text("Pair ended")).to_be_visible()
    body = page.locator("body").inner_text()
    assert SECRET not in body
    assert "Not a good fit" not in body and "asked" not in body
