"""The people directory for HR, invitations, and each person's profile."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mentoring.audit.models import AuditEvent
from mentoring.audit.services import record_event
from mentoring.auth.models import Invitation
from mentoring.auth.services import create_invitation, invitation_token
from mentoring.cohorts.forms import ConfirmForm
from mentoring.cohorts.models import Enrollment
from mentoring.db import utcnow
from mentoring.domain import RuleViolation, attach_error, commit_or_flash
from mentoring.extensions import db
from mentoring.matching.access import pairs_of
from mentoring.pagination import choice_arg, paginate, search_text
from mentoring.people import bp
from mentoring.people.forms import DeactivateForm, PersonForm, ProfileForm
from mentoring.people.models import Person, Role
from mentoring.people.services import (
    PersonData,
    create_person,
    deactivate_person,
    pending_invitation_ids,
    person_status,
    reactivate_person,
    search_people,
    update_own_profile,
    update_person,
)
from mentoring.permissions import get_or_403, roles_required, signed_in

STATUS_FILTERS = {"active", "pending", "deactivated"}


def invitation_url(invitation: Invitation) -> str:
    """The absolute link a person follows to accept an invitation."""
    return url_for("auth.accept_invitation", token=invitation_token(invitation), _external=True)


def _person_data(form: PersonForm) -> PersonData:
    return PersonData(
        email=form.email.data or "",
        name=form.name.data or "",
        department=form.department.data or "",
        title=form.title.data or "",
        seniority_level=form.seniority_level.data,
        manager_email=(form.manager_email.data or "").strip() or None,
        timezone=form.timezone.data,
        languages=form.languages.codes or ["en"],
        site=form.site.data or "",
        roles=frozenset(Role(value) for value in form.roles.data or []),
    )


@bp.route("/people/")
@roles_required(Role.ADMIN)
def directory():
    """The searchable, paginated directory of everyone."""
    query = search_text()
    role = choice_arg("role", {r.value for r in Role})
    status = choice_arg("status", STATUS_FILTERS)
    pagination = paginate(search_people(query, role, status))
    pending = pending_invitation_ids(person.id for person in pagination.items)
    statuses = {
        person.id: person_status(person, person.id in pending) for person in pagination.items
    }
    return render_template(
        "people/directory.html",
        pagination=pagination,
        query=query,
        role=role,
        status=status,
        statuses=statuses,
    )


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_person():
    """Add a person by hand; they get an invitation link."""
    form = PersonForm()
    if form.validate_on_submit():
        try:
            person = create_person(_person_data(form), actor=current_user)
            create_invitation(person, created_by=current_user)
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                f"{person.name} is in the directory. Copy their invitation link below.", "success"
            )
            return redirect(url_for("people.detail", person_id=person.id))
    return render_template("people/form.html", form=form, person=None)


@bp.route("/people/<int:person_id>")
@roles_required(Role.ADMIN)
def detail(person_id: int):
    """One person: their data, enrollments, invitation and history."""
    person = get_or_403(Person, person_id, "view")
    enrollments = db.session.scalars(
        select(Enrollment)
        .where(Enrollment.person_id == person.id)
        .options(selectinload(Enrollment.cohort))
        .order_by(Enrollment.created_at.desc())
    ).all()
    invitation = db.session.scalar(
        select(Invitation)
        .where(Invitation.person_id == person.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(1)
    )
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "person", AuditEvent.subject_id == person.id)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc())
        .limit(20)
    ).all()
    usable = invitation is not None and invitation.is_usable(utcnow())
    pairs = pairs_of(person)
    return render_template(
        "people/detail.html",
        person=person,
        enrollments=enrollments,
        invitation=invitation,
        invitation_link=invitation_url(invitation) if usable else None,
        status=person_status(person, usable),
        events=events,
        confirm_form=ConfirmForm(),
        deactivate_form=DeactivateForm(),
        pairs=pairs,
    )


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_person(person_id: int):
    """Edit a person's data and roles."""
    person = get_or_403(Person, person_id, "edit")
    form = PersonForm(obj=person if request.method == "GET" else None)
    if request.method == "GET":
        form.manager_email.data = person.manager.email if person.manager else ""
        form.languages.data = ", ".join(person.languages)
        form.roles.data = sorted(role.value for role in person.roles)
    if form.validate_on_submit():
        try:
            changed = update_person(person, _person_data(form), actor=current_user)
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(f"Saved {person.name}." if changed else "Nothing changed.", "success")
            return redirect(url_for("people.detail", person_id=person.id))
    return render_template("people/form.html", form=form, person=person)


