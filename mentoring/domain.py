"""What services raise when a request breaks a rule of the domain."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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


def commit_or_flash(action, success: str) -> bool:
    """Run a service call in the view's transaction: commit and flash `success`, or roll
    back and flash the rule it broke. Returns whether it committed."""
    from flask import flash

    from mentoring.extensions import db

    try:
        action()
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True


class Outcome:
    """Whether a `commit_or_attach` block committed: true once it has."""

    def __init__(self) -> None:
        self.committed = False

    def __bool__(self) -> bool:
        return self.committed


@contextmanager
def commit_or_attach(form) -> Iterator[Outcome]:
    """Run the block's service calls in the view's transaction: commit, or roll back and
    show the rule they broke on `form`. The outcome it yields is true once committed."""
    from mentoring.extensions import db

    outcome = Outcome()
    try:
        yield outcome
    except RuleViolation as error:
        db.session.rollback()
        attach_error(form, error)
    else:
        db.session.commit()
        outcome.committed = True
