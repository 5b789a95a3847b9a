"""Meeting emails: invitations (proposed, confirmed, moved, cancelled) with their
iCalendar part, reminders the day before, "log your meeting" the day after, and nudges
to overdue pairs."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from sqlalchemy import select

from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.matching.models import Pair, PairStatus
from mentoring.meetings.common import reason_text, summary_of, when_in_zone
from mentoring.meetings.feeds import calendar_event
from mentoring.meetings.ical import CalendarEvent
from mentoring.meetings.models import Meeting, MeetingLog, MeetingSeries, MeetingStatus
from mentoring.meetings.timezones import utc_to_local
from mentoring.notifications.content import EmailContent, Skip, builder, external_url, render
from mentoring.notifications.itip import Party, render_invitation
from mentoring.notifications.models import Notification
from mentoring.notifications.services import queue_email
from mentoring.people.models import Person

# What can happen to a meeting, and to a whole series, that its members hear about.
CHANGES = ("proposed", "confirmed", "moved", "cancelled")
SERIES_CHANGES = ("proposed", "confirmed")
# How long after a meeting "log your meeting" still makes sense (cron may have paused).
LOG_REMINDER_WINDOW = timedelta(days=7)


def app_organizer() -> Party:
    """The organizer of every invitation: the app itself (MAIL_DEFAULT_SENDER), so that
    every change, whoever makes it, comes from the same organizer and updates both
    members' calendars; the two members are its attendees."""
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return Party(name or address, address)


def _members(pair: Pair) -> tuple[Person, Person]:
    return pair.mentor.person, pair.mentee.person


def _other(pair: Pair, person: Person) -> Person:
    mentor, mentee = _members(pair)
    return mentee if mentor.id == person.id else mentor


def _snapshot(meeting: Meeting) -> dict[str, Any]:
    """What the invitation shows, frozen at the change (a private agenda is never kept)."""
    event = asdict(calendar_event(meeting))
    if event["agenda_private"]:
        event["agenda"] = ""
    for key in ("start", "end", "created", "last_modified"):
        if event[key] is not None:
            event[key] = event[key].isoformat()
    event["meeting_id"] = meeting.id
    return event


def _event_of(snapshot: dict[str, Any], page_url: str, summary: str) -> CalendarEvent:
    values = {key: value for key, value in snapshot.items() if key != "meeting_id"}
    for key in ("start", "end", "created", "last_modified"):
        if values[key] is not None:
            values[key] = datetime.fromisoformat(values[key])
    values["page_url"] = page_url
    # The title is worded now, in the recipient's language, not the actor's.
    values["summary"] = summary
    return CalendarEvent(**values)


def _who(actor: Person | None, pair: Pair) -> str:
    """Who made the change, as a member reads it at the start of a sentence: the other
    member by name, HR by name and role, or the app."""
    if actor is None:
        # TRANSLATORS: who changed a meeting when nobody did (an ended pair's meetings).
        return pgettext("who acted", "The app")
    if pair.involves(actor.id):
        return actor.name
    # TRANSLATORS: an HR person who changed a pair's meeting, e.g. "Élodie Roux (HR)".
    return _("%(name)s (HR)", name=actor.name)


def _subject(change: str, series: bool, who: str, when: str, count: int) -> str:
    """The subject line of a meeting invitation, in the current language."""
    if series and change == "proposed":
        return ngettext(
            "%(other)s proposes a series of %(num)d meeting from %(when)s",
            "%(other)s proposes a series of %(num)d meetings from %(when)s",
            count,
            other=who,
            when=when,
        )
    if series:
        return ngettext(
            "%(other)s confirmed %(num)d meeting from %(when)s",
            "%(other)s confirmed %(num)d meetings from %(when)s",
            count,
            other=who,
            when=when,
        )
    if change == "proposed":
        return _("%(other)s proposes a meeting on %(when)s", other=who, when=when)
    if change == "confirmed":
        return _("%(other)s confirmed your meeting on %(when)s", other=who, when=when)
    if change == "moved":
        return _("%(other)s moved your meeting to %(when)s", other=who, when=when)
    if change == "place":
        return _("%(other)s changed the place of your meeting on %(when)s", other=who, when=when)
    if change == "declined":
        return _("%(other)s declined the meeting you proposed on %(when)s", other=who, when=when)
    return _("%(other)s cancelled your meeting on %(when)s", other=who, when=when)


