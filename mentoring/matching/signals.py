"""Signals the matching domain sends, so the domains above it can react to what happens
to a pair without matching importing them (domains import downwards only)."""

from blinker import Namespace

signals = Namespace()

# Sent by `end_pair` once the pair is marked ended, before its audit event, inside the
# caller's transaction: sender is the Pair; keyword arguments `reason` (an EndReason)
# and `actor` (the Person ending it). A receiver that raises aborts the ending.
pair_ended = signals.signal("pair-ended")

# Sent by `publish` once the run's pairs are flushed, inside the caller's transaction:
# sender is the published MatchRun; keyword argument `actor`. The email domain queues
# "you have been matched" for both members of each pair.
run_published = signals.signal("run-published")

# Sent when HR pairs one person by hand (re-match), inside the caller's transaction:
# sender is the new Pair; keyword argument `actor`.
pair_created = signals.signal("pair-created")
