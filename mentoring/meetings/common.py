"""What the meetings modules share: membership and state checks, durations, titles.

These need neither a request nor a session: their words are in the language of what is
being rendered (Flask-Babel's `force_locale` chooses it for a feed or an email), else
English.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from mentoring.cohorts.models import Enrollment
from mentoring.domain import RuleViolation
from mentoring.i18n import format_moment
from mentoring.matching.models import EndReason, Pair, PairStatus
from mentoring.meetings.models import MAX_MINUTES, MEETING_TRANSITIONS, Meeting, MeetingStatus
from mentoring.meetings.timezones import format_in_zone
from mentoring.people.models import Person

# How meetings name a day in sentences: "Sun 28 Mar 2027", « dim. 28 mars 2027 ».
DAY_FORMAT = "%a %d %b %Y"


# Why the app itself cancels an ended pair's meetings. The English text is what the
# meeting keeps (its cancellation reason, as data); `reason_text` shows it translated.
ENDED_PAIR_REASONS: dict[EndReason | None, str] = {
    EndReason.COMPLETED: "The pair has ended: the program is complete.",
    EndReason.COHORT_CANCELLED: "The pair has ended: the cohort was cancelled.",
    None: "The pair has ended.",
}
_REASON_TRANSLATIONS = {
    "The pair has ended: the program is complete.": _l(
        "The pair has ended: the program is complete."
    ),
    "The pair has ended: the cohort was cancelled.": _l(
        "The pair has ended: the cohort was cancelled."
    ),
    "The pair has ended.": _l("The pair has ended."),
}


def reason_text(reason: str) -> str:
    """A meeting's cancellation reason as the reader reads it: the app's own reasons in
    their language, a person's own words as typed."""
    translated = _REASON_TRANSLATIONS.get(reason)
    return str(translated) if translated is not None else reason


def meeting_title(mentor_name: str, mentee_name: str) -> str:
    """The calendar title of a pair's meetings: 'Reverse mentoring: Ana ↔ M. Dupont'."""
    return _("Reverse mentoring: %(mentor)s ↔ %(mentee)s", mentor=mentor_name, mentee=mentee_name)


def summary_of(pair: Pair) -> str:
    """The calendar title of this pair's meetings."""
    return meeting_title(pair.mentor.person.name, pair.mentee.person.name)


def when_in_zone(moment: datetime, zone_name: str, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """A moment in a zone, in the current language, naming the zone: for messages."""
    return format_in_zone(moment, zone_name, fmt, strftime=format_moment)


def describe_day(day: date) -> str:
    """A calendar day in the current language, for messages about local times."""
    return format_moment(day, DAY_FORMAT)


def other_member(pair: Pair, person: Person) -> Person:
    """The other person of the pair."""
    mentor, mentee = pair.mentor.person, pair.mentee.person
    return mentee if mentor.id == person.id else mentor


def require_member(pair: Pair, actor: Person) -> None:
    """Raise RuleViolation unless the person is the mentor or the mentee of the pair."""
    if not pair.involves(actor.id):
        raise RuleViolation(_("Only the mentor and the mentee of this pair can do this."))


def require_active(pair: Pair) -> None:
    """Raise RuleViolation unless the pair is active (an ended pair plans nothing)."""
    if pair.status != PairStatus.ACTIVE.value:
        raise RuleViolation(_("This pair has ended: it can no longer plan meetings."))


def move_meeting(meeting: Meeting, target: MeetingStatus) -> None:
    """Move a meeting to a new state, or raise RuleViolation if its state machine forbids it."""
    current = meeting.state
    if target not in MEETING_TRANSITIONS[current]:
        raise RuleViolation(
            _(
                "A %(current)s meeting cannot become %(target)s.",
                current=current.label.lower(),
                target=target.label.lower(),
            )
        )
    meeting.status = target.value


def one_line(text: str) -> str:
    """The text on one line, runs of white space collapsed to one space."""
    return " ".join((text or "").split())


def check_duration(minutes: int | None, field_name: str = "duration_minutes") -> int:
    """Return a meeting length in minutes (1 to 480), or raise RuleViolation on the field."""
    if minutes is None:
        raise RuleViolation(_("Give the duration in minutes."), field_name)
    if minutes <= 0:
        raise RuleViolation(
            _("A meeting must end after it starts: give a duration of at least 1 minute."),
            field_name,
        )
    if minutes > MAX_MINUTES:
        raise RuleViolation(_("A meeting lasts at most 8 hours (480 minutes)."), field_name)
    return minutes


def pair_ids_of(person_id: int) -> Select:
    """The ids of the pairs a person belongs to, on either side, as a subquery."""
    mentor, mentee = aliased(Enrollment), aliased(Enrollment)
    return (
        select(Pair.id)
        .join(mentor, mentor.id == Pair.mentor_enrollment_id)
        .join(mentee, mentee.id == Pair.mentee_enrollment_id)
        .where(or_(mentor.person_id == person_id, mentee.person_id == person_id))
    )
