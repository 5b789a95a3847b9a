"""Meetings: propose, confirm, move, cancel, log; calendar feeds; the pairs' cadence.

Services flush and never commit (the views own the transaction); a broken rule raises
RuleViolation naming the form field it belongs to. Every operation takes `now`, so the
tests can place themselves anywhere in time.

How a meeting's outcome follows its logs: once a meeting has ended, each member logs
it as held or no-show. If either log says held, the meeting was held (one side may
simply have been late); otherwise, once anyone has logged a no-show, it is a no-show.
Editing a log within its 14 days re-applies the rule, so held and no-show may swap.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import Row, Select, bindparam, case, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from mentoring.audit.services import record_event
from mentoring.cohorts.models import Cohort, CohortStatus, Enrollment
from mentoring.curriculum.models import Topic
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.matching.models import Pair, PairStatus
from mentoring.meetings import ical
from mentoring.meetings.models import (
    MAX_MINUTES,
    MEETING_TRANSITIONS,
    PLANNED_STATUSES,
    FeedToken,
    LogOutcome,
    Meeting,
    MeetingLog,
    MeetingSeries,
    MeetingStatus,
)
from mentoring.meetings.timezones import (
    LocalTimeError,
    UnknownTimeZone,
    format_in_zone,
    local_to_utc,
)
from mentoring.people.models import Person

LOG_EDIT_WINDOW = timedelta(days=14)
HORIZON = timedelta(days=2 * 366)
LOW_RATING = 2
FEED_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_FEED_LABEL = b"mentoring.calendar-feed"


# -- scheduling ---------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingDetails:
    """When and where a meeting takes place, as a person typed it (local time)."""

    start_date: date | None
    start_time: time | None
    timezone: str
    duration_minutes: int | None
    location: str = ""
    video_url: str = ""
    agenda: str = ""
    agenda_private: bool = False


@dataclass(frozen=True)
class _Checked:
    start: datetime
    minutes: int
    location: str
    video_url: str
    agenda: str
    agenda_private: bool

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


def new_uid() -> str:
    """A calendar UID for a new meeting: random, and never changed afterwards."""
    return f"{uuid.uuid4()}@reverse-mentoring"


def meeting_title(mentor_name: str, mentee_name: str) -> str:
    """The calendar title of a pair's meetings: 'Reverse mentoring: Ana ↔ M. Dupont'."""
    return f"Reverse mentoring: {mentor_name} ↔ {mentee_name}"


def summary_of(pair: Pair) -> str:
    """The calendar title of this pair's meetings."""
    return meeting_title(pair.mentor.person.name, pair.mentee.person.name)


def other_member(pair: Pair, person: Person) -> Person:
    """The other person of the pair."""
    mentor, mentee = pair.mentor.person, pair.mentee.person
    return mentee if mentor.id == person.id else mentor


def _require_member(pair: Pair, actor: Person) -> None:
    if not pair.involves(actor.id):
        raise RuleViolation("Only the mentor and the mentee of this pair can do this.")


def _require_active(pair: Pair) -> None:
    if pair.status != PairStatus.ACTIVE.value:
        raise RuleViolation("This pair has ended: it can no longer plan meetings.")


