"""The report filters: read from the URL, so a report can be bookmarked and shared."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, SelectField, SelectMultipleField, widgets
from wtforms.validators import Optional, ValidationError


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (accessible, unlike a multiple select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: Form) -> None:
        """Name the unknown cohorts instead of WTForms' generic message."""
        known = {value for value, _label in self.choices or []}
        unknown = [str(value) for value in self.data or [] if value not in known]
        if unknown:
            raise ValidationError(
                _(
                    "There is no cohort %(ids)s to report on: untick it or choose another.",
                    ids=", ".join(unknown),
                )
            )


SIDE_CHOICES = [
    ("", _l("Both sides")),
    ("mentee", _l("Executives (mentees)")),
    ("mentor", _l("Juniors (mentors)")),
]


class ReportFilterForm(Form):
    """Cohorts, date range, department and side of a report (GET, no CSRF needed)."""

    cohort = MultiCheckboxField(_l("Cohorts"), coerce=int, description=_l("None ticked means all."))
    date_from = DateField(
        _l("From"),
        validators=[Optional()],
        description=_l("Meetings and goals done on or after."),
    )
    date_to = DateField(_l("To"), validators=[Optional()], description=_l("On or before."))
    department = SelectField(
        _l("Department"), choices=[("", _l("All departments"))], default="", validate_choice=False
    )
    side = SelectField(_l("Side"), choices=SIDE_CHOICES, default="")

    def validate_date_to(self, field: DateField) -> None:
        """The range ends on or after its start."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end of the range comes before its start: swap the dates."))

    def validate_department(self, field: SelectField) -> None:
        """Only a department someone enrolled belongs to."""
        known = {value for value, _label in field.choices}
        if field.data and field.data not in known:
            raise ValidationError(
                _("Nobody enrolled is in the department “%(name)s”.", name=field.data)
            )
