"""The pair agreement of a cohort, its acceptances, requests to end a pair, erasures."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.cohorts.models import Cohort
from mentoring.db import UTCDateTime, one_of, utcnow
from mentoring.extensions import db
from mentoring.matching.models import Pair
from mentoring.people.models import Person


class CohortAgreement(db.Model):
    """HR's own wording of a cohort's mentoring agreement; without a row, the default.

    The default text is version 1; every change HR saves makes a new version, which
    every pair of the cohort is asked to accept again.
    """

    __tablename__ = "cohort_agreement"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("body <> ''", name="body_not_empty"),
    )

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    cohort: Mapped[Cohort] = relationship()


class AgreementAcceptance(db.Model):
    """A member of a pair accepted one version of their cohort's agreement."""

    __tablename__ = "agreement_acceptance"
    __table_args__ = (
        UniqueConstraint("pair_id", "person_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pair.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pair: Mapped[Pair] = relationship()
    person: Mapped[Person] = relationship()


class EndRequestResolution(StrEnum):
    """What became of a request to end a pair."""

    ENDED = "ended"
    KEPT = "kept"


class EndRequest(db.Model):
    """A member asks HR to end their pair, with a reason only HR reads."""

    __tablename__ = "end_request"
    __table_args__ = (
        CheckConstraint(
            "resolution IS NULL OR " + one_of("resolution", EndRequestResolution),
            name="resolution_known",
        ),
        CheckConstraint(
            "(resolution IS NULL) = (resolved_at IS NULL)", name="resolved_at_iff_resolved"
        ),
        # One open request per member and pair: asking twice adds nothing.
        Index(
            "uq_end_request_one_open",
            "pair_id",
            "requester_id",
            unique=True,
            sqlite_where=text("resolution IS NULL"),
            postgresql_where=text("resolution IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pair.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    pair: Mapped[Pair] = relationship()
    requester: Mapped[Person] = relationship(foreign_keys=[requester_id])
    resolved_by: Mapped[Person | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def is_open(self) -> bool:
        """Whether HR has not decided on the request yet."""
        return self.resolution is None


class PersonErasure(db.Model):
    """The marker of an erased person: their record stays, anonymous, and cannot return."""

    __tablename__ = "person_erasure"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erased_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    erased_by: Mapped[Person | None] = relationship(foreign_keys=[erased_by_id])
