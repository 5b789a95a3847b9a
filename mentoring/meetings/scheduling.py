"""Scheduling: propose, confirm, move and cancel meetings and series of a pair.

Services flush and never commit (the views own the transaction); a broken rule raises
RuleViolation naming the form field it belongs to. Every operation takes `now`, so the
tests can place themselves anywhere in time.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from mentoring.audit.services import record_event
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.matching.models import EndReason, Pair
from mentoring.matching.signals import pair_ended
from mentoring.meetings import ical
from mentoring.meetings.common import (
    ENDED_PAIR_REASONS,
    check_duration,
    describe_day,
    move_meeting,
    one_line,
    require_active,
    require_member,
    when_in_zone,
)
from mentoring.meetings.models import (
    PLANNED_STATUSES,
    Meeting,
    MeetingSeries,
    MeetingStatus,
)
from mentoring.meetings.signals import meeting_changed, series_changed
from mentoring.meetings.timezones import LocalTimeError, UnknownTimeZone, local_to_utc
from mentoring.people.models import Person

HORIZON = timedelta(days=2 * 366)


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


def _lock_pair(pair: Pair) -> None:
    # A row lock on the pair serialises scheduling per pair, so two proposals made at
    # the same moment cannot both pass the overlap check (no portable exclusion
    # constraint exists). SQLite has no row locks: there FOR UPDATE takes the database's
    # write lock first (mentoring.db), which serialises every writer, this one included.
    db.session.execute(select(Pair.id).where(Pair.id == pair.id).with_for_update())


def _lock_meeting(meeting: Meeting) -> None:
    # Two members acting on one meeting at once (confirm and cancel, a double click)
    # act one after the other: the second sees what the first left, under the pair's lock.
    _lock_pair(meeting.pair)
    db.session.scalars(
        select(Meeting).where(Meeting.id == meeting.id).execution_options(populate_existing=True)
    ).one()


def check_video_url(url: str) -> str:
    """Return a trimmed http(s) link, or raise RuleViolation on the video_url field."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RuleViolation(
            _("The video link must be a web address starting with https:// (or http://)."),
            "video_url",
        )
    try:
        ical.check_url(url)
    except ValueError as error:
        raise RuleViolation(
            _("The video link contains spaces or characters a link cannot have."), "video_url"
        ) from error
    if len(url) > 500:
        raise RuleViolation(_("The video link is too long (500 characters at most)."), "video_url")
    return url


def _start_of(start_date: date | None, start_time: time | None, zone: str) -> datetime:
    if start_date is None:
        raise RuleViolation(_("Choose the date of the meeting."), "start_date")
    if start_time is None:
        raise RuleViolation(_("Choose the start time."), "start_time")
    try:
        return local_to_utc(start_date, start_time, zone, _, describe_day)
    except UnknownTimeZone as error:
        raise RuleViolation(str(error), "timezone") from error
    except LocalTimeError as error:
        raise RuleViolation(str(error), "start_time") from error


def _check_future(start: datetime, zone: str, now: datetime) -> None:
    if start <= now:
        raise RuleViolation(
            _(
                "%(when)s has already passed: choose a time in the future.",
                when=when_in_zone(start, zone),
            ),
            "start_date",
        )
    if start > now + HORIZON:
        raise RuleViolation(_("That is more than two years ahead: check the year."), "start_date")


