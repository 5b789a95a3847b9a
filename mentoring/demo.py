"""Seeding the demo organisation: a believable company, its curriculum and three cohorts.

The story, relative to the day it is seeded: last year's cohort ran for eight months
and closed (every pair completed, with start and end self-assessments); this year's
started about five months ago, matched by the real engine (which keeps last year's
pairs apart) and lives its history up to now; next year's is being prepared (people
enrolled, nobody matched yet). Every record is dated in that story's past.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select, update

from mentoring.audit.models import AuditEvent
from mentoring.audit.services import record_event
from mentoring.auth.models import Invitation
from mentoring.auth.services import hash_password
from mentoring.cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentTopic,
    MeetingFormat,
    Side,
)
from mentoring.curriculum.demo_french import with_french
from mentoring.curriculum.models import Audience, GoalTemplate, Topic
from mentoring.curriculum.services import upsert_curriculum
from mentoring.db import utcnow
from mentoring.demo_data import (
    CURRICULUM,
    DEMO_LOGINS,
    REVERSE_TOPIC,
    build_demo_enrollments,
    build_demo_org,
    build_other_enrollments,
)
from mentoring.extensions import db
from mentoring.notifications.models import Notification, NotificationState
from mentoring.people.models import Person, Role

DEMO_PASSWORD = "reverse-mentoring"  # noqa: S105 - printed on purpose: demo accounts only
DEMO_COHORT_NAME = "Digital Leadership 2026"
PREVIOUS_COHORT_NAME = "Digital Leadership 2025"
NEXT_COHORT_NAME = "Digital Leadership 2027"
INVITATION_DAYS = 14


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


@dataclass(frozen=True)
class DemoCalendar:
    """The dates of the demo's story, relative to the day it is seeded."""

    founded: datetime  # the people and the curriculum were loaded
    previous: tuple[date, date]
    previous_closed: datetime
    current: tuple[date, date]
    upcoming: tuple[date, date]


def database_is_empty() -> bool:
    """Whether nobody exists yet (the demo is only seeded into an empty database)."""
    return not db.session.scalar(select(func.count(Person.id)))


def demo_cohort_dates(today: date) -> tuple[date, date]:
    """The demo cohort started on a Monday about five months ago and runs ten months."""
    start = today - timedelta(days=150)
    start -= timedelta(days=start.weekday())
    return start, start + timedelta(days=301)


def demo_calendar(today: date) -> DemoCalendar:
    """Last year's cohort (eight months, closed), this year's, and next year's."""
    start, end = demo_cohort_dates(today)
    previous_start = start - timedelta(weeks=52)
    previous_end = previous_start + timedelta(weeks=34)
    upcoming_start = end + timedelta(days=28)
    upcoming_start += timedelta(days=(7 - upcoming_start.weekday()) % 7)
    return DemoCalendar(
        founded=_at(previous_start - timedelta(days=70), 9),
        previous=(previous_start, previous_end),
        previous_closed=_at(previous_end + timedelta(days=3), 10),
        current=(start, end),
        upcoming=(upcoming_start, upcoming_start + timedelta(days=301)),
    )


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def seed_demo(today: date | None = None) -> SeedReport:
    """Create whatever part of the demo is missing; running it twice adds nothing."""
    now = utcnow()
    emails_before = db.session.scalar(select(func.coalesce(func.max(Notification.id), 0))) or 0
    today = today or now.date()
    calendar = demo_calendar(today)
    report = SeedReport()
    report.curriculum_rows_added = upsert_curriculum(with_french(CURRICULUM))
    report.curriculum_rows_added += upsert_curriculum(
        with_french([REVERSE_TOPIC]), audience=Audience.MENTOR, start=len(CURRICULUM)
    )
    _backdate_curriculum(calendar.founded)

    org = build_demo_org()
    people = _upsert_people(org, report, calendar.founded)
    hr = people["hr-admin"]
    topics = {topic.name: topic for topic in db.session.scalars(select(Topic))}
    curriculum_names = [spec["name"] for spec in CURRICULUM]
    current_plan = build_demo_enrollments(org, curriculum_names)
    current_exists = _cohort(DEMO_COHORT_NAME) is not None
    seeding = _Seeding(people, topics, hr, calendar, now, report)

    # Last year's first, so that this year's matching keeps its pairs apart. An older demo
    # database that has this year's cohort but not last year's is left as it is.
    if not current_exists and _cohort(PREVIOUS_COHORT_NAME) is None:
        previous_plan = build_other_enrollments(
            org,
            curriculum_names,
            seed=2025,
            mentee_count=30,
            mentor_count=32,
            exclude=frozenset({"demo-mentee"}),
            include=frozenset({"demo-mentor"}),
        )
        _seed_previous(seeding, previous_plan)
    if not current_exists:
        _seed_current(seeding, current_plan)
    if _cohort(NEXT_COHORT_NAME) is None:
        current_keys = {item["key"] for item in current_plan["mentees"] + current_plan["mentors"]}
        new_keys = {p["key"] for p in org["people"]} - current_keys
        upcoming_plan = build_other_enrollments(
            org,
            curriculum_names,
            seed=2027,
            mentee_count=9,
            mentor_count=12,
            exclude=frozenset({"demo-mentee", "demo-mentor"}),
            prefer=frozenset(new_keys),
        )
        _seed_upcoming(seeding, upcoming_plan)
    _settle_accounts(people, org, hr, calendar, now)
    _skip_history_emails(emails_before)
    db.session.flush()
    report.logins = demo_logins()
    return report


