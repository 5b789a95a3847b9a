"""Home pages: what each role sees, and a fixed number of SQL queries whatever the data."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event, select

from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.goals.models import Goal, GoalMilestone
from mentoring.meetings.models import Meeting, MeetingLog
from tests.conftest import PASSWORD, post_form


@contextmanager
def count_queries(app):
    """Count the SQL statements run inside the block."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _fill(app, ids, *, now):
    """Give a pair meetings (held, logged, upcoming, one to log) and goals on both sides."""
    with app.app_context():
        for days, status in ((-40, "held"), (-20, "held"), (-2, "confirmed"), (5, "confirmed")):
            start = now + timedelta(days=days)
            meeting = Meeting(
                pair_id=ids["pair"],
                uid=f"{uuid.uuid4()}@test",
                start_at=start,
                end_at=start + timedelta(hours=1),
                duration_minutes=60,
                status=status,
                location="Room 1",
                confirmed_at=start - timedelta(days=3),
            )
            db.session.add(meeting)
            if status == "held":
                db.session.flush()
                db.session.add(
                    MeetingLog(
                        meeting_id=meeting.id,
                        author_id=ids["mentee"],
                        outcome="held",
                        actual_minutes=55,
                        rating=4,
                        private_notes="secret notes",
                    )
                )
        for owner, title in (
            (ids["mentee_enrollment"], "Set up a LinkedIn profile"),
            (ids["mentee_enrollment"], "Post once a week"),
            (ids["mentor_enrollment"], "Present to a board"),
        ):
            goal = Goal(
                pair_id=ids["pair"],
                owner_enrollment_id=owner,
                title=title,
                status="in_progress",
                milestones=[
                    GoalMilestone(position=1, title="one", done_at=now),
                    GoalMilestone(position=2, title="two"),
                ],
            )
            db.session.add(goal)
        db.session.commit()


def test_participant_home_shows_pair_meetings_goals_and_logs_to_write(
    app, client, login, make_pair
):
    ids = make_pair(mentee_email="eve@example.org")
    _fill(app, ids, now=utcnow())
    page = login("eve@example.org", follow=True).get_data(as_text=True)
    assert "Your mentor: Mia Mentor1" in page
    assert "Why you were matched:" in page
    with app.app_context():
        upcoming = db.session.scalar(
            select(Meeting).where(Meeting.pair_id == ids["pair"], Meeting.start_at > utcnow())
        )
    # The next meeting with its place and its calendar file, beside logs and goals.
    assert "Next meeting</h4>" in page
    assert "Place: Room 1" in page
    assert f"/meetings/{upcoming.id}.ics" in page
    assert "Meetings to log</h4>" in page and "Your goals</h4>" in page
    assert "2 held · target 6" in page
    assert "Log the meeting of" in page
    assert "Set up a LinkedIn profile" in page
    assert 'value="50"' in page  # one of two milestones done
    assert "secret notes" not in page


def test_overdue_pair_is_nudged(app, client, login, make_pair, make_cohort):
    cohort_id = make_cohort(
        status="active",
        start_date=date.today() - timedelta(days=60),
        end_date=date.today() + timedelta(days=200),
        cadence_days=14,
    )
    make_pair(
        cohort_id=cohort_id,
        mentee_email="eve@example.org",
        created_at=utcnow() - timedelta(days=50),
    )
    page = login("eve@example.org", follow=True).get_data(as_text=True)
    assert "Overdue:" in page
    assert "Propose one now" in page


def test_home_pages_run_a_fixed_number_of_queries(app, client, make_pair, make_cohort, make_person):
    """No query per row: 1 pair or 4 pairs (with meetings and goals) cost the same."""
    from mentoring.cohorts.models import Enrollment
    from mentoring.matching.models import Pair

    make_person("hr@example.org", roles=("admin", "leader"))
    now = utcnow()
    first = make_pair(mentor_email="mia@example.org")
    _fill(app, first, now=now)

    def counts():
        result = {}
        for email in ("mia@example.org", "hr@example.org"):
            browser = app.test_client()
            post_form(browser, "/login", {"email": email, "password": PASSWORD})
            with count_queries(app) as statements:
                response = browser.get("/")
            assert response.status_code == 200
            result[email] = len(statements)
        return result

    before = counts()
    # Three more pairs for the same mentor, in another cohort, each with data.
    cohort_id = make_cohort(status="active")
    with app.app_context():
        mentor = Enrollment(
            cohort_id=cohort_id, person_id=first["mentor"], side="mentor", capacity=3
        )
        db.session.add(mentor)
        db.session.commit()
        mentor_id = mentor.id
    for _ in range(3):
        extra = make_pair(cohort_id=cohort_id)
        with app.app_context():
            pair = db.session.get(Pair, extra["pair"])
            pair.mentor_enrollment_id = mentor_id
            db.session.commit()
        _fill(app, {**extra, "mentor_enrollment": mentor_id}, now=now)
    after = counts()
    assert after == before, (before, after)


