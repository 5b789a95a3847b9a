"""The audit log, for HR."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mentoring.audit import bp
from mentoring.audit.labels import action_label, detail_label, detail_value, subject_label
from mentoring.audit.models import AuditEvent
from mentoring.extensions import db
from mentoring.pagination import choice_arg, paginate
from mentoring.people.models import Role
from mentoring.permissions import roles_required


def subject_names(events) -> dict[tuple[str, int], str]:
    """Readable names of the people and cohorts a page of events is about (two queries)."""
    from mentoring.cohorts.models import Cohort
    from mentoring.people.models import Person

    wanted: dict[str, set[int]] = {"person": set(), "cohort": set()}
    for event in events:
        if event.subject_type in wanted and event.subject_id is not None:
            wanted[event.subject_type].add(event.subject_id)
    names: dict[tuple[str, int], str] = {}
    for kind, model in (("person", Person), ("cohort", Cohort)):
        if wanted[kind]:
            for ident, name in db.session.execute(
                select(model.id, model.name).where(model.id.in_(wanted[kind]))
            ):
                names[(kind, ident)] = name
    return names


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    """Sensitive actions, newest first, filterable by action."""
    codes = list(db.session.scalars(select(AuditEvent.action).distinct()))
    actions = sorted(codes, key=lambda code: action_label(code).casefold())
    action = choice_arg("action", set(actions))
    statement = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if action:
        statement = statement.where(AuditEvent.action == action)
    pagination = paginate(statement)
    return render_template(
        "audit/index.html",
        pagination=pagination,
        actions=actions,
        action=action,
        subjects=subject_names(pagination.items),
        action_label=action_label,
        subject_label=subject_label,
        detail_label=detail_label,
        detail_value=detail_value,
    )
