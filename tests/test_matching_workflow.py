"""HR's matching workflow: run, lock, forbid, assign and swap by hand, publish, end, re-match."""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.curriculum.models import Topic
from mentoring.extensions import db
from mentoring.matching.models import ForbiddenPair, MatchProposal, MatchRun, Pair
from mentoring.people.models import Person
from tests.conftest import csrf_token, post_form


@pytest.fixture
def cohort(app, make_person, login):
    """A cohort in matching with 3 mentees and 3 mentors; HR is signed in.

    mentee "Exec A" reports (through a manager who is not enrolled) to... nobody;
    mentor "Junior C" reports to "Exec C" through a middle manager: they can never pair.
    """
    make_person("hr@example.org", roles=("admin",), name="Hana HR")
    login("hr@example.org")
    with app.app_context():
        topics = [Topic(name="LinkedIn"), Topic(name="AI tools"), Topic(name="Crisis")]
        cohort = Cohort(
            name="Pilot",
            start_date=date(2027, 1, 4),
            end_date=date(2027, 6, 30),
            status="matching",
            topics=topics,
        )
        db.session.add(cohort)
        people = {}
        for key, level, dept in [
            ("exec-a", 9, "Sales"),
            ("exec-b", 9, "Finance"),
            ("exec-c", 9, "Legal"),
            ("middle", 6, "Legal"),
            ("junior-a", 2, "IT"),
            ("junior-b", 2, "Marketing"),
            ("junior-c", 2, "Legal"),
        ]:
            people[key] = Person(
                email=f"{key}@example.org",
                name=key.replace("-", " ").title(),
                seniority_level=level,
                department=dept,
                timezone="Europe/Paris",
                languages=["en"],
                roles=("mentee",)
                if key.startswith("exec")
                else ("mentor",)
                if key.startswith("junior")
                else (),
            )
        people["middle"].manager = people["exec-c"]
        people["junior-c"].manager = people["middle"]
        db.session.add_all(people.values())
        db.session.flush()
        enrollments = {}
        for key in ("exec-a", "exec-b", "exec-c"):
            enrollments[key] = Enrollment(cohort=cohort, person=people[key], side="mentee")
        for key in ("junior-a", "junior-b", "junior-c"):
            enrollments[key] = Enrollment(cohort=cohort, person=people[key], side="mentor")
        db.session.add_all(enrollments.values())
        db.session.commit()
        return {"id": cohort.id, **{k: e.id for k, e in enrollments.items()}}


def _run(client, cohort_id, **weights):
    data = {
        "topics": "4",
        "timezone": "2",
        "language": "2",
        "availability": "2",
        "department": "1",
        "site": "1",
        "min_score": "0",
        **weights,
    }
    return post_form(
        client,
        f"/cohorts/{cohort_id}/matching/run",
        data,
        form_url=f"/cohorts/{cohort_id}/matching",
    )


def _draft(app, cohort_id):
    with app.app_context():
        run = db.session.scalar(
            select(MatchRun).where(MatchRun.cohort_id == cohort_id, MatchRun.status == "draft")
        )
        return run and {
            "id": run.id,
            "pairs": {
                (p.mentee_enrollment_id, p.mentor_enrollment_id): p.id for p in run.proposals
            },
            "locked": {
                (p.mentee_enrollment_id, p.mentor_enrollment_id) for p in run.proposals if p.locked
            },
            "unmatched": {u.enrollment_id: (u.reason, u.detail) for u in run.unmatched},
        }


def _pairs(app, cohort_id):
    with app.app_context():
        return set(
            db.session.execute(
                select(Pair.mentee_enrollment_id, Pair.mentor_enrollment_id).where(
                    Pair.cohort_id == cohort_id, Pair.status == "active"
                )
            ).all()
        )


def test_run_review_and_reporting_chain_never_paired(app, client, cohort):
    assert _run(client, cohort["id"]).status_code == 302
    draft = _draft(app, cohort["id"])
    assert len(draft["pairs"]) == 3
    assert (cohort["exec-c"], cohort["junior-c"]) not in draft["pairs"]
    page = client.get(f"/cohorts/{cohort['id']}/matching").get_data(as_text=True)
    assert "3 / 3" in page
    assert "Publish 3 pairs" in page
    assert "Score breakdown" in page
    # Sorting and filtering parameters are validated, not trusted.
    for query in ("sort=mentor", "sort=evil", "score_from=101", "score_from=-1", "score_from=x"):
        assert client.get(f"/cohorts/{cohort['id']}/matching?{query}").status_code == 200
    # The display filter is not the minimum acceptable score: it hides, never re-matches.
    filtered = client.get(f"/cohorts/{cohort['id']}/matching?score_from=100")
    assert "Show pairs scoring at least" in filtered.get_data(as_text=True)
    assert len(_draft(app, cohort["id"])["pairs"]) == 3


