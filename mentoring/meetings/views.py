"""The pair page, scheduling, logs, .ics downloads and personal calendar feeds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from mentoring.db import utcnow
from mentoring.domain import RuleViolation, commit_or_attach, commit_or_flash
from mentoring.extensions import db
from mentoring.i18n import localized, person_locale
from mentoring.matching.access import get_pair_or_403, pairs_of
from mentoring.matching.models import Pair, PairStatus
from mentoring.meetings import access as _access  # noqa: F401 - registers the object rules
from mentoring.meetings import bp
from mentoring.meetings.common import other_member, reason_text, require_active, when_in_zone
from mentoring.meetings.feeds import (
    calendar_event,
    feed_etag,
    feed_events,
    feed_name,
    feed_secret,
    feed_token_of,
    person_for_feed,
    reset_feed,
)
from mentoring.meetings.forms import ActionForm, CancelForm, LogForm, MeetingForm, SeriesForm
from mentoring.meetings.ical import render_event_file, render_feed
from mentoring.meetings.logs import (
    LogEntry,
    advanceable_goals,
    advanced_goal_ids,
    check_can_log,
    check_log_editable,
    edit_log,
    log_editable_until,
    log_meeting,
    loggable_topics,
)
from mentoring.meetings.models import LogOutcome, Meeting, MeetingLog, MeetingSeries, MeetingStatus
from mentoring.meetings.overview import (
    pair_meeting_summaries,
    pair_meetings_page,
    past_meeting_pages,
    upcoming_meetings_of,
)
from mentoring.meetings.scheduling import (
    MeetingDetails,
    cancel_meeting,
    confirm_meeting,
    confirm_series,
    propose_meeting,
    propose_series,
    reschedule_meeting,
)
from mentoring.meetings.timezones import utc_to_local
from mentoring.pagination import page_number
from mentoring.permissions import get_or_403, public, signed_in
from mentoring.web import external_url, format_localtime, viewer_timezone

FEED_CACHE_CONTROL = "private, max-age=0, must-revalidate"


@bp.app_template_global("member_local_times")
def member_local_times(moment: datetime, pair: Pair) -> list[tuple[str, str]]:
    """(name, local time) for each member of the pair whose time zone differs from the
    viewer's, so both people's local times show when they differ."""
    viewer_zone = viewer_timezone().key
    times = []
    for enrollment in (pair.mentor, pair.mentee):
        person = enrollment.person
        if person.id == current_user.id or person.timezone == viewer_zone:
            continue
        times.append((person.name, when_in_zone(moment, person.timezone)))
    return times


@bp.app_template_filter("reason_text")
def reason_text_filter(reason: str) -> str:
    """A cancellation reason in the reader's language when the app wrote it."""
    return reason_text(reason)


@bp.app_template_filter("localdate")
def local_date(value: datetime | None, fmt: str = "%d %b %Y") -> str:
    """A date in the viewer's time zone, without the zone's name."""
    return format_localtime(value, fmt)


@bp.app_template_global("pair_page_url")
def pair_page_url(pair_id: int, meeting_id: int | None = None, page: int | None = None) -> str:
    """The pair page at a meeting's card, on the page of past meetings that shows it.

    The page is looked up (one query) unless given: pages listing many meetings pass
    what `past_meeting_pages` found for all of them at once.
    """
    if meeting_id is None:
        return url_for("meetings.pair_page", pair_id=pair_id)
    if page is None:
        page = past_meeting_pages(pair_id, [meeting_id])[meeting_id]
    url = url_for("meetings.pair_page", pair_id=pair_id, page=page if page > 1 else None)
    return f"{url}#meeting-{meeting_id}"


def _pair_page(pair_id: int, anchor: int | None = None) -> Response:
    return redirect(pair_page_url(pair_id, anchor))


def _save(form, pair_id: int, save: Callable[[], tuple[str, int | None]]) -> Response | None:
    """Run a posted, valid form's service call in the view's transaction.

    `save` makes the call and returns the success message and the meeting to show. On
    success: commit, flash the message, and back to the pair page at that meeting. On a
    broken rule: roll back, show it on the form, and None (the view shows the form again).
    """
    if not form.validate_on_submit():
        return None
    with commit_or_attach(form) as committed:
        message, anchor = save()
    if not committed:
        return None
    flash(message, "success")
    return _pair_page(pair_id, anchor)


def _details(form: MeetingForm) -> MeetingDetails:
    return MeetingDetails(
        start_date=form.start_date.data,
        start_time=form.start_time.data,
        timezone=form.timezone.data or "",
        duration_minutes=form.duration_minutes.data,
        location=form.location.data or "",
        video_url=form.video_url.data or "",
        agenda=form.agenda.data or "",
        agenda_private=bool(form.agenda_private.data),
    )