def _skip_history_emails(after_id: int) -> None:
    """The demo's story happened months ago: the emails its past events queued (invitations,
    "you have been matched", meeting invitations) are marked skipped, never sent now."""
    db.session.execute(
        update(Notification)
        .where(
            Notification.id > after_id,
            Notification.state == NotificationState.QUEUED.value,
        )
        .values(state=NotificationState.SKIPPED.value, last_error="Demo history: not emailed."),
        execution_options={"synchronize_session": False},
    )


# -- cohorts -------------------------------------------------------------------------------


def _cohort(name: str) -> Cohort | None:
    return db.session.scalar(select(Cohort).where(Cohort.name == name))


def _last_event_id() -> int:
    return db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0


def _date_events(since_id: int, when: datetime) -> None:
    """Date the audit events recorded since `since_id` to the story's moment."""
    db.session.execute(
        update(AuditEvent).where(AuditEvent.id > since_id).values(created_at=when),
        execution_options={"synchronize_session": False},
    )


# The demo cohorts' descriptions as a French HR team would write them.
COHORT_DESCRIPTIONS_FR = {
    PREVIOUS_COHORT_NAME: (
        "Notre premier programme de mentorat inversé : de jeunes collaborateurs, natifs du "
        "numérique, ont accompagné des membres de la direction sur les réseaux sociaux, la "
        "réputation en ligne et les outils d’IA."
    ),
    DEMO_COHORT_NAME: (
        "Notre deuxième programme de mentorat inversé : de jeunes collaborateurs, natifs du "
        "numérique, accompagnent des membres de la direction sur les réseaux sociaux, la "
        "réputation en ligne et les outils d’IA, et découvrent en retour la conduite de "
        "l’entreprise."
    ),
    NEXT_COHORT_NAME: (
        "Notre troisième programme de mentorat inversé, en préparation : les inscriptions "
        "sont ouvertes, et les RH lanceront l’appariement une fois tous les participants "
        "inscrits."
    ),
}


def _new_cohort(
    name: str,
    description: str,
    dates: tuple[date, date],
    topics: list[Topic],
    hr: Person,
    created: datetime,
    report: SeedReport,
) -> Cohort:
    mark = _last_event_id()
    cohort = Cohort(
        name=name,
        description=description,
        description_fr=COHORT_DESCRIPTIONS_FR.get(name, ""),
        start_date=dates[0],
        end_date=dates[1],
        cadence_days=14,
        target_meetings=8,
        min_seniority_gap=2,
        meeting_format=MeetingFormat.HYBRID.value,
        status=CohortStatus.DRAFT.value,
        topics=topics,
        created_at=created,
    )
    db.session.add(cohort)
    db.session.flush()
    record_event("cohort.created", actor=hr, subject=cohort, name=cohort.name)
    _date_events(mark, created)
    report.cohorts_added += 1
    return cohort


def _enroll(
    cohort: Cohort,
    plan: dict,
    people: dict[str, Person],
    topics: dict[str, Topic],
    enrolled_from: datetime,
    report: SeedReport,
    seed: int,
) -> dict[str, Enrollment]:
    rng = random.Random(seed)  # noqa: S311 - demo data
    enrollments: dict[str, Enrollment] = {}
    for side, key in ((Side.MENTOR, "mentors"), (Side.MENTEE, "mentees")):
        role = Role.MENTOR if side is Side.MENTOR else Role.MENTEE
        for item in plan[key]:
            person = people[item["key"]]
            person.add_role(role)
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
                created_at=enrolled_from + timedelta(minutes=rng.randint(0, 14 * 24 * 60)),
            )
            db.session.add(enrollment)
            enrollments[item["key"]] = enrollment
            report.enrollments_added += 1
    db.session.flush()
    return enrollments


@dataclass(frozen=True)
class _Seeding:
    """What every cohort of the demo is seeded with."""

    people: dict[str, Person]
    topics: dict[str, Topic]
    hr: Person
    calendar: DemoCalendar
    now: datetime
    report: SeedReport


