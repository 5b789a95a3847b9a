"""The home page: one section per role the person holds."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mentoring.auth.views import safe_next_url
from mentoring.config import LOCALES
from mentoring.db import utcnow
from mentoring.errors import render_error
from mentoring.extensions import db
from mentoring.i18n import LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE
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
from mentoring.people.services import set_own_locale
from mentoring.permissions import public, signed_in


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


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """The language switch: remember the choice (on the person when signed in, and in a
    cookie) and go back to the page it was made on."""
    locale = request.form.get("locale", "")
    if locale not in LOCALES:
        return render_error(
            400,
            _(
                "The language %(value)s is not available: choose English (en) or French (fr).",
                value=repr(locale[:20]),
            ),
        )
    if current_user.is_authenticated:
        set_own_locale(current_user._get_current_object(), locale)
        db.session.commit()
    response = redirect(safe_next_url(request.form.get("next")) or url_for("main.home"))
    response.set_cookie(
        LOCALE_COOKIE,
        locale,
        max_age=LOCALE_COOKIE_MAX_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
