"""Every endpoint of the URL map × every kind of actor × GET and POST, against one table.

The table `MATRIX` says, for each endpoint and method, what each actor gets: a sign-in
redirect, 403, 404 or an ordinary answer (200, a redirect elsewhere, or a form
re-shown with its errors). Object URLs name pair A's objects, so pair B's members
try them too. A refused request must leave the database as it was; a GET that is let
through may only add audit events. A route without its row here fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from mentoring.extensions import db
from tests.access_world import (
    ACTORS,
    World,
    build_world,
    changed_tables,
    clean_database,
    fingerprint,
    restore,
)

# What an actor gets. "L": a redirect to the sign-in page; "ok": 200, or a redirect
# elsewhere (a form re-shown with its errors in a 200 too); "bad": the form re-shown
# with its errors as a 400 or 422 (never a refused CSRF token); 403; 404.
LOGIN, OK, FORBIDDEN, HIDDEN, FORM = "L", "ok", "403", "404", "bad"

# Columns, in this order: anonymous, mentor (A), mentee (A), hr, leader, other (a member
# of pair B), deactivated, leader_mentee (a leader who is pair B's mentee).
MATRIX_TABLE = """
endpoint                          method anon ment mtee hr   lead othr deac l+me
audit.index                       GET   L    403  403  ok   403  403  L    403
auth.accept_invitation            GET   ok   ok   ok   ok   ok   ok   ok   ok
auth.accept_invitation            POST  ok   ok   ok   ok   ok   ok   ok   ok
auth.change_password              GET   L    ok   ok   ok   ok   ok   L    ok
auth.change_password              POST  L    ok   ok   ok   ok   ok   L    ok
auth.forgot_password              GET   ok   ok   ok   ok   ok   ok   ok   ok
auth.forgot_password              POST  ok   ok   ok   ok   ok   ok   ok   ok
auth.login                        GET   ok   ok   ok   ok   ok   ok   ok   ok
auth.login                        POST  ok   ok   ok   ok   ok   ok   ok   ok
auth.logout                       POST  L    ok   ok   ok   ok   ok   L    ok
auth.reset_password               GET   ok   ok   ok   ok   ok   ok   ok   ok
auth.reset_password               POST  ok   ok   ok   ok   ok   ok   ok   ok
cohorts.cancel                    GET   L    403  403  ok   403  403  L    403
cohorts.cancel                    POST  L    403  403  ok   403  403  L    403
cohorts.change_status             POST  L    403  403  bad  403  403  L    403
cohorts.detail                    GET   L    403  403  ok   403  403  L    403
cohorts.edit                      GET   L    403  403  ok   403  403  L    403
cohorts.edit                      POST  L    403  403  ok   403  403  L    403
cohorts.edit_enrollment           GET   L    404  ok   ok   404  404  L    404
cohorts.edit_enrollment           POST  L    404  ok   ok   404  404  L    404
cohorts.import_commit             POST  L    403  403  ok   403  403  L    403
cohorts.import_help               GET   L    403  403  ok   403  403  L    403
cohorts.import_preview            GET   L    403  403  ok   403  403  L    403
cohorts.import_template           GET   L    403  403  ok   403  403  L    403
cohorts.import_upload             GET   L    403  403  ok   403  403  L    403
cohorts.import_upload             POST  L    403  403  ok   403  403  L    403
cohorts.index                     GET   L    403  403  ok   403  403  L    403
cohorts.new                       GET   L    403  403  ok   403  403  L    403
cohorts.new                       POST  L    403  403  ok   403  403  L    403
cohorts.new_enrollment            GET   L    403  403  ok   403  403  L    403
cohorts.new_enrollment            POST  L    403  403  ok   403  403  L    403
cohorts.remove                    POST  L    403  403  ok   403  403  L    403
curriculum.edit_goal_template     GET   L    403  403  ok   403  403  L    403
curriculum.edit_goal_template     POST  L    403  403  ok   403  403  L    403
curriculum.edit_topic             GET   L    403  403  ok   403  403  L    403
curriculum.edit_topic             POST  L    403  403  ok   403  403  L    403
curriculum.index                  GET   L    ok   ok   ok   403  ok   L    ok
curriculum.move_topic             POST  L    403  403  ok   403  403  L    403
curriculum.new_goal_template      GET   L    403  403  ok   403  403  L    403
curriculum.new_goal_template      POST  L    403  403  ok   403  403  L    403
curriculum.new_topic              GET   L    403  403  ok   403  403  L    403
curriculum.new_topic              POST  L    403  403  ok   403  403  L    403
curriculum.restore_goal_template  POST  L    403  403  ok   403  403  L    403
curriculum.restore_topic          POST  L    403  403  ok   403  403  L    403
curriculum.retire_goal_template   POST  L    403  403  ok   403  403  L    403
curriculum.retire_topic           POST  L    403  403  ok   403  403  L    403
goals.accept                      POST  L    404  ok   403  403  404  L    404
goals.change_status               POST  L    404  bad  403  403  404  L    404
goals.detail                      GET   L    ok   ok   ok   403  404  L    404
goals.discard                     POST  L    ok   ok   403  403  404  L    404
goals.drop                        POST  L    404  ok   403  403  404  L    404
goals.edit_goal                   GET   L    404  ok   403  403  404  L    404
goals.edit_goal                   POST  L    404  ok   403  403  404  L    404
goals.new_goal                    GET   L    ok   ok   403  403  404  L    404
goals.new_goal                    POST  L    ok   ok   403  403  404  L    404
goals.pair_goals                  GET   L    ok   ok   ok   403  404  L    404
goals.propose_goal                GET   L    ok   404  403  403  404  L    404
goals.propose_goal                POST  L    ok   404  403  403  404  L    404
goals.save_evidence               POST  L    404  ok   403  403  404  L    404
goals.self_assessment             GET   L    404  ok   404  403  404  L    404
goals.self_assessment             POST  L    404  ok   404  403  404  L    404
goals.set_milestone_done          POST  L    404  ok   403  403  404  L    404
healthz                           GET   ok   ok   ok   ok   ok   ok   ok   ok
main.home                         GET   L    ok   ok   ok   ok   ok   L    ok
main.set_language                 POST  bad  bad  bad  bad  bad  bad  bad  bad
matching.alternatives             GET   L    403  403  ok   403  403  L    403
matching.assign                   POST  L    403  403  bad  403  403  L    403
matching.end                      GET   L    403  403  ok   403  403  L    403
matching.end                      POST  L    403  403  ok   403  403  L    403
matching.forbid                   POST  L    403  403  ok   403  403  L    403
matching.lock                     POST  L    403  403  ok   403  403  L    403
matching.pairs                    GET   L    403  403  ok   403  403  L    403
matching.publish_run              POST  L    403  403  ok   403  403  L    403
matching.rematch                  GET   L    403  403  ok   403  403  L    403
matching.rematch                  POST  L    403  403  bad  403  403  L    403
matching.review                   GET   L    403  403  ok   403  403  L    403
matching.run                      POST  L    403  403  bad  403  403  L    403
matching.swap                     POST  L    403  403  bad  403  403  L    403
meetings.calendar                 GET   L    ok   ok   ok   ok   ok   L    ok
meetings.cancel                   GET   L    ok   ok   403  404  404  L    404
meetings.cancel                   POST  L    ok   ok   403  404  404  L    404
meetings.confirm                  POST  L    ok   ok   403  404  404  L    404
meetings.confirm_series_page      POST  L    ok   ok   403  404  404  L    404
meetings.download_ics             GET   L    ok   ok   403  404  404  L    404
meetings.edit_log_page            GET   L    ok   ok   403  404  404  L    404
meetings.edit_log_page            POST  L    ok   ok   403  404  404  L    404
meetings.feed                     GET   ok   ok   ok   ok   ok   ok   ok   ok
meetings.log                      GET   L    ok   ok   403  404  404  L    404
meetings.log                      POST  L    ok   ok   403  404  404  L    404
meetings.pair_page                GET   L    ok   ok   ok   404  404  L    404
meetings.propose                  GET   L    ok   ok   403  404  404  L    404
meetings.propose                  POST  L    ok   ok   403  404  404  L    404
meetings.propose_series_page      GET   L    ok   ok   403  404  404  L    404
meetings.propose_series_page      POST  L    ok   ok   403  404  404  L    404
meetings.reschedule               GET   L    ok   ok   403  404  404  L    404
meetings.reschedule               POST  L    ok   ok   403  404  404  L    404
meetings.reset_feed_page          POST  L    ok   ok   ok   ok   ok   L    ok
notifications.remind_pair         POST  L    403  403  ok   403  403  L    403
notifications.settings            GET   L    ok   ok   ok   ok   ok   L    ok
notifications.settings            POST  L    ok   ok   ok   ok   ok   L    ok
notifications.unsubscribe         GET   ok   ok   ok   ok   ok   ok   ok   ok
notifications.unsubscribe         POST  ok   ok   ok   ok   ok   ok   ok   ok
people.copy_invitation_link       POST  L    403  403  ok   403  403  L    403
people.deactivate                 POST  L    403  403  ok   403  403  L    403
people.detail                     GET   L    403  403  ok   403  403  L    403
people.directory                  GET   L    403  403  ok   403  403  L    403
people.edit_person                GET   L    403  403  ok   403  403  L    403
people.edit_person                POST  L    403  403  ok   403  403  L    403
people.invitations                GET   L    403  403  ok   403  403  L    403
people.new_person                 GET   L    403  403  ok   403  403  L    403
people.new_person                 POST  L    403  403  ok   403  403  L    403
people.profile                    GET   L    ok   ok   ok   ok   ok   L    ok
people.profile                    POST  L    ok   ok   ok   ok   ok   L    ok
people.reactivate                 POST  L    403  403  ok   403  403  L    403
people.renew_invitation           POST  L    403  403  ok   403  403  L    403
people.send_pending_invitations   POST  L    403  403  ok   403  403  L    403
reports.at_risk                   GET   L    403  403  ok   403  403  L    403
reports.compare                   GET   L    403  403  ok   ok   403  L    ok
reports.export                    GET   L    403  403  ok   ok   403  L    ok
reports.feedback                  GET   L    403  403  ok   403  403  L    403
reports.index                     GET   L    403  403  ok   ok   403  L    ok
static                            GET   ok   ok   ok   ok   ok   ok   ok   ok
trust.accept                      POST  L    ok   ok   403  404  404  L    404
trust.agreement                   GET   L    403  403  ok   403  403  L    403
trust.agreement                   POST  L    403  403  ok   403  403  L    403
trust.ask_to_end                  GET   L    ok   ok   403  404  404  L    404
trust.ask_to_end                  POST  L    ok   ok   403  404  404  L    404
trust.decide                      GET   L    403  403  ok   403  403  L    403
trust.decide                      POST  L    403  403  ok   403  403  L    403
trust.end_requests                GET   L    403  403  ok   403  403  L    403
trust.erase                       GET   L    403  403  ok   403  403  L    403
trust.erase                       POST  L    403  403  ok   403  403  L    403
trust.export_mine                 GET   L    ok   ok   ok   ok   ok   L    ok
trust.export_person               GET   L    403  ok   ok   403  403  L    403
"""


def _parse(table: str) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for line in table.strip().splitlines()[1:]:
        endpoint, method, *answers = line.split()
        assert method not in rows.get(endpoint, {}), f"{endpoint} {method} twice"
        rows.setdefault(endpoint, {})[method] = " ".join(answers)
    return rows


MATRIX = _parse(MATRIX_TABLE)

# Which world object each URL argument names, unless an endpoint says otherwise.
DEFAULT_ARGS = {
    "pair_id": "pair",
    "cohort_id": "cohort",
    "enrollment_id": "mentee_enrollment",
    "meeting_id": "planned",
    "series_id": "series",
    "goal_id": "goal",
    "milestone_id": "milestone",
    "request_id": "end_request",
    "run_id": "run",
    "proposal_id": "proposal",
    "mentee_id": "run_mentee",
    "import_id": "import_id",
    "topic_id": "topic",
    "template_id": "template",
    "secret": "feed_secret",
}
ENDPOINT_ARGS: dict[str, dict[str, Any]] = {
    "meetings.log": {"meeting_id": "held"},
    "meetings.edit_log_page": {"meeting_id": "held"},
    "goals.accept": {"goal_id": "proposed_goal"},
    "goals.discard": {"goal_id": "proposed_goal"},
    "cohorts.import_upload": {"cohort_id": "drafting"},
    "cohorts.import_preview": {"cohort_id": "drafting"},
    "cohorts.import_commit": {"cohort_id": "drafting"},
    "matching.review": {"cohort_id": "drafting"},
    "matching.run": {"cohort_id": "drafting"},
    "matching.rematch": {"mentee_id": "mentee_enrollment"},
    "people.copy_invitation_link": {"person_id": "invitee"},
    "people.renew_invitation": {"person_id": "invitee"},
    "auth.accept_invitation": {"token": "invitation_token"},
    "auth.reset_password": {"token": "reset_token"},
    "notifications.unsubscribe": {"token": "unsubscribe_token"},
}
LITERAL_ARGS = {"direction": "down", "phase": "start", "key": "funnel", "filename": "favicon.svg"}


def rule_of(app: Flask, endpoint: str) -> Rule:
    """The URL rule of an endpoint (each endpoint has exactly one here)."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint]
    assert len(rules) == 1, f"{endpoint} has {len(rules)} rules"
    return rules[0]


