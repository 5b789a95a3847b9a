"""Importing participants from an HR system's CSV: store, preview, commit whole.

The parsing and every validation rule live in `mentoring.people.csv_import` (pure);
this module reads what the database already holds for the preview, and writes a clean
file in one transaction with bulk statements, so 10,000 rows stay fast.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import aliased

from mentoring.audit.services import record_event
from mentoring.auth.models import Invitation
from mentoring.auth.services import INVITATION_DAYS
from mentoring.cohorts.models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    EnrollmentTopic,
    ParticipantImport,
)
from mentoring.cohorts.services import EDITABLE_STATUSES
from mentoring.curriculum.models import Topic
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.people.availability import Gettext, as_stored, english, from_stored
from mentoring.people.csv_import import (
    ExistingEnrollment,
    ExistingPerson,
    ImportCounts,
    ImportPreview,
    Ngettext,
    english_n,
    parse_participants,
)
from mentoring.people.models import Person, PersonRole, new_session_token

MAX_ROWS = 20_000


class ImportTooLarge(Exception):
    """The uploaded file is over the size limit."""


def store_upload(
    cohort: Cohort, filename: str, content: bytes, *, actor: Person
) -> ParticipantImport:
    """Keep an uploaded file for its preview and commit."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit and len(content) > limit:
        raise ImportTooLarge(_("The file is larger than %(size)s MB.", size=limit // (1024 * 1024)))
    batch = ParticipantImport(
        cohort=cohort,
        uploaded_by=actor,
        filename=filename[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def _existing(cohort: Cohort) -> tuple[dict[str, ExistingPerson], dict[str, ExistingEnrollment]]:
    manager = aliased(Person)
    now = utcnow()
    invited = set(
        db.session.scalars(
            select(Invitation.person_id).where(
                Invitation.usable_at(now),
            )
        )
    )
    people = {
        row.email: ExistingPerson(
            email=row.email,
            name=row.name,
            department=row.department,
            title=row.title,
            seniority_level=row.seniority_level,
            manager_email=row.manager_email,
            timezone=row.timezone,
            languages=tuple(row.languages or ()),
            site=row.site,
            needs_invitation=(
                row.is_active and row.password_hash is None and row.id not in invited
            ),
        )
        for row in db.session.execute(
            select(
                Person.id,
                Person.is_active,
                Person.password_hash,
                Person.email,
                Person.name,
                Person.department,
                Person.title,
                Person.seniority_level,
                manager.email.label("manager_email"),
                Person.timezone,
                Person.languages,
                Person.site,
            ).outerjoin(manager, manager.id == Person.manager_id)
        )
    }
    topics_by_enrollment: dict[int, list[str]] = {}
    for enrollment_id, name in db.session.execute(
        select(EnrollmentTopic.enrollment_id, Topic.name)
        .join(Topic, Topic.id == EnrollmentTopic.topic_id)
        .join(Enrollment, Enrollment.id == EnrollmentTopic.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id)
        .order_by(EnrollmentTopic.enrollment_id, EnrollmentTopic.priority)
    ):
        topics_by_enrollment.setdefault(enrollment_id, []).append(name)
    enrollments = {
        email: ExistingEnrollment(
            side=side,
            topics=tuple(topics_by_enrollment.get(enrollment_id, ())),
            capacity=capacity,
            availability=from_stored(availability),
        )
        for enrollment_id, email, side, capacity, availability in db.session.execute(
            select(
                Enrollment.id,
                Person.email,
                Enrollment.side,
                Enrollment.capacity,
                Enrollment.availability,
            )
            .join(Person, Person.id == Enrollment.person_id)
            .where(
                Enrollment.cohort_id == cohort.id,
                Enrollment.status == EnrollmentStatus.ACTIVE.value,
            )
        )
    }
    return people, enrollments


def preview_import(
    cohort: Cohort,
    content: bytes,
    *,
    gettext: Gettext = english,
    ngettext: Ngettext = english_n,
) -> ImportPreview:
    """Parse and check a file against the cohort's curriculum and the directory; the
    messages are worded through `gettext` and `ngettext` (the reader's language)."""
    people, enrollments = _existing(cohort)
    return parse_participants(
        content,
        known_topics=[topic.name for topic in cohort.topics],
        existing_people=people,
        existing_enrollments=enrollments,
        max_rows=MAX_ROWS,
        _=gettext,
        ngettext=ngettext,
    )


def commit_import(
    cohort: Cohort, batch: ParticipantImport, *, actor: Person | None
) -> ImportCounts:
    """Write a clean file whole: people, their roles, enrollments and invitations; return
    what changed, counted as the preview counted it."""
    if cohort.status not in EDITABLE_STATUSES:
        raise RuleViolation(_("Participants can only be imported before matching is published."))
    # Claim the batch atomically: a double submit or a second HR person loses the race.
    claimed = db.session.execute(
        update(ParticipantImport)
        .where(ParticipantImport.id == batch.id, ParticipantImport.status == "previewed")
        .values(status="committed", committed_at=utcnow())
    ).rowcount
    if claimed != 1:
        raise RuleViolation(_("This file has already been imported."))
    preview = preview_import(cohort, batch.content)
    if not preview.ok:
        raise RuleViolation(
            _(
                "The file has errors (the directory may have changed since the preview): "
                "nothing was imported. Review the errors below."
            )
        )
    now = utcnow()
    rows = preview.rows
    emails = [row.email for row in rows]

    # 1. People: insert the new ones, update the changed ones.
    new_rows = [row for row in rows if row.person_action == "create"]
    if new_rows:
        db.session.execute(
            insert(Person),
            [
                {
                    "email": row.email,
                    "name": row.name,
                    "department": row.department,
                    "title": row.title,
                    "seniority_level": row.seniority_level,
                    "timezone": row.timezone,
                    "languages": list(row.languages),
                    "site": row.site,
                    "bio": "",
                    "is_active": True,
                    "session_token": new_session_token(),
                    "created_at": now,
                }
                for row in new_rows
            ],
        )
    ids = _ids_by_email(emails + [row.manager_email for row in rows if row.manager_email])
    changed_rows = [row for row in rows if row.person_action == "update"]
    if changed_rows:
        db.session.execute(
            update(Person),
            [
                {
                    "id": ids[row.email],
                    "name": row.name,
                    "department": row.department,
                    "title": row.title,
                    "seniority_level": row.seniority_level,
                    "timezone": row.timezone,
                    "languages": list(row.languages),
                    "site": row.site,
                }
                for row in changed_rows
            ],
        )
    managed = [row for row in rows if row.person_action != "unchanged"]
    if managed:
        db.session.execute(
            update(Person),
            [
                {
                    "id": ids[row.email],
                    "manager_id": ids[row.manager_email] if row.manager_email else None,
                }
                for row in managed
            ],
        )

    # 2. Roles: each person holds the role of their side.
    held = set(
        db.session.execute(
            select(PersonRole.person_id, PersonRole.role).where(
                PersonRole.person_id.in_([ids[email] for email in emails])
            )
        ).all()
    )
    missing_roles = {(ids[row.email], row.side) for row in rows} - held
    if missing_roles:
        db.session.execute(
            insert(PersonRole),
            [{"person_id": person_id, "role": role} for person_id, role in sorted(missing_roles)],
        )

    # 3. Enrollments and their topics.
    topic_ids = {topic.name: topic.id for topic in cohort.topics}
    enrollment_ids = dict(
        db.session.execute(
            select(Enrollment.person_id, Enrollment.id).where(Enrollment.cohort_id == cohort.id)
        ).all()
    )
    to_create = [row for row in rows if ids[row.email] not in enrollment_ids]
    to_update = [
        row
        for row in rows
        if ids[row.email] in enrollment_ids and row.enrollment_action != "unchanged"
    ]
    if to_create:
        db.session.execute(
            insert(Enrollment),
            [
                {
                    "cohort_id": cohort.id,
                    "person_id": ids[row.email],
                    "side": row.side,
                    "capacity": row.capacity,
                    "status": EnrollmentStatus.ACTIVE.value,
                    "availability": as_stored(row.availability),
                    "created_at": now,
                }
                for row in to_create
            ],
        )
        enrollment_ids = dict(
            db.session.execute(
                select(Enrollment.person_id, Enrollment.id).where(Enrollment.cohort_id == cohort.id)
            ).all()
        )
    if to_update:
        db.session.execute(
            update(Enrollment),
            [
                {
                    "id": enrollment_ids[ids[row.email]],
                    "side": row.side,
                    "capacity": row.capacity,
                    "availability": as_stored(row.availability),
                    "status": EnrollmentStatus.ACTIVE.value,
                }
                for row in to_update
            ],
        )
        db.session.execute(
            delete(EnrollmentTopic).where(
                EnrollmentTopic.enrollment_id.in_(
                    [enrollment_ids[ids[row.email]] for row in to_update]
                )
            )
        )
    links = [
        {
            "enrollment_id": enrollment_ids[ids[row.email]],
            "topic_id": topic_ids[name],
            "priority": rank,
        }
        for row in (*to_create, *to_update)
        for rank, name in enumerate(row.topics, start=1)
    ]
    if links:
        db.session.execute(insert(EnrollmentTopic), links)

    # 4. Invitations for everyone who cannot sign in yet and has no open invitation.
    invited = _invite_missing([ids[email] for email in emails], actor, now)

    # The preview foresees the invitations; what was really created is what is reported.
    counts = dataclasses.replace(preview.counts, invitations=invited)
    batch.summary = counts.as_dict()
    db.session.expire_all()
    record_event(
        "participants.imported",
        actor=actor,
        subject=cohort,
        file=batch.filename,
        sha256=batch.sha256,
        import_id=batch.id,
        **counts.as_dict(),
    )
    return counts


def _ids_by_email(emails: list[str]) -> dict[str, int]:
    wanted = sorted(set(emails))
    ids: dict[str, int] = {}
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        ids.update(
            db.session.execute(select(Person.email, Person.id).where(Person.email.in_(chunk))).all()
        )
    return ids


def _invite_missing(person_ids: list[int], actor: Person | None, now) -> int:
    candidates: set[int] = set()
    for start in range(0, len(person_ids), 5000):
        chunk = person_ids[start : start + 5000]
        candidates.update(
            db.session.scalars(
                select(Person.id).where(
                    Person.id.in_(chunk), Person.password_hash.is_(None), Person.is_active.is_(True)
                )
            )
        )
        candidates -= set(
            db.session.scalars(
                select(Invitation.person_id).where(
                    Invitation.person_id.in_(chunk),
                    Invitation.usable_at(now),
                )
            )
        )
    if candidates:
        db.session.execute(
            insert(Invitation),
            [
                {
                    "person_id": person_id,
                    "nonce": secrets.token_urlsafe(24),
                    "created_at": now,
                    "expires_at": now + timedelta(days=INVITATION_DAYS),
                    "created_by_id": actor.id if actor else None,
                }
                for person_id in sorted(candidates)
            ],
        )
    return len(candidates)
