"""Personal data: collect a person's export, erase a person, apply the retention period.

Services flush and never commit: erasure and retention each run in the caller's single
transaction, so a failure part-way changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import JSON, String, Text, cast, delete, or_, select, update
from sqlalchemy.orm import selectinload

from mentoring.audit.models import AuditEvent
from mentoring.audit.services import record_event
from mentoring.auth.models import Invitation
from mentoring.auth.services import revoke_sessions
from mentoring.cohorts.models import Cohort, CohortStatus, Enrollment, ParticipantImport
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.goals.models import Goal, SelfAssessment, meeting_log_goal
from mentoring.i18n import format_day
from mentoring.matching.access import pairs_of
from mentoring.matching.models import Pair
from mentoring.meetings.models import FeedToken, Meeting, MeetingLog
from mentoring.people.models import Person, PersonRole, Role
from mentoring.trust.export import ExportSources, build_export
from mentoring.trust.models import AgreementAcceptance, EndRequest, PersonErasure
from mentoring.trust.retention import ClosedCohort, expired_cohorts

# Export --------------------------------------------------------------------------


def personal_data(
    person: Person, *, now: datetime | None = None, by_someone_else: bool = False
) -> dict[str, Any]:
    """Everything the app holds about a person, their own notes included, nobody else's
    (and, when someone else asks, without the pair's private text)."""
    pairs = pairs_of(person)
    pair_ids = [pair.id for pair in pairs]
    enrollments = list(
        db.session.scalars(
            select(Enrollment)
            .where(Enrollment.person_id == person.id)
            .options(selectinload(Enrollment.cohort), selectinload(Enrollment.topic_links))
            .order_by(Enrollment.created_at, Enrollment.id)
        )
    )
    enrollment_ids = [enrollment.id for enrollment in enrollments]
    meetings = (
        list(
            db.session.scalars(
                select(Meeting)
                .where(Meeting.pair_id.in_(pair_ids))
                .order_by(Meeting.start_at, Meeting.id)
            )
        )
        if pair_ids
        else []
    )
    logs = list(
        db.session.scalars(
            select(MeetingLog)
            .where(MeetingLog.author_id == person.id)
            .options(selectinload(MeetingLog.topics))
            .order_by(MeetingLog.created_at, MeetingLog.id)
        )
    )
    advanced: dict[int, list[int]] = {}
    if logs:
        for log_id, goal_id in db.session.execute(
            select(meeting_log_goal.c.meeting_log_id, meeting_log_goal.c.goal_id).where(
                meeting_log_goal.c.meeting_log_id.in_([log.id for log in logs])
            )
        ):
            advanced.setdefault(log_id, []).append(goal_id)
    goals = (
        list(
            db.session.scalars(
                select(Goal)
                .where(Goal.owner_enrollment_id.in_(enrollment_ids))
                .options(selectinload(Goal.milestones), selectinload(Goal.topic))
                .order_by(Goal.created_at, Goal.id)
            )
        )
        if enrollment_ids
        else []
    )
    assessments = (
        list(
            db.session.scalars(
                select(SelfAssessment)
                .where(SelfAssessment.enrollment_id.in_(enrollment_ids))
                .order_by(SelfAssessment.enrollment_id, SelfAssessment.topic_id)
            )
        )
        if enrollment_ids
        else []
    )
    sources = ExportSources(
        person=person,
        roles=[role.value for role in person.roles],
        manager_name=person.manager.name if person.manager else None,
        enrollments=enrollments,
        pairs=pairs,
        meetings=meetings,
        logs=logs,
        goals=goals,
        goals_advanced=advanced,
        self_assessments=assessments,
        acceptances=list(
            db.session.scalars(
                select(AgreementAcceptance)
                .where(AgreementAcceptance.person_id == person.id)
                .order_by(AgreementAcceptance.accepted_at)
            )
        ),
        end_requests=list(
            db.session.scalars(
                select(EndRequest)
                .where(EndRequest.requester_id == person.id)
                .order_by(EndRequest.created_at)
            )
        ),
        audit_events=list(
            db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.subject_type == "person", AuditEvent.subject_id == person.id)
                .options(selectinload(AuditEvent.actor))
                .order_by(AuditEvent.created_at, AuditEvent.id)
            )
        ),
        feed_token_created_at=db.session.scalar(
            select(FeedToken.created_at).where(FeedToken.person_id == person.id)
        ),
    )
    return build_export(sources, generated_at=now or utcnow(), by_someone_else=by_someone_else)


def export_json(person: Person, *, by_someone_else: bool = False) -> str:
    """The personal data export as indented JSON text."""
    return json.dumps(
        personal_data(person, by_someone_else=by_someone_else), indent=2, ensure_ascii=False
    )


# Erasure -------------------------------------------------------------------------

ERASED_EMAIL_DOMAIN = "erased.invalid"
# A name shorter than this is not searched for in other text: it would match words.
MIN_SCRUB_LENGTH = 4


