"""The curriculum: topics and the goal templates that make them concrete."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.db import UTCDateTime, one_of, utcnow
from mentoring.extensions import db


class EvidenceKind(StrEnum):
    """What proves a goal done."""

    NONE = "none"
    URL = "url"
    YES_NO = "yes_no"
    NOTE = "note"


class Audience(StrEnum):
    """Which side of a pair a goal template is written for."""

    MENTEE = "mentee"
    MENTOR = "mentor"


class Topic(db.Model):
    """A subject of the curriculum, such as LinkedIn or social listening."""

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # French text HR may write beside the English; French readers see it when present.
    name_fr: Mapped[str] = mapped_column(String(120), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    goal_templates: Mapped[list[GoalTemplate]] = relationship(
        back_populates="topic", order_by="GoalTemplate.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Topic {self.id} {self.name!r}>"

    @property
    def is_retired(self) -> bool:
        """Whether HR has retired this topic (kept for history, not offered any more)."""
        return self.retired_at is not None


class GoalTemplate(db.Model):
    """A learning goal HR offers under a topic, with milestones and expected evidence."""

    __tablename__ = "goal_template"
    __table_args__ = (
        CheckConstraint(one_of("evidence_kind", EvidenceKind), name="evidence_kind_known"),
        CheckConstraint(one_of("audience", Audience), name="audience_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    evidence_kind: Mapped[str] = mapped_column(String(16), default=EvidenceKind.NONE.value)
    evidence_hint: Mapped[str] = mapped_column(String(255), default="")
    title_fr: Mapped[str] = mapped_column(String(160), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    evidence_hint_fr: Mapped[str] = mapped_column(String(255), default="")
    audience: Mapped[str] = mapped_column(String(16), default=Audience.MENTEE.value)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    topic: Mapped[Topic] = relationship(back_populates="goal_templates")
    milestones: Mapped[list[GoalTemplateMilestone]] = relationship(
        back_populates="goal_template",
        order_by="GoalTemplateMilestone.position",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<GoalTemplate {self.id} {self.title!r}>"


class GoalTemplateMilestone(db.Model):
    """One step of a goal template, in order."""

    __tablename__ = "goal_template_milestone"
    __table_args__ = (UniqueConstraint("goal_template_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_template_id: Mapped[int] = mapped_column(
        ForeignKey("goal_template.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    title_fr: Mapped[str] = mapped_column(String(200), default="")

    goal_template: Mapped[GoalTemplate] = relationship(back_populates="milestones")
