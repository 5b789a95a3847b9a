"""HR's cohort pages, and participants editing their own enrollment."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from mentoring.auth.services import find_person_by_email
from mentoring.cohorts import bp
from mentoring.cohorts.forms import (
    CancelCohortForm,
    CohortForm,
    ConfirmForm,
    EnrollmentEditForm,
    EnrollmentForm,
    ImportForm,
)
from mentoring.cohorts.imports import (
    ImportTooLarge,
    commit_import,
    preview_import,
    store_upload,
)
from mentoring.cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    ParticipantImport,
    Side,
)
from mentoring.cohorts.services import (
    EDITABLE_STATUSES,
    FINISHED_STATUSES,
    CohortData,
    cancel_cohort,
    change_cohort_status,
    cohort_summaries,
    create_cohort,
    enroll_person,
    remove_enrollment,
    search_enrollments,
    side_counts,
    update_cohort,
    update_enrollment,
)
from mentoring.curriculum.services import list_topics
from mentoring.domain import RuleViolation, commit_or_attach, commit_or_flash
from mentoring.extensions import db
from mentoring.i18n import format_number, localized
from mentoring.pagination import choice_arg, paginate, search_text
from mentoring.people.availability import day_names, format_availability, parse_availability
from mentoring.people.csv_import import column_label
from mentoring.people.models import Person, Role
from mentoring.permissions import Access, get_or_403, object_rule, roles_required, signed_in

SIDES = {Side.MENTOR.value, Side.MENTEE.value}
# The moves HR makes with one button; activating is publishing a matching, and
# cancelling has its own confirmation page.
BUTTON_MOVES = {CohortStatus.MATCHING.value, CohortStatus.DRAFT.value, CohortStatus.CLOSED.value}


@object_rule(Enrollment)
def enrollment_rule(person: Person, enrollment: Enrollment, action: str) -> Access:
    """HR manages every enrollment; a participant sees and edits only their own."""
    if person.has_role(Role.ADMIN) or enrollment.person_id == person.id:
        return Access.ALLOW
    return Access.HIDE


def _topic_choices(topics) -> list[tuple[int, str]]:
    return [(topic.id, localized(topic, "name")) for topic in topics]


def _moved(cohort: Cohort, status: CohortStatus) -> str:
    """What HR reads once a cohort has moved along its lifecycle."""
    if status is CohortStatus.MATCHING:
        return _("%(name)s is opened for matching.", name=cohort.name)
    if status is CohortStatus.DRAFT:
        return _("%(name)s is moved back to draft.", name=cohort.name)
    if status is CohortStatus.ACTIVE:
        return _("%(name)s is activated.", name=cohort.name)
    if status is CohortStatus.CANCELLED:
        return _("%(name)s is cancelled.", name=cohort.name)
    return _("%(name)s is closed.", name=cohort.name)


def _finished(cohort: Cohort) -> str:
    """Why a closed or cancelled cohort's settings no longer change."""
    if cohort.status == CohortStatus.CANCELLED.value:
        return _("This cohort is cancelled: its settings can no longer change.")
    return _("This cohort is closed: its settings can no longer change.")


def local_availability(windows) -> str:
    """Weekly windows written with the reader's day names (they read back alike)."""
    return format_availability(windows, day_names(_))


def _cohort_data(form: CohortForm) -> CohortData:
    return CohortData(
        name=form.name.data or "",
        description=form.description.data or "",
        description_fr=form.description_fr.data or "",
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        cadence_days=form.cadence_days.data,
        target_meetings=form.target_meetings.data,
        min_seniority_gap=form.min_seniority_gap.data,
        at_risk_grace_days=7
        if form.at_risk_grace_days.data is None
        else form.at_risk_grace_days.data,
        allow_repeat_pairs=bool(form.allow_repeat_pairs.data),
        meeting_format=form.meeting_format.data,
        topic_ids=list(form.topic_ids.data or []),
    )


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    """Every cohort with its status and head counts."""
    query = search_text().lower()
    status = choice_arg("status", {s.value for s in CohortStatus})
    rows = [
        row
        for row in cohort_summaries()
        if (not query or query in row.cohort.name.lower())
        and (not status or row.cohort.status == status)
    ]
    return render_template(
        "cohorts/index.html", rows=rows, query=query, status=status, statuses=list(CohortStatus)
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new():
    """Create a cohort."""
    form = CohortForm()
    form.topic_ids.choices = _topic_choices(list_topics())
    if request.method == "GET":
        form.topic_ids.data = [topic_id for topic_id, _ in form.topic_ids.choices]
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            cohort = create_cohort(_cohort_data(form), actor=current_user)
        if committed:
            flash(
                _(
                    "Cohort %(name)s is created as a draft. Now add its participants.",
                    name=cohort.name,
                ),
                "success",
            )
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None)


