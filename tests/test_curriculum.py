"""The curriculum: participants browse it; HR adds, edits, retires, restores and reorders
topics and goal templates through the real forms."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from mentoring.audit.models import AuditEvent
from mentoring.curriculum.models import GoalTemplate, GoalTemplateMilestone, Topic
from mentoring.db import utcnow
from mentoring.extensions import db
from tests.conftest import csrf_token, post_form

GOAL = {
    "title": "Set up a LinkedIn profile",
    "description": "A profile that says who you are and what you care about.",
    "audience": "mentee",
    "evidence_kind": "url",
    "evidence_hint": "Paste the URL of your public profile",
    "milestones": "Photo and headline\nAbout section\nTen relevant connections",
}


@pytest.fixture
def hr(client, login, make_person):
    """Sign in as HR and return their person id."""
    person_id = make_person("hr@example.org", roles=("admin",), name="Hana Ruiz")
    login("hr@example.org")
    return person_id


@pytest.fixture
def seed(app):
    """Add topics and goal templates directly, and return their ids by name."""

    def add(*names: str, retired: tuple[str, ...] = (), templates: dict | None = None):
        ids = {}
        with app.app_context():
            for position, name in enumerate(names, start=1):
                topic = Topic(name=name, description=f"About {name}.", position=position)
                if name in retired:
                    topic.retired_at = utcnow()
                db.session.add(topic)
                db.session.flush()
                ids[name] = topic.id
            for title, (topic_name, template_retired) in (templates or {}).items():
                template = GoalTemplate(
                    topic_id=ids[topic_name],
                    title=title,
                    description="",
                    evidence_kind="yes_no",
                    retired_at=utcnow() if template_retired else None,
                    milestones=[
                        GoalTemplateMilestone(position=1, title=f"{title}: first step"),
                        GoalTemplateMilestone(position=2, title=f"{title}: second step"),
                    ],
                )
                db.session.add(template)
                db.session.flush()
                ids[title] = template.id
            db.session.commit()
        return ids

    return add


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _curriculum_events(app) -> int:
    """Audit events of curriculum changes (signing in is recorded too, and is not one)."""
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action.like("curriculum.%"))
        )


def _topic(app, topic_id: int) -> Topic:
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        db.session.expunge(topic)
        return topic


def _template(app, template_id: int) -> tuple[GoalTemplate, list[tuple[int, str]]]:
    with app.app_context():
        template = db.session.get(GoalTemplate, template_id)
        milestones = [(m.position, m.title) for m in template.milestones]
        db.session.expunge(template)
        return template, milestones


def _post(client, url: str, data: dict | None = None, **kwargs):
    """POST an action button's form, with the CSRF token of the curriculum page."""
    token = csrf_token(client.get("/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def _page(client, url: str = "/curriculum/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# -- topics -----------------------------------------------------------------------------------


def test_hr_adds_a_topic_through_the_form(app, client, hr, seed):
    seed("Posting")
    form = _page(client, "/curriculum/topics/new")
    assert '<label for="name">Name</label>' in form
    assert '<label for="description">Description</label>' in form

    response = post_form(
        client,
        "/curriculum/topics/new",
        {"name": "  LinkedIn profile and network ", "description": "Build a presence."},
    )
    assert response.status_code == 302
    with app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.name == "LinkedIn profile and network"))
        assert topic.description == "Build a presence."
        assert topic.retired_at is None
        assert response.headers["Location"] == f"/curriculum/#topic-{topic.id}"
        topic_id = topic.id
    events = _events(app, "curriculum.topic_created")
    assert [(e.actor_id, e.subject_id) for e in events] == [(hr, topic_id)]

    page = _page(client)
    assert "Topic LinkedIn profile and network added." in page
    # Added at the end of the curriculum.
    assert page.index("About Posting.") < page.index("Build a presence.")


