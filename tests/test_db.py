"""The database layer: UTC timestamps, foreign keys and named constraints."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.people.models import Person, PersonRole


def test_naive_datetime_is_refused(db):
    person = Person(email="a@example.org", name="A", last_login_at=datetime(2026, 1, 1, 12))
    db.session.add(person)
    with pytest.raises(StatementError, match="naive datetime refused"):
        db.session.flush()


def test_aware_datetime_comes_back_in_utc(db):
    paris_summer = timezone(timedelta(hours=2))
    person = Person(
        email="a@example.org",
        name="A",
        last_login_at=datetime(2026, 7, 1, 14, 30, tzinfo=paris_summer),
    )
    db.session.add(person)
    db.session.commit()
    db.session.expire_all()
    loaded = db.session.scalar(select(Person).where(Person.email == "a@example.org"))
    assert loaded.last_login_at == datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    assert loaded.last_login_at.utcoffset() == timedelta(0)


def test_foreign_keys_are_enforced(db):
    db.session.add(PersonRole(person_id=999_999, role="mentor"))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_sqlite_runs_with_foreign_keys_on(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite-only pragma")
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_postgresql_connections_run_without_jit(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL-only setting")
    assert db.session.execute(text("SHOW jit")).scalar() == "off"


@pytest.mark.parametrize(
    "fields",
    [
        {"seniority_level": 0},
        {"seniority_level": 11},
        {"email": "Upper@Example.org"},
    ],
)
def test_person_constraints(db, fields):
    values = {"email": "a@example.org", "name": "A", **fields}
    db.session.add(Person(**values))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_person_cannot_manage_themselves(db):
    person = Person(email="a@example.org", name="A")
    db.session.add(person)
    db.session.flush()
    person.manager_id = person.id
    with pytest.raises(IntegrityError, match="(?i)not_own_manager"):
        db.session.flush()


def test_emails_are_unique(db):
    db.session.add_all(
        [Person(email="a@example.org", name="A"), Person(email="a@example.org", name="B")]
    )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_unknown_role_is_refused(db):
    with pytest.raises(ValueError):
        Person(email="a@example.org", name="A", roles=("superuser",))
    person = Person(email="a@example.org", name="A")
    db.session.add(person)
    db.session.flush()
    db.session.add(PersonRole(person_id=person.id, role="superuser"))
    with pytest.raises(IntegrityError, match="(?i)role_known"):
        db.session.flush()


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"end_date": date(2026, 9, 1)}, "ends_after_start"),
        ({"cadence_days": 0}, "cadence_positive"),
        ({"target_meetings": 0}, "target_meetings_positive"),
        ({"min_seniority_gap": -1}, "seniority_gap_not_negative"),
        ({"status": "paused"}, "status_known"),
    ],
)
def test_cohort_constraints(db, fields, constraint):
    values = {"name": "C", "start_date": date(2026, 9, 1), "end_date": date(2027, 1, 1), **fields}
    db.session.add(Cohort(**values))
    with pytest.raises(IntegrityError, match=f"(?i){constraint}"):
        db.session.flush()


def test_cohort_names_are_unique(db):
    for _ in range(2):
        db.session.add(Cohort(name="Same", start_date=date(2026, 9, 1), end_date=date(2027, 1, 1)))
    with pytest.raises(IntegrityError):
        db.session.flush()


def _cohort_and_person(db):
    cohort = Cohort(name="C", start_date=date(2026, 9, 1), end_date=date(2027, 1, 1))
    person = Person(email="a@example.org", name="A")
    db.session.add_all([cohort, person])
    db.session.flush()
    return cohort, person


def test_nobody_is_enrolled_twice_in_one_cohort(db):
    cohort, person = _cohort_and_person(db)
    db.session.add(Enrollment(cohort=cohort, person=person, side="mentor"))
    db.session.add(Enrollment(cohort=cohort, person=person, side="mentee"))
    with pytest.raises(IntegrityError, match="(?i)uq_enrollment_cohort_id_person_id|unique"):
        db.session.flush()


def test_capacity_is_at_least_one(db):
    cohort, person = _cohort_and_person(db)
    db.session.add(Enrollment(cohort=cohort, person=person, side="mentor", capacity=0))
    with pytest.raises(IntegrityError, match="(?i)capacity_positive"):
        db.session.flush()


def test_enrollment_side_is_known(db):
    cohort, person = _cohort_and_person(db)
    db.session.add(Enrollment(cohort=cohort, person=person, side="observer"))
    with pytest.raises(IntegrityError, match="(?i)side_known"):
        db.session.flush()


def test_enrolled_person_cannot_be_deleted(db):
    cohort, person = _cohort_and_person(db)
    db.session.add(Enrollment(cohort=cohort, person=person, side="mentor"))
    db.session.flush()
    # RESTRICT: history stays; people are deactivated, never silently deleted.
    with pytest.raises(IntegrityError):
        db.session.execute(text("DELETE FROM person WHERE id = :id"), {"id": person.id})


def test_cohort_lifecycle_transitions():
    cohort = Cohort(name="C", status="draft")
    assert cohort.can_move_to("matching")
    assert not cohort.can_move_to("active")
    assert not cohort.can_move_to("closed")
    cohort.status = "active"
    assert cohort.can_move_to("closed")
    assert not cohort.can_move_to("draft")
    cohort.status = "closed"
    assert not any(cohort.can_move_to(s) for s in ("draft", "matching", "active", "closed"))
