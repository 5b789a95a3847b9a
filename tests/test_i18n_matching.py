"""The matching in French: HR's review page, the published run and the pairs, with the
engine's explanations and unmatched reasons worded in the reader's language at display
time (stored as codes, never frozen in the language of whoever ran the matching)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from sqlalchemy import select

from mentoring.cohorts.models import Enrollment, EnrollmentTopic
from mentoring.curriculum.models import Topic
from mentoring.extensions import db
from mentoring.matching import engine
from mentoring.matching.models import MatchRun
from mentoring.people.models import Person
from tests.conftest import post_form
from tests.test_matching_workflow import _draft, _run, cohort  # noqa: F401 - the fixture

# Sentences of the English pages that must not be left on the French ones.
ENGLISH = [
    "Score breakdown",
    "Left unmatched",
    "No eligible mentor",
    "excluded by the seniority gap",
    "both speak",
    "covers",
    "wanted topic",
    "no time-zone gap",
    "availability unknown",
    "different departments",
    "Show pairs scoring at least",
    "mentees matched",
    "Find a mentor",
    "Weights and rules",
    "Run the matching",
    "Publish ",
    "Published run, computed",
    "Open the pair",
    ">Why<",
    ">Mentee<",
    ">Mentor<",
]


@pytest.fixture
def french_cohort(app, cohort):  # noqa: F811 - the imported fixture
    """The workflow cohort with bilingual topics wanted and offered, and one more mentee
    whose level is too close to every mentor's: no mentor is eligible for them."""
    with app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.name == "AI tools"))
        topic.name_fr = "Outils d’IA"
        for key in ("exec-a", "exec-b", "exec-c", "junior-a", "junior-b", "junior-c"):
            db.session.add(EnrollmentTopic(enrollment_id=cohort[key], topic_id=topic.id))
        low = Person(
            email="team-lead@example.org",
            name="Team Lead",
            seniority_level=3,
            department="Sales",
            timezone="Europe/Paris",
            languages=["en", "fr"],
            roles=("mentee",),
        )
        db.session.add(low)
        db.session.flush()
        enrollment = Enrollment(cohort_id=cohort["id"], person=low, side="mentee")
        db.session.add(enrollment)
        db.session.commit()
        return {**cohort, "low": enrollment.id}


def _visible(page: str) -> str:
    """The page's text as read: tags dropped, entities of apostrophes restored."""
    body = page.split("<main", 1)[-1]
    return re.sub(r"<[^>]+>", " ", body).replace("&#39;", "'").replace("&#34;", '"')


def _french_date(app, moment) -> str:
    """A datetime as the French page writes it (UTC: HR's zone in these tests)."""
    local = moment.astimezone(ZoneInfo("UTC"))
    return format_datetime(local, "EEE d MMM yyyy, HH:mm", tzinfo=local.tzinfo, locale="fr")


