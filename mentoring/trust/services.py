"""The pair agreement and requests to end a pair: read, accept, ask, decide."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from mentoring.audit.services import record_event
from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.i18n import format_number
from mentoring.matching.models import EndReason, Pair, PairStatus
from mentoring.matching.services import end_pair
from mentoring.people.models import Person
from mentoring.trust.agreement_text import (
    MAX_AGREEMENT_CHARS,
    agreement_facts,
    default_agreement,
)
from mentoring.trust.models import (
    AgreementAcceptance,
    CohortAgreement,
    EndRequest,
    EndRequestResolution,
)

MAX_REASON_CHARS = 2000


# The agreement -------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """A cohort's agreement as participants read it: HR's text, its version, the facts."""

    cohort: Cohort
    body: str
    version: int
    is_default: bool
    updated_at: datetime | None
    facts: list[str]


def retention_months() -> int:
    """The configured retention period of private texts, in months (0 keeps them)."""
    return max(0, int(current_app.config.get("NOTES_RETENTION_MONTHS", 12)))


def current_agreement(cohort: Cohort) -> Agreement:
    """The agreement a cohort's pairs accept now: HR's wording as written, or the default
    (version 1) in the reader's language; the facts are always in the reader's language."""
    row = db.session.get(CohortAgreement, cohort.id)
    facts = agreement_facts(
        cadence_days=cohort.cadence_days,
        target_meetings=cohort.target_meetings,
        retention_months=retention_months(),
        min_group=int(current_app.config.get("REPORT_MIN_GROUP", 5)),
        _=_,
        ngettext=ngettext,
    )
    if row is None:
        # Every language's default is the same version 1: accepting it in French or in
        # English accepts the same promises.
        return Agreement(cohort, default_agreement(_), 1, True, None, facts)
    return Agreement(cohort, row.body, row.version, False, row.updated_at, facts)


def save_agreement(cohort: Cohort, body: str, *, actor: Person) -> Agreement:
    """Save HR's wording of a cohort's agreement as a new version (pairs accept it again)."""
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise RuleViolation(_("Write the agreement's text: it cannot be empty."), "body")
    if len(body) > MAX_AGREEMENT_CHARS:
        raise RuleViolation(
            _(
                "The agreement is too long (%(length)s characters; %(max)s at most).",
                length=format_number(len(body)),
                max=format_number(MAX_AGREEMENT_CHARS),
            ),
            "body",
        )
    current = current_agreement(cohort)
    if body == current.body:
        raise RuleViolation(
            _("The text is unchanged: nothing to save, and pairs are not asked again."), "body"
        )
    row = db.session.get(CohortAgreement, cohort.id)
    if row is None:
        row = CohortAgreement(cohort_id=cohort.id, body=body, version=current.version + 1)
        db.session.add(row)
    else:
        row.body = body
        row.version = current.version + 1
    row.updated_at = utcnow()
    row.updated_by_id = actor.id
    db.session.flush()
    record_event("agreement.updated", actor=actor, subject=cohort, version=row.version)
    return current_agreement(cohort)


@dataclass(frozen=True)
class MemberAcceptance:
    """Whether one member of a pair accepted the current agreement, and when."""

    person: Person
    side: str
    accepted_at: datetime | None
    accepted_earlier_version: bool


@dataclass
class PairAgreement:
    """The agreement of a pair's cohort and where each member stands with it."""

    agreement: Agreement
    members: list[MemberAcceptance] = field(default_factory=list)

    @property
    def all_accepted(self) -> bool:
        """Whether both members accepted the current version."""
        return all(member.accepted_at is not None for member in self.members)

    def accepted_by(self, person_id: int) -> bool:
        """Whether this person accepted the current version."""
        return any(
            member.person.id == person_id and member.accepted_at is not None
            for member in self.members
        )

    def waiting_for(self, person_id: int) -> list[MemberAcceptance]:
        """The members other than this person who have not accepted the current version."""
        return [
            member
            for member in self.members
            if member.person.id != person_id and member.accepted_at is None
        ]


def pair_agreement(pair: Pair) -> PairAgreement:
    """The pair's agreement and, for each member, the time they accepted its current version."""
    agreement = current_agreement(pair.cohort)
    accepted: dict[int, dict[int, datetime]] = {}
    for row in db.session.scalars(
        select(AgreementAcceptance).where(AgreementAcceptance.pair_id == pair.id)
    ):
        accepted.setdefault(row.person_id, {})[row.version] = row.accepted_at
    members = []
    for enrollment in (pair.mentor, pair.mentee):
        versions = accepted.get(enrollment.person_id, {})
        members.append(
            MemberAcceptance(
                person=enrollment.person,
                side=enrollment.side,
                accepted_at=versions.get(agreement.version),
                accepted_earlier_version=bool(versions) and agreement.version not in versions,
            )
        )
    return PairAgreement(agreement, members)


