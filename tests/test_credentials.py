"""HR never holds a credential to another person's account.

HR opens every page it may open (with every object id of the world), every export and
every action page that shows a link, and each response is searched for invitation and
reset links and for any token that would open an account. Only an invitation of someone
who never signed in and belongs to no pair may be shown (`people.copy_invitation_link`).
"""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from mentoring.extensions import db
from tests.access_world import World, build_world, clean_database
from tests.conftest import csrf_token, deliver_emails
from tests.test_private_markers import export_urls, get_urls

TOKEN = re.compile(r"[A-Za-z0-9_\-.]{20,}")


def opens_an_account(app: Flask, text: str, reader: str = "hana.hr@example.org") -> list[str]:
    """Each token in the text that signs its holder in as someone else holding anything:
    a password, a sign-in, or a pair."""
    from mentoring.auth.services import find_invitation, find_person_for_reset
    from mentoring.matching.access import pairs_of

    found = []
    with app.app_context():
        for token in set(TOKEN.findall(text)):
            person = find_person_for_reset(token)
            kind = "reset"
            if person is None:
                invitation = find_invitation(token)
                person, kind = (invitation.person if invitation else None), "invitation"
            if person is None or person.email == reader:
                continue
            if person.password_hash or person.last_login_at or pairs_of(person):
                found.append(f"{kind} token for {person.email}")
        db.session.remove()
    return found


def hr_responses(app: Flask, world: World) -> dict[str, str]:
    """Every page and file HR can get, keyed by what was asked."""
    hr = world.client(app, "hr")
    responses = {}
    # Pages whose URL is itself a secret (a reset or invitation link, a feed) are not HR's.
    secrets = [
        world.ids[key]
        for key in ("reset_token", "invitation_token", "unsubscribe_token", "feed_secret")
    ]
    urls = get_urls(app, world) + export_urls(app, world)
    for url in [url for url in urls if not any(secret in url for secret in secrets)]:
        response = hr.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200:
            responses[f"GET {url}"] = response.get_data(as_text=True)
    # The action pages that show or send links, for every person.
    for person_id in sorted(world.ids["people"].values()):
        page = hr.get(f"/people/{person_id}").get_data(as_text=True)
        token = csrf_token(page)
        for action in ("invitation/link", "invitation"):
            url = f"/people/{person_id}/{action}"
            response = hr.post(url, data={"csrf_token": token}, follow_redirects=True)
            responses[f"POST {url}"] = response.get_data(as_text=True)
    token = csrf_token(hr.get("/people/invitations").get_data(as_text=True))
    response = hr.post("/people/invitations", data={"csrf_token": token}, follow_redirects=True)
    responses["POST /people/invitations"] = response.get_data(as_text=True)
    return responses


def test_no_hr_page_or_export_opens_someone_elses_account(app):
    clean_database(app)
    world = build_world(app)
    found = []
    invitee = world.ids["people"]["invitee"]
    shown_invitee_link = False
    for asked, body in hr_responses(app, world).items():
        assert "/password/reset/" not in body, f"a reset link in {asked}"
        for problem in opens_an_account(app, body):
            found.append(f"{problem} in {asked}")
        if asked == f"POST /people/{invitee}/invitation/link" and "/invitation/" in body:
            shown_invitee_link = True
    assert found == [], "\n".join(found)
    # The one link HR may copy is shown (so the search above would have seen a token).
    assert shown_invitee_link

    # HR's own emails (the weekly digest and the like) hold no one else's credential.
    from mentoring.notifications.due import queue_due
    from mentoring.people.models import Person

    with app.app_context():
        from datetime import UTC, datetime, timedelta

        queue_due(datetime.now(UTC) + timedelta(days=8))
        db.session.commit()
        hr_email = db.session.scalar(
            select(Person.email).where(Person.id == world.ids["people"]["hr"])
        )
    for message in deliver_emails(app):
        if any(hr_email in to for to in message.to):
            assert opens_an_account(app, message.body, hr_email) == [], message.subject


def test_a_copied_invitation_link_dies_when_its_person_joins_a_pair(app):
    """The link HR copied for someone with no pair stops working once they are paired:
    a fresh invitation goes to their own mailbox instead."""
    from mentoring.matching.models import MatchRun
    from mentoring.matching.services import publish
    from mentoring.people.models import Person

    clean_database(app)
    world = build_world(app)
    hr = world.client(app, "hr")
    person_id = world.ids["people"]["e2"]  # in the draft run: paired when HR publishes it
    with app.app_context():
        person = db.session.get(Person, person_id)
        person.password_hash = None
        db.session.commit()
    page = hr.get(f"/people/{person_id}").get_data(as_text=True)
    hr.post(f"/people/{person_id}/invitation", data={"csrf_token": csrf_token(page)})
    copied = hr.post(
        f"/people/{person_id}/invitation/link", data={"csrf_token": csrf_token(page)}
    ).get_data(as_text=True)
    link = re.search(r"https://mentoring\.example\.com(/invitation/[A-Za-z0-9_\-.]+)", copied)
    assert link, "HR could not copy the link of someone with no pair"
    assert app.test_client().get(link.group(1)).status_code == 200

    with app.app_context():
        publish(
            db.session.get(MatchRun, world.ids["run"]),
            actor=db.session.get(Person, world.ids["people"]["hr"]),
        )
        db.session.commit()
    assert opens_an_account(app, copied) == []
    page = app.test_client().get(link.group(1)).get_data(as_text=True)
    assert 'name="password"' not in page
    emails = [m for m in deliver_emails(app) if any("eva.exec" in to for to in m.to)]
    assert any("/invitation/" in message.body for message in emails)
