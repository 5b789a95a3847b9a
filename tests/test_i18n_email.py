"""Emails and calendar invitations in the recipient's language: French to a person who
reads French, English to one who reads English, whoever triggered them and whatever
language the triggering request was in."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from email import message_from_bytes

import icalendar
import pytest
from flask_babel import force_locale

from mentoring.auth.services import email_new_invitation
from mentoring.extensions import db as _db
from mentoring.matching.models import Pair
from mentoring.meetings.common import meeting_title
from mentoring.meetings.scheduling import (
    MeetingDetails,
    confirm_meeting,
    propose_meeting,
    propose_series,
)
from mentoring.notifications.sender import send_queued
from mentoring.people.models import Person
from tests.conftest import EXTERNAL_URL, post_form
from tests.i18n_helpers import compiled_catalogues  # noqa: F401 - French is served here

NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
NNBSP = "\u202f"
NBSP = "\u00a0"
# Sentences of the English emails that must not be left in a French one.
ENGLISH = (
    "Hello ",
    "Place:",
    "Video link",
    "Agenda",
    "pair's page",
    "calendar invitation attached",
    "Reverse mentoring ·",
    "If the button does not work",
    "proposes",
    "meeting",
)


def details(**changes) -> MeetingDetails:
    values = {
        "start_date": date(2027, 1, 11),
        "start_time": time(10, 0),
        "timezone": "Europe/Paris",
        "duration_minutes": 60,
        "location": "Room 4",
        "video_url": "https://meet.example.com/abc",
        "agenda": "Our first steps",
        "agenda_private": False,
    }
    values.update(changes)
    return MeetingDetails(**values)


@pytest.fixture
def pair(db, make_pair) -> Pair:
    """A French-speaking mentor (Paris) and an English-speaking mentee (New York)."""
    ids = make_pair(created_at=datetime(2026, 9, 1, tzinfo=UTC))
    pair = db.session.get(Pair, ids["pair"])
    pair.mentor.person.locale = "fr"
    pair.mentee.person.locale = "en"
    db.session.commit()
    return pair


def outbox(app) -> list:
    return list(getattr(app.extensions["mailman"], "outbox", []))


def send(app) -> list:
    """Send what is queued; the emails this run sent."""
    before = len(outbox(app))
    send_queued()
    return outbox(app)[before:]


def html_of(message) -> str:
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def visible(html: str) -> str:
    """The text a reader sees in an HTML email (tags and the head dropped)."""
    body = html.split("<body", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def vevents(message) -> list[icalendar.Event]:
    parsed = message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")


def addressed_to(messages, person) -> list:
    """The messages sent to `person`."""
    return [m for m in messages if m.to == [f"{person.name} <{person.email}>"]]


def test_a_meeting_invitation_is_in_french_for_a_french_reader_and_english_for_an_english_one(
    app, db, pair
):
    mentor, mentee = pair.mentor.person, pair.mentee.person
    meeting = propose_meeting(pair, details(), actor=mentee, now=NOW)
    db.session.commit()
    sent = send(app)  # the English-speaking mentee proposed; the mentor reads French
    (to_mentor,) = addressed_to(sent, mentor)
    (own,) = addressed_to(sent, mentee)  # the mentee's own copy, in English
    assert own.subject.startswith(f"You proposed a meeting to {mentor.name} on Mon 11 Jan 2027")

    assert to_mentor.subject == (
        f"{mentee.name} vous propose une rencontre le lun. 11 janv. 2027, 10:00 CET"
    )
    body, html = to_mentor.body, html_of(to_mentor)
    assert body.startswith(f"Bonjour {mentor.first_name},")
    assert f"Lieu{NBSP}: Room 4" in body
    assert f"Lien de visio{NBSP}: https://meet.example.com/abc" in body
    assert f"Ordre du jour{NBSP}: Our first steps" in body  # the agenda itself stays as typed
    assert "L’invitation jointe l’ajoute à votre agenda." in body
    assert f"La page de votre binôme{NBSP}: {EXTERNAL_URL}/pairs/" in body
    assert '<html lang="fr">' in html
    assert "Ouvrir la page de votre binôme" in html
    for english in ENGLISH:
        assert english not in body, english
        assert english not in visible(html), english
    (event,) = vevents(to_mentor)
    description = str(event["DESCRIPTION"])
    assert "Lien de visio" in description and "Video link" not in description
    with force_locale("fr"):
        assert str(event["SUMMARY"]) == meeting_title(mentor.name, mentee.name)

    confirm_meeting(meeting, actor=mentor, now=NOW)
    db.session.commit()
    sent = send(app)  # the French-speaking mentor confirmed; the mentee reads English
    (to_mentee,) = addressed_to(sent, mentee)
    (own,) = addressed_to(sent, mentor)  # the mentor's own copy, in French
    assert own.subject.startswith(f"Vous avez confirmé votre rencontre avec {mentee.name} le ")
    assert to_mentee.subject == (
        f"{mentor.name} confirmed your meeting on Mon 11 Jan 2027, 04:00 EST"
    )
    assert to_mentee.body.startswith(f"Hello {mentee.first_name},")
    assert "Video link: https://meet.example.com/abc" in to_mentee.body
    assert '<html lang="en">' in html_of(to_mentee)
    for french in ("Bonjour", "rencontre", "binôme", "Lieu"):
        assert french not in to_mentee.body
    (event,) = vevents(to_mentee)
    assert "Video link: https://meet.example.com/abc" in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]) == meeting_title(mentor.name, mentee.name)


def test_a_series_counts_its_meetings_in_each_language(app, db, pair):
    mentor, mentee = pair.mentor.person, pair.mentee.person
    propose_series(pair, details(), every_weeks=2, occurrences=3, actor=mentee, now=NOW)
    db.session.commit()
    (to_mentor,) = addressed_to(send(app), mentor)
    assert to_mentor.subject.startswith(
        f"{mentee.name} vous propose une série de 3 rencontres à partir du lun. 11 janv. 2027"
    )
    assert "Confirmez-les ou déclinez-les" in to_mentor.body
    assert len(vevents(to_mentor)) == 3
    # The same series proposed the other way round reaches the mentee in English.
    other = db.session.get(Pair, pair.id)
    propose_series(
        other, details(start_date=date(2027, 3, 1)), every_weeks=1, occurrences=2,
        actor=mentor, now=NOW,
    )  # fmt: skip
    db.session.commit()
    (to_mentee,) = addressed_to(send(app), mentee)
    assert to_mentee.subject.startswith(f"{mentor.name} proposes a series of 2 meetings from ")
    assert "Confirm or decline them on your pair's page." in to_mentee.body


def test_the_recipient_s_language_wins_over_the_language_of_the_request(app, client, make_person):
    make_person("ana@example.org", name="Ana Lima", locale="en")
    make_person("jeanne@example.org", name="Jeanne Martin", locale="fr")
    client.set_cookie("locale", "fr")  # a French browser asks for Ana's link
    post_form(client, "/password/forgot", {"email": "ana@example.org"})
    client.set_cookie("locale", "en")  # an English browser asks for Jeanne's
    post_form(client, "/password/forgot", {"email": "jeanne@example.org"})
    with app.app_context():
        sent = send(app)
    (to_ana,) = [m for m in sent if "ana@" in m.to[0]]
    (to_jeanne,) = [m for m in sent if "jeanne@" in m.to[0]]

    assert to_ana.subject == "Choose a new password"
    assert "The link works once, for 60 minutes." in to_ana.body
    assert to_jeanne.subject == "Choisir un nouveau mot de passe"
    assert "Le lien ne sert qu’une fois, pendant 60 minutes." in to_jeanne.body
    assert f"Lien expiré{NNBSP}? Demandez-en un nouveau{NBSP}: {EXTERNAL_URL}/password/forgot" in (
        to_jeanne.body
    )
    assert "The link" not in to_jeanne.body and "Expired" not in visible(html_of(to_jeanne))


def test_an_invitation_gives_its_last_day_as_the_reader_writes_dates(app, db, make_person):
    hr = db.session.get(Person, make_person("hr@example.org", roles=("admin",)))
    jeanne = db.session.get(
        Person,
        make_person("jeanne@example.org", name="Jeanne Martin", password=None, locale="fr"),
    )
    ana = db.session.get(
        Person, make_person("ana@example.org", name="Ana Lima", password=None, locale="en")
    )
    for person in (jeanne, ana):
        invitation = email_new_invitation(person, actor=hr)
        invitation.expires_at = datetime(2027, 3, 5, 12, 0, tzinfo=UTC)
    db.session.commit()
    sent = {m.to[0].split("<")[1].rstrip(">"): m for m in send(app)}
    french, english = sent["jeanne@example.org"], sent["ana@example.org"]
    assert french.subject == "Vous êtes invité(e) au programme de mentorat inversé"
    assert "jusqu’au 5 mars 2027." in french.body
    assert "Choisir mon mot de passe" in html_of(french)
    assert english.subject == "You are invited to the reverse-mentoring program"
    assert "until 05 March 2027." in english.body


def _french_mentor(app, make_pair) -> Person:
    """A pair whose mentor reads French; no app context stays pushed (each request then
    chooses its own language, as in production)."""
    ids = make_pair()
    with app.app_context():
        mentor = _db.session.get(Person, ids["mentor"])
        mentor.locale = "fr"
        _db.session.commit()
        _db.session.refresh(mentor)
        _db.session.expunge(mentor)
        return mentor


def test_the_unsubscribe_page_answers_in_the_person_s_language(app, client, make_pair):
    from mentoring.notifications.content import unsubscribe_token

    mentor = _french_mentor(app, make_pair)
    with app.app_context():
        token = unsubscribe_token(mentor, "nudges")
    page = client.get(f"/email/unsubscribe/{token}").get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert f"Ne plus recevoir les relances{NNBSP}?" in page
    assert "Stop nudges" not in page and "Turn nudges off" not in page
    done = client.post(f"/email/unsubscribe/{token}").get_data(as_text=True)
    assert "C’est fait" in done and "vos préférences d’e-mail" in done
    # A browser that chose English with the language switch keeps English.
    client.set_cookie("locale", "en")
    page = client.get(f"/email/unsubscribe/{token}").get_data(as_text=True)
    assert "Stop nudges?" in page and '<html lang="en">' in page


def test_the_email_settings_page_in_french(app, client, login, make_pair):
    mentor = _french_mentor(app, make_pair)
    login(mentor.email)
    page = client.get("/account/email").get_data(as_text=True)
    assert '<html lang="fr">' in page
    for french in ("Préférences d’e-mail", "Rappels de rencontre", "Relances pour vous rencontrer"):
        assert french in page
    for english in ("Email settings", "Meeting reminders", "Nudges to meet", "always reach you"):
        assert english not in page
    saved = post_form(client, "/account/email", {"reminders": "y"}, follow_redirects=True)
    assert "Vos préférences d’e-mail sont enregistrées." in saved.get_data(as_text=True)
