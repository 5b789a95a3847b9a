"""HR's people directory, invitations, deactivation and each person's profile."""

from __future__ import annotations

from sqlalchemy import func, select

from mentoring.audit.models import AuditEvent
from mentoring.auth.models import Invitation
from mentoring.extensions import db
from mentoring.people.models import Person, Role
from tests.conftest import PASSWORD, csrf_token, deliver_emails, email_link, post_form

NEW_PERSON = {
    "email": "Nadia.Karim@Example.org",
    "name": "Nadia Karim",
    "department": "Finance",
    "title": "Analyst",
    "seniority_level": "2",
    "manager_email": "",
    "timezone": "Europe/Paris",
    "languages": "French, en",
    "site": "Lyon",
    "roles": ["mentor"],
}


def _hr(make_person, login):
    hr_id = make_person("hr@example.org", roles=("admin",), name="Hana HR")
    login("hr@example.org")
    return hr_id


def _person(app, email):
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.email == email))
        return person and {
            "id": person.id,
            "name": person.name,
            "is_active": person.is_active,
            "roles": person.roles,
            "languages": list(person.languages),
            "manager_id": person.manager_id,
            "password_hash": person.password_hash,
        }


def _audit(app, action):
    with app.app_context():
        return db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == action)
        )


def test_hr_adds_a_person_who_accepts_the_invitation(app, client, login, make_person):
    _hr(make_person, login)
    response = post_form(client, "/people/new", NEW_PERSON)
    assert response.status_code == 302
    person = _person(app, "nadia.karim@example.org")
    assert person["languages"] == ["fr", "en"]
    assert person["roles"] == {Role.MENTOR}
    assert person["password_hash"] is None

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "mentoring.example.com/invitation/" not in page  # emailed, not shown to HR
    (email,) = deliver_emails(app)
    assert email.to == ["Nadia Karim <nadia.karim@example.org>"]
    path = email_link(email, "/invitation/")

    newcomer = app.test_client()
    form = newcomer.get(path)
    assert "Welcome, Nadia" in form.get_data(as_text=True)
    done = newcomer.post(
        path,
        data={
            "csrf_token": csrf_token(form.get_data(as_text=True)),
            "new_password": "my own new passphrase",
            "confirm_password": "my own new passphrase",
        },
    )
    assert done.status_code == 302
    assert newcomer.get("/").status_code == 200
    # Single use: the link is dead now.
    assert app.test_client().get(path).status_code == 404
    assert _audit(app, "auth.invitation_accepted") == 1


def test_invitation_links_expire_and_renewal_kills_the_old_one(app, client, login, make_person):
    _hr(make_person, login)
    response = post_form(client, "/people/new", NEW_PERSON)
    person_id = int(response.headers["Location"].rsplit("/", 1)[1])
    old = email_link(deliver_emails(app)[-1], "/invitation/")

    post_form(client, f"/people/{person_id}/invitation", {}, form_url=f"/people/{person_id}")
    new = email_link(deliver_emails(app)[-1], "/invitation/")
    assert new != old
    assert app.test_client().get(old).status_code == 404
    assert app.test_client().get(new).status_code == 200

    from datetime import timedelta

    from mentoring.db import utcnow

    with app.app_context():
        for invitation in db.session.scalars(select(Invitation)):
            invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert app.test_client().get(new).status_code == 404
    listing = client.get("/people/invitations").get_data(as_text=True)
    assert "expired or replaced" in listing


def test_tampered_invitation_token_is_refused(client):
    assert client.get("/invitation/not-a-token").status_code == 404
    assert client.get("/invitation/WzEsImFiYyJd.forged").status_code == 404


def test_adding_a_person_rejects_bad_input_and_keeps_it(app, client, login, make_person):
    _hr(make_person, login)
    make_person("taken@example.org", name="Already Here")
    cases = [
        ({"email": "not-an-email"}, "email address"),
        ({"email": "TAKEN@example.org"}, "already belongs to Already Here"),
        ({"seniority_level": "11"}, "from 1 (intern) to 10"),
        ({"timezone": "Mars/Olympus"}, "Not a valid choice"),
        ({"languages": "Klingon"}, "is not a language code"),
        ({"manager_email": "ghost@example.org"}, "No person with the email ghost@example.org"),
        ({"name": ""}, "Enter the person's name."),
    ]
    for change, message in cases:
        response = post_form(client, "/people/new", {**NEW_PERSON, **change})
        page = response.get_data(as_text=True)
        assert response.status_code == 200, change
        assert message in page, (change, message)
        assert 'value="Finance"' in page  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(func.count(Person.id))) == 2


