"""Forms of the curriculum editing pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from mentoring.curriculum.models import Audience, EvidenceKind
from mentoring.curriculum.services import (
    MAX_MILESTONE_LENGTH,
    MAX_MILESTONES,
    french_milestones_problem,
    milestones_problem,
    parse_milestones,
)

AUDIENCE_CHOICES = [
    (Audience.MENTEE.value, "For mentees (the executives)"),
    (Audience.MENTOR.value, "For mentors (the junior employees)"),
]

EVIDENCE_CHOICES = [
    (EvidenceKind.NONE.value, "No evidence needed"),
    (EvidenceKind.URL.value, "A link (URL), such as a profile or a post"),
    (EvidenceKind.YES_NO.value, "A yes/no attestation"),
    (EvidenceKind.NOTE.value, "A short note"),
]


def strip(value: str | None) -> str | None:
    """Trim surrounding spaces, so a name of only spaces counts as empty."""
    return value.strip() if isinstance(value, str) else value


class TopicForm(FlaskForm):
    """Add or edit a topic."""

    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            DataRequired(message="Enter the topic's name."),
            Length(max=120, message="Keep the name to 120 characters."),
        ],
    )
    description = TextAreaField(
        "Description",
        filters=[strip],
        validators=[Length(max=2000, message="Keep the description to 2,000 characters.")],
        description="What participants learn under this topic, in a sentence or two.",
    )
    name_fr = StringField(
        "Name in French",
        filters=[strip],
        validators=[Length(max=120, message="Keep the French name to 120 characters.")],
        description="Optional: French readers see the English name when it is empty.",
    )
    description_fr = TextAreaField(
        "Description in French",
        filters=[strip],
        validators=[Length(max=2000, message="Keep the French description to 2,000 characters.")],
    )


class GoalTemplateForm(FlaskForm):
    """Add or edit a goal template, its milestones and the evidence that proves it."""

    title = StringField(
        "Title",
        filters=[strip],
        validators=[
            DataRequired(message="Enter the goal's title."),
            Length(max=160, message="Keep the title to 160 characters."),
        ],
        description='A goal someone can reach, such as "Set up a LinkedIn profile".',
    )
    description = TextAreaField(
        "Description",
        filters=[strip],
        validators=[Length(max=4000, message="Keep the description to 4,000 characters.")],
    )
    audience = SelectField("Who is it for?", choices=AUDIENCE_CHOICES)
    evidence_kind = SelectField("What proves it done?", choices=EVIDENCE_CHOICES)
    evidence_hint = StringField(
        "Evidence hint",
        filters=[strip],
        validators=[Length(max=255, message="Keep the hint to 255 characters.")],
        description='Optional, e.g. "Paste the URL of your public profile".',
    )
    milestones = TextAreaField(
        "Milestones",
        description=(
            f"One milestone per line, in order: 1 to {MAX_MILESTONES} lines of at most "
            f"{MAX_MILESTONE_LENGTH} characters. Blank lines are ignored."
        ),
    )

    title_fr = StringField(
        "Title in French",
        filters=[strip],
        validators=[Length(max=160, message="Keep the French title to 160 characters.")],
        description="Optional: French readers see the English text wherever the French is empty.",
    )
    description_fr = TextAreaField(
        "Description in French",
        filters=[strip],
        validators=[Length(max=4000, message="Keep the French description to 4,000 characters.")],
    )
    evidence_hint_fr = StringField(
        "Evidence hint in French",
        filters=[strip],
        validators=[Length(max=255, message="Keep the French hint to 255 characters.")],
    )
    milestones_fr = TextAreaField(
        "Milestones in French",
        description="None, or one line per English milestone, in the same order.",
    )

    def validate_milestones(self, field: TextAreaField) -> None:
        """Apply the milestone rules."""
        problem = milestones_problem(parse_milestones(field.data))
        if problem:
            raise ValidationError(problem)

    def validate_milestones_fr(self, field: TextAreaField) -> None:
        """French milestones: none, or one per English milestone."""
        problem = french_milestones_problem(
            parse_milestones(field.data), len(parse_milestones(self.milestones.data))
        )
        if problem:
            raise ValidationError(problem)