def test_hr_edits_a_topic(app, client, hr, seed):
    ids = seed("LinkedIn")
    form = _page(client, f"/curriculum/topics/{ids['LinkedIn']}/edit")
    assert 'value="LinkedIn"' in form
    assert "About LinkedIn." in form

    response = post_form(
        client,
        f"/curriculum/topics/{ids['LinkedIn']}/edit",
        {"name": "LinkedIn profile and network", "description": "About LinkedIn."},
        follow_redirects=True,
    )
    assert "Topic LinkedIn profile and network saved." in response.get_data(as_text=True)
    assert _topic(app, ids["LinkedIn"]).name == "LinkedIn profile and network"
    events = _events(app, "curriculum.topic_updated")
    assert len(events) == 1
    assert events[0].actor_id == hr
    assert events[0].details["changed"] == ["name"]

    # Saving without a change records nothing.
    post_form(
        client,
        f"/curriculum/topics/{ids['LinkedIn']}/edit",
        {"name": "LinkedIn profile and network", "description": "About LinkedIn."},
    )
    assert len(_events(app, "curriculum.topic_updated")) == 1


def test_hr_retires_and_restores_a_topic(app, client, login, make_person, hr, seed):
    ids = seed("LinkedIn profile and network", "Social listening")
    topic_id = ids["LinkedIn profile and network"]
    page = _page(client)
    assert 'Retire<span class="visually-hidden"> topic LinkedIn profile and network</span>' in page
    assert f'action="/curriculum/topics/{topic_id}/retire"' in page
    assert 'data-confirm="Retire the topic LinkedIn profile and network?' in page

    response = _post(client, f"/curriculum/topics/{topic_id}/retire", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Topic LinkedIn profile and network retired." in page
    assert "Retired topics (1)" in page
    assert _topic(app, topic_id).retired_at is not None
    assert _count(app, Topic) == 2  # kept for history
    assert [e.actor_id for e in _events(app, "curriculum.topic_retired")] == [hr]
    # HR still sees it, marked and after the offered ones, with a restore button.
    assert page.index(f'id="topic-{ids["Social listening"]}"') < page.index(
        f'id="topic-{topic_id}"'
    )
    assert (
        f'id="topic-{topic_id}-title">LinkedIn profile and network '
        '<span class="badge badge-retired">Retired</span>' in page
    )
    assert f'action="/curriculum/topics/{topic_id}/restore"' in page

    # Retiring twice changes nothing more.
    _post(client, f"/curriculum/topics/{topic_id}/retire")
    assert len(_events(app, "curriculum.topic_retired")) == 1

    mentee = app.test_client()
    make_person("exec@example.org", roles=("mentee",))
    post_form(mentee, "/login", {"email": "exec@example.org", "password": "correct horse battery"})
    mentee_page = _page(mentee)
    assert "Social listening" in mentee_page
    assert "LinkedIn profile and network" not in mentee_page
    assert "Retired" not in mentee_page

    response = _post(client, f"/curriculum/topics/{topic_id}/restore", follow_redirects=True)
    assert "Topic LinkedIn profile and network restored." in response.get_data(as_text=True)
    assert _topic(app, topic_id).retired_at is None
    assert [e.actor_id for e in _events(app, "curriculum.topic_restored")] == [hr]
    assert "LinkedIn profile and network" in _page(mentee)


def test_hr_reorders_topics(app, client, hr, seed):
    ids = seed("First", "Second", "Third")

    def order() -> list[str]:
        page = _page(client)
        return sorted(("First", "Second", "Third"), key=lambda name: page.index(f">{name}</h2>"))

    page = _page(client)
    # The first topic cannot move up, the last cannot move down.
    assert f"/curriculum/topics/{ids['First']}/move/up" not in page
    assert f"/curriculum/topics/{ids['Third']}/move/down" not in page
    assert 'Move down<span class="visually-hidden"> topic First</span>' in page

    response = _post(client, f"/curriculum/topics/{ids['First']}/move/down")
    assert response.status_code == 302
    assert order() == ["Second", "First", "Third"]
    _post(client, f"/curriculum/topics/{ids['Third']}/move/up")
    assert order() == ["Second", "Third", "First"]
    events = _events(app, "curriculum.topic_moved")
    assert [(e.subject_id, e.details["direction"]) for e in events] == [
        (ids["First"], "down"),
        (ids["Third"], "up"),
    ]

    response = _post(client, f"/curriculum/topics/{ids['Second']}/move/up", follow_redirects=True)
    assert "Topic Second is already first; nothing moved." in response.get_data(as_text=True)
    assert len(_events(app, "curriculum.topic_moved")) == 2
    assert client.post(f"/curriculum/topics/{ids['First']}/move/sideways").status_code == 404


def test_participants_see_no_editing_controls(client, login, make_person, seed):
    ids = seed("LinkedIn", templates={"Set up a profile": ("LinkedIn", False)})
    make_person("mentor@example.org", roles=("mentor",))
    login("mentor@example.org")
    page = _page(client)
    assert "Set up a profile" in page
    for control in ("Add topic", "Retire", "Edit", "Move", "/edit", "Add goal template"):
        assert control not in page, control
    assert f"/curriculum/goal-templates/{ids['Set up a profile']}" not in page


# -- goal templates ---------------------------------------------------------------------------


def test_hr_adds_a_goal_template_with_milestones(app, client, hr, seed):
    ids = seed("LinkedIn")
    url = f"/curriculum/topics/{ids['LinkedIn']}/goal-templates/new"
    form = _page(client, url)
    for label in ("Goal title", "Description", "Who is it for?", "What proves it done?"):
        assert f">{label}</label>" in form
    for choice in ("A link (URL)", "A yes/no attestation", "A short note", "No evidence needed"):
        assert choice in form

    response = post_form(
        client,
        url,
        {**GOAL, "milestones": "  Photo and headline \n\n\nAbout section\n   \nTen connections\n"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/curriculum/#topic-{ids['LinkedIn']}"
    with app.app_context():
        template = db.session.scalar(select(GoalTemplate))
        assert template.topic_id == ids["LinkedIn"]
        assert template.title == "Set up a LinkedIn profile"
        assert template.audience == "mentee"
        assert template.evidence_kind == "url"
        assert template.evidence_hint == "Paste the URL of your public profile"
        assert [(m.position, m.title) for m in template.milestones] == [
            (1, "Photo and headline"),
            (2, "About section"),
            (3, "Ten connections"),
        ]
        template_id = template.id
    events = _events(app, "curriculum.goal_template_created")
    assert [(e.actor_id, e.subject_id) for e in events] == [(hr, template_id)]

    page = _page(client)
    assert "Goal template Set up a LinkedIn profile added to LinkedIn." in page
    assert "<li>About section</li>" in page


def test_hr_adds_a_goal_for_mentors(app, client, hr, seed):
    ids = seed("Business insight")
    post_form(
        client,
        f"/curriculum/topics/{ids['Business insight']}/goal-templates/new",
        {
            **GOAL,
            "title": "Understand how the executive committee decides",
            "audience": "mentor",
            "evidence_kind": "note",
            "evidence_hint": "",
        },
    )
    with app.app_context():
        template = db.session.scalar(select(GoalTemplate))
        assert (template.audience, template.evidence_kind) == ("mentor", "note")
    assert "for mentors" in _page(client)


def test_editing_a_goal_template_replaces_its_milestones(app, client, hr, seed):
    ids = seed("LinkedIn", templates={"Set up a profile": ("LinkedIn", False)})
    url = f"/curriculum/goal-templates/{ids['Set up a profile']}/edit"
    form = _page(client, url)
    assert "Set up a profile: first step\nSet up a profile: second step</textarea>" in form
    assert '<option selected value="yes_no">' in form

    data = {**GOAL, "title": "Set up a profile", "milestones": "Photo\nHeadline\nAbout\nPost"}
    response = post_form(client, url, data, follow_redirects=True)
    assert "Goal template Set up a profile saved." in response.get_data(as_text=True)
    template, milestones = _template(app, ids["Set up a profile"])
    assert milestones == [(1, "Photo"), (2, "Headline"), (3, "About"), (4, "Post")]
    assert template.evidence_kind == "url"
    event = _events(app, "curriculum.goal_template_updated")[-1]
    assert event.actor_id == hr
    assert set(event.details["changed"]) >= {"description", "evidence_kind", "milestones"}

    post_form(client, url, {**data, "milestones": "Post\nPhoto"})
    assert _template(app, ids["Set up a profile"])[1] == [(1, "Post"), (2, "Photo")]
    assert _count(app, GoalTemplateMilestone) == 2
    assert len(_events(app, "curriculum.goal_template_updated")) == 2


def test_hr_retires_and_restores_a_goal_template(app, client, login, make_person, hr, seed):
    ids = seed(
        "LinkedIn",
        templates={"Set up a profile": ("LinkedIn", False), "Grow a network": ("LinkedIn", False)},
    )
    template_id = ids["Set up a profile"]
    page = _page(client)
    assert 'Retire<span class="visually-hidden"> goal template Set up a profile</span>' in page

    response = _post(
        client, f"/curriculum/goal-templates/{template_id}/retire", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Goal template Set up a profile retired." in page
    assert "Retired goal templates (1)" in page
    assert f'action="/curriculum/goal-templates/{template_id}/restore"' in page
    assert _template(app, template_id)[0].retired_at is not None
    assert [e.actor_id for e in _events(app, "curriculum.goal_template_retired")] == [hr]

    mentee = app.test_client()
    make_person("exec@example.org", roles=("mentee",))
    post_form(mentee, "/login", {"email": "exec@example.org", "password": "correct horse battery"})
    mentee_page = _page(mentee)
    assert "Grow a network" in mentee_page
    assert "Set up a profile" not in mentee_page

    _post(client, f"/curriculum/goal-templates/{template_id}/restore")
    assert _template(app, template_id)[0].retired_at is None
    assert [e.actor_id for e in _events(app, "curriculum.goal_template_restored")] == [hr]
    assert "Set up a profile" in _page(mentee)


# -- bad input --------------------------------------------------------------------------------


def test_duplicate_topic_name_is_refused_whatever_its_case(app, client, hr, seed):
    ids = seed("LinkedIn", "Social listening", "Old topic", retired=("Old topic",))
    response = post_form(
        client, "/curriculum/topics/new", {"name": " linkedIN ", "description": ""}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is already a topic named linkedIN. Choose another name." in page
    assert 'value="linkedIN"' in page
    assert 'aria-invalid="true"' in page

    response = post_form(
        client,
        f"/curriculum/topics/{ids['Social listening']}/edit",
        {"name": "LINKEDIN", "description": "Changed too"},
    )
    assert "There is already a topic named LINKEDIN." in response.get_data(as_text=True)

    response = post_form(client, "/curriculum/topics/new", {"name": "old TOPIC", "description": ""})
    assert "A retired topic is already named Old topic. Restore it" in response.get_data(
        as_text=True
    )

    assert _count(app, Topic) == 3
    assert _topic(app, ids["Social listening"]).name == "Social listening"
    assert _topic(app, ids["Social listening"]).description == "About Social listening."
    assert _curriculum_events(app) == 0

    # Changing only the case of a topic's own name is fine.
    response = post_form(
        client,
        f"/curriculum/topics/{ids['LinkedIn']}/edit",
        {"name": "Linkedin", "description": ""},
    )
    assert response.status_code == 302
    assert _topic(app, ids["LinkedIn"]).name == "Linkedin"


def test_duplicate_topic_from_a_race_gets_the_same_message(app, client, hr, seed, monkeypatch):
    seed("LinkedIn")
    # Another request created the same name between our check and our flush.
    monkeypatch.setattr(
        "mentoring.curriculum.services.topic_name_taken", lambda name, excluding=None: None
    )
    response = post_form(client, "/curriculum/topics/new", {"name": "LinkedIn", "description": "x"})
    assert response.status_code == 200
    assert "There is already a topic named LinkedIn." in response.get_data(as_text=True)
    assert _count(app, Topic) == 1
    assert _curriculum_events(app) == 0


def test_duplicate_goal_title_is_refused_across_topics(app, client, hr, seed):
    ids = seed(
        "LinkedIn",
        "Posting",
        templates={"Set up a profile": ("LinkedIn", False), "Write a post": ("Posting", False)},
    )
    response = post_form(
        client,
        f"/curriculum/topics/{ids['Posting']}/goal-templates/new",
        {**GOAL, "title": "SET UP A PROFILE"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        "There is already a goal template called SET UP A PROFILE under LinkedIn. "
        "Choose another title." in page
    )
    assert 'value="SET UP A PROFILE"' in page
    assert "Photo and headline\nAbout section\nTen relevant connections</textarea>" in page

    response = post_form(
        client,
        f"/curriculum/goal-templates/{ids['Write a post']}/edit",
        {**GOAL, "title": "set up a profile"},
    )
    assert "There is already a goal template called set up a profile" in response.get_data(
        as_text=True
    )
    template, milestones = _template(app, ids["Write a post"])
    assert template.title == "Write a post"
    assert milestones == [(1, "Write a post: first step"), (2, "Write a post: second step")]
    assert _count(app, GoalTemplate) == 2
    assert _curriculum_events(app) == 0


def test_duplicate_goal_title_from_a_race_gets_the_same_message(app, client, hr, seed, monkeypatch):
    ids = seed("LinkedIn", templates={"Set up a profile": ("LinkedIn", False)})
    monkeypatch.setattr(
        "mentoring.curriculum.services.goal_title_taken", lambda title, excluding=None: None
    )
    response = post_form(
        client,
        f"/curriculum/topics/{ids['LinkedIn']}/goal-templates/new",
        {**GOAL, "title": "Set up a profile"},
    )
    assert response.status_code == 200
    assert "There is already a goal template called Set up a profile." in response.get_data(
        as_text=True
    )
    assert _count(app, GoalTemplate) == 1
    assert _count(app, GoalTemplateMilestone) == 2
    assert _curriculum_events(app) == 0


@pytest.mark.parametrize(
    ("milestones", "message"),
    [
        ("", "Add at least one milestone, one per line."),
        ("\n  \n\n", "Add at least one milestone, one per line."),
        (
            "\n".join(f"Step {n}" for n in range(1, 12)),
            "Keep to 10 milestones at most; there are 11",
        ),
        ("Fine\n" + "x" * 201, "Milestone 2 is 201 characters long; keep each one to 200"),
    ],
)
def test_milestone_rules(app, client, hr, seed, milestones, message):
    ids = seed("LinkedIn", templates={"Set up a profile": ("LinkedIn", False)})
    new = post_form(
        client,
        f"/curriculum/topics/{ids['LinkedIn']}/goal-templates/new",
        {**GOAL, "milestones": milestones},
    )
    edit = post_form(
        client,
        f"/curriculum/goal-templates/{ids['Set up a profile']}/edit",
        {**GOAL, "title": "Set up a profile", "milestones": milestones},
    )
    for response in (new, edit):
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert _count(app, GoalTemplate) == 1
    assert _template(app, ids["Set up a profile"])[1] == [
        (1, "Set up a profile: first step"),
        (2, "Set up a profile: second step"),
    ]
    assert _curriculum_events(app) == 0


def test_ten_milestones_of_200_characters_are_accepted(app, client, hr, seed):
    ids = seed("LinkedIn")
    lines = [f"{n:02d}" + "x" * 198 for n in range(1, 11)]
    response = post_form(
        client,
        f"/curriculum/topics/{ids['LinkedIn']}/goal-templates/new",
        {**GOAL, "milestones": "\n\n".join(lines)},
    )
    assert response.status_code == 302
    with app.app_context():
        titles = [m.title for m in db.session.scalar(select(GoalTemplate)).milestones]
    assert titles == lines


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the topic's name."),
        ("name", "    ", "Enter the topic's name."),
        ("name", "n" * 121, "Keep the name to 120 characters."),
        ("description", "d" * 2001, "Keep the description to 2,000 characters."),
    ],
)
def test_topic_form_rejects_bad_input(app, client, hr, seed, field, value, message):
    ids = seed("LinkedIn")
    data = {"name": "A new topic", "description": "", field: value}
    for url in ("/curriculum/topics/new", f"/curriculum/topics/{ids['LinkedIn']}/edit"):
        response = post_form(client, url, data)
        assert response.status_code == 200, url
        page = html.unescape(response.get_data(as_text=True))
        assert message in page, url
        assert "Please correct the highlighted field below." in page
    assert _count(app, Topic) == 1
    assert _topic(app, ids["LinkedIn"]).name == "LinkedIn"
    assert _curriculum_events(app) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", " ", "Enter the goal's title."),
        ("title", "t" * 161, "Keep the title to 160 characters."),
        ("evidence_hint", "h" * 256, "Keep the hint to 255 characters."),
        ("evidence_kind", "photo", "Not a valid choice"),
        ("audience", "leader", "Not a valid choice"),
    ],
)
def test_goal_template_form_rejects_bad_input(app, client, hr, seed, field, value, message):
    ids = seed("LinkedIn", templates={"Set up a profile": ("LinkedIn", False)})
    data = {**GOAL, field: value}
    for url in (
        f"/curriculum/topics/{ids['LinkedIn']}/goal-templates/new",
        f"/curriculum/goal-templates/{ids['Set up a profile']}/edit",
    ):
        response = post_form(client, url, data)
        assert response.status_code == 200, url
        assert message in html.unescape(response.get_data(as_text=True)), url
    assert _count(app, GoalTemplate) == 1
    template, _ = _template(app, ids["Set up a profile"])
    assert (template.title, template.evidence_kind, template.audience) == (
        "Set up a profile",
        "yes_no",
        "mentee",
    )
    assert _curriculum_events(app) == 0


def test_action_without_csrf_token_is_refused(app, client, hr, seed):
    ids = seed("LinkedIn")
    response = client.post(f"/curriculum/topics/{ids['LinkedIn']}/retire")
    assert response.status_code == 400
    assert _topic(app, ids["LinkedIn"]).retired_at is None


# -- access -----------------------------------------------------------------------------------


def _editing_urls(ids: dict[str, int]) -> tuple[list[str], list[str]]:
    topic, template = ids["LinkedIn"], ids["Set up a profile"]
    pages = [
        "/curriculum/topics/new",
        f"/curriculum/topics/{topic}/edit",
        f"/curriculum/topics/{topic}/goal-templates/new",
        f"/curriculum/goal-templates/{template}/edit",
    ]
    actions = [
        f"/curriculum/topics/{topic}/retire",
        f"/curriculum/topics/{topic}/restore",
        f"/curriculum/topics/{topic}/move/up",
        f"/curriculum/topics/{topic}/move/down",
        f"/curriculum/goal-templates/{template}/retire",
        f"/curriculum/goal-templates/{template}/restore",
    ]
    return pages, actions


@pytest.mark.parametrize("role", ["mentor", "mentee", "leader"])
def test_other_roles_get_403_on_every_editing_endpoint(app, client, login, make_person, seed, role):
    ids = seed("LinkedIn", "Posting", templates={"Set up a profile": ("LinkedIn", False)})
    make_person(f"{role}@example.org", roles=(role,))
    login(f"{role}@example.org")
    pages, actions = _editing_urls(ids)
    for url in pages:
        assert client.get(url).status_code == 403, url
        assert _post(client, url, {**GOAL, "name": "Hacked"}).status_code == 403, url
    for url in actions:
        assert _post(client, url).status_code == 403, url
    assert _count(app, Topic) == 2
    assert _count(app, GoalTemplate) == 1
    assert _topic(app, ids["LinkedIn"]).retired_at is None
    assert _curriculum_events(app) == 0


def test_strangers_are_sent_to_sign_in(client, seed):
    ids = seed("LinkedIn", templates={"Set up a profile": ("LinkedIn", False)})
    pages, _ = _editing_urls(ids)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]


def test_unknown_ids_answer_404(client, hr, seed):
    seed("LinkedIn", templates={"Set up a profile": ("LinkedIn", False)})
    pages, actions = _editing_urls({"LinkedIn": 9999, "Set up a profile": 9999})
    for url in pages[1:]:
        assert client.get(url).status_code == 404, url
        assert _post(client, url, GOAL).status_code == 404, url
    for url in actions:
        assert _post(client, url).status_code == 404, url