def _lock_pair(pair: Pair) -> None:
    # A row lock on the pair serialises scheduling per pair on PostgreSQL, so two
    # proposals made at the same moment cannot both pass the overlap check (no portable
    # exclusion constraint exists). SQLite ignores FOR UPDATE: it is the one-laptop setup.
    db.session.execute(select(Pair.id).where(Pair.id == pair.id).with_for_update())


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def check_video_url(url: str) -> str:
    """Return a trimmed http(s) link, or raise RuleViolation on the video_url field."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RuleViolation(
            "The video link must be a web address starting with https:// (or http://).",
            "video_url",
        )
    try:
        ical.check_url(url)
    except ValueError as error:
        raise RuleViolation(
            "The video link contains spaces or characters a link cannot have.", "video_url"
        ) from error
    if len(url) > 500:
        raise RuleViolation("The video link is too long (500 characters at most).", "video_url")
    return url


def _start_of(start_date: date | None, start_time: time | None, zone: str) -> datetime:
    if start_date is None:
        raise RuleViolation("Choose the date of the meeting.", "start_date")
    if start_time is None:
        raise RuleViolation("Choose the start time.", "start_time")
    try:
        return local_to_utc(start_date, start_time, zone)
    except UnknownTimeZone as error:
        raise RuleViolation(str(error), "timezone") from error
    except LocalTimeError as error:
        raise RuleViolation(str(error), "start_time") from error


def _check_future(start: datetime, zone: str, now: datetime) -> None:
    if start <= now:
        raise RuleViolation(
            f"{format_in_zone(start, zone)} has already passed: choose a time in the future.",
            "start_date",
        )
    if start > now + HORIZON:
        raise RuleViolation("That is more than two years ahead: check the year.", "start_date")


def check_duration(minutes: int | None, field_name: str = "duration_minutes") -> int:
    """Return a meeting length in minutes (1 to 480), or raise RuleViolation on the field."""
    if minutes is None:
        raise RuleViolation("Give the duration in minutes.", field_name)
    if minutes <= 0:
        raise RuleViolation(
            "A meeting must end after it starts: give a duration of at least 1 minute.",
            field_name,
        )
    if minutes > MAX_MINUTES:
        raise RuleViolation("A meeting lasts at most 8 hours (480 minutes).", field_name)
    return minutes


def _check_details(details: MeetingDetails, now: datetime) -> _Checked:
    start = _start_of(details.start_date, details.start_time, details.timezone)
    _check_future(start, details.timezone, now)
    minutes = check_duration(details.duration_minutes)
    location = _one_line(details.location)
    if len(location) > 200:
        raise RuleViolation("The place is too long (200 characters at most).", "location")
    video_url = check_video_url(details.video_url)
    if not location and not video_url:
        raise RuleViolation("Say where you meet: a place, a video link, or both.", "location")
    agenda = ical.normalise_text(details.agenda).strip()
    if len(agenda) > 4000:
        raise RuleViolation("The agenda is too long (4,000 characters at most).", "agenda")
    return _Checked(start, minutes, location, video_url, agenda, bool(details.agenda_private))


def _check_no_overlap(
    pair_id: int,
    starts: Sequence[datetime],
    minutes: int,
    zone: str,
    *,
    ignore_id: int | None = None,
    series: bool = False,
) -> None:
    """Refuse the first slot that overlaps a meeting of the pair not cancelled, naming
    the earliest such meeting; one query, however many slots (a series has up to 26)."""
    length = timedelta(minutes=minutes)
    statement = (
        select(Meeting)
        .where(
            Meeting.pair_id == pair_id,
            Meeting.status != MeetingStatus.CANCELLED.value,
            Meeting.start_at < max(starts) + length,
            Meeting.end_at > min(starts),
        )
        .order_by(Meeting.start_at)
    )
    if ignore_id is not None:
        statement = statement.where(Meeting.id != ignore_id)
    meetings = db.session.scalars(statement).all()
    for number, start in enumerate(starts, start=1):
        end = start + length
        clash = next((m for m in meetings if m.start_at < end and m.end_at > start), None)
        if clash is not None:
            prefix = f"Meeting {number} of the series: " if series else ""
            raise RuleViolation(
                f"{prefix}This overlaps your pair's meeting of "
                f"{format_in_zone(clash.start_at, zone)} ({clash.duration_minutes} min). "
                "Choose another time.",
                "start_time",
            )


def _move(meeting: Meeting, target: MeetingStatus) -> None:
    current = meeting.state
    if target not in MEETING_TRANSITIONS[current]:
        raise RuleViolation(
            f"A {current.label.lower()} meeting cannot become {target.label.lower()}."
        )
    meeting.status = target.value


def propose_meeting(
    pair: Pair, details: MeetingDetails, *, actor: Person, now: datetime | None = None
) -> Meeting:
    """A member proposes a meeting; the other member confirms or declines it."""
    now = now or utcnow()
    _require_member(pair, actor)
    _require_active(pair)
    checked = _check_details(details, now)
    _lock_pair(pair)
    _check_no_overlap(pair.id, [checked.start], checked.minutes, details.timezone)
    meeting = _new_meeting(pair, checked, checked.start, actor, now)
    db.session.flush()
    return meeting


def _new_meeting(
    pair: Pair, checked: _Checked, start: datetime, actor: Person, now: datetime
) -> Meeting:
    meeting = Meeting(
        pair_id=pair.id,
        uid=new_uid(),
        sequence=0,
        start_at=start,
        end_at=start + timedelta(minutes=checked.minutes),
        duration_minutes=checked.minutes,
        location=checked.location,
        video_url=checked.video_url,
        agenda=checked.agenda,
        agenda_private=checked.agenda_private,
        status=MeetingStatus.PROPOSED.value,
        proposed_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(meeting)
    return meeting


def propose_series(
    pair: Pair,
    details: MeetingDetails,
    *,
    every_weeks: int | None,
    occurrences: int | None,
    actor: Person,
    now: datetime | None = None,
) -> MeetingSeries:
    """Propose a series (every N weeks, M times) at the same local time, as separate
    meetings that can each be moved or cancelled; all of them or none."""
    now = now or utcnow()
    _require_member(pair, actor)
    _require_active(pair)
    if every_weeks is None or not 1 <= every_weeks <= 12:
        raise RuleViolation("Repeat every 1 to 12 weeks.", "every_weeks")
    if occurrences is None or not 2 <= occurrences <= 26:
        raise RuleViolation("A series has 2 to 26 meetings.", "occurrences")
    checked = _check_details(details, now)
    assert details.start_date is not None and details.start_time is not None  # noqa: S101
    starts = [checked.start]
    for number in range(1, occurrences):
        day = details.start_date + timedelta(weeks=every_weeks * number)
        try:
            starts.append(local_to_utc(day, details.start_time, details.timezone))
        except LocalTimeError as error:
            raise RuleViolation(
                f"Meeting {number + 1} of the series: {error}", "start_time"
            ) from error
    if starts[-1] > now + HORIZON:
        raise RuleViolation(
            "The series would run more than two years ahead: plan fewer meetings.",
            "occurrences",
        )
    _lock_pair(pair)
    _check_no_overlap(pair.id, starts, checked.minutes, details.timezone, series=True)
    series = MeetingSeries(
        pair_id=pair.id,
        every_weeks=every_weeks,
        occurrences=occurrences,
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(series)
    db.session.flush()
    for number, start in enumerate(starts, start=1):
        meeting = _new_meeting(pair, checked, start, actor, now)
        meeting.series_id = series.id
        meeting.series_position = number
    db.session.flush()
    return series


def _confirm(meeting: Meeting, actor: Person, now: datetime) -> None:
    if meeting.status == MeetingStatus.CONFIRMED.value:
        raise RuleViolation("This meeting is already confirmed.")
    if meeting.status != MeetingStatus.PROPOSED.value:
        raise RuleViolation(f"A {meeting.state.label.lower()} meeting cannot be confirmed.")
    if meeting.proposed_by_id == actor.id:
        raise RuleViolation("You proposed this time: the other member of the pair confirms it.")
    if meeting.start_at <= now:
        raise RuleViolation("This meeting's time has passed: move it to a new time or cancel it.")
    _move(meeting, MeetingStatus.CONFIRMED)
    meeting.confirmed_at = now
    meeting.sequence += 1
    meeting.updated_at = now


def confirm_meeting(meeting: Meeting, *, actor: Person, now: datetime | None = None) -> None:
    """The member who did not propose the time confirms it."""
    now = now or utcnow()
    _require_member(meeting.pair, actor)
    _require_active(meeting.pair)
    _confirm(meeting, actor, now)
    db.session.flush()


def confirm_series(series: MeetingSeries, *, actor: Person, now: datetime | None = None) -> int:
    """Confirm every future meeting of a series the other member proposed; returns how many."""
    now = now or utcnow()
    _require_member(series.pair, actor)
    _require_active(series.pair)
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.series_id == series.id,
            Meeting.status == MeetingStatus.PROPOSED.value,
            Meeting.start_at > now,
            Meeting.proposed_by_id != actor.id,
        )
        .order_by(Meeting.start_at)
    ).all()
    if not meetings:
        raise RuleViolation("No meeting of this series is waiting for your confirmation.")
    for meeting in meetings:
        _confirm(meeting, actor, now)
    db.session.flush()
    return len(meetings)


def reschedule_meeting(
    meeting: Meeting, details: MeetingDetails, *, actor: Person, now: datetime | None = None
) -> bool:
    """Change a planned meeting's time, place or agenda; returns True when the time moved.

    A new time goes back to proposed, for the other member to confirm again.
    """
    now = now or utcnow()
    pair = meeting.pair
    _require_member(pair, actor)
    _require_active(pair)
    if not meeting.is_planned:
        raise RuleViolation(f"A {meeting.state.label.lower()} meeting cannot be changed.")
    checked = _check_details(details, now)
    _lock_pair(pair)
    _check_no_overlap(
        pair.id, [checked.start], checked.minutes, details.timezone, ignore_id=meeting.id
    )
    moved = checked.start != meeting.start_at or checked.minutes != meeting.duration_minutes
    place_changed = (checked.location, checked.video_url) != (meeting.location, meeting.video_url)
    agenda_changed = (checked.agenda, checked.agenda_private) != (
        meeting.agenda,
        meeting.agenda_private,
    )
    if not (moved or place_changed or agenda_changed):
        raise RuleViolation("Nothing changed: edit the time, the place or the agenda.")
    if moved:
        _move(meeting, MeetingStatus.PROPOSED)
        meeting.start_at = checked.start
        meeting.end_at = checked.end
        meeting.duration_minutes = checked.minutes
        meeting.proposed_by_id = actor.id
        meeting.confirmed_at = None
    if moved or place_changed:
        meeting.sequence += 1
    meeting.location = checked.location
    meeting.video_url = checked.video_url
    meeting.agenda = checked.agenda
    meeting.agenda_private = checked.agenda_private
    meeting.updated_at = now
    db.session.flush()
    return moved


def _cancel(meeting: Meeting, reason: str, actor: Person | None, now: datetime) -> None:
    declined = (
        meeting.status == MeetingStatus.PROPOSED.value
        and actor is not None
        and meeting.proposed_by_id != actor.id
    )
    _move(meeting, MeetingStatus.CANCELLED)
    meeting.cancelled_at = now
    meeting.cancelled_by_id = actor.id if actor else None
    meeting.cancel_reason = reason
    meeting.declined = declined
    meeting.sequence += 1
    meeting.updated_at = now
    # The reason is the pair's business: the audit keeps only who, what and when.
    record_event(
        "meeting.declined" if declined else "meeting.cancelled",
        actor=actor,
        subject=meeting,
        pair_id=meeting.pair_id,
    )


def cancel_meeting(
    meeting: Meeting, reason: str, *, actor: Person, now: datetime | None = None
) -> None:
    """Cancel a planned meeting with a reason (a declined proposal is cancelled too)."""
    now = now or utcnow()
    _require_member(meeting.pair, actor)
    if not meeting.is_planned:
        raise RuleViolation(f"A {meeting.state.label.lower()} meeting cannot be cancelled.")
    reason = _one_line(reason)
    if not reason:
        raise RuleViolation("Say why, so the other member of the pair knows.", "reason")
    if len(reason) > 500:
        raise RuleViolation("The reason is too long (500 characters at most).", "reason")
    _cancel(meeting, reason, actor, now)
    db.session.flush()


def cancel_future_meetings(
    pair: Pair, reason: str, *, actor: Person | None, now: datetime | None = None
) -> int:
    """Cancel a pair's planned meetings that have not started (when the pair ends)."""
    now = now or utcnow()
    meetings = db.session.scalars(
        select(Meeting).where(
            Meeting.pair_id == pair.id,
            Meeting.status.in_(PLANNED_STATUSES),
            Meeting.start_at > now,
        )
    ).all()
    reason = _one_line(reason)[:500] or "The pair has ended."
    for meeting in meetings:
        _cancel(meeting, reason, actor, now)
    db.session.flush()
    return len(meetings)


