"""HR's cohorts: settings, lifecycle, enrollments, and participants editing their own."""

from __future__ import annotations

from sqlalchemy import func, select

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.curriculum.models import Topic
from mentoring.extensions import db
from mentoring.people.models import Person, Role
from tests.conftest import post_form


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
