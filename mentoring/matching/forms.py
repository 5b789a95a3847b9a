"""Forms of the matching pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation

from mentoring.matching.models import END_REASON_LABELS, EndReason

MIN_SCORE_MESSAGE = "Use a whole number from 0 to 100."
# Set only by cancelling the cohort, never chosen by hand.
SYSTEM_END_REASONS = frozenset({EndReason.COHORT_CANCELLED})


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


class WholeNumberField(IntegerField):
    """An integer field whose error for "40.5" or "forty" says what to type."""

    def process_formdata(self, valuelist: list) -> None:
        """Read the number, or keep what was typed and explain."""
        if valuelist and not str(valuelist[0]).strip():
            self.data = None  # blank: InputRequired says what to give
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(MIN_SCORE_MESSAGE) from error

    def pre_validate(self, form: FlaskForm) -> None:
        """Say once what is wrong: a number that could not be read needs no range check."""
        if self.process_errors:
            raise StopValidation()


class WeightsForm(FlaskForm):
    """HR's weights for the soft criteria and the minimum acceptable score, then run."""

    topics = _weight("Topics covered", "How well the mentor's topics cover what the mentee wants.")
    timezone = _weight("Working hours overlap", "Shared office hours across time zones.")
    language = _weight("Common language", "At least one language in common.")
    availability = _weight("Shared availability", "Overlap of the weekly windows they gave.")
    department = _weight("Different departments", "Cross-pollination between departments.")
    site = _weight("Same site", "Counts only when the cohort meets in person.")
    min_score = WholeNumberField(
        "Minimum acceptable score",
        description=(
            "0 to 100. The matching proposes no pair scoring under it: a mentee who could "
            "only have such a pair is left unmatched, with the reason."
        ),
        validators=[
            InputRequired(message="Give a minimum acceptable score from 0 to 100."),
            NumberRange(min=0, max=100, message=MIN_SCORE_MESSAGE),
        ],
    )


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
        choices=[
            (reason.value, label)
            for reason, label in END_REASON_LABELS.items()
            if reason not in SYSTEM_END_REASONS
        ],
        validators=[InputRequired(message="Choose a reason.")],
    )
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=500)])