@bp.route("/<int:cohort_id>")
@roles_required(Role.ADMIN)
def detail(cohort_id: int):
    """A cohort: settings, lifecycle, and its mentors or mentees (searchable, paginated)."""
    cohort = get_or_403(Cohort, cohort_id, "view")
    side = choice_arg("side", SIDES) or Side.MENTEE.value
    query = search_text()
    pagination = paginate(search_enrollments(cohort, side, query))
    return render_template(
        "cohorts/detail.html",
        cohort=cohort,
        counts=side_counts(cohort),
        side=side,
        query=query,
        pagination=pagination,
        editable=cohort.status in EDITABLE_STATUSES,
        finished=cohort.status in FINISHED_STATUSES,
        today=date.today(),
        confirm_form=ConfirmForm(),
        format_availability=local_availability,
    )


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(cohort_id: int):
    """Edit a cohort's settings (not once it is closed or cancelled)."""
    cohort = get_or_403(Cohort, cohort_id, "edit")
    if cohort.status in FINISHED_STATUSES:
        flash(_finished(cohort), "error")
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    form = CohortForm(obj=cohort if request.method == "GET" else None)
    topics = list_topics(include_retired=True)
    form.topic_ids.choices = _topic_choices(
        [t for t in topics if not t.is_retired or t in cohort.topics]
    )
    if request.method == "GET":
        form.topic_ids.data = [topic.id for topic in cohort.topics]
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            update_cohort(cohort, _cohort_data(form), actor=current_user)
        if committed:
            flash(_("The cohort's settings are saved."), "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=cohort)


@bp.route("/<int:cohort_id>/status", methods=["POST"])
@roles_required(Role.ADMIN)
def change_status(cohort_id: int):
    """Move the cohort along its lifecycle (to matching, back to draft, or closed)."""
    cohort = get_or_403(Cohort, cohort_id, "edit")
    target = request.form.get("status", "")
    if target == CohortStatus.CANCELLED.value:
        return redirect(url_for("cohorts.cancel", cohort_id=cohort.id))
    if not ConfirmForm().validate_on_submit() or target not in BUTTON_MOVES:
        abort(400)
    status = CohortStatus(target)
    commit_or_flash(
        lambda: change_cohort_status(cohort, status, actor=current_user),
        _moved(cohort, status),
    )
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


@bp.route("/<int:cohort_id>/cancel", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def cancel(cohort_id: int):
    """Cancel a cohort that will not run, after saying what that does and asking to confirm."""
    cohort = get_or_403(Cohort, cohort_id, "edit")
    if not cohort.can_move_to(CohortStatus.CANCELLED):
        flash(
            _("%(name)s is cancelled: it can no longer be cancelled.", name=cohort.name)
            if cohort.status == CohortStatus.CANCELLED.value
            else _("%(name)s is closed: it can no longer be cancelled.", name=cohort.name),
            "error",
        )
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    form = CancelCohortForm()
    had_pairs = cohort.status == CohortStatus.ACTIVE.value
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            cancel_cohort(cohort, actor=current_user, reason=form.reason.data or "")
        if committed:
            flash(
                _(
                    "%(name)s is cancelled. Its enrollments are kept; its pairs have ended and "
                    "their planned meetings are cancelled.",
                    name=cohort.name,
                )
                if had_pairs
                else _(
                    "%(name)s is cancelled. Its enrollments are kept; it had no pairs yet.",
                    name=cohort.name,
                ),
                "success",
            )
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template(
        "cohorts/cancel.html",
        cohort=cohort,
        form=form,
        counts=side_counts(cohort),
        today=date.today(),
    )


@bp.route("/<int:cohort_id>/enrollments/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_enrollment(cohort_id: int):
    """Enroll someone from the directory as a mentor or a mentee."""
    cohort = get_or_403(Cohort, cohort_id, "edit")
    if cohort.status not in EDITABLE_STATUSES:
        flash(_("Participants can only be added before the matching is published."), "error")
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    form = EnrollmentForm()
    form.topic_ids.choices = _topic_choices(cohort.topics)
    if request.method == "GET" and choice_arg("side", SIDES):
        form.side.data = request.args["side"]
    if form.validate_on_submit():
        person = find_person_by_email(form.email.data or "")
        with commit_or_attach(form) as committed:
            if person is None:
                raise RuleViolation(
                    _(
                        "Nobody with this email is in the directory: add them first, or import "
                        "a CSV."
                    ),
                    "email",
                )
            availability = _availability(form)
            enrollment = enroll_person(
                cohort,
                person,
                side=Side(form.side.data),
                topic_ids=form.topic_ids.data or [],
                capacity=form.capacity.data,
                availability=availability,
                actor=current_user,
            )
        if committed:
            flash(
                _("%(name)s is enrolled as a mentor.", name=person.name)
                if enrollment.side == Side.MENTOR.value
                else _("%(name)s is enrolled as a mentee.", name=person.name),
                "success",
            )
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id, side=enrollment.side))
    return render_template(
        "cohorts/enrollment_form.html", form=form, cohort=cohort, enrollment=None
    )


def _availability(form) -> list[dict]:
    try:
        return parse_availability(form.availability.data or "", _)
    except ValueError as error:
        raise RuleViolation(str(error), "availability") from error


@bp.route("/enrollments/<int:enrollment_id>/edit", methods=["GET", "POST"])
@signed_in
def edit_enrollment(enrollment_id: int):
    """Edit an enrollment's topics, capacity and availability (HR, or the person)."""
    enrollment = get_or_403(Enrollment, enrollment_id, "edit")
    cohort = enrollment.cohort
    is_hr = current_user.has_role(Role.ADMIN)
    back = (
        url_for("cohorts.detail", cohort_id=cohort.id, side=enrollment.side)
        if is_hr
        else url_for("people.profile")
    )
    if cohort.status in FINISHED_STATUSES:
        flash(
            _("This cohort is cancelled: enrollments can no longer change.")
            if cohort.status == CohortStatus.CANCELLED.value
            else _("This cohort is closed: enrollments can no longer change."),
            "error",
        )
        return redirect(back)
    form = EnrollmentEditForm(obj=enrollment if request.method == "GET" else None)
    form.topic_ids.choices = _topic_choices(cohort.topics)
    if request.method == "GET":
        form.topic_ids.data = [topic.id for topic in enrollment.topics]
        form.availability.data = local_availability(enrollment.availability)
    if not is_hr or enrollment.side == Side.MENTEE.value:
        del form.capacity  # HR's to set, for mentors only: other forms do not carry it
    if form.validate_on_submit():
        with commit_or_attach(form) as committed:
            update_enrollment(
                enrollment,
                topic_ids=form.topic_ids.data or [],
                capacity=form.capacity.data if "capacity" in form else enrollment.capacity,
                availability=_availability(form),
                actor=current_user,
            )
        if committed:
            flash(_("The enrollment is saved."), "success")
            return redirect(back)
    return render_template(
        "cohorts/enrollment_form.html",
        form=form,
        cohort=cohort,
        enrollment=enrollment,
        is_hr=is_hr,
        back=back,
    )


@bp.route("/enrollments/<int:enrollment_id>/remove", methods=["POST"])
@roles_required(Role.ADMIN)
def remove(enrollment_id: int):
    """Take someone out of a cohort before matching is published."""
    enrollment = get_or_403(Enrollment, enrollment_id, "edit")
    cohort_id, side, name = enrollment.cohort_id, enrollment.side, enrollment.person.name
    if ConfirmForm().validate_on_submit():
        commit_or_flash(
            lambda: remove_enrollment(enrollment, actor=current_user),
            _("%(name)s is no longer enrolled.", name=name),
        )
    return redirect(url_for("cohorts.detail", cohort_id=cohort_id, side=side))


@bp.route("/<int:cohort_id>/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def import_upload(cohort_id: int):
    """Upload a participants CSV; the next page previews it."""
    cohort = get_or_403(Cohort, cohort_id, "edit")
    form = ImportForm()
    if cohort.status not in EDITABLE_STATUSES:
        flash(_("Participants can only be imported before the matching is published."), "error")
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch = store_upload(
                cohort, upload.filename or "participants.csv", upload.read(), actor=current_user
            )
        except ImportTooLarge as error:
            form.file.errors.append(str(error))
        else:
            db.session.commit()
            return redirect(
                url_for("cohorts.import_preview", cohort_id=cohort.id, import_id=batch.id)
            )
    return render_template("cohorts/import_upload.html", form=form, cohort=cohort)


def _batch(cohort: Cohort, import_id: int) -> ParticipantImport:
    batch = db.session.get(ParticipantImport, import_id)
    if batch is None or batch.cohort_id != cohort.id:
        abort(404)
    return batch


@bp.route("/<int:cohort_id>/import/<int:import_id>")
@roles_required(Role.ADMIN)
def import_preview(cohort_id: int, import_id: int):
    """What the file would create, update and leave unchanged, and every bad row."""
    cohort = get_or_403(Cohort, cohort_id, "view")
    batch = _batch(cohort, import_id)
    preview = preview_import(cohort, batch.content, gettext=_, ngettext=ngettext)
    return render_template(
        "cohorts/import_preview.html",
        cohort=cohort,
        batch=batch,
        preview=preview,
        form=ConfirmForm(),
        upload_form=ImportForm(),
        describe=lambda counts: counts.describe(_, ngettext, format_number),
        column_label=lambda column: column_label(column, _) if column else "",
        format_availability=local_availability,
    )


@bp.route("/<int:cohort_id>/import/<int:import_id>/commit", methods=["POST"])
@roles_required(Role.ADMIN)
def import_commit(cohort_id: int, import_id: int):
    """Write a clean file, all of it in one transaction."""
    cohort = get_or_403(Cohort, cohort_id, "edit")
    batch = _batch(cohort, import_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        summary = commit_import(cohort, batch, actor=current_user)
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("cohorts.import_preview", cohort_id=cohort.id, import_id=batch.id))
    hint = summary.invitation_hint(_)
    if request.form.get("send_invitations"):
        # Email this cohort's participants whose invitation was never emailed (same commit).
        from sqlalchemy import select

        from mentoring.auth.services import send_pending_invitation_emails

        enrolled = select(Enrollment.person_id).where(Enrollment.cohort_id == cohort.id)
        sent = send_pending_invitation_emails(
            actor=current_user._get_current_object(),
            person_ids=list(db.session.scalars(enrolled)),
        )
        hint = ngettext(
            "Invitations are on their way to %(count)s person.",
            "Invitations are on their way to %(count)s people.",
            sent,
            count=format_number(sent),
        )
    db.session.commit()
    done = _(
        "Import done: %(summary)s.",
        summary=summary.describe(_, ngettext, format_number),
    )
    flash(f"{done} {hint}".strip(), "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


@bp.route("/import-template.csv")
@roles_required(Role.ADMIN)
def import_template():
    """The CSV template, with an example row per side."""
    from mentoring.people.csv_import import template_csv

    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=participants-template.csv"},
    )


@bp.route("/import-help")
@roles_required(Role.ADMIN)
def import_help():
    """Every column of the participants file, explained."""
    from mentoring.people.csv_import import column_help

    return render_template("cohorts/import_help.html", columns=column_help(_))
