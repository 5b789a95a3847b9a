"""Personal calendar feeds: the secret URL (kept only as a hash) and the events it shows.

The rendering itself is pure and lives in `mentoring.meetings.ical`. A feed's words
(its name, each meeting's title) are in its owner's language: the caller renders it
under `force_locale(person_locale(owner))`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Row, Select, bindparam, or_, select
from sqlalchemy.orm import aliased

from mentoring.audit.services import record_event
from mentoring.cohorts.models import Enrollment
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.i18n import current_language
from mentoring.matching.models import Pair
from mentoring.meetings import ical
from mentoring.meetings.common import meeting_title, summary_of
from mentoring.meetings.models import FeedToken, Meeting
from mentoring.people.models import Person
from mentoring.people.signals import person_deactivated

FEED_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")

_FEED_LABEL = b"mentoring.calendar-feed"


def calendar_event(meeting: Meeting, *, page_url: str = "") -> ical.CalendarEvent:
    """What a calendar may show of a meeting (the renderer drops a private agenda)."""
    return _event(meeting, summary=summary_of(meeting.pair), page_url=page_url)


def _event(meeting: Meeting | Row[Any], *, summary: str, page_url: str) -> ical.CalendarEvent:
    # A Meeting, or a feed row that names its columns as the Meeting's attributes.
    return ical.CalendarEvent(
        uid=meeting.uid,
        sequence=meeting.sequence,
        start=meeting.start_at,
        end=meeting.end_at,
        status=meeting.status,
        summary=summary,
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


def revoke_feed(person: Person, *, actor: Person | None) -> bool:
    """Delete a person's feed secret (its URL answers 404); True if there was one."""
    token = feed_token_of(person)
    if token is None:
        return False
    record_event("calendar.feed_revoked", actor=actor, subject=token, person_id=person.id)
    db.session.delete(token)
    db.session.flush()
    return True


@person_deactivated.connect
def revoke_feed_of_deactivated_person(person: Person, *, actor: Person, **_: object) -> None:
    """Deactivation ends the feed as it ends the sessions: reactivating does not revive it."""
    revoke_feed(person, actor=actor)


class FeedOwner(NamedTuple):
    """Who a feed belongs to: just what the feed needs (no ORM object, no role loading)."""

    id: int
    name: str
    locale: str | None = None


def person_for_feed(secret: str) -> FeedOwner | None:
    """The active person whose feed URL holds this secret, or None (unknown or reset)."""
    if not FEED_SECRET_RE.match(secret or ""):
        return None
    row = db.session.execute(
        select(Person.id, Person.name, Person.locale)
        .join(FeedToken, FeedToken.person_id == Person.id)
        .where(FeedToken.token_hash == hash_feed_secret(secret), Person.is_active.is_(True))
    ).first()
    return FeedOwner(row.id, row.name, row.locale) if row else None


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
        summary = meeting_title(row.mentor_name, row.mentee_name)
        events.append(_event(row, summary=summary, page_url=urls[row.pair_id]))
    return events


def feed_name(person: Person | FeedOwner) -> str:
    """The calendar name a subscribed client shows, in the current language."""
    return _("Reverse mentoring · %(name)s", name=person.name)


def feed_etag(person: Person | FeedOwner, events: list[ical.CalendarEvent]) -> str:
    """A strong ETag for a feed: a hash of everything the rendering depends on (the
    language included: it changes the words around the data)."""
    material = repr((ical.FORMAT_VERSION, current_language(), feed_name(person), events)).encode()
    return hashlib.sha256(material).hexdigest()[:40]
