"""Email: the outbox, what becomes due, and delivery through Flask-Mailman.

Notifications sit at the top of the domains (beside main): lower domains never import
them; they send blinker signals that `receivers` turns into outbox rows inside the
caller's transaction.
"""

from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__)


def init_app(app: Flask) -> None:
    """Bind the mail extension, connect the signal receivers, and the immediate sender."""
    from mentoring.notifications import receivers, sender
    from mentoring.notifications.cli import send_notifications_command

    sender.mail.init_app(app)
    app.cli.add_command(send_notifications_command)
    receivers.connect()
    sender.install_immediate_sending(app)
    # HR's pages below this domain (people) show what became of their emails through
    # these, without importing the email domain.
    from mentoring.notifications.services import (
        bounced_notifications,
        invitation_deliveries,
        preference_of,
    )

    app.jinja_env.globals.update(
        invitation_deliveries=invitation_deliveries,
        email_bounces=bounced_notifications,
        email_preference_of=preference_of,
    )
