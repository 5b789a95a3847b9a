"""The demo tells a true story: seeded once for this module, then held to its invariants.

Consistent in time (nothing dated after the seeding moment, no goal advanced after it was
done, sign-ins after the logs people wrote, calendar stamps in the past), coherent between
the two members of a pair, varied, and with the cohorts the reports need.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from flask_migrate import upgrade
from icalendar import Calendar
from sqlalchemy import func, select, text
from sqlalchemy.orm import aliased

from mentoring import create_app
from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.db import UTCDateTime, utcnow
from mentoring.demo import (
    DEMO_COHORT_NAME,
    NEXT_COHORT_NAME,
    PREVIOUS_COHORT_NAME,
    seed_demo,
)
from mentoring.extensions import db as _db
from mentoring.goals.models import Goal, SelfAssessment, meeting_log_goal
from mentoring.matching.models import Pair
from mentoring.meetings import ical
from mentoring.meetings.feeds import feed_events
from mentoring.meetings.models import Meeting, MeetingLog, meeting_log_topic
from mentoring.people.models import Person, Role
from tests.conftest import app_config

# Columns that say when something is planned, not when it happened: they may lie ahead.
PLANNED_COLUMNS = {("meeting", "start_at"), ("meeting", "end_at"), ("invitation", "expires_at")}
PRIVACY_THRESHOLD = 5


def _empty_every_table() -> None:
    tables = [table.name for table in _db.metadata.sorted_tables]
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(tables)))
            )
        else:
            for name in reversed(tables):
                connection.execute(text(f"DELETE FROM {name}"))  # noqa: S608


def _row_counts() -> dict[str, int]:
    return {
        table.name: _db.session.scalar(select(func.count()).select_from(table))
        for table in _db.metadata.sorted_tables
    }


@pytest.fixture(scope="module")
def seeded(database_url: str) -> Iterator[SimpleNamespace]:
    """An app whose database holds the demo, seeded once (it takes a few seconds)."""
    app = create_app(app_config(database_url))
    with app.app_context():
        upgrade(revision="heads")
        _db.session.remove()
        _empty_every_table()
        report = seed_demo()
        _db.session.commit()
        now = utcnow()
    yield SimpleNamespace(app=app, report=report, now=now)
    with app.app_context():
        _db.session.remove()
        _empty_every_table()
        _db.engine.dispose()


@pytest.fixture
def demo(seeded: SimpleNamespace) -> Iterator[SimpleNamespace]:
    """The seeded demo inside an app context."""
    with seeded.app.app_context():
        yield seeded
        _db.session.rollback()


def _cohort(name: str) -> Cohort:
    return _db.session.scalar(select(Cohort).where(Cohort.name == name))


# -- consistent in time --------------------------------------------------------------------


def test_nothing_is_dated_after_the_seeding_moment(demo):
    checked = set()
    late = []
    for table in _db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, UTCDateTime):
                continue
            if (table.name, column.name) in PLANNED_COLUMNS:
                continue
            checked.add((table.name, column.name))
            latest = _db.session.scalar(select(func.max(column)))
            if latest is not None and latest > demo.now:
                late.append(f"{table.name}.{column.name} = {latest:%Y-%m-%d %H:%M}")
    assert not late, f"dated after {demo.now:%Y-%m-%d %H:%M}: {late}"
    # Every kind of record the issue named is among the columns checked.
    for name in [
        ("audit_event", "created_at"),
        ("invitation", "accepted_at"),
        ("match_run", "published_at"),
        ("pair", "created_at"),
        ("meeting", "created_at"),
        ("meeting", "updated_at"),
        ("meeting_log", "created_at"),
        ("goal", "completed_at"),
        ("goal_milestone", "done_at"),
        ("self_assessment", "created_at"),
        ("person", "last_login_at"),
    ]:
        assert name in checked


def test_only_planned_meetings_lie_ahead(demo):
    ahead = _db.session.execute(
        select(Meeting.status, func.count())
        .where(Meeting.end_at > demo.now)
        .group_by(Meeting.status)
    ).all()
    assert ahead and {status for status, _ in ahead} <= {"proposed", "confirmed"}
    # The creation and last change of a planned meeting are in the past, before its start.
    assert not _db.session.scalar(select(func.count()).where(Meeting.created_at > Meeting.start_at))
    assert not _db.session.scalar(
        select(func.count()).where(Meeting.updated_at < Meeting.created_at)
    )


def test_the_audit_log_dates_the_matching_as_the_matching_page_does(demo):
    from mentoring.audit.models import AuditEvent
    from mentoring.matching.models import MatchRun

    for name in (PREVIOUS_COHORT_NAME, DEMO_COHORT_NAME):
        cohort = _cohort(name)
        run = _db.session.scalar(
            select(MatchRun).where(MatchRun.cohort_id == cohort.id, MatchRun.status == "published")
        )
        published = _db.session.scalar(
            select(AuditEvent.created_at).where(
                AuditEvent.action == "matching.published", AuditEvent.subject_id == cohort.id
            )
        )
        assert published == run.published_at
        assert run.created_at < run.published_at
        assert run.published_at.date() < cohort.start_date
        pair_created = {
            p.created_at
            for p in _db.session.scalars(select(Pair).where(Pair.cohort_id == cohort.id))
        }
        assert pair_created == {run.published_at}


def test_both_members_accepted_the_agreement_before_their_first_meeting(demo):
    from mentoring.trust.models import AgreementAcceptance

    accepted = defaultdict(dict)
    for acceptance in _db.session.scalars(select(AgreementAcceptance)):
        accepted[acceptance.pair_id][acceptance.person_id] = acceptance.accepted_at
    first = dict(
        _db.session.execute(
            select(Meeting.pair_id, func.min(Meeting.created_at)).group_by(Meeting.pair_id)
        ).all()
    )
    assert len(first) > 60
    for pair in _db.session.scalars(select(Pair).where(Pair.id.in_(first))):
        members = {pair.mentee.person_id, pair.mentor.person_id}
        assert set(accepted[pair.id]) == members
        for moment in accepted[pair.id].values():
            assert pair.created_at < moment < first[pair.id]


def test_no_goal_is_advanced_after_it_was_done_or_before_it_was_set(demo):
    rows = _db.session.execute(
        select(Goal.created_at, Goal.completed_at, Meeting.start_at, MeetingLog.created_at)
        .join(meeting_log_goal, meeting_log_goal.c.goal_id == Goal.id)
        .join(MeetingLog, MeetingLog.id == meeting_log_goal.c.meeting_log_id)
        .join(Meeting, Meeting.id == MeetingLog.meeting_id)
    ).all()
    assert len(rows) > 100
    for created, completed, meeting_start, logged in rows:
        assert created <= logged
        if completed is not None:
            assert meeting_start <= completed
            assert logged <= completed
    # Done goals were done by the meetings that advanced them, not out of thin air.
    done = _db.session.scalar(select(func.count(Goal.id)).where(Goal.status == "done"))
    assert done > 20


def test_people_signed_in_after_their_latest_log(demo):
    latest_logs = _db.session.execute(
        select(MeetingLog.author_id, func.max(MeetingLog.updated_at)).group_by(MeetingLog.author_id)
    ).all()
    assert len(latest_logs) > 70
    last_sign_in = dict(_db.session.execute(select(Person.id, Person.last_login_at)).all())
    for author_id, latest in latest_logs:
        assert last_sign_in[author_id] is not None
        assert last_sign_in[author_id] >= latest
    # Nobody who took part in a cohort that has started "never signed in".
    started = select(Enrollment.person_id).join(Cohort).where(Cohort.status != "draft")
    never = _db.session.scalar(
        select(func.count(Person.id)).where(Person.id.in_(started), Person.last_login_at.is_(None))
    )
    assert never == 0


def test_no_calendar_feed_stamps_an_event_in_the_future(demo):
    members = set(
        _db.session.scalars(
            select(Enrollment.person_id).join(
                Pair,
                (Pair.mentee_enrollment_id == Enrollment.id)
                | (Pair.mentor_enrollment_id == Enrollment.id),
            )
        )
    )
    assert len(members) > 70
    events = 0
    for person_id in sorted(members):
        feed = ical.render_feed(feed_events(person_id), name="demo")
        for event in Calendar.from_ical(feed).walk("VEVENT"):
            events += 1
            for name in ("DTSTAMP", "LAST-MODIFIED", "CREATED"):
                if name in event:
                    assert event.decoded(name) <= demo.now, (person_id, name, event["UID"])
    assert events > 1000


# -- coherent between the two members, and varied ---------------------------------------------


def test_both_logs_of_a_meeting_cover_the_same_topics_in_their_own_words(demo):
    topics: dict[int, set[int]] = defaultdict(set)
    for log_id, topic_id in _db.session.execute(
        select(meeting_log_topic.c.log_id, meeting_log_topic.c.topic_id)
    ):
        topics[log_id].add(topic_id)
    logs_of: dict[int, list[MeetingLog]] = defaultdict(list)
    for log in _db.session.scalars(select(MeetingLog)):
        logs_of[log.meeting_id].append(log)
    both = [logs for logs in logs_of.values() if len(logs) == 2]
    assert len(both) > 200
    ratings_differ = 0
    for first, second in both:
        assert first.outcome == second.outcome
        assert topics[first.id] == topics[second.id]
        assert first.private_notes != second.private_notes
        if first.outcome == "held":
            assert topics[first.id]
            assert abs(first.rating - second.rating) <= 2
            ratings_differ += first.rating != second.rating
    assert ratings_differ > len(both) // 10


def test_agendas_and_notes_are_varied_and_drawn_from_the_pairs_topics(demo):
    agendas = Counter(_db.session.scalars(select(Meeting.agenda)))
    assert "" not in agendas
    assert len(agendas) > sum(agendas.values()) // 4
    assert agendas.most_common(1)[0][1] < sum(agendas.values()) // 20
    notes = Counter(_db.session.scalars(select(MeetingLog.private_notes)))
    assert len(notes) > 300


# -- last year, this year, next year ----------------------------------------------------------


def test_last_year_closed_with_every_pair_completed_and_both_self_assessments(demo):
    cohort = _cohort(PREVIOUS_COHORT_NAME)
    assert cohort.status == "closed"
    pairs = _db.session.scalars(select(Pair).where(Pair.cohort_id == cohort.id)).all()
    assert 25 <= len(pairs) <= 32
    for pair in pairs:
        assert pair.status == "ended" and pair.end_reason == "completed"
        assert cohort.end_date <= pair.ended_at.date() < demo.now.date()
        last = _db.session.scalar(
            select(func.max(Meeting.end_at)).where(Meeting.pair_id == pair.id)
        )
        assert last is None or last <= pair.ended_at
    phases = dict(
        _db.session.execute(
            select(SelfAssessment.phase, func.count(func.distinct(SelfAssessment.enrollment_id)))
            .join(Enrollment)
            .where(Enrollment.cohort_id == cohort.id)
            .group_by(SelfAssessment.phase)
        ).all()
    )
    assert phases["start"] >= 40 and phases["end"] >= 35
    done = _db.session.scalars(
        select(Goal).join(Pair).where(Pair.cohort_id == cohort.id, Goal.status == "done")
    ).all()
    assert len(done) >= 20 and all(goal.has_evidence for goal in done)
    rated = _db.session.scalar(
        select(func.count(MeetingLog.id))
        .join(Meeting)
        .join(Pair)
        .where(Pair.cohort_id == cohort.id, MeetingLog.rating.is_not(None))
    )
    assert rated > 300


def test_nobody_meets_last_years_partner_again(demo):
    mentee, mentor = aliased(Enrollment), aliased(Enrollment)
    rows = _db.session.execute(
        select(mentee.person_id, mentor.person_id, Pair.cohort_id)
        .join(mentee, mentee.id == Pair.mentee_enrollment_id)
        .join(mentor, mentor.id == Pair.mentor_enrollment_id)
    ).all()
    cohorts_of = Counter((a, b) for a, b, _ in rows)
    assert max(cohorts_of.values()) == 1
    # The rule matters: people took part in both years.
    both_years = Counter(a for a, _, _ in rows)
    assert sum(1 for count in both_years.values() if count == 2) >= 10


def test_small_groups_exist_so_the_reports_show_suppression(demo):
    cohort = _cohort(DEMO_COHORT_NAME)
    departments = Counter(
        _db.session.scalars(
            select(Person.department)
            .join(Enrollment, Enrollment.person_id == Person.id)
            .where(Enrollment.cohort_id == cohort.id, Enrollment.side == "mentee")
        )
    )
    assert any(0 < n < PRIVACY_THRESHOLD for n in departments.values())
    assert any(n >= PRIVACY_THRESHOLD for n in departments.values())
    previous = _cohort(PREVIOUS_COHORT_NAME)
    takers = Counter(
        topic
        for topic, _ in _db.session.execute(
            select(Goal.topic_id, Goal.owner_enrollment_id)
            .join(Pair)
            .join(Enrollment, Enrollment.id == Goal.owner_enrollment_id)
            .where(Pair.cohort_id == previous.id, Enrollment.side == "mentee")
            .distinct()
        )
    )
    assert any(0 < n < PRIVACY_THRESHOLD for n in takers.values())
    assert any(n >= PRIVACY_THRESHOLD for n in takers.values())


def test_the_at_risk_list_has_real_cases(demo):
    cohort = _cohort(DEMO_COHORT_NAME)
    pairs = _db.session.scalars(
        select(Pair).where(Pair.cohort_id == cohort.id, Pair.status == "active")
    ).all()
    without_goal = 0
    two_no_shows = 0
    for pair in pairs:
        statuses = list(
            _db.session.scalars(
                select(Meeting.status)
                .where(Meeting.pair_id == pair.id, Meeting.status.in_(["held", "no_show"]))
                .order_by(Meeting.start_at)
            )
        )
        goals = _db.session.scalar(
            select(func.count(Goal.id)).where(
                Goal.pair_id == pair.id, Goal.owner_enrollment_id == pair.mentee_enrollment_id
            )
        )
        without_goal += goals == 0 and statuses.count("held") >= 2
        two_no_shows += statuses[-2:] == ["no_show", "no_show"]
    assert 1 <= without_goal <= 3
    assert two_no_shows >= 1


def test_the_demo_logins_share_a_rich_pair_and_the_leader_leads(demo):
    people = {
        p.name: p
        for p in _db.session.scalars(
            select(Person).where(
                Person.name.in_(["Marc Delacroix", "Inès Haddad", "Nathalie Rousseau"])
            )
        )
    }
    assert people["Nathalie Rousseau"].has_role(Role.LEADER)
    cohort = _cohort(DEMO_COHORT_NAME)
    mentee, mentor = aliased(Enrollment), aliased(Enrollment)
    pair = _db.session.scalar(
        select(Pair)
        .join(mentee, mentee.id == Pair.mentee_enrollment_id)
        .join(mentor, mentor.id == Pair.mentor_enrollment_id)
        .where(
            Pair.cohort_id == cohort.id,
            mentee.person_id == people["Marc Delacroix"].id,
            mentor.person_id == people["Inès Haddad"].id,
        )
    )
    assert pair is not None and pair.status == "active"
    meetings = _db.session.scalars(select(Meeting).where(Meeting.pair_id == pair.id)).all()
    assert sum(m.status == "held" for m in meetings) >= 8
    assert any(m.status == "confirmed" and m.start_at > demo.now for m in meetings)
    assert all(len(m.logs) == 2 for m in meetings if m.status == "held")
    goals = _db.session.scalars(select(Goal).where(Goal.pair_id == pair.id)).all()
    assert sum(g.status == "done" for g in goals) >= 1
    assert {g.owner_enrollment_id for g in goals} == {
        pair.mentee_enrollment_id,
        pair.mentor_enrollment_id,
    }


def test_next_years_cohort_has_enrollments_and_no_pairs(demo):
    cohort = _cohort(NEXT_COHORT_NAME)
    assert cohort.status == "draft"
    assert cohort.start_date > _cohort(DEMO_COHORT_NAME).end_date
    assert len(cohort.enrollments) >= 15
    assert not _db.session.scalar(select(func.count(Pair.id)).where(Pair.cohort_id == cohort.id))


def test_seeding_again_changes_nothing(demo):
    before = _row_counts()
    report = seed_demo()
    _db.session.commit()
    assert _row_counts() == before
    assert (report.people_added, report.cohorts_added, report.enrollments_added) == (0, 0, 0)
    assert (report.pairs_published, report.meetings_added) == (0, 0)


def test_the_story_s_past_emails_are_never_sent_now(demo):
    """Publishing and scheduling in the seed queue emails; the demo's past is not mailed."""
    from mentoring.notifications.models import Notification, NotificationState

    states = Counter(_db.session.scalars(select(Notification.state)))
    assert states[NotificationState.SKIPPED.value] > 30  # the seed did queue "matched" emails
    assert states[NotificationState.QUEUED.value] == 0