def url_for_world(app: Flask, endpoint: str, ids: dict[str, Any]) -> str:
    """The endpoint's URL, naming the world's objects (pair A's, where a pair is meant)."""
    rule = rule_of(app, endpoint)
    overrides = ENDPOINT_ARGS.get(endpoint, {})
    values: dict[str, Any] = {}
    for argument in rule.arguments:
        if argument in LITERAL_ARGS and argument not in overrides:
            values[argument] = LITERAL_ARGS[argument]
            continue
        key = overrides.get(argument, DEFAULT_ARGS.get(argument))
        if argument == "person_id":
            values[argument] = ids["people"][overrides.get(argument, "mentee")]
        else:
            assert key is not None, f"no world object for <{argument}> of {endpoint}"
            values[argument] = ids[key]
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def outcome(response) -> str:
    """What an actor got, in the matrix's words."""
    code = response.status_code
    if code in (301, 302, 303):
        # Refused: the sign-in page, asked to come back here. Signing out also lands on
        # the sign-in page, with nowhere to come back to: that is an ordinary answer.
        location = response.headers["Location"]
        return LOGIN if location.startswith("/login?next=") else OK
    if code in (200, 304):
        return OK
    if code in (400, 422):
        body = response.get_data(as_text=True)
        assert "did not come from this site" not in body, "the CSRF token was refused"
        return FORM
    return str(code)


