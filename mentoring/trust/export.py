"""The personal data export: what the app holds about one person, as JSON (no Flask).

The builder takes what the services loaded and keeps only the person's own data: their
logs and goals, never the other member's notes, ratings or feedback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

EXPORT_FORMAT = "reverse-mentoring-personal-data/1"
# Why private text is missing from an export HR made for the person.
LEFT_OUT = (
    "HR made this export. Private notes, feedback not shared with HR and private meeting "
    "agendas are left out: they belong to the pair, and only the person can download "
    "them, with “Download my data” on their own profile."
)


def _when(value: datetime | date | None) -> str | None:
    """ISO 8601 text of a date or a UTC time (None stays None)."""
    return value.isoformat() if value is not None else None


@dataclass
class ExportSources:
    """Everything loaded for one person's export (ORM objects or look-alikes)."""

    person: Any
    roles: list[str]
    manager_name: str | None
    enrollments: list[Any] = field(default_factory=list)
    pairs: list[Any] = field(default_factory=list)
    meetings: list[Any] = field(default_factory=list)
    logs: list[Any] = field(default_factory=list)
    goals: list[Any] = field(default_factory=list)
    goals_advanced: Mapping[int, list[int]] = field(default_factory=dict)
    self_assessments: list[Any] = field(default_factory=list)
    acceptances: list[Any] = field(default_factory=list)
    end_requests: list[Any] = field(default_factory=list)
    audit_events: list[Any] = field(default_factory=list)
    feed_token_created_at: datetime | None = None


def _profile(sources: ExportSources) -> dict[str, Any]:
    person = sources.person
    return {
        "id": person.id,
        "email": person.email,
        "name": person.name,
        "department": person.department,
        "title": person.title,
        "seniority_level": person.seniority_level,
        "manager": sources.manager_name,
        "timezone": person.timezone,
        "languages": list(person.languages),
        "site": person.site,
        "bio": person.bio,
        "roles": sorted(sources.roles),
        "account_active": person.is_active,
        "created_at": _when(person.created_at),
        "last_sign_in_at": _when(person.last_login_at),
        "deactivated_at": _when(person.deactivated_at),
        "calendar_feed_created_at": _when(sources.feed_token_created_at),
    }


def _enrollment(enrollment: Any) -> dict[str, Any]:
    return {
        "id": enrollment.id,
        "cohort": enrollment.cohort.name,
        "side": enrollment.side,
        "status": enrollment.status,
        "capacity": enrollment.capacity,
        "topics": [topic.name for topic in enrollment.topics],
        "availability": list(enrollment.availability),
        "created_at": _when(enrollment.created_at),
    }


def _pair(pair: Any, person_id: int) -> dict[str, Any]:
    mine, other = (
        (pair.mentor, pair.mentee)
        if pair.mentor.person_id == person_id
        else (pair.mentee, pair.mentor)
    )
    # The end reason is left out: the other member is told only that the pair ended.
    return {
        "id": pair.id,
        "cohort": pair.cohort.name,
        "your_side": mine.side,
        "other_member": other.person.name,
        "status": pair.status,
        "created_at": _when(pair.created_at),
        "ended_at": _when(pair.ended_at),
    }


def _meeting(meeting: Any, person_id: int, *, private: bool) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "pair_id": meeting.pair_id,
        "start_at": _when(meeting.start_at),
        "end_at": _when(meeting.end_at),
        "status": meeting.status,
        "location": meeting.location,
        "video_url": meeting.video_url,
        "agenda": meeting.agenda if private or not meeting.agenda_private else None,
        "agenda_private": meeting.agenda_private,
        "proposed_by_you": meeting.proposed_by_id == person_id,
        "cancel_reason": meeting.cancel_reason,
    }


def _log(log: Any, goals_advanced: Mapping[int, list[int]], *, private: bool) -> dict[str, Any]:
    return {
        "id": log.id,
        "meeting_id": log.meeting_id,
        "outcome": log.outcome,
        "actual_minutes": log.actual_minutes,
        "private_notes": log.private_notes if private else None,
        "rating": log.rating,
        "feedback": log.feedback if private or log.feedback_shareable else None,
        "feedback_shared_with_hr": log.feedback_shareable,
        "topics": [topic.name for topic in log.topics],
        "goals_advanced": list(goals_advanced.get(log.id, [])),
        "created_at": _when(log.created_at),
        "updated_at": _when(log.updated_at),
    }


def _goal(goal: Any) -> dict[str, Any]:
    return {
        "id": goal.id,
        "pair_id": goal.pair_id,
        "title": goal.title,
        "description": goal.description,
        "topic": goal.topic.name if goal.topic else None,
        "status": goal.status,
        "target_date": _when(goal.target_date),
        "drop_reason": goal.drop_reason,
        "evidence_kind": goal.evidence_kind,
        "evidence_url": goal.evidence_url,
        "evidence_attested": goal.evidence_attested,
        "evidence_note": goal.evidence_note,
        "completed_at": _when(goal.completed_at),
        "created_at": _when(goal.created_at),
        "milestones": [
            {"title": milestone.title, "done_at": _when(milestone.done_at)}
            for milestone in goal.milestones
        ],
    }


def _assessment(assessment: Any) -> dict[str, Any]:
    return {
        "cohort": assessment.enrollment.cohort.name,
        "topic": assessment.topic.name,
        "phase": assessment.phase,
        "confidence": assessment.confidence,
        "updated_at": _when(assessment.updated_at),
    }


def _audit(event: Any, person_id: int) -> dict[str, Any]:
    if event.actor_id is None:
        actor = "the system"
    elif event.actor_id == person_id:
        actor = "you"
    else:
        actor = event.actor.name if event.actor else "someone"
    return {
        "at": _when(event.created_at),
        "action": event.action,
        "by": actor,
        "details": dict(event.details or {}),
    }


def build_export(
    sources: ExportSources, *, generated_at: datetime, by_someone_else: bool = False
) -> dict[str, Any]:
    """The person's data as one JSON-ready mapping, with only their own logs and goals.

    Made by someone else (HR, on the person's request), it leaves out the pair's private
    text: notes, feedback not shared with HR and private agendas."""
    person_id = sources.person.id
    private = not by_someone_else
    own_logs: Iterable[Any] = (log for log in sources.logs if log.author_id == person_id)
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _when(generated_at),
        **({} if private else {"left_out": LEFT_OUT}),
        "profile": _profile(sources),
        "enrollments": [_enrollment(enrollment) for enrollment in sources.enrollments],
        "pairs": [_pair(pair, person_id) for pair in sources.pairs],
        "agreement_acceptances": [
            {"pair_id": row.pair_id, "version": row.version, "accepted_at": _when(row.accepted_at)}
            for row in sources.acceptances
        ],
        "end_requests": [
            {
                "pair_id": row.pair_id,
                "reason": row.reason,
                "created_at": _when(row.created_at),
                "resolution": row.resolution,
                "resolved_at": _when(row.resolved_at),
            }
            for row in sources.end_requests
        ],
        "meetings": [_meeting(meeting, person_id, private=private) for meeting in sources.meetings],
        "your_meeting_logs": [
            _log(log, sources.goals_advanced, private=private) for log in own_logs
        ],
        "your_goals": [_goal(goal) for goal in sources.goals],
        "your_self_assessments": [_assessment(row) for row in sources.self_assessments],
        "audit_events_about_you": [_audit(event, person_id) for event in sources.audit_events],
    }
