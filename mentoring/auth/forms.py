"""Forms of the sign-in and account pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from mentoring.auth.services import MAX_PASSWORD_LENGTH, password_problem


class LoginForm(FlaskForm):
    """Sign in with email and password."""

    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Enter your password.")),
            Length(
                max=MAX_PASSWORD_LENGTH,
                message=_l("That password is too long: use at most %(max)d characters."),
            ),
        ],
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class NewPasswordForm(FlaskForm):
    """A new password typed twice, checked against the password rules."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Choose a new password."))],
        description=_l(
            "At least 12 characters. A few unrelated words make a good one; no symbols needed."
        ),
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=_l("Repeat the new password.")),
            EqualTo("new_password", message=_l("The two new passwords differ.")),
        ],
    )

    def __init__(self, *args, email: str = "", name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._email = email
        self._name = name

    def validate_new_password(self, field: PasswordField) -> None:
        """Apply the password rules."""
        problem = password_problem(field.data or "", email=self._email, name=self._name)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    """Change one's own password, proving the current one."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )

    def validate_new_password(self, field: PasswordField) -> None:
        """Apply the password rules; the new password must differ from the current one."""
        super().validate_new_password(field)
        if field.data == self.current_password.data:
            raise ValidationError(_l("Choose a password different from the current one."))


class AcceptInvitationForm(NewPasswordForm):
    """Choose a password from an invitation link."""


class ForgotPasswordForm(FlaskForm):
    """Ask for a password reset link by email."""

    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
        ],
    )


class ResetPasswordForm(NewPasswordForm):
    """Choose a new password from a reset link."""