def _open_cohort(
    seeding: _Seeding,
    plan: dict,
    name: str,
    description: str,
    dates: tuple[date, date],
    created: datetime,
    enrolled_from: datetime,
    seed: int,
) -> tuple[Cohort, dict[str, Enrollment]]:
    """Create a demo cohort on the whole curriculum and enroll its plan's people."""
    names = [spec["name"] for spec in CURRICULUM]
    cohort = _new_cohort(
        name,
        description,
        dates,
        [seeding.topics[topic] for topic in names],
        seeding.hr,
        created,
        seeding.report,
    )
    enrollments = _enroll(
        cohort, plan, seeding.people, seeding.topics, enrolled_from, seeding.report, seed
    )
    return cohort, enrollments


def _match(
    cohort: Cohort,
    hr: Person,
    ran: datetime,
    published: datetime,
    lead: tuple[Enrollment, Enrollment] | None = None,
) -> int:
    """Run the real matching and publish it, as HR did on those days."""
    from mentoring.matching.services import (
        assign_by_hand,
        publish,
        run_cohort_matching,
        swap_mentors,
    )

    mark = _last_event_id()
    run = run_cohort_matching(cohort, actor=hr, today=ran.date())
    if lead is not None:
        # The pair the demo logins share: HR kept it even if the engine preferred another.
        mentee, mentor = lead
        mine = next(p for p in run.proposals if p.mentee_enrollment_id == mentee.id)
        if mine.mentor_enrollment_id != mentor.id:
            theirs = [p for p in run.proposals if p.mentor_enrollment_id == mentor.id]
            if len(theirs) < mentor.capacity:
                assign_by_hand(run, mentee.id, mentor.id, actor=hr, confirmed=True)
            else:
                swap_mentors(run, mine, theirs[0], actor=hr, confirmed=True)
    run.created_at = ran
    _date_events(mark, ran)
    mark = _last_event_id()
    count = publish(run, actor=hr)
    run.published_at = published
    _date_events(mark, published)
    return count


def _seed_previous(seeding: _Seeding, plan: dict) -> None:
    from mentoring.cohorts.services import change_cohort_status
    from mentoring.demo_history import CohortStory, seed_history
    from mentoring.matching.models import EndReason, Pair, PairStatus
    from mentoring.matching.services import end_pair

    hr, calendar, now, report = seeding.hr, seeding.calendar, seeding.now, seeding.report
    start, _ = calendar.previous
    cohort, _ = _open_cohort(
        seeding,
        plan,
        PREVIOUS_COHORT_NAME,
        "Our first reverse-mentoring program: junior digital natives coached members of "
        "the leadership team on social networks, online reputation and AI tools.",
        calendar.previous,
        _at(start - timedelta(days=63), 14),
        _at(start - timedelta(days=49), 8),
        2025,
    )
    published = _at(start - timedelta(days=10), 15)
    report.pairs_published += _match(cohort, hr, published - timedelta(days=2), published)
    report.meetings_added += seed_history(
        CohortStory(cohort, published, now, closes=calendar.previous_closed)
    )
    # HR closed it a few days after its end: every pair completed the program.
    mark = _last_event_id()
    change_cohort_status(
        cohort, CohortStatus.CLOSED, actor=hr, today=calendar.previous_closed.date()
    )
    pairs = db.session.scalars(select(Pair).where(Pair.cohort_id == cohort.id)).all()
    for pair in pairs:
        if pair.status == PairStatus.ACTIVE.value:
            end_pair(pair, EndReason.COMPLETED, actor=hr)
        pair.end_reason = EndReason.COMPLETED.value
        pair.ended_at = calendar.previous_closed
    db.session.flush()
    _date_events(mark, calendar.previous_closed)


def _seed_current(seeding: _Seeding, plan: dict) -> None:
    from mentoring.demo_history import NO_GOAL, NO_SHOWS, CohortStory, seed_history
    from mentoring.matching.models import Pair

    hr, calendar, now, report = seeding.hr, seeding.calendar, seeding.now, seeding.report
    start, _ = calendar.current
    cohort, enrollments = _open_cohort(
        seeding,
        plan,
        DEMO_COHORT_NAME,
        "Our second reverse-mentoring program: junior digital natives coach members of the "
        "leadership team on social networks, online reputation and AI tools, and learn how "
        "the business is run in return.",
        calendar.current,
        _at(start - timedelta(days=63), 14),
        _at(start - timedelta(days=49), 8),
        2026,
    )
    lead = (enrollments["demo-mentee"], enrollments["demo-mentor"])
    published = _at(start - timedelta(days=8), 15)
    report.pairs_published += _match(cohort, hr, published - timedelta(days=2), published, lead)
    pairs = db.session.scalars(
        select(Pair).where(Pair.cohort_id == cohort.id).order_by(Pair.id)
    ).all()
    lead_pair = next(p for p in pairs if p.mentee_enrollment_id == lead[0].id)
    # A few real cases for HR's at-risk list: executives who set no goal, and a pair whose
    # last two meetings were no-shows.
    others = [p.id for p in pairs if p.id != lead_pair.id]
    chosen = random.Random(2026).sample(others, k=min(3, len(others)))  # noqa: S311
    kinds = dict(zip(chosen, [NO_GOAL, NO_GOAL, NO_SHOWS], strict=False))
    report.meetings_added += seed_history(
        CohortStory(cohort, published, now, kinds=kinds, lead_pair_id=lead_pair.id)
    )


