"""Forms of the email settings."""

from flask_wtf import FlaskForm
from wtforms import BooleanField


class EmailSettingsForm(FlaskForm):
    """Which optional emails a person wants."""

    reminders = BooleanField("Meeting reminders")
    nudges = BooleanField("Nudges to meet")
