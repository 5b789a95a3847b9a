"""The sign-in and account pages, and the reports, in French: no English left, French
validation messages and password advice, dates and numbers written the French way."""

from __future__ import annotations

import base64
import csv
import io
import re

from tests.conftest import PASSWORD, csrf_token, post_form
from tests.i18n_helpers import compiled_catalogues  # noqa: F401 - French is served here

NNBSP = "\u202f"
NBSP = "\u00a0"


def visible(html: str) -> str:
    """The text a reader sees in a page's main part (tags dropped, spaces collapsed)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    # Only ASCII white space collapses: French no-break spaces are part of the text.
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])).strip()


def french(client) -> None:
    client.set_cookie("locale", "fr")


# -- sign-in and account pages --------------------------------------------------------------


def test_the_sign_in_page_in_french_has_no_english_left(client):
    english_page = visible(client.get("/login").get_data(as_text=True))
    french(client)
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="fr">' in html
    text = visible(html)
    for sentence in (
        "Se connecter",
        f"Mot de passe oublié{NNBSP}?",
        "Rester connecté(e) sur cet appareil",
        "Le mentorat inversé : des natifs du numérique".replace(" :", f"{NBSP}:"),
    ):
        assert sentence in text, sentence
    for sentence in (
        "Sign in",
        "Forgotten your password?",
        "Keep me signed in",
        "Never received your invitation?",
        "Password",
        "Email",
    ):
        assert sentence in english_page
        assert sentence not in text, sentence


def test_sign_in_errors_are_french(client, make_person):
    make_person("jeanne@example.org", name="Jeanne Martin", locale="fr")
    french(client)
    empty = post_form(client, "/login", {"email": "", "password": ""}).get_data(as_text=True)
    assert "Saisissez votre adresse e-mail." in empty
    assert "Saisissez votre mot de passe." in empty
    assert "Enter your" not in empty
    wrong = post_form(client, "/login", {"email": "jeanne@example.org", "password": "nope"})
    assert "Cet e-mail et ce mot de passe ne correspondent à aucun compte." in wrong.get_data(
        as_text=True
    )
    signed_in = post_form(
        client,
        "/login",
        {"email": "jeanne@example.org", "password": PASSWORD},
        follow_redirects=True,
    )
    assert "Bienvenue, Jeanne." in signed_in.get_data(as_text=True)


def test_password_advice_is_french_for_a_french_reader_and_english_otherwise(
    client, login, make_person
):
    make_person("jeanne@example.org", name="Jeanne Martin", locale="fr")
    login("jeanne@example.org")
    weak = {
        "current_password": PASSWORD,
        "new_password": "zxcvbnm,./asdf",
        "confirm_password": "zxcvbnm,./asdf",
    }
    page = post_form(client, "/account/password", weak).get_data(as_text=True)
    text = visible(page)
    assert "Ce mot de passe est trop facile à deviner." in text
    assert "Changer de mot de passe" in text and "Mot de passe actuel" in text
    # zxcvbn's own advice (rows of keys, common words …) comes through the catalogue.
    assert "Les rangées de touches à la suite sont faciles à deviner." in text
    assert "Utilisez un motif de clavier plus long, avec plus de changements de direction." in text
    for english in ("easy to guess", "Avoid", "Use a", "Add another", "Current password"):
        assert english not in text, english
    short = {**weak, "new_password": "short", "confirm_password": "short"}
    assert "Utilisez au moins 12 caractères." in post_form(
        client, "/account/password", short
    ).get_data(as_text=True)

    # The person's own language wins over a browser that asks for English.
    client.set_cookie("locale", "en")
    page = post_form(client, "/account/password", weak).get_data(as_text=True)
    assert "Ce mot de passe est trop facile à deviner." in page


def test_password_advice_in_english(client, login, make_person):
    make_person("ana@example.org", name="Ana Lima", locale="en")
    login("ana@example.org")
    weak = {
        "current_password": PASSWORD,
        "new_password": "zxcvbnm,./asdf",
        "confirm_password": "zxcvbnm,./asdf",
    }
    text = visible(post_form(client, "/account/password", weak).get_data(as_text=True))
    assert "This password is too easy to guess." in text
    assert "Straight rows of keys are easy to guess." in text


def test_forgot_password_pages_count_minutes_in_each_language(client):
    sent = post_form(client, "/password/forgot", {"email": "nobody@example.org"})
    assert "It works once, for 60 minutes." in visible(sent.get_data(as_text=True))
    french(client)
    page = client.get("/password/forgot").get_data(as_text=True)
    assert "Mot de passe oublié" in page and "Email me a reset link" not in page
    sent = client.post(
        "/password/forgot",
        data={"csrf_token": csrf_token(page), "email": "nobody@example.org"},
    )
    text = visible(sent.get_data(as_text=True))
    assert "Consultez votre messagerie" in text
    assert "Il ne sert qu’une fois, pendant 60 minutes." in text
    assert "It works once" not in text and "Check your email" not in text


# -- reports (leadership) ---------------------------------------------------------------------

FRENCH_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)


def _leader(app, client, login, make_person, locale: str) -> None:
    from tests.test_reports import build_world

    build_world(app)
    make_person("boss@example.org", roles=("leader",), name="Boss Person", locale=locale)
    login("boss@example.org")


def test_the_report_page_for_a_leader_in_french(app, client, login, make_person):
    _leader(app, client, login, make_person, "fr")
    html = client.get("/reports/").get_data(as_text=True)
    assert '<html lang="fr">' in html
    text = visible(html)
    for french_text in (
        "Rapport du programme",
        "Filtres",
        "Entonnoir",
        "Inscrits",
        "Première rencontre tenue",
        "Rencontres tenues par mois",
        "moins de 5",
        "Données agrégées uniquement",
        "Télécharger « Entonnoir » au format CSV".replace("« ", f"«{NBSP}").replace(
            " »", f"{NBSP}»"
        ),
    ):
        assert french_text in text, french_text
    for english in (
        "Program report",
        "Filters",
        "Funnel",
        "Enrolled",
        "First meeting held",
        "Meetings held",
        "fewer than",
        "not shown",
        "Aggregates only",
        "Show the report",
        "Download",
        "Executives",
    ):
        assert english not in text, english
    # Percentages with a narrow no-break space, decimals with a comma, dates in French.
    assert re.search(rf"\d{NNBSP}%", text)
    assert not re.search(r"\d ?%", text)
    assert re.search(rf"Produit le \d{{1,2}} ({FRENCH_MONTHS}) \d{{4}}", text)
    # Months of the chart's table are written the French way ("févr. 2026"), not ISO.
    assert re.search(rf"({FRENCH_MONTHS}) \d{{4}}", text.split("Rencontres tenues par mois", 1)[1])
    assert not re.search(r"\b20\d\d-\d\d\b", text)
    # The legend's plural: « moins de 5 personnes ».
    assert "moins de 5 personnes" in text
    # Charts are drawn with the French words.
    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)[1])
    assert b"Entonnoir" in svg and "Dirigeants (mentorés)".encode() in svg
    assert b"Funnel" not in svg and b"Executives" not in svg


def test_the_report_page_for_a_leader_in_english(app, client, login, make_person):
    _leader(app, client, login, make_person, "en")
    text = visible(client.get("/reports/").get_data(as_text=True))
    assert "Program report" in text and "Funnel" in text and "fewer than 5" in text
    assert "fewer than 5 people" in text
    assert re.search(r"\d%", text) and "Entonnoir" not in text


def test_a_report_csv_in_french_keeps_plain_numbers(app, client, login, make_person):
    _leader(app, client, login, make_person, "fr")
    body = client.get("/reports/export/funnel.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] == "Étape" and "Dirigeants (mentorés)\u00a0: inscriptions" in rows[0]
    assert rows[1][0] == "Inscrits"
    cells = [cell for row in rows[1:] for cell in row[1:]]
    assert "moins de 5" in cells
    assert all(re.fullmatch(r"\d+|\d+ %|moins de 5|non affiché|–", cell) for cell in cells), cells
    by_month = client.get("/reports/export/meetings_by_month.csv").get_data(as_text=True)
    months = [row[0] for row in csv.reader(io.StringIO(by_month.lstrip("\ufeff")))][1:-1]
    assert months and all(re.fullmatch(r"\d{4}-\d{2}", month) for month in months)  # ISO


def test_curriculum_names_in_a_french_report_are_the_french_ones_hr_wrote(
    app, client, login, make_person
):
    from mentoring.curriculum.models import GoalTemplate, Topic
    from mentoring.extensions import db

    _leader(app, client, login, make_person, "fr")
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.name == "Business insight"))
        topic.name_fr = "Regard sur l’entreprise"
        template = db.session.scalar(db.select(GoalTemplate))
        template.title_fr = "Créer son profil LinkedIn"
        db.session.commit()
    html = client.get("/reports/").get_data(as_text=True)
    text = visible(html)
    assert "Regard sur l’entreprise" in text and "Business insight" not in text
    assert "Créer son profil LinkedIn" in text and "Set up a LinkedIn profile" not in text
    # A topic HR left without French keeps its name.
    assert "LinkedIn" in text
    body = client.get("/reports/export/adoption_template_mentee.csv").get_data(as_text=True)
    assert "Créer son profil LinkedIn" in body