def accept_agreement(pair: Pair, person: Person, version: int) -> AgreementAcceptance:
    """Record that a member accepts the version of the agreement they read."""
    if not pair.involves(person.id):
        raise RuleViolation(_("Only the two members of a pair accept its agreement."))
    agreement = current_agreement(pair.cohort)
    if version != agreement.version:
        raise RuleViolation(
            _(
                "HR changed the agreement while you were reading it: read the new text below "
                "and accept it again."
            )
        )
    existing = db.session.scalar(
        select(AgreementAcceptance).where(
            AgreementAcceptance.pair_id == pair.id,
            AgreementAcceptance.person_id == person.id,
            AgreementAcceptance.version == version,
        )
    )
    if existing is not None:
        return existing
    acceptance = AgreementAcceptance(pair_id=pair.id, person_id=person.id, version=version)
    db.session.add(acceptance)
    db.session.flush()
    record_event("agreement.accepted", actor=person, subject=pair, version=version)
    return acceptance


# Ending without blame ------------------------------------------------------------


def latest_request_by(pair: Pair, person: Person) -> EndRequest | None:
    """The most recent request this member made to end the pair, if any."""
    return db.session.scalar(
        select(EndRequest)
        .where(EndRequest.pair_id == pair.id, EndRequest.requester_id == person.id)
        .order_by(EndRequest.created_at.desc(), EndRequest.id.desc())
        .limit(1)
    )


def request_end(pair: Pair, person: Person, reason: str) -> EndRequest:
    """A member asks HR to end the pair; the reason is for HR only."""
    if not pair.involves(person.id):
        raise RuleViolation(_("Only a member of the pair can ask to end it."))
    if pair.status != PairStatus.ACTIVE.value:
        raise RuleViolation(_("This pair has already ended."))
    reason = reason.replace("\r\n", "\n").strip()
    if not reason:
        raise RuleViolation(
            _("Tell HR in a few words why you want to end the pair: only HR reads it."),
            "reason",
        )
    if len(reason) > MAX_REASON_CHARS:
        raise RuleViolation(
            _(
                "The reason is too long (%(length)s characters; %(max)s at most).",
                length=format_number(len(reason)),
                max=format_number(MAX_REASON_CHARS),
            ),
            "reason",
        )
    latest = latest_request_by(pair, person)
    if latest is not None and latest.is_open:
        raise RuleViolation(_("You already asked HR to end this pair; HR has not decided yet."))
    request = EndRequest(pair_id=pair.id, requester_id=person.id, reason=reason)
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same member asked twice at once
        raise RuleViolation(_("You already asked HR to end this pair.")) from error
    # The audit log keeps that a request was made, never its reason.
    record_event("pair.end_requested", actor=person, subject=pair, request=request.id)
    return request


def open_end_requests(
    *, cohort_id: int | None = None, pair_ids: Iterable[int] | None = None
) -> list[EndRequest]:
    """Requests to end a still-active pair that HR has not decided on, oldest first.

    Filter by cohort or by pairs; the pair, its cohort and both members are loaded.
    """
    statement = (
        select(EndRequest)
        .join(Pair, Pair.id == EndRequest.pair_id)
        .where(EndRequest.resolution.is_(None), Pair.status == PairStatus.ACTIVE.value)
        # One query: the pair from the join, the rest joined alongside (names only: the
        # people's roles are not loaded).
        .options(
            joinedload(EndRequest.requester).lazyload(Person.role_links),
            contains_eager(EndRequest.pair).joinedload(Pair.cohort),
            contains_eager(EndRequest.pair)
            .joinedload(Pair.mentor)
            .joinedload(Enrollment.person)
            .lazyload(Person.role_links),
            contains_eager(EndRequest.pair)
            .joinedload(Pair.mentee)
            .joinedload(Enrollment.person)
            .lazyload(Person.role_links),
        )
        .order_by(EndRequest.created_at, EndRequest.id)
    )
    if cohort_id is not None:
        statement = statement.where(Pair.cohort_id == cohort_id)
    if pair_ids is not None:
        statement = statement.where(EndRequest.pair_id.in_(list(pair_ids)))
    return list(db.session.scalars(statement))


def _resolve_open(pair: Pair, resolution: EndRequestResolution, actor: Person) -> int:
    """Close every open request of the pair with the same decision; returns how many."""
    now = utcnow()
    count = 0
    for request in db.session.scalars(
        select(EndRequest).where(EndRequest.pair_id == pair.id, EndRequest.resolution.is_(None))
    ):
        request.resolution = resolution.value
        request.resolved_at = now
        request.resolved_by_id = actor.id
        count += 1
    db.session.flush()
    return count


def end_pair_on_request(
    request: EndRequest, reason: EndReason, *, actor: Person, note: str = ""
) -> None:
    """HR ends the pair a member asked to end; every open request of the pair is settled."""
    if not request.is_open:
        raise RuleViolation(_("HR has already decided on this request."))
    end_pair(request.pair, reason, actor=actor, note=note)
    _resolve_open(request.pair, EndRequestResolution.ENDED, actor)


def keep_pair(request: EndRequest, *, actor: Person) -> None:
    """HR decides to keep the pair going (after talking with its members)."""
    if not request.is_open:
        raise RuleViolation(_("HR has already decided on this request."))
    if request.pair.status != PairStatus.ACTIVE.value:
        raise RuleViolation(_("This pair has already ended."))
    _resolve_open(request.pair, EndRequestResolution.KEPT, actor)
    record_event("pair.end_request_declined", actor=actor, subject=request.pair)
