"""Forms of the matching pages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
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

MIN_SCORE_MESSAGE = _l("Use a whole number from 0 to 100.")
# Set only by cancelling the cohort, never chosen by hand.
SYSTEM_END_REASONS = frozenset({EndReason.COHORT_CANCELLED})


def _weight(label: Any, description: Any) -> DecimalField:
    return DecimalField(
        label,
        places=1,
        description=description,
        validators=[
            InputRequired(message=_l("Give a weight from 0 to 10.")),
            NumberRange(min=0, max=10, message=_l("Use a weight from 0 to 10.")),
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
            raise ValueError(str(MIN_SCORE_MESSAGE)) from error

    def pre_validate(self, form: FlaskForm) -> None:
        """Say once what is wrong: a number that could not be read needs no range check."""
        if self.process_errors:
            raise StopValidation()


class WeightsForm(FlaskForm):
    """HR's weights for the soft criteria and the minimum acceptable score, then run."""

    topics = _weight(
        _l("Topics covered"), _l("How well the mentor's topics cover what the mentee wants.")
    )
    timezone = _weight(_l("Working hours overlap"), _l("Shared office hours across time zones."))
    language = _weight(_l("Common language"), _l("At least one language in common."))
    availability = _weight(
        _l("Shared availability"), _l("Overlap of the weekly windows they gave.")
    )
    department = _weight(_l("Different departments"), _l("Cross-pollination between departments."))
    site = _weight(_l("Same site"), _l("Counts only when the cohort meets in person."))
    min_score = WholeNumberField(
        _l("Minimum acceptable score"),
        description=_l(
            "0 to 100. The matching proposes no pair scoring under it: a mentee who could "
            "only have such a pair is left unmatched, with the reason."
        ),
        validators=[
            InputRequired(message=_l("Give a minimum acceptable score from 0 to 100.")),
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

    reason = StringField(
        _l("Reason (optional)"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Keep the reason to %(max)d characters or fewer.")),
        ],
    )


class EndPairForm(FlaskForm):
    """HR ends a pair with a reason."""

    reason = SelectField(
        _l("Reason"),
        choices=[
            (reason.value, label)
            for reason, label in END_REASON_LABELS.items()
            if reason not in SYSTEM_END_REASONS
        ],
        validators=[InputRequired(message=_l("Choose a reason."))],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        validators=[
            Optional(),
            Length(max=500, message=_l("Keep the note to %(max)d characters or fewer.")),
        ],
    )