def _own_subject(change: str, series: bool, other: str, when: str, count: int) -> str:
    """The subject of the copy the member who acted gets (it updates their calendar)."""
    if series and change == "proposed":
        return ngettext(
            "You proposed a series of %(num)d meeting to %(other)s from %(when)s",
            "You proposed a series of %(num)d meetings to %(other)s from %(when)s",
            count,
            other=other,
            when=when,
        )
    if series:
        return ngettext(
            "You confirmed %(num)d meeting with %(other)s from %(when)s",
            "You confirmed %(num)d meetings with %(other)s from %(when)s",
            count,
            other=other,
            when=when,
        )
    if change == "proposed":
        return _("You proposed a meeting to %(other)s on %(when)s", other=other, when=when)
    if change == "confirmed":
        return _("You confirmed your meeting with %(other)s on %(when)s", other=other, when=when)
    if change == "moved":
        return _("You moved your meeting with %(other)s to %(when)s", other=other, when=when)
    if change == "place":
        return _(
            "You changed the place of your meeting with %(other)s on %(when)s",
            other=other,
            when=when,
        )
    if change == "declined":
        return _("You declined the meeting %(other)s proposed on %(when)s", other=other, when=when)
    return _("You cancelled your meeting with %(other)s on %(when)s", other=other, when=when)


def _lead(change: str, series: bool, who: str, count: int, needs_confirmation: bool) -> str:
    """The email's first sentence, for the member who did not act."""
    if series and change == "proposed":
        return ngettext(
            "%(name)s proposes a series of %(num)d meeting. Confirm or decline it on your "
            "pair's page.",
            "%(name)s proposes a series of %(num)d meetings. Confirm or decline them on your "
            "pair's page.",
            count,
            name=who,
        )
    if series:
        return ngettext(
            "%(name)s confirmed %(num)d meeting of your series.",
            "%(name)s confirmed %(num)d meetings of your series.",
            count,
            name=who,
        )
    if change == "proposed":
        return _(
            "%(name)s proposes a meeting. Confirm it or suggest another time on your pair's page.",
            name=who,
        )
    if change == "confirmed":
        return _("%(name)s confirmed your meeting.", name=who)
    if change == "moved":
        moved = _("%(name)s changed the time or place of your meeting.", name=who)
        if needs_confirmation:
            return moved + " " + _("Confirm the new time on your pair's page.")
        return moved
    if change == "place":
        return _("%(name)s changed the place of your meeting.", name=who)
    if change == "declined":
        return _("%(name)s declined the meeting you proposed.", name=who)
    return _("%(name)s cancelled your meeting.", name=who)


def _own_lead(change: str, series: bool, other: str, count: int) -> str:
    """The first sentence of the copy the member who acted gets."""
    if series and change == "proposed":
        return ngettext(
            "You proposed a series of %(num)d meeting to %(name)s, who confirms or declines "
            "it on your pair's page.",
            "You proposed a series of %(num)d meetings to %(name)s, who confirms or declines "
            "them on your pair's page.",
            count,
            name=other,
        )
    if series:
        return ngettext(
            "You confirmed %(num)d meeting of your series with %(name)s.",
            "You confirmed %(num)d meetings of your series with %(name)s.",
            count,
            name=other,
        )
    if change == "proposed":
        return _(
            "You proposed this meeting to %(name)s, who confirms it or suggests another time "
            "on your pair's page.",
            name=other,
        )
    if change == "confirmed":
        return _("You confirmed your meeting with %(name)s.", name=other)
    if change == "moved":
        return _("You changed the time or place of your meeting with %(name)s.", name=other)
    if change == "place":
        return _("You changed the place of your meeting with %(name)s.", name=other)
    if change == "declined":
        return _("You declined the meeting %(name)s proposed.", name=other)
    return _("You cancelled your meeting with %(name)s.", name=other)


def _recipients(pair: Pair, actor: Person | None) -> list[Person]:
    """Both members, whoever acted: each calendar holds the meeting as an invitation from
    the app, and every change must reach both copies (the actor's too)."""
    return list(_members(pair))


