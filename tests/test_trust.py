"""The pair agreement and ending a pair without blame."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from mentoring.audit.models import AuditEvent
from mentoring.cohorts.models import Cohort
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.matching.models import EndReason, Pair
from mentoring.people.models import Person
from mentoring.trust.agreement_text import DEFAULT_AGREEMENT, agreement_facts
from mentoring.trust.models import AgreementAcceptance, EndRequest
from mentoring.trust.retention import ClosedCohort, add_months, expired_cohorts, expires_on
from mentoring.trust.services import (
    accept_agreement,
    current_agreement,
    end_pair_on_request,
    keep_pair,
    open_end_requests,
    pair_agreement,
    request_end,
    save_agreement,
)
from tests.conftest import PASSWORD, csrf_token, post_form


def signed_in(app, email):
    """A fresh client signed in through the real form."""
    client = app.test_client()
    post_form(client, "/login", {"email": email, "password": PASSWORD})
    return client


@pytest.fixture
def hr(make_person):
    return make_person("hr@example.org", roles=("admin",), name="Hana Hr")


def _get(model, ident):
    return db.session.get(model, ident)


# The agreement -------------------------------------------------------------------


def test_a_cohort_starts_with_the_default_agreement_and_true_facts(app, make_cohort):
    cohort_id = make_cohort(cadence_days=21, target_meetings=5)
    with app.app_context():
        agreement = current_agreement(_get(Cohort, cohort_id))
        assert agreement.version == 1 and agreement.is_default
        assert agreement.body == DEFAULT_AGREEMENT
        facts = " ".join(agreement.facts)
        assert "every 21 days" in facts and "5 meetings" in facts
        assert "deleted 12 months after the cohort closes" in facts
        assert "Leadership sees only figures" in facts
        assert "not by the other member" in facts


def test_retention_zero_says_notes_are_kept():
    facts = " ".join(agreement_facts(cadence_days=14, target_meetings=6, retention_months=0))
    assert "are kept after the cohort closes" in facts
    assert "deleted" not in facts.split("Private notes")[1].split(".")[0]


def test_both_members_accept_and_a_new_version_asks_again(app, make_pair, hr):
    ids = make_pair()
    with app.app_context():
        pair = _get(Pair, ids["pair"])
        mentor, mentee = _get(Person, ids["mentor"]), _get(Person, ids["mentee"])
        assert not pair_agreement(pair).all_accepted
        accept_agreement(pair, mentor, 1)
        status = pair_agreement(pair)
        assert status.accepted_by(mentor.id) and not status.accepted_by(mentee.id)
        assert [m.person.id for m in status.waiting_for(mentor.id)] == [mentee.id]
        accept_agreement(pair, mentee, 1)
        accept_agreement(pair, mentee, 1)  # twice changes nothing
        db.session.commit()
        assert pair_agreement(pair).all_accepted
        assert db.session.scalar(select(db.func.count(AgreementAcceptance.id))) == 2

        saved = save_agreement(
            pair.cohort, "We listen.\n\nWe keep it between us.", actor=_get(Person, hr)
        )
        db.session.commit()
        assert saved.version == 2 and not saved.is_default
        status = pair_agreement(pair)
        assert not status.all_accepted
        assert all(m.accepted_earlier_version for m in status.members)
        with pytest.raises(RuleViolation, match="changed the agreement"):
            accept_agreement(pair, mentor, 1)
        acceptance = accept_agreement(pair, mentor, 2)
        assert acceptance.version == 2


def test_saving_the_agreement_refuses_empty_unchanged_and_too_long(app, make_cohort, hr):
    cohort_id = make_cohort()
    with app.app_context():
        cohort, actor = _get(Cohort, cohort_id), _get(Person, hr)
        with pytest.raises(RuleViolation, match="cannot be empty"):
            save_agreement(cohort, "   ", actor=actor)
        with pytest.raises(RuleViolation, match="unchanged"):
            save_agreement(cohort, DEFAULT_AGREEMENT, actor=actor)
        with pytest.raises(RuleViolation, match="too long"):
            save_agreement(cohort, "x" * 6001, actor=actor)
        assert current_agreement(cohort).version == 1


def test_only_members_accept(app, make_pair, make_person):
    ids = make_pair()
    stranger = make_person()
    with app.app_context():
        with pytest.raises(RuleViolation):
            accept_agreement(_get(Pair, ids["pair"]), _get(Person, stranger), 1)


def test_hr_edits_the_agreement_on_its_page(app, client, login, make_cohort, hr):
    cohort_id = make_cohort(name="Autumn")
    login("hr@example.org")
    page = client.get(f"/cohorts/{cohort_id}/agreement")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Version 1, the default text" in html
    empty = post_form(client, f"/cohorts/{cohort_id}/agreement", {"body": ""})
    assert "cannot be empty" in empty.get_data(as_text=True)
    long_text = "Ours.\n\n" + "y" * 30
    saved = post_form(
        client, f"/cohorts/{cohort_id}/agreement", {"body": long_text}, follow_redirects=True
    )
    text = saved.get_data(as_text=True)
    assert "Agreement saved as version 2" in text and "y" * 30 in text
    assert "Agreement" in client.get(f"/cohorts/{cohort_id}").get_data(as_text=True)


def test_participants_cannot_edit_the_agreement(app, client, login, make_pair):
    ids = make_pair()
    login("mentor1@example.org")
    assert client.get(f"/cohorts/{ids['cohort']}/agreement").status_code == 403


def test_accepting_through_the_route(app, client, login, make_pair, make_person):
    ids = make_pair()
    login("mentee1@example.org")
    # Any page of the signed-in person gives a valid CSRF token for the session.
    token = csrf_token(client.get("/profile").get_data(as_text=True))
    response = client.post(
        f"/pairs/{ids['pair']}/agreement", data={"csrf_token": token, "version": "1"}
    )
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(AgreementAcceptance)).all()
        assert [(r.person_id, r.version) for r in rows] == [(ids["mentee"], 1)]
    make_person("other@example.org", roles=("mentor",))
    client = signed_in(app, "other@example.org")
    token = csrf_token(client.get("/profile").get_data(as_text=True))
    refused = client.post(
        f"/pairs/{ids['pair']}/agreement", data={"csrf_token": token, "version": "1"}
    )
    assert refused.status_code == 404


# Ending without blame ------------------------------------------------------------


def test_a_member_asks_to_end_and_hr_ends_the_pair(app, make_pair, hr):
    ids = make_pair()
    with app.app_context():
        pair, mentee = _get(Pair, ids["pair"]), _get(Person, ids["mentee"])
        with pytest.raises(RuleViolation, match="why"):
            request_end(pair, mentee, "  ")
        request = request_end(pair, mentee, "We never click; I feel judged.")
        db.session.commit()
        with pytest.raises(RuleViolation, match="already asked"):
            request_end(pair, mentee, "again")
        assert [r.id for r in open_end_requests()] == [request.id]
        assert [r.id for r in open_end_requests(cohort_id=ids["cohort"])] == [request.id]
        assert open_end_requests(cohort_id=ids["cohort"] + 1000) == []
        # The audit log records the request, never its reason.
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "pair.end_requested")
        )
        assert "judged" not in str(event.details)

        end_pair_on_request(request, EndReason.NOT_A_FIT, actor=_get(Person, hr))
        db.session.commit()
        assert pair.status == "ended" and pair.end_reason == "not_a_fit"
        assert request.resolution == "ended" and request.resolved_at is not None
        assert open_end_requests() == []
        with pytest.raises(RuleViolation, match="already decided"):
            keep_pair(request, actor=_get(Person, hr))


def test_hr_may_keep_the_pair(app, make_pair, hr):
    ids = make_pair()
    with app.app_context():
        pair, mentor = _get(Pair, ids["pair"]), _get(Person, ids["mentor"])
        request = request_end(pair, mentor, "Too busy this quarter")
        keep_pair(request, actor=_get(Person, hr))
        db.session.commit()
        assert pair.status == "active" and request.resolution == "kept"
        assert open_end_requests() == []
        # After HR's decision the member may ask again.
        assert request_end(pair, mentor, "Still too busy").is_open


def test_requests_of_a_pair_ended_elsewhere_are_not_open(app, make_pair, hr):
    from mentoring.matching.services import end_pair

    ids = make_pair()
    with app.app_context():
        pair = _get(Pair, ids["pair"])
        request_end(pair, _get(Person, ids["mentee"]), "no fit")
        end_pair(pair, EndReason.COMPLETED, actor=_get(Person, hr))
        db.session.commit()
        assert open_end_requests() == []
        with pytest.raises(RuleViolation, match="already ended"):
            request_end(pair, _get(Person, ids["mentor"]), "late")


def test_end_request_pages(app, client, login, make_pair, hr):
    ids = make_pair()
    login("mentee1@example.org")
    url = f"/pairs/{ids['pair']}/end-request"
    assert "Only HR reads this" in client.get(url).get_data(as_text=True)
    empty = post_form(client, url, {"reason": ""})
    assert "only HR reads it" in empty.get_data(as_text=True)
    sent = post_form(client, url, {"reason": "Private: we clash."})
    assert sent.status_code == 302
    # A participant never reaches HR's pages, nor the reason.
    assert client.get("/end-requests").status_code == 403
    with app.app_context():
        request_id = db.session.scalar(select(EndRequest.id))
    assert client.get(f"/end-requests/{request_id}").status_code == 403
    client = signed_in(app, "hr@example.org")
    home = client.get("/").get_data(as_text=True)
    assert "asks to end the pair of" in home
    assert "Private: we clash." not in home
    pairs = client.get(f"/cohorts/{ids['cohort']}/pairs").get_data(as_text=True)
    assert "End requested" in pairs
    decide_url = f"/end-requests/{request_id}"
    assert "Private: we clash." in client.get(decide_url).get_data(as_text=True)
    ended = post_form(client, decide_url, {"decision": "end", "reason": "not_a_fit", "note": ""})
    assert ended.status_code == 302
    with app.app_context():
        assert _get(Pair, ids["pair"]).status == "ended"
        assert _get(EndRequest, request_id).resolution == "ended"
    assert "asks to end the pair of" not in client.get("/").get_data(as_text=True)


# Retention selection (pure) ------------------------------------------------------


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


def test_expired_cohorts_respects_the_period_and_zero():
    old = ClosedCohort(1, "Old", date(2025, 1, 10))
    recent = ClosedCohort(2, "Recent", date(2025, 12, 1))
    assert expires_on(old.closed_on, 0) is None
    assert expired_cohorts([old, recent], today=date(2026, 1, 10), months=12) == [old]
    assert expired_cohorts([old, recent], today=date(2026, 1, 9), months=12) == []
    assert expired_cohorts([old, recent], today=date(2030, 1, 1), months=0) == []


# The pair page -------------------------------------------------------------------


def test_the_pair_page_asks_for_the_agreement_until_both_accept(app, make_pair, hr):
    ids = make_pair()
    url = f"/pairs/{ids['pair']}"
    mentee = signed_in(app, "mentee1@example.org")
    page = mentee.get(url).get_data(as_text=True)
    assert "Read and accept your agreement before your first meeting." in page
    assert "I accept this agreement" in page
    assert "We meet as equals" in page
    post_form(mentee, f"/pairs/{ids['pair']}/agreement", {"version": "1"}, form_url=url)
    page = mentee.get(url).get_data(as_text=True)
    assert "I accept this agreement" not in page
    assert "Waiting for Mia Mentor1 to accept the agreement." in page
    assert "accepted version 1 on" in page

    mentor = signed_in(app, "mentor1@example.org")
    post_form(mentor, f"/pairs/{ids['pair']}/agreement", {"version": "1"}, form_url=url)
    page = mentor.get(url).get_data(as_text=True)
    assert "Waiting for" not in page and "I accept this agreement" not in page

    with app.app_context():
        save_agreement(_get(Cohort, ids["cohort"]), "A new promise.", actor=_get(Person, hr))
        db.session.commit()
    page = mentor.get(url).get_data(as_text=True)
    assert "HR changed the agreement since you accepted it" in page
    assert "A new promise." in page


def test_the_other_member_sees_only_that_the_pair_ended(app, make_pair, hr):
    ids = make_pair()
    url = f"/pairs/{ids['pair']}"
    mentee = signed_in(app, "mentee1@example.org")
    assert "ask HR to end this pair" in mentee.get(url).get_data(as_text=True)
    post_form(mentee, f"{url}/end-request", {"reason": "Secret reason XYZ"})
    assert "HR has not decided yet" in mentee.get(url).get_data(as_text=True)

    mentor = signed_in(app, "mentor1@example.org")
    page = mentor.get(url).get_data(as_text=True)
    assert "Secret reason XYZ" not in page and "asked HR to end" not in page

    hr_client = signed_in(app, "hr@example.org")
    assert "asked to end this pair" in hr_client.get(url).get_data(as_text=True)
    with app.app_context():
        request_id = db.session.scalar(select(EndRequest.id))
    post_form(hr_client, f"/end-requests/{request_id}", {"decision": "end", "reason": "not_a_fit"})
    page = mentor.get(url).get_data(as_text=True)
    assert "Pair ended" in page
    for hidden in ("Secret reason XYZ", "Not a good fit", "not_a_fit", "asked"):
        assert hidden not in page
