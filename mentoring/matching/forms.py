"""Forms of the matching pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from mentoring.matching.models import END_REASON_LABELS


def _weight(label: str, description: str) -> DecimalField:
    return DecimalField(
        label,
        places=1,
        description=description,
        validators=[
            InputRequired(message="Give a weight from 0 to 10."),
            NumberRange(min=0, max=10, message="Use a weight from 0 to 10."),
        ],
    )


class WeightsForm(FlaskForm):
    """HR's weights for the soft criteria, then run the matching."""

    topics = _weight("Topics covered", "How well the mentor's topics cover what the mentee wants.")
    timezone = _weight("Working hours overlap", "Shared office hours across time zones.")
    language = _weight("Common language", "At least one language in common.")
    availability = _weight("Shared availability", "Overlap of the weekly windows they gave.")
    department = _weight("Different departments", "Cross-pollination between departments.")
    site = _weight("Same site", "Counts only when the cohort meets in person.")


class AssignForm(FlaskForm):
    """HR pairs a mentee with a mentor by hand."""

    mentee_id = HiddenField(validators=[InputRequired()])
    mentor_id = HiddenField(validators=[InputRequired()])
    confirmed = HiddenField(default="")


class SwapForm(FlaskForm):
    """HR exchanges the mentors of two proposed pairs."""

    first = HiddenField(validators=[InputRequired()])
    second = HiddenField(validators=[InputRequired()])
    confirmed = HiddenField(default="")


class ForbidForm(FlaskForm):
    """HR rules a proposed pair out."""

    reason = StringField("Reason (optional)", validators=[Optional(), Length(max=200)])


class EndPairForm(FlaskForm):
    """HR ends a pair with a reason."""

    reason = SelectField(
        "Reason",
        choices=[(reason.value, label) for reason, label in END_REASON_LABELS.items()],
        validators=[InputRequired(message="Choose a reason.")],
    )
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=500)])