def test_review_page_in_french_with_explanations_and_reasons(app, client, french_cohort):
    cohort_id = french_cohort["id"]
    # HR runs the matching in English: the flash counts in English, singular and plural.
    response = _run(client, cohort_id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Matching done: 3 pairs proposed, 1 person left unmatched." in page
    english = client.get(f"/cohorts/{cohort_id}/matching").get_data(as_text=True)
    assert "both speak English" in english
    assert "covers the wanted topic (AI tools)" in english
    assert "No eligible mentor among 3: 3 excluded by the seniority gap (below 2)" in english

    # The same run read in French: explanations and reasons are worded now, not stored.
    client.set_cookie("locale", "fr")
    page = client.get(f"/cohorts/{cohort_id}/matching").get_data(as_text=True)
    assert '<html lang="fr"' in page
    text = _visible(page)
    for sentence in ENGLISH:
        assert sentence not in text, sentence
    for sentence in [
        "Appariement",
        "Pondérations et règles",
        "Détail du score",
        "Sans binôme (1)",
        "Aucun mentor éligible sur 3\u00a0: 3 exclus par l’écart de niveau (inférieur à 2)",
        "parlent tous deux anglais",
        "couvre le thème souhaité (Outils d’IA)",
        "aucun décalage horaire",
        "disponibilités inconnues (aucun des deux n’a indiqué de créneaux)",
        "services différents",
        "Publier 3 binômes",
        "Trouver un mentor",
        "mentoré(e)",
    ]:
        assert sentence in text, sentence
    with app.app_context():
        run = db.session.get(MatchRun, _draft(app, cohort_id)["id"])
        created = run.created_at
        # Stored as codes and parameters: no language is frozen in the database.
        assert all(p.explanation_notes.startswith("[") for p in run.proposals)
        assert all(u.detail_notes.startswith("[") for u in run.unmatched)
    assert f"Brouillon du {_french_date(app, created)}" in text

    # Run again in French: the flash counts in French, plural and singular.
    response = _run(client, cohort_id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Appariement terminé\u00a0: 3 binômes proposés, 1 personne sans binôme." in page


def test_published_run_and_pairs_in_french(app, client, french_cohort):
    cohort_id = french_cohort["id"]
    _run(client, cohort_id)
    draft = _draft(app, cohort_id)
    client.set_cookie("locale", "fr")
    response = post_form(
        client,
        f"/matching/runs/{draft['id']}/publish",
        {},
        form_url=f"/cohorts/{cohort_id}/matching",
    )
    assert response.status_code == 302
    pairs_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 binômes publiés. La cohorte est active" in pairs_page
    text = _visible(pairs_page)
    assert "Mentorés sans binôme actif (1)" in text
    for sentence in ("Pairs of", "Mentees without", "Re-match", "Search", "Status"):
        assert sentence not in text, sentence

    page = client.get(f"/cohorts/{cohort_id}/matching").get_data(as_text=True)
    text = _visible(page)
    with app.app_context():
        run = db.session.get(MatchRun, draft["id"])
        published_at, created_at = run.published_at, run.created_at
    assert f"Appariement publié, calculé le {_french_date(app, created_at)}" in text
    assert f"L’appariement de cette cohorte a été publié le {_french_date(app, published_at)}" in (
        text
    )
    assert "en lecture seule" in text
    assert "Ouvrir le binôme" in text
    assert "couvre le thème souhaité (Outils d’IA)" in text
    assert "Aucun mentor éligible sur 3\u00a0: 3 exclus par l’écart de niveau" in text
    for sentence in ENGLISH:
        assert sentence not in text, sentence

    # The participants' home shows their pair's explanation in their own language too.
    with app.app_context():
        from mentoring.matching.models import Pair

        pair = db.session.scalar(select(Pair).limit(1))
        assert "both speak English" in pair.explanation
        with app.test_request_context():
            from flask_babel import force_locale

            with force_locale("fr"):
                assert "parlent tous deux anglais" in pair.explanation


def test_engine_words_plurals_in_both_languages() -> None:
    """The engine's notes are worded by whatever gettext it is given; English by default."""
    note = ("no_eligible", {"side": "mentor", "size": 2, "rules": [["forbidden", 1]], "gap": 2})
    assert engine.render_note(note) == "No eligible mentee among 2: 1 forbidden by HR"
    many = ("others_under_minimum", {"count": 2, "minimum": 60})
    one = ("others_under_minimum", {"count": 1, "minimum": 60})
    assert engine.render_note(one) == "1 other eligible mentor scores under the minimum of 60"
    assert engine.render_note(many) == "2 other eligible mentors score under the minimum of 60"


def test_plural_flash_in_french_for_one_pair(app, client, french_cohort):
    """French counts 0 and 1 in the singular: « 1 binôme publié »."""
    cohort_id = french_cohort["id"]
    with app.app_context():
        for key in ("exec-b", "exec-c"):
            db.session.get(Enrollment, french_cohort[key]).status = "withdrawn"
        for key in ("junior-b", "junior-c"):
            db.session.get(Enrollment, french_cohort[key]).status = "withdrawn"
        db.session.commit()
    client.set_cookie("locale", "fr")
    response = _run(client, cohort_id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Appariement terminé\u00a0: 1 binôme proposé, 1 personne sans binôme." in page
    assert "Publier 1 binôme" in page
