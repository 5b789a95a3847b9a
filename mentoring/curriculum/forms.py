"""Forms of the curriculum editing pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
    (Audience.MENTEE.value, _l("For mentees (the executives)")),
    (Audience.MENTOR.value, _l("For mentors (the junior employees)")),
]

EVIDENCE_CHOICES = [
    (EvidenceKind.NONE.value, _l("No evidence needed")),
    (EvidenceKind.URL.value, _l("A link (URL), such as a profile or a post")),
    (EvidenceKind.YES_NO.value, _l("A yes/no attestation")),
    (EvidenceKind.NOTE.value, _l("A short note")),
]


def strip(value: str | None) -> str | None:
    """Trim surrounding spaces, so a name of only spaces counts as empty."""
    return value.strip() if isinstance(value, str) else value


class TopicForm(FlaskForm):
    """Add or edit a topic."""

    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the topic's name.")),
            Length(max=120, message=_l("Keep the name to 120 characters.")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("Keep the description to 2,000 characters."))],
        description=_l("What participants learn under this topic, in a sentence or two."),
    )
    name_fr = StringField(
        _l("Name in French"),
        filters=[strip],
        validators=[Length(max=120, message=_l("Keep the French name to 120 characters."))],
        description=_l("Optional: French readers see the English name when it is empty."),
    )
    description_fr = TextAreaField(
        _l("Description in French"),
        filters=[strip],
        validators=[
            Length(max=2000, message=_l("Keep the French description to 2,000 characters."))
        ],
    )


class GoalTemplateForm(FlaskForm):
    """Add or edit a goal template, its milestones and the evidence that proves it."""

    title = StringField(
        _l("Goal title"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the goal's title.")),
            Length(max=160, message=_l("Keep the title to 160 characters.")),
        ],
        description=_l('A goal someone can reach, such as "Set up a LinkedIn profile".'),
    )
    description = TextAreaField(
        _l("Description"),
        filters=[strip],
        validators=[Length(max=4000, message=_l("Keep the description to 4,000 characters."))],
    )
    audience = SelectField(_l("Who is it for?"), choices=AUDIENCE_CHOICES)
    evidence_kind = SelectField(_l("What proves it done?"), choices=EVIDENCE_CHOICES)
    evidence_hint = StringField(
        _l("Evidence hint"),
        filters=[strip],
        validators=[Length(max=255, message=_l("Keep the hint to 255 characters."))],
        description=_l('Optional, e.g. "Paste the URL of your public profile".'),
    )
    milestones = TextAreaField(
        _l("Milestones"),
        description=_l(
            "One milestone per line, in order: 1 to %(count)s lines of at most %(length)s "
            "characters. Blank lines are ignored.",
            count=MAX_MILESTONES,
            length=MAX_MILESTONE_LENGTH,
        ),
    )

    title_fr = StringField(
        _l("Title in French"),
        filters=[strip],
        validators=[Length(max=160, message=_l("Keep the French title to 160 characters."))],
        description=_l(
            "Optional: French readers see the English text wherever the French is empty."
        ),
    )
    description_fr = TextAreaField(
        _l("Description in French"),
        filters=[strip],
        validators=[
            Length(max=4000, message=_l("Keep the French description to 4,000 characters."))
        ],
    )
    evidence_hint_fr = StringField(
        _l("Evidence hint in French"),
        filters=[strip],
        validators=[Length(max=255, message=_l("Keep the French hint to 255 characters."))],
    )
    milestones_fr = TextAreaField(
        _l("Milestones in French"),
        description=_l("None, or one line per English milestone, in the same order."),
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
