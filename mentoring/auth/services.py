"""Accounts: password hashing, sign-in checks and session revocation."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select

from mentoring.audit.services import record_event
from mentoring.auth.models import Invitation
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.people.models import Person, new_session_token

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128


def password_hasher() -> PasswordHasher:
    """The app's argon2id hasher, built once from its configuration."""
    hasher = current_app.extensions.get("argon2")
    if hasher is None:
        config = current_app.config
        hasher = PasswordHasher(
            time_cost=config["ARGON2_TIME_COST"],
            memory_cost=config["ARGON2_MEMORY_COST"],
            parallelism=config["ARGON2_PARALLELISM"],
        )
        current_app.extensions["argon2"] = hasher
    return hasher


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return password_hasher().hash(password)


def normalise_email(email: str) -> str:
    """Return the comparable form of an email address: trimmed and lower-case."""
    return email.strip().lower()


def check_email(email: str) -> str:
    """Validate an email address's syntax and return its normalised form, or raise ValueError."""
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(str(error)) from error
    return normalise_email(result.normalized)


def password_problem(password: str, *, email: str = "") -> str | None:
    """Say what is wrong with a new password, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if email and password.strip().lower() in {email.lower(), email.split("@")[0].lower()}:
        return "Do not use your email address as your password."
    if len(set(password)) < 4:
        return "Use a less repetitive password."
    return None


class SignInFailure(StrEnum):
    """Why a sign-in was refused."""

    BAD_CREDENTIALS = "bad_credentials"
    DISABLED = "disabled"


@dataclass(frozen=True)
class SignInResult:
    """The outcome of checking an email and password."""

    person: Person | None
    failure: SignInFailure | None = None


def find_person_by_email(email: str) -> Person | None:
    """Look a person up by email, case-insensitively."""
    return db.session.scalar(select(Person).where(Person.email == normalise_email(email)))


def verify_password(person: Person, password: str) -> bool:
    """Check a password against a person's hash, upgrading the hash if parameters changed."""
    if not person.password_hash:
        return False
    hasher = password_hasher()
    try:
        hasher.verify(person.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(person.password_hash):
        person.password_hash = hasher.hash(password)
    return True


def authenticate(email: str, password: str) -> SignInResult:
    """Check credentials; unknown emails and wrong passwords fail alike."""
    person = find_person_by_email(email)
    if person is None:
        # Spend the same time as a real check, so response times do not reveal emails.
        _dummy_verify(password)
        return SignInResult(None, SignInFailure.BAD_CREDENTIALS)
    if not verify_password(person, password):
        return SignInResult(None, SignInFailure.BAD_CREDENTIALS)
    if not person.is_active:
        return SignInResult(None, SignInFailure.DISABLED)
    person.last_login_at = utcnow()
    db.session.flush()
    return SignInResult(person)


def _dummy_verify(password: str) -> None:
    hasher = password_hasher()
    dummy = current_app.extensions.get("argon2_dummy_hash")
    if dummy is None:
        dummy = hasher.hash("not a real password, only spends time")
        current_app.extensions["argon2_dummy_hash"] = dummy
    try:
        hasher.verify(dummy, password)
    except VerificationError:
        pass


def session_token_matches(person: Person, token: str) -> bool:
    """Compare a session's token with the person's current one in constant time."""
    return hmac.compare_digest(person.session_token.encode(), token.encode())


def revoke_sessions(person: Person) -> None:
    """Sign the person out everywhere by giving them a new session token."""
    person.session_token = new_session_token()
    db.session.flush()


def change_password(person: Person, new_password: str) -> None:
    """Set a new password and revoke every existing session of the person."""
    person.password_hash = hash_password(new_password)
    revoke_sessions(person)
    record_event("auth.password_changed", actor=person, subject=person)


# Invitations ---------------------------------------------------------------------

INVITATION_DAYS = 14


def _invitation_serializer():
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="invitation")


def create_invitation(person: Person, *, created_by: Person | None) -> Invitation:
    """Issue a new invitation link for a person, revoking any earlier one still open."""
    import secrets
    from datetime import timedelta

    now = utcnow()
    for earlier in db.session.scalars(
        select(Invitation).where(
            Invitation.person_id == person.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    ):
        earlier.revoked_at = now
    invitation = Invitation(
        person=person,
        nonce=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
        created_by=created_by,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


def invitation_token(invitation: Invitation) -> str:
    """The secret part of an invitation link."""
    return _invitation_serializer().dumps([invitation.id, invitation.nonce])


def find_invitation(token: str) -> Invitation | None:
    """The usable invitation a token stands for, or None (unknown, used, revoked, expired)."""
    from itsdangerous import BadSignature

    try:
        invitation_id, nonce = _invitation_serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(invitation_id, int) or not isinstance(nonce, str):
        return None
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not hmac.compare_digest(invitation.nonce, nonce):
        return None
    if not invitation.is_usable(utcnow()) or not invitation.person.is_active:
        return None
    return invitation


def accept_invitation(invitation: Invitation, password: str) -> Person:
    """Set the invited person's password and use the invitation up."""
    person = invitation.person
    person.password_hash = hash_password(password)
    invitation.accepted_at = utcnow()
    revoke_sessions(person)
    record_event("auth.invitation_accepted", actor=person, subject=person)
    return person