def _cases() -> list[tuple[str, str]]:
    """(endpoint, method) of every row of the matrix."""
    return [(endpoint, method) for endpoint, row in MATRIX.items() for method in row]


@pytest.fixture(autouse=True)
def _clean_database() -> Iterator[None]:
    """The world is built once for the module; `world` cleans up after the last test."""
    yield


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[World]:
    """The access world, shared by every case of this module."""
    clean_database(app)
    built = build_world(app)
    yield built
    clean_database(app)


def request_as(app: Flask, world: World, actor: str, method: str, url: str):
    """Send the request as the actor; POSTs carry a valid CSRF token and nothing else."""
    client = world.client(app, actor)
    if method == "POST":
        return client.post(url, data={"csrf_token": world.token(actor)})
    return client.get(url)


def test_every_route_has_its_row_and_every_row_its_route(app):
    routes = {
        rule.endpoint: sorted(rule.methods & {"GET", "POST"}) for rule in app.url_map.iter_rules()
    }
    missing = sorted(set(routes) - MATRIX.keys())
    stale = sorted(MATRIX.keys() - set(routes))
    assert missing == [], f"routes without a row in MATRIX: {missing}"
    assert stale == [], f"rows in MATRIX for routes that do not exist: {stale}"
    for endpoint, methods in routes.items():
        assert sorted(MATRIX[endpoint]) == methods, f"{endpoint}: methods differ"
    for endpoint, row in MATRIX.items():
        for method, expected in row.items():
            assert len(expected.split()) == len(ACTORS), f"{endpoint} {method}: one per actor"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("endpoint", "method"), _cases())
def test_access(app, world, endpoint, method, actor):
    url = url_for_world(app, endpoint, world.ids)
    expected = MATRIX[endpoint][method].split()[ACTORS.index(actor)]
    response = request_as(app, world, actor, method, url)
    got = outcome(response)
    with app.app_context():
        after = fingerprint()
        changed = changed_tables(world.fingerprint, after)
        if changed:
            restore(world.snapshot)
            db.session.remove()
    assert got == expected, f"{actor} {method} {url}: got {response.status_code} {got}"
    if got in (LOGIN, FORBIDDEN, HIDDEN, FORM) or method == "GET":
        allowed = {"audit_event"} if got == OK else set()
        assert changed <= allowed, f"{actor} {method} {url} changed {sorted(changed)}"
