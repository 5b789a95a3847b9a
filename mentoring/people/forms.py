"""Forms of the people directory and of one's own profile."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from mentoring.cohorts.forms import MultiCheckboxField
from mentoring.people.models import ROLE_LABELS, Role


class LanguagesField(StringField):
    """Languages typed as codes or names ("fr, English"); once validated, `codes` holds
    their ISO 639-1 codes."""

    codes: list[str]

    def pre_validate(self, form) -> None:
        """Parse the languages, or refuse the first one that is not a language."""
        from mentoring.people.services import parse_languages

        self.codes = []
        try:
            self.codes = parse_languages(self.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from error


def timezone_choices() -> list[tuple[str, str]]:
    """Select options for every IANA time zone."""
    from mentoring.people.services import timezone_names

    return [(name, name.replace("_", " ")) for name in timezone_names()]


class PersonForm(FlaskForm):
    """HR adds or edits a person."""

    email = EmailField(
        "Email", validators=[DataRequired(message="Enter an email address."), Length(max=254)]
    )
    name = StringField(
        "Full name", validators=[DataRequired(message="Enter the person's name."), Length(max=120)]
    )
    department = StringField("Department", validators=[Optional(), Length(max=120)])
    title = StringField("Job title", validators=[Optional(), Length(max=160)])
    seniority_level = IntegerField(
        "Seniority level",
        default=3,
        validators=[
            InputRequired(message="Give a seniority level from 1 to 10."),
            NumberRange(min=1, max=10, message="Use a level from 1 (intern) to 10 (C-suite)."),
        ],
        description="1 = intern … 10 = C-suite. Matching keeps mentees above their mentors.",
    )
    manager_email = EmailField(
        "Manager's email",
        validators=[Optional(), Length(max=254)],
        description="Gives the reporting chain: nobody is matched within their own chain.",
    )
    timezone = SelectField("Time zone", default="Europe/Paris")
    languages = LanguagesField(
        "Languages",
        default="en",
        validators=[Optional(), Length(max=200)],
        description="Codes or names, comma-separated: en, fr, Spanish.",
    )
    site = StringField(
        "Site",
        validators=[Optional(), Length(max=120)],
        description="Office or city, used when meetings are in person.",
    )
    roles = MultiCheckboxField("Roles", choices=[(r.value, ROLE_LABELS[r]) for r in Role])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()


class DeactivateForm(FlaskForm):
    """Deactivate a person, with an optional reason for the audit log."""

    reason = StringField("Reason (for the audit log)", validators=[Optional(), Length(max=200)])


class ProfileForm(FlaskForm):
    """A person edits their own profile."""

    timezone = SelectField("Time zone")
    languages = LanguagesField(
        "Languages you can mentor or be mentored in",
        validators=[Length(max=200)],
        description="Codes or names, comma-separated: en, fr, Spanish.",
    )
    bio = TextAreaField(
        "About you",
        validators=[Optional(), Length(max=2000)],
        description="A few lines your mentor or mentee will read.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()

    def validate_languages(self, field: LanguagesField) -> None:
        """A profile names at least one language."""
        if not field.errors and not field.codes:
            raise ValidationError("Give at least one language.")
