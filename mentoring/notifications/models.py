"""The outbox (one row per email) and each person's email preferences."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON

from mentoring.db import UTCDateTime, one_of, utcnow
from mentoring.extensions import db
from mentoring.people.models import Person


class NotificationState(StrEnum):
    """Where an email is: waiting, delivered, refused for good, or no longer relevant."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class Notification(db.Model):
    """One email in the outbox, written in the same transaction as the change behind it.

    `dedupe_key` is unique: a trigger that fires twice (a double click, two cron runs)
    finds its row already there and queues nothing more. The body is rendered when the
    email is sent, from `payload`, so no credential (an invitation or reset link) is
    ever stored in the database.
    """

    __tablename__ = "notification"
    __table_args__ = (
        CheckConstraint(one_of("state", NotificationState), name="state_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_notification_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_notification_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[int | None]
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default=NotificationState.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient: Mapped[Person | None] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} to={self.to_address} {self.state}>"


class EmailPreference(db.Model):
    """What optional email a person accepts; no row means everything is on."""

    __tablename__ = "email_preference"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    reminders: Mapped[bool] = mapped_column(default=True)
    nudges: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
