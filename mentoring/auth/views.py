"""Sign in, sign out and change password."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlsplit

from flask import (
    Response,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter import RequestLimit
from flask_login import current_user, login_user, logout_user

from mentoring.auth import bp
from mentoring.auth.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
)
from mentoring.auth.services import (
    RESET_MAX_AGE_SECONDS,
    SignInFailure,
    authenticate,
    change_password,
    find_invitation,
    find_person_for_reset,
    normalise_email,
    request_password_reset,
    reset_password,
    revoke_sessions,
    verify_password,
)
from mentoring.auth.services import accept_invitation as accept_invitation_service
from mentoring.errors import render_error
from mentoring.extensions import db, limiter
from mentoring.permissions import public, signed_in

BAD_CREDENTIALS_MESSAGE = _l("That email and password do not match an account.")
DISABLED_MESSAGE = _l(
    "This account is disabled. Ask your HR program manager if you think this is a mistake."
)


def safe_next_url(target: str | None) -> str | None:
    """Return target if it is a path on this site, otherwise None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_rate_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _attempted_account() -> str:
    """The throttling key of the account a sign-in names, existing or not (hashed, so the
    shared store holds no email addresses)."""
    email = normalise_email(request.form.get("email", ""))
    return "account:" + hashlib.sha256(email.encode()).hexdigest()


def _sign_in_failed(response: Response) -> bool:
    """Only refused sign-ins count against the limits, never successful ones."""
    return bool(g.get("sign_in_failed"))


def _sign_in_throttled(request_limit: RequestLimit) -> Response:
    """The page of a throttled sign-in: the same for every address, known or not."""
    minutes = max(1, round((request_limit.reset_at - time.time()) / 60))
    return make_response(
        render_error(
            429,
            ngettext(
                "Too many failed sign-ins. Wait a minute and try again, or choose a new "
                "password with “Forgotten your password?” on the sign-in page.",
                "Too many failed sign-ins. Wait %(num)d minutes and try again, or choose a new "
                "password with “Forgotten your password?” on the sign-in page.",
                minutes,
            ),
        )
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _login_rate_limit,
    methods=["POST"],
    deduct_when=_sign_in_failed,
    on_breach=_sign_in_throttled,
)
@limiter.limit(
    _account_rate_limit,
    methods=["POST"],
    key_func=_attempted_account,
    deduct_when=_sign_in_failed,
    on_breach=_sign_in_throttled,
)
@public
def login():
    """Show the sign-in form and sign the person in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(form.email.data, form.password.data)
        if result.person is None:
            g.sign_in_failed = True
            db.session.commit()  # the audit event, and a hash upgrade
            message = (
                DISABLED_MESSAGE
                if result.failure is SignInFailure.DISABLED
                else BAD_CREDENTIALS_MESSAGE
            )
            form.password.errors.append(str(message))
            return render_template("auth/login.html", form=form)
        login_user(result.person, remember=form.remember.data)
        db.session.commit()
        flash(_("Welcome, %(name)s.", name=result.person.first_name), "success")
        return redirect(safe_next_url(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    """Sign out, revoking every session of this person."""
    revoke_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"], endpoint="change_password")
@signed_in
def change_password_view():
    """Change one's own password; other sessions are signed out."""
    person = current_user._get_current_object()
    form = ChangePasswordForm(email=person.email, name=person.name)
    if form.validate_on_submit():
        if not verify_password(person, form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        else:
            change_password(person, form.new_password.data)
            db.session.commit()
            login_user(person)  # this session carries the new token; the others are dead
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@public
def accept_invitation(token: str):
    """Follow an invitation link: choose a password and start."""
    invitation = find_invitation(token)
    if invitation is None:
        return render_template("auth/invitation_invalid.html"), 404
    person = invitation.person
    form = AcceptInvitationForm(email=person.email, name=person.name)
    if form.validate_on_submit():
        accept_invitation_service(invitation, form.new_password.data)
        db.session.commit()
        logout_user()
        login_user(person)
        flash(_("Welcome, %(name)s. Your account is ready.", name=person.first_name), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/accept_invitation.html", form=form, person=person)


def _forgot_rate_limit() -> str:
    return current_app.config["FORGOT_PASSWORD_RATE_LIMIT"]


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_forgot_rate_limit, methods=["POST"])
@public
def forgot_password():
    """Ask for a reset link; the answer is the same whether the address exists or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        db.session.commit()
        return render_template(
            "auth/forgot_password_sent.html",
            email=form.email.data.strip(),
            minutes=RESET_MAX_AGE_SECONDS // 60,
        )
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"], endpoint="reset_password")
@limiter.limit(_login_rate_limit, methods=["POST"])
@public
def reset_password_view(token: str):
    """Follow a reset link: choose a new password; the link then stops working."""
    person = find_person_for_reset(token)
    if person is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm(email=person.email, name=person.name)
    if form.validate_on_submit():
        reset_password(person, form.new_password.data)
        db.session.commit()
        logout_user()
        login_user(person)
        flash(
            _("Your password is changed, %(name)s. You are signed in.", name=person.first_name),
            "success",
        )
        return redirect(url_for("main.home"))
    return render_template("auth/reset_password.html", form=form, person=person)