def test_manager_loops_are_refused(app, client, login, make_person):
    _hr(make_person, login)
    boss = make_person("boss@example.org", name="Boss")
    with app.app_context():
        middle = Person(email="middle@example.org", name="Middle", manager_id=boss)
        db.session.add(middle)
        db.session.commit()
        middle_id = middle.id
    data = {
        **NEW_PERSON,
        "email": "boss@example.org",
        "name": "Boss",
        "manager_email": "middle@example.org",
        "roles": [],
    }
    response = post_form(client, f"/people/{boss}/edit", data)
    assert "would make a loop" in response.get_data(as_text=True)
    assert _person(app, "boss@example.org")["manager_id"] is None
    assert middle_id


def test_role_changes_and_deactivation_are_audited(app, client, login, make_person):
    _hr(make_person, login)
    ana = make_person("ana@example.org", roles=("mentor",), name="Ana")
    data = {**NEW_PERSON, "email": "ana@example.org", "name": "Ana", "roles": ["mentor", "leader"]}
    assert post_form(client, f"/people/{ana}/edit", data).status_code == 302
    assert _person(app, "ana@example.org")["roles"] == {Role.MENTOR, Role.LEADER}
    assert _audit(app, "person.role_granted") == 1

    ana_client = app.test_client()
    post_form(ana_client, "/login", {"email": "ana@example.org", "password": PASSWORD})
    assert ana_client.get("/").status_code == 200

    response = post_form(
        client,
        f"/people/{ana}/deactivate",
        {"reason": "left the company"},
        form_url=f"/people/{ana}",
    )
    assert response.status_code == 302
    assert _person(app, "ana@example.org")["is_active"] is False
    assert _audit(app, "person.deactivated") == 1
    assert ana_client.get("/").status_code == 302  # signed out
    # History stays: the person is still in the directory.
    assert "Ana" in client.get("/people/?status=deactivated").get_data(as_text=True)

    post_form(client, f"/people/{ana}/reactivate", {}, form_url=f"/people/{ana}")
    assert _person(app, "ana@example.org")["is_active"] is True


def test_hr_cannot_deactivate_themselves_or_drop_their_own_admin_role(
    app, client, login, make_person
):
    hr_id = _hr(make_person, login)
    post_form(client, f"/people/{hr_id}/deactivate", {}, form_url=f"/people/{hr_id}")
    assert _person(app, "hr@example.org")["is_active"] is True
    data = {**NEW_PERSON, "email": "hr@example.org", "name": "Hana HR", "roles": ["mentor"]}
    response = post_form(client, f"/people/{hr_id}/edit", data)
    assert "cannot remove your own HR role" in response.get_data(as_text=True)
    assert Role.ADMIN in _person(app, "hr@example.org")["roles"]


def test_directory_search_filters_and_pagination(app, client, login, make_person):
    _hr(make_person, login)
    for number in range(30):
        make_person(
            f"junior{number:02d}@example.org",
            name=f"Junior {number:02d}",
            roles=("mentor",),
            department="Sales" if number % 2 else "Finance",
        )
    first = client.get("/people/").get_data(as_text=True)
    assert "Showing 1–25 of 31" in first
    second = client.get("/people/?page=2").get_data(as_text=True)
    assert "Junior 29" in second and "Junior 00" not in second
    sales = client.get("/people/?q=sales").get_data(as_text=True)
    assert "Junior 01" in sales and "Junior 02" not in sales
    mentors = client.get("/people/?role=mentor&q=junior 0").get_data(as_text=True)
    assert "Junior 05" in mentors and "hr@example.org" not in mentors
    # Bad parameters fall back to sane values instead of failing.
    for query in ("page=abc", "page=-3", "page=999", "page=²", "role=superuser"):
        assert client.get(f"/people/?{query}").status_code == 200, query
    assert client.get("/people/?status=%00").status_code == 400  # NUL is never typed
    assert "Junior 29" in client.get("/people/?page=999").get_data(as_text=True)


def test_participants_cannot_reach_the_directory(client, login, make_person):
    make_person("ana@example.org", roles=("mentor", "mentee", "leader"))
    login("ana@example.org")
    for url in ("/people/", "/people/new", "/people/1", "/people/invitations", "/audit/"):
        assert client.get(url).status_code == 403, url


