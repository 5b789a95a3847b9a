"""Seeding the demo organisation: a believable company, its curriculum and one cohort."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from mentoring.auth.services import hash_password
from mentoring.cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentTopic,
    MeetingFormat,
    Side,
)
from mentoring.curriculum.models import Audience, Topic
from mentoring.curriculum.services import upsert_curriculum
from mentoring.demo_data import (
    CURRICULUM,
    DEMO_LOGINS,
    REVERSE_TOPIC,
    build_demo_enrollments,
    build_demo_org,
)
from mentoring.extensions import db
from mentoring.people.models import Person, Role

DEMO_PASSWORD = "reverse-mentoring"  # noqa: S105 - printed on purpose: demo accounts only
DEMO_COHORT_NAME = "Digital Leadership 2026"


@dataclass
class SeedReport:
    """What a seed run added."""

    people_added: int = 0
    curriculum_rows_added: int = 0
    cohorts_added: int = 0
    enrollments_added: int = 0
    pairs_published: int = 0
    meetings_added: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


def database_is_empty() -> bool:
    """Whether nobody exists yet (the demo is only seeded into an empty database)."""
    return not db.session.scalar(select(func.count(Person.id)))


def demo_cohort_dates(today: date) -> tuple[date, date]:
    """The demo cohort started on a Monday about five months ago and runs ten months."""
    start = today - timedelta(days=150)
    start -= timedelta(days=start.weekday())
    return start, start + timedelta(days=301)


def seed_demo(today: date | None = None) -> SeedReport:
    """Create whatever part of the demo is missing; running it twice adds nothing."""
    report = SeedReport()
    report.curriculum_rows_added = upsert_curriculum(CURRICULUM)
    report.curriculum_rows_added += upsert_curriculum(
        [REVERSE_TOPIC], audience=Audience.MENTOR, start=len(CURRICULUM)
    )

    org = build_demo_org()
    people = _upsert_people(org, report)
    topics = {topic.name: topic for topic in db.session.scalars(select(Topic))}
    curriculum_names = [spec["name"] for spec in CURRICULUM]
    plan = build_demo_enrollments(org, curriculum_names)
    for side, key in ((Side.MENTOR, "mentors"), (Side.MENTEE, "mentees")):
        role = Role.MENTOR if side is Side.MENTOR else Role.MENTEE
        for item in plan[key]:
            people[item["key"]].add_role(role)

    cohort = db.session.scalar(select(Cohort).where(Cohort.name == DEMO_COHORT_NAME))
    if cohort is None:
        start, end = demo_cohort_dates(today or date.today())
        cohort = Cohort(
            name=DEMO_COHORT_NAME,
            description=(
                "Our second reverse-mentoring program: junior digital natives coach members "
                "of the leadership team on social networks, online reputation and AI tools, "
                "and learn how the business is run in return."
            ),
            start_date=start,
            end_date=end,
            cadence_days=14,
            target_meetings=8,
            min_seniority_gap=2,
            meeting_format=MeetingFormat.HYBRID.value,
            status=CohortStatus.MATCHING.value,
            topics=[topics[name] for name in curriculum_names],
        )
        db.session.add(cohort)
        report.cohorts_added += 1
        db.session.flush()

    enrolled = set(
        db.session.scalars(select(Enrollment.person_id).where(Enrollment.cohort_id == cohort.id))
    )
    for side, key in ((Side.MENTOR, "mentors"), (Side.MENTEE, "mentees")):
        for item in plan[key]:
            person = people[item["key"]]
            if person.id in enrolled:
                continue
            enrollment = Enrollment(
                cohort=cohort,
                person=person,
                side=side.value,
                capacity=item.get("capacity", 1) if side is Side.MENTOR else 1,
                availability=item["availability"],
                topic_links=[
                    EnrollmentTopic(topic=topics[name], priority=priority)
                    for priority, name in enumerate(item["topics"], start=1)
                ],
            )
            db.session.add(enrollment)
            report.enrollments_added += 1
    db.session.flush()
    report.pairs_published = _match_and_publish(cohort, people["hr-admin"], today)
    from mentoring.db import utcnow
    from mentoring.demo_history import seed_history

    report.meetings_added = seed_history(cohort, utcnow())
    report.logins = demo_logins()
    return report


def _match_and_publish(cohort: Cohort, hr: Person, today: date | None) -> int:
    """Run the real matching on the demo cohort and publish it, once."""
    from mentoring.matching.models import Pair
    from mentoring.matching.services import publish, run_cohort_matching

    if db.session.scalar(select(func.count(Pair.id)).where(Pair.cohort_id == cohort.id)):
        return 0
    run = run_cohort_matching(cohort, actor=hr, today=today)
    return publish(run, actor=hr)


def _upsert_people(org: dict, report: SeedReport) -> dict[str, Person]:
    by_email = {
        person.email: person
        for person in db.session.scalars(
            select(Person).where(Person.email.in_([spec["email"] for spec in org["people"]]))
        )
    }
    password_hash = None
    people: dict[str, Person] = {}
    leaders = {login["key"] for login in DEMO_LOGINS if login["role"] == Role.LEADER.value}
    for spec in org["people"]:
        person = by_email.get(spec["email"])
        if person is None:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            person = Person(
                email=spec["email"],
                name=spec["name"],
                department=spec["department"],
                title=spec["title"],
                seniority_level=spec["seniority_level"],
                timezone=spec["timezone"],
                languages=list(spec["languages"]),
                site=spec["site"],
                password_hash=password_hash,
            )
            db.session.add(person)
            report.people_added += 1
        if spec["manager_key"]:
            person.manager = people[spec["manager_key"]]
        if spec["seniority_level"] >= 9 or spec["key"] in leaders:
            person.add_role(Role.LEADER)
        people[spec["key"]] = person
    for login in DEMO_LOGINS:
        people[login["key"]].add_role(login["role"])
    db.session.flush()
    return people


def demo_logins() -> list[tuple[str, str]]:
    """The (role, email) of each demo login that exists in the database."""
    org = build_demo_org()
    emails = {spec["key"]: spec["email"] for spec in org["people"]}
    existing = set(
        db.session.scalars(
            select(Person.email).where(Person.email.in_([emails[x["key"]] for x in DEMO_LOGINS]))
        )
    )
    return [
        (login["role"], emails[login["key"]])
        for login in DEMO_LOGINS
        if emails[login["key"]] in existing
    ]