def _check_details(details: MeetingDetails, now: datetime) -> _Checked:
    start = _start_of(details.start_date, details.start_time, details.timezone)
    _check_future(start, details.timezone, now)
    minutes = check_duration(details.duration_minutes)
    location = one_line(details.location)
    if len(location) > 200:
        raise RuleViolation(_("The place is too long (200 characters at most)."), "location")
    video_url = check_video_url(details.video_url)
    if not location and not video_url:
        raise RuleViolation(_("Say where you meet: a place, a video link, or both."), "location")
    agenda = ical.normalise_text(details.agenda).strip()
    if len(agenda) > 4000:
        raise RuleViolation(_("The agenda is too long (4,000 characters at most)."), "agenda")
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
            when, minutes = when_in_zone(clash.start_at, zone), clash.duration_minutes
            if series:
                message = _(
                    "Meeting %(number)s of the series: This overlaps your pair's meeting of "
                    "%(when)s (%(minutes)s min). Choose another time.",
                    number=number,
                    when=when,
                    minutes=minutes,
                )
            else:
                message = _(
                    "This overlaps your pair's meeting of %(when)s (%(minutes)s min). "
                    "Choose another time.",
                    when=when,
                    minutes=minutes,
                )
            raise RuleViolation(message, "start_time")


def propose_meeting(
    pair: Pair, details: MeetingDetails, *, actor: Person, now: datetime | None = None
) -> Meeting:
    """A member proposes a meeting; the other member confirms or declines it."""
    now = now or utcnow()
    require_member(pair, actor)
    require_active(pair)
    checked = _check_details(details, now)
    _lock_pair(pair)
    _check_no_overlap(pair.id, [checked.start], checked.minutes, details.timezone)
    meeting = _new_meeting(pair, checked, checked.start, actor, now)
    db.session.flush()
    meeting_changed.send(meeting, change="proposed", actor=actor)
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
    require_member(pair, actor)
    require_active(pair)
    if every_weeks is None or not 1 <= every_weeks <= 12:
        raise RuleViolation(_("Repeat every 1 to 12 weeks."), "every_weeks")
    if occurrences is None or not 2 <= occurrences <= 26:
        raise RuleViolation(_("A series has 2 to 26 meetings."), "occurrences")
    checked = _check_details(details, now)
    assert details.start_date is not None and details.start_time is not None  # noqa: S101
    starts = [checked.start]
    for number in range(1, occurrences):
        day = details.start_date + timedelta(weeks=every_weeks * number)
        try:
            starts.append(local_to_utc(day, details.start_time, details.timezone, _, describe_day))
        except LocalTimeError as error:
            raise RuleViolation(
                _(
                    "Meeting %(number)s of the series: %(problem)s",
                    number=number + 1,
                    problem=error,
                ),
                "start_time",
            ) from error
    if starts[-1] > now + HORIZON:
        raise RuleViolation(
            _("The series would run more than two years ahead: plan fewer meetings."),
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
    series_changed.send(series, change="proposed", actor=actor, meetings=None)
    return series


def _confirm(meeting: Meeting, actor: Person, now: datetime) -> None:
    if meeting.status == MeetingStatus.CONFIRMED.value:
        raise RuleViolation(_("This meeting is already confirmed."))
    if meeting.status != MeetingStatus.PROPOSED.value:
        raise RuleViolation(
            _("A %(state)s meeting cannot be confirmed.", state=meeting.state.label.lower())
        )
    if meeting.proposed_by_id == actor.id:
        raise RuleViolation(_("You proposed this time: the other member of the pair confirms it."))
    if meeting.start_at <= now:
        raise RuleViolation(
            _("This meeting's time has passed: move it to a new time or cancel it.")
        )
    move_meeting(meeting, MeetingStatus.CONFIRMED)
    meeting.confirmed_at = now
    meeting.sequence += 1
    meeting.updated_at = now


def confirm_meeting(meeting: Meeting, *, actor: Person, now: datetime | None = None) -> None:
    """The member who did not propose the time confirms it."""
    now = now or utcnow()
    require_member(meeting.pair, actor)
    require_active(meeting.pair)
    _lock_meeting(meeting)
    _confirm(meeting, actor, now)
    db.session.flush()
    meeting_changed.send(meeting, change="confirmed", actor=actor)


def confirm_series(series: MeetingSeries, *, actor: Person, now: datetime | None = None) -> int:
    """Confirm every future meeting of a series the other member proposed; returns how many."""
    now = now or utcnow()
    require_member(series.pair, actor)
    require_active(series.pair)
    _lock_pair(series.pair)
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.series_id == series.id,
            Meeting.status == MeetingStatus.PROPOSED.value,
            Meeting.start_at > now,
            Meeting.proposed_by_id != actor.id,
        )
        .order_by(Meeting.start_at)
        .execution_options(populate_existing=True)
    ).all()
    if not meetings:
        raise RuleViolation(_("No meeting of this series is waiting for your confirmation."))
    for meeting in meetings:
        _confirm(meeting, actor, now)
    db.session.flush()
    series_changed.send(series, change="confirmed", actor=actor, meetings=list(meetings))
    return len(meetings)


