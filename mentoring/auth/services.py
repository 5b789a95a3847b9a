"""Accounts: password hashing, sign-in checks and session revocation."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from mentoring.audit.services import record_event
from mentoring.auth.models import Invitation
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.i18n import current_language, format_number
from mentoring.people.models import Person, new_session_token

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1000
# zxcvbn rates at most this many characters (its own limit); longer passwords are rated
# on their start, so "aaaa…" stays refused however long it is.
ZXCVBN_MAX_LENGTH = 72
MIN_PASSWORD_SCORE = 3  # zxcvbn: 3 = "safely unguessable", 4 = "very unguessable"
# zxcvbn's advice is English only: each of its sentences, as it writes them, with the
# catalogue's translation. A sentence a newer zxcvbn adds is shown as is in English and
# left out in other languages (the generic advice then stands in).
ZXCVBN_ADVICE = {
    "Use a few words, avoid common phrases.": _l("Use a few words, avoid common phrases."),
    "No need for symbols, digits, or uppercase letters.": _l(
        "No need for symbols, digits, or uppercase letters."
    ),
    "Add another word or two. Uncommon words are better.": _l(
        "Add another word or two. Uncommon words are better."
    ),
    "Straight rows of keys are easy to guess.": _l("Straight rows of keys are easy to guess."),
    "Short keyboard patterns are easy to guess.": _l("Short keyboard patterns are easy to guess."),
    "Use a longer keyboard pattern with more turns.": _l(
        "Use a longer keyboard pattern with more turns."
    ),
    'Repeats like "aaa" are easy to guess.': _l('Repeats like "aaa" are easy to guess.'),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _l(
        'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'
    ),
    "Avoid repeated words and characters.": _l("Avoid repeated words and characters."),
    'Sequences like "abc" or "6543" are easy to guess.': _l(
        'Sequences like "abc" or "6543" are easy to guess.'
    ),
    "Avoid sequences.": _l("Avoid sequences."),
    "Recent years are easy to guess.": _l("Recent years are easy to guess."),
    "Avoid recent years.": _l("Avoid recent years."),
    "Avoid years that are associated with you.": _l("Avoid years that are associated with you."),
    "Dates are often easy to guess.": _l("Dates are often easy to guess."),
    "Avoid dates and years that are associated with you.": _l(
        "Avoid dates and years that are associated with you."
    ),
    "This is a top-10 common password.": _l("This is a top-10 common password."),
    "This is a top-100 common password.": _l("This is a top-100 common password."),
    "This is a very common password.": _l("This is a very common password."),
    "This is similar to a commonly used password.": _l(
        "This is similar to a commonly used password."
    ),
    "A word by itself is easy to guess.": _l("A word by itself is easy to guess."),
    "Names and surnames by themselves are easy to guess.": _l(
        "Names and surnames by themselves are easy to guess."
    ),
    "Common names and surnames are easy to guess.": _l(
        "Common names and surnames are easy to guess."
    ),
    "Capitalization doesn't help very much.": _l("Capitalization doesn't help very much."),
    "All-uppercase is almost as easy to guess as all-lowercase.": _l(
        "All-uppercase is almost as easy to guess as all-lowercase."
    ),
    "Reversed words aren't much harder to guess.": _l(
        "Reversed words aren't much harder to guess."
    ),
    "Predictable substitutions like '@' instead of 'a' don't help very much.": _l(
        "Predictable substitutions like '@' instead of 'a' don't help very much."
    ),
}


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


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Say what is wrong with a new password, or None when it is acceptable.

    Length, then zxcvbn's estimate of how guessable it is (common and breached-pattern
    passwords, keyboard walks, dates, the person's own name and email); no composition
    rules. A refusal carries zxcvbn's own advice, in the reader's language.
    """
    from zxcvbn import zxcvbn

    if len(password) < MIN_PASSWORD_LENGTH:
        return ngettext(
            "Use at least %(num)d character.",
            "Use at least %(num)d characters.",
            MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("Use at most %(num)s characters.", num=format_number(MAX_PASSWORD_LENGTH))
    local_part = email.split("@")[0]
    user_inputs = [
        email,
        local_part,
        re.sub(r"[\W_]+", "", local_part),
        re.sub(r"[\W_]+", "", name),
        *re.split(r"[\W_]+", f"{name} {email}"),
    ]
    rating = zxcvbn(
        password[:ZXCVBN_MAX_LENGTH],
        user_inputs=[word.lower() for word in user_inputs if len(word) > 1],
        max_length=ZXCVBN_MAX_LENGTH,
    )
    if rating["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = rating["feedback"]
    advice = " ".join(
        text
        for part in [feedback["warning"], *feedback["suggestions"]]
        if part and (text := _zxcvbn_advice(part))
    )
    return (
        _("This password is too easy to guess.")
        + " "
        + (advice or _("Add another word or two. Uncommon words are better."))
    )


def _zxcvbn_advice(text: str) -> str | None:
    """One sentence of zxcvbn's advice in the reader's language; None when the catalogue
    does not know it and the reader does not read English."""
    known = ZXCVBN_ADVICE.get(text)
    if known is not None:
        return str(known)
    return text if current_language() == "en" else None


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
        # Audited without the address: the log must not collect guessed emails.
        record_event("auth.sign_in_failed", actor=None, reason="no such account")
        return SignInResult(None, SignInFailure.BAD_CREDENTIALS)
    if not verify_password(person, password):
        record_event("auth.sign_in_failed", actor=None, subject=person, reason="wrong password")
        return SignInResult(None, SignInFailure.BAD_CREDENTIALS)
    if not person.is_active:
        record_event("auth.sign_in_failed", actor=None, subject=person, reason="deactivated")
        return SignInResult(None, SignInFailure.DISABLED)
    person.last_login_at = utcnow()
    db.session.flush()
    record_event("auth.signed_in", actor=person, subject=person)
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


def revoke_open_invitations(person: Person, now: datetime) -> None:
    """Revoke every invitation of the person that is neither accepted nor revoked."""
    for invitation in db.session.scalars(
        select(Invitation).where(
            Invitation.person_id == person.id,
            Invitation.open_(),
        )
    ):
        invitation.revoked_at = now


def create_invitation(person: Person, *, created_by: Person | None) -> Invitation:
    """Issue a new invitation link for a person, revoking any earlier one still open."""
    import secrets

    now = utcnow()
    revoke_open_invitations(person, now)
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


# Password reset ---------------------------------------------------------------------

RESET_MAX_AGE_SECONDS = 3600


def _reset_serializer():
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(person: Person) -> str:
    # Changes with the password, so a link works once: using it sets a new hash.
    import hashlib

    return hashlib.sha256((person.password_hash or "unset").encode()).hexdigest()[:32]


def password_reset_token(person: Person) -> str:
    """A signed reset token, valid for an hour and only until the password changes."""
    return _reset_serializer().dumps([person.id, _password_fingerprint(person)])


def find_person_for_reset(token: str) -> Person | None:
    """The active person a reset token stands for, or None (forged, expired or used)."""
    from itsdangerous import BadSignature

    try:
        person_id, fingerprint = _reset_serializer().loads(token, max_age=RESET_MAX_AGE_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(person_id, int) or not isinstance(fingerprint, str):
        return None
    person = db.session.get(Person, person_id)
    if person is None or not person.is_active:
        return None
    if not hmac.compare_digest(_password_fingerprint(person), fingerprint):
        return None
    return person


def request_password_reset(email: str, *, actor: Person | None = None) -> Person | None:
    """Ask for a reset link to be emailed to an active account; None when there is none.

    The caller answers the same either way, so the form reveals no address.
    """
    from mentoring.auth.signals import password_reset_requested

    person = find_person_by_email(email)
    if person is None or not person.is_active:
        return None
    password_reset_requested.send(person, actor=actor)
    if actor is not None:
        record_event("auth.reset_link_emailed", actor=actor, subject=person)
    return person


def reset_password(person: Person, new_password: str) -> None:
    """Set a new password from a reset link: the link and every session stop working."""
    person.password_hash = hash_password(new_password)
    revoke_open_invitations(person, utcnow())  # the account is set up: they are moot
    revoke_sessions(person)
    record_event("auth.password_reset", actor=person, subject=person)


def send_invitation(invitation: Invitation, *, actor: Person) -> None:
    """Ask for an invitation to be emailed to its person (queued in this transaction)."""
    from mentoring.auth.signals import invitation_send_requested

    invitation.emailed_at = utcnow()
    invitation_send_requested.send(invitation, actor=actor)
    record_event("auth.invitation_emailed", actor=actor, subject=invitation.person)


def email_new_invitation(person: Person, *, actor: Person) -> Invitation:
    """Issue a fresh invitation (the previous link stops working) and email it."""
    invitation = create_invitation(person, created_by=actor)
    send_invitation(invitation, actor=actor)
    return invitation


COPIED_LINK_EVENT = "auth.invitation_link_copied"


def replace_copied_invitation(person: Person, *, actor: Person) -> Invitation | None:
    """Once a person joins a pair, an unused invitation whose link HR copied would open an
    account that holds a pair: revoke it and email them a fresh one (None if not copied)."""
    from mentoring.audit.models import AuditEvent

    invitation = db.session.scalar(
        select(Invitation)
        .where(
            Invitation.person_id == person.id,
            Invitation.open_(),
        )
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(1)
    )
    if invitation is None or person.password_hash is not None:
        return None
    copied = db.session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.action == COPIED_LINK_EVENT,
            AuditEvent.subject_type == Person.__tablename__,
            AuditEvent.subject_id == person.id,
            AuditEvent.created_at >= invitation.created_at,
        )
        .limit(1)
    )
    if copied is None:
        return None
    return email_new_invitation(person, actor=actor)


def may_copy_invitation_link(person: Person, *, in_a_pair: bool) -> bool:
    """HR may copy a link only for someone who never signed in and belongs to no pair:
    such an account holds nothing private yet, so the link is no credential to a pair."""
    return (
        person.is_active
        and person.password_hash is None
        and person.last_login_at is None
        and not in_a_pair
    )


def send_pending_invitation_emails(*, actor: Person, person_ids: list[int] | None = None) -> int:
    """Email everyone without a password (of person_ids, when given) whose latest invitation
    was never emailed, has expired or was revoked (a fresh one then); returns how many."""
    now = utcnow()
    statement = select(Person).where(Person.is_active.is_(True), Person.password_hash.is_(None))
    if person_ids is not None:
        statement = statement.where(Person.id.in_(person_ids))
    people = db.session.scalars(statement.order_by(Person.id)).all()
    latest: dict[int, Invitation] = {}
    for invitation in db.session.scalars(
        select(Invitation)
        .where(Invitation.person_id.in_([person.id for person in people]))
        .order_by(Invitation.created_at, Invitation.id)
    ):
        latest[invitation.person_id] = invitation
    sent = 0
    for person in people:
        invitation = latest.get(person.id)
        if invitation is not None and invitation.is_usable(now):
            if invitation.emailed_at is not None:
                continue
            send_invitation(invitation, actor=actor)
        else:
            email_new_invitation(person, actor=actor)
        sent += 1
    return sent
