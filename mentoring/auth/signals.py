"""Signals the accounts domain sends, so the email domain (above it) can react without
auth importing it. Receivers run synchronously, inside the caller's transaction."""

from blinker import Namespace

signals = Namespace()

# HR asked for an invitation to be emailed: sender is the Invitation; keyword `actor`.
invitation_send_requested = signals.signal("invitation-send-requested")

# Someone asked for a password reset link for this account (the forgot-password form,
# or HR on the person's page): sender is the Person; keyword `actor` (None: themselves).
password_reset_requested = signals.signal("password-reset-requested")
