"""Forms of the cohort pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from mentoring.cohorts.models import MeetingFormat, Side


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (accessible, unlike a multiple select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


MEETING_FORMAT_CHOICES = [
    (MeetingFormat.HYBRID.value, "Hybrid: by video or in person"),
    (MeetingFormat.VIDEO.value, "By video"),
    (MeetingFormat.IN_PERSON.value, "In person (a shared site matters for matching)"),
]


class CohortForm(FlaskForm):
    """Create or edit a cohort."""

    name = StringField(
        "Name",
        validators=[DataRequired(message="Give the cohort a name."), Length(max=120)],
        description="For example: Digital Leadership 2027.",
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=4000)])
    start_date = DateField("Start date", validators=[InputRequired(message="Choose a start date.")])
    end_date = DateField("End date", validators=[InputRequired(message="Choose an end date.")])
    cadence_days = IntegerField(
        "Meeting cadence (days)",
        default=14,
        validators=[
            InputRequired(message="Say how often pairs should meet, in days."),
            NumberRange(min=1, max=365, message="Use a number of days from 1 to 365."),
        ],
        description="Pairs without a meeting within this many days are flagged as overdue.",
    )
    target_meetings = IntegerField(
        "Target number of meetings",
        default=6,
        validators=[
            InputRequired(message="Give a target number of meetings."),
            NumberRange(min=1, max=100, message="Use a number from 1 to 100."),
        ],
    )
    min_seniority_gap = IntegerField(
        "Minimum seniority gap",
        default=2,
        validators=[
            InputRequired(message="Give the minimum seniority gap."),
            NumberRange(min=0, max=9, message="Use a number from 0 to 9."),
        ],
        description="A mentee must be at least this many levels above their mentor.",
    )
    at_risk_grace_days = IntegerField(
        "Grace period before an overdue pair is at risk (days)",
        default=7,
        validators=[
            Optional(),
            NumberRange(min=0, max=365, message="Use a number of days from 0 to 365."),
        ],
        description=(
            "HR's reports list a pair as at risk this many days past its cadence "
            "(0 for at once; empty means 7)."
        ),
    )
    meeting_format = RadioField(
        "Meetings", choices=MEETING_FORMAT_CHOICES, default=MeetingFormat.HYBRID.value
    )
    allow_repeat_pairs = BooleanField("Allow pairs who met in an earlier cohort to meet again")
    topic_ids = MultiCheckboxField("Topics in scope", coerce=int)


class EnrollmentForm(FlaskForm):
    """Enroll a person, or edit an enrollment."""

    email = EmailField(
        "Email of the person",
        validators=[
            DataRequired(message="Enter the email of someone in the directory."),
            Length(max=254),
        ],
    )
    side = RadioField(
        "Side",
        choices=[
            (Side.MENTOR.value, "Mentor (junior, teaches digital skills)"),
            (Side.MENTEE.value, "Mentee (executive, learns)"),
        ],
        validators=[InputRequired(message="Choose mentor or mentee.")],
    )
    topic_ids = MultiCheckboxField("Topics offered (mentor) or wanted (mentee)", coerce=int)
    capacity = IntegerField(
        "Capacity",
        default=1,
        validators=[
            InputRequired(message="Give a capacity."),
            NumberRange(min=1, max=10, message="Use a number from 1 to 10."),
        ],
        description="Mentors only: how many mentees they can take (usually 1).",
    )
    availability = TextAreaField(
        "Weekly availability",
        validators=[Optional(), Length(max=1000)],
        description="In the person's own time zone, e.g. 'Mon 09:00-11:00, Thu 14:00-15:30'.",
    )


class EnrollmentEditForm(EnrollmentForm):
    """Edit an enrollment: the person and side are fixed."""

    email = None
    side = None


class ImportForm(FlaskForm):
    """Upload a participants CSV."""

    file = FileField(
        "Participants file (CSV)",
        validators=[
            FileRequired(message="Choose a CSV file to upload."),
            FileAllowed(["csv", "txt"], message="Upload a .csv file (Excel: Save As → CSV UTF-8)."),
        ],
    )


class CancelCohortForm(FlaskForm):
    """Cancel a cohort that will not run: a reason for the record, and an explicit yes."""

    reason = TextAreaField(
        "Why it is cancelled (optional)",
        validators=[Optional(), Length(max=500, message="Keep the reason to 500 characters.")],
        description="Kept in the audit log, for whoever looks back at this cohort.",
    )
    confirm = BooleanField(
        "I understand that a cancelled cohort cannot be reopened",
        validators=[DataRequired(message="Tick this box to confirm the cancellation.")],
    )


class ConfirmForm(FlaskForm):
    """A bare form: only the CSRF token, for confirm-and-post buttons."""
