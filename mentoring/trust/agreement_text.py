"""The mentoring agreement's words: HR's default text and the facts the app guarantees.

HR may reword the agreement per cohort; the facts (what HR and leadership see, how long
notes are kept, the cohort's rhythm) are written by the app from its settings, so they
are true whatever the wording.
"""

from __future__ import annotations

DEFAULT_AGREEMENT = """\
We meet as equals: the mentor teaches, the mentee learns, and both of us listen.

What is said between us stays between us. Neither of us repeats it without the other's \
consent, and our private notes are for the two of us only.

We keep the meetings we agree on, or move them in good time.

We are honest with each other, including about what we do not know.

Either of us can end this pairing at any time, without blame, by asking HR. The reason \
stays with HR; the other member is told only that the pairing has ended."""

MAX_AGREEMENT_CHARS = 6000


def retention_sentence(months: int) -> str:
    """How long private notes are kept, in the participants' words."""
    if months <= 0:
        return (
            "Private notes, feedback text and private agendas are kept after the cohort "
            "closes, until HR erases them or you ask HR to erase your data."
        )
    unit = "month" if months == 1 else "months"
    return (
        f"Private notes, feedback text and private agendas are deleted {months} {unit} "
        "after the cohort closes; meeting dates, counts and ratings stay, without text, "
        "for the program's reports."
    )


def agreement_facts(
    *, cadence_days: int, target_meetings: int, retention_months: int, min_group: int = 5
) -> list[str]:
    """The true statements shown with every cohort's agreement, whatever HR's wording."""
    meetings = "meeting" if target_meetings == 1 else "meetings"
    return [
        f"Rhythm: meet at least every {cadence_days} days; the cohort aims at "
        f"{target_meetings} {meetings} per pair.",
        "Only the two of you see your private notes, your agendas and your meeting places: "
        "not HR, not leadership.",
        "HR sees when you meet, how many meetings were held, each member's meeting rating, "
        "the feedback you choose to share with HR, and your goals' progress.",
        "Your meeting rating is seen by you and HR, not by the other member.",
        "Leadership sees only figures for the whole program, never names; a group of fewer "
        f"than {min_group} people is shown as \u201cfewer than {min_group}\u201d.",
        retention_sentence(retention_months),
        "You can download everything the app holds about you from your profile.",
    ]
