"""Deliver the outbox through Flask-Mailman: each email once, failures classified.

A row is claimed (its next attempt pushed into the future) and committed before the
SMTP conversation, so two runs at once never send the same email; its outcome is
committed right after, so a crash later in the run does not send it again.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formataddr

from flask import Flask, current_app, g, has_app_context
from flask_mailman import EmailMultiAlternatives, Mail
from flask_mailman.message import SafeMIMEText
from sqlalchemy import event, select, update

from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.notifications.content import EmailContent, Skip, one_line, render_notification
from mentoring.notifications.models import Notification, NotificationState

mail = Mail()
log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)
CLAIM_FOR = timedelta(minutes=10)


class CalendarEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative carries its iTIP method (REQUEST, CANCEL)."""

    calendar_method = "REQUEST"

    def _create_mime_attachment(self, content, mimetype):
        if mimetype == "text/calendar":
            encoding = self.encoding or current_app.extensions["mailman"].default_charset
            part = SafeMIMEText(content, "calendar", encoding)
            part.set_param("method", self.calendar_method)
            return part
        return super()._create_mime_attachment(content, mimetype)


@dataclass
class DeliveryReport:
    """What one run of the sender did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the cron log."""
        return (
            f"{self.sent} sent, {self.retrying} to retry later, {self.failed} failed for good, "
            f"{self.skipped} no longer relevant."
        )


class PermanentFailure(Exception):
    """The server refused this email for good (5xx on the recipient or the message)."""


def classify(error: Exception) -> type[Exception]:
    """PermanentFailure for a 5xx about the recipient or message; anything else is temporary."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return PermanentFailure if codes and all(code >= 500 for code in codes) else OSError
    if isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500:
        return PermanentFailure
    return OSError


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the given number of failed attempts: 5 min, 10, 20 ... up to 6 h."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def build_message(notification: Notification, content: EmailContent, connection) -> CalendarEmail:
    """The MIME email: text, HTML and calendar parts, headers free of line breaks."""
    recipient = notification.recipient
    name = one_line(recipient.name if recipient else "")
    to = formataddr((name, one_line(notification.to_address)))
    headers = {"Auto-Submitted": "auto-generated"}
    if content.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{content.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = CalendarEmail(
        subject=one_line(content.subject),
        body=content.text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[to],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(content.html, "text/html")
    if content.calendar is not None:
        message.calendar_method = content.calendar_method
        calendar_text = content.calendar.decode("utf-8")
        message.attach_alternative(calendar_text, "text/calendar")
        message.attach("invitation.ics", content.calendar, "application/ics")
    return message


def _claim(notification_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.state == NotificationState.QUEUED.value,
            Notification.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + CLAIM_FOR)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _record(notification: Notification, error: Exception, permanent: bool, now: datetime) -> None:
    notification.attempts += 1
    notification.last_error = f"{type(error).__name__}: {error}"[:500]
    if permanent or notification.attempts >= MAX_ATTEMPTS:
        notification.state = NotificationState.FAILED.value
        notification.failed_at = now
    else:
        notification.next_attempt_at = now + retry_delay(notification.attempts)


def deliver_one(notification: Notification, connection, report: DeliveryReport) -> None:
    """Render and send one claimed email, recording its outcome (the caller commits)."""
    now = utcnow()
    notification_id = notification.id
    try:
        content = render_notification(notification)
    except Exception as error:  # noqa: BLE001 - a broken email must not stop the others
        log.exception("could not render notification %s", notification_id)
        db.session.rollback()  # the failure may have broken the transaction
        notification = db.session.get(Notification, notification_id)
        _record(notification, error, True, now)
        report.failed += 1
        report.errors.append(f"#{notification.id} {notification.kind}: {error}")
        return
    if isinstance(content, Skip):
        notification.state = NotificationState.SKIPPED.value
        notification.last_error = content.reason[:500]
        report.skipped += 1
        return
    try:
        build_message(notification, content, connection).send(fail_silently=False)
    except (smtplib.SMTPException, OSError, ValueError) as error:
        permanent = isinstance(error, ValueError) or classify(error) is PermanentFailure
        _record(notification, error, permanent, now)
        if notification.state == NotificationState.FAILED.value:
            report.failed += 1
        else:
            report.retrying += 1
        report.errors.append(
            f"#{notification.id} {notification.kind} to {notification.to_address}: {error}"
        )
        return
    notification.attempts += 1
    notification.state = NotificationState.SENT.value
    notification.sent_at = now
    notification.last_error = ""
    report.sent += 1


def send_queued(
    *, now: datetime | None = None, ids: list[int] | None = None, limit: int = 500
) -> DeliveryReport:
    """Send the queued emails whose time has come; each is committed on its own."""
    now = now or utcnow()
    report = DeliveryReport()
    statement = (
        select(Notification.id)
        .where(
            Notification.state == NotificationState.QUEUED.value,
            Notification.next_attempt_at <= now,
        )
        .order_by(Notification.id)
        .limit(limit)
    )
    if ids is not None:
        statement = statement.where(Notification.id.in_(ids))
    candidates = list(db.session.scalars(statement))
    db.session.commit()
    connection = mail.get_connection(fail_silently=False)
    for notification_id in candidates:
        if not _claim(notification_id, now):
            continue  # another run took it
        notification = db.session.get(Notification, notification_id)
        deliver_one(notification, connection, report)
        db.session.commit()
    return report


def install_immediate_sending(app: Flask) -> None:
    """With MAIL_SEND_IMMEDIATELY, send what a request queued once its commit succeeded."""
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_rollback", _after_rollback)

    @app.after_request
    def _send_after_commit(response):
        ids = g.pop("notifications_committed", None)
        if ids:
            try:
                send_queued(ids=ids)
            except Exception:  # noqa: BLE001 - cron delivers what this could not
                log.exception("immediate sending failed; the queue keeps the emails")
                db.session.rollback()
        return response


def _after_commit(session) -> None:
    queued = session.info.pop("queued_notifications", None)
    if queued and has_app_context():
        g.setdefault("notifications_committed", []).extend(queued)


def _after_rollback(session) -> None:
    session.info.pop("queued_notifications", None)