def test_weights_are_validated(app, client, cohort):
    response = _run(client, cohort["id"], topics="-1", language="2.5")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Use a weight from 0 to 10." in page
    assert 'value="-1"' in page and 'value="2.5"' in page  # what HR typed is kept
    assert _draft(app, cohort["id"]) is None
    response = _run(
        client,
        cohort["id"],
        topics="0",
        timezone="0",
        language="0",
        availability="0",
        department="0",
        site="0",
    )
    assert response.status_code == 422
    assert "at least one criterion" in response.get_data(as_text=True)
    assert _draft(app, cohort["id"]) is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("101", "Use a whole number from 0 to 100."),
        ("-1", "Use a whole number from 0 to 100."),
        ("40.5", "Use a whole number from 0 to 100."),
        ("forty", "Use a whole number from 0 to 100."),
        ("", "Give a minimum acceptable score from 0 to 100."),
    ],
)
def test_the_minimum_acceptable_score_is_validated_where_it_was_typed(
    app, client, cohort, typed, message
):
    response = _run(client, cohort["id"], min_score=typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="min_score-error">([^<]*)</p>', page)
    assert error is not None and error.group(1) == message  # said once, under the field
    field = re.search(r'<input[^>]*id="min_score"[^>]*>', page)
    assert field is not None and 'aria-invalid="true"' in field.group(0)
    assert f'value="{typed}"' in field.group(0)  # what HR typed is kept
    assert _draft(app, cohort["id"]) is None
    with app.app_context():
        assert db.session.get(Cohort, cohort["id"]).min_score == 0


def test_the_minimum_score_is_saved_and_used_by_the_next_run(app, client, cohort):
    _run(client, cohort["id"])
    assert len(_draft(app, cohort["id"])["pairs"]) == 3
    with app.app_context():
        best = max(db.session.scalars(select(MatchProposal.score)))
    # No availability was given (0.5 for that criterion): no pair can reach 100.
    assert best < 100
    response = _run(client, cohort["id"], min_score="100")
    assert response.status_code == 302
    draft = _draft(app, cohort["id"])
    assert draft["pairs"] == {}
    with app.app_context():
        assert db.session.get(Cohort, cohort["id"]).min_score == 100
        assert db.session.get(MatchRun, draft["id"]).rules["min_score"] == 100
    for mentee in ("exec-a", "exec-b"):
        reason, detail = draft["unmatched"][cohort[mentee]]
        assert reason == "under_min_score"
        assert re.fullmatch(
            r"Only mentors under the minimum score of 100: best was \d+ with .+", detail
        )
    page = client.get(f"/cohorts/{cohort['id']}/matching").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="min_score"[^>]*value="100"', page)  # the saved minimum
    assert "Only mentors under the minimum score of 100: best was" in page
    # Back to 0: the next run places everyone again.
    _run(client, cohort["id"], min_score="0")
    assert len(_draft(app, cohort["id"])["pairs"]) == 3


def test_lock_survives_a_rerun_and_forbid_is_respected(app, client, cohort):
    _run(client, cohort["id"])
    draft = _draft(app, cohort["id"])
    pair, proposal_id = next(iter(draft["pairs"].items()))
    post_form(
        client,
        f"/matching/proposals/{proposal_id}/lock",
        {"locked": "1"},
        form_url=f"/cohorts/{cohort['id']}/matching",
    )
    # Weights that would otherwise change the solution; the lock holds.
    _run(client, cohort["id"], topics="0", department="10")
    assert pair in _draft(app, cohort["id"])["locked"]

    other_pair, other_id = next(
        (k, v) for k, v in _draft(app, cohort["id"])["pairs"].items() if k != pair
    )
    post_form(
        client,
        f"/matching/proposals/{other_id}/forbid",
        {"reason": "same team"},
        form_url=f"/cohorts/{cohort['id']}/matching",
    )
    after = _draft(app, cohort["id"])
    assert other_pair not in after["pairs"]
    assert after["unmatched"][other_pair[0]][0] == "forbidden_by_hr"
    _run(client, cohort["id"])
    assert other_pair not in _draft(app, cohort["id"])["pairs"]
    with app.app_context():
        assert db.session.scalar(select(func.count(ForbiddenPair.id))) == 1


def test_hand_assignment_refuses_the_reporting_chain_by_name(app, client, cohort):
    _run(client, cohort["id"])
    draft = _draft(app, cohort["id"])
    response = post_form(
        client,
        f"/matching/runs/{draft['id']}/assign",
        {"mentee_id": cohort["exec-c"], "mentor_id": cohort["junior-c"]},
        form_url=f"/cohorts/{cohort['id']}/matching",
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "breaks a hard rule" in page
    assert "reporting chain" in page
    assert _draft(app, cohort["id"])["pairs"] == draft["pairs"]


def test_swap_and_weak_pairs_need_confirmation(app, client, cohort):
    _run(client, cohort["id"])
    draft = _draft(app, cohort["id"])
    by_mentee = {mentee: pid for (mentee, _), pid in draft["pairs"].items()}
    first, second = by_mentee[cohort["exec-a"]], by_mentee[cohort["exec-b"]]
    mentor_of = {mentee: mentor for mentee, mentor in draft["pairs"]}
    response = post_form(
        client,
        f"/matching/runs/{draft['id']}/swap",
        {"first": first, "second": second},
        form_url=f"/cohorts/{cohort['id']}/matching",
    )
    if response.status_code == 200:  # weak criteria: HR confirms
        page = response.get_data(as_text=True)
        assert "scores poorly" in page
        response = client.post(
            f"/matching/runs/{draft['id']}/swap",
            data={
                "csrf_token": csrf_token(page),
                "first": first,
                "second": second,
                "confirmed": "1",
            },
        )
    assert response.status_code == 302
    after = _draft(app, cohort["id"])
    assert (cohort["exec-a"], mentor_of[cohort["exec-b"]]) in after["locked"]
    assert (cohort["exec-b"], mentor_of[cohort["exec-a"]]) in after["locked"]


def test_weak_hand_assignment_asks_for_confirmation(app, client, cohort):
    with app.app_context():  # different languages: a weak criterion
        db.session.scalar(
            select(Person).where(Person.email == "junior-b@example.org")
        ).languages = ["de"]
        db.session.commit()
    _run(client, cohort["id"])
    draft = _draft(app, cohort["id"])
    data = {"mentee_id": cohort["exec-a"], "mentor_id": cohort["junior-b"]}
    # Free junior-b's place first if it is taken.
    current = next((m for m, mentor in draft["pairs"] if mentor == cohort["junior-b"]), None)
    if current and current != cohort["exec-a"]:
        with app.app_context():
            db.session.execute(
                MatchProposal.__table__.delete().where(
                    MatchProposal.id == draft["pairs"][(current, cohort["junior-b"])]
                )
            )
            db.session.commit()
    response = post_form(
        client,
        f"/matching/runs/{draft['id']}/assign",
        data,
        form_url=f"/cohorts/{cohort['id']}/matching",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Common language is poor for this pair" in page
    assert (cohort["exec-a"], cohort["junior-b"]) not in _draft(app, cohort["id"])["locked"]
    response = client.post(
        f"/matching/runs/{draft['id']}/assign",
        data={"csrf_token": csrf_token(page), **data, "confirmed": "1"},
    )
    assert response.status_code == 302
    assert (cohort["exec-a"], cohort["junior-b"]) in _draft(app, cohort["id"])["locked"]


def test_publish_is_atomic_and_happens_once(app, client, cohort):
    _run(client, cohort["id"])
    draft = _draft(app, cohort["id"])
    page = client.get(f"/cohorts/{cohort['id']}/matching").get_data(as_text=True)
    token = csrf_token(page)
    first = client.post(f"/matching/runs/{draft['id']}/publish", data={"csrf_token": token})
    second = client.post(
        f"/matching/runs/{draft['id']}/publish", data={"csrf_token": token}, follow_redirects=True
    )
    assert first.status_code == 302
    assert "already been published" in second.get_data(as_text=True)
    assert _pairs(app, cohort["id"]) == set(draft["pairs"])
    with app.app_context():
        assert db.session.get(Cohort, cohort["id"]).status == "active"
        assert db.session.scalar(select(func.count(Pair.id))) == 3
    # A new run is refused once the cohort is active.
    _run(client, cohort["id"])
    assert _draft(app, cohort["id"]) is None


def test_the_database_refuses_a_duplicate_pair(app, cohort):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        for _ in range(2):
            db.session.add(
                Pair(
                    cohort_id=cohort["id"],
                    mentee_enrollment_id=cohort["exec-a"],
                    mentor_enrollment_id=cohort["junior-a"],
                )
            )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        # Nor two active pairs for one mentee.
        db.session.add(
            Pair(
                cohort_id=cohort["id"],
                mentee_enrollment_id=cohort["exec-a"],
                mentor_enrollment_id=cohort["junior-a"],
            )
        )
        db.session.add(
            Pair(
                cohort_id=cohort["id"],
                mentee_enrollment_id=cohort["exec-a"],
                mentor_enrollment_id=cohort["junior-b"],
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_two_hr_people_publishing_at_once_create_pairs_once(app, cohort):
    # Real concurrent connections, on PostgreSQL and on the file-backed SQLite database.
    from mentoring.domain import RuleViolation
    from mentoring.matching.services import publish, run_cohort_matching

    with app.app_context():
        run_id = run_cohort_matching(db.session.get(Cohort, cohort["id"]), actor=None).id
        hr = db.session.scalar(select(Person).where(Person.email == "hr@example.org"))
        hr_id = hr.id
        db.session.commit()
    barrier = threading.Barrier(2)
    outcomes = []

    def publish_once():
        with app.app_context():
            run = db.session.get(MatchRun, run_id)
            actor = db.session.get(Person, hr_id)
            barrier.wait()
            try:
                outcomes.append(publish(run, actor=actor))
                db.session.commit()
            except RuleViolation as error:
                db.session.rollback()
                outcomes.append(error.message)

    threads = [threading.Thread(target=publish_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes))[0] == "3"
    assert "already been published" in sorted(map(str, outcomes))[1]
    with app.app_context():
        assert db.session.scalar(select(func.count(Pair.id))) == 3


def test_end_a_pair_and_rematch_the_mentee(app, client, cohort):
    _run(client, cohort["id"])
    draft = _draft(app, cohort["id"])
    post_form(
        client,
        f"/matching/runs/{draft['id']}/publish",
        {},
        form_url=f"/cohorts/{cohort['id']}/matching",
    )
    with app.app_context():
        pair = db.session.scalar(select(Pair).where(Pair.mentee_enrollment_id == cohort["exec-a"]))
        pair_id, old_mentor = pair.id, pair.mentor_enrollment_id
    bad = post_form(client, f"/pairs/{pair_id}/end", {"reason": "bored"})
    assert "Not a valid choice" in bad.get_data(as_text=True)
    response = post_form(
        client, f"/pairs/{pair_id}/end", {"reason": "not_a_fit", "note": "different expectations"}
    )
    assert response.status_code == 302
    listing = client.get(f"/cohorts/{cohort['id']}/pairs").get_data(as_text=True)
    assert "Mentees without an active pair (1)" in listing
    # Everyone is full (3 mentors x capacity 1), except the freed mentor, whose pair with
    # this mentee just ended: they are not offered again.
    page = client.get(f"/cohorts/{cohort['id']}/rematch/{cohort['exec-a']}").get_data(as_text=True)
    offered = set(map(int, re.findall(r'name="mentor_id" value="(\d+)"', page)))
    assert offered == set()
    assert "No mentor with a free place" in page
    # Raise another mentor's capacity; they become a candidate.
    other = next(m for m in (cohort["junior-a"], cohort["junior-b"]) if m != old_mentor)
    with app.app_context():
        db.session.get(Enrollment, other).capacity = 2
        db.session.commit()
    response = post_form(
        client,
        f"/cohorts/{cohort['id']}/rematch/{cohort['exec-a']}",
        {"mentee_id": cohort["exec-a"], "mentor_id": other},
    )
    assert response.status_code == 302
    assert (cohort["exec-a"], other) in _pairs(app, cohort["id"])


def test_participants_cannot_reach_matching(app, client, cohort, make_person, login):
    make_person("ana@example.org", roles=("mentor", "mentee", "leader"))
    client.delete_cookie("session")
    login("ana@example.org")
    for url in (f"/cohorts/{cohort['id']}/matching", f"/cohorts/{cohort['id']}/pairs"):
        assert client.get(url).status_code == 403


def test_published_pair_shows_on_the_participants_home(app, client, cohort, login):
    _run(client, cohort["id"])
    draft = _draft(app, cohort["id"])
    post_form(
        client,
        f"/matching/runs/{draft['id']}/publish",
        {},
        form_url=f"/cohorts/{cohort['id']}/matching",
    )
    with app.app_context():
        from mentoring.auth.services import hash_password

        person = db.session.scalar(select(Person).where(Person.email == "exec-a@example.org"))
        person.password_hash = hash_password("exec passphrase")
        db.session.commit()
    client.delete_cookie("session")
    page = login("exec-a@example.org", "exec passphrase", follow=True).get_data(as_text=True)
    assert "Your mentor:" in page
    assert "Why you were matched:" in page


def test_closing_the_cohort_completes_its_pairs(app, client, cohort):
    with app.app_context():  # a cohort closes once it has started
        db.session.get(Cohort, cohort["id"]).start_date = date(2026, 1, 5)
        db.session.commit()
    _run(client, cohort["id"])
    draft = _draft(app, cohort["id"])
    post_form(
        client,
        f"/matching/runs/{draft['id']}/publish",
        {},
        form_url=f"/cohorts/{cohort['id']}/matching",
    )
    response = post_form(
        client,
        f"/cohorts/{cohort['id']}/status",
        {"status": "closed"},
        form_url=f"/cohorts/{cohort['id']}",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Cohort, cohort["id"]).status == "closed"
        reasons = set(db.session.scalars(select(Pair.end_reason)))
        assert reasons == {"completed"}
    assert _pairs(app, cohort["id"]) == set()


def _publish(app, client, cohort_id):
    _run(client, cohort_id)
    draft = _draft(app, cohort_id)
    post_form(
        client,
        f"/matching/runs/{draft['id']}/publish",
        {},
        form_url=f"/cohorts/{cohort_id}/matching",
    )
    return draft


def _offered(client, cohort_id, mentee_id):
    page = client.get(f"/cohorts/{cohort_id}/rematch/{mentee_id}").get_data(as_text=True)
    return set(map(int, re.findall(r'name="mentor_id" value="(\d+)"', page)))


def test_rematch_never_offers_an_ended_pair_again_and_forbidden_stays_forbidden(
    app, client, cohort
):
    _publish(app, client, cohort["id"])
    with app.app_context():
        pair = db.session.scalar(select(Pair).where(Pair.mentee_enrollment_id == cohort["exec-a"]))
        pair_id, old_mentor = pair.id, pair.mentor_enrollment_id
        others = [m for m in (cohort["junior-a"], cohort["junior-b"]) if m != old_mentor]
        for mentor_id in (cohort["junior-a"], cohort["junior-b"], cohort["junior-c"]):
            db.session.get(Enrollment, mentor_id).capacity = 3  # everyone has room
        db.session.commit()
    assert post_form(client, f"/pairs/{pair_id}/end", {"reason": "not_a_fit"}).status_code == 302
    offered = _offered(client, cohort["id"], cohort["exec-a"])
    assert old_mentor not in offered  # the mentor of the pair that just ended
    assert set(others) <= offered
    # Forced by hand, the ended pair is refused too.
    response = post_form(
        client,
        f"/cohorts/{cohort['id']}/rematch/{cohort['exec-a']}",
        {"mentee_id": cohort["exec-a"], "mentor_id": old_mentor},
    )
    assert "These two were already paired in this cohort." in response.get_data(as_text=True)
    assert (cohort["exec-a"], old_mentor) not in _pairs(app, cohort["id"])

    # HR forbids one of the others: not offered, and refused if posted.
    with app.app_context():
        db.session.add(
            ForbiddenPair(
                cohort_id=cohort["id"],
                mentee_enrollment_id=cohort["exec-a"],
                mentor_enrollment_id=others[0],
            )
        )
        db.session.commit()
    assert others[0] not in _offered(client, cohort["id"], cohort["exec-a"])
    response = post_form(
        client,
        f"/cohorts/{cohort['id']}/rematch/{cohort['exec-a']}",
        {"mentee_id": cohort["exec-a"], "mentor_id": others[0]},
        follow_redirects=True,
    )
    assert "forbidden by HR" in response.get_data(as_text=True)
    assert (cohort["exec-a"], others[0]) not in _pairs(app, cohort["id"])
    # The reporting chain is never offered either (junior-c reports to exec-c).
    assert cohort["junior-c"] not in _offered(client, cohort["id"], cohort["exec-c"])


def test_weak_pairs_are_flagged_in_the_list_and_counted(app, client, cohort):
    with app.app_context():  # exec-b and junior-b share no language: a weak criterion
        db.session.scalar(
            select(Person).where(Person.email == "junior-b@example.org")
        ).languages = ["de"]
        db.session.commit()
    _run(client, cohort["id"])
    draft = _draft(app, cohort["id"])
    with app.app_context():
        weak = {
            p.id
            for p in db.session.get(MatchRun, draft["id"]).proposals
            if any(value < 0.34 for value in p.breakdown.values())
        }
    assert weak  # junior-b's pair has no common language
    page = client.get(f"/cohorts/{cohort['id']}/matching").get_data(as_text=True)
    rows = re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", page, flags=re.S)
    flagged = [row for row in rows if "Weak pair" in row]
    assert len(flagged) == len(weak)
    assert all("weak" in row.split(">", 1)[0] for row in flagged)
    assert any("Common language" in row for row in flagged)
    stat = re.search(r'stat-value">(\d+)</span><span class="stat-label">weak pairs?', page)
    assert stat is not None and int(stat.group(1)) == len(weak)


def test_a_hand_made_pair_under_the_minimum_needs_confirmation(app, client, cohort):
    _run(client, cohort["id"])
    draft = _draft(app, cohort["id"])
    with app.app_context():
        scores = {
            (p.mentee_enrollment_id, p.mentor_enrollment_id): p.score
            for p in db.session.get(MatchRun, draft["id"]).proposals
        }
        db.session.get(Cohort, cohort["id"]).min_score = 100
        db.session.commit()
    (mentee_id, mentor_id), score = next(iter(scores.items()))
    response = post_form(
        client,
        f"/matching/runs/{draft['id']}/assign",
        {"mentee_id": mentee_id, "mentor_id": mentor_id},
        form_url=f"/cohorts/{cohort['id']}/matching",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        f"It scores {score}, under the cohort&#39;s minimum acceptable score of 100" in page
        or f"It scores {score}, under the cohort's minimum acceptable score of 100" in page
    )


def test_the_published_run_stays_readable_with_links_to_each_pair(app, client, cohort):
    draft = _publish(app, client, cohort["id"])
    with app.app_context():
        run = db.session.get(MatchRun, draft["id"])
        proposals = [(p.score, p.explanation) for p in run.proposals]
        pair_ids = set(db.session.scalars(select(Pair.id).where(Pair.match_run_id == run.id)))
        unmatched = [(u.enrollment.person.name, u.detail) for u in run.unmatched]
    page = client.get(f"/cohorts/{cohort['id']}/matching").get_data(as_text=True)
    assert "Published run, computed" in page
    assert "read-only" in page
    for score, explanation in proposals:
        assert f'<span class="score">{score}</span>' in page
        assert explanation.replace("'", "&#39;") in page
    assert page.count("Score breakdown</summary>") == len(proposals)
    linked = set(map(int, re.findall(r'href="/pairs/(\d+)"', page)))
    assert linked == pair_ids
    for name, detail in unmatched:
        assert name in page and detail in page
    # Read-only: no lock, forbid, publish, or run button.
    for action in ("/lock", "/forbid", "/publish", "Run the matching", "Find a mentor"):
        assert action not in page


def test_hr_cannot_end_a_pair_as_cohort_cancelled(app, client, cohort):
    _publish(app, client, cohort["id"])
    with app.app_context():
        pair_id = db.session.scalar(select(Pair.id).limit(1))
    page = client.get(f"/pairs/{pair_id}/end").get_data(as_text=True)
    assert "Not a good fit" in page
    assert "Cohort cancelled" not in page and "cohort_cancelled" not in page
    response = post_form(client, f"/pairs/{pair_id}/end", {"reason": "cohort_cancelled"})
    assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Pair, pair_id).status == "active"
