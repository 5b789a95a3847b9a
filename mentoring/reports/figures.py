"""Report tables: the grouped aggregates of `queries`, summed, suppressed and labelled.

No Flask. Every number a page, a chart or a CSV shows comes out of here as a `Cell`
that already went through `suppression`, so the three can never disagree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from mentoring.reports import queries as q
from mentoring.reports.suppression import (
    DERIVED,
    Cell,
    Constraint,
    Suppressor,
    protect,
    sums_to,
)

SIDE_LABELS = {"mentee": "Executives (mentees)", "mentor": "Juniors (mentors)"}
SIDE_SHORT = {"mentee": "executives", "mentor": "juniors"}
NO_DEPARTMENT = "No department"


@dataclass
class Chart:
    """What a chart draws: category labels and one or more series of cells."""

    kind: str  # "bar", "hbar" or "line"
    labels: list[str]
    series: list[tuple[str, list[Cell]]]
    unit: str = ""  # "%" for shares


@dataclass
class Table:
    """One table of a report, exportable as CSV and drawable as a chart."""

    key: str
    title: str
    description: str
    header: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    chart: Chart | None = None
    note: str = ""

    @property
    def is_empty(self) -> bool:
        """Whether the table has no row to show."""
        return not self.rows


@dataclass
class Report:
    """A report page: its tables in order and the identities its totals publish."""

    tables: list[Table]
    constraints: list[Constraint]
    min_group: int | None
    figures: dict[str, Cell] = field(default_factory=dict)

    def table(self, key: str) -> Table | None:
        """The table with this key, if the report has it."""
        return next((table for table in self.tables if table.key == key), None)


def _sum(values: Iterable[int]) -> int:
    return sum(int(value or 0) for value in values)


# Overview ------------------------------------------------------------------------------------


def overview(
    session: Session,
    filters: q.ReportFilter,
    *,
    min_group: int | None,
    stats_min: int,
    now: datetime,
) -> Report:
    """Every table of the main report for these filters (ten queries)."""
    s = Suppressor(min_group)
    constraints: list[Constraint] = []
    tables: list[Table] = []
    figures: dict[str, Cell] = {}

    funnel = q.funnel_groups(session, filters)
    enrolled_by_side = {
        side: _sum(g.enrolled for g in funnel if g.side == side) for side in q.SIDES
    }
    funnel_cells = _funnel(s, funnel, filters, tables, constraints)
    _adoption(session, s, filters, funnel_cells, enrolled_by_side, tables, constraints)
    _activity(session, s, filters, now, tables, constraints, figures)
    _satisfaction(session, s, filters, tables, constraints)
    _learning(session, s, filters, stats_min, tables)
    protect(constraints)
    return Report(tables, constraints, min_group, figures)


def _funnel(
    s: Suppressor,
    groups: list[q.FunnelGroup],
    filters: q.ReportFilter,
    tables: list[Table],
    constraints: list[Constraint],
) -> dict[str, list[Cell]]:
    totals = {
        side: s_cells
        for side in filters.sides
        for s_cells in [
            [
                s.count(_sum(g.steps[i] for g in groups if g.side == side))
                for i in range(len(q.FUNNEL_STEPS))
            ]
        ]
    }
    if "mentee" in totals:
        executives = [g for g in groups if g.side == "mentee"]
        for key, title, label_of, order in (
            ("funnel_department", "Executives' funnel by department", _department, None),
            (
                "funnel_band",
                "Executives' funnel by seniority band",
                lambda g: g.band,
                [band[0] for band in q.BANDS],
            ),
        ):
            by: dict[str, list[int]] = defaultdict(lambda: [0] * len(q.FUNNEL_STEPS))
            for g in executives:
                for i, value in enumerate(g.steps):
                    by[label_of(g)][i] += value
            labels = [b for b in order if b in by] if order else sorted(by)
            rows = [(label, [s.count(v) for v in by[label]]) for label in labels]
            for i in range(len(q.FUNNEL_STEPS)):
                constraints.append(sums_to([cells[i] for _, cells in rows], totals["mentee"][i]))
            shown_rows = [(label, [*cells, s.share(cells[-1], cells[0])]) for label, cells in rows]
            shown_rows.append(
                ("All", [*totals["mentee"], s.share(totals["mentee"][-1], totals["mentee"][0])])
            )
            tables.append(
                Table(
                    key=key,
                    title=title,
                    description=f"{title}: people at each step of the funnel.",
                    header=[
                        "Department" if key == "funnel_department" else "Seniority band",
                        *q.FUNNEL_STEPS,
                        "% with a goal done",
                    ],
                    rows=shown_rows,
                )
            )
    header = ["Step"]
    for side in totals:
        header += [SIDE_LABELS[side], "% of enrolled", "% of previous step"]
    rows = []
    for i, step in enumerate(q.FUNNEL_STEPS):
        cells = []
        for steps in totals.values():
            since_previous = s.share(steps[i], steps[i - 1]) if i else Cell(None, "percent")
            cells += [steps[i], s.share(steps[i], steps[0]), since_previous]
        rows.append((step, cells))
    chart = Chart(
        "hbar",
        list(q.FUNNEL_STEPS),
        [(SIDE_LABELS[side], steps) for side, steps in totals.items()],
    )
    funnel_table = Table(
        key="funnel",
        title="Funnel",
        description=(
            "People at each step from enrolment to a goal done, per side; each step counts "
            "people who also passed the steps before it."
        ),
        header=header,
        rows=rows,
        chart=chart,
    )
    # The funnel leads the page; the breakdowns follow it.
    tables.insert(len(tables) - (2 if "mentee" in totals else 0), funnel_table)
    return totals


def _department(group: q.FunnelGroup | q.TopicAdoption) -> str:
    return group.department or NO_DEPARTMENT


def _adoption(
    session: Session,
    s: Suppressor,
    filters: q.ReportFilter,
    funnel: dict[str, list[Cell]],
    enrolled: dict[str, int],
    tables: list[Table],
    constraints: list[Constraint],
) -> None:
    topics = q.topic_adoption(session, filters)
    templates = q.template_adoption(session, filters)
    for side in filters.sides:
        enrolled_cell = funnel[side][0]
        who = SIDE_SHORT[side]
        side_topics = [t for t in topics if t.side == side]
        names = sorted({t.topic for t in side_topics}, key=lambda n: n.lower())
        took = {n: _sum(t.took for t in side_topics if t.topic == n) for n in names}
        done = {n: _sum(t.done for t in side_topics if t.topic == n) for n in names}
        rows = []
        done_cells: dict[str, Cell] = {}
        for name in names:
            took_cell, done_cell = s.count(took[name]), s.count(done[name])
            done_cells[name] = done_cell
            rows.append(
                (
                    name,
                    [
                        took_cell,
                        done_cell,
                        s.share(done_cell, took_cell),
                        s.share(done_cell, enrolled_cell),
                    ],
                )
            )
        tables.append(
            Table(
                key=f"adoption_topic_{side}",
                title=f"Adoption by topic: {who}",
                description=(
                    f"Per topic, {who} who took it as a goal and who completed it, as a share "
                    f"of those who took it and of all {enrolled[side]} {who} enrolled."
                    if min_group_is_none(s)
                    else f"Per topic, {who} who took it as a goal and who completed it, as a "
                    f"share of those who took it and of all {who} enrolled."
                ),
                header=[
                    "Topic",
                    f"{who.capitalize()} with it as a goal",
                    "Completed",
                    "% of those with the goal",
                    f"% of all {who} enrolled",
                ],
                rows=rows,
                chart=Chart(
                    "hbar",
                    names,
                    [(f"% of all {who} enrolled", [cells[3] for _, cells in rows])],
                    unit="%",
                ),
            )
        )
        side_templates = [t for t in templates if t.side == side]
        template_rows = []
        for t in side_templates:
            took_cell, done_cell = s.count(t.took), s.count(t.done)
            template_rows.append(
                (
                    f"{t.template} ({t.topic})",
                    [
                        took_cell,
                        done_cell,
                        s.share(done_cell, took_cell),
                        s.share(done_cell, enrolled_cell),
                    ],
                )
            )
        tables.append(
            Table(
                key=f"adoption_template_{side}",
                title=f"Adoption by goal template: {who}",
                description=f"Per goal of the curriculum, {who} who took it and completed it.",
                header=[
                    "Goal template (topic)",
                    f"{who.capitalize()} with it as a goal",
                    "Completed",
                    "% of those with the goal",
                    f"% of all {who} enrolled",
                ],
                rows=template_rows,
            )
        )
        if side != "mentee" or not names:
            continue
        for key, title, label_of, order in (
            (
                "adoption_department",
                "Executives who completed a topic, by department",
                _department,
                None,
            ),
            (
                "adoption_band",
                "Executives who completed a topic, by seniority band",
                lambda t: t.band,
                [band[0] for band in q.BANDS],
            ),
        ):
            groups = sorted({label_of(t) for t in side_topics})
            if order:
                groups = [g for g in order if g in groups]
            rows = []
            for name in names:
                cells = [
                    s.count(
                        _sum(t.done for t in side_topics if t.topic == name and label_of(t) == g)
                    )
                    for g in groups
                ]
                constraints.append(sums_to(cells, done_cells[name]))
                rows.append((name, [*cells, done_cells[name]]))
            tables.append(
                Table(
                    key=key,
                    title=title,
                    description=f"{title}: executives who completed a goal of each topic.",
                    header=["Topic", *groups, "All"],
                    rows=rows,
                )
            )


def min_group_is_none(s: Suppressor) -> bool:
    """Whether this suppressor shows exact counts (HR)."""
    return s.min_group is None


def _median(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}."""
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())

    def nth(k: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if seen > k:
                return value
        return ordered[-1][0]

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def _activity(
    session: Session,
    s: Suppressor,
    filters: q.ReportFilter,
    now: datetime,
    tables: list[Table],
    constraints: list[Constraint],
    figures: dict[str, Cell],
) -> None:
    months = q.meetings_by_month(session, filters)
    outcomes = q.meeting_outcomes(session, filters)
    cadence = q.cadence_by_cohort(session, filters, now)
    delays = q.first_meeting_delays(session, filters)
    held = _sum(o.held for o in outcomes)
    pairs = _sum(o.pairs for o in outcomes)
    held_cell = s.count(held, base=_sum_pairs_of_held(outcomes, pairs))
    month_cells = [(m.month, s.count(m.held, base=m.pairs)) for m in months]
    constraints.append(sums_to([cell for _, cell in month_cells], held_cell))
    tables.append(
        Table(
            key="meetings_by_month",
            title="Meetings held per month",
            description="Meetings held in each month (UTC), oldest first.",
            header=["Month", "Meetings held"],
            rows=[*[(month, [cell]) for month, cell in month_cells], ("Total", [held_cell])],
            chart=Chart(
                "bar", [m for m, _ in month_cells], [("Meetings held", [c for _, c in month_cells])]
            ),
        )
    )
    tracked = _sum(c.tracked for c in cadence)
    on_cadence = _sum(c.on_cadence for c in cadence)
    tracked_cell = s.count(tracked)
    histogram: dict[int, int] = defaultdict(int)
    for d in delays:
        histogram[d.days] += d.pairs
    met_pairs = sum(histogram.values())
    no_show = _sum(o.no_show for o in outcomes)
    cancelled = _sum(o.cancelled for o in outcomes)
    happened = held + no_show
    planned = held + no_show + cancelled
    figures.update(
        held=held_cell,
        active_pairs=tracked_cell,
        on_cadence=s.share(s.count(on_cadence, base=tracked), tracked_cell),
        median_days=s.number(_median(histogram), met_pairs, kind="days"),
        no_show_rate=s.number(100 * no_show / happened if happened else None, pairs, "percent"),
        cancel_rate=s.number(100 * cancelled / planned if planned else None, pairs, "percent"),
    )
    tables.append(
        Table(
            key="activity",
            title="Activity",
            description="Meetings, cadence, time to the first meeting, no-shows and cancellations.",
            header=["Figure", "Value"],
            rows=[
                ("Meetings held", [held_cell]),
                ("Active pairs whose cadence applies", [tracked_cell]),
                ("Share of them meeting on cadence", [figures["on_cadence"]]),
                ("Median days from publishing to the first held meeting", [figures["median_days"]]),
                ("No-show rate (of meetings held or missed)", [figures["no_show_rate"]]),
                (
                    "Cancellation rate (of meetings held, missed or cancelled)",
                    [figures["cancel_rate"]],
                ),
            ],
        )
    )


def _sum_pairs_of_held(outcomes: Sequence[q.CohortOutcomes], pairs: int) -> int:
    # Pairs are counted per cohort, and a pair belongs to one cohort: the sum is exact.
    return pairs


def _satisfaction(
    session: Session,
    s: Suppressor,
    filters: q.ReportFilter,
    tables: list[Table],
    constraints: list[Constraint],
) -> None:
    groups, raters = q.ratings(session, filters)
    header = ["Rating"]
    columns: list[list[Cell]] = []
    series = []
    for side in filters.sides:
        side_groups = [g for g in groups if g.side == side]
        people = _sum(r.authors for r in raters if r.side == side)
        per = {
            rating: (
                _sum(g.logs for g in side_groups if g.rating == rating),
                _sum(g.authors for g in side_groups if g.rating == rating),
            )
            for rating in range(1, 6)
        }
        cells = [s.count(logs, base=authors) for logs, authors in per.values()]
        total_logs = _sum(logs for logs, _ in per.values())
        total = s.count(total_logs, base=people)
        constraints.append(sums_to(cells, total))
        weighted = sum(rating * logs for rating, (logs, _) in per.items())
        mean = s.number(weighted / total_logs if total_logs else None, people, "mean")
        high = per[4][0] + per[5][0]
        top = s.number(100 * high / total_logs if total_logs else None, people, "percent")
        header += [f"{SIDE_LABELS[side]}: meetings rated", "%"]
        columns.append([*cells, total, mean, top])
        columns.append([*[s.share(cell, total) for cell in cells], Cell(None, "percent")])
        series.append((SIDE_LABELS[side], cells))
    labels = ["1", "2", "3", "4", "5", "Total", "Mean rating", "% rated 4 or 5"]
    rows = []
    for i, label in enumerate(labels):
        cells = []
        for column in columns:
            cells.append(column[i] if i < len(column) else Cell(None, "text"))
        rows.append((label, cells))
    tables.append(
        Table(
            key="satisfaction",
            title="Satisfaction",
            description=(
                "How participants rated their meetings, 1 (poor) to 5 (excellent), per side."
            ),
            header=header,
            rows=rows,
            chart=Chart("bar", ["1", "2", "3", "4", "5"], series),
        )
    )


@dataclass(frozen=True)
class Gain:
    """The learning gain of one topic and side: same people at the start and the end."""

    people: int
    mean_start: float
    mean_end: float
    mean_gain: float
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


def learning_gain(groups: Sequence[q.ConfidencePairs]) -> Gain | None:
    """Means, the mean gain with its 95 % confidence interval, and Wilcoxon's p-value."""
    import numpy as np
    from scipy import stats

    people = _sum(g.people for g in groups)
    if not people:
        return None
    starts = np.repeat([g.start for g in groups], [g.people for g in groups]).astype(float)
    ends = np.repeat([g.end for g in groups], [g.people for g in groups]).astype(float)
    diffs = ends - starts
    mean_gain = float(diffs.mean())
    low = high = p_value = None
    if people > 1:
        sd = float(diffs.std(ddof=1))
        half = float(stats.t.ppf(0.975, people - 1)) * sd / math.sqrt(people)
        low, high = mean_gain - half, mean_gain + half
    if np.any(diffs != 0):
        p_value = float(stats.wilcoxon(diffs).pvalue)
    else:
        p_value = 1.0
    return Gain(people, float(starts.mean()), float(ends.mean()), mean_gain, low, high, p_value)


def _learning(
    session: Session,
    s: Suppressor,
    filters: q.ReportFilter,
    stats_min: int,
    tables: list[Table],
) -> None:
    groups = q.confidence_pairs(session, filters)
    for side in filters.sides:
        who = SIDE_SHORT[side]
        by_topic: dict[str, list[q.ConfidencePairs]] = defaultdict(list)
        for g in groups:
            if g.side == side:
                by_topic[g.topic].append(g)
        rows = []
        for topic in sorted(by_topic, key=str.lower):
            gain = learning_gain(by_topic[topic])
            if gain is None:
                continue
            enough = gain.people >= stats_min

            def stat(value: float | None, kind: str, enough: bool = enough) -> Cell:
                return Cell(value, kind, None if enough else DERIVED, s.min_group)

            ci = f"{gain.ci_low:+.2f} to {gain.ci_high:+.2f}" if gain.ci_low is not None else None
            rows.append(
                (
                    topic,
                    [
                        s.count(gain.people),
                        stat(gain.mean_start, "mean"),
                        stat(gain.mean_end, "mean"),
                        stat(gain.mean_gain, "signed"),
                        stat(ci, "text") if enough else stat(None, "text"),
                        stat(gain.p_value, "p"),
                    ],
                )
            )
        tables.append(
            Table(
                key=f"learning_{side}",
                title=f"Learning gain: {who}",
                description=(
                    f"Per topic, the confidence (1 to 5) of the same {who} at the start and at "
                    "the end, the mean gain with its 95 % confidence interval and the p-value of "
                    "a Wilcoxon signed-rank test."
                ),
                header=[
                    "Topic",
                    "People who rated both times",
                    "Mean at the start",
                    "Mean at the end",
                    "Mean gain",
                    "95 % confidence interval",
                    "p (Wilcoxon)",
                ],
                rows=rows,
                note=(
                    f"Figures are shown only where at least {stats_min} people rated the topic "
                    "at both the start and the end."
                ),
                chart=Chart(
                    "bar",
                    [topic for topic, _ in rows],
                    [
                        ("Mean at the start", [cells[1] for _, cells in rows]),
                        ("Mean at the end", [cells[2] for _, cells in rows]),
                    ],
                ),
            )
        )


# Cohort against cohort --------------------------------------------------------------------------


def comparison(
    session: Session,
    filters: q.ReportFilter,
    cohorts: Sequence[q.CohortChoice],
    *,
    min_group: int | None,
    stats_min: int,
) -> Report:
    """The same key figures for two or more cohorts side by side (five queries)."""
    s = Suppressor(min_group)
    ids = [c.id for c in cohorts]
    funnel = q.funnel_groups(session, filters)
    outcomes = {o.cohort_id: o for o in q.meeting_outcomes(session, filters)}
    ratings, raters = q.ratings(session, filters)
    confidence = q.confidence_pairs(session, filters)
    constraints: list[Constraint] = []
    columns: list[list[Cell]] = []
    scopes: list[list[int]] = [[i] for i in ids] + [ids]
    for scope in scopes:
        mentees = [g for g in funnel if g.cohort_id in scope and g.side == "mentee"]
        mentors = [g for g in funnel if g.cohort_id in scope and g.side == "mentor"]
        steps = [s.count(_sum(g.steps[i] for g in mentees)) for i in range(6)]
        mentor_count = s.count(_sum(g.enrolled for g in mentors))
        held = _sum(outcomes[c].held for c in scope if c in outcomes)
        no_show = _sum(outcomes[c].no_show for c in scope if c in outcomes)
        pairs = _sum(outcomes[c].pairs for c in scope if c in outcomes)
        held_cell = s.count(held, base=pairs)
        rated = [g for g in ratings if g.cohort_id in scope]
        people = _sum(r.authors for r in raters if r.cohort_id in scope)
        logs = _sum(g.logs for g in rated)
        mean_rating = s.number(
            sum(g.rating * g.logs for g in rated) / logs if logs else None, people, "mean"
        )
        top = s.number(
            100 * _sum(g.logs for g in rated if g.rating >= 4) / logs if logs else None,
            people,
            "percent",
        )
        conf = [g for g in confidence if g.cohort_id in scope and g.side == "mentee"]
        per_topic: dict[int, int] = defaultdict(int)
        for g in conf:
            per_topic[g.topic_id] += g.people
        ratings_pairs = _sum(g.people for g in conf)
        gain_value = (
            sum((g.end - g.start) * g.people for g in conf) / ratings_pairs
            if ratings_pairs
            else None
        )
        # At least this many different people rated both times (the largest topic).
        raters_both = max(per_topic.values(), default=0)
        gain = Cell(
            gain_value if raters_both else None,
            "signed",
            DERIVED if raters_both and raters_both < stats_min else None,
            min_group,
        )
        columns.append(
            [
                steps[0],
                mentor_count,
                steps[2],
                s.share(steps[3], steps[0]),
                s.share(steps[4], steps[0]),
                s.share(steps[5], steps[0]),
                held_cell,
                s.number(
                    100 * no_show / (held + no_show) if held + no_show else None, pairs, "percent"
                ),
                mean_rating,
                top,
                gain,
            ]
        )
    labels = [
        "Executives enrolled",
        "Juniors enrolled",
        "Executives matched",
        "% of executives with a first meeting held",
        "% of executives reaching the target number of meetings",
        "% of executives with a goal done",
        "Meetings held",
        "No-show rate",
        "Mean meeting rating (1–5)",
        "% of meetings rated 4 or 5",
        "Executives' mean confidence gain (all topics)",
    ]
    for i in (0, 1, 2, 6):  # counts: the cohorts add up to the selection
        constraints.append(sums_to([column[i] for column in columns[:-1]], columns[-1][i]))
    protect(constraints)
    rows = [(label, [column[i] for column in columns]) for i, label in enumerate(labels)]
    table = Table(
        key="comparison",
        title="Cohort against cohort",
        description=(
            "The same key figures for each selected cohort, and for all of them together; the "
            "chart shows the share of executives reaching each step."
        ),
        header=["Figure", *[c.name for c in cohorts], "Together"],
        rows=rows,
        chart=Chart(
            "bar",
            ["First meeting held", "Target meetings reached", "A goal done"],
            [(c.name, [columns[n][i] for i in (3, 4, 5)]) for n, c in enumerate(cohorts)],
            unit="%",
        ),
    )
    return Report([table], constraints, min_group)
