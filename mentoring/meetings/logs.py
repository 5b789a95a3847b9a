"""Meeting logs: each member records a meeting once it has ended, and may edit it.

How a meeting's outcome follows its logs: once a meeting has ended, each member logs
it as held or no-show. If either log says held, the meeting was held (one side may
simply have been late); otherwise, once anyone has logged a no-show, it is a no-show.
Editing a log within its 14 days re-applies the rule, so held and no-show may swap.
Services flush and never commit; every operation takes `now`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from mentoring.curriculum.models import Topic
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.matching.models import Pair
from mentoring.meetings import goal_links, ical
from mentoring.meetings.common import check_duration, move_meeting, require_member, when_in_zone
from mentoring.meetings.models import LogOutcome, Meeting, MeetingLog, MeetingStatus
from mentoring.people.models import Person

LOG_EDIT_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class LogEntry:
    """What a participant records about a meeting."""

    outcome: str
    actual_minutes: int | None = None
    topic_ids: list[int] = field(default_factory=list)
    goal_ids: list[int] = field(default_factory=list)
    private_notes: str = ""
    rating: int | None = None
    feedback: str = ""
    feedback_shareable: bool = False


def loggable_topics(pair: Pair) -> list[Topic]:
    """Topics a log may record as covered: the cohort's curriculum (or, if the cohort
    chose none, every topic still offered)."""
    if pair.cohort.topics:
        return list(pair.cohort.topics)
    return list(
        db.session.scalars(
            select(Topic).where(Topic.retired_at.is_(None)).order_by(Topic.position, Topic.id)
        )
    )


def advanceable_goals(pair: Pair, person: Person) -> list[tuple[int, str]]:
    """The (goal id, title) choices a person may mark as advanced in a log."""
    return goal_links.links().advanceable_goals(pair, person)


def record_goals_advanced(log: MeetingLog, goal_ids: Iterable[int]) -> None:
    """Link a log to the goals it advanced (only the pair's goals may be chosen)."""
    goal_links.links().record_goals_advanced(log, goal_ids)


def advanced_goal_ids(log: MeetingLog) -> list[int]:
    """The goals a log recorded as advanced."""
    return goal_links.links().advanced_goal_ids(log)


def _check_entry(entry: LogEntry, pair: Pair) -> tuple[LogOutcome, int | None, list[Topic]]:
    if entry.outcome not in {outcome.value for outcome in LogOutcome}:
        raise RuleViolation(_("Say whether the meeting was held or was a no-show."), "outcome")
    outcome = LogOutcome(entry.outcome)
    if entry.rating is not None and not 1 <= entry.rating <= 5:
        raise RuleViolation(_("Rate the meeting from 1 to 5."), "rating")
    minutes = None
    if outcome is LogOutcome.HELD:
        if entry.actual_minutes is None:
            raise RuleViolation(_("Say how long the meeting lasted, in minutes."), "actual_minutes")
        minutes = check_duration(entry.actual_minutes, "actual_minutes")
        if entry.rating is None:
            raise RuleViolation(_("Rate the meeting from 1 to 5."), "rating")
    offered = {topic.id: topic for topic in loggable_topics(pair)}
    unknown = [topic_id for topic_id in entry.topic_ids if topic_id not in offered]
    if unknown:
        raise RuleViolation(_("Choose topics from the cohort's curriculum."), "topic_ids")
    if len(entry.private_notes) > 10_000:
        raise RuleViolation(
            _("The notes are too long (10,000 characters at most)."), "private_notes"
        )
    if len(entry.feedback) > 4000:
        raise RuleViolation(_("The feedback is too long (4,000 characters at most)."), "feedback")
    topics = [offered[topic_id] for topic_id in dict.fromkeys(entry.topic_ids)]
    return outcome, minutes, topics


def _fill_log(
    log: MeetingLog,
    entry: LogEntry,
    checked: tuple[LogOutcome, int | None, list[Topic]],
    now: datetime,
) -> None:
    outcome, minutes, topics = checked
    log.outcome = outcome.value
    log.actual_minutes = minutes
    log.rating = entry.rating
    log.topics = topics
    log.private_notes = ical.normalise_text(entry.private_notes).strip()
    log.feedback = ical.normalise_text(entry.feedback).strip()
    log.feedback_shareable = bool(entry.feedback_shareable) and bool(log.feedback)
    log.updated_at = now


def _settle(meeting: Meeting, now: datetime) -> None:
    """Apply the logs to the meeting: held if anyone says held, else no-show."""
    outcomes = {log.outcome for log in meeting.logs}
    if not outcomes:
        return
    target = MeetingStatus.HELD if LogOutcome.HELD.value in outcomes else MeetingStatus.NO_SHOW
    if meeting.status != target.value:
        move_meeting(meeting, target)
        meeting.sequence += 1
        meeting.updated_at = now


def check_can_log(meeting: Meeting, actor: Person, *, now: datetime | None = None) -> None:
    """Raise RuleViolation unless the person may log the meeting now."""
    now = now or utcnow()
    require_member(meeting.pair, actor)
    if meeting.status == MeetingStatus.CANCELLED.value:
        raise RuleViolation(_("This meeting was cancelled: there is nothing to log."))
    if meeting.status == MeetingStatus.PROPOSED.value:
        raise RuleViolation(_("This meeting was never confirmed, so it cannot be logged."))
    if now < meeting.end_at:
        raise RuleViolation(
            _(
                "You can log this meeting once it has ended, after %(when)s.",
                when=when_in_zone(meeting.end_at, actor.timezone),
            )
        )
    if meeting.log_by(actor.id) is not None:
        raise RuleViolation(_("You have already logged this meeting: edit your log instead."))


def log_meeting(
    meeting: Meeting, entry: LogEntry, *, actor: Person, now: datetime | None = None
) -> MeetingLog:
    """A member logs a meeting after it has ended, once."""
    now = now or utcnow()
    pair = meeting.pair
    check_can_log(meeting, actor, now=now)
    checked = _check_entry(entry, pair)  # before the log exists: checks may query
    log = MeetingLog(author_id=actor.id, created_at=now)
    _fill_log(log, entry, checked, now)
    log.meeting = meeting
    db.session.add(log)
    db.session.flush()
    record_goals_advanced(log, entry.goal_ids)
    _settle(meeting, now)
    db.session.flush()
    return log


def log_editable_until(log: MeetingLog) -> datetime:
    """The moment a log stops being editable by its author."""
    return log.created_at + LOG_EDIT_WINDOW


def check_log_editable(log: MeetingLog, actor: Person, *, now: datetime | None = None) -> None:
    """Raise RuleViolation unless the person may still edit this log."""
    now = now or utcnow()
    if log.author_id != actor.id:
        raise RuleViolation(_("Only its author can edit a log."))
    if now > log_editable_until(log):
        raise RuleViolation(
            _(
                "Logs can be edited for 14 days; this one was written on %(day)s.",
                day=when_in_zone(log.created_at, actor.timezone, "%d %b %Y"),
            )
        )


def edit_log(
    log: MeetingLog, entry: LogEntry, *, actor: Person, now: datetime | None = None
) -> None:
    """The author edits their own log, within 14 days of writing it."""
    now = now or utcnow()
    check_log_editable(log, actor, now=now)
    meeting = log.meeting
    _fill_log(log, entry, _check_entry(entry, meeting.pair), now)
    record_goals_advanced(log, entry.goal_ids)
    _settle(meeting, now)
    db.session.flush()