def _entry(form: LogForm) -> LogEntry:
    return LogEntry(
        outcome=form.outcome.data or "",
        actual_minutes=form.actual_minutes.data,
        topic_ids=list(form.topic_ids.data or []),
        goal_ids=list(form.goal_ids.data or []),
        private_notes=form.private_notes.data or "",
        rating=form.rating.data,
        feedback=form.feedback.data or "",
        feedback_shareable=bool(form.feedback_shareable.data),
    )


@bp.route("/pairs/<int:pair_id>")
@signed_in
def pair_page(pair_id: int):
    """A pair's meetings, logs and cadence: in full for its members, metadata for HR."""
    pair = get_pair_or_403(pair_id, "view")
    person = current_user._get_current_object()
    is_member = pair.involves(person.id)
    now = utcnow()
    meetings = pair_meetings_page(pair, page_number(), now=now)
    upcoming = meetings.upcoming
    waiting = Counter(
        m.series_id
        for m in upcoming
        if m.series_id
        and m.status == MeetingStatus.PROPOSED.value
        and m.proposed_by_id != person.id
        and m.start_at > now
    )
    summary = pair_meeting_summaries([pair.id], now=now)[pair.id]
    return render_template(
        "meetings/pair.html",
        pair=pair,
        is_member=is_member,
        partner=other_member(pair, person) if is_member else None,
        active=pair.status == PairStatus.ACTIVE.value,
        upcoming=upcoming,
        past=meetings.past,
        summary=summary,
        planned_days_late=summary.cadence.planned_days_late(viewer_timezone().key),
        series_to_confirm={sid: n for sid, n in waiting.items() if n > 1} if is_member else {},
        action_form=ActionForm(),
        log_editable_until=log_editable_until,
        now=now,
    )


def _meeting_form_page(form, pair: Pair, *, mode: str, meeting: Meeting | None = None):
    person = current_user._get_current_object()
    return render_template(
        "meetings/meeting_form.html",
        form=form,
        pair=pair,
        partner=other_member(pair, person),
        mode=mode,
        meeting=meeting,
    )


def _refused(check: Callable[[], None], pair_id: int, anchor: int | None = None):
    """Back to the pair page with the reason when `check` refuses, else None."""
    try:
        check()
    except RuleViolation as error:
        flash(error.message, "error")
        return _pair_page(pair_id, anchor)
    return None


def _require_active(pair: Pair):
    return _refused(lambda: require_active(pair), pair.id)


def _proposal_page(
    pair_id: int,
    form_class: type[MeetingForm],
    mode: str,
    save: Callable[[Pair, MeetingForm], tuple[str, int | None]],
):
    pair = get_or_403(Pair, pair_id, "participate")
    if refused := _require_active(pair):
        return refused
    form = form_class()
    if request.method == "GET":
        form.timezone.data = current_user.timezone
    return _save(form, pair.id, lambda: save(pair, form)) or _meeting_form_page(
        form, pair, mode=mode
    )


@bp.route("/pairs/<int:pair_id>/meetings/new", methods=["GET", "POST"])
@signed_in
def propose(pair_id: int):
    """Propose a meeting, in the proposer's own time zone."""

    def save(pair: Pair, form: MeetingForm) -> tuple[str, int]:
        meeting = propose_meeting(pair, _details(form), actor=current_user)
        partner = other_member(pair, current_user)
        return (
            _("Meeting proposed. %(name)s will confirm or decline it.", name=partner.name),
            meeting.id,
        )

    return _proposal_page(pair_id, MeetingForm, "propose", save)


@bp.route("/pairs/<int:pair_id>/series/new", methods=["GET", "POST"])
@signed_in
def propose_series_page(pair_id: int):
    """Plan a series of meetings: every N weeks, M times, at the same local time."""

    def save(pair: Pair, form: SeriesForm) -> tuple[str, None]:
        series = propose_series(
            pair,
            _details(form),
            every_weeks=form.every_weeks.data,
            occurrences=form.occurrences.data,
            actor=current_user,
        )
        partner = other_member(pair, current_user)
        message = ngettext(
            "%(count)s meetings proposed, every week. %(name)s will confirm them.",
            "%(count)s meetings proposed, every %(num)d weeks. %(name)s will confirm them.",
            series.every_weeks,
            count=series.occurrences,
            name=partner.name,
        )
        return message, None

    return _proposal_page(pair_id, SeriesForm, "series", save)