# -- meeting logs ---------------------------------------------------------------------


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
    from mentoring.goals import services as goals

    return goals.advanceable_goals(pair, person)


def record_goals_advanced(log: MeetingLog, goal_ids: Iterable[int]) -> None:
    """Link a log to the goals it advanced (only the pair's goals may be chosen)."""
    from mentoring.goals import services as goals

    goals.record_goals_advanced(log, goal_ids)


def advanced_goal_ids(log: MeetingLog) -> list[int]:
    """The goals a log recorded as advanced."""
    from mentoring.goals import services as goals

    return goals.advanced_goal_ids(log)


def _check_entry(entry: LogEntry, pair: Pair) -> tuple[LogOutcome, int | None, list[Topic]]:
    if entry.outcome not in {outcome.value for outcome in LogOutcome}:
        raise RuleViolation("Say whether the meeting was held or was a no-show.", "outcome")
    outcome = LogOutcome(entry.outcome)
    if entry.rating is not None and not 1 <= entry.rating <= 5:
        raise RuleViolation("Rate the meeting from 1 to 5.", "rating")
    minutes = None
    if outcome is LogOutcome.HELD:
        if entry.actual_minutes is None:
            raise RuleViolation("Say how long the meeting lasted, in minutes.", "actual_minutes")
        minutes = check_duration(entry.actual_minutes, "actual_minutes")
        if entry.rating is None:
            raise RuleViolation("Rate the meeting from 1 to 5.", "rating")
    offered = {topic.id: topic for topic in loggable_topics(pair)}
    unknown = [topic_id for topic_id in entry.topic_ids if topic_id not in offered]
    if unknown:
        raise RuleViolation("Choose topics from the cohort's curriculum.", "topic_ids")
    if len(entry.private_notes) > 10_000:
        raise RuleViolation("The notes are too long (10,000 characters at most).", "private_notes")
    if len(entry.feedback) > 4000:
        raise RuleViolation("The feedback is too long (4,000 characters at most).", "feedback")
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
        _move(meeting, target)
        meeting.sequence += 1
        meeting.updated_at = now