def test_profile_edits_time_zone_languages_and_bio(app, client, login, make_person):
    make_person("ana@example.org", roles=("mentor",), name="Ana")
    login("ana@example.org")
    bad = post_form(
        client, "/profile", {"timezone": "Nowhere/City", "languages": "en", "bio": "hello"}
    )
    assert "Not a valid choice" in bad.get_data(as_text=True)
    bad = post_form(
        client, "/profile", {"timezone": "Asia/Singapore", "languages": "xyz1", "bio": "hello"}
    )
    assert "is not a language code" in bad.get_data(as_text=True)
    good = post_form(
        client,
        "/profile",
        {"timezone": "Asia/Singapore", "languages": "English, zh", "bio": "Data nerd."},
    )
    assert good.status_code == 302
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.email == "ana@example.org"))
        assert (person.timezone, person.languages, person.bio) == (
            "Asia/Singapore",
            ["en", "zh"],
            "Data nerd.",
        )
    assert "Times are shown in Asia/Singapore" in client.get("/").get_data(as_text=True)


def test_a_leader_who_does_not_take_part_sees_no_mentoring_fields(app, client, login, make_person):
    make_person("boss@example.org", roles=("leader",), name="Bea Boss", languages=["fr"])
    login("boss@example.org")
    page = client.get("/profile").get_data(as_text=True)
    assert 'name="timezone"' in page
    assert "Languages you can mentor" not in page and 'name="languages"' not in page
    assert 'name="bio"' not in page
    assert "Your cohorts" not in page and "HR enrolls" not in page
    response = post_form(client, "/profile", {"timezone": "Europe/Paris"})
    assert response.status_code == 302
    with app.app_context():
        boss = db.session.scalar(select(Person).where(Person.email == "boss@example.org"))
        assert (boss.timezone, boss.languages) == ("Europe/Paris", ["fr"])  # languages kept
    # A leader who is also a mentee keeps the mentoring fields.
    make_person("exec@example.org", roles=("leader", "mentee"))
    client.delete_cookie("session")
    login("exec@example.org")
    page = client.get("/profile").get_data(as_text=True)
    assert 'name="languages"' in page and "Your cohorts" in page


def test_audit_log_lists_events_for_hr(app, client, login, make_person):
    _hr(make_person, login)
    post_form(client, "/people/new", NEW_PERSON)
    page = client.get("/audit/").get_data(as_text=True)
    assert "Person added to the directory" in page  # the action as HR reads it
    assert "Nadia Karim" in page  # the subject by name, not by id
    assert client.get("/audit/?action=person.created").status_code == 200
    assert client.get("/audit/?action=<script>").status_code == 200


def test_hr_issues_a_password_reset_link(app, client, login, make_person):
    _hr(make_person, login)
    ana = make_person("ana@example.org", roles=("mentor",), name="Ana")
    ana_client = app.test_client()
    post_form(ana_client, "/login", {"email": "ana@example.org", "password": PASSWORD})
    response = post_form(client, f"/people/{ana}/invitation", {}, form_url=f"/people/{ana}")
    assert response.status_code == 302
    page = client.get(f"/people/{ana}").get_data(as_text=True)
    assert "/password/reset/" not in page  # HR never holds the link
    (email,) = deliver_emails(app)
    assert email.to == ["Ana <ana@example.org>"]
    path = email_link(email, "/password/reset/")
    browser = app.test_client()
    form = browser.get(path).get_data(as_text=True)
    assert "Choose a new password" in form
    done = browser.post(
        path,
        data={
            "csrf_token": csrf_token(form),
            "new_password": "a fresh passphrase",
            "confirm_password": "a fresh passphrase",
        },
    )
    assert done.status_code == 302
    assert ana_client.get("/").status_code == 302  # the old session is over
    assert (
        post_form(
            app.test_client(),
            "/login",
            {"email": "ana@example.org", "password": "a fresh passphrase"},
        ).status_code
        == 302
    )
    assert _audit(app, "auth.reset_link_emailed") == 1
    assert browser.get(path).status_code == 404  # single use


def test_time_zone_lists_offer_geographic_zones_and_keep_a_persons_alias(app):
    from mentoring.people.forms import timezone_choices

    with app.test_request_context():
        offered = [value for value, _label in timezone_choices()]
        assert offered[0] == "UTC" and "Europe/Paris" in offered and "Asia/Singapore" in offered
        assert not {"Factory", "localtime", "Etc/GMT+5", "US/Eastern"} & set(offered)
        # Someone imported with an alias keeps it selectable; nonsense is not added.
        assert timezone_choices("US/Eastern")[0] == ("US/Eastern", "US/Eastern")
        assert [v for v, _ in timezone_choices("Mars/Olympus")] == offered
