"""How pairs follow their cohort's lifecycle: closing or cancelling a cohort ends the
pairs still running (and, through `end_pair`, cancels their future meetings)."""

from __future__ import annotations

from sqlalchemy import select

from mentoring.cohorts.models import Cohort, CohortStatus
from mentoring.cohorts.signals import cohort_ending
from mentoring.extensions import db
from mentoring.matching.models import EndReason, Pair, PairStatus
from mentoring.matching.services import end_pair
from mentoring.people.models import Person

# Why each way of ending a cohort ends its pairs, and the note the pair keeps.
_ENDINGS: dict[CohortStatus, tuple[EndReason, str]] = {
    CohortStatus.CLOSED: (EndReason.COMPLETED, "The cohort closed."),
    CohortStatus.CANCELLED: (EndReason.COHORT_CANCELLED, "The cohort was cancelled."),
}


@cohort_ending.connect
def end_pairs_of_ending_cohort(cohort: Cohort, *, status: CohortStatus, actor: Person) -> None:
    """End every active pair of a cohort that closes (completed) or is cancelled."""
    reason, note = _ENDINGS[CohortStatus(status)]
    for pair in db.session.scalars(
        select(Pair)
        .where(Pair.cohort_id == cohort.id, Pair.status == PairStatus.ACTIVE.value)
        .order_by(Pair.id)
    ).all():
        end_pair(pair, reason, actor=actor, note=note)
