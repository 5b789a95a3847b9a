"""Who may use which route, and who may see which object.

Two levels, as STYLE.md asks: a decorator on each route names the roles it admits,
and `get_or_403` checks one object against the rule registered for its model. The
declared `ROUTE_POLICY` table lists every endpoint; a test holds it against the URL
map and against the decorators, so a route cannot be added without a policy.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from mentoring.extensions import db, login_manager
from mentoring.people.models import Person, Role

PUBLIC = "public"
SIGNED_IN = "signed-in"

ModelT = TypeVar("ModelT")
F = TypeVar("F", bound=Callable[..., Any])

# endpoint -> PUBLIC, SIGNED_IN, or the set of roles admitted (any one suffices).
HR = frozenset({Role.ADMIN})
PARTICIPANTS = frozenset({Role.ADMIN, Role.MENTOR, Role.MENTEE})
REPORT_READERS = frozenset({Role.ADMIN, Role.LEADER})

ROUTE_POLICY: dict[str, str | frozenset[Role]] = {
    "static": PUBLIC,
    "healthz": PUBLIC,
    # accounts
    "auth.login": PUBLIC,
    "auth.accept_invitation": PUBLIC,
    "auth.logout": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.forgot_password": PUBLIC,
    "auth.reset_password": PUBLIC,  # the signed, expiring, single-use token is the key
    "main.home": SIGNED_IN,
    "main.set_language": PUBLIC,  # the language switch, on every page (sign-in too)
    # people
    "people.directory": HR,
    "people.new_person": HR,
    "people.detail": HR,
    "people.edit_person": HR,
    "people.deactivate": HR,
    "people.reactivate": HR,
    "people.renew_invitation": HR,
    "people.copy_invitation_link": HR,  # only for someone with no sign-in and no pair; audited
    "people.send_pending_invitations": HR,
    "people.invitations": HR,
    "people.profile": SIGNED_IN,
    # cohorts and participants
    "cohorts.index": HR,
    "cohorts.new": HR,
    "cohorts.detail": HR,
    "cohorts.edit": HR,
    "cohorts.change_status": HR,
    "cohorts.cancel": HR,
    "cohorts.new_enrollment": HR,
    "cohorts.edit_enrollment": SIGNED_IN,  # HR, or the enrolled person (object rule)
    "cohorts.remove": HR,
    "cohorts.import_upload": HR,
    "cohorts.import_preview": HR,
    "cohorts.import_commit": HR,
    "cohorts.import_template": HR,
    "cohorts.import_help": HR,
    # curriculum
    "curriculum.index": PARTICIPANTS,
    "curriculum.new_topic": HR,
    "curriculum.edit_topic": HR,
    "curriculum.retire_topic": HR,
    "curriculum.restore_topic": HR,
    "curriculum.move_topic": HR,
    "curriculum.new_goal_template": HR,
    "curriculum.edit_goal_template": HR,
    "curriculum.retire_goal_template": HR,
    "curriculum.restore_goal_template": HR,
    # matching and pairs
    "matching.review": HR,
    "matching.run": HR,
    "matching.lock": HR,
    "matching.forbid": HR,
    "matching.alternatives": HR,
    "matching.assign": HR,
    "matching.swap": HR,
    "matching.publish_run": HR,
    "matching.pairs": HR,
    "matching.end": HR,
    "matching.rematch": HR,
    # goals (pair members and HR may open them; object rules decide per pair and goal)
    "goals.pair_goals": PARTICIPANTS,
    "goals.new_goal": PARTICIPANTS,
    "goals.propose_goal": PARTICIPANTS,
    "goals.detail": PARTICIPANTS,
    "goals.edit_goal": PARTICIPANTS,
    "goals.set_milestone_done": PARTICIPANTS,
    "goals.save_evidence": PARTICIPANTS,
    "goals.change_status": PARTICIPANTS,
    "goals.drop": PARTICIPANTS,
    "goals.accept": PARTICIPANTS,
    "goals.discard": PARTICIPANTS,
    "goals.self_assessment": PARTICIPANTS,
    # meetings (pair members and HR; object rules decide per pair: see meetings.access)
    "meetings.pair_page": SIGNED_IN,
    "meetings.propose": SIGNED_IN,
    "meetings.propose_series_page": SIGNED_IN,
    "meetings.reschedule": SIGNED_IN,
    "meetings.confirm": SIGNED_IN,
    "meetings.confirm_series_page": SIGNED_IN,
    "meetings.cancel": SIGNED_IN,
    "meetings.download_ics": SIGNED_IN,
    "meetings.log": SIGNED_IN,
    "meetings.edit_log_page": SIGNED_IN,
    "meetings.calendar": SIGNED_IN,
    "meetings.reset_feed_page": SIGNED_IN,
    "meetings.feed": PUBLIC,  # the secret in the URL is the key; 404 when unknown
    # audit
    "audit.index": HR,
    # reports: aggregates for leadership and HR; pairs by name and feedback for HR only
    "reports.index": REPORT_READERS,
    "reports.compare": REPORT_READERS,
    "reports.export": REPORT_READERS,
    "reports.at_risk": HR,
    "reports.feedback": HR,
    # email
    "notifications.settings": SIGNED_IN,
    "notifications.unsubscribe": PUBLIC,  # the signed token in the link is the key
    "notifications.remind_pair": HR,
    # trust: the pair agreement, ending without blame, personal data
    "trust.agreement": HR,
    "trust.accept": SIGNED_IN,  # the pair's members (object rule "participate")
    "trust.ask_to_end": SIGNED_IN,  # the pair's members (object rule "participate")
    "trust.end_requests": HR,
    "trust.decide": HR,
    "trust.export_mine": SIGNED_IN,
    "trust.export_person": SIGNED_IN,  # HR, or the person themselves (checked in the view)
    "trust.erase": HR,
}


def policy_of(view: Callable[..., Any]) -> str | frozenset[Role]:
    """The access a view function declares through its decorator (PUBLIC if none)."""
    return getattr(view, "access_policy", PUBLIC)


def public(view: F) -> F:
    """Mark a view as open to everyone, signed in or not."""
    view.access_policy = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in(view: F) -> F:
    """Admit any signed-in person."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    wrapper.access_policy = SIGNED_IN  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Admit signed-in people who hold at least one of the roles; 403 for the others."""
    admitted = frozenset(roles)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*admitted):
                abort(403)
            return view(*args, **kwargs)

        wrapper.access_policy = admitted  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


