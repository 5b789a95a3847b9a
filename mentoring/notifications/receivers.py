"""Signal receivers: the lower domains announce what happened, these queue the emails in
the same transaction (blinker calls them synchronously, inside the caller's work)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from mentoring.auth.models import Invitation
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.matching.models import MatchRun, Pair
from mentoring.notifications.services import queue_email
from mentoring.people.models import Person

# One reset email per account per this many minutes, whatever the form receives.
RESET_EMAIL_WINDOW_MINUTES = 10


def on_invitation_send_requested(invitation: Invitation, **_: Any) -> None:
    """Queue the invitation email (once per invitation: a double click sends one)."""
    queue_email(
        "invitation",
        invitation.person,
        dedupe_key=f"invitation:{invitation.id}",
        subject=invitation,
        payload={"invitation_id": invitation.id},
    )


def on_password_reset_requested(person: Person, actor: Person | None = None, **_: Any) -> None:
    """Queue a reset email, at most one per account per window (a rate limit by address)."""
    now = utcnow()
    window = int(now.timestamp()) // (RESET_EMAIL_WINDOW_MINUTES * 60)
    queue_email(
        "password_reset",
        person,
        dedupe_key=f"password_reset:{person.id}:{window}",
        subject=person,
        payload={"by_hr": actor is not None and actor.id != person.id},
        now=now,
    )


def queue_matched(pair: Pair) -> None:
    """Queue "you have been matched" to both members of a pair."""
    for enrollment in (pair.mentor, pair.mentee):
        queue_email(
            "matched",
            enrollment.person,
            dedupe_key=f"matched:{pair.id}:{enrollment.person_id}",
            subject=pair,
            payload={"pair_id": pair.id},
        )


def replace_copied_invitations(pair: Pair, actor: Person) -> None:
    """A member who joins a pair loses the invitation link HR copied; a fresh one goes to
    their own mailbox (HR never holds a credential to an account with a pair)."""
    from mentoring.auth.services import replace_copied_invitation

    for enrollment in (pair.mentor, pair.mentee):
        replace_copied_invitation(enrollment.person, actor=actor)


def on_run_published(run: MatchRun, actor: Person | None = None, **_: Any) -> None:
    """Queue "you have been matched" for every pair a published run created."""
    for pair in db.session.scalars(select(Pair).where(Pair.match_run_id == run.id)):
        queue_matched(pair)
        if actor is not None:
            replace_copied_invitations(pair, actor)


def on_pair_created(pair: Pair, actor: Person | None = None, **_: Any) -> None:
    """Queue "you have been matched" for a pair HR made by hand."""
    queue_matched(pair)
    if actor is not None:
        replace_copied_invitations(pair, actor)


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per function)."""
    from mentoring.auth.signals import invitation_send_requested, password_reset_requested
    from mentoring.matching.signals import pair_created, run_published

    invitation_send_requested.connect(on_invitation_send_requested)
    password_reset_requested.connect(on_password_reset_requested)
    run_published.connect(on_run_published)
    pair_created.connect(on_pair_created)
    from mentoring.notifications.meeting_emails import connect_meeting_receivers

    connect_meeting_receivers()
