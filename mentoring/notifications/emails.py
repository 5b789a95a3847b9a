"""The emails about accounts and matching: invitations, password resets, "you have been
matched". Meeting emails and HR's digest live in their own modules."""

from __future__ import annotations

from flask_babel import gettext as _

from mentoring.auth.models import Invitation
from mentoring.auth.services import (
    RESET_MAX_AGE_SECONDS,
    invitation_token,
    password_reset_token,
)
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.i18n import format_moment
from mentoring.matching.models import Pair, PairStatus
from mentoring.meetings.timezones import utc_to_local
from mentoring.notifications.content import EmailContent, Skip, builder, external_url, render
from mentoring.notifications.models import Notification
from mentoring.people.models import Person


def _usable_invitation(notification: Notification, person: Person) -> Invitation | Skip:
    invitation = db.session.get(Invitation, notification.payload.get("invitation_id"))
    if invitation is None or invitation.person_id != person.id:
        return Skip("The invitation no longer exists.")
    if not invitation.is_usable(utcnow()):
        return Skip("The invitation was accepted, replaced or has expired.")
    if person.password_hash:
        return Skip("The person has set a password already.")
    return invitation


def _expiry_day(invitation: Invitation, person: Person) -> str:
    """The last day an invitation works, in the recipient's zone and language."""
    return format_moment(utc_to_local(invitation.expires_at, person.timezone), "%d %B %Y")


def _invitation_email(
    notification: Notification, person: Person, subject: str, *, reminder: bool
) -> EmailContent | Skip:
    invitation = _usable_invitation(notification, person)
    if isinstance(invitation, Skip):
        return invitation
    return render(
        "invitation",
        subject,
        person,
        link=external_url("auth.accept_invitation", token=invitation_token(invitation)),
        expires_on=_expiry_day(invitation, person),
        reminder=reminder,
    )


@builder("invitation")
def invitation_email(notification: Notification, person: Person) -> EmailContent | Skip:
    """An invitation to join, with the link to choose a password."""
    return _invitation_email(
        notification,
        person,
        _("You are invited to the reverse-mentoring program"),
        reminder=False,
    )


@builder("invitation_reminder")
def invitation_reminder_email(notification: Notification, person: Person) -> EmailContent | Skip:
    """A reminder, a week on, of an invitation not yet accepted."""
    return _invitation_email(
        notification,
        person,
        _("Reminder: your invitation to the reverse-mentoring program"),
        reminder=True,
    )


@builder("password_reset")
def password_reset_email(notification: Notification, person: Person) -> EmailContent:
    """A single-use link to choose a new password, minted when the email is sent."""
    return render(
        "password_reset",
        _("Choose a new password"),
        person,
        link=external_url("auth.reset_password", token=password_reset_token(person)),
        minutes=RESET_MAX_AGE_SECONDS // 60,
        forgot_url=external_url("auth.forgot_password"),
        by_hr=bool(notification.payload.get("by_hr")),
    )


@builder("matched")
def matched_email(notification: Notification, person: Person) -> EmailContent | Skip:
    """You have been matched: the other person's name, title, time zone and the why."""
    pair = db.session.get(Pair, notification.payload.get("pair_id"))
    if pair is None or pair.status != PairStatus.ACTIVE.value:
        return Skip("The pair has ended.")
    is_mentor = pair.mentor.person_id == person.id
    other = pair.mentee.person if is_mentor else pair.mentor.person
    return render(
        "matched",
        _("You have been matched with %(name)s", name=other.name),
        person,
        other=other,
        is_mentor=is_mentor,
        cohort=pair.cohort,
        explanation=pair.explanation,
        pair_url=external_url("meetings.pair_page", pair_id=pair.id),
    )


from mentoring.notifications import digest, meeting_emails  # noqa: E402, F401 - registers