@bp.route("/meetings/<int:meeting_id>/reschedule", methods=["GET", "POST"])
@signed_in
def reschedule(meeting_id: int):
    """Move a meeting or change its place or agenda; a new time needs confirming again."""
    meeting = get_or_403(Meeting, meeting_id, "participate")
    pair = meeting.pair
    if refused := _require_active(pair):
        return refused
    if not meeting.is_planned:
        flash(
            _("A %(state)s meeting cannot be changed.", state=meeting.state.label.lower()),
            "error",
        )
        return _pair_page(pair.id, meeting.id)
    form = MeetingForm(obj=meeting if request.method == "GET" else None)
    if request.method == "GET":
        zone = viewer_timezone().key
        local = utc_to_local(meeting.start_at, zone)
        form.timezone.data = zone
        form.start_date.data = local.date()
        form.start_time.data = local.time().replace(second=0, microsecond=0)

    def save() -> tuple[str, int]:
        if reschedule_meeting(meeting, _details(form), actor=current_user):
            partner = other_member(pair, current_user)
            return (
                _("Meeting moved. %(name)s will confirm the new time.", name=partner.name),
                meeting.id,
            )
        return _("Meeting updated."), meeting.id

    return _save(form, pair.id, save) or _meeting_form_page(
        form, pair, mode="reschedule", meeting=meeting
    )


@bp.route("/meetings/<int:meeting_id>/confirm", methods=["POST"])
@signed_in
def confirm(meeting_id: int):
    """Confirm a meeting the other member proposed."""
    meeting = get_or_403(Meeting, meeting_id, "participate")
    if not ActionForm().validate_on_submit():
        abort(400)
    commit_or_flash(
        lambda: confirm_meeting(meeting, actor=current_user),
        _("Meeting confirmed. Add it to your calendar with the .ics file."),
    )
    return _pair_page(meeting.pair_id, meeting.id)


@bp.route("/series/<int:series_id>/confirm", methods=["POST"])
@signed_in
def confirm_series_page(series_id: int):
    """Confirm every meeting of a series the other member proposed."""
    series = get_or_403(MeetingSeries, series_id, "participate")
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = confirm_series(series, actor=current_user)
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            ngettext("%(num)d meeting confirmed.", "%(num)d meetings confirmed.", count),
            "success",
        )
    return _pair_page(series.pair_id)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@signed_in
def cancel(meeting_id: int):
    """Cancel a planned meeting, or decline a proposed one, with a reason."""
    meeting = get_or_403(Meeting, meeting_id, "participate")
    if not meeting.is_planned:
        flash(
            _("A %(state)s meeting cannot be cancelled.", state=meeting.state.label.lower()),
            "error",
        )
        return _pair_page(meeting.pair_id, meeting.id)
    declining = (
        meeting.status == MeetingStatus.PROPOSED.value and meeting.proposed_by_id != current_user.id
    )
    form = CancelForm()

    def save() -> tuple[str, int]:
        cancel_meeting(meeting, form.reason.data or "", actor=current_user)
        return (_("Meeting declined.") if declining else _("Meeting cancelled.")), meeting.id

    return _save(form, meeting.pair_id, save) or render_template(
        "meetings/cancel.html",
        form=form,
        meeting=meeting,
        pair=meeting.pair,
        declining=declining,
        partner=other_member(meeting.pair, current_user),
    )


@bp.route("/meetings/<int:meeting_id>.ics")
@signed_in
def download_ics(meeting_id: int):
    """One meeting as an .ics file, for the pair's members, in the viewer's language."""
    meeting = get_or_403(Meeting, meeting_id, "participate")
    page_url = external_url("meetings.pair_page", pair_id=meeting.pair_id)
    body = render_event_file(calendar_event(meeting, page_url=page_url), gettext)
    filename = f"reverse-mentoring-{meeting.start_at:%Y-%m-%d}.ics"
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def _log_form_page(form: LogForm, meeting: Meeting, *, log=None):
    return render_template(
        "meetings/log_form.html",
        form=form,
        meeting=meeting,
        pair=meeting.pair,
        log=log,
        partner=other_member(meeting.pair, current_user),
        editable_until=log_editable_until(log) if log else None,
    )


def _filled_log_form(meeting: Meeting, own: MeetingLog | None = None) -> LogForm:
    """The log form with its choices; on GET, filled from one's log or a new log's defaults."""
    form = LogForm(obj=own if request.method == "GET" else None)
    form.topic_ids.choices = [(t.id, localized(t, "name")) for t in loggable_topics(meeting.pair)]
    form.goal_ids.choices = advanceable_goals(meeting.pair, current_user)
    if request.method == "GET":
        if own is None:
            form.outcome.data = LogOutcome.HELD.value
            form.actual_minutes.data = meeting.duration_minutes
        else:
            form.topic_ids.data = [topic.id for topic in own.topics]
            form.goal_ids.data = advanced_goal_ids(own)
    return form


