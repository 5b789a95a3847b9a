"""People, home pages and trust pages in French: every role's home, the profile, the
people directory and a person's page, the mentoring agreement (its default text in the
reader's language, HR's own wording as written), dates and plurals in French."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from zoneinfo import available_timezones

import pytest
from flask_babel import force_locale, gettext, ngettext

from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.meetings.models import Meeting
from mentoring.trust.agreement_text import DEFAULT_AGREEMENT, agreement_facts, default_agreement
from tests.conftest import post_form
from tests.i18n_helpers import both_pages as _both
from tests.i18n_helpers import compiled_catalogues  # noqa: F401 - French is served here
from tests.i18n_helpers import english_left as shared_english_left

# A French date as the `localtime` filter writes it: « mer. 2 déc. 2026, 09:00 ».
FRENCH_MOMENT = re.compile(
    r"\b(lun|mar|mer|jeu|ven|sam|dim)\. \d{1,2}(?:er)? [a-zéû]+\.? \d{4}, \d\d:\d\d"
)
ENGLISH_MOMENT = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d [A-Z][a-z]{2} \d{4}, \d\d:\d\d")
# Words written the same in both languages, and the app's name for each language.
SAME_IN_BOTH = {
    "Mentor", "mentor", "Manager", "Site", "Invitation", "Action", "Actions", "Dates", "min",
    "English", "Français", "JSON", "CSV", "ics", "Active", "UTC", "Europe", "Paris", "America",
    "New_York", "York", "New",
}  # fmt: skip


def english_left(english: str, french: str, data: tuple[str, ...] = ()) -> set[str]:
    """English text left on the French page (IANA time zone names are the same in every
    language: the time zone select lists them)."""
    zones = available_timezones()
    return shared_english_left(
        english, french, data, SAME_IN_BOTH, ignore=lambda text: text.replace(" ", "_") in zones
    )


def _plan_meeting(app, pair_id: int, days: int = 5) -> None:
    with app.app_context():
        start = utcnow().replace(microsecond=0) + timedelta(days=days)
        db.session.add(
            Meeting(
                pair_id=pair_id,
                uid=f"{uuid.uuid4()}@test",
                start_at=start,
                end_at=start + timedelta(hours=1),
                duration_minutes=60,
                status="confirmed",
                location="Salle 4",
                confirmed_at=start - timedelta(days=3),
            )
        )
        db.session.commit()


PAIR_DATA = (
    "Mia Mentor1", "Eric Mentee1", "Mia", "Eric", "Cohort 1", "Salle 4", "Marketing", "Finance",
)  # fmt: skip


def _invite(app, person_id: int) -> None:
    """An open invitation, as HR's "Add a person" leaves one."""
    from mentoring.auth.models import Invitation

    with app.app_context():
        db.session.add(
            Invitation(
                person_id=person_id, nonce=uuid.uuid4().hex, expires_at=utcnow() + timedelta(7)
            )
        )
        db.session.commit()


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_participant_home_in_french(app, client, login, make_pair, side):
    ids = make_pair(mentor_email="mia@example.org", mentee_email="eric@example.org")
    _plan_meeting(app, ids["pair"])
    login("mia@example.org" if side == "mentor" else "eric@example.org")
    english, french = _both(client, "/")
    left = english_left(english, french, (*PAIR_DATA, "covers 2 of 3 wanted topics"))
    assert not left, f"English left on the French home page: {sorted(left)}"
    assert "Votre mentorat" in french and "Prochaine rencontre" in french
    other = (
        r"Votre mentoré\(e\)\s*:\s*Eric Mentee1" if side == "mentor" else r"Votre mentor\s*:\s*Mia"
    )
    assert re.search(other, french)
    # The next meeting's date, in each language's own format.
    assert ENGLISH_MOMENT.search(english) and not ENGLISH_MOMENT.search(french)
    assert FRENCH_MOMENT.search(french), "no French date on the French home page"
    english, french = _both(client, "/profile")
    left = english_left(english, french, PAIR_DATA)
    assert not left, f"English left on the French profile: {sorted(left)}"
    assert "Vos cohortes" in french and "Enregistrer le profil" in french


def test_hr_home_directory_and_person_page_in_french(app, client, login, make_person, make_pair):
    make_person("hr@example.org", name="Hélène RH", roles=("admin",))
    make_pair(mentor_email="mia@example.org", mentee_email="eric@example.org")
    pending = make_person("new@example.org", name="Nora Nouvelle", roles=("mentee",), password=None)
    _invite(app, pending)
    login("hr@example.org")
    data = ("Hélène RH", "Nora Nouvelle", "Nora", *PAIR_DATA, "Marketing", "Finance")
    for url in ("/", "/people/", f"/people/{pending}", "/profile"):
        english, french = _both(client, url)
        left = english_left(english, french, data)
        assert not left, f"English left on {url} in French: {sorted(left)}"
    english, french = _both(client, "/people/")
    assert "Ajouter une personne" in french and "Responsable RH du programme" in french
    assert "Add a person" not in french and "HR program manager" not in french


