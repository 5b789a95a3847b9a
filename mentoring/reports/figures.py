"""Report tables: the grouped aggregates of `queries`, summed, suppressed and labelled.

No Flask. Every number a page, a chart or a CSV shows comes out of here as a `Cell`
that already went through `suppression`, so the three can never disagree. The words
(titles, descriptions, headers, row labels) come from the `Wording`'s `_` and `ngettext`,
in the reader's language; English by default.
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
    PLAIN,
    Cell,
    Constraint,
    Gettext,
    Suppressor,
    Wording,
    protect,
    sums_to,
)

SIDE_LABELS = {"mentee": "Executives (mentees)", "mentor": "Juniors (mentors)"}


def side_label(side: str, _: Gettext = PLAIN._) -> str:
    """A side of the program as a column or a series: "Executives (mentees)"."""
    return _("Executives (mentees)") if side == "mentee" else _("Juniors (mentors)")


def enrollments_label(side: str, _: Gettext = PLAIN._) -> str:
    """What the funnel counts on a side, as a column: a person enrolled in two cohorts is
    two enrollments, where the leaders' home counts people once."""
    return (
        _("Executives (mentees): enrollments")
        if side == "mentee"
        else _("Juniors (mentors): enrollments")
    )


def funnel_steps(_: Gettext = PLAIN._) -> list[str]:
    """The funnel's steps (queries.FUNNEL_STEPS) in words."""
    return [
        _("Enrolled"),
        _("Activated (accepted the invitation)"),
        _("Matched"),
        _("First meeting held"),
        _("Target number of meetings reached"),
        # Cumulative like every step: "a goal done" alone would be another, larger figure.
        _("Target reached and at least one goal done"),
    ]


@dataclass
class Chart:
    """What a chart draws: category labels and one or more series of cells."""

    kind: str  # "bar", "hbar" or "line"
    labels: list[str]
    series: list[tuple[str, list[Cell]]]
    unit: str = ""  # "%" for shares
    axis: str = ""  # what the values count, written along their axis


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
    total_label: str = ""  # the label of the row that totals the others, if any

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
    table: str | None = None,
    wording: Wording = PLAIN,
) -> Report:
    """Every table of the main report for these filters (ten queries).

    With `table`, only the sections that table depends on (an export): its cells come
    out exactly as on the page, since no suppression links it to the other sections.
    """
    s = Suppressor(min_group)
    constraints: list[Constraint] = []
    tables: list[Table] = []
    figures: dict[str, Cell] = {}
    sections = sections_of(table)

    if sections & {"funnel", "adoption"}:
        funnel = q.funnel_groups(session, filters)
        enrolled_by_side = {
            side: _sum(g.enrolled for g in funnel if g.side == side) for side in q.SIDES
        }
        funnel_cells = _funnel(s, funnel, filters, tables, constraints, wording)
    if "adoption" in sections:
        _adoption(session, s, filters, funnel_cells, enrolled_by_side, tables, constraints, wording)
    if "activity" in sections:
        _activity(session, s, filters, now, tables, constraints, figures, wording)
    if "satisfaction" in sections:
        _satisfaction(session, s, filters, tables, constraints, wording)
    if "learning" in sections:
        _learning(session, s, filters, stats_min, tables, wording)
    protect(constraints)
    return Report(tables, constraints, min_group, figures)


# Which sections each table needs. Suppression links cells within a section only, except
# that adoption's shares rest on the funnel's enrolled counts: its tables need the funnel.
_TABLE_SECTIONS = {
    "funnel": {"funnel"},
    "adoption": {"funnel", "adoption"},
    "meetings_by_month": {"activity"},
    "activity": {"activity"},
    "satisfaction": {"satisfaction"},
    "learning": {"learning"},
}
ALL_SECTIONS = frozenset({"funnel", "adoption", "activity", "satisfaction", "learning"})


def sections_of(table: str | None) -> frozenset[str]:
    """The sections to compute for one table (all of them for None or an unknown key)."""
    if table is None:
        return ALL_SECTIONS
    for prefix, sections in _TABLE_SECTIONS.items():
        if table == prefix or table.startswith(prefix + "_"):
            return frozenset(sections)
    return ALL_SECTIONS


