"""English and French: choosing a request's language and time zone, and showing
curriculum content and numbers in the reader's language."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_decimal, format_percent
from flask import current_app, has_request_context, request
from flask_babel import Babel as BaseBabel
from flask_babel import Domain, get_locale, get_translations
from flask_login import current_user
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from mentoring.config import LOCALES

# The language switch remembers an anonymous visitor's choice in this cookie (a year).
LOCALE_COOKIE = "locale"
LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600
# Each language named in itself, as a language switch shows it: never translated.
LOCALE_NAMES = {"en": "English", "fr": "Français"}


def default_locale() -> str:
    """The site's default language (DEFAULT_LOCALE)."""
    return current_app.config["DEFAULT_LOCALE"]


def person_locale(person: Any) -> str:
    """The language to write to a person in (emails, calendars): theirs, else the default."""
    locale = getattr(person, "locale", None)
    return locale if locale in LOCALES else default_locale()


def _signed_in_person() -> Any | None:
    """The signed-in person, or None, also when the database cannot be reached: the
    error pages of an outage (503) still need a language and a time zone."""
    try:
        if current_user and current_user.is_authenticated:
            return current_user
    except SQLAlchemyError:
        return None
    return None


def select_locale() -> str:
    """A request's language: the person's choice, else the language-switch cookie,
    else the browser's Accept-Language, else DEFAULT_LOCALE."""
    if not has_request_context():
        return default_locale()
    person = _signed_in_person()
    if person is not None and person.locale in LOCALES:
        return person.locale
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in LOCALES:
        return cookie
    return request.accept_languages.best_match(LOCALES) or default_locale()


def select_timezone() -> str:
    """A request's time zone: the signed-in person's, else DEFAULT_TIMEZONE."""
    person = _signed_in_person() if has_request_context() else None
    if person is not None and person.timezone:
        return person.timezone
    return current_app.config["DEFAULT_TIMEZONE"]


def current_language() -> str:
    """The language of what is being rendered now ('en' or 'fr')."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def localized(obj: Any, attribute: str) -> str:
    """An attribute of curriculum content in the reader's language: `<attribute>_fr` for a
    French reader when HR wrote it, else the English `<attribute>`."""
    language = current_language()
    if language != "en":
        translated = getattr(obj, f"{attribute}_{language}", None)
        if translated:
            return translated
    return getattr(obj, attribute)


# strftime directives and their CLDR equivalents; %d pads in English only, as each
# language writes dates ("Mon 07 Dec 2026" but « lun. 7 déc. 2026 »).
_DIRECTIVES = {
    "a": "EEE",
    "A": "EEEE",
    "b": "MMM",
    "B": "MMMM",
    "m": "MM",
    "y": "yy",
    "Y": "yyyy",
    "H": "HH",
    "I": "hh",
    "M": "mm",
    "p": "a",
    "-d": "d",
    "e": "d",
}
_STRFTIME = re.compile(r"%(-?[a-zA-Z%])")


@lru_cache(maxsize=64)  # a handful of formats, converted for every date on every page
def strftime_to_pattern(fmt: str, language: str) -> str:
    """Turn a strftime format into a CLDR pattern for Babel, quoting the literal text."""
    parts: list[str] = []
    position = 0
    for match in _STRFTIME.finditer(fmt):
        if match.start() > position:
            parts.append(_quote(fmt[position : match.start()]))
        directive = match.group(1)
        if directive == "d":
            parts.append("dd" if language == "en" else "d")
        elif directive == "%":
            parts.append(_quote("%"))
        elif directive in _DIRECTIVES:
            parts.append(_DIRECTIVES[directive])
        else:
            raise ValueError(f"strftime directive %{directive} has no CLDR equivalent here")
        position = match.end()
    if position < len(fmt):
        parts.append(_quote(fmt[position:]))
    return "".join(parts)


def _quote(text: str) -> str:
    """Quote literal text in a CLDR pattern (letters would be read as fields)."""
    if not re.search(r"[A-Za-z']", text):
        return text
    return "'" + text.replace("'", "''") + "'"


def format_moment(value: datetime | date, fmt: str) -> str:
    """Format an (already local) datetime or date with a strftime format, in the
    current language."""
    locale = get_locale()
    language = locale.language if locale else "en"
    pattern = strftime_to_pattern(fmt, language)
    if language == "fr" and value.day == 1:
        pattern = _first_of_month(pattern)
    if isinstance(value, datetime):
        # The value is already in the zone to show: Babel must not move it again.
        return babel_format_datetime(value, pattern, tzinfo=value.tzinfo, locale=locale)
    return babel_format_date(value, pattern, locale=locale)


@lru_cache(maxsize=64)
def _first_of_month(pattern: str) -> str:
    """A French CLDR pattern whose day of the month reads "1er" (le 1er décembre): each
    day field `d` outside quoted text gets the literal "er" after it, where the month is
    written in words (01/12/2026 stays numeric)."""
    parts = re.split(r"('(?:[^']|'')*')", pattern)  # odd items are quoted literal text
    if not any("MMM" in part for part in parts[::2]):
        return pattern
    for index in range(0, len(parts), 2):
        parts[index] = re.sub(r"(?<!d)d(?!d)", "d'er'", parts[index])
    return "".join(parts)


def format_day(value: date | None, fmt: str = "%d %b %Y") -> str:
    """A calendar date (a `date`, no time zone involved) in the current language."""
    if value is None:
        return ""
    return format_moment(value, fmt)


def format_number(value: float | int | None, digits: int = 0) -> str:
    """A number in the current language: 1,234.5 in English, 1 234,5 in French."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=get_locale())


