"""HR's weekly digest: at-risk pairs, pending invitations, bounced addresses, drafts."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mentoring.auth.models import Invitation
from mentoring.cohorts.models import Enrollment
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.matching.models import MatchRun, Pair, RunStatus
from mentoring.notifications.content import EmailContent, Skip, builder, external_url, render
from mentoring.notifications.models import Notification, NotificationState
from mentoring.notifications.services import queue_email
from mentoring.people.models import Person, PersonRole, Role

BOUNCES_SINCE = timedelta(days=7)
LIST_AT_MOST = 20


def digest_facts(now: datetime) -> dict:
    """What the digest tells HR, names included (HR may see at-risk pairs by name)."""
    from mentoring.meetings.overview import overdue_pairs

    overdue = overdue_pairs(now=now)
    listed = overdue[:LIST_AT_MOST]
    pairs = {
        pair.id: pair
        for pair in db.session.scalars(
            select(Pair)
            .where(Pair.id.in_([pair_id for pair_id, _cadence in listed]))
            .options(
                selectinload(Pair.mentor).selectinload(Enrollment.person),
                selectinload(Pair.mentee).selectinload(Enrollment.person),
            )
        )
    }
    at_risk = [
        {
            "mentor": pairs[pair_id].mentor.person.name,
            "mentee": pairs[pair_id].mentee.person.name,
            "days": cadence.days_overdue,
            "url": external_url("meetings.pair_page", pair_id=pair_id),
        }
        for pair_id, cadence in listed
    ]
    open_invitations = select(Invitation.person_id).where(
        Invitation.usable_at(now),
    )
    pending = db.session.scalars(
        select(Person)
        .where(
            Person.id.in_(open_invitations),
            Person.password_hash.is_(None),
            Person.is_active.is_(True),
        )
        .order_by(Person.name)
    ).all()
    bounced = db.session.scalars(
        select(Notification)
        .where(
            Notification.state == NotificationState.FAILED.value,
            Notification.failed_at >= now - BOUNCES_SINCE,
        )
        .options(selectinload(Notification.recipient))
        .order_by(Notification.failed_at.desc())
    ).all()
    bounced_people: dict[str, dict] = {}
    for notification in bounced:
        bounced_people.setdefault(
            notification.to_address,
            {
                "address": notification.to_address,
                "name": notification.recipient.name if notification.recipient else "",
                "error": notification.last_error,
                "url": external_url("people.detail", person_id=notification.recipient_id)
                if notification.recipient_id
                else "",
            },
        )
    drafts = db.session.scalars(
        select(MatchRun)
        .where(MatchRun.status == RunStatus.DRAFT.value)
        .options(selectinload(MatchRun.cohort))
        .order_by(MatchRun.created_at)
    ).all()
    return {
        "at_risk": at_risk,
        "at_risk_total": len(overdue),
        "pending": [person.name for person in pending[:LIST_AT_MOST]],
        "pending_total": len(pending),
        "invitations_url": external_url("people.invitations"),
        "bounced": list(bounced_people.values())[:LIST_AT_MOST],
        "drafts": [
            {
                "cohort": run.cohort.name,
                "url": external_url("matching.review", cohort_id=run.cohort_id),
            }
            for run in drafts
        ],
    }


@builder("digest")
def digest_email(notification: Notification, person: Person) -> EmailContent | Skip:
    """The weekly digest, with this week's figures at the time it is sent."""
    if not person.has_role(Role.ADMIN):
        return Skip("The person is no longer an HR program manager.")
    facts = digest_facts(utcnow())
    return render("digest", _("Your weekly mentoring digest"), person, **facts)


def queue_digests(now: datetime) -> int:
    """Queue this ISO week's digest for every active HR program manager (once a week)."""
    year, week, _day = now.isocalendar()
    queued = 0
    admins = db.session.scalars(
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == Role.ADMIN.value, Person.is_active.is_(True))
    ).all()
    for admin in admins:
        if queue_email(
            "digest",
            admin,
            dedupe_key=f"digest:{admin.id}:{year}-W{week:02d}",
            payload={"week": f"{year}-W{week:02d}"},
            now=now,
        ):
            queued += 1
    return queued