class Access(Enum):
    """What an object rule answers."""

    ALLOW = "allow"
    FORBID = "forbid"  # the person may know it exists, but not do this: 403
    HIDE = "hide"  # the person must not even learn it exists: 404


ObjectRule = Callable[[Person, Any, str], Access]
OBJECT_RULES: dict[type, ObjectRule] = {}


def object_rule(model: type) -> Callable[[ObjectRule], ObjectRule]:
    """Register the per-object access rule of a model."""

    def decorator(rule: ObjectRule) -> ObjectRule:
        OBJECT_RULES[model] = rule
        return rule

    return decorator


def check_access(person: Person, obj: Any, action: str) -> Access:
    """Ask the model's rule whether the person may do the action on the object."""
    rule = OBJECT_RULES.get(type(obj))
    if rule is None:
        # No rule means nobody but HR: fail closed.
        return Access.ALLOW if person.has_role(Role.ADMIN) else Access.HIDE
    return rule(person, obj, action)


def get_or_403(model: type[ModelT], ident: Any, action: str = "view") -> ModelT:
    """Load an object by primary key for the current person: 404 if unknown or hidden,
    403 if visible but not allowed."""
    obj = db.session.get(model, ident)
    if obj is None or not current_user.is_authenticated:
        abort(404)
    access = check_access(current_user._get_current_object(), obj, action)
    if access is Access.HIDE:
        abort(404)
    if access is Access.FORBID:
        abort(403)
    return obj
