"""French elides "de" and "que" before a vowel: "Mentor d’Eric", never "Mentor de Eric".

The catalogue cannot know the name it will hold, so the app elides when it fills a
French message in, in Python code (`gettext` and friends, lazy strings included) and in
templates (`_()`, `{% trans %}`), and leaves every other language and value alone.
"""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale, gettext, lazy_gettext, ngettext

from mentoring.i18n import elide
from tests.conftest import PASSWORD
from tests.i18n_helpers import compiled_catalogues  # noqa: F401 - French is served here


@pytest.mark.parametrize(
    ("name", "french"),
    [
        ("Eric", "Mentor d’Eric"),
        ("Émilie", "Mentor d’Émilie"),
        ("agathe", "Mentor d’agathe"),
        ("Yves", "Mentor d’Yves"),
        ("Yann", "Mentor de Yann"),  # a y before a vowel is a consonant
        ("Yan Hu", "Mentor de Yan Hu"),
        ("Bruno", "Mentor de Bruno"),
        ("Hugo", "Mentor de Hugo"),  # an h may be aspirated: left as written
        ("", "Mentor de "),
    ],
)
def test_python_messages_elide_before_a_vowel_in_french_only(app, name, french):
    with app.test_request_context():
        with force_locale("fr"):
            assert gettext("Mentor of %(name)s", name=name) == french
            assert str(lazy_gettext("Mentor of %(name)s", name=name)) == french
        with force_locale("en"):
            assert gettext("Mentor of %(name)s", name=name) == f"Mentor of {name}"


def test_only_the_word_before_the_value_changes_and_numbers_never_elide(app):
    with app.test_request_context(), force_locale("fr"):
        # "de %(mentee)s et %(mentor)s": the first value decides, the "et" stays.
        assert (
            gettext("Goals of %(mentee)s and %(mentor)s", mentee="Inès", mentor="Alan")
            == "Objectifs d’Inès et Alan"
        )
        assert (
            gettext("Goals of %(mentee)s and %(mentor)s", mentee="Léa", mentor="Alan")
            == "Objectifs de Léa et Alan"
        )
        said = ngettext(
            "%(num)d other eligible mentor scores under the minimum of %(minimum)d",
            "%(num)d other eligible mentors score under the minimum of %(minimum)d",
            2,
            minimum=8,
        )
        assert said == "2 autres mentors éligibles ont un score inférieur au minimum de 8"


def test_outside_a_request_the_forced_language_decides(app):
    assert elide("de %(name)s", {"name": "Eric"}) == "de %(name)s"  # no language at all
    # Emails sent by a command (the digest, reminders) are written in the reader's
    # language without any request.
    with app.app_context(), force_locale("fr"):
        assert elide("de %(name)s", {"name": "Eric"}) == "d’%(name)s"
        assert elide("Que %(name)s", {"name": "Eric"}) == "Qu’%(name)s"
        assert elide("monde %(name)s", {"name": "Eric"}) == "monde %(name)s"
        assert elide("de %(num)d", {"num": 8}) == "de %(num)d"


def test_templates_elide_and_still_escape(app):
    with app.test_request_context(), force_locale("fr"):
        page = render_template_string("{{ _('Mentor of %(name)s', name=name) }}", name="Eric <b>")
        assert page == "Mentor d’Eric &lt;b&gt;"
        page = render_template_string("{{ _('Mentor of %(name)s', name=name) }}", name="<Ève>")
        assert page == "Mentor de &lt;Ève&gt;"  # the value's first character is "<"
        page = render_template_string(
            "{% trans name=name %}Mentor of {{ name }}{% endtrans %}", name="Agathe"
        )
        assert page == "Mentor d’Agathe"
        # A message without values keeps Jinja's new-style meaning of "%%".
        assert render_template_string("{{ _('100%% of pairs') }}") == "100% of pairs"
    with app.test_request_context(), force_locale("en"):
        page = render_template_string("{{ _('Mentor of %(name)s', name=name) }}", name="Eric")
        assert page == "Mentor of Eric"


def test_a_french_reader_sees_the_elided_name_on_a_page(app, client, login, make_person, make_pair):
    ids = make_pair()
    make_person("hr@example.org", roles=("admin",), locale="fr")
    login("hr@example.org", PASSWORD)
    mentor_page = client.get(f"/people/{ids['mentor']}").get_data(as_text=True)
    assert "Mentor d’Eric Mentee1" in mentor_page
    assert "Mentor de Eric" not in mentor_page
    mentee_page = client.get(f"/people/{ids['mentee']}").get_data(as_text=True)
    assert "Mentoré(e) de Mia Mentor1" in mentee_page
