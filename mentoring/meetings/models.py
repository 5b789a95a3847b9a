"""Meetings of a pair, their series, the logs people write after them, and feed tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import pgettext
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.curriculum.models import Topic
from mentoring.db import UTCDateTime, one_of, utcnow
from mentoring.extensions import db
from mentoring.matching.models import Pair
from mentoring.people.models import Person

MAX_MINUTES = 8 * 60


class MeetingStatus(StrEnum):
    """A meeting's lifecycle: proposed → confirmed → held / no-show / cancelled."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    HELD = "held"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The status as people read it, in the current language."""
        return status_labels()[self]


def status_labels() -> dict[MeetingStatus, str]:
    """Each meeting status as people read it, in the current language."""
    return {
        MeetingStatus.PROPOSED: pgettext("meeting status", "Proposed"),
        MeetingStatus.CONFIRMED: pgettext("meeting status", "Confirmed"),
        MeetingStatus.HELD: pgettext("meeting status", "Held"),
        MeetingStatus.NO_SHOW: pgettext("meeting status", "No-show"),
        MeetingStatus.CANCELLED: pgettext("meeting status", "Cancelled"),
    }


# The only moves a meeting can make. Rescheduling sends a meeting back to proposed (the
# other member confirms again); held and no-show follow the logs, so a log edited
# within its window can swap them; cancelled is final.
MEETING_TRANSITIONS: dict[MeetingStatus, frozenset[MeetingStatus]] = {
    MeetingStatus.PROPOSED: frozenset(
        {MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED}
    ),
    MeetingStatus.CONFIRMED: frozenset(
        {
            MeetingStatus.PROPOSED,
            MeetingStatus.HELD,
            MeetingStatus.NO_SHOW,
            MeetingStatus.CANCELLED,
        }
    ),
    MeetingStatus.HELD: frozenset({MeetingStatus.NO_SHOW}),
    MeetingStatus.NO_SHOW: frozenset({MeetingStatus.HELD}),
    MeetingStatus.CANCELLED: frozenset(),
}

# Still on the agenda: these block the pair's other meetings from overlapping them.
PLANNED_STATUSES = (MeetingStatus.PROPOSED.value, MeetingStatus.CONFIRMED.value)


class LogOutcome(StrEnum):
    """What a participant says happened."""

    HELD = "held"
    NO_SHOW = "no_show"


class MeetingSeries(db.Model):
    """A series planned in one go (every N weeks, M times); each meeting then lives alone."""

    __tablename__ = "meeting_series"
    __table_args__ = (
        CheckConstraint("every_weeks BETWEEN 1 AND 12", name="every_weeks_range"),
        CheckConstraint("occurrences BETWEEN 2 AND 26", name="occurrences_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pair.id", ondelete="CASCADE"), index=True)
    every_weeks: Mapped[int]
    occurrences: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pair: Mapped[Pair] = relationship()


class Meeting(db.Model):
    """A scheduled session of a pair, stored in UTC, with a stable calendar UID.

    `sequence` grows with every change of time, place or status, so calendar clients
    replace their copy; `updated_at` is the DTSTAMP, which keeps calendar output
    deterministic. No two planned meetings of a pair overlap: the services check it
    under a lock on the pair row (a portable exclusion constraint does not exist).
    """

    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint(f"duration_minutes BETWEEN 1 AND {MAX_MINUTES}", name="duration_range"),
        CheckConstraint("end_at > start_at", name="ends_after_start"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        CheckConstraint(one_of("status", MeetingStatus), name="status_known"),
        CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)",
            name="cancelled_at_iff_cancelled",
        ),
        Index("ix_meeting_pair_id_start_at", "pair_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pair.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True
    )
    series_position: Mapped[int | None]
    uid: Mapped[str] = mapped_column(String(120), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int]
    location: Mapped[str] = mapped_column(String(200), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    agenda_private: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.PROPOSED.value)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    declined: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pair: Mapped[Pair] = relationship()
    series: Mapped[MeetingSeries | None] = relationship()
    proposed_by: Mapped[Person | None] = relationship(foreign_keys=[proposed_by_id])
    cancelled_by: Mapped[Person | None] = relationship(foreign_keys=[cancelled_by_id])
    logs: Mapped[list[MeetingLog]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingLog.created_at"
    )

    def __repr__(self) -> str:
        return (
            f"<Meeting {self.id} pair={self.pair_id} {self.status} {self.start_at:%Y-%m-%d %H:%M}>"
        )

    @property
    def state(self) -> MeetingStatus:
        """The status as an enum member."""
        return MeetingStatus(self.status)

    @property
    def is_planned(self) -> bool:
        """Whether the meeting is still proposed or confirmed."""
        return self.status in PLANNED_STATUSES

    def log_by(self, person_id: int) -> MeetingLog | None:
        """The log a person wrote about this meeting, if any."""
        return next((log for log in self.logs if log.author_id == person_id), None)


meeting_log_topic = Table(
    "meeting_log_topic",
    db.metadata,
    Column("log_id", ForeignKey("meeting_log.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="RESTRICT"), primary_key=True),
)


class MeetingLog(db.Model):
    """What one participant records after a meeting.

    Private notes are for the two people of the pair only; feedback is for HR, who see
    it by name only when the author marks it shareable.
    """

    __tablename__ = "meeting_log"
    __table_args__ = (
        UniqueConstraint("meeting_id", "author_id"),
        CheckConstraint(one_of("outcome", LogOutcome), name="outcome_known"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint(
            f"actual_minutes IS NULL OR actual_minutes BETWEEN 1 AND {MAX_MINUTES}",
            name="actual_minutes_range",
        ),
        CheckConstraint(
            "outcome <> 'held' OR (actual_minutes IS NOT NULL AND rating IS NOT NULL)",
            name="held_has_duration_and_rating",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    actual_minutes: Mapped[int | None]
    private_notes: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None]
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_shareable: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="logs")
    author: Mapped[Person] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=meeting_log_topic, order_by=Topic.position)

    def __repr__(self) -> str:
        return (
            f"<MeetingLog {self.id} meeting={self.meeting_id} by={self.author_id} {self.outcome}>"
        )


class FeedToken(db.Model):
    """The secret behind a person's calendar feed URL, kept only as a SHA-256 hash.

    The secret in the URL is an HMAC of `nonce` under the app's secret key, so the
    person can see their link again (to subscribe a second device) while the database
    alone holds nothing that opens a feed. Resetting draws a new nonce: the old URL's
    hash no longer exists and the old URL answers 404.
    """

    __tablename__ = "feed_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()
