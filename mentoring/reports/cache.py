"""Computed report pages kept a short while per process, so busy report pages do not
recompute the same figures and charts on every view.

No Flask. Each process keeps its own entries (a few report pages, for `seconds`); 0
seconds keeps nothing. The key names everything that changes the figures or their words:
the page, its filters, the reader's language, the viewer's threshold (None for HR's
exact counts, so HR's figures never reach a leader), the statistics' threshold and the
cohorts compared. An entry is never older than `seconds` counted from the moment its
computation started, so a page can say how old its figures may be.

What an entry holds is safe to share between requests of the same key: the report's
words and the charts are already written in the reader's language (plain strings), and
its cells keep raw values that each request writes with its own `Wording` at render time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cachetools import TTLCache

from mentoring.reports.figures import Report
from mentoring.reports.queries import CohortChoice, ReportFilter

OVERVIEW = "overview"
COMPARISON = "comparison"
# A few report pages per process: each holds a report and its charts as SVG data URIs.
MAXSIZE = 128


@dataclass(frozen=True)
class ReportKey:
    """Everything that changes a report page's figures or their wording."""

    page: str  # OVERVIEW or COMPARISON
    filters: ReportFilter
    language: str
    viewer_min_group: int | None  # None: HR, who sees exact counts
    min_group: int  # the threshold of the statistics (intervals, tests)
    cohorts: tuple[CohortChoice, ...] = ()  # the cohorts compared, in their columns' order


@dataclass(frozen=True)
class ComputedReport:
    """What a report page costs to compute: the report, its charts and when it was made."""

    report: Report | None
    charts: dict[str, str]  # table key -> chart as a data: URI
    computed_at: datetime


class ReportCache:
    """Computed report pages by `ReportKey`, each kept `seconds` (0: none is kept).

    Thread-safe: one lock guards the entries, and a second view of a page being computed
    waits for that computation instead of repeating it.
    """

    def __init__(
        self,
        seconds: int,
        *,
        maxsize: int = MAXSIZE,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        if seconds < 0:
            raise ValueError(f"seconds is {seconds}: it must be 0 or more")
        self.seconds = seconds
        self._timer = timer
        self._lock = threading.Lock()
        self._computing: dict[ReportKey, threading.Lock] = {}
        # (when the computation started, by `timer`; what it made)
        self._entries: TTLCache[ReportKey, tuple[float, ComputedReport]] | None = (
            TTLCache(maxsize=maxsize, ttl=seconds, timer=timer) if seconds else None
        )

    @property
    def enabled(self) -> bool:
        """Whether computed pages are kept at all."""
        return self._entries is not None

    def get(self, key: ReportKey, compute: Callable[[], ComputedReport]) -> ComputedReport:
        """The page for `key`: kept if fresh enough, else made by `compute` and kept."""
        entries = self._entries
        if entries is None:
            return compute()
        with self._lock:
            found = self._fresh(entries, key)
            if found is not None:
                return found
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            try:
                with self._lock:
                    found = self._fresh(entries, key)
                if found is not None:
                    return found
                started = self._timer()
                made = compute()
                with self._lock:
                    entries[key] = (started, made)
                return made
            finally:
                with self._lock:
                    if self._computing.get(key) is computing:
                        del self._computing[key]

    def __len__(self) -> int:
        with self._lock:
            return 0 if self._entries is None else len(self._entries)

    def _fresh(
        self, entries: TTLCache[ReportKey, tuple[float, ComputedReport]], key: ReportKey
    ) -> ComputedReport | None:
        # TTLCache expires an entry `seconds` after it was stored; the page promises its
        # figures are at most `seconds` old counted from when their computation started
        # (an entry past that is replaced by the next computation).
        entry = entries.get(key)
        if entry is None or self._timer() - entry[0] >= self.seconds:
            return None
        return entry[1]
