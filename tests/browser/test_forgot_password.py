"""Forgotten password in Chromium: from the sign-in page to a new password, the link
read from the outbox (in-memory mail backend), used once."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import EXTERNAL_URL, PASSWORD, deliver_emails, email_link


def test_forgot_password_from_sign_in_to_a_new_password(app, page, make_person):
    make_person("ana@example.org", name="Ana Lima", roles=("mentor",))
    page.goto("/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Forgotten your password?")).to_be_visible()
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_role("button", name="Email me a reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    (message,) = deliver_emails(app)
    assert message.to == ["Ana Lima <ana@example.org>"]
    path = email_link(message, "/password/reset/")
    assert f"{EXTERNAL_URL}{path}" in message.body

    page.goto(path)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("my brand new passphrase")
    page.get_by_label("Repeat the new password").fill("my brand new passphrase")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_text("Your password is changed, Ana.")).to_be_visible()

    # The old password no longer works; the new one does; the link is spent.
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That email and password do not match an account.")).to_be_visible()
    page.get_by_label("Password").fill("my brand new passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome, Ana.")).to_be_visible()

    spent = app.test_client().get(path)  # (a 404 in the browser would log a console error)
    assert spent.status_code == 404
    assert "Ask for a new link" in spent.get_data(as_text=True)
