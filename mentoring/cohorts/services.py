"""Cohorts and enrollments: creating, editing, the lifecycle, and who takes part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import selectinload

from mentoring.audit.services import record_event
from mentoring.cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    EnrollmentTopic,
    Side,
)
from mentoring.cohorts.signals import cohort_ending
from mentoring.curriculum.models import Topic
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.i18n import format_day
from mentoring.people.models import Person

EDITABLE_STATUSES = (CohortStatus.DRAFT.value, CohortStatus.MATCHING.value)
# A cohort in one of these is over: its settings, enrollments and ratings no longer change.
FINISHED_STATUSES = (CohortStatus.CLOSED.value, CohortStatus.CANCELLED.value)


@dataclass(frozen=True)
class CohortData:
    """The settings HR chooses for a cohort."""

    name: str
    description: str
    start_date: date
    end_date: date
    cadence_days: int
    target_meetings: int
    min_seniority_gap: int
    allow_repeat_pairs: bool
    meeting_format: str
    topic_ids: list[int]
    at_risk_grace_days: int = 7
    description_fr: str = ""


def _check_cohort(data: CohortData, cohort: Cohort | None) -> list[Topic]:
    if data.end_date <= data.start_date:
        raise RuleViolation(_("The end date must be after the start date."), "end_date")
    if data.cadence_days < 1:
        raise RuleViolation(
            _("Meet at least every 1 day: the cadence must be positive."), "cadence_days"
        )
    duplicate = db.session.scalar(
        select(Cohort).where(func.lower(Cohort.name) == data.name.strip().lower())
    )
    if duplicate is not None and duplicate is not cohort:
        raise RuleViolation(
            _("A cohort called '%(name)s' already exists.", name=duplicate.name), "name"
        )
    topics = list(db.session.scalars(select(Topic).where(Topic.id.in_(data.topic_ids))))
    if len(topics) != len(set(data.topic_ids)):
        raise RuleViolation(_("One of the chosen topics does not exist any more."), "topic_ids")
    return topics


def create_cohort(data: CohortData, *, actor: Person) -> Cohort:
    """Create a cohort in draft."""
    topics = _check_cohort(data, None)
    cohort = Cohort(
        name=data.name.strip(),
        description=data.description.strip(),
        description_fr=data.description_fr.strip(),
        start_date=data.start_date,
        end_date=data.end_date,
        cadence_days=data.cadence_days,
        target_meetings=data.target_meetings,
        min_seniority_gap=data.min_seniority_gap,
        at_risk_grace_days=data.at_risk_grace_days,
        allow_repeat_pairs=data.allow_repeat_pairs,
        meeting_format=data.meeting_format,
        status=CohortStatus.DRAFT.value,
        topics=topics,
    )
    db.session.add(cohort)
    db.session.flush()
    record_event("cohort.created", actor=actor, subject=cohort, name=cohort.name)
    return cohort


def update_cohort(cohort: Cohort, data: CohortData, *, actor: Person) -> None:
    """Change a cohort's settings; a closed or cancelled cohort is read-only."""
    if cohort.status in FINISHED_STATUSES:
        raise RuleViolation(
            _("This cohort is cancelled: its settings can no longer change.")
            if cohort.status == CohortStatus.CANCELLED.value
            else _("This cohort is closed: its settings can no longer change.")
        )
    topics = _check_cohort(data, cohort)
    cohort.name = data.name.strip()
    cohort.description = data.description.strip()
    cohort.description_fr = data.description_fr.strip()
    cohort.start_date = data.start_date
    cohort.end_date = data.end_date
    cohort.cadence_days = data.cadence_days
    cohort.target_meetings = data.target_meetings
    cohort.min_seniority_gap = data.min_seniority_gap
    cohort.at_risk_grace_days = data.at_risk_grace_days
    cohort.allow_repeat_pairs = data.allow_repeat_pairs
    cohort.meeting_format = data.meeting_format
    cohort.topics = topics
    db.session.flush()
    record_event("cohort.updated", actor=actor, subject=cohort)


