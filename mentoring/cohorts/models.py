"""Cohorts (one run of a program) and the people enrolled in them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON

from mentoring.curriculum.models import Topic
from mentoring.db import UTCDateTime, one_of, utcnow
from mentoring.extensions import db
from mentoring.people.models import Person


class CohortStatus(StrEnum):
    """A cohort's lifecycle: draft → matching → active → closed, or cancelled instead."""

    DRAFT = "draft"
    MATCHING = "matching"
    ACTIVE = "active"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The status as people read it, in their language."""
        return cohort_status_labels()[self]


def cohort_status_labels() -> dict[CohortStatus, str]:
    """Each cohort status as people read it, in the current language (a context keeps
    them apart from the same English words elsewhere: a cohort is feminine in French)."""
    return {
        CohortStatus.DRAFT: pgettext("cohort status", "Draft"),
        CohortStatus.MATCHING: pgettext("cohort status", "Matching"),
        CohortStatus.ACTIVE: pgettext("cohort status", "Active"),
        CohortStatus.CLOSED: pgettext("cohort status", "Closed"),
        CohortStatus.CANCELLED: pgettext("cohort status", "Cancelled"),
    }


# The lifecycle's allowed moves; anything else is refused.
COHORT_TRANSITIONS: dict[CohortStatus, frozenset[CohortStatus]] = {
    CohortStatus.DRAFT: frozenset({CohortStatus.MATCHING, CohortStatus.CANCELLED}),
    CohortStatus.MATCHING: frozenset(
        {CohortStatus.DRAFT, CohortStatus.ACTIVE, CohortStatus.CANCELLED}
    ),
    CohortStatus.ACTIVE: frozenset({CohortStatus.CLOSED, CohortStatus.CANCELLED}),
    CohortStatus.CLOSED: frozenset(),
    CohortStatus.CANCELLED: frozenset(),
}


class MeetingFormat(StrEnum):
    """Where a cohort's pairs meet; in person makes a shared site matter."""

    VIDEO = "video"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"


class Side(StrEnum):
    """Which side of the program an enrollment is on."""

    MENTOR = "mentor"
    MENTEE = "mentee"

    @property
    def label(self) -> str:
        """The side as people read it ("mentor", "mentee"), in their language."""
        return str(SIDE_LABELS[self])


SIDE_LABELS = {Side.MENTOR: _l("mentor"), Side.MENTEE: _l("mentee")}


class EnrollmentStatus(StrEnum):
    """Whether an enrollment still takes part."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


cohort_topic = Table(
    "cohort_topic",
    db.metadata,
    Column("cohort_id", ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="RESTRICT"), primary_key=True),
)


class Cohort(db.Model):
    """A named run of the program with dates, cadence, targets and topics in scope."""

    __tablename__ = "cohort"
    __table_args__ = (
        CheckConstraint("end_date > start_date", name="ends_after_start"),
        CheckConstraint("cadence_days > 0", name="cadence_positive"),
        CheckConstraint("target_meetings > 0", name="target_meetings_positive"),
        CheckConstraint("min_seniority_gap >= 0", name="seniority_gap_not_negative"),
        CheckConstraint(one_of("status", CohortStatus), name="status_known"),
        CheckConstraint(one_of("meeting_format", MeetingFormat), name="meeting_format_known"),
        CheckConstraint("min_score BETWEEN 0 AND 100", name="min_score_range"),
        CheckConstraint("at_risk_grace_days >= 0", name="grace_days_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # HR's description in French, shown to French readers when written.
    description_fr: Mapped[str] = mapped_column(Text, default="", server_default="")
    start_date: Mapped[date]
    end_date: Mapped[date]
    cadence_days: Mapped[int] = mapped_column(default=14)
    target_meetings: Mapped[int] = mapped_column(default=6)
    min_seniority_gap: Mapped[int] = mapped_column(default=2)
    allow_repeat_pairs: Mapped[bool] = mapped_column(default=False)
    meeting_format: Mapped[str] = mapped_column(String(16), default=MeetingFormat.HYBRID.value)
    # HR's matching weights for this cohort ({criterion: weight}); empty means the defaults.
    match_weights: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    # The engine never proposes a pair scoring under this (0-100).
    min_score: Mapped[int] = mapped_column(default=0, server_default="0")
    # Days past the cadence before an overdue pair counts as at risk in the reports.
    at_risk_grace_days: Mapped[int] = mapped_column(default=7, server_default="7")
    status: Mapped[str] = mapped_column(String(16), default=CohortStatus.DRAFT.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    topics: Mapped[list[Topic]] = relationship(secondary=cohort_topic, order_by=Topic.position)
    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.name!r} {self.status}>"

    def can_move_to(self, status: CohortStatus | str) -> bool:
        """Whether the lifecycle allows moving from the current status to this one."""
        return CohortStatus(status) in COHORT_TRANSITIONS[CohortStatus(self.status)]

    @property
    def status_label(self) -> str:
        """The status as people read it ("Draft", "Active"…), in their language."""
        return CohortStatus(self.status).label


class Enrollment(db.Model):
    """A person in a cohort on one side, with topics, capacity and availability."""

    __tablename__ = "enrollment"
    __table_args__ = (
        # One enrollment per person and cohort: nobody is on both sides of one cohort.
        UniqueConstraint("cohort_id", "person_id"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint(one_of("side", Side), name="side_known"),
        CheckConstraint(one_of("status", EnrollmentStatus), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    side: Mapped[str] = mapped_column(String(8))
    capacity: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default=EnrollmentStatus.ACTIVE.value)
    # Weekly windows in the person's own time zone: [{"day": 0-6, "start": "HH:MM", "end": ...}]
    availability: Mapped[list[dict[str, Any]]] = mapped_column(
        MutableList.as_mutable(JSON), default=list
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="enrollments")
    person: Mapped[Person] = relationship()
    topic_links: Mapped[list[EnrollmentTopic]] = relationship(
        back_populates="enrollment",
        cascade="all, delete-orphan",
        order_by="EnrollmentTopic.priority",
    )

    def __repr__(self) -> str:
        return f"<Enrollment {self.id} cohort={self.cohort_id} person={self.person_id} {self.side}>"

    @property
    def side_label(self) -> str:
        """The side as people read it ("mentor", "mentee"), in their language."""
        return Side(self.side).label

    @property
    def topics(self) -> list[Topic]:
        """Topics offered (mentor) or wanted (mentee), in priority order."""
        return [link.topic for link in self.topic_links]


class EnrollmentTopic(db.Model):
    """A topic an enrolled person offers or wants, with its priority (1 = first)."""

    __tablename__ = "enrollment_topic"

    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topic.id", ondelete="RESTRICT"), primary_key=True
    )
    priority: Mapped[int] = mapped_column(default=1)

    enrollment: Mapped[Enrollment] = relationship(back_populates="topic_links")
    topic: Mapped[Topic] = relationship()


class ParticipantImport(db.Model):
    """An uploaded participants file: kept between preview and commit, then as a record.

    Keeping the file in the database (not in a process or on local disk) lets the
    preview and the commit land on different app processes.
    """

    __tablename__ = "participant_import"
    __table_args__ = (
        CheckConstraint("status IN ('previewed', 'committed', 'discarded')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="previewed")
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cohort: Mapped[Cohort] = relationship()
    uploaded_by: Mapped[Person | None] = relationship()
