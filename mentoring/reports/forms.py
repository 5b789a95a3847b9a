"""The report filters: read from the URL, so a report can be bookmarked and shared."""

from __future__ import annotations

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
                f"There is no cohort {', '.join(unknown)} to report on: untick it or choose "
                "another."
            )


SIDE_CHOICES = [
    ("", "Both sides"),
    ("mentee", "Executives (mentees)"),
    ("mentor", "Juniors (mentors)"),
]


class ReportFilterForm(Form):
    """Cohorts, date range, department and side of a report (GET, no CSRF needed)."""

    cohort = MultiCheckboxField("Cohorts", coerce=int, description="None ticked means all.")
    date_from = DateField(
        "From", validators=[Optional()], description="Meetings and goals done on or after."
    )
    date_to = DateField("To", validators=[Optional()], description="On or before.")
    department = SelectField(
        "Department", choices=[("", "All departments")], default="", validate_choice=False
    )
    side = SelectField("Side", choices=SIDE_CHOICES, default="")

    def validate_date_to(self, field: DateField) -> None:
        """The range ends on or after its start."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end of the range comes before its start: swap the dates.")

    def validate_department(self, field: SelectField) -> None:
        """Only a department someone enrolled belongs to."""
        known = {value for value, _label in field.choices}
        if field.data and field.data not in known:
            raise ValidationError(f"Nobody enrolled is in the department “{field.data}”.")
