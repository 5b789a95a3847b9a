"""Signing in and out, passwords, sessions and the bad input around them."""

from __future__ import annotations

from sqlalchemy import select

from mentoring.audit.models import AuditEvent
from mentoring.people.models import Person
from tests.conftest import PASSWORD, csrf_token, post_form

SAME_MESSAGE = "That email and password do not match an account."


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_sign_in_lands_on_home(client, login, make_person):
    make_person("ana@example.org", roles=("mentor",), name="Ana Lima")
    response = login("ana@example.org", follow=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hello, Ana" in page
    assert "Your mentoring" in page


def test_email_is_case_insensitive(client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    response = login("  ANA@Example.ORG ")
    assert response.status_code == 302


def test_unknown_email_and_wrong_password_get_the_same_answer(client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    wrong_password = login("ana@example.org", "not the password")
    unknown_email = login("nobody@example.org", PASSWORD)
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert SAME_MESSAGE in response.get_data(as_text=True)
    # The typed email is kept; the password is not echoed back.
    assert not _signed_in(client)
    assert 'value="nobody@example.org"' in unknown_email.get_data(as_text=True)
    assert PASSWORD not in unknown_email.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(client, login, make_person):
    make_person("gone@example.org", roles=("mentee",), is_active=False)
    response = login("gone@example.org")
    assert response.status_code == 200
    assert "This account is disabled" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_disabled_account_with_wrong_password_reveals_nothing(client, login, make_person):
    make_person("gone@example.org", roles=("mentee",), is_active=False)
    response = login("gone@example.org", "wrong password!")
    assert SAME_MESSAGE in response.get_data(as_text=True)
    assert "disabled" not in response.get_data(as_text=True)


def test_account_without_password_cannot_sign_in(client, login, make_person):
    make_person("invited@example.org", roles=("mentee",), password=None)
    response = login("invited@example.org", "")
    assert response.status_code == 200  # form error: password required
    assert "Enter your password." in response.get_data(as_text=True)
    assert login("invited@example.org", "anything at all").status_code == 200
    assert not _signed_in(client)


def test_home_requires_sign_in_and_keeps_next(client):
    response = client.get("/curriculum/")
    assert response.status_code == 302
    assert "/login?next=%2Fcurriculum%2F" in response.headers["Location"]


def test_next_parameter_on_site_is_followed(client, login, make_person):
    make_person("hr@example.org", roles=("admin",))
    page = client.get("/login?next=/curriculum/")
    response = client.post(
        "/login?next=/curriculum/",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "email": "hr@example.org",
            "password": PASSWORD,
        },
    )
    assert response.headers["Location"] == "/curriculum/"


def test_next_parameter_off_site_is_ignored(client, make_person):
    make_person("hr@example.org", roles=("admin",))
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/%0d%0aSet-Cookie:x=1",
    ):
        client.post("/logout")  # fresh start each time (ignored when signed out: 302)
        page = client.get("/login", query_string={"next": target})
        response = client.post(
            "/login",
            query_string={"next": target},
            data={
                "csrf_token": csrf_token(page.get_data(as_text=True)),
                "email": "hr@example.org",
                "password": PASSWORD,
            },
        )
        assert response.status_code == 302, target
        location = response.headers["Location"]
        assert location == "/" or location.startswith("/%0d"), (target, location)
        assert "evil" not in location
        with client.session_transaction() as session:
            session.clear()


def test_post_without_csrf_token_is_refused(client, make_person):
    make_person("hr@example.org", roles=("admin",))
    response = client.post("/login", data={"email": "hr@example.org", "password": PASSWORD})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "did not come from this site" in page
    assert "Traceback" not in page


def test_sign_out_revokes_the_session_everywhere(app, client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org")
    other_device = app.test_client()
    post_form(other_device, "/login", {"email": "ana@example.org", "password": PASSWORD})
    assert other_device.get("/").status_code == 200

    page = client.get("/").get_data(as_text=True)
    response = client.post("/logout", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    # The other device's cookie carries the old session token: it is dead too.
    assert other_device.get("/").status_code == 302


def test_sign_out_needs_post(client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_replayed_cookie_after_sign_out_is_dead(app, client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org")
    stolen = client.get_cookie("session").value
    page = client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(page)})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 302


def test_tampered_session_cookie_is_ignored(app, client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org")
    cookie = client.get_cookie("session").value
    tampered = cookie[:-3] + ("AAA" if not cookie.endswith("AAA") else "BBB")
    attacker = app.test_client()
    attacker.set_cookie("session", tampered)
    response = attacker.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    garbage = app.test_client()
    garbage.set_cookie("session", "not-a-cookie")
    assert garbage.get("/").status_code == 302


def test_change_password(app, client, login, make_person):
    person_id = make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org")
    other_device = app.test_client()
    post_form(other_device, "/login", {"email": "ana@example.org", "password": PASSWORD})

    response = post_form(
        client,
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    # This session goes on; the other device is signed out.
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302

    fresh = app.test_client()
    assert (
        post_form(fresh, "/login", {"email": "ana@example.org", "password": PASSWORD}).status_code
        == 200
    )
    assert (
        post_form(
            fresh, "/login", {"email": "ana@example.org", "password": "a brand new passphrase"}
        ).status_code
        == 302
    )
    with app.app_context():
        from mentoring.extensions import db

        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.password_changed")
        ).all()
        assert [event.actor_id for event in events] == [person_id]


def test_change_password_rejects_bad_input(client, login, make_person):
    make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org")
    cases = [
        (
            {
                "current_password": "wrong",
                "new_password": "long enough pw 1",
                "confirm_password": "long enough pw 1",
            },
            "That is not your current password.",
        ),
        (
            {"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
            "Use at least 12 characters.",
        ),
        (
            {
                "current_password": PASSWORD,
                "new_password": "long enough pw 1",
                "confirm_password": "long enough pw 2",
            },
            "The two new passwords differ.",
        ),
        (
            {
                "current_password": PASSWORD,
                "new_password": "ana@example.org",
                "confirm_password": "ana@example.org",
            },
            "This password is too easy to guess.",
        ),
        (
            {
                "current_password": PASSWORD,
                "new_password": "Password1234!",
                "confirm_password": "Password1234!",
            },
            "This is similar to a commonly used password.",
        ),
        (
            {"current_password": PASSWORD, "new_password": PASSWORD, "confirm_password": PASSWORD},
            "different from the current one",
        ),
    ]
    for data, message in cases:
        response = post_form(client, "/account/password", data)
        assert response.status_code == 200, message
        assert message in response.get_data(as_text=True)
    # Nothing changed: the old password still works.
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    assert (
        post_form(client, "/login", {"email": "ana@example.org", "password": PASSWORD}).status_code
        == 302
    )


def test_password_is_stored_as_argon2id(app, make_person):
    person_id = make_person("ana@example.org")
    with app.app_context():
        from mentoring.extensions import db

        stored = db.session.get(Person, person_id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_deactivating_a_person_ends_their_session(app, client, login, make_person):
    person_id = make_person("ana@example.org", roles=("mentor",))
    login("ana@example.org")
    with app.app_context():
        from mentoring.extensions import db

        db.session.get(Person, person_id).is_active = False
        db.session.commit()
    assert client.get("/").status_code == 302


def test_login_is_rate_limited(app, client):
    from mentoring.extensions import limiter

    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    try:
        statuses = []
        for _ in range(5):
            token = csrf_token(client.get("/login").get_data(as_text=True))
            statuses.append(
                client.post(
                    "/login",
                    data={"csrf_token": token, "email": "x@example.org", "password": "whatever pw"},
                ).status_code
            )
        assert statuses[:3] == [200, 200, 200]
        assert statuses[3:] == [429, 429]
        token = csrf_token(client.get("/login").get_data(as_text=True))
        refused = client.post("/login", data={"csrf_token": token, "email": "x@example.org"})
        assert "Too many attempts" in refused.get_data(as_text=True)
        # Only sign-in attempts are limited, not reading the form.
        assert client.get("/login").status_code == 200
    finally:
        limiter.reset()
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