def reschedule_meeting(
    meeting: Meeting, details: MeetingDetails, *, actor: Person, now: datetime | None = None
) -> bool:
    """Change a planned meeting's time, place or agenda; returns True when the time moved.

    A new time goes back to proposed, for the other member to confirm again.
    """
    now = now or utcnow()
    pair = meeting.pair
    require_member(pair, actor)
    require_active(pair)
    _lock_meeting(meeting)
    if not meeting.is_planned:
        raise RuleViolation(
            _("A %(state)s meeting cannot be changed.", state=meeting.state.label.lower())
        )
    checked = _check_details(details, now)
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
        raise RuleViolation(_("Nothing changed: edit the time, the place or the agenda."))
    if moved:
        move_meeting(meeting, MeetingStatus.PROPOSED)
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
    if moved or place_changed:
        meeting_changed.send(meeting, change="moved", actor=actor, time_changed=moved)
    return moved


def _cancel(meeting: Meeting, reason: str, actor: Person | None, now: datetime) -> None:
    # Declined: the other member turned the proposal down (HR ending the pair did not).
    declined = (
        meeting.status == MeetingStatus.PROPOSED.value
        and actor is not None
        and meeting.proposed_by_id != actor.id
        and meeting.pair.involves(actor.id)
    )
    move_meeting(meeting, MeetingStatus.CANCELLED)
    meeting.cancelled_at = now
    meeting.cancelled_by_id = actor.id if actor else None
    meeting.cancel_reason = reason
    meeting.declined = declined
    meeting.sequence += 1
    meeting.updated_at = now
    db.session.flush()
    meeting_changed.send(meeting, change="cancelled", actor=actor)
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
    require_member(meeting.pair, actor)
    _lock_meeting(meeting)
    if not meeting.is_planned:
        raise RuleViolation(
            _("A %(state)s meeting cannot be cancelled.", state=meeting.state.label.lower())
        )
    reason = one_line(reason)
    if not reason:
        raise RuleViolation(_("Say why, so the other member of the pair knows."), "reason")
    if len(reason) > 500:
        raise RuleViolation(_("The reason is too long (500 characters at most)."), "reason")
    _cancel(meeting, reason, actor, now)


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
    reason = one_line(reason)[:500] or ENDED_PAIR_REASONS[None]
    for meeting in meetings:
        _cancel(meeting, reason, actor, now)  # flushes each, before its signal
    return len(meetings)


def cancel_meetings_of_ended_pair(
    pair: Pair, *, reason: EndReason, actor: Person | None, **_: Any
) -> None:
    """Receiver of `pair_ended`: cancel the pair's future meetings, in the same transaction.

    The cancellation reason is shown to both members and sent in calendar updates, so a
    personal reason (not a fit, no time, left the company) is never part of it: the other
    member is told only that the pair has ended. The program's own endings are named.
    """
    # Stored in English, as data; pages and emails show it in the reader's language
    # (`reason_text`).
    cancel_future_meetings(
        pair, ENDED_PAIR_REASONS.get(reason, ENDED_PAIR_REASONS[None]), actor=actor
    )


# Connected when the meetings package is imported (its __init__ imports this module), so
# every app, the tests' and the CLI's included, cancels an ended pair's meetings.
pair_ended.connect(cancel_meetings_of_ended_pair)
