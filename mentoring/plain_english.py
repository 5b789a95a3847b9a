"""The English defaults of the Flask-free modules' wording.

Pure modules (the matching engine, calendar rendering, the CSV parser, the report
figures…) take a `gettext`-like and an `ngettext`-like callable so that Flask-Babel can
translate them; called without one, they write English with these. The matching
engine keeps its own two-line copy: it imports nothing but the standard library, numpy
and scipy (a test holds it), so that it runs and is benchmarked alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Gettext = Callable[..., str]
Ngettext = Callable[..., str]


def english(message: str, **variables: Any) -> str:
    """The default gettext: the English message with its placeholders filled in."""
    return message % variables if variables else message


def english_plural(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The default ngettext: singular for 1, else plural, with `num` filled in."""
    return (singular if num == 1 else plural) % {"num": num, **variables}
