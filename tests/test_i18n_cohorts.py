"""Cohorts, the participants import, the curriculum's pages and the audit log in French:
HR's pages and a participant's curriculum have no English left, dates and counts are
written the French way, and the import's row errors come in the reader's language."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale, gettext, ngettext

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.curriculum.models import GoalTemplate, GoalTemplateMilestone, Topic
from mentoring.extensions import db
from mentoring.people.availability import day_names, format_availability, parse_availability
from mentoring.people.csv_import import ImportCounts, parse_participants
from tests.conftest import csrf_token, post_form
from tests.i18n_helpers import both_pages as _both
from tests.i18n_helpers import compiled_catalogues  # noqa: F401 - French is served here
from tests.i18n_helpers import english_left as shared_english_left

# Written alike in both languages (or data the test page holds).
SAME_IN_BOTH = {
    "Mentor", "mentor", "Mentors", "mentors", "Action", "Actions", "Dates", "Description",
    "Import", "Participants", "Active", "UTC", "Europe", "Paris", "CSV", "UTF", "Excel", "IANA",
    "English", "Français", "Nom", "Prénom", "Fuseau", "horaire", "Disponibilités", "lun",
    "jeudi", "Mo", "Fri", "Sat", "Mon", "Wed", "Tuesday", "E-mail", "Timezone", "email", "name",
    "side", "department", "title", "seniority", "level", "manager", "time", "zone",
    "languages", "topics", "capacity", "availability", "site", "Mon-Fri", "invitation",
}  # fmt: skip
DATA = ("Pilot 2027", "Mia Mentor", "Eric Exec", "LinkedIn", "AI tools", "Hélène RH")


def english_left(english: str, french: str, data: tuple[str, ...] = DATA) -> set[str]:
    """English text left on the French page (text in <code> is data: left out)."""
    return shared_english_left(
        english, french, data, SAME_IN_BOTH, hidden=("script", "style", "code")
    )


@pytest.fixture
def pilot(app, make_person, login):
    """HR signed in; a draft cohort with two topics (French names too), one mentor and
    one mentee enrolled with availability, and a retired topic in the curriculum."""
    make_person("hr@example.org", name="Hélène RH", roles=("admin",))
    mentor = make_person("mia@example.org", name="Mia Mentor", roles=("mentor",))
    mentee = make_person("eric@example.org", name="Eric Exec", roles=("mentee",))
    with app.app_context():
        linkedin = Topic(name="LinkedIn", name_fr="LinkedIn", position=1)
        ai = Topic(name="AI tools", name_fr="Outils d’IA", position=2)
        old = Topic(
            name="Old topic",
            name_fr="Ancien thème",
            position=3,
            retired_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        linkedin.goal_templates.append(
            GoalTemplate(
                title="Set up a profile",
                title_fr="Créer un profil",
                evidence_kind="url",
                evidence_hint="Paste the URL",
                evidence_hint_fr="Collez l’URL",
                milestones=[GoalTemplateMilestone(position=1, title="Photo", title_fr="Photo")],
            )
        )
        cohort = Cohort(
            name="Pilot 2027",
            start_date=date(2027, 9, 6),
            end_date=date(2028, 6, 30),
            cadence_days=14,
            target_meetings=1,
            min_seniority_gap=1,
            topics=[linkedin, ai],
        )
        db.session.add_all([linkedin, ai, old, cohort])
        db.session.flush()
        db.session.add_all(
            [
                Enrollment(
                    cohort=cohort,
                    person_id=mentor,
                    side="mentor",
                    capacity=2,
                    availability=[{"day": 0, "start": "09:00", "end": "11:00"}],
                ),
                Enrollment(cohort=cohort, person_id=mentee, side="mentee"),
            ]
        )
        db.session.commit()
        cohort_id = cohort.id
    login("hr@example.org")
    return cohort_id


def test_hr_cohort_pages_in_french(client, pilot):
    for url in (
        "/cohorts/",
        f"/cohorts/{pilot}",
        f"/cohorts/{pilot}?side=mentor",
        f"/cohorts/{pilot}/edit",
        "/cohorts/new",
        f"/cohorts/{pilot}/cancel",
        f"/cohorts/{pilot}/enrollments/new",
        f"/cohorts/{pilot}/import",
        "/cohorts/import-help",
    ):
        english, french = _both(client, url)
        left = english_left(english, french)
        assert not left, f"English left on {url} in French: {sorted(left)}"
    english, french = _both(client, f"/cohorts/{pilot}?side=mentor")
    assert "Open for matching" in english and "Ouvrir à l’appariement" in french
    assert "Open for matching" not in french and "Brouillon" in french
    # Dates the French way; the mentor's availability with French day names.
    assert "06 Sep 2027 – 30 Jun 2028" in english
    assert "6 sept. 2027 – 30 juin 2028" in french
    assert "Mon 09:00-11:00" in english and "lun. 09:00-11:00" in french


def test_cohort_plurals_in_both_languages(client, pilot):
    english, french = _both(client, f"/cohorts/{pilot}")
    # One target meeting, a gap of one level: the singular; the cadence: the plural.
    assert "a meeting every 14 days, 1 meeting in all" in english
    assert "une rencontre tous les 14 jours, 1 rencontre au total" in french
    assert "mentees at least 1 level above their mentor" in english
    assert "mentorés d’au moins 1 niveau hiérarchique au-dessus de leur mentor" in french
    english, french = _both(client, f"/cohorts/{pilot}/cancel")
    assert "Its 1 mentor stays enrolled, for the record." in english
    assert "1 mentor reste inscrit, pour mémoire." in french


def test_enrollment_form_reads_french_day_names_back(app, client, pilot):
    with app.app_context():
        enrollment_id = db.session.scalars(
            db.select(Enrollment.id).where(Enrollment.side == "mentor")
        ).one()
    client.set_cookie("locale", "fr")
    url = f"/cohorts/enrollments/{enrollment_id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "lun. 09:00-11:00" in page and "Disponibilités hebdomadaires" in page
    bad = post_form(client, url, {"availability": "lun. 11:00-09:00", "capacity": "2"})
    assert "«\u00a0lun. 11:00-09:00\u00a0» se termine avant de commencer." in bad.get_data(
        as_text=True
    )
    done = post_form(
        client, url, {"availability": "lun. 9h-11h, jeu. 14:00-15:30", "capacity": "2"}
    )
    assert done.status_code == 302
    with app.app_context():
        windows = db.session.get(Enrollment, enrollment_id).availability
    assert format_availability(windows) == "Mon 09:00-11:00, Thu 14:00-15:30"


GOOD = (
    "email;name;side;seniority level;time zone;topics\n"
    "ana@example.org;Ana Analyst;mentor;2;Europe/Paris;LinkedIn\n"
)
BAD = (
    "E-mail;Prénom;Nom;Rôle;Niveau;Fuseau horaire;Thèmes\n"
    "not-an-email;Ana;Analyst;coach;12;Mars/Olympus;Basket weaving\n"
)


def _upload(client, cohort_id: int, content: str):
    page = client.get(f"/cohorts/{cohort_id}/import").get_data(as_text=True)
    from io import BytesIO

    return client.post(
        f"/cohorts/{cohort_id}/import",
        data={"csrf_token": csrf_token(page), "file": (BytesIO(content.encode()), "p.csv")},
        content_type="multipart/form-data",
    )


def test_import_preview_and_its_errors_in_french(client, pilot):
    client.set_cookie("locale", "fr")
    bad = _upload(client, pilot, BAD).headers["Location"]
    english, french = _both(client, bad)
    file_data = (*DATA, "Ana Analyst", "p.csv", "Basket weaving", "Mars/Olympus")
    left = english_left(english, french, file_data)
    assert not left, f"English left on the import preview in French: {sorted(left)}"
    # French headers are read; each cell's problem is said in French.
    assert "Corrigez ces lignes, puis importez à nouveau le fichier" in french
    assert "«\u00a0not-an-email\u00a0» n’est pas une adresse e-mail valide\u00a0: une" in french
    assert "rôle «\u00a0coach\u00a0» inconnu\u00a0: écrivez mentor ou mentee" in french
    assert "fuseau horaire «\u00a0Mars/Olympus\u00a0» inconnu" in french
    assert "unknown side 'coach': write mentor or mentee" in html.unescape(english)
    good = _upload(client, pilot, GOOD).headers["Location"]
    english, french = _both(client, good)
    left = english_left(english, french, (*DATA, "Ana Analyst", "p.csv"))
    assert not left, f"English left on the clean preview in French: {sorted(left)}"
    assert "1 person added, 0 updated, 0 unchanged" in english
    assert "1 personne ajoutée, 0 modifiée(s), 0 inchangée(s)" in french
    assert "Importer 1 participant" in french


def test_curriculum_in_french_for_hr_and_participants(app, client, login, make_person, pilot):
    with app.app_context():
        topic_id = db.session.scalar(db.select(Topic.id).where(Topic.name == "LinkedIn"))
        template_id = db.session.scalar(db.select(GoalTemplate.id))
    for url in (
        "/curriculum/",
        "/curriculum/topics/new",
        f"/curriculum/topics/{topic_id}/edit",
        f"/curriculum/topics/{topic_id}/goal-templates/new",
        f"/curriculum/goal-templates/{template_id}/edit",
    ):
        english, french = _both(client, url)
        left = english_left(english, french, (*DATA, "Set up a profile", "Old topic", "Photo"))
        assert not left, f"English left on {url} in French: {sorted(left)}"
    english, french = _both(client, "/curriculum/")
    assert "Retired topics (1)" in english and "Thèmes retirés (1)" in french
    assert "Créer un profil" in french and "Collez l’URL" in french  # HR's own French
    client.delete_cookie("session")
    login("eric@example.org")
    english, french = _both(client, "/curriculum/")
    assert not english_left(english, french, (*DATA, "Set up a profile", "Photo"))
    assert "Ce que le programme enseigne" in french and "Outils d’IA" in french


def test_audit_log_in_french(client, pilot):
    post_form(client, f"/cohorts/{pilot}/edit", {
        "name": "Pilot 2027", "start_date": "2027-09-06", "end_date": "2028-06-30",
        "cadence_days": "14", "target_meetings": "1", "min_seniority_gap": "1",
        "meeting_format": "hybrid",
    })  # fmt: skip
    english, french = _both(client, "/audit/")
    left = english_left(english, french)
    assert not left, f"English left on the audit log in French: {sorted(left)}"
    assert "Cohort settings edited" in english
    assert "Paramètres de la cohorte modifiés" in french
    # The time of each event, the French way.
    assert re.search(r"\b(lun|mar|mer|jeu|ven|sam|dim)\. \d{1,2}(?:er)? [a-zéû]+\.? \d{4}", french)


def test_pure_import_modules_word_through_the_callables(app):
    data = b"email,name,side\nnot-an-email,Ana,mentor\n"
    kwargs = {"known_topics": [], "existing_people": {}, "existing_enrollments": {}}
    english = parse_participants(data, **kwargs)
    with app.test_request_context(), force_locale("fr"):
        french = parse_participants(data, _=gettext, ngettext=ngettext, **kwargs)
        counts = ImportCounts(people_added=2, invitations=1)
        assert counts.describe(gettext, ngettext).startswith("2 personnes ajoutées")
        assert (
            ImportCounts(people_added=0)
            .describe(gettext, ngettext)
            .startswith("0 personne ajoutée")
        )
        assert day_names(gettext)[0] == "lun."
        with pytest.raises(ValueError, match="n’a pas de jour"):
            parse_availability("09:00-10:00", gettext)
    assert english.errors[0].message.startswith("'not-an-email' is not a valid email address")
    assert french.errors[0].message == (
        "«\u00a0not-an-email\u00a0» n’est pas une adresse e-mail valide\u00a0: une adresse e-mail "
        "doit contenir un @"
    )
    assert ImportCounts(people_added=1).describe().startswith("1 person added")


def test_a_cohort_description_is_shown_in_the_reader_s_language(app, client, login, make_person):
    """HR writes the description in both languages; each reader sees theirs."""
    from tests.conftest import post_form

    make_person("hr@example.org", roles=("admin",), name="Camille HR")
    login("hr@example.org")
    page = client.get("/cohorts/new").get_data(as_text=True)
    assert 'name="description_fr"' in page and 'lang="fr"' in page
    from mentoring.cohorts.models import Cohort
    from mentoring.extensions import db

    response = post_form(
        client,
        "/cohorts/new",
        {
            "name": "Bilingual 2027",
            "description": "Our bilingual program.",
            "description_fr": "Notre programme bilingue.",
            "start_date": "2027-01-04",
            "end_date": "2027-06-30",
            "cadence_days": "14",
            "target_meetings": "6",
            "min_seniority_gap": "2",
            "meeting_format": "video",
        },
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    with app.app_context():
        cohort = db.session.scalar(db.select(Cohort).where(Cohort.name == "Bilingual 2027"))
        assert cohort.description_fr == "Notre programme bilingue."
    english = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Our bilingual program." in english and "Notre programme bilingue." not in english
    client.set_cookie("locale", "fr")
    french = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Notre programme bilingue." in french and "Our bilingual program." not in french
