"""What the home pages show, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from mentoring.cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    EnrollmentTopic,
    Side,
)
from mentoring.curriculum.models import Topic
from mentoring.extensions import db
from mentoring.people.models import Person


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


def person_counts() -> dict[str, int]:
    """How many people there are, how many can sign in, how many have never signed in."""
    total, active, never = db.session.execute(
        select(
            func.count(Person.id),
            func.count(case((Person.is_active.is_(True), 1))),
            func.count(case((Person.is_active.is_(True) & Person.last_login_at.is_(None), 1))),
        )
    ).one()
    return {"total": total, "active": active, "never_signed_in": never}


def my_enrollments(person: Person) -> list[Enrollment]:
    """A participant's active enrollments, with their cohorts and topics, newest first."""
    return list(
        db.session.scalars(
            select(Enrollment)
            .join(Cohort)
            .where(
                Enrollment.person_id == person.id,
                Enrollment.status == EnrollmentStatus.ACTIVE.value,
            )
            .options(
                selectinload(Enrollment.cohort),
                selectinload(Enrollment.topic_links).selectinload(EnrollmentTopic.topic),
            )
            .order_by(Cohort.start_date.desc())
        )
    )


@dataclass(frozen=True)
class Headline:
    """Headline adoption figures for leadership: aggregates only."""

    cohorts_running: int
    cohorts_total: int
    mentors_enrolled: int
    mentees_enrolled: int
    departments_involved: int
    topics_in_curriculum: int


def headline_figures() -> Headline:
    """Aggregate counts across all cohorts, for the leadership home page."""
    running = (CohortStatus.MATCHING.value, CohortStatus.ACTIVE.value)
    cohorts_running, cohorts_total = db.session.execute(
        select(func.count(case((Cohort.status.in_(running), 1))), func.count(Cohort.id))
    ).one()
    active = Enrollment.status == EnrollmentStatus.ACTIVE.value
    mentors, mentees, departments = db.session.execute(
        select(
            func.count(func.distinct(case((Enrollment.side == Side.MENTOR.value, Person.id)))),
            func.count(func.distinct(case((Enrollment.side == Side.MENTEE.value, Person.id)))),
            func.count(func.distinct(Person.department)),
        )
        .select_from(Enrollment)
        .join(Person, Person.id == Enrollment.person_id)
        .where(active)
    ).one()
    topics = db.session.scalar(select(func.count(Topic.id)).where(Topic.retired_at.is_(None)))
    return Headline(cohorts_running, cohorts_total, mentors, mentees, departments, topics or 0)