def _queue_invitation(
    kind: str, pair: Pair, meetings: list[Meeting], actor: Person | None, key: str, **extra: Any
) -> None:
    first = meetings[0]
    payload = {
        "pair_id": pair.id,
        "proposer_id": first.proposed_by_id or pair.mentor.person_id,
        "actor_id": actor.id if actor else None,
        "events": [_snapshot(meeting) for meeting in meetings],
        "confirmed": [meeting.confirmed_at is not None for meeting in meetings],
        **extra,
    }
    for recipient in _recipients(pair, actor):
        queue_email(
            kind,
            recipient,
            dedupe_key=f"{key}:{recipient.id}",
            subject=first if len(meetings) == 1 else first.series,
            payload=payload,
        )


def on_meeting_changed(
    meeting: Meeting,
    *,
    change: str,
    actor: Person | None,
    time_changed: bool = True,
    **_: Any,
) -> None:
    """Queue the invitation (or cancellation) for both members of the pair."""
    extra: dict[str, Any] = {}
    if change == "cancelled":
        extra = {"reason": meeting.cancel_reason, "declined": meeting.declined}
    elif change == "moved":
        extra = {"time_changed": time_changed}
    _queue_invitation(
        f"meeting_{change}",
        meeting.pair,
        [meeting],
        actor,
        f"meeting:{meeting.id}:{meeting.sequence}:{change}",
        **extra,
    )


def on_series_changed(
    series: MeetingSeries,
    *,
    change: str,
    actor: Person | None,
    meetings: list[Meeting] | None = None,
    **_: Any,
) -> None:
    """Queue one invitation for a whole series: one VEVENT per meeting."""
    if meetings is None:
        meetings = list(
            db.session.scalars(
                select(Meeting).where(Meeting.series_id == series.id).order_by(Meeting.start_at)
            )
        )
    if not meetings:
        return
    version = sum(meeting.sequence for meeting in meetings)
    _queue_invitation(
        f"series_{change}",
        series.pair,
        meetings,
        actor,
        f"series:{series.id}:{version}:{change}",
    )


def connect_meeting_receivers() -> None:
    """Connect the meeting receivers (idempotent)."""
    from mentoring.meetings.signals import meeting_changed, series_changed

    meeting_changed.connect(on_meeting_changed)
    series_changed.connect(on_series_changed)


def _invitation_email(notification: Notification, person: Person, *, series: bool):
    payload = notification.payload
    pair = db.session.get(Pair, payload["pair_id"])
    if pair is None:
        return Skip("The pair no longer exists.")
    change = notification.kind.split("_", 1)[1]
    other = _other(pair, person)
    actor = db.session.get(Person, payload["actor_id"]) if payload.get("actor_id") else None
    # The member who proposed the meeting has agreed to it; the other one once confirmed.
    proposer_id = payload.get("proposer_id", payload.get("organizer_id"))
    page_url = external_url("meetings.pair_page", pair_id=pair.id)
    summary = summary_of(pair)
    events = [_event_of(snapshot, page_url, summary) for snapshot in payload["events"]]
    method = "CANCEL" if change == "cancelled" else "REQUEST"
    confirmed = all(payload.get("confirmed") or [False])
    calendar = render_invitation(
        events,
        method=method,
        organizer=app_organizer(),
        attendees=[
            Party(
                member.name,
                member.email,
                "ACCEPTED" if confirmed or member.id == proposer_id else "NEEDS-ACTION",
            )
            for member in _members(pair)
        ],
        _=_,
    )
    zone = person.timezone
    when = when_in_zone(events[0].start, zone)
    needs_confirmation = any(event.status == "proposed" for event in events)
    # How to word it: a move of the place only, or a proposal declined, says so.
    wording = change
    if change == "moved" and not payload.get("time_changed", True):
        wording = "place"
    elif change == "cancelled" and payload.get("declined"):
        wording = "declined"
    if actor is not None and actor.id == person.id:
        subject = _own_subject(wording, series, other.name, when, len(events))
        lead = _own_lead(wording, series, other.name, len(events))
    else:
        who = _who(actor, pair)
        subject = _subject(wording, series, who, when, len(events))
        lead = _lead(wording, series, who, len(events), needs_confirmation)
    return render(
        "meeting",
        subject,
        person,
        change=change,
        series=series,
        other=other,
        lead=lead,
        events=[
            {
                "when": when_in_zone(event.start, zone),
                "ends": when_in_zone(event.end, zone, "%H:%M"),
                "location": event.location,
                "video_url": event.video_url,
                "agenda": event.agenda if not event.agenda_private else "",
            }
            for event in events
        ],
        reason=reason_text(payload.get("reason") or ""),
        zone=zone,
        page_url=page_url,
        calendar=calendar,
        calendar_method=method,
    )


