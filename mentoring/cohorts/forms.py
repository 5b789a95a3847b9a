"""Forms of the cohort pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
    (MeetingFormat.HYBRID.value, _l("Hybrid: by video or in person")),
    (MeetingFormat.VIDEO.value, _l("By video")),
    (MeetingFormat.IN_PERSON.value, _l("In person (a shared site matters for matching)")),
]


class CohortForm(FlaskForm):
    """Create or edit a cohort."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Give the cohort a name.")), Length(max=120)],
        description=_l("For example: Digital Leadership 2027."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=4000)],
        description=_l(
            "In English: shown to people who read the app in English, and in French too "
            "when the French description below is empty."
        ),
    )
    description_fr = TextAreaField(
        _l("Description in French"),
        validators=[Optional(), Length(max=4000)],
        description=_l(
            "Shown to people who read the app in French; leave empty to show the one above."
        ),
    )
    start_date = DateField(
        _l("Start date"), validators=[InputRequired(message=_l("Choose a start date."))]
    )
    end_date = DateField(
        _l("End date"), validators=[InputRequired(message=_l("Choose an end date."))]
    )
    cadence_days = IntegerField(
        _l("Meeting cadence (days)"),
        default=14,
        validators=[
            InputRequired(message=_l("Say how often pairs should meet, in days.")),
            NumberRange(min=1, max=365, message=_l("Use a number of days from 1 to 365.")),
        ],
        description=_l("Pairs without a meeting within this many days are flagged as overdue."),
    )
    target_meetings = IntegerField(
        _l("Target number of meetings"),
        default=6,
        validators=[
            InputRequired(message=_l("Give a target number of meetings.")),
            NumberRange(min=1, max=100, message=_l("Use a number from 1 to 100.")),
        ],
    )
    min_seniority_gap = IntegerField(
        _l("Minimum seniority gap"),
        default=2,
        validators=[
            InputRequired(message=_l("Give the minimum seniority gap.")),
            NumberRange(min=0, max=9, message=_l("Use a number from 0 to 9.")),
        ],
        description=_l("A mentee must be at least this many levels above their mentor."),
    )
    at_risk_grace_days = IntegerField(
        _l("Grace period before an overdue pair is at risk (days)"),
        default=7,
        validators=[
            Optional(),
            NumberRange(min=0, max=365, message=_l("Use a number of days from 0 to 365.")),
        ],
        description=_l(
            "HR's reports list a pair as at risk this many days past its cadence "
            "(0 for at once; empty means 7)."
        ),
    )
    meeting_format = RadioField(
        _l("Meetings"), choices=MEETING_FORMAT_CHOICES, default=MeetingFormat.HYBRID.value
    )
    allow_repeat_pairs = BooleanField(_l("Allow pairs who met in an earlier cohort to meet again"))
    topic_ids = MultiCheckboxField(_l("Topics in scope"), coerce=int)


class EnrollmentForm(FlaskForm):
    """Enroll a person, or edit an enrollment."""

    email = EmailField(
        _l("Email of the person"),
        validators=[
            DataRequired(message=_l("Enter the email of someone in the directory.")),
            Length(max=254),
        ],
    )
    side = RadioField(
        _l("Side"),
        choices=[
            (Side.MENTOR.value, _l("Mentor (junior, teaches digital skills)")),
            (Side.MENTEE.value, _l("Mentee (executive, learns)")),
        ],
        validators=[InputRequired(message=_l("Choose mentor or mentee."))],
    )
    topic_ids = MultiCheckboxField(_l("Topics offered (mentor) or wanted (mentee)"), coerce=int)
    capacity = IntegerField(
        _l("Capacity"),
        default=1,
        validators=[
            InputRequired(message=_l("Give a capacity.")),
            NumberRange(min=1, max=10, message=_l("Use a number from 1 to 10.")),
        ],
        description=_l("Mentors only: how many mentees they can take (usually 1)."),
    )
    availability = TextAreaField(
        _l("Weekly availability"),
        validators=[Optional(), Length(max=1000)],
        description=_l("In the person's own time zone, e.g. 'Mon 09:00-11:00, Thu 14:00-15:30'."),
    )


class EnrollmentEditForm(EnrollmentForm):
    """Edit an enrollment: the person and side are fixed."""

    email = None
    side = None


class ImportForm(FlaskForm):
    """Upload a participants CSV."""

    file = FileField(
        _l("Participants file (CSV)"),
        validators=[
            FileRequired(message=_l("Choose a CSV file to upload.")),
            FileAllowed(
                ["csv", "txt"], message=_l("Upload a .csv file (Excel: Save As → CSV UTF-8).")
            ),
        ],
    )


class CancelCohortForm(FlaskForm):
    """Cancel a cohort that will not run: a reason for the record, and an explicit yes."""

    reason = TextAreaField(
        _l("Why it is cancelled (optional)"),
        validators=[Optional(), Length(max=500, message=_l("Keep the reason to 500 characters."))],
        description=_l("Kept in the audit log, for whoever looks back at this cohort."),
    )
    confirm = BooleanField(
        _l("I understand that a cancelled cohort cannot be reopened"),
        validators=[DataRequired(message=_l("Tick this box to confirm the cancellation."))],
    )


class ConfirmForm(FlaskForm):
    """A bare form: only the CSRF token, for confirm-and-post buttons."""
