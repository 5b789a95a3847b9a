"""Report pages: thin views over `figures` (leaders and HR) and HR's at-risk and feedback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import click
from flask import Response, abort, current_app, g, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from sqlalchemy import select

from mentoring.audit.services import record_event
from mentoring.curriculum.models import GoalTemplate, Topic
from mentoring.db import utcnow
from mentoring.extensions import db
from mentoring.i18n import current_language, format_day, format_number, format_share, localized
from mentoring.pagination import page_number
from mentoring.people.models import Role
from mentoring.permissions import roles_required
from mentoring.reports import bp
from mentoring.reports import queries as q
from mentoring.reports.cache import (
    COMPARISON,
    OVERVIEW,
    ComputedReport,
    ReportCache,
    ReportKey,
)
from mentoring.reports.charts import data_uri
from mentoring.reports.exports import rows_csv, table_csv
from mentoring.reports.figures import Report, comparison, overview, side_label
from mentoring.reports.forms import ReportFilterForm
from mentoring.reports.summary import rebuild
from mentoring.reports.suppression import Wording

READERS = (Role.LEADER, Role.ADMIN)
# Shared feedback runs to thousands of items in a large program: HR reads it by pages.
FEEDBACK_PER_PAGE = 50
# Where an app keeps its process's computed report pages (`report_cache`).
CACHE_EXTENSION = "mentoring.report_cache"


def min_group() -> int:
    """The privacy threshold (REPORT_MIN_GROUP, never below 3)."""
    return max(3, int(current_app.config["REPORT_MIN_GROUP"]))


def viewer_min_group() -> int | None:
    """The threshold for the signed-in person: None for HR, who sees exact counts."""
    return None if current_user.has_role(Role.ADMIN) else min_group()


def _page_number(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return format_number(value, 1)
    return format_number(value)


def _curriculum_names() -> Callable[[str], str]:
    """Topic and goal-template names in the reader's language (English needs no query).

    Read on the first name asked for: the wording is offered to every template (see
    `report_helpers`), and a page that writes no curriculum name should not pay for it.
    """
    if current_language() == "en":
        return str
    names: dict[str, str] = {}
    loaded = False

    def name_of(name: str) -> str:
        nonlocal loaded
        if not loaded:
            loaded = True
            for topic in db.session.scalars(select(Topic)):
                names[topic.name] = localized(topic, "name")
            for template in db.session.scalars(select(GoalTemplate)):
                names[template.title] = localized(template, "title")
        return names.get(name, name)

    return name_of


def _month_label(month: str) -> str:
    """A "YYYY-MM" month as the reader writes it ("Feb 2026", « févr. 2026 »)."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        return month
    return format_day(first, "%b %Y")


def page_wording() -> Wording:
    """Figures as the reader reads them: their language and its number formats.

    One per request and language: the report, its charts and its template share it.
    """
    made: dict[str, Wording] = g.setdefault("report_page_wordings", {})
    language = current_language()
    if language not in made:
        made[language] = Wording(
            _=gettext,
            ngettext=ngettext,
            percent=lambda value: format_share(value / 100),
            decimal=lambda value, digits: format_number(value, digits),
            number=_page_number,
            curriculum=_curriculum_names(),
            month=_month_label,
        )
    return made[language]


def csv_wording() -> Wording:
    """Figures for a spreadsheet: the reader's words, plain numbers it can sort."""
    return Wording(_=gettext, ngettext=ngettext, curriculum=_curriculum_names())


def _filters() -> tuple[ReportFilterForm, list[q.CohortChoice], q.ReportFilter | None]:
    """The filter form from the URL, and the filter when it is valid (two queries)."""
    cohorts = q.cohort_choices(db.session)
    departments = q.department_choices(db.session)
    form = ReportFilterForm(request.args)
    form.cohort.choices = [(c.id, c.name) for c in cohorts]
    form.department.choices = [("", gettext("All departments")), *((d, d) for d in departments)]
    if request.args and not form.validate():
        return form, cohorts, None
    return (
        form,
        cohorts,
        q.ReportFilter(
            cohort_ids=tuple(sorted(form.cohort.data or ())),
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            department=form.department.data or "",
            side=form.side.data or "",
        ),
    )