for _change in CHANGES:
    builder(f"meeting_{_change}")(
        lambda notification, person: _invitation_email(notification, person, series=False)
    )
for _change in SERIES_CHANGES:
    builder(f"series_{_change}")(
        lambda notification, person: _invitation_email(notification, person, series=True)
    )


def _current_meeting(notification: Notification) -> Meeting | None:
    meeting = db.session.get(Meeting, notification.payload.get("meeting_id"))
    if meeting is None or meeting.pair.status != PairStatus.ACTIVE.value:
        return None
    return meeting


@builder("meeting_reminder")
def meeting_reminder_email(notification: Notification, person: Person) -> EmailContent | Skip:
    """Your meeting is tomorrow: the time in your zone, the place or video link."""
    meeting = _current_meeting(notification)
    if meeting is None or meeting.status != MeetingStatus.CONFIRMED.value:
        return Skip("The meeting is no longer confirmed.")
    if meeting.start_at.isoformat() != notification.payload.get("start"):
        return Skip("The meeting has moved since.")
    if meeting.start_at <= utcnow():
        return Skip("The meeting has started.")
    other = _other(meeting.pair, person)
    when = when_in_zone(meeting.start_at, person.timezone)
    # Queued the day before; a sender that ran late must not call today "tomorrow".
    today = utc_to_local(utcnow(), person.timezone).date()
    is_today = utc_to_local(meeting.start_at, person.timezone).date() == today
    if is_today:
        subject = _("Today: your meeting with %(name)s", name=other.name)
    else:
        subject = _("Tomorrow: your meeting with %(name)s", name=other.name)
    return render(
        "meeting_reminder",
        subject,
        person,
        category="reminders",
        other=other,
        when=when,
        is_today=is_today,
        location=meeting.location,
        video_url=meeting.video_url,
        agenda="" if meeting.agenda_private else meeting.agenda,
        page_url=external_url("meetings.pair_page", pair_id=meeting.pair_id),
    )


@builder("log_reminder")
def log_reminder_email(notification: Notification, person: Person) -> EmailContent | Skip:
    """Log your meeting: the day after a meeting this person has not logged."""
    meeting = _current_meeting(notification)
    if meeting is None or meeting.status == MeetingStatus.CANCELLED.value:
        return Skip("The meeting was cancelled.")
    if meeting.log_by(person.id) is not None:
        return Skip("The meeting is logged already.")
    other = _other(meeting.pair, person)
    return render(
        "log_reminder",
        _("How did your meeting with %(name)s go?", name=other.name),
        person,
        category="reminders",
        other=other,
        when=when_in_zone(meeting.start_at, person.timezone),
        log_url=external_url("meetings.log", meeting_id=meeting.id),
    )


@builder("nudge")
def nudge_email(notification: Notification, person: Person) -> EmailContent | Skip:
    """Time to meet: the pair has not met within its cohort's cadence."""
    pair = db.session.get(Pair, notification.payload.get("pair_id"))
    if pair is None or pair.status != PairStatus.ACTIVE.value:
        return Skip("The pair has ended.")
    by_hr = bool(notification.payload.get("by_hr"))
    if not by_hr and _next_planned_meeting(pair) is not None:
        return Skip("A meeting has been planned since.")
    other = _other(pair, person)
    return render(
        "nudge",
        _("Time to plan your next meeting with %(name)s", name=other.name),
        person,
        category="nudges",
        other=other,
        cadence_days=pair.cohort.cadence_days,
        by_hr=by_hr,
        page_url=external_url("meetings.pair_page", pair_id=pair.id),
        propose_url=external_url("meetings.propose", pair_id=pair.id),
    )


