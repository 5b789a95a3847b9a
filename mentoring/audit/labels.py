"""What the audit log shows HR for each recorded action, subject and detail, in the
reader's language; codes stay in the database."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Every action the app records; one missing here shows its code, tidied.
ACTION_LABELS = {
    "agreement.accepted": _l("Agreement accepted"),
    "agreement.updated": _l("Agreement edited"),
    "auth.invitation_accepted": _l("Invitation accepted"),
    "auth.invitation_emailed": _l("Invitation emailed"),
    "auth.invitation_link_copied": _l("Invitation link shown to copy"),
    "auth.password_changed": _l("Password changed"),
    "auth.password_reset": _l("Password reset"),
    "auth.reset_link_emailed": _l("Password reset link emailed"),
    "auth.sign_in_failed": _l("Failed sign-in"),
    "auth.signed_in": _l("Signed in"),
    "calendar.feed_created": _l("Calendar feed created"),
    "calendar.feed_reset": _l("Calendar feed link renewed"),
    "calendar.feed_revoked": _l("Calendar feed revoked"),
    "cohort.cancelled": _l("Cohort cancelled"),
    "cohort.created": _l("Cohort created"),
    "cohort.status_changed": _l("Cohort status changed"),
    "cohort.updated": _l("Cohort settings edited"),
    "curriculum.goal_template_created": _l("Goal template added"),
    "curriculum.goal_template_restored": _l("Goal template restored"),
    "curriculum.goal_template_retired": _l("Goal template retired"),
    "curriculum.goal_template_updated": _l("Goal template edited"),
    "curriculum.topic_created": _l("Topic added"),
    "curriculum.topic_moved": _l("Topic moved"),
    "curriculum.topic_restored": _l("Topic restored"),
    "curriculum.topic_retired": _l("Topic retired"),
    "curriculum.topic_updated": _l("Topic edited"),
    "enrollment.created": _l("Participant enrolled"),
    "enrollment.removed": _l("Participant removed from a cohort"),
    "enrollment.updated": _l("Enrollment edited"),
    "matching.pair_assigned": _l("Pair assigned by hand"),
    "matching.pair_forbidden": _l("Pair forbidden"),
    "matching.pair_locked": _l("Pair locked"),
    "matching.pair_unlocked": _l("Pair unlocked"),
    "matching.published": _l("Matching published"),
    "matching.run": _l("Matching run"),
    "matching.weights_set": _l("Matching weights set"),
    "meeting.cancelled": _l("Meeting cancelled"),
    "meeting.declined": _l("Meeting declined"),
    "pair.created_by_hand": _l("Pair created by hand"),
    "pair.end_request_declined": _l("Request to end a pair declined"),
    "pair.end_requested": _l("Ending a pair requested"),
    "pair.ended": _l("Pair ended"),
    "pair.reminded": _l("Pair reminded"),
    "participants.imported": _l("Participants imported"),
    "person.created": _l("Person added to the directory"),
    "person.deactivated": _l("Person deactivated"),
    "person.erased": _l("Person erased"),
    "person.exported": _l("Personal data downloaded"),
    "person.reactivated": _l("Person reactivated"),
    "person.role_granted": _l("Role granted"),
    "person.role_revoked": _l("Role withdrawn"),
    "person.updated": _l("Person's details edited"),
    "report.exported": _l("Report exported"),
    "retention.applied": _l("Retention period applied"),
}

# What an event is about (its table); others show the table's name, tidied.
SUBJECT_LABELS = {
    "agreement_acceptance": _l("agreement acceptance"),
    "cohort": _l("cohort"),
    "cohort_agreement": _l("agreement"),
    "end_request": _l("request to end a pair"),
    "enrollment": _l("enrollment"),
    "feed_token": _l("calendar feed"),
    "goal": _l("goal"),
    "goal_template": _l("goal template"),
    "invitation": _l("invitation"),
    "match_run": _l("matching run"),
    "meeting": _l("meeting"),
    "meeting_series": _l("meeting series"),
    "pair": _l("pair"),
    "participant_import": _l("participants file"),
    "person": _l("person"),
    "topic": _l("topic"),
}

# The names of the details recorded with an event; others show their code, tidied.
DETAIL_LABELS = {
    "agendas": _l("agendas"),
    "changed": _l("fields changed"),
    "cohort": _l("cohort"),
    "cohorts": _l("cohorts"),
    "direction": _l("direction"),
    "email": _l("email"),
    "emails": _l("emails"),
    "enrollments_created": _l("enrollments created"),
    "enrollments_unchanged": _l("enrollments unchanged"),
    "enrollments_updated": _l("enrollments updated"),
    "feedback": _l("feedback"),
    "fields": _l("fields"),
    "file": _l("file"),
    "filters": _l("filters"),
    "import_id": _l("import"),
    "invitations": _l("invitations"),
    "mentee": _l("mentee"),
    "mentor": _l("mentor"),
    "min_score": _l("minimum score"),
    "months": _l("months"),
    "name": _l("name"),
    "note": _l("note"),
    "notes": _l("notes"),
    "pair_id": _l("pair"),
    "pairs": _l("pairs"),
    "people_added": _l("people added"),
    "people_unchanged": _l("people unchanged"),
    "people_updated": _l("people updated"),
    "person": _l("person"),
    "person_id": _l("person"),
    "position": _l("position"),
    "previous": _l("previous status"),
    "reason": _l("reason"),
    "request": _l("request"),
    "role": _l("role"),
    "roles": _l("roles"),
    "run": _l("run"),
    "side": _l("side"),
    "status": _l("status"),
    "table": _l("table"),
    "title": _l("template title"),
    "topic_id": _l("topic"),
    "total_score": _l("total score"),
    "unmatched": _l("unmatched"),
    "version": _l("version"),
    "warnings": _l("warnings"),
    "weights": _l("weights"),
}


def _tidy(code: str) -> str:
    return code.replace(".", ": ").replace("_", " ")


def action_label(action: str) -> str:
    """An action as HR reads it ("Cohort created"), its tidied code when unknown."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else _tidy(action)


def subject_label(subject_type: str) -> str:
    """What kind of thing an event is about ("cohort"), in the reader's language."""
    label = SUBJECT_LABELS.get(subject_type)
    return str(label) if label is not None else _tidy(subject_type)


def detail_label(key: str) -> str:
    """The name of a recorded detail ("previous status"), in the reader's language."""
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else _tidy(key)


# Details that hold an identifier: shown as recorded, never as a formatted number.
_IDS = frozenset(
    {"cohort", "import_id", "pair_id", "person", "person_id", "run", "topic_id", "version"}
)


def detail_value(key: str, value: object) -> str:
    """A recorded detail's value as HR reads it: a cohort status or a side in the reader's
    language, anything else as recorded."""
    from mentoring.cohorts.models import CohortStatus, Side  # cohorts records into audit
    from mentoring.i18n import format_number
    from mentoring.matching.models import EndReason

    if key in ("previous", "status") and isinstance(value, str) and value in set(CohortStatus):
        return CohortStatus(value).label
    if key == "side" and isinstance(value, str) and value in set(Side):
        return Side(value).label
    if key == "reason" and isinstance(value, str) and value in set(EndReason):
        return EndReason(value).label
    if isinstance(value, int | float) and not isinstance(value, bool) and key not in _IDS:
        return format_number(value, 0 if float(value).is_integer() else 1)
    if key == "direction" and value in ("up", "down"):
        return str(_l("up") if value == "up" else _l("down"))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
