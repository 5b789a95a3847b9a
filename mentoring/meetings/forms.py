"""Forms of the meeting pages: one per use case."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from mentoring.cohorts.forms import MultiCheckboxField
from mentoring.domain import RuleViolation
from mentoring.meetings.common import check_duration
from mentoring.meetings.models import LogOutcome
from mentoring.meetings.scheduling import check_video_url
from mentoring.people.forms import timezone_choices


def _check_with(check):
    """A WTForms validator that reuses a service check, so both say the same thing."""

    def validator(form, field) -> None:
        if field.data is None:
            return
        try:
            check(field.data)
        except RuleViolation as error:
            raise ValidationError(error.message) from error

    return validator


class MeetingForm(FlaskForm):
    """Propose a meeting, or move one: local date and time, duration, place, agenda."""

    start_date = DateField(
        "Date", validators=[InputRequired(message="Choose the date of the meeting.")]
    )
    start_time = TimeField(
        "Start time", validators=[InputRequired(message="Choose the start time.")]
    )
    # Any name may be posted; the service says in words when it is not a time zone.
    timezone = SelectField(
        "Time zone",
        validate_choice=False,
        description="The date and time above are in this time zone.",
    )
    duration_minutes = IntegerField(
        "Duration (minutes)",
        default=60,
        validators=[
            InputRequired(message="Give the duration in minutes."),
            _check_with(check_duration),
        ],
    )
    location = StringField(
        "Place (in person)",
        validators=[Optional(), Length(max=200)],
        description="A room, an office, a café. Leave empty for a video call.",
    )
    video_url = URLField(
        "Video link",
        validators=[Optional(), Length(max=500), _check_with(check_video_url)],
        description="For example https://meet.example.com/abc-defg. Leave empty to meet in person.",
    )
    agenda = TextAreaField("Agenda", validators=[Optional(), Length(max=4000)])
    agenda_private = BooleanField(
        "Keep the agenda private: only the two of you see it, never in calendar files or feeds"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()


class SeriesForm(MeetingForm):
    """Plan a series: the first meeting, then every N weeks, M times."""

    every_weeks = IntegerField(
        "Repeat every (weeks)",
        default=2,
        validators=[InputRequired(message="Say how many weeks apart the meetings are.")],
    )
    occurrences = IntegerField(
        "Number of meetings",
        default=6,
        validators=[InputRequired(message="Say how many meetings to plan.")],
    )


class CancelForm(FlaskForm):
    """Cancel a meeting, or decline a proposed one, with a reason."""

    reason = TextAreaField(
        "Reason",
        validators=[
            InputRequired(message="Say why, so the other member of the pair knows."),
            Length(max=500),
        ],
        description="The other member of the pair sees it.",
    )


class ActionForm(FlaskForm):
    """A bare form: only the CSRF token, for confirm buttons and resets."""


OUTCOME_CHOICES = [
    (LogOutcome.HELD.value, "Held: the meeting took place"),
    (LogOutcome.NO_SHOW.value, "No-show: the meeting did not take place"),
]
RATING_CHOICES = [(value, str(value)) for value in range(1, 6)]


class LogForm(FlaskForm):
    """Log a meeting after it ended, or edit one's own log."""

    outcome = RadioField(
        "What happened?",
        choices=OUTCOME_CHOICES,
        validate_choice=False,
        validators=[InputRequired(message="Say whether the meeting was held or was a no-show.")],
    )
    actual_minutes = IntegerField(
        "How long it lasted (minutes)",
        validators=[Optional()],
        description="Only when the meeting took place.",
    )
    topic_ids = MultiCheckboxField("Topics covered", coerce=int, validate_choice=False)
    goal_ids = MultiCheckboxField("Goals advanced", coerce=int, validate_choice=False)
    private_notes = TextAreaField(
        "Private notes",
        validators=[Optional(), Length(max=10_000)],
        description="Only the two of you can read them. HR never sees them.",
    )
    rating = RadioField(
        "Rating (1 = poor, 5 = excellent)",
        choices=RATING_CHOICES,
        coerce=int,
        validate_choice=False,
        validators=[Optional()],
        description="You and HR see it; the other member of the pair does not.",
    )
    feedback = TextAreaField(
        "Feedback for HR",
        validators=[Optional(), Length(max=4000)],
        description=(
            "Optional. Only you can read it unless you tick the box below; "
            "the other member of the pair never sees it."
        ),
    )
    feedback_shareable = BooleanField("HR may read this feedback with my name")
