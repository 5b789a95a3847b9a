"""The mentoring agreement's words: HR's default text and the facts the app guarantees.

HR may reword the agreement per cohort; the facts (what HR and leadership see, how long
notes are kept, the cohort's rhythm) are written by the app from its settings, so they
are true whatever the wording.

No Flask here: the sentences go through a `gettext`-like callable `_` (and `ngettext`
for plurals) that the caller passes, flask_babel's in the app, so the default text and
the facts are in the reader's language. HR's own wording is shown as HR wrote it.
"""

from __future__ import annotations

from typing import Any

from mentoring.plain_english import Gettext, Ngettext


def _identity(message: str, **variables: Any) -> str:
    return message % variables if variables else message


def _plural(singular: str, plural: str, num: int, **variables: Any) -> str:
    return (singular if num == 1 else plural) % {"num": num, **variables}


def default_agreement(_: Gettext = _identity) -> str:
    """The agreement every cohort starts with (version 1), in the reader's language."""
    return "\n\n".join(
        [
            _("We meet as equals: the mentor teaches, the mentee learns, and both of us listen."),
            _(
                "What is said between us stays between us. Neither of us repeats it without "
                "the other's consent, and our private notes are for the two of us only."
            ),
            _("We keep the meetings we agree on, or move them in good time."),
            _("We are honest with each other, including about what we do not know."),
            _(
                "Either of us can end this pairing at any time, without blame, by asking HR. "
                "The reason stays with HR; the other member is told only that the pairing "
                "has ended."
            ),
        ]
    )


# The default text in English, as the code and tests know it.
DEFAULT_AGREEMENT = default_agreement()

MAX_AGREEMENT_CHARS = 6000


def retention_sentence(months: int, _: Gettext = _identity, ngettext: Ngettext = _plural) -> str:
    """How long private notes are kept, in the participants' words."""
    if months <= 0:
        return _(
            "Private notes, feedback text and private agendas are kept after the cohort "
            "closes, until HR erases them or you ask HR to erase your data."
        )
    return ngettext(
        "Private notes, feedback text and private agendas are deleted %(num)d month after "
        "the cohort closes; meeting dates, counts and ratings stay, without text, for the "
        "program's reports.",
        "Private notes, feedback text and private agendas are deleted %(num)d months after "
        "the cohort closes; meeting dates, counts and ratings stay, without text, for the "
        "program's reports.",
        months,
    )


def agreement_facts(
    *,
    cadence_days: int,
    target_meetings: int,
    retention_months: int,
    min_group: int = 5,
    _: Gettext = _identity,
    ngettext: Ngettext = _plural,
) -> list[str]:
    """The true statements shown with every cohort's agreement, whatever HR's wording."""
    return [
        ngettext(
            "Rhythm: meet at least every %(days)d days; the cohort aims at %(num)d meeting "
            "per pair.",
            "Rhythm: meet at least every %(days)d days; the cohort aims at %(num)d meetings "
            "per pair.",
            target_meetings,
            days=cadence_days,
        ),
        _(
            "Only the two of you see your private notes, your agendas and your meeting "
            "places: not HR, not leadership."
        ),
        _(
            "HR sees when you meet, how many meetings were held, each member's meeting "
            "rating, the feedback you choose to share with HR, and your goals' progress."
        ),
        _("Your meeting rating is seen by you and HR, not by the other member."),
        _(
            "Leadership sees only figures for the whole program, never names; a group of "
            "fewer than %(min)d people is shown as “fewer than %(min)d”.",
            min=min_group,
        ),
        retention_sentence(retention_months, _, ngettext),
        _("You can download everything the app holds about you from your profile."),
    ]
