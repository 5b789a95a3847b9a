"""Goals of a pair: picking, milestones, evidence, status, proposals, access, summaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from mentoring.cohorts.models import Cohort
from mentoring.curriculum.models import GoalTemplate, GoalTemplateMilestone, Topic
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.goals.models import Goal, GoalMilestone
from mentoring.goals.progress import (
    advanceable_goals,
    advanced_goal_ids,
    completed_goal_counts,
    goal_summaries,
    goals_for_pair,
    meeting_history,
    record_goals_advanced,
)
from mentoring.goals.rules import (
    can_move,
    evidence_present,
    progress_percent,
    target_date_problem,
    url_problem,
)
from mentoring.matching.models import Pair
from mentoring.meetings.models import Meeting, MeetingLog
from mentoring.people.models import Person
from tests.conftest import post_form

LINKEDIN_MILESTONES = [
    "Professional photo and headline",
    "About section written",
    "50 relevant connections",
    "First post published",
]


def _template(topic, title, kind, milestones, *, audience="mentee", position=0, hint=""):
    return GoalTemplate(
        topic=topic,
        title=title,
        evidence_kind=kind,
        evidence_hint=hint,
        audience=audience,
        position=position,
        milestones=[
            GoalTemplateMilestone(position=number, title=text)
            for number, text in enumerate(milestones, start=1)
        ],
    )


@pytest.fixture
def curriculum(app):
    """Topics and goal templates: some in the cohort's scope, some not, some for mentors."""

    def make(cohort_id: int) -> dict[str, int]:
        with app.app_context():
            linkedin = Topic(name="LinkedIn profile and network", position=0)
            critics = Topic(name="Handling critics and trolls", position=1)
            elsewhere = Topic(name="Out of scope", position=2)
            insight = Topic(name="Business insight from executives", position=9)
            templates = {
                "linkedin": _template(
                    linkedin,
                    "Set up a LinkedIn profile",
                    "url",
                    LINKEDIN_MILESTONES,
                    hint="The public URL of your LinkedIn profile",
                ),
                "network": _template(
                    linkedin, "Grow a purposeful network", "note", ["List 20 people"], position=1
                ),
                "critics": _template(critics, "Answer a critic calmly", "yes_no", ["Read"]),
                "silent": _template(critics, "Mute the trolls", "none", [], position=1),
                "retired": _template(linkedin, "Old goal", "none", ["x"], position=2),
                "outside": _template(elsewhere, "Out of scope goal", "none", ["x"]),
                "board": _template(
                    insight,
                    "Present to a board",
                    "yes_no",
                    ["Rehearse", "Present"],
                    audience="mentor",
                ),
                "committee": _template(
                    insight,
                    "Understand how the executive committee decides",
                    "note",
                    ["Go through an agenda"],
                    audience="mentor",
                    position=1,
                ),
            }
            templates["retired"].retired_at = datetime.now(UTC)
            db.session.add_all([linkedin, critics, elsewhere, insight, *templates.values()])
            cohort = db.session.get(Cohort, cohort_id)
            cohort.topics = [linkedin, critics]
            db.session.commit()
            ids = {key: template.id for key, template in templates.items()}
            ids.update(topic_linkedin=linkedin.id, topic_insight=insight.id)
            return ids

    return make


@pytest.fixture
def setup(make_pair, curriculum, login):
    """A pair (mentee signed in) with the curriculum; returns the ids and the pair's URL."""
    pair = make_pair()
    ids = curriculum(pair["cohort"])
    ids.update(pair)
    ids["url"] = f"/pairs/{pair['pair']}/goals"
    login("mentee1@example.org")
    return ids


def _as(client, login, email):
    client.delete_cookie("session")
    login(email)


def _add(client, s, template_key=None, **data):
    form = {"template": str(s[template_key]) if template_key else "custom", **data}
    form.setdefault("evidence_kind", "none")
    return post_form(client, s["url"] + "/new", form)


