"""HR's cohorts: settings, lifecycle, enrollments, and participants editing their own."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from mentoring.audit.models import AuditEvent
from mentoring.cohorts.models import Cohort, CohortStatus, Enrollment
from mentoring.curriculum.models import Topic
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.matching.models import Pair
from mentoring.meetings.models import Meeting
from mentoring.people.models import Person, Role
from tests.conftest import PASSWORD, post_form


def _topics(app, *names):
    with app.app_context():
        topics = [Topic(name=name, position=i) for i, name in enumerate(names)]
        db.session.add_all(topics)
        db.session.commit()
        return [topic.id for topic in topics]


def _cohort_form(topic_ids, /, **changes):
    data = {
        "name": "Digital Leaders 2027",
        "description": "Second run.",
        "start_date": "2027-01-11",
        "end_date": "2027-07-09",
        "cadence_days": "14",
        "target_meetings": "8",
        "min_seniority_gap": "2",
        "meeting_format": "hybrid",
        "topic_ids": [str(t) for t in topic_ids],
    }
    data.update(changes)
    return data


def _hr(make_person, login):
    make_person("hr@example.org", roles=("admin",), name="Hana HR")
    login("hr@example.org")


def _cohort(app, name="Digital Leaders 2027"):
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == name))
        return cohort and {
            "id": cohort.id,
            "status": cohort.status,
            "topics": sorted(t.name for t in cohort.topics),
            "cadence_days": cohort.cadence_days,
        }


def test_hr_creates_edits_and_lists_a_cohort(app, client, login, make_person):
    _hr(make_person, login)
    topic_ids = _topics(app, "LinkedIn", "AI tools", "Crisis")
    response = post_form(client, "/cohorts/new", _cohort_form(topic_ids[:2]))
    assert response.status_code == 302
    cohort = _cohort(app)
    assert cohort["status"] == "draft"
    assert cohort["topics"] == ["AI tools", "LinkedIn"]

    response = post_form(
        client, f"/cohorts/{cohort['id']}/edit", _cohort_form(topic_ids, cadence_days="21")
    )
    assert response.status_code == 302
    assert _cohort(app)["cadence_days"] == 21
    assert len(_cohort(app)["topics"]) == 3
    listing = client.get("/cohorts/").get_data(as_text=True)
    assert "Digital Leaders 2027" in listing
    assert "Digital Leaders 2027" not in client.get("/cohorts/?status=closed").get_data(
        as_text=True
    )


def test_cohort_form_rejects_bad_input_and_keeps_it(app, client, login, make_person):
    _hr(make_person, login)
    topic_ids = _topics(app, "LinkedIn")
    post_form(client, "/cohorts/new", _cohort_form(topic_ids, name="Taken"))
    cases = [
        ({"name": "taken"}, "A cohort called &#39;Taken&#39; already exists."),
        ({"end_date": "2027-01-01"}, "The end date must be after the start date."),
        ({"end_date": "2027-01-11"}, "The end date must be after the start date."),
        ({"cadence_days": "0"}, "Use a number of days from 1 to 365."),
        ({"cadence_days": "abc"}, "Not a valid integer value."),
        ({"start_date": "2027-02-30"}, "Not a valid date value."),
        ({"name": ""}, "Give the cohort a name."),
        ({"topic_ids": ["999999"]}, "not a valid choice"),
    ]
    for change, message in cases:
        response = post_form(client, "/cohorts/new", _cohort_form(topic_ids, **change))
        page = response.get_data(as_text=True)
        assert response.status_code == 200, change
        assert message in page, (change, message)
        assert "Second run." in page  # typed text is kept
    with app.app_context():
        assert db.session.scalar(select(func.count(Cohort.id))) == 1


def _enroll(client, cohort_id, **fields):
    data = {
        "email": "x@example.org",
        "side": "mentor",
        "capacity": "1",
        "availability": "",
        "topic_ids": [],
    }
    data.update(fields)
    return post_form(client, f"/cohorts/{cohort_id}/enrollments/new", data)


def test_enrollments_and_lifecycle(app, client, login, make_person, make_cohort):
    _hr(make_person, login)
    topic_ids = _topics(app, "LinkedIn", "AI tools")
    cohort_id = make_cohort(name="Pilot")
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        cohort.topics = list(db.session.scalars(select(Topic)))
        db.session.commit()
    make_person("junior@example.org", name="June Junior", seniority_level=2)
    make_person("exec@example.org", name="Eve Exec", seniority_level=9)

    # Matching needs both sides.
    post_form(
        client,
        f"/cohorts/{cohort_id}/status",
        {"status": "matching"},
        form_url=f"/cohorts/{cohort_id}",
    )
    assert _cohort(app, "Pilot")["status"] == "draft"

    response = _enroll(
        client,
        cohort_id,
        email="JUNIOR@example.org",
        side="mentor",
        capacity="2",
        topic_ids=[str(topic_ids[1]), str(topic_ids[0])],
        availability="Mon 09:00-10:30, thursday 14h00-15h00",
    )
    assert response.status_code == 302
    assert _enroll(client, cohort_id, email="exec@example.org", side="mentee").status_code == 302
    with app.app_context():
        junior = db.session.scalar(
            select(Enrollment).join(Person).where(Person.email == "junior@example.org")
        )
        assert junior.capacity == 2
        assert [t.name for t in junior.topics] == ["AI tools", "LinkedIn"]
        assert junior.availability == [
            {"day": 0, "start": "09:00", "end": "10:30"},
            {"day": 3, "start": "14:00", "end": "15:00"},
        ]
        assert junior.person.has_role(Role.MENTOR)

    # The same person cannot be on both sides.
    both = _enroll(client, cohort_id, email="exec@example.org", side="mentor")
    assert "already enrolled in this cohort as a mentee" in both.get_data(as_text=True)
    # Bad input on the enrollment form.
    for change, message in [
        ({"email": "ghost@example.org"}, "Nobody with this email is in the directory"),
        ({"availability": "Someday 9-10"}, "is not a window like"),
        ({"availability": "Mon 11:00-10:00"}, "ends before it starts"),
        ({"capacity": "0"}, "Use a number from 1 to 10."),
    ]:
        page = _enroll(client, cohort_id, **{"email": "junior@example.org", **change}).get_data(
            as_text=True
        )
        assert message in page, change

    assert (
        post_form(
            client,
            f"/cohorts/{cohort_id}/status",
            {"status": "matching"},
            form_url=f"/cohorts/{cohort_id}",
        ).status_code
        == 302
    )
    assert _cohort(app, "Pilot")["status"] == "matching"
    # A matching cohort cannot jump to closed.
    post_form(
        client,
        f"/cohorts/{cohort_id}/status",
        {"status": "closed"},
        form_url=f"/cohorts/{cohort_id}",
    )
    assert _cohort(app, "Pilot")["status"] == "matching"
    # Remove before matching is published.
    with app.app_context():
        enrollment_id = db.session.scalar(
            select(Enrollment.id).join(Person).where(Person.email == "exec@example.org")
        )
    post_form(
        client, f"/cohorts/enrollments/{enrollment_id}/remove", {}, form_url=f"/cohorts/{cohort_id}"
    )
    with app.app_context():
        assert db.session.get(Enrollment, enrollment_id) is None


def test_closed_cohort_cannot_be_edited(app, client, login, make_person, make_cohort):
    _hr(make_person, login)
    cohort_id = make_cohort(name="Old", status="closed")
    response = client.get(f"/cohorts/{cohort_id}/edit")
    assert response.status_code == 302
    assert "closed" in client.get(response.headers["Location"]).get_data(as_text=True)
    post_form(
        client,
        f"/cohorts/{cohort_id}/edit",
        _cohort_form([], name="Renamed"),
        form_url=f"/cohorts/{cohort_id}",
    )
    assert _cohort(app, "Old") is not None
    make_person("junior@example.org")
    response = client.get(f"/cohorts/{cohort_id}/enrollments/new")
    assert response.status_code == 302


def test_participant_edits_their_own_enrollment_only(app, client, login, make_person, make_cohort):
    topic_ids = _topics(app, "LinkedIn", "AI tools")
    cohort_id = make_cohort(name="Pilot")
    ana = make_person("ana@example.org", roles=("mentor",))
    bob = make_person("bob@example.org", roles=("mentor",))
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        cohort.topics = list(db.session.scalars(select(Topic)))
        mine = Enrollment(cohort=cohort, person_id=ana, side="mentor", capacity=2)
        theirs = Enrollment(cohort=cohort, person_id=bob, side="mentor")
        db.session.add_all([mine, theirs])
        db.session.commit()
        mine_id, theirs_id = mine.id, theirs.id
    login("ana@example.org")
    assert client.get(f"/cohorts/enrollments/{theirs_id}/edit").status_code == 404
    response = post_form(
        client,
        f"/cohorts/enrollments/{mine_id}/edit",
        {"topic_ids": [str(topic_ids[0])], "availability": "Tue 08:00-09:00", "capacity": "9"},
    )
    assert response.status_code == 302
    with app.app_context():
        mine = db.session.get(Enrollment, mine_id)
        assert [t.name for t in mine.topics] == ["LinkedIn"]
        assert mine.capacity == 2  # capacity is HR's to set
    assert client.get(f"/cohorts/{cohort_id}").status_code == 403
    assert client.post(f"/cohorts/enrollments/{mine_id}/remove").status_code in (400, 403)


# The lifecycle: every move, closing and cancelling ------------------------------------

ALL_STATUSES = ("draft", "matching", "active", "closed", "cancelled")
ALLOWED_MOVES = {
    ("draft", "matching"),
    ("draft", "cancelled"),
    ("matching", "draft"),
    ("matching", "active"),
    ("matching", "cancelled"),
    ("active", "closed"),
    ("active", "cancelled"),
}


@pytest.mark.parametrize("source", ALL_STATUSES)
@pytest.mark.parametrize("target", ALL_STATUSES)
def test_each_lifecycle_move_is_allowed_or_refused(
    app, make_person, make_cohort, make_pair, source, target
):
    from mentoring.cohorts.services import change_cohort_status
    from mentoring.domain import RuleViolation

    hr_id = make_person(roles=("admin",))
    cohort_id = make_cohort(
        status=source, start_date=date.today() - timedelta(days=30), name="Moves"
    )
    make_pair(cohort_id=cohort_id)  # both sides enrolled, so matching is possible
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        hr = db.session.get(Person, hr_id)
        if (source, target) in ALLOWED_MOVES:
            change_cohort_status(cohort, CohortStatus(target), actor=hr)
            db.session.commit()
            assert db.session.get(Cohort, cohort_id).status == target
        else:
            with pytest.raises(RuleViolation) as refused:
                change_cohort_status(cohort, CohortStatus(target), actor=hr)
            db.session.rollback()
            assert db.session.get(Cohort, cohort_id).status == source
            if source in ("closed", "cancelled"):
                assert f"a {source} cohort stays {source}" in refused.value.message


def _status_post(client, cohort_id, status):
    return post_form(
        client,
        f"/cohorts/{cohort_id}/status",
        {"status": status},
        form_url=f"/cohorts/{cohort_id}",
        follow_redirects=True,
    )


def test_a_cohort_cannot_close_before_it_starts(app, client, login, make_person, make_cohort):
    _hr(make_person, login)
    cohort_id = make_cohort(
        name="Next year",
        status="active",
        start_date=date.today() + timedelta(days=10),
        end_date=date.today() + timedelta(days=200),
    )
    page = client.get(f"/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Close cohort" not in page  # no button that would be refused
    assert "Cancel cohort" in page
    refused = _status_post(client, cohort_id, "closed").get_data(as_text=True)
    assert "a cohort cannot close before it starts" in refused
    assert "cancel it instead" in refused
    assert _cohort(app, "Next year")["status"] == "active"


def test_closing_a_running_cohort_completes_its_pairs(
    app, client, login, make_person, make_cohort, make_pair
):
    _hr(make_person, login)
    cohort_id = make_cohort(
        name="Running", status="active", start_date=date.today() - timedelta(days=90)
    )
    ids = make_pair(cohort_id=cohort_id)
    page = _status_post(client, cohort_id, "closed").get_data(as_text=True)
    assert "Running is closed." in page
    with app.app_context():
        pair = db.session.get(Pair, ids["pair"])
        assert (pair.status, pair.end_reason, pair.end_note) == (
            "ended",
            "completed",
            "The cohort closed.",
        )


def _future_meeting(pair_id: int, days: int) -> Meeting:
    start = utcnow() + timedelta(days=days)
    return Meeting(
        pair_id=pair_id,
        uid=f"{uuid.uuid4()}@test",
        start_at=start,
        end_at=start + timedelta(hours=1),
        duration_minutes=60,
        status="confirmed",
        confirmed_at=utcnow(),
    )


def test_hr_cancels_a_cohort_that_will_not_run(
    app, client, login, make_person, make_cohort, make_pair
):
    _hr(make_person, login)
    cohort_id = make_cohort(
        name="Doomed", status="active", start_date=date.today() + timedelta(days=20)
    )
    ids = make_pair(cohort_id=cohort_id)
    other = make_pair()  # another cohort's pair is untouched
    with app.app_context():
        upcoming, elsewhere = _future_meeting(ids["pair"], 25), _future_meeting(other["pair"], 25)
        db.session.add_all([upcoming, elsewhere])
        db.session.commit()
        upcoming_id, elsewhere_id = upcoming.id, elsewhere.id

    form = client.get(f"/cohorts/{cohort_id}/cancel").get_data(as_text=True)
    assert "Cancelling cannot be undone" in form
    assert "Every active pair ends with the reason “Cohort cancelled”" in form
    # Without the explicit confirmation nothing changes, and the reason typed is kept.
    unconfirmed = post_form(
        client, f"/cohorts/{cohort_id}/cancel", {"reason": "Budget frozen"}
    ).get_data(as_text=True)
    assert "Tick this box to confirm the cancellation." in unconfirmed
    assert "Budget frozen" in unconfirmed
    assert _cohort(app, "Doomed")["status"] == "active"

    done = post_form(
        client,
        f"/cohorts/{cohort_id}/cancel",
        {"reason": "Budget frozen", "confirm": "y"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Doomed is cancelled." in done
    assert "status-cancelled" in done
    assert "Cancel cohort" not in done and "Edit settings" not in done
    with app.app_context():
        assert db.session.get(Cohort, cohort_id).status == "cancelled"
        pair = db.session.get(Pair, ids["pair"])
        assert (pair.status, pair.end_reason) == ("ended", "cohort_cancelled")
        assert db.session.get(Meeting, upcoming_id).status == "cancelled"
        assert db.session.get(Meeting, elsewhere_id).status == "confirmed"
        assert db.session.get(Pair, other["pair"]).status == "active"
        enrolled = db.session.scalars(
            select(Enrollment.status).where(Enrollment.cohort_id == cohort_id)
        ).all()
        assert enrolled == ["active", "active"]  # enrollments are kept
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.cancelled"))
        assert event.subject_id == cohort_id
        assert event.details == {
            "previous": "active",
            "status": "cancelled",
            "note": "Budget frozen",
        }
    listing = client.get("/cohorts/?status=cancelled").get_data(as_text=True)
    assert "Doomed" in listing
    # The mentee learns it on their home page: no pair any more, and why.
    mentee = app.test_client()
    post_form(mentee, "/login", {"email": "mentee1@example.org", "password": PASSWORD})
    home = mentee.get("/").get_data(as_text=True)
    assert "HR cancelled this cohort: it will not run." in home
    assert "Your mentor:" not in home
    # A cancelled cohort stays cancelled: no cancel page, no settings, no status move.
    again = client.get(f"/cohorts/{cohort_id}/cancel", follow_redirects=True)
    assert "it can no longer be cancelled" in again.get_data(as_text=True)
    assert client.get(f"/cohorts/{cohort_id}/edit").status_code == 302
    refused = _status_post(client, cohort_id, "draft").get_data(as_text=True)
    assert "a cancelled cohort stays cancelled" in refused


def test_a_draft_cohort_is_cancelled_without_pairs(app, client, login, make_person, make_cohort):
    _hr(make_person, login)
    cohort_id = make_cohort(name="Never", status="draft")
    form = client.get(f"/cohorts/{cohort_id}/cancel").get_data(as_text=True)
    assert "no pair or meeting is affected" in form
    # The status button cannot cancel without the confirmation page.
    response = post_form(
        client,
        f"/cohorts/{cohort_id}/status",
        {"status": "cancelled"},
        form_url=f"/cohorts/{cohort_id}",
    )
    assert response.headers["Location"].endswith(f"/cohorts/{cohort_id}/cancel")
    assert _cohort(app, "Never")["status"] == "draft"
    post_form(client, f"/cohorts/{cohort_id}/cancel", {"confirm": "y"})
    assert _cohort(app, "Never")["status"] == "cancelled"


def test_cohorts_never_import_the_domains_above_them():
    """Domains import downwards only: cohorts reach matching through a signal."""
    import ast
    from pathlib import Path

    import mentoring.cohorts

    above = ("mentoring.matching", "mentoring.meetings", "mentoring.goals", "mentoring.main")
    offenders = []
    for path in Path(mentoring.cohorts.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(above)]
    assert offenders == []
