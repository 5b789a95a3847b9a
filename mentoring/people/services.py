"""The people directory: adding, editing, deactivating and finding people."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, or_, select

from mentoring.audit.services import record_event
from mentoring.auth.models import Invitation
from mentoring.auth.services import (
    check_email,
    normalise_email,
    revoke_open_invitations,
    revoke_sessions,
)
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.people.csv_import import language_code
from mentoring.people.models import Person, Role
from mentoring.people.signals import person_deactivated

# The regions of the IANA database's geographic zones ("Europe/Paris"): the select boxes
# leave out "Factory", "localtime", "Etc/GMT+5" (whose sign is the reverse of what it
# reads) and old country aliases such as "US/Eastern", which still validate.
ZONE_REGIONS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe"}
    | {"Indian", "Pacific"}
)


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """The time zones select boxes offer: UTC, then every geographic IANA zone, sorted."""
    zones = (name for name in available_timezones() if name.partition("/")[0] in ZONE_REGIONS)
    return ("UTC", *sorted(zones))


def parse_languages(text: str) -> list[str]:
    """Parse "fr, English; de" into ISO 639-1 codes, or raise ValueError naming the culprit."""
    codes: list[str] = []
    for raw in re.split(r"[,;|/]", text or ""):
        if not raw.strip():
            continue
        code = language_code(raw)
        if code is None:
            raise ValueError(
                _("“%(value)s” is not a language code such as en, fr or de.", value=raw.strip())
            )
        if code not in codes:
            codes.append(code)
    return codes


@dataclass(frozen=True)
class PersonData:
    """The fields HR edits on a person."""

    email: str
    name: str
    department: str
    title: str
    seniority_level: int
    manager_email: str | None
    timezone: str
    languages: list[str]
    site: str
    roles: frozenset[Role]


def person_status(person: Person, pending_invitation: bool) -> str:
    """One word for the directory: active, invited, not invited or deactivated."""
    if not person.is_active:
        return "deactivated"
    if person.password_hash:
        return "active"
    return "invited" if pending_invitation else "not invited"


def search_people(query: str = "", role: str = "", status: str = "") -> Select:
    """A select of people matching a free-text query, a role and a status, by name."""
    statement = select(Person).order_by(func.lower(Person.name), Person.id)
    words = [word for word in (query or "").split() if word][:5]
    for word in words:
        pattern = f"%{word.lower()}%"
        statement = statement.where(
            or_(
                func.lower(Person.name).like(pattern),
                Person.email.like(pattern),
                func.lower(Person.department).like(pattern),
                func.lower(Person.title).like(pattern),
            )
        )
    if role in {r.value for r in Role}:
        from mentoring.people.models import PersonRole

        statement = statement.where(
            exists().where(PersonRole.person_id == Person.id, PersonRole.role == role)
        )
    if status == "active":
        statement = statement.where(Person.is_active.is_(True), Person.password_hash.is_not(None))
    elif status == "pending":
        statement = statement.where(Person.is_active.is_(True), Person.password_hash.is_(None))
    elif status == "deactivated":
        statement = statement.where(Person.is_active.is_(False))
    return statement


def pending_invitation_ids(person_ids: Iterable[int]) -> set[int]:
    """Of these people, those with an invitation still open (not accepted nor revoked)."""
    ids = list(person_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Invitation.person_id).where(
                Invitation.person_id.in_(ids),
                Invitation.open_(),
            )
        )
    )


def _resolve_manager(person: Person | None, manager_email: str | None) -> Person | None:
    if not manager_email:
        return None
    manager = db.session.scalar(
        select(Person).where(Person.email == normalise_email(manager_email))
    )
    if manager is None:
        raise RuleViolation(
            _("No person with the email %(email)s is in the directory.", email=manager_email),
            "manager_email",
        )
    if person is not None:
        seen: set[int] = set()
        cursor: Person | None = manager
        while cursor is not None and cursor.id not in seen:
            if cursor.id == person.id:
                raise RuleViolation(
                    _(
                        "%(manager)s reports to %(person)s: choosing them as manager would "
                        "make a loop in the reporting chain.",
                        manager=manager.name,
                        person=person.name,
                    ),
                    "manager_email",
                )
            seen.add(cursor.id)
            cursor = cursor.manager
    return manager


def _check_unique_email(email: str, person: Person | None) -> str:
    try:
        email = check_email(email)
    except ValueError as error:
        raise RuleViolation(str(error), "email") from error
    other = db.session.scalar(select(Person).where(Person.email == email))
    if other is not None and other is not person:
        raise RuleViolation(
            _("%(email)s already belongs to %(name)s.", email=email, name=other.name), "email"
        )
    return email


def create_person(data: PersonData, *, actor: Person) -> Person:
    """Add a person to the directory (no password: they get an invitation)."""
    email = _check_unique_email(data.email, None)
    manager = _resolve_manager(None, data.manager_email)
    person = Person(
        email=email,
        name=data.name.strip(),
        department=data.department.strip(),
        title=data.title.strip(),
        seniority_level=data.seniority_level,
        manager=manager,
        timezone=data.timezone,
        languages=list(data.languages),
        site=data.site.strip(),
        roles=sorted(data.roles),
    )
    db.session.add(person)
    db.session.flush()
    record_event("person.created", actor=actor, subject=person, roles=sorted(data.roles))
    return person


def update_person(person: Person, data: PersonData, *, actor: Person) -> list[str]:
    """Apply HR's edits to a person; returns the names of the fields that changed."""
    email = _check_unique_email(data.email, person)
    manager = _resolve_manager(person, data.manager_email)
    if actor.id == person.id and Role.ADMIN not in data.roles:
        raise RuleViolation(
            _("You cannot remove your own HR role; ask another HR manager."), "roles"
        )
    changed: list[str] = []
    values = {
        "email": email,
        "name": data.name.strip(),
        "department": data.department.strip(),
        "title": data.title.strip(),
        "seniority_level": data.seniority_level,
        "timezone": data.timezone,
        "languages": list(data.languages),
        "site": data.site.strip(),
    }
    for field, value in values.items():
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field)
    if person.manager is not manager:
        person.manager = manager
        changed.append("manager")
    added, removed = data.roles - person.roles, person.roles - data.roles
    for role in sorted(added):
        person.add_role(role)
        record_event("person.role_granted", actor=actor, subject=person, role=role.value)
    for role in sorted(removed):
        person.remove_role(role)
        record_event("person.role_revoked", actor=actor, subject=person, role=role.value)
    if added or removed:
        changed.append("roles")
    if "email" in changed:
        revoke_sessions(person)
    db.session.flush()
    if changed:
        record_event("person.updated", actor=actor, subject=person, fields=changed)
    return changed


