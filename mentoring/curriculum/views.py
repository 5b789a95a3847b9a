"""Browsing the curriculum."""

from __future__ import annotations

from flask import render_template

from mentoring.curriculum import bp
from mentoring.curriculum.services import list_topics
from mentoring.people.models import Role
from mentoring.permissions import roles_required


@bp.route("/")
@roles_required(Role.ADMIN, Role.MENTOR, Role.MENTEE)
def index():
    """List the topics in scope with their goal templates and milestones."""
    return render_template("curriculum/index.html", topics=list_topics())
