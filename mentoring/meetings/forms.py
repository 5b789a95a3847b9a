"""Forms of the meeting pages: one per use case."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
        _l("Date"), validators=[InputRequired(message=_l("Choose the date of the meeting."))]
    )
    start_time = TimeField(
        _l("Start time"), validators=[InputRequired(message=_l("Choose the start time."))]
    )
    # Any name may be posted; the service says in words when it is not a time zone.
    timezone = SelectField(
        _l("Time zone"),
        validate_choice=False,
        description=_l("The date and time above are in this time zone."),
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        default=60,
        validators=[
            InputRequired(message=_l("Give the duration in minutes.")),
            _check_with(check_duration),
        ],
    )
    location = StringField(
        _l("Place (in person)"),
        validators=[Optional(), Length(max=200)],
        description=_l("A room, an office, a café. Leave empty for a video call."),
    )
    video_url = URLField(
        _l("Video link"),
        validators=[Optional(), Length(max=500), _check_with(check_video_url)],
        description=_l(
            "For example https://meet.example.com/abc-defg. Leave empty to meet in person."
        ),
    )
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=4000)])
    agenda_private = BooleanField(
        _l("Keep the agenda private: only the two of you see it, never in calendar files or feeds")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices(self.timezone.data)


class SeriesForm(MeetingForm):
    """Plan a series: the first meeting, then every N weeks, M times."""

    every_weeks = IntegerField(
        _l("Repeat every (weeks)"),
        default=2,
        validators=[InputRequired(message=_l("Say how many weeks apart the meetings are."))],
    )
    occurrences = IntegerField(
        _l("Number of meetings"),
        default=6,
        validators=[InputRequired(message=_l("Say how many meetings to plan."))],
    )


class CancelForm(FlaskForm):
    """Cancel a meeting, or decline a proposed one, with a reason."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[
            InputRequired(message=_l("Say why, so the other member of the pair knows.")),
            Length(max=500),
        ],
        description=_l("The other member of the pair sees it."),
    )


class ActionForm(FlaskForm):
    """A bare form: only the CSRF token, for confirm buttons and resets."""


OUTCOME_CHOICES = [
    (LogOutcome.HELD.value, _l("Held: the meeting took place")),
    (LogOutcome.NO_SHOW.value, _l("No-show: the meeting did not take place")),
]
RATING_CHOICES = [(value, str(value)) for value in range(1, 6)]


class LogForm(FlaskForm):
    """Log a meeting after it ended, or edit one's own log."""

    outcome = RadioField(
        _l("What happened?"),
        choices=OUTCOME_CHOICES,
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Say whether the meeting was held or was a no-show."))
        ],
    )
    actual_minutes = IntegerField(
        _l("How long it lasted (minutes)"),
        validators=[Optional()],
        description=_l("Only when the meeting took place."),
    )
    topic_ids = MultiCheckboxField(_l("Topics covered"), coerce=int, validate_choice=False)
    goal_ids = MultiCheckboxField(_l("Goals advanced"), coerce=int, validate_choice=False)
    private_notes = TextAreaField(
        _l("Private notes"),
        validators=[Optional(), Length(max=10_000)],
        description=_l("Only the two of you can read them. HR never sees them."),
    )
    rating = RadioField(
        _l("Rating (1 = poor, 5 = excellent)"),
        choices=RATING_CHOICES,
        coerce=int,
        validate_choice=False,
        validators=[Optional()],
        description=_l("You and HR see it; the other member of the pair does not."),
    )
    feedback = TextAreaField(
        _l("Feedback for HR"),
        validators=[Optional(), Length(max=4000)],
        description=_l(
            "Optional. Only you can read it unless you tick the box below; "
            "the other member of the pair never sees it."
        ),
    )
    feedback_shareable = BooleanField(_l("HR may read this feedback with my name"))
