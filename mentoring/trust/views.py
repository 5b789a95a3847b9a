"""Trust pages: the agreement, ending a pair without blame, export and erasure."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mentoring.audit.services import record_event
from mentoring.cohorts.models import Cohort
from mentoring.domain import RuleViolation, commit_or_attach, commit_or_flash
from mentoring.errors import render_error
from mentoring.extensions import db
from mentoring.matching.models import EndReason, Pair, PairStatus
from mentoring.people.models import Person, Role
from mentoring.permissions import (
    Access,
    get_or_403,
    object_rule,
    roles_required,
    signed_in,
)
from mentoring.trust import bp
from mentoring.trust.forms import (
    AcceptAgreementForm,
    AgreementForm,
    EndOnRequestForm,
    EndRequestForm,
    EraseForm,
    KeepPairForm,
)
from mentoring.trust.models import EndRequest, PersonErasure
from mentoring.trust.privacy import erase_person, erasure_of, export_json, placeholder_name
from mentoring.trust.services import (
    accept_agreement,
    current_agreement,
    end_pair_on_request,
    keep_pair,
    latest_request_by,
    open_end_requests,
    pair_agreement,
    request_end,
    save_agreement,
)
from mentoring.web import format_localtime


@object_rule(EndRequest)
def end_request_rule(person: Person, end_request: EndRequest, action: str) -> Access:
    """Requests to end a pair, and their private reasons, are HR's alone."""
    return Access.ALLOW if person.has_role(Role.ADMIN) else Access.HIDE


# The agreement -------------------------------------------------------------------