def test_leader_sees_aggregates_only_and_small_groups_hidden(
    app, client, login, make_pair, make_person
):
    make_person("boss@example.org", roles=("leader",))
    ids = make_pair()
    _fill(app, ids, now=utcnow())
    page = login("boss@example.org", follow=True).get_data(as_text=True)
    assert "Program adoption" in page
    assert "fewer than 5" in page  # one active pair, one executive
    assert "Mia Mentor" not in page and "Eric Mentee" not in page
    assert "Program administration" not in page


def test_hr_home_shows_cohort_health(app, client, login, make_person, make_pair, make_cohort):
    make_person("hr@example.org", roles=("admin",))
    cohort_id = make_cohort(
        status="active",
        start_date=date.today() - timedelta(days=60),
        end_date=date.today() + timedelta(days=200),
        cadence_days=14,
        name="Pilot",
    )
    late = make_pair(cohort_id=cohort_id, created_at=utcnow() - timedelta(days=50))
    fresh = make_pair(cohort_id=cohort_id)  # matched today: not due yet
    page = login("hr@example.org", follow=True).get_data(as_text=True)
    assert "Needs your attention" in page
    assert "1 pair has not met within the cadence in Pilot" in page
    with app.app_context():
        from sqlalchemy import select

        from mentoring.cohorts.models import Cohort

        cohort_id = db.session.scalar(select(Cohort.id).where(Cohort.name == "Pilot"))
    overdue = client.get(f"/cohorts/{cohort_id}/pairs?status=overdue").get_data(as_text=True)
    assert "overdue since" in overdue
    with app.app_context():
        from mentoring.people.models import Person

        late_name = db.session.get(Person, late["mentee"]).name
        fresh_name = db.session.get(Person, fresh["mentee"]).name
    assert late_name in overdue and fresh_name not in overdue


def test_navigation_section_per_endpoint():
    from mentoring.main.navigation import nav_section

    member = {"participant": True, "hr": False}
    hr = {"participant": False, "hr": True}
    assert nav_section("goals.detail", **member) == "home"  # goal pages are not Meetings
    assert nav_section("goals.pair_goals", **hr) == "cohorts"
    assert nav_section("meetings.pair_page", **member) == "home"
    assert nav_section("meetings.pair_page", **hr) == "cohorts"
    assert nav_section("meetings.calendar", **member) == "meetings"
    assert nav_section("meetings.log", **member) == "meetings"
    assert nav_section("matching.pairs", **hr) == "cohorts"
    assert nav_section("cohorts.edit_enrollment", **hr) == "cohorts"
    assert nav_section("cohorts.edit_enrollment", **member) is None
    assert nav_section("people.directory", **hr) == "people"
    assert nav_section("people.profile", **hr) is None
    assert nav_section("audit.index", **hr) is None
    assert nav_section(None, **member) is None


def test_a_goal_page_highlights_home_not_meetings(app, client, login, make_pair):
    ids = make_pair(mentee_email="eve@example.org")
    _fill(app, ids, now=utcnow())
    login("eve@example.org")
    page = client.get(f"/pairs/{ids['pair']}/goals").get_data(as_text=True)
    nav = page[page.index('<nav class="main-nav"') : page.index("</nav>")]
    assert 'aria-current="true">Home</a>' in nav
    assert "Meetings</a>" in nav and 'aria-current="true">Meetings' not in nav
    assert 'aria-current="page">Meetings' not in nav
    calendar = client.get("/calendar").get_data(as_text=True)
    nav = calendar[calendar.index('<nav class="main-nav"') : calendar.index("</nav>")]
    assert 'aria-current="page">Meetings</a>' in nav
    assert 'aria-current="true">Home' not in nav


def test_the_leader_tiles_count_executives_as_people_not_enrollments(app, make_pair, make_cohort):
    """An executive paired in two cohorts, with a goal done in each, is one executive
    with a goal completed, of one paired (the tiles say "executives")."""
    from mentoring.cohorts.models import Enrollment
    from mentoring.main.services import adoption_figures
    from mentoring.matching.models import Pair

    first = make_pair(mentee_email="exec@example.org")
    second = make_pair(cohort_id=make_cohort(status="active"))
    now = utcnow()
    with app.app_context():
        # The same executive again, in the second cohort, instead of its own mentee.
        again = Enrollment(cohort_id=second["cohort"], person_id=first["mentee"], side="mentee")
        db.session.add(again)
        db.session.flush()
        pair = db.session.get(Pair, second["pair"])
        pair.mentee_enrollment_id = again.id
        db.session.flush()
        for ids, owner in ((first, first["mentee_enrollment"]), (second, again.id)):
            db.session.add(
                Goal(
                    pair_id=ids["pair"],
                    owner_enrollment_id=owner,
                    title="Set up a LinkedIn profile",
                    status="done",
                    completed_at=now,
                )
            )
        db.session.commit()
        figures = adoption_figures(now)
    assert (figures.goals_done, figures.mentees_with_goal_done, figures.mentees_paired) == (2, 1, 1)
    assert figures.people_with_goal_done == 1
