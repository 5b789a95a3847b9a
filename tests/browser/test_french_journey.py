"""Journey in French (issue 14): a mentee switches to French on the sign-in page, signs in
and works on a goal, every page in French, and axe-core finds no accessibility violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mentoring.cohorts.models import Cohort
from mentoring.curriculum.models import GoalTemplate, GoalTemplateMilestone, Topic
from mentoring.extensions import db
from tests.conftest import PASSWORD

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")


def assert_accessible(page) -> None:
    """axe-core's WCAG 2 A/AA rules find nothing on the page as it stands."""
    results = axe_playwright.Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}}
    )
    violations = results.response["violations"]
    assert results.response["passes"], "axe-core ran no rule"
    assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]


def test_a_mentee_walks_the_goal_journey_in_french(app, page, make_pair):
    ids = make_pair()
    with app.app_context():
        topic = Topic(name="LinkedIn profile and network", name_fr="Profil et réseau LinkedIn")
        db.session.add(
            GoalTemplate(
                topic=topic,
                title="Set up a LinkedIn profile",
                title_fr="Créer son profil LinkedIn",
                evidence_kind="url",
                evidence_hint="The public URL of your LinkedIn profile",
                evidence_hint_fr="L’adresse publique de votre profil LinkedIn",
                milestones=[
                    GoalTemplateMilestone(position=1, title="Photo", title_fr="Photo de profil"),
                    GoalTemplateMilestone(position=2, title="Headline", title_fr="Titre"),
                ],
            )
        )
        db.session.get(Cohort, ids["cohort"]).topics = [topic]
        db.session.commit()

    # The sign-in page, switched to French before signing in.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("E-mail").fill("mentee1@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # Home, in French, and still French after signing in.
    expect(page.get_by_role("heading", name=re.compile(r"^Bonjour "))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)

    # The goal journey, with the curriculum's French text.
    page.goto(f"/pairs/{ids['pair']}/goals")
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter un objectif").click()
    page.get_by_label("Créer son profil LinkedIn").check()
    page.get_by_label("Date cible").fill("2027-03-31")
    assert_accessible(page)
    page.get_by_role("button", name="Ajouter l’objectif").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Créer son profil LinkedIn"))
    ).to_be_visible()
    page.get_by_role("button", name=re.compile("Photo de profil")).first.click()
    expect(page.get_by_text(re.compile(r"1 sur 2"))).to_be_visible()
    assert_accessible(page)
    # Nothing English is left in what the mentee reads of the goal.
    main = page.locator("main").inner_text()
    for english in ("Set up a LinkedIn profile", "Target date", "Not started", "Milestones"):
        assert english not in main, english
    # The check is real: a field without a label on the same page is reported.
    page.evaluate(
        "document.querySelector('main').append(Object.assign("
        "document.createElement('input'), {type: 'text'}))"
    )
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)