def describe(
    filters: q.ReportFilter, cohorts: list[q.CohortChoice], *, cohorts_only: bool = False
) -> list[str]:
    """The filters in words, for the page's heading and its print."""
    names = [c.name for c in cohorts if c.id in filters.cohort_ids]
    parts = [
        gettext("Cohorts: %(names)s", names=", ".join(names)) if names else gettext("All cohorts")
    ]
    if cohorts_only:
        return parts
    start, end = format_day(filters.date_from), format_day(filters.date_to)
    if start and end:
        parts.append(gettext("From %(start)s to %(end)s", start=start, end=end))
    elif start:
        parts.append(gettext("From %(start)s to today", start=start))
    elif end:
        parts.append(gettext("From the start to %(end)s", end=end))
    parts.append(
        gettext("Department: %(name)s", name=filters.department)
        if filters.department
        else gettext("All departments")
    )
    if filters.side:
        parts.append(side_label(filters.side, gettext))
    return parts


def _charts(report: Report) -> dict[str, str]:
    wording = page_wording()
    return {
        table.key: data_uri(table.chart, table.title, wording)
        for table in report.tables
        if table.chart and table.rows and table.chart.labels
    }


def _overview(
    filters: q.ReportFilter, table: str | None = None, wording: Wording | None = None
) -> Report:
    return overview(
        db.session,
        filters,
        min_group=viewer_min_group(),
        stats_min=min_group(),
        now=utcnow(),
        table=table,
        wording=wording or page_wording(),
    )


def _compared(filters: q.ReportFilter, cohorts: list[q.CohortChoice]) -> tuple[q.CohortChoice, ...]:
    """The cohorts a comparison puts side by side, oldest first."""
    return tuple(c for c in reversed(cohorts) if c.id in filters.cohort_ids)


def _comparison(
    filters: q.ReportFilter, cohorts: list[q.CohortChoice], wording: Wording | None = None
) -> Report | None:
    chosen = _compared(filters, cohorts)
    if len(chosen) < 2:
        return None
    return comparison(
        db.session,
        filters,
        chosen,
        min_group=viewer_min_group(),
        stats_min=min_group(),
        wording=wording or page_wording(),
    )


def report_cache() -> ReportCache:
    """This process's computed report pages, kept REPORT_CACHE_SECONDS (0: none)."""
    seconds = int(current_app.config["REPORT_CACHE_SECONDS"])
    cache = current_app.extensions.get(CACHE_EXTENSION)
    if cache is None or cache.seconds != seconds:
        cache = current_app.extensions[CACHE_EXTENSION] = ReportCache(seconds)
    return cache


def _computed(
    cache: ReportCache, page: str, filters: q.ReportFilter, cohorts: list[q.CohortChoice]
) -> ComputedReport:
    """The page's report and charts, from this process's `cache` when fresh enough."""
    chosen = _compared(filters, cohorts) if page == COMPARISON else ()

    def compute() -> ComputedReport:
        computed_at = utcnow()
        report = _overview(filters) if page == OVERVIEW else _comparison(filters, cohorts)
        return ComputedReport(report, _charts(report) if report else {}, computed_at)

    if page == COMPARISON and len(chosen) < 2:
        return compute()  # nothing to compare: nothing to keep
    key = ReportKey(
        page=page,
        filters=filters,
        language=current_language(),
        viewer_min_group=viewer_min_group(),
        min_group=min_group(),
        cohorts=chosen,
    )
    return cache.get(key, compute)


def _report_page(template: str, page: str) -> str:
    """A report page: its filters' form, its report and charts (kept a short while)."""
    form, cohorts, filters = _filters()
    cache = report_cache()
    computed = _computed(cache, page, filters, cohorts) if filters else None
    return render_template(
        template,
        form=form,
        report=computed.report if computed else None,
        charts=computed.charts if computed else {},
        filters=filters,
        described=describe(filters, cohorts) if filters else [],
        cohorts=cohorts,
        min_group=min_group(),
        exact=viewer_min_group() is None,
        generated=computed.computed_at if computed else utcnow(),
        cache_seconds=cache.seconds,
    )


@bp.route("/")
@roles_required(*READERS)
def index():
    """The program report: funnel, activity, adoption, satisfaction, learning, breakdowns."""
    return _report_page("reports/index.html", OVERVIEW)


@bp.route("/compare")
@roles_required(*READERS)
def compare():
    """Two or more cohorts side by side, the same key figures as columns."""
    return _report_page("reports/compare.html", COMPARISON)


