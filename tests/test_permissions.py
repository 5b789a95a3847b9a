"""Every route has a declared policy, and the policy is what the route enforces."""

from __future__ import annotations

from flask_login import login_user
from werkzeug.exceptions import HTTPException

from mentoring.cohorts.models import Cohort
from mentoring.extensions import db
from mentoring.people.models import Person, Role
from mentoring.permissions import (
    OBJECT_RULES,
    PUBLIC,
    ROUTE_POLICY,
    SIGNED_IN,
    Access,
    get_or_403,
    object_rule,
    policy_of,
)


def test_every_route_has_a_policy_and_no_policy_is_stale(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - ROUTE_POLICY.keys() == set(), "routes without a declared policy"
    assert ROUTE_POLICY.keys() - endpoints == set(), "policies for routes that do not exist"


def test_decorators_match_the_policy_table(app):
    for endpoint, declared in ROUTE_POLICY.items():
        if endpoint == "static":
            continue
        view = app.view_functions[endpoint]
        assert policy_of(view) == declared, endpoint


def test_role_routes_refuse_other_roles(app, client, login, make_person):
    guarded = {e: p for e, p in ROUTE_POLICY.items() if p not in (PUBLIC, SIGNED_IN)}
    assert guarded, "no role-guarded route to check"
    for role in Role:
        email = f"{role.value}@example.org"
        make_person(email, roles=(role.value,))
    for role in Role:
        client.delete_cookie("session")
        login(f"{role.value}@example.org")
        for endpoint, roles in guarded.items():
            rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
            if rule.arguments:
                continue  # object routes are covered by their own access tests
            response = client.get(rule.rule)
            expected = 200 if role in roles else 403
            assert response.status_code == expected, (role, endpoint)


def test_signed_in_routes_send_strangers_to_sign_in(app, client):
    for endpoint, policy in ROUTE_POLICY.items():
        if policy == PUBLIC:
            continue
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        if rule.arguments or "GET" not in rule.methods:
            continue
        response = client.get(rule.rule)
        assert response.status_code == 302, endpoint
        assert "/login" in response.headers["Location"]


def test_a_person_with_several_roles_sees_every_section(client, login, make_person):
    make_person("both@example.org", roles=("leader", "mentee"))
    page = login("both@example.org", follow=True).get_data(as_text=True)
    assert "Program adoption" in page
    assert "Your mentoring" in page
    assert "Program administration" not in page


def _status(call):
    try:
        return call().name
    except HTTPException as error:
        return error.code


def test_get_or_403_answers_404_403_or_the_object(app, make_person, make_cohort):
    hr_id = make_person("hr@example.org", roles=("admin",))
    mentee_id = make_person("mentee@example.org", roles=("mentee",))
    cohort_id = make_cohort(name="Pilot")
    saved = OBJECT_RULES.pop(Cohort, None)
    try:
        with app.test_request_context():
            hr, mentee = db.session.get(Person, hr_id), db.session.get(Person, mentee_id)
            login_user(mentee)
            # No rule registered: fail closed, hidden from everyone but HR.
            assert _status(lambda: get_or_403(Cohort, cohort_id)) == 404

            @object_rule(Cohort)
            def rule(person, cohort, action):
                if person.has_role(Role.ADMIN):
                    return Access.ALLOW
                return Access.FORBID if action == "view" else Access.HIDE

            assert _status(lambda: get_or_403(Cohort, cohort_id, "view")) == 403
            assert _status(lambda: get_or_403(Cohort, cohort_id, "edit")) == 404
            assert _status(lambda: get_or_403(Cohort, 999_999, "view")) == 404
            login_user(hr)
            assert _status(lambda: get_or_403(Cohort, cohort_id, "edit")) == "Pilot"
    finally:
        OBJECT_RULES.pop(Cohort, None)
        if saved is not None:
            OBJECT_RULES[Cohort] = saved
