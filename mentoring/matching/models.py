"""Match runs (HR's drafts), forbidden pairs, and the published pairs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.db import UTCDateTime, one_of, utcnow
from mentoring.extensions import db
from mentoring.matching.wording import dump_notes, render_stored
from mentoring.people.models import Person


class RunStatus(StrEnum):
    """A match run is a draft until HR publishes it (or a newer run replaces it)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class PairStatus(StrEnum):
    """A published pair is active until it ends."""

    ACTIVE = "active"
    ENDED = "ended"


class EndReason(StrEnum):
    """Why a pair ended."""

    COMPLETED = "completed"
    NOT_A_FIT = "not_a_fit"
    LEFT_COMPANY = "left_company"
    NO_TIME = "no_time"
    OTHER = "other"
    COHORT_CANCELLED = "cohort_cancelled"

    @property
    def label(self) -> str:
        """The reason as people read it, in the reader's language."""
        return str(END_REASON_LABELS[self])


END_REASON_LABELS = {
    EndReason.COMPLETED: _l("Completed the program"),
    EndReason.NOT_A_FIT: _l("Not a good fit"),
    EndReason.LEFT_COMPANY: _l("Left the company"),
    EndReason.NO_TIME: _l("No time to take part"),
    EndReason.OTHER: _l("Other"),
    EndReason.COHORT_CANCELLED: _l("Cohort cancelled"),
}


class _Explained:
    """The explanation kept as (code, parameters) notes in the `explanation` column, and
    worded in the reader's language when read (text written by older versions as is)."""

    explanation_notes: str

    @property
    def explanation(self) -> str:
        """Why this pair, in the current language."""
        return render_stored(self.explanation_notes)

    @explanation.setter
    def explanation(self, value: Any) -> None:
        self.explanation_notes = dump_notes(value)


class MatchRun(db.Model):
    """One computation of the matching for a cohort, with its weights and rules."""

    __tablename__ = "match_run"
    __table_args__ = (CheckConstraint(one_of("status", RunStatus), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.DRAFT.value)
    weights: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total_score: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )

    cohort: Mapped[Cohort] = relationship()
    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[Person | None] = relationship(foreign_keys=[published_by_id])
    proposals: Mapped[list[MatchProposal]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="MatchProposal.score.desc()"
    )
    unmatched: Mapped[list[MatchUnmatched]] = relationship(
        back_populates="run", cascade="all, delete-orphan"
    )


class MatchProposal(_Explained, db.Model):
    """A pair a match run proposes, with its score and explanation."""

    __tablename__ = "match_proposal"
    __table_args__ = (
        UniqueConstraint("run_id", "mentee_enrollment_id"),
        CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"))
    mentee_enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="CASCADE"), index=True
    )
    mentor_enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int]
    breakdown: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    explanation_notes: Mapped[str] = mapped_column("explanation", Text, default="")
    # Why HR had to confirm a pair made by hand: (code, parameters) notes.
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    locked: Mapped[bool] = mapped_column(default=False)
    manual: Mapped[bool] = mapped_column(default=False)

    run: Mapped[MatchRun] = relationship(back_populates="proposals")
    mentee: Mapped[Enrollment] = relationship(foreign_keys=[mentee_enrollment_id])
    mentor: Mapped[Enrollment] = relationship(foreign_keys=[mentor_enrollment_id])


class MatchUnmatched(db.Model):
    """Someone a match run left without a pair, and the true reason."""

    __tablename__ = "match_unmatched"
    __table_args__ = (UniqueConstraint("run_id", "enrollment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"))
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(32))
    # The detail as (code, parameters) notes, worded in the reader's language when read.
    detail_notes: Mapped[str] = mapped_column("detail", Text, default="")

    run: Mapped[MatchRun] = relationship(back_populates="unmatched")
    enrollment: Mapped[Enrollment] = relationship()

    @property
    def detail(self) -> str:
        """Why this person has no pair, in the current language."""
        return render_stored(self.detail_notes)

    @detail.setter
    def detail(self, value: Any) -> None:
        self.detail_notes = dump_notes(value)


class ForbiddenPair(db.Model):
    """A mentee and mentor HR has ruled out for a cohort; every run respects it."""

    __tablename__ = "forbidden_pair"
    __table_args__ = (UniqueConstraint("mentee_enrollment_id", "mentor_enrollment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    mentee_enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="CASCADE")
    )
    mentor_enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="CASCADE")
    )
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))


class Pair(_Explained, db.Model):
    """A published mentor–mentee pair of a cohort.

    The database holds the invariants: a mentor and mentee form at most one pair per
    cohort (so publishing twice creates nothing twice), and a mentee has at most one
    active pair at a time.
    """

    __tablename__ = "pair"
    __table_args__ = (
        UniqueConstraint("mentee_enrollment_id", "mentor_enrollment_id"),
        CheckConstraint(one_of("status", PairStatus), name="status_known"),
        CheckConstraint("(status = 'ended') = (ended_at IS NOT NULL)", name="ended_at_iff_ended"),
        CheckConstraint(
            "end_reason IS NULL OR " + one_of("end_reason", EndReason), name="end_reason_known"
        ),
        CheckConstraint("mentee_enrollment_id <> mentor_enrollment_id", name="two_people"),
        Index(
            "uq_pair_one_active_per_mentee",
            "mentee_enrollment_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    mentee_enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="RESTRICT"), index=True
    )
    mentor_enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=PairStatus.ACTIVE.value)
    score: Mapped[int] = mapped_column(default=0)
    explanation_notes: Mapped[str] = mapped_column("explanation", Text, default="")
    match_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_run.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))
    end_note: Mapped[str] = mapped_column(String(500), default="")

    cohort: Mapped[Cohort] = relationship()
    mentee: Mapped[Enrollment] = relationship(foreign_keys=[mentee_enrollment_id])
    mentor: Mapped[Enrollment] = relationship(foreign_keys=[mentor_enrollment_id])

    def __repr__(self) -> str:
        return f"<Pair {self.id} {self.mentee_enrollment_id}->{self.mentor_enrollment_id}>"

    def involves(self, person_id: int) -> bool:
        """Whether the person is the mentor or the mentee of this pair."""
        return person_id in (self.mentee.person_id, self.mentor.person_id)