def placeholder_name(person_id: int) -> str:
    """What an erased person is called from now on: one stored name, so it is worded in
    the site's default language (DEFAULT_LOCALE), as other shared data is."""
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        return _("Former participant %(id)s", id=person_id)


def placeholder_email(person_id: int) -> str:
    """The erased person's address: unique, and in a domain that can never receive mail."""
    return f"erased-{person_id}@{ERASED_EMAIL_DOMAIN}"


def erasure_of(person_id: int) -> PersonErasure | None:
    """The erasure marker of a person, if they were erased."""
    return db.session.get(PersonErasure, person_id)


def _other_admins_who_can_sign_in(person: Person) -> int:
    return (
        db.session.scalar(
            select(db.func.count(Person.id))
            .join(PersonRole, PersonRole.person_id == Person.id)
            .outerjoin(PersonErasure, PersonErasure.person_id == Person.id)
            .where(
                PersonRole.role == Role.ADMIN.value,
                Person.is_active.is_(True),
                Person.id != person.id,
                PersonErasure.person_id.is_(None),
            )
        )
        or 0
    )


def _scrub(value: Any, replacements: dict[str, str]) -> Any:
    """Replace every occurrence of the erased strings inside text, lists and mappings."""
    if isinstance(value, str):
        for old, new in replacements.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_scrub(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, replacements) for key, item in value.items()}
    return value


def _sweep_text_columns(replacements: dict[str, str]) -> None:
    """Replace the erased name and email wherever else they were written (every text and
    JSON column of every table), e.g. in HR's notes, audit details and the email outbox."""
    for table in db.metadata.sorted_tables:
        key_columns = list(table.primary_key.columns)
        for column in table.columns:
            if column.primary_key:
                continue
            if isinstance(column.type, String | Text):
                for old, new in replacements.items():
                    db.session.execute(
                        update(table)
                        .where(column.contains(old, autoescape=True))
                        .values({column.name: db.func.replace(column, old, new)})
                        .execution_options(synchronize_session=False)
                    )
            elif isinstance(column.type, JSON):
                needles = set()
                for old in replacements:
                    needles.add(old)
                    needles.add(json.dumps(old)[1:-1])  # as the JSON serialiser escaped it
                rows = db.session.execute(
                    select(*key_columns, column).where(
                        or_(*(cast(column, Text).contains(n, autoescape=True) for n in needles))
                    )
                ).all()
                for row in rows:
                    keys = {key.name: row[index] for index, key in enumerate(key_columns)}
                    db.session.execute(
                        update(table)
                        .where(*(key == keys[key.name] for key in key_columns))
                        .values({column.name: _scrub(row[-1], replacements)})
                        .execution_options(synchronize_session=False)
                    )


def erase_person(person: Person, *, actor: Person) -> None:
    """Erase a person's identity and private texts; their records stay, anonymous.

    Name, email, title and free text become a placeholder; their notes, feedback, agendas
    and evidence go; sessions, invitations and the calendar feed are revoked, so the
    account cannot sign in again. Meetings, pairs, ratings and goals stay for the reports.
    The other member of a pair keeps their own notes. Cannot be undone.
    """
    marker = erasure_of(person.id)
    if marker is not None:
        raise RuleViolation(
            _(
                "%(name)s was already erased on %(day)s: there is nothing left to erase.",
                name=person.name,
                day=format_day(marker.erased_at.date()),
            )
        )
    if person.id == actor.id:
        raise RuleViolation(
            _("You cannot erase your own account: ask another HR program manager to do it.")
        )
    if person.has_role(Role.ADMIN) and _other_admins_who_can_sign_in(person) == 0:
        raise RuleViolation(
            _(
                "%(name)s is the last HR program manager who can sign in: give the HR role "
                "to someone else first, or nobody could run the program.",
                name=person.name,
            )
        )
    now = utcnow()
    old_name, old_email = person.name, person.email
    new_name, new_email = placeholder_name(person.id), placeholder_email(person.id)
    db.session.flush()

    person.name = new_name
    person.email = new_email
    person.title = ""
    person.bio = ""
    person.password_hash = None
    person.is_active = False
    person.deactivated_at = person.deactivated_at or now
    person.remove_role(Role.ADMIN)
    person.remove_role(Role.LEADER)
    revoke_sessions(person)
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.person_id == person.id,
            Invitation.open_(),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(FeedToken).where(FeedToken.person_id == person.id))

    # Their own writing goes; ratings, outcomes and durations stay for the reports.
    db.session.execute(
        update(MeetingLog)
        .where(MeetingLog.author_id == person.id)
        .values(private_notes="", feedback="", feedback_shareable=False)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Meeting)
        .where(Meeting.proposed_by_id == person.id)
        .values(agenda="", video_url="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Meeting)
        .where(Meeting.cancelled_by_id == person.id)
        .values(cancel_reason="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(EndRequest)
        .where(EndRequest.requester_id == person.id)
        .values(reason="")
        .execution_options(synchronize_session=False)
    )
    enrollment_ids = select(Enrollment.id).where(Enrollment.person_id == person.id)
    for goal in db.session.scalars(
        select(Goal)
        .where(Goal.owner_enrollment_id.in_(enrollment_ids))
        .options(selectinload(Goal.milestones))
    ):
        goal.description = ""
        goal.evidence_url = ""
        goal.evidence_note = ""
        if goal.drop_reason:
            goal.drop_reason = "Reason erased"
        if goal.status == "done" and goal.evidence_kind in ("url", "note"):
            # Done stays done for the reports; the evidence itself is gone.
            goal.evidence_kind = "none"
        if goal.template_id is None:  # their own words
            goal.title = "Custom goal (erased)"
            for milestone in goal.milestones:
                milestone.title = f"Step {milestone.position}"
    db.session.execute(
        update(Pair)
        .where(
            or_(
                Pair.mentee_enrollment_id.in_(enrollment_ids),
                Pair.mentor_enrollment_id.in_(enrollment_ids),
            )
        )
        .values(end_note="")
        .execution_options(synchronize_session=False)
    )
    # Where they came from: uploaded files that list them are emptied.
    for batch in db.session.scalars(select(ParticipantImport)):
        if old_email.encode() in batch.content.lower():
            batch.content = b""
            if batch.status == "previewed":
                batch.status = "discarded"
    # Addresses they signed in from.
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.actor_id == person.id)
        .values(remote_addr="")
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    replacements = {old_email: new_email}
    if len(old_name.strip()) >= MIN_SCRUB_LENGTH:
        replacements[old_name] = new_name
    _sweep_text_columns(replacements)

    db.session.add(PersonErasure(person_id=person.id, erased_at=now, erased_by_id=actor.id))
    db.session.flush()
    record_event("person.erased", actor=actor, subject=person)
    db.session.expire_all()


