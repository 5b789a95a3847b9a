"""Forms of the people directory and of one's own profile."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
from mentoring.i18n import LOCALE_NAMES
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


def timezone_choices(current: str | None = None) -> list[tuple[str, str]]:
    """Select options: UTC and the geographic IANA zones, plus `current` when it is
    another known zone (an alias a person already has, or an import gave), so it stays."""
    from mentoring.people.csv_import import canonical_time_zone
    from mentoring.people.services import timezone_names

    names = timezone_names()
    if current and current not in names and canonical_time_zone(current) == current:
        names = (current, *names)
    return [(name, name.replace("_", " ")) for name in names]


class PersonForm(FlaskForm):
    """HR adds or edits a person."""

    email = EmailField(
        _l("Email"),
        validators=[DataRequired(message=_l("Enter an email address.")), Length(max=254)],
    )
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(message=_l("Enter the person's name.")), Length(max=120)],
    )
    department = StringField(_l("Department"), validators=[Optional(), Length(max=120)])
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=160)])
    seniority_level = IntegerField(
        _l("Seniority level"),
        default=3,
        validators=[
            InputRequired(message=_l("Give a seniority level from 1 to 10.")),
            NumberRange(min=1, max=10, message=_l("Use a level from 1 (intern) to 10 (C-suite).")),
        ],
        description=_l("1 = intern … 10 = C-suite. Matching keeps mentees above their mentors."),
    )
    manager_email = EmailField(
        _l("Manager's email"),
        validators=[Optional(), Length(max=254)],
        description=_l("Gives the reporting chain: nobody is matched within their own chain."),
    )
    timezone = SelectField(_l("Time zone"), default="Europe/Paris")
    languages = LanguagesField(
        _l("Languages"),
        default="en",
        validators=[Optional(), Length(max=200)],
        description=_l("Codes or names, comma-separated: en, fr, Spanish."),
    )
    site = StringField(
        _l("Site"),
        validators=[Optional(), Length(max=120)],
        description=_l("Office or city, used when meetings are in person."),
    )
    roles = MultiCheckboxField(_l("Roles"), choices=[(r.value, ROLE_LABELS[r]) for r in Role])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices(self.timezone.data)


class DeactivateForm(FlaskForm):
    """Deactivate a person, with an optional reason for the audit log."""

    reason = StringField(_l("Reason (for the audit log)"), validators=[Optional(), Length(max=200)])


class ProfileForm(FlaskForm):
    """A person edits their own profile."""

    timezone = SelectField(_l("Time zone"))
    locale = SelectField(
        _l("Language of the app"),
        choices=[("", _l("The language my browser asks for"))] + list(LOCALE_NAMES.items()),
        description=_l("Pages, emails and calendar invitations come to you in this language."),
        validate_choice=False,  # checked below: a form posted without it keeps the choice
    )
    languages = LanguagesField(
        _l("Languages you can mentor or be mentored in"),
        validators=[Length(max=200)],
        description=_l("Codes or names, comma-separated: en, fr, Spanish."),
    )
    bio = TextAreaField(
        _l("About you"),
        validators=[Optional(), Length(max=2000)],
        description=_l("A few lines your mentor or mentee will read."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices(self.timezone.data)

    def validate_locale(self, field: SelectField) -> None:
        """The app's language is one it is translated into, or none (the browser's)."""
        if field.data not in (None, "", *LOCALE_NAMES):
            raise ValidationError(_l("Choose English, Français or your browser's language."))

    def validate_languages(self, field: LanguagesField) -> None:
        """A profile names at least one language."""
        if not field.errors and not field.codes:
            raise ValidationError(_l("Give at least one language."))