def format_share(value: float | None, digits: int = 0) -> str:
    """A fraction (0.62) as a percentage in the current language: 62% or 62 %."""
    if value is None:
        return ""
    locale = get_locale()
    pattern = locale.percent_formats[None].pattern
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits)
    text = format_percent(value, format=pattern, locale=locale)
    # French typography puts a narrow no-break space before %; CLDR still has a wide one.
    return text.replace("\xa0%", "\u202f%") if locale.language == "fr" else text


# French elision of interpolated words ------------------------------------------------
# "Mentor de %(name)s" must read "Mentor d’Agathe", but "Mentor de Bruno": the catalogue
# cannot know the name, so "de" and "que" before a placeholder are elided when the value
# put there begins with a vowel. Numbers and dates ("de 3", "le 8 mai") never elide.

_ELIDABLE = re.compile(r"\b([Dd]e|[Qq]ue) (%\((\w+)\)s)")
# A vowel, or a y sounded as one ("Yves"; "Yann" and "Yasmine" start with a consonant).
_VOWEL_START = re.compile(r"[aeiouàâäéèêëîïôöùûüœæ]|y(?![aeiouàâäéèêëîïôöùûü])", re.IGNORECASE)


def elide(message: str, variables: dict[str, Any]) -> str:
    """`message` (a translated format string) with "de %(x)s" written "d’%(x)s" (and
    "que" "qu’") where the French value of x begins with a vowel; other languages as is."""
    if "%(" not in message or not variables or str(get_locale()) != "fr":
        return message

    def elided(found: re.Match[str]) -> str:
        value = variables.get(found.group(3))
        if isinstance(value, str) and _VOWEL_START.match(value):
            return f"{found.group(1)[:-1]}’{found.group(2)}"
        return found.group(0)

    return _ELIDABLE.sub(elided, message)


class ElidingDomain(Domain):
    """Flask-Babel's message domain, eliding French "de"/"que" before a vowel-initial
    value (the `gettext` family in Python code)."""

    def gettext(self, string: str, **variables: Any) -> str:
        """Translate and fill in, eliding where French needs it."""
        text = self.get_translations().ugettext(string)
        return elide(text, variables) % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        """Translate the form for `num` and fill in, eliding where French needs it."""
        variables.setdefault("num", num)
        text = self.get_translations().ungettext(singular, plural, num)
        return elide(text, variables) % variables

    def pgettext(self, context: str, string: str, **variables: Any) -> str:
        """Translate in a context and fill in, eliding where French needs it."""
        text = self.get_translations().upgettext(context, string)
        return elide(text, variables) % variables if variables else text

    def npgettext(
        self, context: str, singular: str, plural: str, num: int, **variables: Any
    ) -> str:
        """Translate the form for `num` in a context and fill in, eliding where needed."""
        variables.setdefault("num", num)
        text = self.get_translations().unpgettext(context, singular, plural, num)
        return elide(text, variables) % variables


class Babel(BaseBabel):
    """Flask-Babel whose default domain elides French "de"/"que" (see `elide`)."""

    @cached_property
    def domain_instance(self) -> ElidingDomain:
        """The default message domain."""
        return ElidingDomain(domain=self.domain)


def install_template_elision(environment: Environment) -> None:
    """The templates' `gettext`/`_`, `ngettext`, `pgettext` and `npgettext` as Jinja's
    new-style ones (the message is a format string, escaped under autoescape), eliding
    where French needs it."""

    def finish(context: Context, text: str, variables: dict[str, Any]) -> str:
        text = elide(text, variables)
        if context.eval_ctx.autoescape:
            # The catalogue's own text, marked safe as Jinja's new-style gettext marks it;
            # `%` then escapes the values.
            return Markup(text) % variables  # noqa: S704
        return text % variables

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        return finish(context, get_translations().ugettext(string), variables)

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return finish(context, get_translations().ungettext(singular, plural, num), variables)

    @pass_context
    def pgettext(context: Context, string_context: str, string: str, **variables: Any) -> str:
        variables.setdefault("context", string_context)
        return finish(context, get_translations().upgettext(string_context, string), variables)

    @pass_context
    def npgettext(
        context: Context,
        string_context: str,
        singular: str,
        plural: str,
        num: int,
        **variables: Any,
    ) -> str:
        variables.setdefault("context", string_context)
        variables.setdefault("num", num)
        text = get_translations().unpgettext(string_context, singular, plural, num)
        return finish(context, text, variables)

    environment.newstyle_gettext = True  # type: ignore[attr-defined]
    environment.globals.update(
        gettext=gettext, _=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )
