"""The people directory for HR, invitations, and each person's profile."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from mentoring.audit.models import AuditEvent
from mentoring.audit.services import record_event
from mentoring.auth.models import Invitation
from mentoring.auth.services import (
    COPIED_LINK_EVENT,
    email_new_invitation,
    invitation_token,
    may_copy_invitation_link,
    request_password_reset,
    send_pending_invitation_emails,
)
from mentoring.cohorts.forms import ConfirmForm
from mentoring.cohorts.models import Enrollment, EnrollmentTopic
from mentoring.db import utcnow
from mentoring.domain import RuleViolation, commit_or_attach, commit_or_flash
from mentoring.extensions import db
from mentoring.matching.access import pairs_of
from mentoring.matching.models import END_REASON_LABELS
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
from mentoring.web import external_url

STATUS_FILTERS = {"active", "pending", "deactivated"}

# The words of `person_status` as HR reads them (the code stays the CSS class).
STATUS_LABELS = {
    "active": _l("Active"),
    "invited": _l("Invited"),
    "not invited": _l("Not invited"),
    "deactivated": _l("Deactivated"),
}

# What the history of a person's page shows for each audited action about them; an
# action missing here shows its code.
EVENT_LABELS = {
    "person.created": _l("Added to the directory"),
    "person.updated": _l("Details edited"),
    "person.role_granted": _l("Role granted"),
    "person.role_revoked": _l("Role withdrawn"),
    "person.deactivated": _l("Deactivated"),
    "person.reactivated": _l("Reactivated"),
    "person.exported": _l("Personal data downloaded"),
    "person.erased": _l("Erased"),
    "auth.invitation_emailed": _l("Invitation emailed"),
    "auth.invitation_link_copied": _l("Invitation link shown to copy"),
    "auth.invitation_accepted": _l("Invitation accepted"),
    "auth.reset_link_emailed": _l("Password reset link emailed"),
    "auth.password_reset": _l("Password reset"),
    "auth.password_changed": _l("Password changed"),
    "auth.signed_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Failed sign-in"),
    "calendar.feed_revoked": _l("Calendar feed revoked"),
}


def invitation_url(invitation: Invitation) -> str:
    """The absolute link a person follows to accept an invitation."""
    return external_url("auth.accept_invitation", token=invitation_token(invitation))


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
        status_labels=STATUS_LABELS,
    )


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_person():
    """Add a person by hand; they get an invitation link."""
    form = PersonForm()
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            person = create_person(_person_data(form), actor=current_user)
            email_new_invitation(person, actor=current_user)
        if committed:
            flash(
                _(
                    "%(name)s is in the directory. Their invitation is on its way to %(email)s.",
                    name=person.name,
                    email=person.email,
                ),
                "success",
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
        invitation_usable=usable,
        can_copy_link=usable and may_copy_invitation_link(person, in_a_pair=bool(pairs)),
        status=person_status(person, usable),
        status_labels=STATUS_LABELS,
        event_labels=EVENT_LABELS,
        end_reason_labels=END_REASON_LABELS,
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
        with commit_or_attach(form) as committed:
            changed = update_person(person, _person_data(form), actor=current_user)
        if committed:
            flash(
                _("Saved %(name)s.", name=person.name) if changed else _("Nothing changed."),
                "success",
            )
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
            flash(
                _(
                    "%(name)s is deactivated and signed out. Their history is kept.",
                    name=person.name,
                ),
                "success",
            )
    return redirect(url_for("people.detail", person_id=person.id))


@bp.route("/people/<int:person_id>/reactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def reactivate(person_id: int):
    """Let a deactivated person sign in again."""
    person = get_or_403(Person, person_id, "edit")
    if ConfirmForm().validate_on_submit():
        commit_or_flash(
            lambda: reactivate_person(person, actor=current_user),
            _("%(name)s can sign in again.", name=person.name),
        )
    return redirect(url_for("people.detail", person_id=person.id))


@bp.route("/people/<int:person_id>/invitation", methods=["POST"])
@roles_required(Role.ADMIN)
def renew_invitation(person_id: int):
    """Email a fresh invitation, or a password reset link to someone who has a password.

    HR never sees a reset link: it goes to the person's own mailbox only.
    """
    person = get_or_403(Person, person_id, "edit")
    if ConfirmForm().validate_on_submit():
        if not person.is_active:
            flash(_("Reactivate this person before inviting them."), "error")
        elif person.password_hash:
            request_password_reset(person.email, actor=current_user._get_current_object())
            db.session.commit()
            flash(
                _(
                    "A password reset link is on its way to %(email)s. It works once, for an "
                    "hour; their current password works until they use it.",
                    email=person.email,
                ),
                "success",
            )
        else:
            email_new_invitation(person, actor=current_user._get_current_object())
            db.session.commit()
            flash(
                _(
                    "A new invitation is on its way to %(email)s; the previous link no longer "
                    "works.",
                    email=person.email,
                ),
                "success",
            )
    if request.form.get("back") == "list":
        return redirect(url_for("people.invitations"))
    return redirect(url_for("people.detail", person_id=person.id))


@bp.route("/people/<int:person_id>/invitation/link", methods=["POST"])
@roles_required(Role.ADMIN)
def copy_invitation_link(person_id: int):
    """Show an invitation link to copy, for someone who never signed in and has no pair.

    Every showing is audited.
    """
    person = get_or_403(Person, person_id, "edit")
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("people.detail", person_id=person.id))
    invitation = db.session.scalar(
        select(Invitation)
        .where(Invitation.person_id == person.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(1)
    )
    usable = invitation is not None and invitation.is_usable(utcnow())
    if not usable or not may_copy_invitation_link(person, in_a_pair=bool(pairs_of(person))):
        flash(
            _(
                "This link cannot be copied: only the invitation of someone who never signed "
                "in and is in no pair can be. Send it by email instead."
            ),
            "error",
        )
        return redirect(url_for("people.detail", person_id=person.id))
    # Must stay COPIED_LINK_EVENT: joining a pair replaces a copied invitation.
    record_event(COPIED_LINK_EVENT, actor=current_user, subject=person)
    db.session.commit()
    return render_template(
        "people/invitation_link.html",
        person=person,
        invitation=invitation,
        link=invitation_url(invitation),
    )


@bp.route("/people/invitations", methods=["POST"], endpoint="send_pending_invitations")
@roles_required(Role.ADMIN)
def send_pending_invitations():
    """Email an invitation to everyone pending whose current one was never emailed (or has
    expired); an invitation already emailed and still valid is left alone."""
    if ConfirmForm().validate_on_submit():
        sent = send_pending_invitation_emails(actor=current_user._get_current_object())
        db.session.commit()
        if sent:
            flash(
                ngettext(
                    "Invitations are on their way to %(num)d person.",
                    "Invitations are on their way to %(num)d people.",
                    sent,
                ),
                "success",
            )
        else:
            flash(
                _(
                    "Every pending invitation has been emailed already and is still valid. "
                    "To send one again, use its row's button."
                ),
                "info",
            )
    return redirect(url_for("people.invitations"))


@bp.route("/people/invitations")
@roles_required(Role.ADMIN)
def invitations():
    """People who have not chosen a password yet, with their invitation's email status."""
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
    usable = {person_id for person_id, invitation in latest.items() if invitation.is_usable(now)}
    return render_template(
        "people/invitations.html",
        pagination=pagination,
        latest=latest,
        usable=usable,
        now=now,
        confirm_form=ConfirmForm(),
    )


