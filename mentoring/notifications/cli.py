"""`flask send-notifications`: queue what has become due, then send the outbox."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from mentoring.db import utcnow
from mentoring.extensions import db


@click.command("send-notifications")
@click.option(
    "--no-due",
    is_flag=True,
    help="Only send what is queued; do not look for reminders, nudges and digests.",
)
@with_appcontext
def send_notifications_command(no_due: bool) -> None:
    """Queue due reminders, nudges and digests, then send every queued email once.

    Run it from cron on one machine, e.g. every 10 minutes.
    """
    from mentoring.notifications.due import queue_due
    from mentoring.notifications.sender import send_queued

    now = utcnow()
    if not no_due:
        due = queue_due(now)
        db.session.commit()
        click.echo(
            f"Queued {due.total}: {due.invitation_reminders} invitation reminders, "
            f"{due.meeting_reminders} meeting reminders, {due.log_reminders} log reminders, "
            f"{due.nudges} nudges, {due.digests} digests."
        )
    report = send_queued(now=now)
    click.echo(f"Sent: {report.summary()}")
    for error in report.errors:
        click.echo(f"  {error}", err=True)
    if report.retrying:
        # Non-zero so cron's monitoring notices a mail server that is down; the emails
        # stay queued and the next run retries them.
        raise SystemExit(1)
