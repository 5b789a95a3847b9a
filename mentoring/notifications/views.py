"""Email settings, one-click unsubscribe, and HR's "remind this pair"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from mentoring.cohorts.forms import ConfirmForm
from mentoring.config import LOCALES
from mentoring.extensions import csrf, db
from mentoring.i18n import LOCALE_COOKIE, person_locale, select_locale
from mentoring.matching.models import Pair, PairStatus
from mentoring.notifications import bp
from mentoring.notifications.content import read_unsubscribe_token
from mentoring.notifications.forms import EmailSettingsForm
from mentoring.notifications.meeting_emails import remind_pair as remind_pair_service
from mentoring.notifications.services import preference_of, set_preferences
from mentoring.people.models import Person, Role
from mentoring.permissions import get_or_403, public, roles_required, signed_in


@bp.route("/account/email", methods=["GET", "POST"])
@signed_in
def settings():
    """Turn meeting reminders and nudges on or off."""
    person = current_user._get_current_object()
    preference = preference_of(person)
    form = EmailSettingsForm(
        data=None
        if request.method == "POST"
        else {"reminders": preference.reminders, "nudges": preference.nudges}
    )
    if form.validate_on_submit():
        changed = set_preferences(person, reminders=form.reminders.data, nudges=form.nudges.data)
        db.session.commit()
        flash(_("Your email settings are saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)


@bp.route("/email/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the key; mail clients post List-Unsubscribe=One-Click
@public
def unsubscribe(token: str):
    """Turn one kind of optional email off from a link in the email itself."""
    found = read_unsubscribe_token(token)
    person = db.session.get(Person, found[0]) if found else None
    if found is None or person is None:
        return render_template("notifications/unsubscribe.html", invalid=True), 404
    category = found[1]
    done = False
    if request.method == "POST":
        preference = preference_of(person)
        set_preferences(
            person,
            reminders=False if category == "reminders" else preference.reminders,
            nudges=False if category == "nudges" else preference.nudges,
        )
        db.session.commit()
        done = True
    # The link comes from an email written in the person's language: the page answers in
    # it too, unless this browser chose a language (signed in, or with the switch).
    chose = current_user.is_authenticated or request.cookies.get(LOCALE_COOKIE) in LOCALES
    with force_locale(select_locale() if chose else person_locale(person)):
        return render_template(
            "notifications/unsubscribe.html",
            done=done,
            category=category,
            invalid=False,
            token=token,
        )


@bp.route("/pairs/<int:pair_id>/remind", methods=["POST"])
@roles_required(Role.ADMIN)
def remind_pair(pair_id: int):
    """HR nudges both members of a pair by email now."""
    pair = get_or_403(Pair, pair_id, "manage")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if pair.status != PairStatus.ACTIVE.value:
        flash(_("This pair has ended: there is nobody to remind."), "error")
    else:
        queued = remind_pair_service(pair, actor=current_user._get_current_object())
        db.session.commit()
        names = {"mentor": pair.mentor.person.name, "mentee": pair.mentee.person.name}
        if queued == 2:
            flash(_("A reminder is on its way to %(mentor)s and %(mentee)s.", **names), "success")
        elif queued == 1:
            flash(
                _(
                    "A reminder is on its way to one of %(mentor)s and %(mentee)s; the other "
                    "was reminded today already or turned nudges off.",
                    **names,
                ),
                "success",
            )
        else:
            flash(
                _(
                    "No reminder sent: %(mentor)s and %(mentee)s were reminded today already "
                    "or turned nudges off.",
                    **names,
                ),
                "info",
            )
    return redirect(url_for("matching.pairs", cohort_id=pair.cohort_id, status="overdue"))