def check_can_log(meeting: Meeting, actor: Person, *, now: datetime | None = None) -> None:
    """Raise RuleViolation unless the person may log the meeting now."""
    now = now or utcnow()
    _require_member(meeting.pair, actor)
    if meeting.status == MeetingStatus.CANCELLED.value:
        raise RuleViolation("This meeting was cancelled: there is nothing to log.")
    if meeting.status == MeetingStatus.PROPOSED.value:
        raise RuleViolation("This meeting was never confirmed, so it cannot be logged.")
    if now < meeting.end_at:
        raise RuleViolation(
            "You can log this meeting once it has ended, after "
            f"{format_in_zone(meeting.end_at, actor.timezone)}."
        )
    if meeting.log_by(actor.id) is not None:
        raise RuleViolation("You have already logged this meeting: edit your log instead.")


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
        raise RuleViolation("Only its author can edit a log.")
    if now > log_editable_until(log):
        raise RuleViolation(
            "Logs can be edited for 14 days; this one was written on "
            f"{format_in_zone(log.created_at, actor.timezone, '%d %b %Y')}."
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


# -- reading meetings ---------------------------------------------------------------


def pair_meetings(pair: Pair) -> list[Meeting]:
    """Every meeting of a pair, oldest first, with logs, their authors and topics."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.pair_id == pair.id)
            .options(
                selectinload(Meeting.logs).selectinload(MeetingLog.topics),
                selectinload(Meeting.logs).selectinload(MeetingLog.author),
                selectinload(Meeting.series),
            )
            .order_by(Meeting.start_at, Meeting.id)
        )
    )


def _pair_ids_of(person_id: int) -> Select:
    """The ids of the pairs a person belongs to, on either side, as a subquery."""
    mentor, mentee = aliased(Enrollment), aliased(Enrollment)
    return (
        select(Pair.id)
        .join(mentor, mentor.id == Pair.mentor_enrollment_id)
        .join(mentee, mentee.id == Pair.mentee_enrollment_id)
        .where(or_(mentor.person_id == person_id, mentee.person_id == person_id))
    )


def upcoming_meetings_of(person: Person, *, now: datetime | None = None) -> list[Meeting]:
    """A person's planned meetings that have not ended, across their pairs, soonest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.pair_id.in_(_pair_ids_of(person.id)),
                Meeting.status.in_(PLANNED_STATUSES),
                Meeting.end_at > now,
            )
            .options(
                selectinload(Meeting.pair)
                .selectinload(Pair.mentor)
                .selectinload(Enrollment.person),
                selectinload(Meeting.pair)
                .selectinload(Pair.mentee)
                .selectinload(Enrollment.person),
            )
            .order_by(Meeting.start_at)
            .limit(50)
        )
    )