def _goal(app, **filters):
    with app.app_context():
        goal = db.session.scalar(select(Goal).filter_by(**filters))
        if goal is None:
            return None
        return {
            "id": goal.id,
            "title": goal.title,
            "status": goal.status,
            "completed_at": goal.completed_at,
            "evidence_url": goal.evidence_url,
            "drop_reason": goal.drop_reason,
            "pending": goal.is_pending,
            "target_date": goal.target_date,
            "milestones": [(m.id, m.title, m.done_at is not None) for m in goal.milestones],
            "evidence_kind": goal.evidence_kind,
        }


def _goal_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Goal.id)))


def _goal_url(s, goal) -> str:
    return f"{s['url']}/{goal['id']}"


def _tick(client, s, goal, milestone_id, done="1"):
    return post_form(
        client,
        f"{_goal_url(s, goal)}/milestones/{milestone_id}",
        {"done": done},
        form_url=_goal_url(s, goal),
    )


def _evidence(client, s, goal, action="save", **data):
    return post_form(
        client,
        f"{_goal_url(s, goal)}/evidence",
        {"action": action, **data},
        form_url=_goal_url(s, goal),
    )


def _status(client, s, goal, action):
    return post_form(
        client, f"{_goal_url(s, goal)}/status", {"action": action}, form_url=_goal_url(s, goal)
    )


# -- picking goals ----------------------------------------------------------------------------


def test_mentee_picks_a_template_goal_and_its_milestones_are_copied(app, client, setup):
    s = setup
    page = client.get(s["url"] + "/new").get_data(as_text=True)
    for offered in ("Set up a LinkedIn profile", "Answer a critic calmly", "Mute the trolls"):
        assert offered in page
    for hidden in ("Old goal", "Out of scope goal", "Present to a board"):
        assert hidden not in page

    response = _add(client, s, "linkedin", target_date="2027-03-31")
    goal = _goal(app, title="Set up a LinkedIn profile")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/goals/{goal['id']}")
    assert goal["status"] == "not_started"
    assert goal["evidence_kind"] == "url"
    assert goal["target_date"] == date(2027, 3, 31)
    assert [title for _, title, _ in goal["milestones"]] == LINKEDIN_MILESTONES

    # HR edits the template later: the goal keeps the milestones it was made with.
    with app.app_context():
        template = db.session.get(GoalTemplate, s["linkedin"])
        template.milestones[0].title = "Changed later"
        template.evidence_kind = "none"
        db.session.commit()
    goal = _goal(app, title="Set up a LinkedIn profile")
    assert goal["milestones"][0][1] == "Professional photo and headline"
    assert goal["evidence_kind"] == "url"


def test_a_template_not_offered_to_this_side_is_refused(app, client, setup):
    for key in ("board", "outside", "retired"):
        response = _add(client, setup, key)
        assert response.status_code == 200
        assert "Not a valid choice" in response.get_data(as_text=True)
    assert _goal_count(app) == 0


def test_the_same_template_twice_is_refused(app, client, setup):
    _add(client, setup, "linkedin")
    response = _add(client, setup, "linkedin")
    assert "is already among these goals" in response.get_data(as_text=True)
    assert _goal_count(app) == 1


