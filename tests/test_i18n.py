"""English and French: the catalogue matches the code, the language of a request is
chosen as documented, the switch works signed in or not, and Babel formats for the locale."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask_babel import force_locale

from mentoring.curriculum.models import GoalTemplate, GoalTemplateMilestone, Topic
from mentoring.extensions import db
from mentoring.i18n import format_day, format_number, format_share, localized, strftime_to_pattern
from mentoring.people.models import Person
from mentoring.web import format_localtime
from tests.conftest import ROOT, csrf_token, post_form
from tests.i18n_helpers import (
    TRANSLATIONS,
    compiled_catalogues,  # noqa: F401 - French is served here
)

POT = TRANSLATIONS / "messages.pot"
FRENCH_PO = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"
KEYWORDS = [
    "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2", "-k", "lazy_ngettext:1,2",
    "-k", "pgettext:1c,2", "-k", "npgettext:1c,2,3",
]  # fmt: skip


def _ids(catalog) -> set[tuple[str, str | None]]:
    return {
        (message.id if isinstance(message.id, str) else message.id[0], message.context)
        for message in catalog
        if message.id
    }


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "no lang attribute on <html>"
    return match.group(1)


# -- the catalogues -----------------------------------------------------------------------


def test_the_committed_catalogue_holds_every_string_of_the_code(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    extracted = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", *KEYWORDS,
         "--add-comments=TRANSLATORS:", "--no-location", "--sort-output", "--omit-header",
         "--no-wrap", "-o", str(extracted), "."]
    )  # fmt: skip
    with extracted.open("rb") as handle:
        fresh = _ids(read_po(handle))
    with POT.open("rb") as handle:
        committed = _ids(read_po(handle))
    assert not fresh - committed, (
        f"strings in the code but not in messages.pot (run `make i18n-extract`): "
        f"{sorted(fresh - committed)[:20]}"
    )
    assert not committed - fresh, (
        f"strings in messages.pot no longer in the code (run `make i18n-extract`): "
        f"{sorted(committed - fresh)[:20]}"
    )


def test_every_french_message_is_translated_and_not_fuzzy():
    with POT.open("rb") as handle:
        wanted = _ids(read_po(handle))
    with FRENCH_PO.open("rb") as handle:
        french = read_po(handle, locale="fr")
    assert wanted <= _ids(french), sorted(wanted - _ids(french))[:20]
    untranslated = [
        message.id
        for message in french
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]
    assert not untranslated, f"{len(untranslated)} French messages missing: {untranslated[:20]}"
    problems = [(message.id, errors) for message, errors in french.check() if errors]
    assert not problems, f"placeholders differ between English and French: {problems[:10]}"


# -- choosing the language ------------------------------------------------------------------


def test_the_browser_language_then_the_default_apply_to_an_anonymous_visitor(
    client, app, monkeypatch
):
    assert _lang(client.get("/login").get_data(as_text=True)) == "en"
    page = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert _lang(page.get_data(as_text=True)) == "fr"
    assert "Aller au contenu" in page.get_data(as_text=True)
    page = client.get("/login", headers={"Accept-Language": "de-DE"})
    assert _lang(page.get_data(as_text=True)) == "en"
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "fr")
    assert _lang(client.get("/login", headers={"Accept-Language": "de"}).text) == "fr"


def test_the_cookie_beats_the_browser_and_the_profile_beats_the_cookie(
    client, app, login, make_person
):
    client.set_cookie("locale", "en")
    assert _lang(client.get("/login", headers={"Accept-Language": "fr"}).text) == "en"
    make_person("claire@example.org", roles=("mentee",), locale="fr")
    login("claire@example.org")
    page = client.get("/profile", headers={"Accept-Language": "en"})
    assert _lang(page.text) == "fr"
    assert "Votre profil" in page.text


def test_the_switch_on_the_sign_in_page_turns_it_french(client):
    page = client.get("/login")
    assert 'action="/language"' in page.text
    response = client.post(
        "/language",
        data={"csrf_token": csrf_token(page.text), "locale": "fr", "next": "/login"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert "locale=fr" in response.headers["Set-Cookie"]
    page = client.get("/login")
    assert _lang(page.text) == "fr"
    assert 'aria-pressed="true">Français' in page.text


def test_the_switch_signed_in_is_kept_on_the_person(client, app, login, make_person):
    person_id = make_person("leo@example.org", roles=("mentor",))
    login("leo@example.org")
    response = post_form(client, "/language", {"locale": "fr", "next": "/profile"}, form_url="/")
    assert response.headers["Location"].endswith("/profile")
    with app.app_context():
        assert db.session.get(Person, person_id).locale == "fr"
    client.delete_cookie("locale")  # the choice follows the person, not this browser
    assert _lang(client.get("/", headers={"Accept-Language": "en"}).text) == "fr"


def test_an_unknown_language_is_refused_and_an_outside_address_is_not_followed(client):
    token = csrf_token(client.get("/login").text)
    refused = client.post("/language", data={"csrf_token": token, "locale": "de"})
    assert refused.status_code == 400
    assert "The language &#39;de&#39; is not available" in refused.text
    assert "locale=" not in refused.headers.get("Set-Cookie", "")
    no_csrf = client.post("/language", data={"locale": "fr"})
    assert no_csrf.status_code == 400
    away = client.post(
        "/language", data={"csrf_token": token, "locale": "fr", "next": "//evil.example.com/"}
    )
    assert away.status_code == 302
    assert "evil" not in away.headers["Location"]


def test_the_profile_sets_and_clears_the_language(client, app, login, make_person):
    person_id = make_person("ana@example.org", roles=("leader",), timezone="Europe/Paris")
    login("ana@example.org")
    page = client.get("/profile")
    assert 'name="locale"' in page.text and "Language of the app" in page.text
    saved = post_form(client, "/profile", {"timezone": "Europe/Paris", "locale": "fr"})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(Person, person_id).locale == "fr"
    assert "Langue de l’application" in client.get("/profile").text
    post_form(client, "/profile", {"timezone": "Europe/Paris", "locale": ""})
    with app.app_context():
        assert db.session.get(Person, person_id).locale is None
    refused = post_form(client, "/profile", {"timezone": "Europe/Paris", "locale": "xx"})
    assert refused.status_code == 200
    with app.app_context():
        assert db.session.get(Person, person_id).locale is None


# -- formatting ----------------------------------------------------------------------------


def test_dates_times_numbers_and_percentages_follow_the_locale(app):
    moment = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    with app.test_request_context("/"):
        with force_locale("en"):
            assert format_localtime(moment) == "Mon 07 Dec 2026, 09:00 CET"
            assert format_localtime(moment, "%d %b %Y") == "07 Dec 2026"
            assert format_day(date(2026, 3, 5), "%d %B %Y") == "05 March 2026"
            assert format_share(0.62) == "62%"
            assert format_number(1234.5, 1) == "1,234.5"
        with force_locale("fr"):
            assert format_localtime(moment) == "lun. 7 déc. 2026, 09:00 CET"
            assert format_localtime(moment, "%d %B %Y, %H:%M") == "7 décembre 2026, 09:00 CET"
            assert format_day(date(2026, 3, 5), "%d %B %Y") == "5 mars 2026"
            assert format_share(0.62) == "62\u202f%"
            assert format_share(0.625, 1) == "62,5\u202f%"
            assert format_number(1234.5, 1) == "1\u202f234,5"


def test_literal_text_in_a_date_format_is_kept():
    assert strftime_to_pattern("%d %b at %H:%M", "en") == "dd MMM' at 'HH:mm"
    with pytest.raises(ValueError, match="%j"):
        strftime_to_pattern("%j", "en")


# -- the curriculum in two languages ------------------------------------------------------------


def test_curriculum_text_is_shown_in_the_readers_language_when_hr_wrote_it(
    client, app, login, make_person
):
    with app.app_context():
        translated = Topic(name="Mobile habits", name_fr="Réflexes mobiles", position=1)
        english_only = Topic(name="Podcasts", position=2)
        translated.goal_templates.append(
            GoalTemplate(
                title="Install the apps",
                title_fr="Installer les applications",
                milestones=[GoalTemplateMilestone(position=1, title="Phone", title_fr="Téléphone")],
            )
        )
        db.session.add_all([translated, english_only])
        db.session.commit()
    make_person("mina@example.org", roles=("mentee",), locale="fr")
    login("mina@example.org")
    page = client.get("/curriculum/").text
    assert "Réflexes mobiles" in page and "Mobile habits" not in page
    assert "Installer les applications" in page and "<li>Téléphone</li>" in page
    assert "Podcasts" in page  # no French written: the English stands in
    with app.test_request_context("/"), force_locale("en"):
        assert localized(Topic(name="Mobile habits", name_fr="Réflexes mobiles"), "name") == (
            "Mobile habits"
        )


def test_hr_writes_the_french_beside_the_english(client, app, login, make_person):
    make_person("hr@example.org", roles=("admin",))
    login("hr@example.org")
    post_form(
        client,
        "/curriculum/topics/new",
        {"name": "Podcasts", "name_fr": "Les podcasts", "description_fr": "Écouter et publier."},
    )
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.name == "Podcasts"))
        assert (topic.name_fr, topic.description_fr) == ("Les podcasts", "Écouter et publier.")
        topic_id = topic.id
    goal = {
        "title": "Record an episode",
        "audience": "mentee",
        "evidence_kind": "none",
        "milestones": "Pick a subject\nRecord",
        "title_fr": "Enregistrer un épisode",
        "milestones_fr": "Choisir un sujet",
    }
    url = f"/curriculum/topics/{topic_id}/goal-templates/new"
    refused = post_form(client, url, goal)
    assert refused.status_code == 200
    assert "one French milestone per English milestone (2)" in refused.text
    assert "Enregistrer un épisode" in refused.text  # what was typed is kept
    saved = post_form(client, url, {**goal, "milestones_fr": "Choisir un sujet\nEnregistrer"})
    assert saved.status_code == 302
    with app.app_context():
        template = db.session.scalar(
            db.select(GoalTemplate).where(GoalTemplate.title == "Record an episode")
        )
        assert template.title_fr == "Enregistrer un épisode"
        assert [m.title_fr for m in template.milestones] == ["Choisir un sujet", "Enregistrer"]


def test_the_first_of_the_month_is_1er_in_french_when_the_month_is_in_words(app):
    with app.test_request_context():
        with force_locale("fr"):
            assert format_day(date(2026, 12, 1)) == "1er déc. 2026"
            assert format_day(date(2026, 12, 1), "%a %d %B") == "mar. 1er décembre"
            assert format_day(date(2026, 12, 2)) == "2 déc. 2026"
            assert format_day(date(2026, 12, 1), "%d/%m/%Y") == "1/12/2026"  # numeric: no "er"
            moment = datetime(2026, 12, 1, 9, 5, tzinfo=UTC)
            assert format_localtime(moment, "%d %b %Y, %H:%M").startswith("1er déc. 2026, ")
        with force_locale("en"):
            assert format_day(date(2026, 12, 1)) == "01 Dec 2026"
