"""The flask commands: create-admin and seed-demo."""

from __future__ import annotations

from sqlalchemy import func, select

from mentoring.audit.models import AuditEvent
from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.curriculum.models import GoalTemplate, Topic
from mentoring.demo import DEMO_COHORT_NAME, DEMO_PASSWORD
from mentoring.demo_data import CURRICULUM
from mentoring.extensions import db
from mentoring.goals.models import Goal, SelfAssessment
from mentoring.matching.models import Pair
from mentoring.meetings.models import Meeting, MeetingLog
from mentoring.people.models import Person, Role
from tests.conftest import post_form


def _counts(app):
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (
                Person,
                Topic,
                GoalTemplate,
                Cohort,
                Enrollment,
                Pair,
                Meeting,
                MeetingLog,
                Goal,
                SelfAssessment,
            )
        }


def test_create_admin(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "HR.Boss@Example.org",
            "--name",
            "Hana Boss",
            "--password",
            "a long admin passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created admin account hr.boss@example.org" in result.output
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.email == "hr.boss@example.org"))
        assert person.has_role(Role.ADMIN)
        assert (
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "person.role_granted")
            )
            == 1
        )
    response = post_form(
        client,
        "/login",
        {"email": "hr.boss@example.org", "password": "a long admin passphrase"},
        follow_redirects=True,
    )
    assert "Program administration" in response.get_data(as_text=True)


def test_create_admin_refuses_bad_input(app):
    runner = app.test_cli_runner()
    bad_email = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "not-an-email",
            "--name",
            "X",
            "--password",
            "long enough pw",
        ]
    )
    assert bad_email.exit_code != 0
    assert "email" in bad_email.output.lower()
    weak = runner.invoke(
        args=["create-admin", "--email", "a@example.org", "--name", "X", "--password", "short"]
    )
    assert weak.exit_code != 0
    assert "at least 12 characters" in weak.output
    assert _counts(app)["Person"] == 0


def test_create_admin_grants_the_role_to_an_existing_person(app, make_person):
    make_person("ana@example.org", roles=("mentor",))
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "ANA@example.org",
            "--name",
            "Ana",
            "--password",
            "whatever pw 1",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.email == "ana@example.org"))
        assert person.roles == {Role.ADMIN, Role.MENTOR}
    assert _counts(app)["Person"] == 1


def test_seed_demo_is_believable_and_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = _counts(app)
    assert counts["Person"] >= 100
    assert counts["Topic"] == len(CURRICULUM) + 1  # plus the executives' reverse topic
    # Last year's (closed), this year's and next year's (enrolling) cohorts.
    assert counts["Cohort"] == 3
    assert counts["Enrollment"] >= 80
    # The demo cohort is matched and published, with months of history behind it.
    with app.app_context():
        current = db.session.scalar(select(Cohort).where(Cohort.name == DEMO_COHORT_NAME))
        assert current.status == "active"
        assert (
            db.session.scalar(select(func.count(Pair.id)).where(Pair.cohort_id == current.id)) == 36
        )
    assert counts["Meeting"] > 200
    assert counts["MeetingLog"] > 200
    assert counts["Goal"] > 36
    assert counts["SelfAssessment"] > 0
    for role in ("admin", "mentor", "mentee", "leader"):
        assert f"  {role} " in first.output
    assert DEMO_PASSWORD in first.output

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert _counts(app) == counts
    assert "0 people" in second.output

    with app.app_context():
        people = db.session.scalars(select(Person)).all()
        by_id = {person.id: person for person in people}
        executives = [p for p in people if p.seniority_level >= 7]
        juniors = [p for p in people if p.seniority_level <= 3]
        assert 35 <= len(executives) <= 45
        assert 55 <= len(juniors) <= 65
        assert len({p.department for p in people}) >= 8
        # A manager tree: exactly one root, and every chain ends at it without a loop.
        roots = [p for p in people if p.manager_id is None]
        assert len(roots) == 1
        for person in people:
            seen = set()
            while person.manager_id is not None:
                assert person.id not in seen
                seen.add(person.id)
                person = by_id[person.manager_id]
        # Every mentee is an executive and every mentor a junior, each with topics.
        for enrollment in db.session.scalars(select(Enrollment)):
            person = by_id[enrollment.person_id]
            if enrollment.side == "mentee":
                assert person.seniority_level >= 7
            else:
                assert person.seniority_level <= 3
            assert enrollment.topic_links
            assert enrollment.availability
        from mentoring.db import utcnow
        from mentoring.meetings.overview import overdue_pairs

        overdue = overdue_pairs(now=utcnow())
        assert 0 < len(overdue) < counts["Pair"]  # some pairs went quiet, most did not
        held = db.session.scalar(select(func.count(Meeting.id)).where(Meeting.status == "held"))
        no_shows = db.session.scalar(
            select(func.count(Meeting.id)).where(Meeting.status == "no_show")
        )
        done = db.session.scalar(select(func.count(Goal.id)).where(Goal.status == "done"))
        assert held > 150 and no_shows > 0 and done > 0
        linkedin = db.session.scalar(
            select(GoalTemplate).where(GoalTemplate.title == "Set up a LinkedIn profile")
        )
        assert linkedin.evidence_kind == "url"
        assert len(linkedin.milestones) >= 3


def test_seed_demo_if_empty_leaves_a_used_database_alone(app, make_person):
    make_person("someone@example.org")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "demo data not loaded" in result.output
    assert _counts(app)["Person"] == 1
