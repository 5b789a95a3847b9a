"""What the translation tests share: French served, a page's visible texts, both languages."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from html.parser import HTMLParser

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.conftest import ROOT

TRANSLATIONS = ROOT / "translations"


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """Compile the .po files, as `make test` does, so French is served in these tests."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)


class _Text(HTMLParser):
    """The text a reader sees or hears: text nodes and the labelling attributes."""

    ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "data-confirm"}

    def __init__(self, hidden: Collection[str]) -> None:
        super().__init__()
        self.texts: set[str] = set()
        self._hidden = hidden
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._hidden:
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self._add(value)

    def handle_endtag(self, tag):
        if tag in self._hidden:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._add(data)

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.texts.add(text)


def visible_texts(html: str, hidden: Collection[str] = ("script", "style")) -> set[str]:
    """Every piece of visible text of a page (the text inside `hidden` tags left out)."""
    parser = _Text(hidden)
    parser.feed(html)
    return parser.texts


def english_left(
    english: str,
    french: str,
    data: Collection[str],
    same_in_both: Collection[str],
    *,
    hidden: Collection[str] = ("script", "style"),
    ignore: Callable[[str], bool] = lambda text: False,
) -> set[str]:
    """Text of the English page found unchanged on the French page, once the data (names,
    emails, cohort names…), the `ignore`d texts and the words written alike in both
    languages are set aside."""
    left = set()
    for text in visible_texts(english, hidden) & visible_texts(french, hidden):
        if ignore(text):
            continue
        rest = re.sub(r"\S+@\S+", " ", text)  # email addresses are data
        for value in sorted(data, key=len, reverse=True):
            rest = rest.replace(value, " ")
        words = [w for w in re.findall(r"[^\W\d_]{2,}", rest) if w not in same_in_both]
        if words:
            left.add(text)
    return left


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match
    return match.group(1)


def both_pages(client, url: str) -> tuple[str, str]:
    """The page in English, then in French (the language-switch cookie)."""
    client.set_cookie("locale", "en")
    english = client.get(url)
    client.set_cookie("locale", "fr")
    french = client.get(url)
    assert english.status_code == 200 and french.status_code == 200, url
    english_html, french_html = english.get_data(as_text=True), french.get_data(as_text=True)
    assert _lang(english_html) == "en" and _lang(french_html) == "fr"
    return english_html, french_html