def deactivate_person(person: Person, *, actor: Person, reason: str = "") -> None:
    """Stop a person signing in, keeping all their history; ends their sessions."""
    if person.id == actor.id:
        raise RuleViolation(_("You cannot deactivate your own account."))
    if not person.is_active:
        raise RuleViolation(_("%(name)s is already deactivated.", name=person.name))
    person.is_active = False
    person.deactivated_at = utcnow()
    revoke_sessions(person)
    revoke_open_invitations(person, utcnow())
    person_deactivated.send(person, actor=actor)
    record_event("person.deactivated", actor=actor, subject=person, reason=reason)


def reactivate_person(person: Person, *, actor: Person) -> None:
    """Let a deactivated person sign in again."""
    if person.is_active:
        raise RuleViolation(_("%(name)s is already active.", name=person.name))
    person.is_active = True
    person.deactivated_at = None
    record_event("person.reactivated", actor=actor, subject=person)


def update_own_profile(
    person: Person,
    *,
    timezone: str,
    languages: list[str],
    bio: str,
    locale: str | None,
) -> None:
    """A person edits the parts of their profile that are theirs to set (a locale of
    None follows their browser)."""
    person.locale = locale
    person.timezone = timezone
    person.languages = list(languages)
    person.bio = bio.strip()
    db.session.flush()


def set_own_locale(person: Person, locale: str) -> None:
    """A person chooses the app's language (the language switch)."""
    person.locale = locale
    db.session.flush()
