"""Forms of the goal pages and of the confidence self-assessment."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional

from mentoring.curriculum.models import EvidenceKind, Topic
from mentoring.goals.rules import MAX_NOTE_LENGTH, MAX_URL_LENGTH
from mentoring.i18n import localized

CUSTOM = "custom"

EVIDENCE_CHOICES = [
    (EvidenceKind.NONE.value, _l("Nothing: ticking it done is enough")),
    (EvidenceKind.URL.value, _l("A link (for example a profile or a post)")),
    (EvidenceKind.YES_NO.value, _l("A yes/no confirmation")),
    (EvidenceKind.NOTE.value, _l("A short note")),
]

CONFIDENCE_CHOICES = [
    ("1", _l("1 — not at all confident")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _l("5 — very confident")),
]


def _optional_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


class NewGoalForm(FlaskForm):
    """Pick a goal from the curriculum, or write one's own."""

    template = RadioField(
        _l("Goal"),
        validators=[
            InputRequired(message=_l("Choose a goal from the curriculum, or “My own goal”."))
        ],
    )
    target_date = DateField(
        _l("Target date"),
        validators=[Optional()],
        description=_l("Optional; within the cohort's dates."),
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=160)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    topic_id = SelectField(_l("Topic"), coerce=_optional_int, validators=[Optional()])
    evidence_kind = RadioField(
        _l("What will show it is reached"),
        choices=EVIDENCE_CHOICES,
        default=EvidenceKind.NONE.value,
        validators=[Optional()],  # only for one's own goal; none when left out
    )
    milestones = TextAreaField(
        _l("Milestones"),
        validators=[Optional(), Length(max=2400)],
        description=_l("Optional: one step per line, in order (at most 10)."),
    )

    def set_choices(self, templates: list, topics: list[Topic]) -> None:
        """Offer these goal templates (and "My own goal"), and these topics, in the
        reader's language."""
        self.template.choices = [(str(t.id), localized(t, "title")) for t in templates] + [
            (CUSTOM, _("My own goal"))
        ]
        self.topic_id.choices = [("", _("No particular topic"))] + [
            (topic.id, localized(topic, "name")) for topic in topics
        ]


class EditGoalForm(FlaskForm):
    """Change a goal's target date (and a custom goal's title and description)."""

    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=_l("Give your goal a title.")), Length(max=160)],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    target_date = DateField(
        _l("Target date"),
        validators=[Optional()],
        description=_l("Optional; within the cohort's dates."),
    )


class EvidenceForm(FlaskForm):
    """The evidence that shows a goal reached, as its kind asks."""

    evidence_url = URLField(
        _l("Link"),
        validators=[Optional(), Length(max=MAX_URL_LENGTH)],
        description=_l("A web address starting with https://"),
    )
    evidence_attested = BooleanField(_l("Yes, I have done it"))
    evidence_note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE_LENGTH)])


class DropForm(FlaskForm):
    """Drop a goal, saying why."""

    reason = TextAreaField(
        _l("Why drop this goal?"),
        validators=[
            InputRequired(message=_l("Say in a few words why you drop this goal.")),
            Length(max=500),
        ],
    )


class SelfAssessmentForm(FlaskForm):
    """One 1–5 confidence question per topic; the fields are added per person."""


def self_assessment_form(topics: list[Topic], ratings: dict[int, int], **kwargs: Any):
    """A self-assessment form with a radio group per topic (field `topic_<id>`)."""

    class Form(SelfAssessmentForm):
        pass

    for topic in topics:
        name = localized(topic, "name")
        setattr(
            Form,
            f"topic_{topic.id}",
            RadioField(
                name,
                choices=CONFIDENCE_CHOICES,
                validate_choice=False,  # the service says what is wrong, in words
                validators=[
                    InputRequired(
                        message=_("Rate your confidence in %(topic)s, from 1 to 5.", topic=name)
                    )
                ],
            ),
        )
    data = {f"topic_{topic_id}": str(value) for topic_id, value in ratings.items()}
    return Form(data=data, **kwargs)
