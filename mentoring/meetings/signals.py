"""Signals the meetings domain sends, so the email domain (above it) can react without
meetings importing it. Receivers run synchronously, inside the caller's transaction."""

from blinker import Namespace

signals = Namespace()

# A meeting was proposed, confirmed, moved (new time or place) or cancelled, already
# flushed with its new SEQUENCE: sender is the Meeting; keywords `change` (one of
# "proposed", "confirmed", "moved", "cancelled") and `actor` (a Person, or None).
meeting_changed = signals.signal("meeting-changed")

# A series was proposed or confirmed as a whole: sender is the MeetingSeries; keywords
# `change` ("proposed" or "confirmed"), `actor` and `meetings` (those it concerns).
series_changed = signals.signal("series-changed")
