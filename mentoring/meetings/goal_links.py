"""The goals a meeting log advances, asked of the goals domain through a registered provider.

Goals sit above meetings (main → goals → meetings → …): a meeting log names the goals it
advanced, but meetings must not import goals. The goals package registers its functions
here when it is imported (every app imports it), so the dependency points downwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from mentoring.matching.models import Pair
from mentoring.meetings.models import MeetingLog
from mentoring.people.models import Person


class GoalLinks(Protocol):
    """What meetings needs from the goals domain."""

    def advanceable_goals(self, pair: Pair, person: Person) -> list[tuple[int, str]]:
        """The (goal id, title) choices a person may mark as advanced in a log."""

    def record_goals_advanced(self, log: MeetingLog, goal_ids: Iterable[int]) -> None:
        """Link a log to the goals it advanced (only the pair's goals may be chosen)."""

    def advanced_goal_ids(self, log: MeetingLog) -> list[int]:
        """The goals a log recorded as advanced."""


_provider: GoalLinks | None = None


def register(provider: GoalLinks) -> None:
    """Install the goals domain's functions (called when the goals package is imported)."""
    global _provider
    _provider = provider


def links() -> GoalLinks:
    """The registered provider; a missing one is a wiring bug, not a state to tolerate."""
    if _provider is None:
        raise RuntimeError("the goals package is not imported: no goal links are registered")
    return _provider