def test_hr_person_page_shows_dates_in_french(app, client, login, make_person):
    hr = make_person("hr@example.org", name="Hélène RH", roles=("admin",))
    login("hr@example.org")
    english, french = _both(client, f"/people/{hr}")  # her last sign-in: just now
    assert ENGLISH_MOMENT.search(english)
    assert FRENCH_MOMENT.search(french) and not ENGLISH_MOMENT.search(french)
    assert "Dernière connexion" in french and "Historique" in french


def test_leader_home_in_french(app, client, login, make_person, make_pair):
    make_person("lea@example.org", name="Léa Direction", roles=("leader",))
    make_pair()
    login("lea@example.org")
    english, french = _both(client, "/")
    left = english_left(english, french, ("Léa Direction", "Léa"))
    # The tiles' "fewer than N" belongs to the reports' translation (suppression cells).
    left = {text for text in left if not text.startswith("fewer than")}
    assert not left, f"English left on the leader's home in French: {sorted(left)}"
    assert "Adoption du programme" in french and "Ouvrir le rapport du programme" in french


def test_a_plural_in_both_languages(app, client, login, make_person):
    make_person("hr@example.org", name="Hélène RH", roles=("admin",))
    _invite(app, make_person("one@example.org", roles=("mentee",), password=None))
    login("hr@example.org")
    english, french = _both(client, "/")
    assert "1 invitation not yet accepted" in english
    assert "1 invitation pas encore acceptée" in french
    _invite(app, make_person("two@example.org", roles=("mentee",), password=None))
    english, french = _both(client, "/")
    assert "2 invitations not yet accepted" in english
    assert "2 invitations pas encore acceptées" in french


def test_the_default_agreement_is_in_the_readers_language(app):
    with app.test_request_context():
        with force_locale("fr"):
            french = default_agreement(gettext)
            facts = agreement_facts(
                cadence_days=14,
                target_meetings=1,
                retention_months=12,
                _=gettext,
                ngettext=ngettext,
            )
        with force_locale("en"):
            english = default_agreement(gettext)
    assert english == DEFAULT_AGREEMENT
    assert french.startswith("Nous nous rencontrons d’égal à égal")
    assert french.count("\n\n") == DEFAULT_AGREEMENT.count("\n\n")
    # One meeting (singular) and twelve months (plural), in French.
    assert "la cohorte vise 1 rencontre par binôme." in facts[0]
    assert "supprimés 12 mois après la clôture" in " ".join(facts)


def test_agreement_pages_in_french_then_hr_wording_shown_as_written(
    app, client, login, make_person, make_pair
):
    make_person("hr@example.org", name="Hélène RH", roles=("admin",))
    ids = make_pair(mentor_email="mia@example.org", mentee_email="eric@example.org")
    login("hr@example.org")
    url = f"/cohorts/{ids['cohort']}/agreement"
    english, french = _both(client, url)
    left = english_left(english, french, ("Hélène RH", *PAIR_DATA))
    assert not left, f"English left on the agreement page in French: {sorted(left)}"
    assert "We meet as equals" in english and "We meet as equals" not in french
    assert "Nous nous rencontrons d’égal à égal" in french
    assert "Ce que les deux membres se promettent" in french  # the field's hint

    # A member reads the default in their language on the pair page.
    member = app.test_client()
    post_form(member, "/login", {"email": "eric@example.org", "password": "correct horse battery"})
    member.set_cookie("locale", "fr")
    pair_page = member.get(f"/pairs/{ids['pair']}").get_data(as_text=True)
    assert "Charte de mentorat" in pair_page and "Nous nous rencontrons d’égal à égal" in pair_page
    assert "J’accepte cette charte" in pair_page

    # HR's own wording is shown as HR wrote it, whatever the reader's language.
    client.set_cookie("locale", "en")
    response = post_form(client, url, {"body": "We meet on Mondays.\n\nWe keep it kind."})
    assert response.status_code == 302
    pair_page = member.get(f"/pairs/{ids['pair']}").get_data(as_text=True)
    assert "We meet on Mondays." in pair_page
    assert "Nous nous rencontrons d’égal à égal" not in pair_page
    # The facts the app guarantees stay in the reader's language.
    assert "Seuls les deux" in pair_page or "Vous seuls voyez vos notes privées" in pair_page


def test_the_partners_goals_agree_with_each_number_in_french(app, client, login, make_pair):
    from mentoring.goals.models import Goal

    ids = make_pair(mentor_email="mia@example.org")
    with app.app_context():
        for title, done in (("Set up a LinkedIn profile", True), ("Post once a week", False)):
            db.session.add(
                Goal(
                    pair_id=ids["pair"],
                    owner_enrollment_id=ids["mentee_enrollment"],
                    title=title,
                    status="done" if done else "in_progress",
                    completed_at=utcnow() if done else None,
                )
            )
        db.session.commit()
    login("mia@example.org")
    english, french = _both(client, "/")
    assert "Eric has 2 goals, 1 of them done." in english
    assert "Eric a 2 objectifs, dont 1 atteint." in french
