"""Signals the cohorts domain sends, so domains above it can react without an import
circle (cohorts never imports matching or meetings)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent inside the transaction, before the status change is flushed, when a cohort is
# closed or cancelled: `cohort_ending.send(cohort, status=CohortStatus, actor=Person)`.
# Receivers flush their changes and never commit; a RuleViolation aborts the change.
cohort_ending = _signals.signal("cohort-ending")
