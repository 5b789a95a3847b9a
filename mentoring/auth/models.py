"""Invitations: a single-use, expiring link that lets a person set a password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, String, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.db import UTCDateTime, utcnow
from mentoring.extensions import db
from mentoring.people.models import Person


class Invitation(db.Model):
    """An invitation link emailed to a person (or, before they hold anything private,
    copied by HR).

    The link carries the invitation id and a nonce signed with the app's secret key,
    so a database dump alone cannot forge one. Renewing revokes the previous invitation.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When it was last handed to the outbox; None while it was only ever copied by hand.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id])

    @classmethod
    def open_(cls) -> ColumnElement[bool]:
        """SQL for a link neither accepted nor revoked (it may have expired)."""
        return and_(cls.accepted_at.is_(None), cls.revoked_at.is_(None))

    @classmethod
    def usable_at(cls, now: datetime) -> ColumnElement[bool]:
        """SQL for a link that can still be used at `now`: open and not expired."""
        return and_(cls.open_(), cls.expires_at > now)

    def is_usable(self, now: datetime) -> bool:
        """Whether the link can still be used: not accepted, revoked or expired."""
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at