@bp.route("/people/<int:person_id>/deactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def deactivate(person_id: int):
    """Deactivate a person: they can no longer sign in; their history stays."""
    person = get_or_403(Person, person_id, "edit")
    form = DeactivateForm()
    if form.validate_on_submit():
        try:
            deactivate_person(person, actor=current_user, reason=form.reason.data or "")
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"{person.name} is deactivated and signed out. Their history is kept.", "success")
    return redirect(url_for("people.detail", person_id=person.id))


@bp.route("/people/<int:person_id>/reactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def reactivate(person_id: int):
    """Let a deactivated person sign in again."""
    person = get_or_403(Person, person_id, "edit")
    if ConfirmForm().validate_on_submit():
        commit_or_flash(
            lambda: reactivate_person(person, actor=current_user),
            f"{person.name} can sign in again.",
        )
    return redirect(url_for("people.detail", person_id=person.id))


@bp.route("/people/<int:person_id>/invitation", methods=["POST"])
@roles_required(Role.ADMIN)
def renew_invitation(person_id: int):
    """Issue a fresh invitation link (the old one stops working)."""
    person = get_or_403(Person, person_id, "edit")
    if ConfirmForm().validate_on_submit():
        if not person.is_active:
            flash("Reactivate this person before inviting them.", "error")
        else:
            # For someone who has a password already, the link resets it (forgotten
            # passwords); their sessions end when they use it.
            create_invitation(person, created_by=current_user)
            record_event(
                "auth.link_issued",
                actor=current_user,
                subject=person,
                reset=bool(person.password_hash),
            )
            db.session.commit()
            if person.password_hash:
                flash(
                    "A password reset link is ready: send it to them. Their current "
                    "password works until they use it.",
                    "success",
                )
            else:
                flash(
                    "A new invitation link is ready; the previous one no longer works.", "success"
                )
    return redirect(url_for("people.detail", person_id=person.id))


@bp.route("/people/invitations")
@roles_required(Role.ADMIN)
def invitations():
    """People who have not accepted their invitation yet, with their links."""
    statement = (
        select(Person)
        .where(Person.is_active.is_(True), Person.password_hash.is_(None))
        .order_by(Person.name, Person.id)
    )
    pagination = paginate(statement)
    ids = [person.id for person in pagination.items]
    latest: dict[int, Invitation] = {}
    if ids:
        for invitation in db.session.scalars(
            select(Invitation)
            .where(Invitation.person_id.in_(ids))
            .order_by(Invitation.created_at, Invitation.id)
        ):
            latest[invitation.person_id] = invitation
    now = utcnow()
    links = {
        person_id: invitation_url(invitation)
        for person_id, invitation in latest.items()
        if invitation.is_usable(now)
    }
    return render_template(
        "people/invitations.html",
        pagination=pagination,
        latest=latest,
        links=links,
        now=now,
        confirm_form=ConfirmForm(),
    )


@bp.route("/profile", methods=["GET", "POST"])
@signed_in
def profile():
    """A person edits their own time zone, languages and bio."""
    person = current_user._get_current_object()
    form = ProfileForm(obj=person if request.method == "GET" else None)
    if request.method == "GET":
        form.languages.data = ", ".join(person.languages)
    if form.validate_on_submit():
        update_own_profile(
            person,
            timezone=form.timezone.data,
            languages=form.languages.codes,
            bio=form.bio.data or "",
        )
        db.session.commit()
        flash("Your profile is saved.", "success")
        return redirect(url_for("people.profile"))
    enrollments = db.session.scalars(
        select(Enrollment)
        .where(Enrollment.person_id == person.id)
        .options(selectinload(Enrollment.cohort))
        .order_by(Enrollment.created_at.desc())
    ).all()
    return render_template("people/profile.html", form=form, enrollments=enrollments)
