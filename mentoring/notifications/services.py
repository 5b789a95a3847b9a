"""Queue emails in the caller's transaction, once per trigger, and people's preferences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.notifications.models import EmailPreference, Notification, NotificationState
from mentoring.people.models import Person

# Kinds a person may turn off on their profile, by preference; the others (invitations,
# meeting changes, password resets, being matched) always go out.
REMINDER_KINDS = frozenset({"meeting_reminder", "log_reminder"})
NUDGE_KINDS = frozenset({"nudge"})
OPTIONAL_KINDS = REMINDER_KINDS | NUDGE_KINDS


def preference_of(person: Person) -> EmailPreference:
    """A person's email preferences (a transient default when they never changed them)."""
    preference = db.session.get(EmailPreference, person.id)
    return preference or EmailPreference(person_id=person.id, reminders=True, nudges=True)


def set_preferences(person: Person, *, reminders: bool, nudges: bool) -> bool:
    """Store whether a person wants reminders and nudges; True when something changed."""
    preference = db.session.get(EmailPreference, person.id)
    if preference is None:
        preference = EmailPreference(person_id=person.id, reminders=True, nudges=True)
        db.session.add(preference)
    changed = (preference.reminders, preference.nudges) != (reminders, nudges)
    preference.reminders = reminders
    preference.nudges = nudges
    preference.updated_at = utcnow()
    db.session.flush()
    return changed


def accepts(person: Person, kind: str) -> bool:
    """Whether a person accepts this kind of email (optional kinds follow their settings)."""
    if not person.is_active:
        return False
    if kind not in OPTIONAL_KINDS:
        return True
    preference = preference_of(person)
    return preference.reminders if kind in REMINDER_KINDS else preference.nudges


def queue_email(
    kind: str,
    recipient: Person,
    *,
    dedupe_key: str,
    subject: Any = None,
    payload: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Notification | None:
    """Add an email to the outbox in the caller's transaction.

    Returns None, queuing nothing, when the dedupe key was used already (the trigger
    fired before) or when the person turned this kind of email off.
    """
    if not accepts(recipient, kind):
        return None
    if db.session.scalar(select(Notification.id).where(Notification.dedupe_key == dedupe_key)):
        return None
    notification = Notification(
        kind=kind,
        recipient=recipient,
        to_address=recipient.email,
        subject_type=type(subject).__tablename__ if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        dedupe_key=dedupe_key[:200],
        payload=payload or {},
        state=NotificationState.QUEUED.value,
        created_at=now or utcnow(),
        next_attempt_at=now or utcnow(),
    )
    if db.session.get_bind().dialect.name == "postgresql":
        # Two transactions racing on one trigger: the loser keeps its own work.
        try:
            with db.session.begin_nested():
                db.session.add(notification)
        except IntegrityError:
            return None
    else:
        db.session.add(notification)
        db.session.flush()
    _remember_for_immediate_sending(notification)
    return notification


def _remember_for_immediate_sending(notification: Notification) -> None:
    if has_app_context() and current_app.config.get("MAIL_SEND_IMMEDIATELY"):
        db.session.info.setdefault("queued_notifications", []).append(notification.id)


def notifications_about(subject_type: str, subject_ids: Iterable[int]) -> list[Notification]:
    """Every email about these objects, oldest first."""
    ids = list(subject_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.subject_type == subject_type, Notification.subject_id.in_(ids))
            .order_by(Notification.created_at, Notification.id)
        )
    )


def bounced_notifications(person: Person | None = None, *, limit: int = 50) -> list[Notification]:
    """Emails refused for good (a wrong or closed address), newest first."""
    statement = select(Notification).where(Notification.state == NotificationState.FAILED.value)
    if person is not None:
        statement = statement.where(Notification.recipient_id == person.id)
    return list(db.session.scalars(statement.order_by(Notification.failed_at.desc()).limit(limit)))


@dataclass(frozen=True)
class Delivery:
    """What became of the emails about one object (an invitation): for HR's lists."""

    queued: bool = False
    sent_at: datetime | None = None
    reminded_at: datetime | None = None
    bounced: str = ""


def invitation_deliveries(invitation_ids: Iterable[int]) -> dict[int, Delivery]:
    """Per invitation: queued, sent, reminded, or bounced (with the server's answer)."""
    found: dict[int, Delivery] = {}
    for notification in notifications_about("invitation", invitation_ids):
        current = found.get(notification.subject_id, Delivery())
        state = notification.state
        if state == NotificationState.FAILED.value:
            current = replace(current, bounced=notification.last_error or "refused")
        elif state == NotificationState.QUEUED.value:
            current = replace(current, queued=True)
        elif state == NotificationState.SENT.value:
            if notification.kind == "invitation_reminder":
                current = replace(current, reminded_at=notification.sent_at)
            else:
                current = replace(current, sent_at=notification.sent_at)
        found[notification.subject_id] = current
    return found