def test_mentee_writes_a_custom_goal(app, client, setup):
    response = _add(
        client,
        setup,
        title="  Try an AI assistant on my board pack  ",
        description="Summarise last quarter's pack.",
        topic_id=str(setup["topic_linkedin"]),
        evidence_kind="note",
        milestones="Pick a tool\n\nAsk IT about data rules\n",
        target_date="2026-12-15",
    )
    assert response.status_code == 302
    goal = _goal(app, title="Try an AI assistant on my board pack")
    assert goal["evidence_kind"] == "note"
    assert [title for _, title, _ in goal["milestones"]] == [
        "Pick a tool",
        "Ask IT about data rules",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "   "}, "Give your own goal a title."),
        ({"title": "x" * 161}, "Field cannot be longer than 160 characters."),
        ({"title": "Fine", "target_date": "2026-08-31"}, "on or after the cohort&#39;s start"),
        ({"title": "Fine", "target_date": "2027-07-01"}, "on or before the cohort&#39;s end"),
        ({"title": "Fine", "target_date": "31/12/2026"}, "Not a valid date value."),
        ({"title": "Fine", "milestones": "\n".join(["m"] * 11)}, "Keep to 10 milestones"),
        ({"title": "Fine", "topic_id": "999999"}, "Not a valid choice"),
        ({"template": ""}, "Choose a goal from the curriculum, or “My own goal”."),
    ],
)
def test_bad_custom_goals_are_refused_with_typed_values_kept(app, client, setup, data, message):
    response = _add(client, setup, description="Kept as typed", **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "Kept as typed" in page
    assert _goal_count(app) == 0


def test_template_goal_target_date_must_fall_in_the_cohort(app, client, setup):
    response = _add(client, setup, "linkedin", target_date="2030-01-01")
    assert "on or before the cohort&#39;s end, 30 Jun 2027" in response.get_data(as_text=True)
    assert _goal_count(app) == 0


def test_choosing_a_template_and_typing_an_own_goal_is_refused(app, client, setup):
    response = _add(client, setup, "linkedin", title="Something else")
    assert "clear the title and milestones" in response.get_data(as_text=True)
    assert _goal_count(app) == 0


# -- milestones, evidence, status ------------------------------------------------------------


def test_ticking_milestones_starts_the_goal_and_shows_progress(app, client, setup):
    s = setup
    _add(client, s, "linkedin")
    goal = _goal(app, title="Set up a LinkedIn profile")
    first, second = goal["milestones"][0][0], goal["milestones"][1][0]

    assert _tick(client, s, goal, first).status_code == 302
    goal = _goal(app, id=goal["id"])
    assert goal["status"] == "in_progress"
    assert [done for _, _, done in goal["milestones"]] == [True, False, False, False]
    _tick(client, s, goal, second)
    page = client.get(s["url"]).get_data(as_text=True)
    assert "2 of 4 milestones · 50%" in page
    assert 'value="50"' in page

    _tick(client, s, goal, second, done="0")
    goal = _goal(app, id=goal["id"])
    assert [done for _, _, done in goal["milestones"]] == [True, False, False, False]
    assert goal["status"] == "in_progress"  # unticking does not un-start a goal


def test_a_milestone_of_someone_elses_goal_is_not_found(app, client, login, setup):
    s = setup
    _add(client, s, "linkedin")
    goal = _goal(app, title="Set up a LinkedIn profile")
    milestone = goal["milestones"][0][0]

    _as(client, login, "mentor1@example.org")  # the mentee's own mentor
    assert _tick(client, s, goal, milestone).status_code == 404
    assert _evidence(client, s, goal, evidence_url="https://x.example").status_code == 404
    assert _status(client, s, goal, "start").status_code == 404
    assert client.get(_goal_url(s, goal) + "/edit").status_code == 404
    # The mentor ticks the mentee's milestone through a goal of their own: still 404.
    post_form(client, s["url"] + "/new", {"template": str(s["board"])})
    own = _goal(app, title="Present to a board")
    assert _tick(client, s, own, milestone).status_code == 404
    assert _goal(app, id=goal["id"])["status"] == "not_started"
    assert not any(done for _, _, done in _goal(app, id=goal["id"])["milestones"])


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://files.example.org/profile",
        "linkedin.com/in/eric",
        "https://",
        "https://www.linkedin.com/in/" + "e" * 500,
        "https://www.linkedin.com/in/eric mentee",
    ],
)
def test_evidence_url_must_be_an_http_link(app, client, setup, url):
    s = setup
    _add(client, s, "linkedin")
    goal = _goal(app, title="Set up a LinkedIn profile")
    response = _evidence(client, s, goal, evidence_url=url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="error" id="evidence_url-error"' in page
    assert _goal(app, id=goal["id"])["evidence_url"] == ""


def test_done_needs_the_evidence_then_ticks_what_is_left(app, client, setup):
    s = setup
    _add(client, s, "linkedin")
    goal = _goal(app, title="Set up a LinkedIn profile")
    _tick(client, s, goal, goal["milestones"][0][0])

    response = _evidence(client, s, goal, action="complete", evidence_url="")
    assert response.status_code == 200
    assert "Add the link (The public URL of your LinkedIn profile) before marking" in (
        response.get_data(as_text=True)
    )
    response = _status(client, s, goal, "complete")
    assert response.status_code == 302
    after = _goal(app, id=goal["id"])
    assert after["status"] == "in_progress"
    assert after["completed_at"] is None
    assert [done for _, _, done in after["milestones"]] == [True, False, False, False]

    url = "https://www.linkedin.com/in/eric-mentee"
    response = _evidence(client, s, goal, action="complete", evidence_url=url)
    assert response.status_code == 302
    after = _goal(app, id=goal["id"])
    assert after["status"] == "done"
    assert after["completed_at"] is not None
    assert after["evidence_url"] == url
    assert all(done for _, _, done in after["milestones"])

    # A done goal keeps its evidence and its milestones until it is reopened.
    assert _evidence(client, s, goal, evidence_url="").status_code == 200
    _tick(client, s, goal, goal["milestones"][0][0], done="0")
    assert all(done for _, _, done in _goal(app, id=goal["id"])["milestones"])
    _status(client, s, goal, "reopen")
    after = _goal(app, id=goal["id"])
    assert (after["status"], after["completed_at"]) == ("in_progress", None)


@pytest.mark.parametrize(
    ("key", "evidence", "field"),
    [
        ("critics", {"evidence_attested": "y"}, "evidence_attested"),
        ("network", {"evidence_note": "Met 20 clients; one asked for a demo."}, "evidence_note"),
    ],
)
def test_yes_no_and_note_evidence(app, client, setup, key, evidence, field):
    s = setup
    _add(client, s, key)
    with app.app_context():
        goal_id = db.session.scalar(select(Goal.id).where(Goal.template_id == s[key]))
    goal = {"id": goal_id}
    response = _evidence(client, s, goal, action="complete")
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert _goal(app, id=goal_id)["status"] == "not_started"
    assert _evidence(client, s, goal, action="complete", **evidence).status_code == 302
    assert _goal(app, id=goal_id)["status"] == "done"


def test_a_goal_without_evidence_or_milestones_is_done_by_hand(app, client, setup):
    s = setup
    _add(client, s, "silent")
    goal = _goal(app, title="Mute the trolls")
    assert "0%" in client.get(s["url"]).get_data(as_text=True)
    _status(client, s, goal, "complete")
    assert _goal(app, id=goal["id"])["status"] == "done"
    assert "100%" in client.get(s["url"]).get_data(as_text=True)


def test_drop_needs_a_reason_and_a_dropped_goal_can_be_resumed(app, client, setup):
    s = setup
    _add(client, s, "linkedin")
    goal = _goal(app, title="Set up a LinkedIn profile")
    drop_url = _goal_url(s, goal) + "/drop"
    response = post_form(client, drop_url, {"reason": "  "}, form_url=_goal_url(s, goal))
    assert response.status_code == 200
    assert "Say in a few words why you drop this goal." in response.get_data(as_text=True)
    assert _goal(app, id=goal["id"])["status"] == "not_started"

    post_form(client, drop_url, {"reason": "No time this quarter"}, form_url=_goal_url(s, goal))
    dropped = _goal(app, id=goal["id"])
    assert (dropped["status"], dropped["drop_reason"]) == ("dropped", "No time this quarter")
    assert "No time this quarter" in client.get(_goal_url(s, goal)).get_data(as_text=True)
    _tick(client, s, goal, goal["milestones"][0][0])
    assert not _goal(app, id=goal["id"])["milestones"][0][2]
    assert _status(client, s, goal, "complete").status_code == 302
    assert _goal(app, id=goal["id"])["status"] == "dropped"

    _status(client, s, goal, "resume")
    resumed = _goal(app, id=goal["id"])
    assert (resumed["status"], resumed["drop_reason"]) == ("in_progress", "")


def test_owner_edits_a_custom_goal_but_not_a_template_goals_title(app, client, setup):
    s = setup
    _add(client, s, title="Own goal", evidence_kind="none")
    goal = _goal(app, title="Own goal")
    edit = _goal_url(s, goal) + "/edit"
    response = post_form(client, edit, {"title": "", "target_date": ""})
    assert "Give your goal a title." in response.get_data(as_text=True)
    response = post_form(client, edit, {"title": "Own goal", "target_date": "2020-01-01"})
    assert "on or after the cohort" in response.get_data(as_text=True)
    post_form(client, edit, {"title": "Renamed goal", "target_date": "2027-01-15"})
    assert _goal(app, id=goal["id"])["title"] == "Renamed goal"

    _add(client, s, "linkedin")
    template_goal = _goal(app, title="Set up a LinkedIn profile")
    edit = _goal_url(s, template_goal) + "/edit"
    page = client.get(edit).get_data(as_text=True)
    assert 'name="title"' not in page
    assert post_form(client, edit, {"target_date": "2027-02-01"}).status_code == 302
    post_form(client, edit, {"title": "Hijacked", "target_date": "2027-02-02"})
    after = _goal(app, id=template_goal["id"])
    assert (after["title"], after["target_date"]) == ("Set up a LinkedIn profile", date(2027, 2, 2))


# -- two-way learning and proposals ----------------------------------------------------------


def test_the_mentor_has_goals_too_and_both_see_both_sides(app, client, login, setup):
    s = setup
    _add(client, s, "linkedin")
    _as(client, login, "mentor1@example.org")
    page = client.get(s["url"] + "/new").get_data(as_text=True)
    assert "Present to a board" in page
    assert "Set up a LinkedIn profile" not in page  # mentee templates are not the mentor's
    post_form(client, s["url"] + "/new", {"template": str(s["board"])})
    board = _goal(app, title="Present to a board")
    assert board["evidence_kind"] == "yes_no"
    page = client.get(s["url"]).get_data(as_text=True)
    assert "Your goals" in page and "Set up a LinkedIn profile" in page

    _as(client, login, "mentee1@example.org")
    page = client.get(s["url"]).get_data(as_text=True)
    assert "Mia Mentor1’s goals" in page and "Present to a board" in page
    assert _tick(client, s, board, board["milestones"][0][0]).status_code == 404
    assert client.get(_goal_url(s, board)).status_code == 200


def test_mentor_proposes_a_goal_and_the_mentee_accepts_it(app, client, login, setup):
    s = setup
    assert client.get(s["url"] + "/propose").status_code == 404  # mentees do not propose
    _as(client, login, "mentor1@example.org")
    page = client.get(s["url"] + "/propose").get_data(as_text=True)
    assert "Propose a goal to Eric Mentee1" in page
    assert "Set up a LinkedIn profile" in page and "Present to a board" not in page
    response = post_form(client, s["url"] + "/propose", {"template": str(s["linkedin"])})
    assert response.status_code == 302
    goal = _goal(app, title="Set up a LinkedIn profile")
    assert goal["pending"]
    with app.app_context():
        owner = db.session.get(Goal, goal["id"]).owner_enrollment_id
    assert owner == s["mentee_enrollment"]
    # The mentor cannot work on it, nor can the mentee before accepting it.
    assert _tick(client, s, goal, goal["milestones"][0][0]).status_code == 404

    _as(client, login, "mentee1@example.org")
    assert "Proposed: waiting for your answer" in client.get(s["url"]).get_data(as_text=True)
    response = _tick(client, s, goal, goal["milestones"][0][0])
    assert "Accept this proposed goal before working on it." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert not _goal(app, id=goal["id"])["milestones"][0][2]

    post_form(client, _goal_url(s, goal) + "/accept", {}, form_url=_goal_url(s, goal))
    assert not _goal(app, id=goal["id"])["pending"]
    _tick(client, s, goal, goal["milestones"][0][0])
    assert _goal(app, id=goal["id"])["status"] == "in_progress"
    # Accepted, it is no longer a proposal: nobody can decline it.
    discard = post_form(client, _goal_url(s, goal) + "/discard", {}, form_url=_goal_url(s, goal))
    assert discard.status_code == 404


def test_a_proposal_can_be_declined_or_withdrawn(app, client, login, setup):
    s = setup
    _as(client, login, "mentor1@example.org")
    post_form(client, s["url"] + "/propose", {"template": str(s["linkedin"])})
    post_form(client, s["url"] + "/propose", {"template": "custom", "title": "Post weekly"})
    linkedin, weekly = (
        _goal(app, title="Set up a LinkedIn profile"),
        _goal(app, title="Post weekly"),
    )
    assert (
        post_form(
            client, _goal_url(s, weekly) + "/accept", {}, form_url=_goal_url(s, weekly)
        ).status_code
        == 404
    )  # only the mentee accepts
    post_form(client, _goal_url(s, weekly) + "/discard", {}, form_url=_goal_url(s, weekly))
    assert _goal(app, title="Post weekly") is None

    _as(client, login, "mentee1@example.org")
    post_form(client, _goal_url(s, linkedin) + "/discard", {}, form_url=_goal_url(s, linkedin))
    assert _goal_count(app) == 0


# -- access -----------------------------------------------------------------------------------


def test_nobody_outside_the_pair_reads_or_changes_its_goals(
    app, client, login, make_pair, make_person, setup
):
    s = setup
    _add(client, s, "linkedin")
    goal = _goal(app, title="Set up a LinkedIn profile")
    _evidence(client, s, goal, evidence_url="https://www.linkedin.com/in/secret-eric")
    milestone = goal["milestones"][0][0]
    make_pair(cohort_id=s["cohort"])  # mentor2 and mentee2, another pair of the cohort
    make_person("leader@example.org", roles=("leader",))
    make_person("both@example.org", roles=("leader", "mentee"))
    pages = [s["url"], _goal_url(s, goal), s["url"] + "/new", _goal_url(s, goal) + "/edit"]

    for outsider in ("mentor2@example.org", "mentee2@example.org", "both@example.org"):
        _as(client, login, outsider)
        for page in pages:
            assert client.get(page).status_code == 404, (outsider, page)
        assert _tick(client, s, goal, milestone).status_code == 404
        assert _status(client, s, goal, "start").status_code == 404
    _as(client, login, "leader@example.org")
    for page in pages:
        assert client.get(page).status_code == 403  # leaders see aggregates only
    assert _goal(app, id=goal["id"])["status"] == "not_started"


def test_hr_sees_goal_status_but_not_evidence_and_changes_nothing(
    app, client, login, make_person, setup
):
    s = setup
    _add(client, s, "linkedin")
    goal = _goal(app, title="Set up a LinkedIn profile")
    _evidence(client, s, goal, evidence_url="https://www.linkedin.com/in/secret-eric")
    make_person("hr@example.org", roles=("admin",))
    _as(client, login, "hr@example.org")

    listing = client.get(s["url"]).get_data(as_text=True)
    assert "Set up a LinkedIn profile" in listing
    assert "Add a goal" not in listing
    page = client.get(_goal_url(s, goal)).get_data(as_text=True)
    assert "Evidence recorded." in page
    assert "secret-eric" not in page
    assert ">Tick<" not in page
    assert _tick(client, s, goal, goal["milestones"][0][0]).status_code == 403
    assert client.get(s["url"] + "/new").status_code == 403


def test_goals_of_an_ended_pair_are_read_only(app, client, setup):
    s = setup
    _add(client, s, "linkedin")
    goal = _goal(app, title="Set up a LinkedIn profile")
    with app.app_context():
        pair = db.session.get(Pair, s["pair"])
        pair.status, pair.ended_at, pair.end_reason = "ended", datetime.now(UTC), "completed"
        db.session.commit()
    response = _tick(client, s, goal, goal["milestones"][0][0])
    assert "This pair has ended" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert not _goal(app, id=goal["id"])["milestones"][0][2]
    assert client.get(s["url"] + "/new").status_code == 302
    assert "Add a goal" not in client.get(s["url"]).get_data(as_text=True)


# -- history, summaries, constraints, rules --------------------------------------------------


def test_meeting_logs_record_goals_advanced_and_the_goal_page_shows_them(
    app, client, login, make_pair, setup
):
    s = setup
    _add(client, s, "linkedin")
    _add(client, s, "silent")
    goal, other = _goal(app, title="Set up a LinkedIn profile"), _goal(app, title="Mute the trolls")
    post_form(
        client, _goal_url(s, other) + "/drop", {"reason": "Later"}, form_url=_goal_url(s, other)
    )
    page = client.get(_goal_url(s, goal)).get_data(as_text=True)
    assert "No meeting log has recorded progress on this goal yet." in page
    stranger = make_pair(cohort_id=s["cohort"])
    with app.app_context():
        pair = db.session.get(Pair, s["pair"])
        foreign = Goal(pair_id=stranger["pair"], owner_enrollment_id=stranger["mentee_enrollment"])
        foreign.title = "Someone else's goal"
        start = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
        meeting = Meeting(
            pair=pair,
            uid="goal-test@example.org",
            start_at=start,
            end_at=start + timedelta(hours=1),
            duration_minutes=60,
            status="held",
        )
        log = MeetingLog(
            meeting=meeting,
            author_id=s["mentor"],
            outcome="held",
            actual_minutes=60,
            rating=5,
            private_notes="PRIVATE NOTE",
        )
        db.session.add_all([foreign, meeting, log])
        db.session.flush()
        mentor = db.session.get(Person, s["mentor"])
        # Dropped goals are not offered; the other side's goals are named as theirs.
        assert advanceable_goals(pair, mentor) == [
            (goal["id"], "Set up a LinkedIn profile (Eric’s goal)")
        ]
        for refused in ([foreign.id], [other["id"]], [999_999]):
            with pytest.raises(RuleViolation):
                record_goals_advanced(log, refused)
        record_goals_advanced(log, [goal["id"]])
        db.session.commit()
        assert advanced_goal_ids(log) == [goal["id"]]
        history = meeting_history(db.session.get(Goal, goal["id"]))
        assert [(item.meeting_log_id, item.logged_by) for item in history] == [
            (log.id, "Mia Mentor1")
        ]
    page = client.get(_goal_url(s, goal)).get_data(as_text=True)
    assert "Advanced in meetings" in page
    assert "logged by Mia Mentor1" in page
    assert "PRIVATE NOTE" not in page


def _count_queries(app, call):
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            result = call()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    return len(statements), result


def _give_goals(app, pair_ids, done_first=True):
    with app.app_context():
        for pair_id in pair_ids:
            pair = db.session.get(Pair, pair_id)
            for owner, title in ((pair.mentee, "Mentee goal"), (pair.mentor, "Mentor goal")):
                goal = Goal(
                    pair=pair,
                    owner=owner,
                    title=title,
                    milestones=[
                        GoalMilestone(position=1, title="a", done_at=datetime.now(UTC)),
                        GoalMilestone(position=2, title="b"),
                        GoalMilestone(position=3, title="c"),
                    ],
                )
                db.session.add(goal)
            db.session.add(
                Goal(
                    pair=pair,
                    owner=pair.mentee,
                    title="Done goal",
                    status="done" if done_first else "not_started",
                    completed_at=datetime.now(UTC) if done_first else None,
                )
            )
        db.session.commit()


def test_goal_summaries_take_the_same_number_of_queries_for_1_or_5_pairs(app, make_pair):
    cohort_id = make_pair()["cohort"]
    pair_ids = [make_pair(cohort_id=cohort_id)["pair"] for _ in range(5)]
    _give_goals(app, pair_ids)

    one, answer_one = _count_queries(app, lambda: goal_summaries(pair_ids[:1]))
    five, answer_five = _count_queries(app, lambda: goal_summaries(pair_ids))
    assert one == five == 1
    assert len(answer_five) == 5
    summary = answer_one[pair_ids[0]]
    assert [g.title for g in summary.mentee] == ["Mentee goal", "Done goal"]
    assert [g.title for g in summary.mentor] == ["Mentor goal"]
    assert (summary.mentee[0].milestones_done, summary.mentee[0].milestones_total) == (1, 3)
    assert summary.mentee[0].progress == 33
    assert summary.mentee[1].progress == 100  # done, without milestones
    assert (summary.done, summary.total) == (1, 3)

    one, counts_one = _count_queries(app, lambda: completed_goal_counts(pair_ids[:1]))
    five, counts_five = _count_queries(app, lambda: completed_goal_counts(pair_ids))
    assert one == five == 1
    assert counts_five[pair_ids[4]] == {"mentee": 1, "mentor": 0}
    assert _count_queries(app, lambda: goal_summaries([]))[0] == 0
    with app.app_context():
        empty = goals_for_pair(db.session.get(Pair, make_pair(cohort_id=cohort_id)["pair"]))
    assert (empty.mentee, empty.mentor) == ([], [])


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "done"},  # no completion time
        {"completed_at": datetime(2027, 1, 1, tzinfo=UTC)},  # a completion time, not done
        {
            "status": "done",
            "completed_at": datetime(2027, 1, 1, tzinfo=UTC),
            "evidence_kind": "url",
        },
        {"status": "dropped"},  # no reason
        {"status": "finished"},
        {"evidence_kind": "photo"},
        {"title": ""},
    ],
)
def test_the_database_refuses_inconsistent_goals(app, make_pair, changes):
    ids = make_pair()
    with app.app_context():
        goal = Goal(
            pair_id=ids["pair"], owner_enrollment_id=ids["mentee_enrollment"], title="A goal"
        )
        for name, value in changes.items():
            setattr(goal, name, value)
        db.session.add(goal)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_the_database_refuses_a_started_proposal(app, make_pair):
    ids = make_pair()
    with app.app_context():
        db.session.add(
            Goal(
                pair_id=ids["pair"],
                owner_enrollment_id=ids["mentee_enrollment"],
                proposed_by_enrollment_id=ids["mentor_enrollment"],
                title="Proposed",
                status="in_progress",
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_rules_without_a_database():
    assert url_problem("https://www.linkedin.com/in/eric") is None
    assert url_problem("http://intranet/profile/eric") is None
    assert url_problem("HTTPS://Example.org") is None
    for bad in ("javascript:alert(1)", "mailto:a@b.c", "//example.org", "https:///path", "data:,x"):
        assert url_problem(bad), bad
    start, end = date(2027, 1, 1), date(2027, 6, 30)
    assert target_date_problem(None, start, end) is None
    assert target_date_problem(start, start, end) is None
    assert target_date_problem(end, start, end) is None
    assert target_date_problem(date(2026, 12, 31), start, end)
    assert can_move("not_started", "in_progress") and can_move("dropped", "in_progress")
    assert not can_move("done", "dropped") and not can_move("dropped", "done")
    assert progress_percent(1, 3, "in_progress") == 33
    assert progress_percent(0, 0, "done") == 100 and progress_percent(0, 0, "in_progress") == 0
    assert not evidence_present("note", "", False, "   ")
    assert evidence_present("none", "", False, "")
