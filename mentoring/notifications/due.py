"""Find what has become due (invitation reminders, meeting reminders, "log your
meeting", nudges, digests) and queue it; each dedupe key makes a second run a no-op."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from mentoring.auth.models import Invitation
from mentoring.extensions import db
from mentoring.notifications.digest import queue_digests
from mentoring.notifications.meeting_emails import (
    queue_log_reminders,
    queue_meeting_reminders,
    queue_nudges,
)
from mentoring.notifications.models import Notification, NotificationState
from mentoring.notifications.services import queue_email

INVITATION_REMINDER_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class DueReport:
    """How many emails of each kind one run found due."""

    invitation_reminders: int
    meeting_reminders: int
    log_reminders: int
    nudges: int
    digests: int

    @property
    def total(self) -> int:
        """All emails queued by this run."""
        return (
            self.invitation_reminders
            + self.meeting_reminders
            + self.log_reminders
            + self.nudges
            + self.digests
        )


def queue_invitation_reminders(now: datetime) -> int:
    """Remind people whose emailed invitation is still open a week after it was sent."""
    rows = db.session.execute(
        select(Invitation, Notification.sent_at)
        .join(
            Notification,
            (Notification.subject_type == "invitation")
            & (Notification.subject_id == Invitation.id)
            & (Notification.kind == "invitation"),
        )
        .where(
            Notification.state == NotificationState.SENT.value,
            Notification.sent_at <= now - INVITATION_REMINDER_AFTER,
            Invitation.usable_at(now),
        )
    ).all()
    queued = 0
    for invitation, _sent_at in rows:
        person = invitation.person
        if person.password_hash or not person.is_active:
            continue
        if queue_email(
            "invitation_reminder",
            person,
            dedupe_key=f"invitation_reminder:{invitation.id}",
            subject=invitation,
            payload={"invitation_id": invitation.id},
            now=now,
        ):
            queued += 1
    return queued


def queue_due(now: datetime) -> DueReport:
    """Queue everything that has become due at `now` (the caller commits)."""
    return DueReport(
        invitation_reminders=queue_invitation_reminders(now),
        meeting_reminders=queue_meeting_reminders(now),
        log_reminders=queue_log_reminders(now),
        nudges=queue_nudges(now),
        digests=queue_digests(now),
    )