def _seed_upcoming(seeding: _Seeding, plan: dict) -> None:
    today = seeding.now.date()
    _open_cohort(
        seeding,
        plan,
        NEXT_COHORT_NAME,
        "Our third reverse-mentoring program, in preparation: enrollments are open and "
        "HR will run the matching once everyone has joined.",
        seeding.calendar.upcoming,
        _at(today - timedelta(days=21), 14),
        _at(today - timedelta(days=18), 8),
        2027,
    )


# -- people --------------------------------------------------------------------------------


def _backdate_curriculum(founded: datetime) -> None:
    """The curriculum was written before the first cohort: date the demo's to then."""
    names = [spec["name"] for spec in CURRICULUM] + [REVERSE_TOPIC["name"]]
    titles = [t["title"] for spec in CURRICULUM + [REVERSE_TOPIC] for t in spec["goal_templates"]]
    for model, column, values in (
        (Topic, Topic.name, names),
        (GoalTemplate, GoalTemplate.title, titles),
    ):
        db.session.execute(
            update(model)
            .where(column.in_(values), model.created_at > founded)
            .values(created_at=founded),
            execution_options={"synchronize_session": False},
        )


def _upsert_people(org: dict, report: SeedReport, founded: datetime) -> dict[str, Person]:
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
                created_at=founded,
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


def _settle_accounts(
    people: dict[str, Person],
    org: dict,
    hr: Person,
    calendar: DemoCalendar,
    now: datetime,
) -> None:
    """Give the demo's people the invitations and sign-ins their history implies.

    Each participant was invited when first enrolled and signed in last after their
    latest action; people never invited have no account yet. Only people who have never
    signed in are touched, so a second run (or a visitor's sign-in) changes nothing.
    """
    from mentoring.demo_history import latest_activity

    rng = random.Random(4242)  # noqa: S311 - demo data
    by_id = {person.id: person for person in people.values()}
    first_enrolled = dict(
        db.session.execute(
            select(Enrollment.person_id, func.min(Enrollment.created_at))
            .where(Enrollment.person_id.in_(by_id))
            .group_by(Enrollment.person_id)
        ).all()
    )
    invited = set(
        db.session.scalars(select(Invitation.person_id).where(Invitation.person_id.in_(by_id)))
    )
    latest = latest_activity(now)
    logins = {login["key"] for login in DEMO_LOGINS}
    for spec in org["people"]:
        person = people[spec["key"]]
        if person.last_login_at is not None:
            continue
        enrolled = first_enrolled.get(person.id)
        if enrolled is not None and enrolled.tzinfo is None:
            enrolled = enrolled.replace(tzinfo=UTC)
        if spec["key"] in logins:
            sent = calendar.founded + timedelta(days=1)
        elif enrolled is not None:
            sent = enrolled + timedelta(hours=rng.randint(1, 30))
        else:
            person.password_hash = None  # never invited: no account yet
            continue
        accepted: datetime | None = sent + timedelta(hours=rng.randint(2, 120))
        if accepted > now - timedelta(hours=1):
            # Invited for next year's cohort only days ago: some have not answered yet.
            accepted = None if rng.random() < 0.5 else _between(sent, now)
        if person.id not in invited:
            db.session.add(
                Invitation(
                    person=person,
                    nonce=secrets.token_urlsafe(24),
                    created_at=sent,
                    expires_at=sent + timedelta(days=INVITATION_DAYS),
                    accepted_at=accepted,
                    created_by=hr if person.id != hr.id else None,
                )
            )
        if accepted is None:
            person.password_hash = None
            continue
        last = max(accepted, latest.get(person.id, accepted))
        if spec["key"] in logins:
            # The demo accounts were used recently, after everything they did.
            last = max(last, now - timedelta(hours=rng.randint(3, 48)))
        else:
            last = last + timedelta(minutes=rng.randint(0, 600))
        person.last_login_at = min(last, now - timedelta(minutes=1))
        if person.last_login_at < latest.get(person.id, person.last_login_at):
            person.last_login_at = latest[person.id]


def _between(low: datetime, high: datetime) -> datetime:
    return low + (high - low) / 2


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
