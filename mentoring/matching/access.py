"""Who may see and do what with a pair: the rule every pair-owned object goes through."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, Select, bindparam, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from mentoring.cohorts.models import Enrollment
from mentoring.extensions import db
from mentoring.matching.models import Pair
from mentoring.people.models import Person, Role
from mentoring.permissions import Access, get_or_403, object_rule

# Actions on a pair and what they mean:
#   view         see the pair, its meetings (times, states) and goals: members and HR
#   participate  act as a member: propose meetings, log them, edit goals: members only
#   private      read private notes: the two members, nobody else (not HR)
#   manage       end the pair, re-match: HR only
MEMBER_ACTIONS = frozenset({"participate", "private"})


@object_rule(Pair)
def pair_rule(person: Person, pair: Pair, action: str) -> Access:
    """Members see and act on their pair; HR sees its metadata and manages it."""
    member = pair.involves(person.id)
    if action in MEMBER_ACTIONS:
        if member:
            return Access.ALLOW
        return Access.FORBID if person.has_role(Role.ADMIN) else Access.HIDE
    if action == "manage":
        if person.has_role(Role.ADMIN):
            return Access.ALLOW
        return Access.FORBID if member else Access.HIDE
    if member or person.has_role(Role.ADMIN):
        return Access.ALLOW
    return Access.HIDE


def pairs_of(person: Person, *, active_only: bool = False) -> list[Pair]:
    """The pairs a person belongs to (either side), newest first, with both people loaded."""
    statement = _pairs_of_statement(active_only)
    return list(db.session.scalars(statement, {"person_id": person.id}).unique())


@cache
def _pairs_of_statement(active_only: bool) -> Select:
    """The query of `pairs_of`, built once per process: a statement is immutable, and
    building this one (aliases, eager loads) costs more than running it on most pages."""
    mentee, mentor = aliased(Enrollment), aliased(Enrollment)
    person_id = bindparam("person_id", type_=Integer)
    statement = (
        select(Pair)
        .join(mentee, mentee.id == Pair.mentee_enrollment_id)
        .join(mentor, mentor.id == Pair.mentor_enrollment_id)
        .where(or_(mentee.person_id == person_id, mentor.person_id == person_id))
        # One query: the joins above carry both enrollments, then each person with roles.
        .options(
            contains_eager(Pair.mentee.of_type(mentee))
            .joinedload(mentee.person)
            .joinedload(Person.role_links),
            contains_eager(Pair.mentor.of_type(mentor))
            .joinedload(mentor.person)
            .joinedload(Person.role_links),
            joinedload(Pair.cohort),
        )
        .order_by(Pair.created_at.desc(), Pair.id.desc())
    )
    if active_only:
        statement = statement.where(Pair.status == "active")
    return statement


def get_pair_or_403(pair_id: int, action: str = "view") -> Pair:
    """`get_or_403` for a pair, with its cohort, both enrollments and both people (with
    their roles) loaded in the same single query."""
    loaded = db.session.get(
        Pair,
        pair_id,
        options=[
            joinedload(Pair.cohort),
            joinedload(Pair.mentee).joinedload(Enrollment.person).joinedload(Person.role_links),
            joinedload(Pair.mentor).joinedload(Enrollment.person).joinedload(Person.role_links),
        ],
    )
    # get_or_403 finds it in the session; held until then (the identity map is weak).
    pair = get_or_403(Pair, pair_id, action)
    del loaded
    return pair
