"""The home page and the health check."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from mentoring.main import bp
from mentoring.main.services import (
    cohort_summaries,
    headline_figures,
    my_enrollments,
    person_counts,
)
from mentoring.matching.access import pairs_of
from mentoring.people.models import Role
from mentoring.permissions import signed_in


@bp.route("/")
@signed_in
def home():
    """Show each role the person holds its own section of the home page."""
    person = current_user._get_current_object()
    context: dict = {}
    if person.has_role(Role.ADMIN):
        context["cohorts"] = cohort_summaries()
        context["people"] = person_counts()
    if person.has_role(Role.MENTOR, Role.MENTEE):
        context["enrollments"] = my_enrollments(person)
        context["pairs"] = pairs_of(person, active_only=True)
    if person.has_role(Role.LEADER):
        context["headline"] = headline_figures()
    return render_template("main/home.html", person=person, Role=Role, **context)