# Retention -----------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionReport:
    """What the retention run removed (or would remove, in a dry run)."""

    cohorts: list[ClosedCohort]
    notes: int
    feedback: int
    agendas: int

    @property
    def total(self) -> int:
        """How many texts were (or would be) removed."""
        return self.notes + self.feedback + self.agendas


def closed_cohorts() -> list[ClosedCohort]:
    """Closed and cancelled cohorts with the day they closed (their end date if unknown)."""
    cohorts = list(
        db.session.scalars(
            select(Cohort).where(
                Cohort.status.in_([CohortStatus.CLOSED.value, CohortStatus.CANCELLED.value])
            )
        )
    )
    if not cohorts:
        return []
    closed_at: dict[int, date] = {}
    for event in db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.subject_type == "cohort",
            AuditEvent.subject_id.in_([cohort.id for cohort in cohorts]),
            AuditEvent.action.in_(["cohort.status_changed", "cohort.cancelled"]),
        )
        .order_by(AuditEvent.created_at)
    ):
        status = (event.details or {}).get("status")
        if status in (CohortStatus.CLOSED.value, CohortStatus.CANCELLED.value):
            closed_at[event.subject_id] = event.created_at.date()
    return [
        ClosedCohort(cohort.id, cohort.name, closed_at.get(cohort.id, cohort.end_date))
        for cohort in cohorts
    ]


def apply_retention(*, today: date, months: int, dry_run: bool = False) -> RetentionReport:
    """Delete private notes, feedback text and private agendas of cohorts past retention."""
    expired = expired_cohorts(closed_cohorts(), today=today, months=months)
    if not expired:
        return RetentionReport([], 0, 0, 0)
    cohort_ids = [cohort.id for cohort in expired]
    pair_ids = select(Pair.id).where(Pair.cohort_id.in_(cohort_ids))
    meeting_ids = select(Meeting.id).where(Meeting.pair_id.in_(pair_ids))
    targets = {
        "notes": (MeetingLog, MeetingLog.private_notes, MeetingLog.meeting_id.in_(meeting_ids)),
        "feedback": (MeetingLog, MeetingLog.feedback, MeetingLog.meeting_id.in_(meeting_ids)),
        "agendas": (
            Meeting,
            Meeting.agenda,
            Meeting.pair_id.in_(pair_ids) & Meeting.agenda_private.is_(True),
        ),
    }
    counts: dict[str, int] = {}
    for name, (model, column, scope) in targets.items():
        counts[name] = (
            db.session.scalar(select(db.func.count()).select_from(model).where(scope, column != ""))
            or 0
        )
        if not dry_run and counts[name]:
            values: dict[str, Any] = {column.key: ""}
            if name == "feedback":
                values["feedback_shareable"] = False
            db.session.execute(
                update(model)
                .where(scope, column != "")
                .values(values)
                .execution_options(synchronize_session=False)
            )
    report = RetentionReport(expired, counts["notes"], counts["feedback"], counts["agendas"])
    if not dry_run and report.total:
        db.session.flush()
        record_event(
            "retention.applied",
            actor=None,
            cohorts=cohort_ids,
            notes=report.notes,
            feedback=report.feedback,
            agendas=report.agendas,
            months=months,
        )
    return report