@bp.route("/cohorts/<int:cohort_id>/agreement", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def agreement(cohort_id: int):
    """HR reads and rewords the mentoring agreement of a cohort."""
    cohort = get_or_403(Cohort, cohort_id, "edit")
    current = current_agreement(cohort)
    form = AgreementForm(data={"body": current.body} if request.method == "GET" else None)
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            saved = save_agreement(cohort, form.body.data or "", actor=current_user)
        if committed:
            flash(
                _(
                    "Agreement saved as version %(version)s: the pairs of %(cohort)s are asked "
                    "to accept it again.",
                    version=saved.version,
                    cohort=cohort.name,
                ),
                "success",
            )
            return redirect(url_for("trust.agreement", cohort_id=cohort.id))
    return render_template("trust/agreement.html", cohort=cohort, agreement=current, form=form)


@bp.route("/pairs/<int:pair_id>/agreement", methods=["POST"])
@signed_in
def accept(pair_id: int):
    """A member accepts the agreement of their pair."""
    pair = get_or_403(Pair, pair_id, "participate")
    form = AcceptAgreementForm()
    if form.validate_on_submit():
        try:
            version = int(form.version.data or 0)
        except ValueError:
            version = 0
        commit_or_flash(
            lambda: accept_agreement(pair, current_user, version),
            _("You accepted the mentoring agreement."),
        )
    return redirect(url_for("meetings.pair_page", pair_id=pair.id) + "#agreement")


@bp.app_template_global()
def pair_trust(pair: Pair) -> dict[str, Any]:
    """What the pair page shows about the agreement and ending the pair, for the viewer."""
    viewer = current_user._get_current_object()
    member = pair.involves(viewer.id)
    status = pair_agreement(pair)
    context: dict[str, Any] = {
        "pair": pair,
        "status": status,
        "is_member": member,
        "active": pair.status == PairStatus.ACTIVE.value,
        "accept_form": AcceptAgreementForm(data={"version": status.agreement.version}),
        "my_request": latest_request_by(pair, viewer) if member else None,
        "open_requests": [],
    }
    if viewer.has_role(Role.ADMIN) and not member:
        context["open_requests"] = open_end_requests(pair_ids=[pair.id])
    return context


@bp.app_template_global()
def end_requests_open(cohort_id: int | None = None) -> list[EndRequest]:
    """Open requests to end a pair (HR's pages list them)."""
    if not current_user.is_authenticated or not current_user.has_role(Role.ADMIN):
        return []
    return open_end_requests(cohort_id=cohort_id)


@bp.app_template_global()
def person_erasure(person_id: int) -> PersonErasure | None:
    """The erasure marker of a person, for HR's person page."""
    return erasure_of(person_id)


# Ending without blame ------------------------------------------------------------


@bp.route("/pairs/<int:pair_id>/end-request", methods=["GET", "POST"])
@signed_in
def ask_to_end(pair_id: int):
    """A member asks HR to end the pair, with a reason only HR reads."""
    pair = get_or_403(Pair, pair_id, "participate")
    if pair.status != PairStatus.ACTIVE.value:
        flash(_("This pair has already ended."), "info")
        return redirect(url_for("meetings.pair_page", pair_id=pair.id))
    latest = latest_request_by(pair, current_user)
    form = EndRequestForm()
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            request_end(pair, current_user, form.reason.data or "")
        if committed:
            flash(
                _("HR has your request and will be in touch. Your reason stays with HR."),
                "success",
            )
            return redirect(url_for("meetings.pair_page", pair_id=pair.id))
    other = pair.mentee if pair.mentor.person_id == current_user.id else pair.mentor
    return render_template(
        "trust/ask_to_end.html", pair=pair, form=form, other=other.person, latest=latest
    )


@bp.route("/end-requests")
@roles_required(Role.ADMIN)
def end_requests():
    """Every open request to end a pair, oldest first."""
    return render_template("trust/end_requests.html", requests=open_end_requests())


@bp.route("/end-requests/<int:request_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def decide(request_id: int):
    """HR reads a request to end a pair and ends the pair, or keeps it going."""
    end_request = get_or_403(EndRequest, request_id, "view")
    pair = end_request.pair
    form = EndOnRequestForm()
    keep_form = KeepPairForm()
    if request.method == "POST":
        action = request.form.get("decision")
        names = {"mentee": pair.mentee.person.name, "mentor": pair.mentor.person.name}
        try:
            if action == "keep" and keep_form.validate_on_submit():
                keep_pair(end_request, actor=current_user)
                message = _(
                    "The pair of %(mentee)s and %(mentor)s goes on. Tell its members what you "
                    "decided.",
                    **names,
                )
            elif action == "end" and form.validate_on_submit():
                end_pair_on_request(
                    end_request,
                    EndReason(form.reason.data),
                    actor=current_user,
                    note=form.note.data or "",
                )
                message = _(
                    "The pair of %(mentee)s and %(mentor)s has ended. Its members see only "
                    "that it ended; you can re-match the mentee.",
                    **names,
                )
            else:
                message = ""
        except RuleViolation as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            if message:
                db.session.commit()
                flash(message, "success")
                return redirect(url_for("matching.pairs", cohort_id=pair.cohort_id))
    others = [
        other for other in open_end_requests(pair_ids=[pair.id]) if other.id != end_request.id
    ]
    return render_template(
        "trust/decide.html",
        end_request=end_request,
        pair=pair,
        form=form,
        keep_form=keep_form,
        others=others,
        pair_active=pair.status == PairStatus.ACTIVE.value,
    )


# Personal data -------------------------------------------------------------------


def _download(person: Person) -> Response:
    # HR downloads another person's data without the pair's private text.
    body = export_json(person, by_someone_else=person.id != current_user.id)
    filename = f"personal-data-{person.id}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/profile/export")
@signed_in
def export_mine():
    """Download everything the app holds about you, as JSON."""
    person = current_user._get_current_object()
    record_event("person.exported", actor=person, subject=person)
    response = _download(person)
    db.session.commit()
    return response


@bp.route("/people/<int:person_id>/export")
@signed_in
def export_person(person_id: int):
    """HR downloads a person's data on their request; others only their own."""
    if not current_user.has_role(Role.ADMIN) and person_id != current_user.id:
        return render_error(
            403,
            _(
                "You can download only your own data: use “Download my data” on your "
                "profile. HR produces another person's data when that person asks."
            ),
        )
    person = (
        get_or_403(Person, person_id, "view")
        if person_id != current_user.id
        else current_user._get_current_object()
    )
    record_event("person.exported", actor=current_user, subject=person)
    response = _download(person)
    db.session.commit()
    return response


@bp.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def erase(person_id: int):
    """HR erases a person who asked for it or has left, after confirming."""
    person = get_or_403(Person, person_id, "edit")
    marker = erasure_of(person.id)
    form = EraseForm()
    if marker is None and form.validate_on_submit():
        with commit_or_attach(form) as committed:
            erase_person(person, actor=current_user)
        if committed:
            flash(
                _(
                    "Erased: the person is now %(name)s. Their meetings, pairs, ratings and "
                    "goals stay as anonymous records.",
                    name=person.name,
                ),
                "success",
            )
            return redirect(url_for("people.detail", person_id=person.id))
    refusal = None
    if marker is not None and request.method == "POST":
        refusal = _(
            "%(name)s was already erased on %(day)s: there is nothing left to erase.",
            name=person.name,
            day=format_localtime(marker.erased_at, "%d %b %Y"),
        )
    return render_template(
        "trust/erase.html",
        person=person,
        form=form,
        marker=marker,
        refusal=refusal,
        placeholder=placeholder_name(person.id),
    )


# People pages that would bring an erased person back.
_GUARDED_PERSON_ENDPOINTS = frozenset(
    {"people.edit_person", "people.reactivate", "people.renew_invitation", "people.deactivate"}
)


@bp.before_app_request
def refuse_changes_to_erased_people():
    """An erased person cannot be edited, reactivated or invited again."""
    if request.endpoint not in _GUARDED_PERSON_ENDPOINTS or not request.view_args:
        return None
    person_id = request.view_args.get("person_id")
    if not isinstance(person_id, int) or erasure_of(person_id) is None:
        return None
    person = db.session.get(Person, person_id)
    flash(
        _(
            "%(name)s was erased: the record stays anonymous and cannot be edited, "
            "reactivated or invited again.",
            name=person.name if person else placeholder_name(person_id),
        ),
        "error",
    )
    return redirect(url_for("people.detail", person_id=person_id))
