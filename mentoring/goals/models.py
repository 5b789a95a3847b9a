"""Goals (one side of a pair), their milestones, and confidence self-assessments.

The database holds the invariants: a goal is done exactly when it has a completion
time, a done goal carries the evidence its kind asks for, a dropped goal has a reason,
a proposal not yet accepted has not started, and a confidence is 1 to 5.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import pgettext
from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.cohorts.models import Enrollment
from mentoring.curriculum.models import EvidenceKind, GoalTemplate, Topic
from mentoring.db import UTCDateTime, one_of, utcnow
from mentoring.extensions import db
from mentoring.goals.rules import evidence_present, progress_percent
from mentoring.matching.models import Pair
from mentoring.meetings.models import MeetingLog  # noqa: F401 - meeting_log_goal refers to it


class GoalStatus(StrEnum):
    """A goal's lifecycle: not started → in progress → done, or dropped with a reason."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        """The status as people read it, in the current language."""
        return goal_status_labels()[self]


def goal_status_labels() -> dict[GoalStatus, str]:
    """Each goal status as people read it, in the current language."""
    return {
        GoalStatus.NOT_STARTED: pgettext("goal status", "Not started"),
        GoalStatus.IN_PROGRESS: pgettext("goal status", "In progress"),
        GoalStatus.DONE: pgettext("goal status", "Done"),
        GoalStatus.DROPPED: pgettext("goal status", "Dropped"),
    }


class AssessmentPhase(StrEnum):
    """When a participant rates their confidence: at enrollment, and at the cohort's end."""

    START = "start"
    END = "end"


# A done goal carries the evidence its kind asks for (a yes/no must be a yes).
DONE_HAS_EVIDENCE = (
    "status <> 'done' OR evidence_kind = 'none' "
    "OR (evidence_kind = 'url' AND evidence_url <> '') "
    "OR (evidence_kind = 'yes_no' AND evidence_attested) "
    "OR (evidence_kind = 'note' AND evidence_note <> '')"
)