def _next_planned_meeting(pair: Pair) -> datetime | None:
    """When the pair's next planned meeting starts, as its cadence sees it (the same
    reading `queue_nudges` skipped planned pairs on), or None."""
    from mentoring.meetings.overview import pair_meeting_summaries

    summary = pair_meeting_summaries([pair.id], now=utcnow()).get(pair.id)
    return summary.cadence.next_meeting if summary else None


# What has become due --------------------------------------------------------------


def queue_meeting_reminders(now: datetime) -> int:
    """Queue "tomorrow" reminders for confirmed meetings starting on the recipient's
    next local day; returns how many were queued."""
    queued = 0
    meetings = db.session.scalars(
        select(Meeting).where(
            Meeting.status == MeetingStatus.CONFIRMED.value,
            Meeting.start_at > now,
            Meeting.start_at <= now + timedelta(hours=50),  # tomorrow, in any zone
        )
    ).all()
    for meeting in meetings:
        if meeting.pair.status != PairStatus.ACTIVE.value:
            continue
        for person in _members(meeting.pair):
            today = utc_to_local(now, person.timezone).date()
            if utc_to_local(meeting.start_at, person.timezone).date() != today + timedelta(1):
                continue
            if queue_email(
                "meeting_reminder",
                person,
                dedupe_key=f"meeting_reminder:{meeting.id}:{person.id}:{meeting.start_at:%Y%m%d%H%M}",
                subject=meeting,
                payload={"meeting_id": meeting.id, "start": meeting.start_at.isoformat()},
                now=now,
            ):
                queued += 1
    return queued


def queue_log_reminders(now: datetime) -> int:
    """Queue "log your meeting" from the recipient's day after a meeting they did not log."""
    queued = 0
    meetings = db.session.scalars(
        select(Meeting).where(
            Meeting.status.in_((MeetingStatus.CONFIRMED.value, MeetingStatus.HELD.value)),
            Meeting.end_at < now,
            Meeting.end_at >= now - LOG_REMINDER_WINDOW,
        )
    ).all()
    # Who logged which of these meetings, in one query rather than one per meeting.
    logged: set[tuple[int, int]] = set()
    if meetings:
        logged = {
            (meeting_id, author_id)
            for meeting_id, author_id in db.session.execute(
                select(MeetingLog.meeting_id, MeetingLog.author_id).where(
                    MeetingLog.meeting_id.in_([meeting.id for meeting in meetings])
                )
            )
        }
    for meeting in meetings:
        if meeting.pair.status != PairStatus.ACTIVE.value:
            continue
        for person in _members(meeting.pair):
            if (meeting.id, person.id) in logged:
                continue
            today = utc_to_local(now, person.timezone).date()
            if utc_to_local(meeting.start_at, person.timezone).date() >= today:
                continue  # not the day after yet, in their zone
            if queue_email(
                "log_reminder",
                person,
                dedupe_key=f"log_reminder:{meeting.id}:{person.id}",
                subject=meeting,
                payload={"meeting_id": meeting.id},
                now=now,
            ):
                queued += 1
    return queued


def queue_nudges(now: datetime) -> int:
    """Nudge both members of each overdue pair, once per overdue period."""
    from mentoring.meetings.overview import overdue_pairs

    queued = 0
    for pair_id, cadence in overdue_pairs(now=now):
        if cadence.next_meeting is not None:
            continue  # late, but a meeting is planned: "time to plan one" would be untrue
        pair = db.session.get(Pair, pair_id)
        for person in _members(pair):
            if queue_email(
                "nudge",
                person,
                dedupe_key=f"nudge:{pair.id}:{person.id}:{cadence.next_due.isoformat()}",
                subject=pair,
                payload={"pair_id": pair.id, "due": cadence.next_due.isoformat()},
                now=now,
            ):
                queued += 1
    return queued


def remind_pair(pair: Pair, *, actor: Person, now: datetime | None = None) -> int:
    """HR's "remind this pair": nudge both members now (once per pair per day)."""
    from mentoring.audit.services import record_event

    now = now or utcnow()
    queued = 0
    for person in _members(pair):
        if queue_email(
            "nudge",
            person,
            dedupe_key=f"nudge:{pair.id}:{person.id}:hr:{now.date().isoformat()}",
            subject=pair,
            payload={"pair_id": pair.id, "by_hr": True},
            now=now,
        ):
            queued += 1
    record_event("pair.reminded", actor=actor, subject=pair, emails=queued)
    return queued