def change_cohort_status(
    cohort: Cohort,
    status: CohortStatus,
    *,
    actor: Person,
    today: date | None = None,
    note: str = "",
) -> None:
    """Move a cohort along its lifecycle, refusing moves the lifecycle does not allow.

    Closing or cancelling sends `cohort_ending`, whose receivers end the cohort's pairs.
    """
    if not cohort.can_move_to(status):
        raise RuleViolation(_refusal(cohort, status))
    if status is CohortStatus.MATCHING:
        counts = side_counts(cohort)
        if not counts[Side.MENTOR.value] or not counts[Side.MENTEE.value]:
            raise RuleViolation(_("Enroll at least one mentor and one mentee before matching."))
    today = today or date.today()
    if status is CohortStatus.CLOSED and today < cohort.start_date:
        raise RuleViolation(
            _(
                "%(name)s starts on %(date)s: a cohort cannot close before it starts. If it "
                "will not run, cancel it instead.",
                name=cohort.name,
                date=format_day(cohort.start_date),
            )
        )
    previous = cohort.status
    if status in (CohortStatus.CLOSED, CohortStatus.CANCELLED):
        cohort_ending.send(cohort, status=status, actor=actor)
    cohort.status = status.value
    db.session.flush()
    details = {"previous": previous, "status": status.value}
    if note.strip():
        details["note"] = note.strip()[:500]
    action = "cohort.cancelled" if status is CohortStatus.CANCELLED else "cohort.status_changed"
    record_event(action, actor=actor, subject=cohort, **details)


def _refusal(cohort: Cohort, status: CohortStatus) -> str:
    """Why the lifecycle refuses a move, in HR's words."""
    if cohort.status == CohortStatus.CANCELLED.value:
        return _("%(name)s is cancelled: a cancelled cohort stays cancelled.", name=cohort.name)
    if cohort.status == CohortStatus.CLOSED.value:
        return _("%(name)s is closed: a closed cohort stays closed.", name=cohort.name)
    if status is CohortStatus.CLOSED:
        # TRANSLATORS: status is a cohort status in lower case, such as "draft".
        return _(
            "A %(status)s cohort cannot be closed: only a running (active) cohort closes. If it "
            "will not run, cancel it instead.",
            status=cohort.status_label.lower(),
        )
    # TRANSLATORS: status and target are cohort statuses in lower case, such as "draft".
    return _(
        "A %(status)s cohort cannot move to %(target)s.",
        status=cohort.status_label.lower(),
        target=status.label.lower(),
    )


def cancel_cohort(cohort: Cohort, *, actor: Person, reason: str = "") -> None:
    """Cancel a cohort that will not run (or not run to its end): a terminal state.

    Enrollments are kept; active pairs end with the reason "cohort cancelled" and their
    future meetings are cancelled (through the `cohort_ending` receivers).
    """
    change_cohort_status(cohort, CohortStatus.CANCELLED, actor=actor, note=reason)


@dataclass(frozen=True)
class CohortSummary:
    """A cohort with its head counts per side."""

    cohort: Cohort
    mentors: int
    mentees: int
    mentor_capacity: int


def cohort_summaries() -> list[CohortSummary]:
    """Every cohort, newest first, with active enrollments counted per side."""
    active = Enrollment.status == EnrollmentStatus.ACTIVE.value
    is_mentor = active & (Enrollment.side == Side.MENTOR.value)
    is_mentee = active & (Enrollment.side == Side.MENTEE.value)
    rows = db.session.execute(
        select(
            Cohort,
            func.count(case((is_mentor, 1))),
            func.count(case((is_mentee, 1))),
            func.coalesce(func.sum(case((is_mentor, Enrollment.capacity))), 0),
        )
        .outerjoin(Enrollment, Enrollment.cohort_id == Cohort.id)
        .group_by(Cohort.id)
        .order_by(Cohort.start_date.desc(), Cohort.id.desc())
    ).all()
    return [CohortSummary(*row) for row in rows]


def side_counts(cohort: Cohort) -> dict[str, int]:
    """Active enrollments of a cohort, counted per side."""
    rows = db.session.execute(
        select(Enrollment.side, func.count(Enrollment.id))
        .where(
            Enrollment.cohort_id == cohort.id, Enrollment.status == EnrollmentStatus.ACTIVE.value
        )
        .group_by(Enrollment.side)
    ).all()
    counts = {Side.MENTOR.value: 0, Side.MENTEE.value: 0}
    counts.update(dict(rows))
    return counts


def search_enrollments(cohort: Cohort, side: str, query: str = "") -> Select:
    """A select of a cohort's active enrollments on one side, by name, filtered by text."""
    statement = (
        select(Enrollment)
        .join(Person, Person.id == Enrollment.person_id)
        .where(
            Enrollment.cohort_id == cohort.id,
            Enrollment.side == side,
            Enrollment.status == EnrollmentStatus.ACTIVE.value,
        )
        .options(
            selectinload(Enrollment.person),
            selectinload(Enrollment.topic_links).selectinload(EnrollmentTopic.topic),
        )
        .order_by(func.lower(Person.name), Enrollment.id)
    )
    for word in (query or "").split()[:5]:
        pattern = f"%{word.lower()}%"
        statement = statement.where(
            or_(
                func.lower(Person.name).like(pattern),
                Person.email.like(pattern),
                func.lower(Person.department).like(pattern),
            )
        )
    return statement