class Goal(db.Model):
    """A learning goal of one side of a pair, from a goal template or written by hand."""

    __tablename__ = "goal"
    __table_args__ = (
        # One goal per template and owner in a pair (custom goals have no template).
        UniqueConstraint("pair_id", "owner_enrollment_id", "template_id"),
        CheckConstraint(one_of("status", GoalStatus), name="status_known"),
        CheckConstraint(one_of("evidence_kind", EvidenceKind), name="evidence_kind_known"),
        CheckConstraint(
            "(status = 'done') = (completed_at IS NOT NULL)", name="completed_iff_done"
        ),
        CheckConstraint("status <> 'dropped' OR drop_reason <> ''", name="dropped_has_reason"),
        CheckConstraint(DONE_HAS_EVIDENCE, name="done_has_evidence"),
        CheckConstraint(
            "proposed_by_enrollment_id IS NULL OR accepted_at IS NOT NULL "
            "OR status = 'not_started'",
            name="pending_not_started",
        ),
        CheckConstraint("title <> ''", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique constraint below starts with pair_id.
    pair_id: Mapped[int] = mapped_column(ForeignKey("pair.id", ondelete="CASCADE"))
    owner_enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="CASCADE"), index=True
    )
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("goal_template.id", ondelete="SET NULL"), index=True
    )
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topic.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default=GoalStatus.NOT_STARTED.value)
    drop_reason: Mapped[str] = mapped_column(String(500), default="")
    # Copied from the template when the goal is made, so later template edits change nothing.
    evidence_kind: Mapped[str] = mapped_column(String(16), default=EvidenceKind.NONE.value)
    evidence_hint: Mapped[str] = mapped_column(String(255), default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    evidence_attested: Mapped[bool] = mapped_column(default=False)
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the mentor proposes the goal to the mentee; pending until accepted.
    proposed_by_enrollment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrollment.id", ondelete="SET NULL")
    )
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    pair: Mapped[Pair] = relationship()
    owner: Mapped[Enrollment] = relationship(foreign_keys=[owner_enrollment_id])
    proposed_by: Mapped[Enrollment | None] = relationship(foreign_keys=[proposed_by_enrollment_id])
    template: Mapped[GoalTemplate | None] = relationship()
    topic: Mapped[Topic | None] = relationship()
    milestones: Mapped[list[GoalMilestone]] = relationship(
        back_populates="goal", order_by="GoalMilestone.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Goal {self.id} {self.title!r} {self.status}>"

    # A goal copies its template's English text when it is added, and keeps it (data).
    # While the copy still matches the template, a French reader gets the template's
    # French text (`mentoring.i18n.localized(goal, "title")`); a goal written by hand,
    # or one whose template HR has since reworded, shows its own words.
    @property
    def title_fr(self) -> str:
        """The template's French title, while the goal still has its template's title."""
        return _template_text(self.template, "title", self.title)

    @property
    def description_fr(self) -> str:
        """The template's French description, while the goal still has its description."""
        return _template_text(self.template, "description", self.description)

    @property
    def evidence_hint_fr(self) -> str:
        """The template's French evidence hint, while the goal still has its hint."""
        return _template_text(self.template, "evidence_hint", self.evidence_hint)

    @property
    def is_pending(self) -> bool:
        """Whether this is a proposal the owner has not accepted yet."""
        return self.proposed_by_enrollment_id is not None and self.accepted_at is None

    @property
    def status_label(self) -> str:
        """The status as people read it."""
        return GoalStatus(self.status).label

    @property
    def milestones_done(self) -> int:
        """How many milestones are ticked."""
        return sum(1 for milestone in self.milestones if milestone.done_at is not None)

    @property
    def progress(self) -> int:
        """The share of milestones done, in percent (by status for a goal without any)."""
        return progress_percent(self.milestones_done, len(self.milestones), self.status)

    @property
    def has_evidence(self) -> bool:
        """Whether the evidence the goal's kind asks for is recorded."""
        return evidence_present(
            self.evidence_kind, self.evidence_url, self.evidence_attested, self.evidence_note
        )


def _template_text(source: object | None, attribute: str, copied: str) -> str:
    """The French of a template's text, when the goal's copy still equals its English."""
    if source is None or getattr(source, attribute) != copied:
        return ""
    return getattr(source, f"{attribute}_fr", "") or ""


class GoalMilestone(db.Model):
    """One step of a goal, copied from its template (or typed for a custom goal)."""

    __tablename__ = "goal_milestone"
    __table_args__ = (UniqueConstraint("goal_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    goal: Mapped[Goal] = relationship(back_populates="milestones")

    @property
    def title_fr(self) -> str:
        """The template milestone's French title, while this one still has its title."""
        template = self.goal.template
        if template is None:
            return ""
        same = next((m for m in template.milestones if m.position == self.position), None)
        return _template_text(same, "title", self.title)

    @property
    def is_done(self) -> bool:
        """Whether the milestone is ticked."""
        return self.done_at is not None


class SelfAssessment(db.Model):
    """A participant's confidence (1–5) in one topic, at the start or at the end."""

    __tablename__ = "self_assessment"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "topic_id", "phase"),
        CheckConstraint(one_of("phase", AssessmentPhase), name="phase_known"),
        CheckConstraint("confidence BETWEEN 1 AND 5", name="confidence_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollment.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="RESTRICT"), index=True)
    phase: Mapped[str] = mapped_column(String(8))
    confidence: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    enrollment: Mapped[Enrollment] = relationship()
    topic: Mapped[Topic] = relationship()


# Which goals a meeting log recorded as advanced (the goal page shows this history).
meeting_log_goal = Table(
    "meeting_log_goal",
    db.metadata,
    Column("meeting_log_id", ForeignKey("meeting_log.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True, index=True),
)
