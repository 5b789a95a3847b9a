"""Which cohorts' private texts have outlived the retention period (no Flask, no database)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ClosedCohort:
    """A closed or cancelled cohort and the day it closed."""

    id: int
    name: str
    closed_on: date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expires_on(closed_on: date, months: int) -> date | None:
    """The first day a closed cohort's private texts may be deleted (None: kept for ever)."""
    if months <= 0:
        return None
    return add_months(closed_on, months)


def expired_cohorts(
    cohorts: Iterable[ClosedCohort], *, today: date, months: int
) -> list[ClosedCohort]:
    """The cohorts whose retention period is over on `today`; none when months is 0."""
    expired = []
    for cohort in cohorts:
        limit = expires_on(cohort.closed_on, months)
        if limit is not None and today >= limit:
            expired.append(cohort)
    return sorted(expired, key=lambda cohort: (cohort.closed_on, cohort.id))
