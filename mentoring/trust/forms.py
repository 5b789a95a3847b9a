"""Forms of the trust pages."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from mentoring.i18n import format_number
from mentoring.matching.models import END_REASON_LABELS, EndReason
from mentoring.trust.agreement_text import MAX_AGREEMENT_CHARS
from mentoring.trust.services import MAX_REASON_CHARS


class AgreementForm(FlaskForm):
    """HR rewords a cohort's mentoring agreement."""

    body = TextAreaField(
        _l("Agreement text"),
        description=_l(
            "What the two members promise each other. Saving a change asks every pair of "
            "the cohort to accept the agreement again."
        ),
        validators=[
            DataRequired(message=_l("Write the agreement's text: it cannot be empty.")),
            Length(
                max=MAX_AGREEMENT_CHARS,
                # Lazy, and the number formatted when shown, in the reader's language.
                message=LazyString(
                    lambda: _(
                        "The agreement is too long (%(max)s characters at most).",
                        max=format_number(MAX_AGREEMENT_CHARS),
                    )
                ),
            ),
        ],
    )


class AcceptAgreementForm(FlaskForm):
    """A member accepts the version of the agreement shown to them."""

    version = HiddenField(validators=[InputRequired()])


class EndRequestForm(FlaskForm):
    """A member asks HR to end their pair."""

    reason = TextAreaField(
        _l("Why do you want to end the pair?"),
        description=_l(
            "Only HR reads this. The other member is told only that the pair has ended, "
            "if HR ends it."
        ),
        validators=[
            DataRequired(message=_l("Tell HR in a few words why: only HR reads it.")),
            Length(
                max=MAX_REASON_CHARS,
                message=LazyString(
                    lambda: _(
                        "The reason is too long (%(max)s characters at most).",
                        max=format_number(MAX_REASON_CHARS),
                    )
                ),
            ),
        ],
    )


# Ending on request is about fit or circumstances; "completed" and "cohort cancelled"
# belong to the cohort's own end.
REQUEST_END_REASONS = [
    EndReason.NOT_A_FIT,
    EndReason.NO_TIME,
    EndReason.LEFT_COMPANY,
    EndReason.OTHER,
]


class EndOnRequestForm(FlaskForm):
    """HR ends a pair a member asked to end."""

    reason = SelectField(
        _l("Reason recorded for the reports"),
        choices=[(reason.value, END_REASON_LABELS[reason]) for reason in REQUEST_END_REASONS],
        default=EndReason.NOT_A_FIT.value,
        validators=[InputRequired(message=_l("Choose a reason."))],
        description=_l(
            "Neither member sees it; the other member is told only that the pair ended."
        ),
    )
    note = TextAreaField(
        _l("HR note (optional)"),
        description=_l("For HR only."),
        validators=[Optional(), Length(max=500)],
    )


class KeepPairForm(FlaskForm):
    """HR decides to keep the pair going."""


class EraseForm(FlaskForm):
    """HR confirms erasing a person."""

    confirm = BooleanField(
        _l("I understand that this erases the person's identity and private texts for good"),
        validators=[DataRequired(message=_l("Tick the box to confirm: erasure cannot be undone."))],
    )
