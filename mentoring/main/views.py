"""The home page: one section per role the person holds."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from mentoring.db import utcnow
from mentoring.main import bp
from mentoring.main.services import (
    adoption_figures,
    cohort_health,
    headline_figures,
    hr_attention,
    participant_home,
    person_counts,
)
from mentoring.people.models import Role
from mentoring.permissions import signed_in


@bp.route("/")
@signed_in
def home():
    """Show each role the person holds its own section of the home page."""
    person = current_user._get_current_object()
    now = utcnow()
    context: dict = {"now": now}
    if person.has_role(Role.ADMIN):
        context["health"] = cohort_health(now)
        context["people"] = person_counts()
        context["attention"] = hr_attention()
    if person.has_role(Role.MENTOR, Role.MENTEE):
        context["mine"] = participant_home(person, now)
    if person.has_role(Role.LEADER):
        context["headline"] = headline_figures()
        context["adoption"] = adoption_figures(now)
    return render_template("main/home.html", person=person, **context)
