"""A match run that can no longer change (published, replaced, or of a finished cohort) and
a mentee who is still paired: their pages offer no button that can only fail, say why, and
link to what HR can do instead; a stale form posted anyway is refused with that advice and
changes nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.extensions import db
from mentoring.matching.models import ForbiddenPair, MatchProposal, MatchRun, Pair
from mentoring.people.models import Person
from tests.conftest import post_form

PUBLISHED = (
    "This matching run is published: its pairs can no longer be changed here. To give a "
    "mentee another mentor, end their pair, then re-match the mentee."
)
REPLACED = "This run was replaced by a newer one: make your changes on the current draft."
CLOSED = "This cohort is closed: its matching and its pairs can no longer change."
OLD_ADVICE = "run the matching again"


@pytest.fixture
def cohort(app, make_person, login):
    """A cohort in matching: two executives, two juniors with one place each; HR signed in."""
    make_person("hr@example.org", roles=("admin",), name="Hana HR")
    login("hr@example.org")
    with app.app_context():
        cohort = Cohort(
            name="Pilot",
            start_date=date(2027, 1, 4),
            end_date=date(2027, 6, 30),
            status="matching",
        )
        db.session.add(cohort)
        enrollments = {}
        for key, level, department, side in [
            ("exec-a", 9, "Sales", "mentee"),
            ("exec-b", 9, "Finance", "mentee"),
            ("junior-a", 2, "IT", "mentor"),
            ("junior-b", 2, "Marketing", "mentor"),
        ]:
            person = Person(
                email=f"{key}@example.org",
                name=key.replace("-", " ").title(),
                seniority_level=level,
                department=department,
                timezone="Europe/Paris",
                languages=["en"],
                roles=(side,),
            )
            enrollments[key] = Enrollment(cohort=cohort, person=person, side=side)
        db.session.add_all(enrollments.values())
        db.session.commit()
        return {"id": cohort.id, **{key: e.id for key, e in enrollments.items()}}


def _run(app, client, cohort_id):
    """Run the matching through the page; the id of the new draft."""
    weights = {"topics": "4", "timezone": "2", "language": "2", "availability": "2"}
    response = post_form(
        client,
        f"/cohorts/{cohort_id}/matching/run",
        {**weights, "department": "1", "site": "1", "min_score": "0"},
        form_url=f"/cohorts/{cohort_id}/matching",
    )
    assert response.status_code == 302
    with app.app_context():
        return db.session.scalar(
            select(MatchRun.id)
            .where(MatchRun.cohort_id == cohort_id, MatchRun.status == "draft")
            .order_by(MatchRun.id.desc())
            .limit(1)
        )


def _publish(client, cohort_id, run_id):
    response = post_form(
        client,
        f"/matching/runs/{run_id}/publish",
        {},
        form_url=f"/cohorts/{cohort_id}/matching",
    )
    assert response.status_code == 302


def _state(app):
    """Everything a hand change could touch: proposals, pairs and forbidden pairs."""
    with app.app_context():
        return (
            set(
                db.session.execute(
                    select(
                        MatchProposal.id,
                        MatchProposal.run_id,
                        MatchProposal.mentee_enrollment_id,
                        MatchProposal.mentor_enrollment_id,
                        MatchProposal.locked,
                    )
                ).all()
            ),
            set(
                db.session.execute(
                    select(
                        Pair.id, Pair.mentee_enrollment_id, Pair.mentor_enrollment_id, Pair.status
                    )
                ).all()
            ),
            set(db.session.scalars(select(ForbiddenPair.id))),
            set(db.session.execute(select(MatchRun.id, MatchRun.status)).all()),
        )


def _proposals(app, run_id):
    """Proposal id per mentee enrollment id."""
    with app.app_context():
        return dict(
            db.session.execute(
                select(MatchProposal.mentee_enrollment_id, MatchProposal.id).where(
                    MatchProposal.run_id == run_id
                )
            ).all()
        )


def _pair_of(app, mentee_id):
    with app.app_context():
        return db.session.scalar(
            select(Pair.id).where(Pair.mentee_enrollment_id == mentee_id, Pair.status == "active")
        )


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _hand_forms(page):
    """The assign and swap forms of a mentee's alternatives page."""
    return re.findall(r'action="/matching/runs/\d+/(?:assign|swap)"', page)


def _stale_posts(client, app, cohort, run_id):
    """Every hand change of the run, posted as from a tab opened while it was a draft."""
    proposals = _proposals(app, run_id)
    first, second = proposals[cohort["exec-a"]], proposals[cohort["exec-b"]]
    form_url = f"/cohorts/{cohort['id']}/pairs"
    return [
        post_form(
            client,
            f"/matching/runs/{run_id}/swap",
            {"first": first, "second": second, "confirmed": "1"},
            form_url=form_url,
            follow_redirects=True,
        ),
        post_form(
            client,
            f"/matching/runs/{run_id}/assign",
            {"mentee_id": cohort["exec-a"], "mentor_id": cohort["junior-b"], "confirmed": "1"},
            form_url=form_url,
            follow_redirects=True,
        ),
        post_form(
            client,
            f"/matching/proposals/{first}/lock",
            {"locked": "1"},
            form_url=form_url,
            follow_redirects=True,
        ),
        post_form(
            client,
            f"/matching/proposals/{first}/forbid",
            {"reason": "stale tab"},
            form_url=form_url,
            follow_redirects=True,
        ),
    ]


