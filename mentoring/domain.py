"""What services raise when a request breaks a rule of the domain."""

from __future__ import annotations


class RuleViolation(Exception):
    """A request that breaks a rule; `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def attach_error(form, error: RuleViolation) -> None:
    """Show a rule violation on its form field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
