"""Forms of the sign-in and account pages."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from mentoring.auth.services import MAX_PASSWORD_LENGTH, password_problem


class LoginForm(FlaskForm):
    """Sign in with email and password."""

    email = EmailField(
        "Email", validators=[DataRequired(message="Enter your email address."), Length(max=254)]
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(message="Enter your password."),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
    )
    remember = BooleanField("Keep me signed in on this device")


class NewPasswordForm(FlaskForm):
    """A new password typed twice, checked against the password rules."""

    new_password = PasswordField(
        "New password",
        validators=[DataRequired(message="Choose a new password.")],
        description=(
            "At least 12 characters. A few unrelated words make a good one; no symbols needed."
        ),
    )
    confirm_password = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired(message="Repeat the new password."),
            EqualTo("new_password", message="The two new passwords differ."),
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
        "Current password", validators=[DataRequired(message="Enter your current password.")]
    )

    def validate_new_password(self, field: PasswordField) -> None:
        """Apply the password rules; the new password must differ from the current one."""
        super().validate_new_password(field)
        if field.data == self.current_password.data:
            raise ValidationError("Choose a password different from the current one.")


class AcceptInvitationForm(NewPasswordForm):
    """Choose a password from an invitation link."""


class ForgotPasswordForm(FlaskForm):
    """Ask for a password reset link by email."""

    email = EmailField(
        "Email", validators=[DataRequired(message="Enter your email address."), Length(max=254)]
    )


class ResetPasswordForm(NewPasswordForm):
    """Choose a new password from a reset link."""