def test_a_published_runs_mentee_page_is_read_only_and_points_to_end_and_rematch(
    app, client, cohort
):
    run_id = _run(app, client, cohort["id"])
    url = f"/matching/runs/{run_id}/mentees/{cohort['exec-a']}"
    assert "Swap with" in _page(client, url)  # the draft: the other mentor is full
    _publish(client, cohort["id"], run_id)
    pair_id = _pair_of(app, cohort["exec-a"])

    page = _page(client, url)
    assert _hand_forms(page) == []
    assert "Swap with" not in page and ">Assign" not in page
    assert PUBLISHED in page
    assert OLD_ADVICE not in page
    assert f'href="/pairs/{pair_id}"' in page
    assert f'href="/pairs/{pair_id}/end"' in page
    assert f'href="/cohorts/{cohort["id"]}/rematch/{cohort["exec-a"]}"' in page
    assert "In this run:" in page and "Proposed now" not in page


def test_stale_hand_changes_to_a_published_run_are_refused_with_the_right_advice(
    app, client, cohort
):
    run_id = _run(app, client, cohort["id"])
    _publish(client, cohort["id"], run_id)
    before = _state(app)

    for response in _stale_posts(client, app, cohort, run_id):
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert f'<div class="flash flash-error" role="alert">{PUBLISHED}</div>' in page
        assert OLD_ADVICE not in page
    assert _state(app) == before


def test_a_replaced_draft_is_read_only_and_sends_hr_to_the_current_one(app, client, cohort):
    old_run = _run(app, client, cohort["id"])
    new_run = _run(app, client, cohort["id"])
    assert new_run != old_run

    page = _page(client, f"/matching/runs/{old_run}/mentees/{cohort['exec-a']}")
    assert _hand_forms(page) == [] and "Swap with" not in page
    assert REPLACED in page
    assert f'href="/cohorts/{cohort["id"]}/matching"' in page
    assert "/rematch/" not in page  # nothing is published yet

    before = _state(app)
    for response in _stale_posts(client, app, cohort, old_run):
        assert REPLACED in response.get_data(as_text=True)
    assert _state(app) == before
    # The current draft still takes hand changes.
    assert _hand_forms(_page(client, f"/matching/runs/{new_run}/mentees/{cohort['exec-a']}"))


def test_the_run_of_a_closed_cohort_says_nothing_can_change_any_more(app, client, cohort):
    run_id = _run(app, client, cohort["id"])
    _publish(client, cohort["id"], run_id)
    with app.app_context():
        db.session.get(Cohort, cohort["id"]).status = "closed"
        db.session.commit()

    page = _page(client, f"/matching/runs/{run_id}/mentees/{cohort['exec-a']}")
    assert _hand_forms(page) == []
    assert CLOSED in page and PUBLISHED not in page
    assert f'href="/cohorts/{cohort["id"]}/pairs"' in page
    assert "/rematch/" not in page and f'/pairs/{_pair_of(app, cohort["exec-a"])}/end"' not in page

    before = _state(app)
    for response in _stale_posts(client, app, cohort, run_id):
        assert CLOSED in response.get_data(as_text=True)
    assert _state(app) == before


def _offered(page):
    return set(map(int, re.findall(r'name="mentor_id" value="(\d+)"', page)))


def test_rematching_a_mentee_still_paired_links_the_pair_and_offers_nobody(app, client, cohort):
    run_id = _run(app, client, cohort["id"])
    _publish(client, cohort["id"], run_id)
    with app.app_context():  # both mentors have room: only the active pair stands in the way
        for mentor in (cohort["junior-a"], cohort["junior-b"]):
            db.session.get(Enrollment, mentor).capacity = 3
        db.session.commit()
    pair_id = _pair_of(app, cohort["exec-a"])
    url = f"/cohorts/{cohort['id']}/rematch/{cohort['exec-a']}"

    page = _page(client, url)
    assert _offered(page) == set() and "Pair with" not in page
    assert "Exec A already has an active pair, with Junior" in page
    assert f'href="/pairs/{pair_id}"' in page
    assert f'href="/pairs/{pair_id}/end"' in page
    assert "No mentor with a free place" not in page

    # Posted anyway (a stale tab): refused, nothing created, the same page again.
    (other,) = {cohort["junior-a"], cohort["junior-b"]} - {_mentor_of(app, pair_id)}
    before = _state(app)
    response = post_form(
        client, url, {"mentee_id": cohort["exec-a"], "mentor_id": other}, form_url=url
    )
    refused = response.get_data(as_text=True)
    assert "This mentee already has an active pair: end it first." in refused
    assert _offered(refused) == set() and f'href="/pairs/{pair_id}/end"' in refused
    assert _state(app) == before

    # Once the pair has ended, the other mentor is offered.
    assert post_form(client, f"/pairs/{pair_id}/end", {"reason": "not_a_fit"}).status_code == 302
    assert _offered(_page(client, url)) == {other}


def _mentor_of(app, pair_id):
    with app.app_context():
        return db.session.get(Pair, pair_id).mentor_enrollment_id