@bp.route("/export/<key>.csv")
@roles_required(*READERS)
def export(key: str):
    """One table of a report as CSV, with its filters and its suppression applied."""
    _form, cohorts, filters = _filters()
    if filters is None:
        abort(400)
    # Only the sections this table depends on: its cells are those the page shows.
    wording = csv_wording()
    report = (
        _comparison(filters, cohorts, wording)
        if key == "comparison"
        else _overview(filters, key, wording)
    )
    table = report.table(key) if report else None
    if table is None:
        abort(404)
    body = table_csv(table, wording)
    record_event(
        "report.exported",
        actor=current_user._get_current_object(),
        table=key,
        filters=request.args.to_dict(),
    )
    db.session.commit()
    return _csv(body, f"report-{key.replace('_', '-')}")


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}-{date.today():%Y-%m-%d}.csv"',
            "Cache-Control": "no-store",
        },
    )


def export_url(key: str) -> str:
    """The CSV link of a table, keeping the page's filters."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    return url_for("reports.export", key=key, **args)


@bp.app_context_processor
def report_helpers() -> dict[str, Any]:
    """Template helpers of the report pages."""
    return {
        "report_export_url": export_url,
        "report_min_group": min_group(),
        "report_wording": page_wording(),
    }


# HR only ------------------------------------------------------------------------------------


@bp.route("/at-risk")
@roles_required(Role.ADMIN)
def at_risk():
    """Active pairs at risk, by name, each with its reasons and a link to the pair."""
    form, cohorts, filters = _filters()
    pairs = q.at_risk_pairs(
        db.session,
        filters.cohort_ids if filters else (),
        utcnow(),
        gettext,
        ngettext,
        decimal=format_number,
    )
    if request.args.get("format") == "csv":
        # TRANSLATORS: separates the reasons of a pair at risk in one CSV cell.
        separator = gettext("; ")
        return _csv(
            rows_csv(
                [gettext("Cohort"), gettext("Mentee"), gettext("Mentor"), gettext("Reasons")],
                ([p.cohort, p.mentee, p.mentor, separator.join(p.reasons.values())] for p in pairs),
            ),
            "pairs-at-risk",
        )
    return render_template(
        "reports/at_risk.html",
        form=form,
        pairs=pairs,
        filters=filters,
        cohorts=cohorts,
        described=describe(filters, cohorts, cohorts_only=True) if filters else [],
        generated=utcnow(),
    )


@bp.route("/feedback")
@roles_required(Role.ADMIN)
def feedback():
    """Feedback its authors marked shareable, per cohort, newest first, with mean ratings."""
    form, cohorts, filters = _filters()
    filters = filters or q.ReportFilter()
    counts = q.shared_feedback_counts(db.session, filters)
    means = q.side_ratings(db.session, filters)
    # A page at a time, counted per cohort above: past the last page shows the last one.
    total = sum(counts.values())
    pagination = db.paginate(
        q.shared_feedback_statement(filters),
        page=min(page_number(), max(1, -(-total // FEEDBACK_PER_PAGE))),
        per_page=FEEDBACK_PER_PAGE,
        error_out=False,
        count=False,
    )
    pagination.total = total
    listed = [
        c.id
        for c in cohorts
        if (not filters.cohort_ids or c.id in filters.cohort_ids)
        and (counts.get(c.id) or any(mean.cohort_id == c.id for mean in means))
    ]
    shown = q.cohorts_on_page(listed, counts, pagination.page, FEEDBACK_PER_PAGE)
    groups = []
    for cohort in cohorts:
        if cohort.id not in shown:
            continue
        shared = [item for item in pagination.items if item.cohort_id == cohort.id]
        sides = {mean.side: mean for mean in means if mean.cohort_id == cohort.id}
        groups.append({"cohort": cohort, "items": shared, "means": sides})
    return render_template(
        "reports/feedback.html",
        form=form,
        groups=groups,
        pagination=pagination,
        cohorts=cohorts,
        described=describe(filters, cohorts, cohorts_only=True),
        generated=utcnow(),
    )


@bp.cli.command("rebuild-summary")
def rebuild_summary_command() -> None:
    """Recount the reports' summary of meetings per pair and month from every meeting.

    The app keeps it up to date on every write; run this after loading meetings or logs
    in bulk past the ORM (a restore, a benchmark).
    """
    rows = rebuild(db.session)
    db.session.commit()
    click.echo(f"Report summary rebuilt: {rows} pair-months.")