# -- calendar -------------------------------------------------------------------------


def calendar_event(meeting: Meeting, *, page_url: str = "") -> ical.CalendarEvent:
    """What a calendar may show of a meeting (the renderer drops a private agenda)."""
    return ical.CalendarEvent(
        uid=meeting.uid,
        sequence=meeting.sequence,
        start=meeting.start_at,
        end=meeting.end_at,
        status=meeting.status,
        summary=summary_of(meeting.pair),
        location=meeting.location,
        video_url=meeting.video_url,
        agenda=meeting.agenda,
        agenda_private=meeting.agenda_private,
        page_url=page_url,
        created=meeting.created_at,
        last_modified=meeting.updated_at,
    )


def _secret_key() -> bytes:
    return current_app.config["SECRET_KEY"].encode()


def _derive_secret(person_id: int, nonce: str) -> str:
    message = b"\x00".join([_FEED_LABEL, str(person_id).encode(), nonce.encode()])
    digest = hmac.new(_secret_key(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_feed_secret(secret: str) -> str:
    """The SHA-256 hex digest under which a feed secret is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_token_of(person: Person) -> FeedToken | None:
    """A person's feed token, if they turned their feed on."""
    return db.session.scalar(select(FeedToken).where(FeedToken.person_id == person.id))


def feed_secret(token: FeedToken) -> str | None:
    """The secret of a person's feed URL, or None if it cannot be shown again (the app's
    secret key changed since: the old link still works, a reset gives a new one)."""
    secret = _derive_secret(token.person_id, token.nonce)
    return secret if hmac.compare_digest(hash_feed_secret(secret), token.token_hash) else None


def reset_feed(person: Person, *, actor: Person, now: datetime | None = None) -> str:
    """Turn a person's feed on, or give it a new secret (the old URL dies); returns it."""
    now = now or utcnow()
    token = feed_token_of(person)
    nonce = secrets.token_urlsafe(32)
    secret = _derive_secret(person.id, nonce)
    if token is None:
        token = FeedToken(person_id=person.id, created_at=now)
        db.session.add(token)
        action = "calendar.feed_created"
    else:
        token.reset_at = now
        action = "calendar.feed_reset"
    token.nonce = nonce
    token.token_hash = hash_feed_secret(secret)
    db.session.flush()
    record_event(action, actor=actor, subject=token, person_id=person.id)
    return secret


class FeedOwner(NamedTuple):
    """Who a feed belongs to: just what the feed needs (no ORM object, no role loading)."""

    id: int
    name: str


def person_for_feed(secret: str) -> FeedOwner | None:
    """The active person whose feed URL holds this secret, or None (unknown or reset)."""
    if not FEED_SECRET_RE.match(secret or ""):
        return None
    row = db.session.execute(
        select(Person.id, Person.name)
        .join(FeedToken, FeedToken.person_id == Person.id)
        .where(FeedToken.token_hash == hash_feed_secret(secret), Person.is_active.is_(True))
    ).first()
    return FeedOwner(row.id, row.name) if row else None


@lru_cache(maxsize=1)
def _feed_statement() -> Select:
    # Built once: constructing aliased joins costs more than running the query.
    mentor_e, mentee_e = aliased(Enrollment), aliased(Enrollment)
    mentor_p, mentee_p = aliased(Person), aliased(Person)
    person_id = bindparam("person_id")
    return (
        select(
            Meeting.uid,
            Meeting.sequence,
            Meeting.start_at,
            Meeting.end_at,
            Meeting.status,
            Meeting.location,
            Meeting.video_url,
            Meeting.agenda,
            Meeting.agenda_private,
            Meeting.created_at,
            Meeting.updated_at,
            Meeting.pair_id,
            mentor_p.name.label("mentor_name"),
            mentee_p.name.label("mentee_name"),
        )
        .join(Pair, Pair.id == Meeting.pair_id)
        .join(mentor_e, mentor_e.id == Pair.mentor_enrollment_id)
        .join(mentee_e, mentee_e.id == Pair.mentee_enrollment_id)
        .join(mentor_p, mentor_p.id == mentor_e.person_id)
        .join(mentee_p, mentee_p.id == mentee_e.person_id)
        .where(or_(mentor_e.person_id == person_id, mentee_e.person_id == person_id))
        .order_by(Meeting.start_at, Meeting.uid)
    )


def feed_events(
    person_id: int, page_url: Callable[[int], str] = lambda pair_id: ""
) -> list[ical.CalendarEvent]:
    """Every meeting of a person's pairs as calendar events, in one query.

    The events are all the feed shows, so a hash of them is a sound ETag.
    """
    rows = db.session.execute(_feed_statement(), {"person_id": person_id}).all()
    urls: dict[int, str] = {}
    events = []
    for row in rows:
        if row.pair_id not in urls:
            urls[row.pair_id] = page_url(row.pair_id)
        events.append(
            ical.CalendarEvent(
                uid=row.uid,
                sequence=row.sequence,
                start=row.start_at,
                end=row.end_at,
                status=row.status,
                summary=meeting_title(row.mentor_name, row.mentee_name),
                location=row.location,
                video_url=row.video_url,
                agenda=row.agenda,
                agenda_private=row.agenda_private,
                page_url=urls[row.pair_id],
                created=row.created_at,
                last_modified=row.updated_at,
            )
        )
    return events


def feed_name(person: Person | FeedOwner) -> str:
    """The calendar name a subscribed client shows."""
    return f"Reverse mentoring · {person.name}"


def feed_etag(person: Person | FeedOwner, events: list[ical.CalendarEvent]) -> str:
    """A strong ETag for a feed: a hash of everything the rendering depends on."""
    material = repr((ical.FORMAT_VERSION, feed_name(person), events)).encode()
    return hashlib.sha256(material).hexdigest()[:40]


# -- cadence --------------------------------------------------------------------------


@dataclass(frozen=True)
class CadenceStatus:
    """Where a pair stands against its cohort's cadence.

    `next_due` is None when the cadence does not apply (the pair ended, the cohort
    closed or is over): such a pair is never overdue.
    """

    next_due: date | None
    overdue: bool
    last_meeting: datetime | None
    next_meeting: datetime | None = None
    days_overdue: int = 0


@dataclass(frozen=True)
class PairMeetingSummary:
    """A pair's meeting figures: metadata only, never notes."""

    pair_id: int
    held: int
    no_show: int
    cancelled: int
    upcoming: int
    awaiting_log: int
    logged_no_shows: int
    ratings: int
    average_rating: float | None
    low_ratings: int
    last_meeting: datetime | None
    next_meeting: datetime | None
    cadence: CadenceStatus


# What a pair without meetings (or without logs) counts: the aggregate rows' defaults.
_NO_MEETINGS = SimpleNamespace(
    held=0,
    no_show=0,
    cancelled=0,
    upcoming=0,
    awaiting_log=0,
    last_meeting=None,
    next_meeting=None,
)
_NO_LOGS = SimpleNamespace(logged_no_shows=0, ratings=0, average_rating=None, low_ratings=0)


def pair_meeting_summaries(
    pair_ids: Collection[int], *, now: datetime | None = None
) -> dict[int, PairMeetingSummary]:
    """Meeting figures and cadence status for many pairs, in three queries in all.

    The last meeting is the latest held one, or a confirmed one that has ended and is
    not logged yet (it probably took place); no-shows and cancellations do not count.
    """
    now = now or utcnow()
    ids = sorted(set(pair_ids))
    if not ids:
        return {}
    pairs = db.session.execute(
        select(
            Pair.id,
            Pair.status,
            Pair.created_at,
            Cohort.cadence_days,
            Cohort.start_date,
            Cohort.end_date,
            Cohort.status.label("cohort_status"),
        )
        .join(Cohort, Cohort.id == Pair.cohort_id)
        .where(Pair.id.in_(ids))
    ).all()
    status = Meeting.status
    coming = status.in_(PLANNED_STATUSES) & (Meeting.start_at > now)
    unlogged = (status == MeetingStatus.CONFIRMED.value) & (Meeting.end_at <= now)
    counted = (status == MeetingStatus.HELD.value) | unlogged
    meeting_rows = {
        row.pair_id: row
        for row in db.session.execute(
            select(
                Meeting.pair_id,
                func.count(case((status == MeetingStatus.HELD.value, 1))).label("held"),
                func.count(case((status == MeetingStatus.NO_SHOW.value, 1))).label("no_show"),
                func.count(case((status == MeetingStatus.CANCELLED.value, 1))).label("cancelled"),
                func.count(case((coming, 1))).label("upcoming"),
                func.count(case((unlogged, 1))).label("awaiting_log"),
                func.max(case((counted, Meeting.start_at))).label("last_meeting"),
                func.min(case((coming, Meeting.start_at))).label("next_meeting"),
            )
            .where(Meeting.pair_id.in_(ids))
            .group_by(Meeting.pair_id)
        )
    }
    log_rows = {
        row.pair_id: row
        for row in db.session.execute(
            select(
                Meeting.pair_id,
                func.count(case((MeetingLog.outcome == LogOutcome.NO_SHOW.value, 1))).label(
                    "logged_no_shows"
                ),
                func.count(MeetingLog.rating).label("ratings"),
                func.avg(MeetingLog.rating).label("average_rating"),
                func.count(case((MeetingLog.rating <= LOW_RATING, 1))).label("low_ratings"),
            )
            .join(Meeting, Meeting.id == MeetingLog.meeting_id)
            .where(Meeting.pair_id.in_(ids))
            .group_by(Meeting.pair_id)
        )
    }
    summaries = {}
    for pair in pairs:
        meetings = meeting_rows.get(pair.id, _NO_MEETINGS)
        logs = log_rows.get(pair.id, _NO_LOGS)
        last = _as_utc(meetings.last_meeting)
        upcoming = _as_utc(meetings.next_meeting)
        summaries[pair.id] = PairMeetingSummary(
            pair_id=pair.id,
            held=meetings.held,
            no_show=meetings.no_show,
            cancelled=meetings.cancelled,
            upcoming=meetings.upcoming,
            awaiting_log=meetings.awaiting_log,
            logged_no_shows=logs.logged_no_shows,
            ratings=logs.ratings,
            average_rating=(
                None if logs.average_rating is None else round(float(logs.average_rating), 2)
            ),
            low_ratings=logs.low_ratings,
            last_meeting=last,
            next_meeting=upcoming,
            cadence=_cadence(pair, last, upcoming, now),
        )
    return summaries


def _as_utc(value: datetime | str | None) -> datetime | None:
    # Aggregates keep the column type on PostgreSQL; SQLite may hand back text.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _cadence(
    pair: Row[Any], last: datetime | None, upcoming: datetime | None, now: datetime
) -> CadenceStatus:
    tracked = (
        pair.status == PairStatus.ACTIVE.value
        and pair.cohort_status != CohortStatus.CLOSED.value
        and now.date() <= pair.end_date
    )
    if not tracked:
        return CadenceStatus(next_due=None, overdue=False, last_meeting=last, next_meeting=upcoming)
    since = last.date() if last else max(pair.created_at.date(), pair.start_date)
    next_due = since + timedelta(days=pair.cadence_days)
    late = (now.date() - next_due).days
    return CadenceStatus(
        next_due=next_due,
        overdue=late > 0,
        last_meeting=last,
        next_meeting=upcoming,
        days_overdue=max(late, 0),
    )


def cadence_status(pair: Pair, now: datetime | None = None) -> CadenceStatus:
    """Whether a pair is keeping its cohort's cadence: next meeting due by, overdue."""
    return pair_meeting_summaries([pair.id], now=now)[pair.id].cadence


def overdue_pairs(
    *, now: datetime | None = None, cohort_id: int | None = None, person_id: int | None = None
) -> list[tuple[int, CadenceStatus]]:
    """Active pairs with no meeting within their cadence, most overdue first, in four
    queries: all of them, one cohort's, or one person's (for their home page)."""
    now = now or utcnow()
    statement = select(Pair.id).where(Pair.status == PairStatus.ACTIVE.value)
    if cohort_id is not None:
        statement = statement.where(Pair.cohort_id == cohort_id)
    if person_id is not None:
        statement = statement.where(Pair.id.in_(_pair_ids_of(person_id)))
    summaries = pair_meeting_summaries(db.session.scalars(statement).all(), now=now)
    late = [(pair_id, s.cadence) for pair_id, s in summaries.items() if s.cadence.overdue]
    return sorted(late, key=lambda item: (-item[1].days_overdue, item[0]))
