"""Forms of the email settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class EmailSettingsForm(FlaskForm):
    """Which optional emails a person wants."""

    reminders = BooleanField(_l("Meeting reminders"))
    nudges = BooleanField(_l("Nudges to meet"))
