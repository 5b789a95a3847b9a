"""What an email says: rendering from templates, external links, unsubscribe tokens.

Emails are rendered when they are sent, from the outbox row's payload (object ids and
the snapshot a calendar invitation needs), so no credential sits in the database; and in
the recipient's language, whoever triggered them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer

from mentoring.i18n import person_locale
from mentoring.notifications.models import Notification
from mentoring.people.models import Person
from mentoring.web import external_url

UNSUBSCRIBE_CATEGORIES = ("reminders", "nudges")


@dataclass(frozen=True)
class EmailContent:
    """A rendered email: subject, text and HTML bodies, maybe a calendar invitation."""

    subject: str
    text: str
    html: str
    calendar: bytes | None = None
    calendar_method: str = "REQUEST"
    unsubscribe_url: str | None = None


@dataclass(frozen=True)
class Skip:
    """The email is no longer relevant (the meeting moved, the invitation was used ...)."""

    reason: str


Builder = Callable[[Notification, Person], EmailContent | Skip]
BUILDERS: dict[str, Builder] = {}


def builder(kind: str) -> Callable[[Builder], Builder]:
    """Register the function that renders one kind of email."""

    def register(function: Builder) -> Builder:
        BUILDERS[kind] = function
        return function

    return register


def one_line(text: str) -> str:
    """Text fit for a header: every line break and control character becomes a space."""
    cleaned = "".join(" " if ord(char) < 32 or ord(char) == 127 else char for char in text or "")
    # Collapse plain spaces only: French keeps its no-break spaces ("Demain\u00a0:").
    return re.sub(" +", " ", cleaned).strip(" ")


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="email-unsubscribe")


def unsubscribe_token(person: Person, category: str) -> str:
    """A token that turns one category of optional email off for one person."""
    return _unsubscribe_serializer().dumps([person.id, category])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The person id and category a token stands for, or None when forged."""
    try:
        person_id, category = _unsubscribe_serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(person_id, int) or category not in UNSUBSCRIBE_CATEGORIES:
        return None
    return person_id, category


def render(
    template: str,
    subject: str,
    recipient: Person,
    *,
    category: str | None = None,
    **context: Any,
) -> EmailContent:
    """Render templates/email/<template>.txt and .html for a recipient."""
    settings_url = external_url("notifications.settings")
    unsubscribe_url = (
        external_url("notifications.unsubscribe", token=unsubscribe_token(recipient, category))
        if category
        else None
    )
    values = {
        "recipient": recipient,
        "subject": subject,
        "home_url": external_url("main.home"),
        "settings_url": settings_url if category else None,
        "unsubscribe_url": unsubscribe_url,
        "category": category,
        **context,
    }
    env = current_app.jinja_env
    text = env.get_template(f"email/{template}.txt").render(values)
    html = env.get_template(f"email/{template}.html").render(values)
    return EmailContent(
        subject=subject,
        text=text,
        html=html,
        unsubscribe_url=unsubscribe_url,
        calendar=context.get("calendar"),
        calendar_method=context.get("calendar_method", "REQUEST"),
    )


def render_notification(notification: Notification) -> EmailContent | Skip:
    """The email an outbox row stands for, in its recipient's language, or Skip when it
    no longer makes sense."""
    from mentoring.notifications import emails  # noqa: F401 - registers the builders
    from mentoring.notifications.services import accepts

    recipient = notification.recipient
    if recipient is None:
        return Skip("The person no longer exists.")
    if not recipient.is_active:
        return Skip("The person is deactivated.")
    if not accepts(recipient, notification.kind):
        return Skip("The person turned this kind of email off.")
    # Subject, bodies and calendar part are all worded inside the recipient's language,
    # not the language of whoever triggered the email (HR, the other member, cron).
    with force_locale(person_locale(recipient)):
        return BUILDERS[notification.kind](notification, recipient)