@bp.route("/profile", methods=["GET", "POST"])
@signed_in
def profile():
    """A person edits their own time zone, and, when they take part, languages and bio."""
    person = current_user._get_current_object()
    enrollments = db.session.scalars(
        select(Enrollment)
        .where(Enrollment.person_id == person.id)
        # Two queries whatever the number of enrollments: with cohorts, then topics.
        .options(
            joinedload(Enrollment.cohort),
            selectinload(Enrollment.topic_links).joinedload(EnrollmentTopic.topic),
        )
        .order_by(Enrollment.created_at.desc())
    ).all()
    # Languages to mentor in and a bio for one's pair mean nothing to someone who does
    # not take part (a leader, an HR manager): they set their time zone only.
    participant = bool(enrollments) or person.has_role(Role.MENTOR, Role.MENTEE)
    form = ProfileForm(obj=person if request.method == "GET" else None)
    if not participant:
        del form.languages
        del form.bio
        form.timezone.description = _("Every date and time in the app is shown in this time zone.")
    elif request.method == "GET":
        form.languages.data = ", ".join(person.languages)
    if request.method == "GET":
        form.locale.data = person.locale or ""
    if form.validate_on_submit():
        update_own_profile(
            person,
            locale=(form.locale.data or None) if "locale" in request.form else person.locale,
            timezone=form.timezone.data,
            languages=form.languages.codes if participant else person.languages,
            bio=(form.bio.data or "") if participant else person.bio,
        )
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("people.profile"))
    return render_template(
        "people/profile.html", form=form, enrollments=enrollments, participant=participant
    )