def _refused_on_get(check: Callable[[], None], meeting: Meeting) -> Response | None:
    """On GET, back to the pair page with the reason when `check` refuses the form."""
    if request.method == "GET":
        return _refused(check, meeting.pair_id, meeting.id)
    return None


@bp.route("/meetings/<int:meeting_id>/log", methods=["GET", "POST"])
@signed_in
def log(meeting_id: int):
    """Log a meeting once it has ended: held or no-show, topics, notes, rating."""
    meeting = get_or_403(Meeting, meeting_id, "participate")
    if refused := _refused_on_get(lambda: check_can_log(meeting, current_user), meeting):
        return refused
    form = _filled_log_form(meeting)

    def save() -> tuple[str, int]:
        log_meeting(meeting, _entry(form), actor=current_user)
        return _("Thank you: your log is saved."), meeting.id

    try:
        saved = _save(form, meeting.pair_id, save)
    except IntegrityError:
        # The same log sent twice at once: the database keeps one (one per author).
        db.session.rollback()
        flash(_("You have already logged this meeting."), "info")
        return _pair_page(meeting.pair_id, meeting.id)
    return saved or _log_form_page(form, meeting)


@bp.route("/meetings/<int:meeting_id>/log/edit", methods=["GET", "POST"])
@signed_in
def edit_log_page(meeting_id: int):
    """Edit one's own log of a meeting, within 14 days of writing it."""
    meeting = get_or_403(Meeting, meeting_id, "participate")
    own = meeting.log_by(current_user.id)
    if own is None:
        abort(404)
    if refused := _refused_on_get(lambda: check_log_editable(own, current_user), meeting):
        return refused
    form = _filled_log_form(meeting, own)

    def save() -> tuple[str, int]:
        edit_log(own, _entry(form), actor=current_user)
        return _("Your log is updated."), meeting.id

    return _save(form, meeting.pair_id, save) or _log_form_page(form, meeting, log=own)


def _feed_urls(secret: str) -> tuple[str, str]:
    https = external_url("meetings.feed", secret=secret)
    return https, "webcal://" + https.split("://", 1)[1]


@bp.route("/calendar")
@signed_in
def calendar():
    """A person's upcoming meetings, pairs and personal calendar feed link."""
    person = current_user._get_current_object()
    token = feed_token_of(person)
    secret = feed_secret(token) if token else None
    feed_url, webcal_url = _feed_urls(secret) if secret else (None, None)
    pairs = pairs_of(person)
    return render_template(
        "meetings/calendar.html",
        token=token,
        feed_url=feed_url,
        webcal_url=webcal_url,
        pairs=pairs,
        meetings=upcoming_meetings_of(pairs),
        action_form=ActionForm(),
    )


@bp.route("/calendar/feed", methods=["POST"])
@signed_in
def reset_feed_page():
    """Create the calendar feed link, or reset it: the old link stops working at once."""
    if not ActionForm().validate_on_submit():
        abort(400)
    person = current_user._get_current_object()
    existed = feed_token_of(person) is not None
    try:
        reset_feed(person, actor=person)
        db.session.commit()
    except IntegrityError:
        # Two clicks at once both created a link: one stands, the other changes nothing.
        db.session.rollback()
        return redirect(url_for("meetings.calendar"))
    if existed:
        flash(
            _(
                "Your calendar link is reset: the old link no longer works. "
                "Subscribe again with the new one."
            ),
            "success",
        )
    else:
        flash(_("Your calendar link is ready: subscribe to it from your calendar app."), "success")
    return redirect(url_for("meetings.calendar"))


@bp.route("/calendar/<secret>.ics", methods=["GET"])
@public
def feed(secret: str):
    """A person's meetings as an iCalendar feed, for calendar apps (no sign-in: the
    secret in the URL is the key), in its owner's language. Answers 304 when the feed
    has not changed."""
    person = person_for_feed(secret)
    if person is None:
        abort(404)
    with force_locale(person_locale(person)):
        events = feed_events(
            person.id,
            page_url=lambda pair_id: external_url("meetings.pair_page", pair_id=pair_id),
        )
        etag = feed_etag(person, events)
        headers = {"Cache-Control": FEED_CACHE_CONTROL}
        # Weak comparison, as RFC 9110 asks for If-None-Match (proxies may weaken the tag).
        if request.if_none_match.contains_weak(etag):
            response = Response(status=304, headers=headers)
        else:
            body = render_feed(events, name=feed_name(person), _=gettext)
            response = Response(body, mimetype="text/calendar", headers=headers)
    response.set_etag(etag)
    return response
