"""Recording audit events."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from mentoring.audit.models import AuditEvent
from mentoring.extensions import db
from mentoring.people.models import Person


def record_event(
    action: str,
    *,
    actor: Person | None,
    subject: Any = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the session (the caller's transaction commits it)."""
    event = AuditEvent(
        action=action,
        actor=actor,
        subject_type=type(subject).__tablename__ if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        details=details,
        remote_addr=(request.remote_addr or "") if has_request_context() else "",
    )
    db.session.add(event)
    db.session.flush()
    return event