def _check_enrollable(cohort: Cohort) -> None:
    if cohort.status not in EDITABLE_STATUSES:
        # TRANSLATORS: status is a cohort status in lower case, such as "active".
        raise RuleViolation(
            _(
                "This cohort is %(status)s: participants can only be added or removed before "
                "the matching is published.",
                status=cohort.status_label.lower(),
            )
        )


def _topic_links(cohort: Cohort, topic_ids: list[int]) -> list[EnrollmentTopic]:
    in_scope = {topic.id: topic for topic in cohort.topics}
    unknown = [topic_id for topic_id in topic_ids if topic_id not in in_scope]
    if unknown:
        raise RuleViolation(_("Choose topics from this cohort's curriculum."), "topic_ids")
    return [
        EnrollmentTopic(topic=in_scope[topic_id], priority=rank)
        for rank, topic_id in enumerate(dict.fromkeys(topic_ids), start=1)
    ]


def enroll_person(
    cohort: Cohort,
    person: Person,
    *,
    side: Side,
    topic_ids: list[int],
    capacity: int,
    availability: list[dict[str, Any]],
    actor: Person,
) -> Enrollment:
    """Enroll a person on one side of a cohort."""
    _check_enrollable(cohort)
    existing = db.session.scalar(
        select(Enrollment).where(
            Enrollment.cohort_id == cohort.id, Enrollment.person_id == person.id
        )
    )
    if existing is not None and existing.status == EnrollmentStatus.ACTIVE.value:
        raise RuleViolation(
            _(
                "%(name)s is already enrolled in this cohort as a mentor: a person takes part "
                "on one side only.",
                name=person.name,
            )
            if existing.side == Side.MENTOR.value
            else _(
                "%(name)s is already enrolled in this cohort as a mentee: a person takes part "
                "on one side only.",
                name=person.name,
            ),
            "email",
        )
    if side is Side.MENTEE and capacity != 1:
        raise RuleViolation(
            _("Capacity applies to mentors only; a mentee has one mentor."), "capacity"
        )
    if capacity < 1:
        raise RuleViolation(_("Capacity must be at least 1."), "capacity")
    if not person.is_active:
        raise RuleViolation(_("%(name)s's account is deactivated.", name=person.name), "email")
    links = _topic_links(cohort, topic_ids)
    if existing is not None:  # a withdrawn enrollment comes back
        enrollment = existing
        enrollment.status = EnrollmentStatus.ACTIVE.value
        enrollment.side = side.value
        enrollment.topic_links = links
    else:
        enrollment = Enrollment(cohort=cohort, person=person, side=side.value, topic_links=links)
        db.session.add(enrollment)
    enrollment.capacity = capacity
    enrollment.availability = availability
    person.add_role(side.value)
    db.session.flush()
    record_event(
        "enrollment.created",
        actor=actor,
        subject=enrollment,
        cohort=cohort.id,
        person=person.id,
        side=side.value,
    )
    return enrollment


def update_enrollment(
    enrollment: Enrollment,
    *,
    topic_ids: list[int],
    capacity: int,
    availability: list[dict[str, Any]],
    actor: Person,
) -> None:
    """Change an enrollment's topics, capacity and availability."""
    if enrollment.cohort.status in FINISHED_STATUSES:
        raise RuleViolation(
            _("This cohort is cancelled: enrollments can no longer change.")
            if enrollment.cohort.status == CohortStatus.CANCELLED.value
            else _("This cohort is closed: enrollments can no longer change.")
        )
    if enrollment.side == Side.MENTEE.value and capacity != 1:
        raise RuleViolation(_("Capacity applies to mentors only."), "capacity")
    if capacity < 1:
        raise RuleViolation(_("Capacity must be at least 1."), "capacity")
    enrollment.topic_links = _topic_links(enrollment.cohort, topic_ids)
    enrollment.capacity = capacity
    enrollment.availability = availability
    db.session.flush()
    if actor.id != enrollment.person_id:
        record_event("enrollment.updated", actor=actor, subject=enrollment)


def remove_enrollment(enrollment: Enrollment, *, actor: Person) -> None:
    """Take a person out of a cohort before its matching is published."""
    _check_enrollable(enrollment.cohort)
    record_event(
        "enrollment.removed",
        actor=actor,
        subject=enrollment,
        cohort=enrollment.cohort_id,
        person=enrollment.person_id,
    )
    db.session.delete(enrollment)
    db.session.flush()
