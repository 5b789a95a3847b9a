"""Signals the people domain sends, so the domains above it can react to what happens to
a person without people importing them (domains import downwards only)."""

from blinker import Namespace

signals = Namespace()

# Sent by `deactivate_person` once the person is marked inactive and their sessions are
# revoked, inside the caller's transaction: sender is the Person; keyword argument `actor`.
# Receivers revoke whatever else lets the person in (calendar feed secrets); one that
# raises aborts the deactivation.
person_deactivated = signals.signal("person-deactivated")
