"""Confidence self-assessment per topic, at the start and at the end of a cohort."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.curriculum.models import GoalTemplate, Topic
from mentoring.extensions import db
from mentoring.goals import views as goal_views
from mentoring.goals.assessments import (
    assessment_due,
    assessment_topics,
    assessments_due,
    confidence_gains,
    save_self_assessment,
)
from mentoring.goals.models import SelfAssessment
from mentoring.goals.rules import confidence_problem, due_phase, start_prompt_ends
from tests.conftest import post_form

# make_cohort's default dates: 1 Sep 2026 to 30 Jun 2027; the end window opens 16 Jun 2027.
DURING = date(2026, 11, 20)
END_WINDOW = date(2027, 6, 20)


@pytest.fixture
def today(monkeypatch):
    """Set the day the self-assessment views believe it is."""

    def set_day(day: date) -> None:
        monkeypatch.setattr(goal_views, "_today", lambda: day)

    set_day(DURING)
    return set_day


@pytest.fixture
def pair_with_topics(app, make_pair):
    """A pair in a cohort with two topics in scope, and a mentor-only topic."""
    ids = make_pair()
    with app.app_context():
        linkedin, ai = Topic(name="LinkedIn", position=0), Topic(name="AI tools", position=1)
        insight = Topic(name="Business insight", position=5)
        db.session.add(GoalTemplate(topic=insight, title="Present to a board", audience="mentor"))
        db.session.get(Cohort, ids["cohort"]).topics = [linkedin, ai]
        db.session.commit()
        ids.update(linkedin=linkedin.id, ai=ai.id, insight=insight.id)
    return ids


def _url(ids, phase="start", side="mentee"):
    return f"/enrollments/{ids[side + '_enrollment']}/self-assessment/{phase}"


def _ratings(app, enrollment_id):
    with app.app_context():
        rows = db.session.execute(
            select(SelfAssessment.phase, SelfAssessment.topic_id, SelfAssessment.confidence).where(
                SelfAssessment.enrollment_id == enrollment_id
            )
        ).all()
    return {(phase, topic): value for phase, topic, value in rows}


def test_a_mentee_rates_each_topic_in_scope_and_can_correct_it(
    app, client, login, pair_with_topics, today
):
    ids = pair_with_topics
    login("mentee1@example.org")
    page = client.get(_url(ids)).get_data(as_text=True)
    assert "<legend>LinkedIn</legend>" in page and "<legend>AI tools</legend>" in page
    assert "Business insight" not in page  # a mentee rates the topics in scope
    response = post_form(
        client, _url(ids), {f"topic_{ids['linkedin']}": "2", f"topic_{ids['ai']}": "1"}
    )
    assert response.status_code == 302
    assert _ratings(app, ids["mentee_enrollment"]) == {
        ("start", ids["linkedin"]): 2,
        ("start", ids["ai"]): 1,
    }
    page = client.get(_url(ids)).get_data(as_text=True)
    assert "You can correct your ratings." in page
    assert f'checked id="topic_{ids["linkedin"]}-1" name="topic_{ids["linkedin"]}"' in page
    post_form(client, _url(ids), {f"topic_{ids['linkedin']}": "3", f"topic_{ids['ai']}": "1"})
    assert _ratings(app, ids["mentee_enrollment"])[("start", ids["linkedin"])] == 3
    with app.app_context():
        assert db.session.scalar(select(func.count(SelfAssessment.id))) == 2


@pytest.mark.parametrize("bad", ["0", "6", "abc", "-1", "2.5", "--3", "²"])
def test_a_confidence_outside_1_to_5_is_refused_and_nothing_is_written(
    app, client, login, pair_with_topics, today, bad
):
    ids = pair_with_topics
    login("mentee1@example.org")
    response = post_form(
        client, _url(ids), {f"topic_{ids['linkedin']}": "4", f"topic_{ids['ai']}": bad}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose a confidence from 1 (not at all confident) to 5 (very confident)." in page
    assert f'id="topic_{ids["ai"]}-error"' in page
    assert _ratings(app, ids["mentee_enrollment"]) == {}


def test_every_topic_must_be_rated(app, client, login, pair_with_topics, today):
    ids = pair_with_topics
    login("mentee1@example.org")
    response = post_form(client, _url(ids), {f"topic_{ids['linkedin']}": "4"})
    assert "Rate your confidence in AI tools, from 1 to 5." in response.get_data(as_text=True)
    assert _ratings(app, ids["mentee_enrollment"]) == {}


def test_the_end_assessment_opens_two_weeks_before_the_end(
    app, client, login, pair_with_topics, today
):
    ids = pair_with_topics
    login("mentee1@example.org")
    data = {f"topic_{ids['linkedin']}": "4", f"topic_{ids['ai']}": "5"}
    response = post_form(client, _url(ids, "end"), data)
    assert response.status_code == 200
    assert "opens two weeks before the cohort ends" in response.get_data(as_text=True)
    assert _ratings(app, ids["mentee_enrollment"]) == {}

    today(END_WINDOW)
    assert post_form(client, _url(ids, "end"), data).status_code == 302
    assert _ratings(app, ids["mentee_enrollment"])[("end", ids["ai"])] == 5

    with app.app_context():
        db.session.get(Cohort, ids["cohort"]).status = "closed"
        db.session.commit()
    response = post_form(client, _url(ids, "end"), {**data, f"topic_{ids['ai']}": "1"})
    assert "This cohort is closed" in response.get_data(as_text=True)
    assert _ratings(app, ids["mentee_enrollment"])[("end", ids["ai"])] == 5


def test_nobody_rates_or_reads_someone_elses_assessment(
    app, client, login, make_person, pair_with_topics, today
):
    ids = pair_with_topics
    make_person("hr@example.org", roles=("admin",))
    for email in ("mentor1@example.org", "hr@example.org"):
        client.delete_cookie("session")
        login(email)
        assert client.get(_url(ids)).status_code == 404
        response = post_form(
            client,
            _url(ids),
            {f"topic_{ids['linkedin']}": "5", f"topic_{ids['ai']}": "5"},
            form_url="/",
        )
        assert response.status_code == 404
    assert _ratings(app, ids["mentee_enrollment"]) == {}


def test_a_mentor_also_rates_what_they_learn_from_the_executive(
    app, client, login, pair_with_topics, today
):
    ids = pair_with_topics
    login("mentor1@example.org")
    page = client.get(_url(ids, side="mentor")).get_data(as_text=True)
    assert "<legend>Business insight</legend>" in page
    with app.app_context():
        mentor = db.session.get(Enrollment, ids["mentor_enrollment"])
        names = [topic.name for topic in assessment_topics(mentor)]
    assert names == ["LinkedIn", "AI tools", "Business insight"]


def test_assessment_due_prompts_start_then_end(app, pair_with_topics):
    ids = pair_with_topics
    with app.app_context():
        mentee = db.session.get(Enrollment, ids["mentee_enrollment"])
        assert assessment_due(mentee, DURING) == "start"
        save_self_assessment(mentee, "start", {ids["linkedin"]: 2, ids["ai"]: 3}, today=DURING)
        assert assessment_due(mentee, DURING) is None
        assert assessment_due(mentee, END_WINDOW) == "end"
        save_self_assessment(mentee, "end", {ids["linkedin"]: 4, ids["ai"]: 3}, today=END_WINDOW)
        assert assessment_due(mentee, END_WINDOW) is None
        mentee.cohort.status = "closed"
        assert assessment_due(mentee, END_WINDOW) is None
        db.session.rollback()


def test_the_pair_goals_page_prompts_for_the_assessment_due(
    app, client, login, pair_with_topics, today
):
    ids = pair_with_topics
    login("mentee1@example.org")
    page = client.get(f"/pairs/{ids['pair']}/goals").get_data(as_text=True)
    assert "Rate your confidence" in page
    assert _url(ids) in page


def test_confidence_gains_compare_the_same_people(app, make_pair, pair_with_topics):
    ids = pair_with_topics
    second = make_pair(cohort_id=ids["cohort"])
    third = make_pair(cohort_id=ids["cohort"])
    with app.app_context():
        enrollment = lambda key, pair: db.session.get(Enrollment, pair[key])  # noqa: E731
        a, b = enrollment("mentee_enrollment", ids), enrollment("mentee_enrollment", second)
        late = enrollment("mentee_enrollment", third)
        mentor = enrollment("mentor_enrollment", ids)
        li, ai = ids["linkedin"], ids["ai"]
        save_self_assessment(a, "start", {li: 1, ai: 2}, today=DURING)
        save_self_assessment(a, "end", {li: 4, ai: 2}, today=END_WINDOW)
        save_self_assessment(b, "start", {li: 2, ai: 3}, today=DURING)
        save_self_assessment(b, "end", {li: 5, ai: 5}, today=END_WINDOW)
        save_self_assessment(late, "end", {li: 5, ai: 5}, today=END_WINDOW)  # no baseline
        save_self_assessment(mentor, "start", {li: 5, ai: 5, ids["insight"]: 1}, today=DURING)
        save_self_assessment(mentor, "end", {li: 5, ai: 5, ids["insight"]: 4}, today=END_WINDOW)
        db.session.commit()

        gains = confidence_gains(ids["cohort"], side="mentee")
        assert gains[li] == (2, 1.5, 4.5)
        assert gains[li].gain == 3.0
        assert gains[ai] == (2, 2.5, 3.5)
        assert ids["insight"] not in gains
        everyone = confidence_gains(ids["cohort"])
        assert everyone[li].n == 3
        assert everyone[ids["insight"]] == (1, 1.0, 4.0)


def test_the_database_refuses_a_confidence_outside_1_to_5(app, pair_with_topics):
    ids = pair_with_topics
    with app.app_context():
        for value in (0, 6):
            db.session.add(
                SelfAssessment(
                    enrollment_id=ids["mentee_enrollment"],
                    topic_id=ids["linkedin"],
                    phase="start",
                    confidence=value,
                )
            )
            with pytest.raises(IntegrityError):
                db.session.commit()
            db.session.rollback()


def test_rules_of_the_self_assessment():
    assert confidence_problem(1) is None and confidence_problem(5) is None
    for bad in (0, 6, "3", 2.5, True, None):
        assert confidence_problem(bad), bad
    start, end = date(2026, 9, 1), date(2027, 6, 30)
    args = {"cohort_closed": False, "start_done": False, "end_done": False}
    assert due_phase(date(2026, 8, 20), start, end, **args) == "start"  # before it starts
    assert due_phase(date(2027, 6, 15), start, end, **args) is None  # past the first third
    assert due_phase(date(2027, 6, 16), start, end, **args) == "end"
    assert due_phase(date(2027, 7, 10), start, end, **args) == "end"  # until HR closes it
    assert due_phase(date(2027, 7, 10), start, end, **{**args, "cohort_closed": True}) is None
    assert due_phase(date(2026, 10, 1), start, end, **{**args, "start_done": True}) is None


def test_the_start_prompt_stops_once_the_cohort_is_past_its_first_third():
    # 302 days: the first third ends 100 days in, on 10 Dec 2026.
    start, end = date(2026, 9, 1), date(2027, 6, 30)
    assert start_prompt_ends(start, end) == date(2026, 12, 10)
    args = {"cohort_closed": False, "start_done": False, "end_done": False}
    assert due_phase(date(2026, 12, 9), start, end, **args) == "start"
    assert due_phase(date(2026, 12, 10), start, end, **args) is None
    assert due_phase(date(2027, 3, 1), start, end, **args) is None


def _home(client, login, email):
    client.delete_cookie("session")
    return login(email, follow=True).get_data(as_text=True)


def test_the_home_page_prompts_in_the_right_window_only(app, client, login, make_pair, make_cohort):
    """The start prompt in the first third only, the end one in its window, none once
    the cohort is cancelled."""
    from datetime import timedelta

    def cohort_around_today(name: str, *, started_days_ago: int, lasts: int) -> dict:
        cohort_id = make_cohort(
            name=name,
            status="active",
            start_date=date.today() - timedelta(days=started_days_ago),
            end_date=date.today() - timedelta(days=started_days_ago) + timedelta(days=lasts),
        )
        ids = make_pair(cohort_id=cohort_id)
        with app.app_context():
            db.session.get(Cohort, cohort_id).topics = [Topic(name=f"Topic of {name}")]
            db.session.commit()
        return ids

    early = cohort_around_today("Early", started_days_ago=10, lasts=300)
    page = _home(client, login, "mentee1@example.org")
    assert "Before you start in Early" in page
    assert f"/enrollments/{early['mentee_enrollment']}/self-assessment/start" in page

    middle = cohort_around_today("Middle", started_days_ago=150, lasts=300)
    page = _home(client, login, "mentee2@example.org")
    assert "Before you start" not in page
    assert "Rate your confidence" not in page
    # The page itself stays open, for someone who wants a late baseline anyway.
    assert (
        client.get(f"/enrollments/{middle['mentee_enrollment']}/self-assessment/start").status_code
        == 200
    )

    ending = cohort_around_today("Ending", started_days_ago=290, lasts=300)
    page = _home(client, login, "mentee3@example.org")
    assert "Ending ends on" in page
    assert f"/enrollments/{ending['mentee_enrollment']}/self-assessment/end" in page

    with app.app_context():
        db.session.get(Cohort, early["cohort"]).status = "cancelled"
        db.session.commit()
    page = _home(client, login, "mentee1@example.org")
    assert "Rate your confidence" not in page


def test_assessments_due_takes_the_same_number_of_queries_for_1_or_10_enrollments(
    app, make_pair, pair_with_topics
):
    ids = pair_with_topics
    others = [make_pair(cohort_id=ids["cohort"]) for _ in range(4)]
    with app.app_context():
        mentor = db.session.get(Enrollment, ids["mentor_enrollment"])
        # The mentor rates the topics in scope and what they learn from the executive.
        save_self_assessment(
            mentor, "start", {ids["linkedin"]: 5, ids["ai"]: 5, ids["insight"]: 2}, today=DURING
        )
        mentee = db.session.get(Enrollment, ids["mentee_enrollment"])
        save_self_assessment(mentee, "start", {ids["linkedin"]: 2, ids["ai"]: 3}, today=DURING)
        db.session.commit()
        enrollment_ids = [ids["mentee_enrollment"], ids["mentor_enrollment"]] + [
            pair[key] for pair in others for key in ("mentee_enrollment", "mentor_enrollment")
        ]
        enrollments = [db.session.get(Enrollment, eid) for eid in enrollment_ids]
        # The home page loads each enrollment with its cohort (`my_enrollments`).
        assert {enrollment.cohort.id for enrollment in enrollments} == {ids["cohort"]}
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            one = assessments_due(enrollments[:1], DURING)
            first = len(statements)
            many = assessments_due(enrollments, DURING)
            second = len(statements) - first
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert first == second == 1
    assert one == {ids["mentee_enrollment"]: None}
    assert many[ids["mentor_enrollment"]] is None
    assert [many[eid] for eid in enrollment_ids[2:]] == ["start"] * 8
    with app.app_context():
        other_mentor = db.session.get(Enrollment, others[0]["mentor_enrollment"])
        save_self_assessment(
            other_mentor,
            "start",
            {ids["linkedin"]: 5, ids["ai"]: 5, ids["insight"]: 2},
            today=DURING,
        )
        assert assessments_due([other_mentor], END_WINDOW) == {other_mentor.id: "end"}
        db.session.rollback()