def _funnel(
    s: Suppressor,
    groups: list[q.FunnelGroup],
    filters: q.ReportFilter,
    tables: list[Table],
    constraints: list[Constraint],
    wording: Wording = PLAIN,
) -> dict[str, list[Cell]]:
    _ = wording._
    steps_words = funnel_steps(_)
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
        for key, title, description, label_of, order in (
            (
                "funnel_department",
                _("Executives' funnel by department"),
                _(
                    "Executives' funnel by department: enrollments at each step of the "
                    "funnel (an executive enrolled in several cohorts counts once in each)."
                ),
                lambda g: _department(g, _),
                None,
            ),
            (
                "funnel_band",
                _("Executives' funnel by seniority band"),
                _(
                    "Executives' funnel by seniority band: enrollments at each step of the "
                    "funnel (an executive enrolled in several cohorts counts once in each)."
                ),
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
                constraints.append(
                    sums_to([cells[i] for _label, cells in rows], totals["mentee"][i])
                )
            shown_rows = [(label, [*cells, s.share(cells[-1], cells[0])]) for label, cells in rows]
            everyone = _("All executives")
            shown_rows.append(
                (everyone, [*totals["mentee"], s.share(totals["mentee"][-1], totals["mentee"][0])])
            )
            tables.append(
                Table(
                    key=key,
                    title=title,
                    description=description,
                    header=[
                        _("Department") if key == "funnel_department" else _("Seniority band"),
                        *steps_words,
                        _("%(percent)s with the target reached and a goal done", percent="%"),
                    ],
                    rows=shown_rows,
                    total_label=everyone,
                )
            )
    header = [_("Step")]
    for side in totals:
        header += [
            enrollments_label(side, _),
            _("%(percent)s of enrolled", percent="%"),
            _("%(percent)s of previous step", percent="%"),
        ]
    rows = []
    for i, step in enumerate(steps_words):
        cells = []
        for steps in totals.values():
            since_previous = s.share(steps[i], steps[i - 1]) if i else Cell(None, "percent")
            cells += [steps[i], s.share(steps[i], steps[0]), since_previous]
        rows.append((step, cells))
    chart = Chart(
        "hbar",
        steps_words,
        [(side_label(side, _), steps) for side, steps in totals.items()],
        axis=_("Enrollments"),
    )
    funnel_table = Table(
        key="funnel",
        title=_("Funnel"),
        description=_(
            "Enrollments at each step, from enrolling to a goal done, per side: a person "
            "enrolled in several cohorts counts once in each. Each step counts the "
            "enrollments that also passed the steps before it."
        ),
        header=header,
        rows=rows,
        chart=chart,
    )
    # The funnel leads the page; the breakdowns follow it.
    tables.insert(len(tables) - (2 if "mentee" in totals else 0), funnel_table)
    return totals


def _department(group: q.FunnelGroup | q.TopicAdoption, _: Gettext = PLAIN._) -> str:
    return group.department or _("No department")


def _adoption(
    session: Session,
    s: Suppressor,
    filters: q.ReportFilter,
    funnel: dict[str, list[Cell]],
    enrolled: dict[str, int],
    tables: list[Table],
    constraints: list[Constraint],
    wording: Wording = PLAIN,
) -> None:
    _, ngettext = wording._, wording.ngettext
    topics = q.topic_adoption(session, filters)
    templates = q.template_adoption(session, filters)
    for side in filters.sides:
        enrolled_cell = funnel[side][0]
        executives = side == "mentee"
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
                    wording.curriculum(name),
                    [
                        took_cell,
                        done_cell,
                        s.share(done_cell, took_cell),
                        s.share(done_cell, enrolled_cell),
                    ],
                )
            )
        with_goal = (
            _("Executives with it as a goal") if executives else _("Juniors with it as a goal")
        )
        of_all = (
            _("%(percent)s of all executive enrollments", percent="%")
            if executives
            else _("%(percent)s of all junior enrollments", percent="%")
        )
        if min_group_is_none(s) and executives:
            description = ngettext(
                "Per topic, executives who took it as a goal and who completed it, as a share "
                "of those who took it and of the %(num)d executive enrollment (an executive "
                "enrolled in several cohorts counts once in each).",
                "Per topic, executives who took it as a goal and who completed it, as a share "
                "of those who took it and of all %(num)d executive enrollments (an executive "
                "enrolled in several cohorts counts once in each).",
                enrolled[side],
            )
        elif min_group_is_none(s):
            description = ngettext(
                "Per topic, juniors who took it as a goal and who completed it, as a share "
                "of those who took it and of the %(num)d junior enrollment (a junior "
                "enrolled in several cohorts counts once in each).",
                "Per topic, juniors who took it as a goal and who completed it, as a share "
                "of those who took it and of all %(num)d junior enrollments (a junior "
                "enrolled in several cohorts counts once in each).",
                enrolled[side],
            )
        elif executives:
            description = _(
                "Per topic, executives who took it as a goal and who completed it, as a share "
                "of those who took it and of all executive enrollments (an executive enrolled "
                "in several cohorts counts once in each)."
            )
        else:
            description = _(
                "Per topic, juniors who took it as a goal and who completed it, as a share "
                "of those who took it and of all junior enrollments (a junior enrolled in "
                "several cohorts counts once in each)."
            )
        tables.append(
            Table(
                key=f"adoption_topic_{side}",
                title=_("Adoption by topic: executives")
                if executives
                else _("Adoption by topic: juniors"),
                description=description,
                header=[
                    _("Topic"),
                    with_goal,
                    _("Completed"),
                    _("%(percent)s of those with the goal", percent="%"),
                    of_all,
                ],
                rows=rows,
                chart=Chart(
                    "hbar",
                    [wording.curriculum(n) for n in names],
                    [(of_all, [cells[3] for _n, cells in rows])],
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
                    _(
                        "%(template)s (%(topic)s)",
                        template=wording.curriculum(t.template),
                        topic=wording.curriculum(t.topic),
                    ),
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
                title=_("Adoption by goal template: executives")
                if executives
                else _("Adoption by goal template: juniors"),
                description=_(
                    "Per goal of the curriculum, executives who took it and completed it."
                )
                if executives
                else _("Per goal of the curriculum, juniors who took it and completed it."),
                header=[
                    _("Goal template (topic)"),
                    with_goal,
                    _("Completed"),
                    _("%(percent)s of those with the goal", percent="%"),
                    of_all,
                ],
                rows=template_rows,
            )
        )
        if side != "mentee" or not names:
            continue
        for key, title, description, label_of, order in (
            (
                "adoption_department",
                _("Executives who completed a topic, by department"),
                _(
                    "Executives who completed a topic, by department: executives who "
                    "completed a goal of each topic."
                ),
                lambda t: _department(t, _),
                None,
            ),
            (
                "adoption_band",
                _("Executives who completed a topic, by seniority band"),
                _(
                    "Executives who completed a topic, by seniority band: executives who "
                    "completed a goal of each topic."
                ),
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
                rows.append((wording.curriculum(name), [*cells, done_cells[name]]))
            tables.append(
                Table(
                    key=key,
                    title=title,
                    description=description,
                    header=[_("Topic"), *groups, _("All executives")],
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
    wording: Wording = PLAIN,
) -> None:
    _ = wording._
    months = q.meetings_by_month(session, filters)
    outcomes = q.meeting_outcomes(session, filters)
    cadence = q.cadence_by_cohort(session, filters, now)
    delays = q.first_meeting_delays(session, filters)
    held = _sum(o.held for o in outcomes)
    pairs = _sum(o.pairs for o in outcomes)
    held_cell = s.count(held, base=_sum_pairs_of_held(outcomes, pairs))
    month_cells = [(m.month, s.count(m.held, base=m.pairs)) for m in months]
    constraints.append(sums_to([cell for _month, cell in month_cells], held_cell))
    total = _("Total")
    tables.append(
        Table(
            key="meetings_by_month",
            title=_("Meetings held per month"),
            description=_("Meetings held in each month (UTC), oldest first."),
            header=[_("Month"), _("Meetings held")],
            rows=[
                *[(wording.month(month), [cell]) for month, cell in month_cells],
                (total, [held_cell]),
            ],
            chart=Chart(
                "bar",
                [wording.month(m) for m, _cell in month_cells],
                [(_("Meetings held"), [c for _m, c in month_cells])],
            ),
            total_label=total,
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
            title=_("Activity"),
            description=_(
                "Meetings, cadence, time to the first meeting, no-shows and cancellations."
            ),
            header=[_("Figure"), _("Value")],
            rows=[
                (_("Meetings held"), [held_cell]),
                (_("Active pairs whose cadence applies"), [tracked_cell]),
                (_("Share of them meeting on cadence"), [figures["on_cadence"]]),
                (
                    _("Median days from publishing to the first held meeting"),
                    [figures["median_days"]],
                ),
                (_("No-show rate (of meetings held or missed)"), [figures["no_show_rate"]]),
                (
                    _("Cancellation rate (of meetings held, missed or cancelled)"),
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
    wording: Wording = PLAIN,
) -> None:
    _ = wording._
    groups, raters = q.ratings(session, filters)
    header = [_("Rating")]
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
        total_logs = _sum(logs for logs, _authors in per.values())
        total = s.count(total_logs, base=people)
        constraints.append(sums_to(cells, total))
        weighted = sum(rating * logs for rating, (logs, _) in per.items())
        mean = s.number(weighted / total_logs if total_logs else None, people, "mean")
        high = per[4][0] + per[5][0]
        top = s.number(100 * high / total_logs if total_logs else None, people, "percent")
        header += [
            _("Executives (mentees): meetings rated")
            if side == "mentee"
            else _("Juniors (mentors): meetings rated"),
            "%",
        ]
        columns.append([*cells, total, mean, top])
        columns.append([*[s.share(cell, total) for cell in cells], Cell(None, "percent")])
        series.append((side_label(side, _), cells))
    total_label = _("Total")
    labels = [
        "1",
        "2",
        "3",
        "4",
        "5",
        total_label,
        _("Mean rating"),
        _("%(percent)s rated 4 or 5", percent="%"),
    ]
    rows = []
    for i, label in enumerate(labels):
        cells = []
        for column in columns:
            cells.append(column[i] if i < len(column) else Cell(None, "text"))
        rows.append((label, cells))
    tables.append(
        Table(
            key="satisfaction",
            title=_("Satisfaction"),
            description=_(
                "How participants rated their meetings, 1 (poor) to 5 (excellent), per side."
            ),
            header=header,
            rows=rows,
            chart=Chart("bar", ["1", "2", "3", "4", "5"], series),
            total_label=total_label,
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
    wording: Wording = PLAIN,
) -> None:
    _, ngettext = wording._, wording.ngettext
    level = wording.percent(95)
    groups = q.confidence_pairs(session, filters)
    for side in filters.sides:
        executives = side == "mentee"
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

            ci = (
                _(
                    "%(low)s to %(high)s",
                    low=wording.signed(gain.ci_low),
                    high=wording.signed(gain.ci_high),
                )
                if gain.ci_low is not None and gain.ci_high is not None
                else None
            )
            rows.append(
                (
                    wording.curriculum(topic),
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
                title=_("Learning gain: executives") if executives else _("Learning gain: juniors"),
                description=_(
                    "Per topic, the confidence (1 to 5) of the same executives at the start and "
                    "at the end, the mean gain with its %(level)s confidence interval and the "
                    "p-value of a Wilcoxon signed-rank test.",
                    level=level,
                )
                if executives
                else _(
                    "Per topic, the confidence (1 to 5) of the same juniors at the start and "
                    "at the end, the mean gain with its %(level)s confidence interval and the "
                    "p-value of a Wilcoxon signed-rank test.",
                    level=level,
                ),
                header=[
                    _("Topic"),
                    _("People who rated both times"),
                    _("Mean at the start"),
                    _("Mean at the end"),
                    _("Mean gain"),
                    _("%(level)s confidence interval", level=level),
                    _("p (Wilcoxon)"),
                ],
                rows=rows,
                note=ngettext(
                    "Figures are shown only where at least %(num)d person rated the topic "
                    "at both the start and the end.",
                    "Figures are shown only where at least %(num)d people rated the topic "
                    "at both the start and the end.",
                    stats_min,
                ),
                chart=Chart(
                    "bar",
                    [topic for topic, _cells in rows],
                    [
                        (_("Mean at the start"), [cells[1] for _t, cells in rows]),
                        (_("Mean at the end"), [cells[2] for _t, cells in rows]),
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
    wording: Wording = PLAIN,
) -> Report:
    """The same key figures for two or more cohorts side by side (five queries)."""
    _ = wording._
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
        _("Executive enrollments"),
        _("Junior enrollments"),
        _("Matched executive enrollments"),
        _("%(percent)s of executives with a first meeting held", percent="%"),
        _("%(percent)s of executives reaching the target number of meetings", percent="%"),
        # The funnel's last step: the target reached as well, unlike the leaders' home tile
        # of executives with a goal completed.
        _(
            "%(percent)s of executives reaching the target number of meetings and with a goal done",
            percent="%",
        ),
        _("Meetings held"),
        _("No-show rate"),
        _("Mean meeting rating (1–5)"),
        _("%(percent)s of meetings rated 4 or 5", percent="%"),
        _("Executives' mean confidence gain (all topics)"),
    ]
    for i in (0, 1, 2, 6):  # counts: the cohorts add up to the selection
        constraints.append(sums_to([column[i] for column in columns[:-1]], columns[-1][i]))
    protect(constraints)
    rows = [(label, [column[i] for column in columns]) for i, label in enumerate(labels)]
    table = Table(
        key="comparison",
        title=_("Cohort against cohort"),
        description=_(
            "The same key figures for each selected cohort, and for all of them together, "
            "where a person enrolled in several of them counts once in each; the chart shows "
            "the share of executives reaching each step."
        ),
        header=[_("Figure"), *[c.name for c in cohorts], _("Together")],
        rows=rows,
        chart=Chart(
            "bar",
            [
                _("First meeting held"),
                _("Target meetings reached"),
                _("Target reached and a goal done"),
            ],
            [(c.name, [columns[n][i] for i in (3, 4, 5)]) for n, c in enumerate(cohorts)],
            unit="%",
        ),
    )
    return Report([table], constraints, min_group)
