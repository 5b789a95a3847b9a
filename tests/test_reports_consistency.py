"""Reports say the same thing however they are asked: "all cohorts" is exactly the cohorts
the filter offers (never a draft), the funnel names what it counts (enrollments, where the
leaders' home counts people), its last step says it needs the target too, figures are
written in the reader's language, and a printed board pack leaves out screen-only notes."""

from __future__ import annotations

import re
from datetime import date

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.curriculum.models import Topic
from mentoring.extensions import db
from mentoring.goals.models import Goal, SelfAssessment
from mentoring.reports import figures, queries
from mentoring.reports.charts import render_svg
from mentoring.reports.queries import ReportFilter
from tests.conftest import signed_in
from tests.test_reports import NOW, at, build_world, person, texts


def add_draft_cohort(app) -> int:
    """A cohort HR is still setting up: two executives and two juniors enrolled (signed in,
    one of them in a department nobody else is in), the executives' confidence rated at
    the start and at the end, as an import and a self-assessment can leave them."""
    with app.app_context():
        cohort = Cohort(
            name="Next year (draft)",
            start_date=date(2027, 1, 1),
            end_date=date(2027, 12, 31),
            status="draft",
        )
        db.session.add(cohort)
        people = {
            "md1": person("md1", "Finance", 9),
            "md2": person("md2", "Legal", 8),
            "jd1": person("jd1", "IT", 2),
            "jd2": person("jd2", "IT", 2),
        }
        db.session.add_all(people.values())
        db.session.flush()
        enrollments = [
            Enrollment(cohort=cohort, person_id=p.id, side="mentee" if key[0] == "m" else "mentor")
            for key, p in people.items()
        ]
        db.session.add_all(enrollments)
        db.session.flush()
        linkedin = db.session.scalar(db.select(Topic).where(Topic.name == "LinkedIn"))
        for enrollment in enrollments[:2]:
            for phase, confidence in (("start", 1), ("end", 5)):
                db.session.add(
                    SelfAssessment(
                        enrollment_id=enrollment.id,
                        topic_id=linkedin.id,
                        phase=phase,
                        confidence=confidence,
                    )
                )
        db.session.commit()
        return cohort.id


def every_table(app, filters: ReportFilter, min_group: int | None) -> dict[str, dict]:
    """Every table of the program report as texts, keyed by table."""
    with app.app_context():
        report = figures.overview(db.session, filters, min_group=min_group, stats_min=3, now=NOW)
    return {table.key: {"": table.header, **texts(table)} for table in report.tables}


def offered(app) -> tuple[int, ...]:
    """The ids of the cohorts the filter offers."""
    with app.app_context():
        return tuple(sorted(c.id for c in queries.cohort_choices(db.session)))


# "All cohorts" ---------------------------------------------------------------------------------


def test_a_draft_cohort_changes_no_figure_of_all_cohorts(app):
    build_world(app)
    before = {group: every_table(app, ReportFilter(), group) for group in (None, 3)}
    draft = add_draft_cohort(app)
    assert draft not in offered(app)
    for group in (None, 3):
        assert every_table(app, ReportFilter(), group) == before[group], group
    funnel = before[None]["funnel"]
    # The Pilot's 4 executives and 3 juniors, not the draft's 2 and 2 on top.
    assert funnel["Enrolled"][0] == "4" and funnel["Enrolled"][3] == "3"
    assert before[None]["learning_mentee"]["LinkedIn"][0] == "3"


def test_no_cohort_ticked_is_every_cohort_offered(app, make_cohort, make_pair):
    world = build_world(app)
    other = make_cohort(name="Other", status="active")
    make_pair(cohort_id=other)
    make_cohort(name="Called off", status="cancelled")
    add_draft_cohort(app)
    everyone = offered(app)
    assert world.cohort in everyone and other in everyone and len(everyone) == 3
    for group in (None, 5):
        assert every_table(app, ReportFilter(), group) == every_table(
            app, ReportFilter(cohort_ids=everyone), group
        )


def test_no_box_and_all_boxes_give_the_same_pages_and_downloads(app, make_person):
    build_world(app)
    add_draft_cohort(app)
    ticked = "&".join(f"cohort={cohort}" for cohort in offered(app))
    for email, roles in (("hr@example.org", ("admin",)), ("boss@example.org", ("leader",))):
        make_person(email, roles=roles)
        client = signed_in(app, email)
        for key in ("funnel", "adoption_topic_mentee", "adoption_topic_mentor", "learning_mentee"):
            none = client.get(f"/reports/export/{key}.csv").get_data(as_text=True)
            every = client.get(f"/reports/export/{key}.csv?{ticked}").get_data(as_text=True)
            assert none == every, (email, key)
        page = client.get("/reports/").get_data(as_text=True)
        funnel = page[page.index('id="funnel"') :]
        enrolled = re.search(r'<th scope="row">Enrolled</th>\s*<td[^>]*>([^<]+)</td>', funnel)
        assert enrolled[1] == ("4" if roles == ("admin",) else "fewer than 5")
        # Nobody of the reported cohorts is in Legal: the filter does not offer it.
        assert '<option value="Legal">' not in page
        assert '<option value="Finance">' in page


# What the funnel counts ---------------------------------------------------------------------


def test_the_funnel_counts_enrollments_and_says_so(app, make_cohort):
    world = build_world(app)
    second = make_cohort(name="Second run", status="active")
    with app.app_context():
        # j1 mentors again in another cohort: one person, two enrollments.
        db.session.add(Enrollment(cohort_id=second, person_id=world.people["j1"], side="mentor"))
        db.session.commit()
    with app.app_context():
        report = figures.overview(db.session, ReportFilter(), min_group=None, stats_min=3, now=NOW)
    funnel = report.table("funnel")
    assert funnel.header[1] == "Executives (mentees): enrollments"
    assert funnel.header[4] == "Juniors (mentors): enrollments"
    assert funnel.chart.axis == "Enrollments"
    assert ">Enrollments<" in render_svg(funnel.chart, funnel.title)  # the values' axis
    assert texts(funnel)["Enrolled"][3] == "4"  # 3 juniors, j1 twice
    assert funnel.description.startswith("Enrollments at each step")
    assert "counts once in each" in funnel.description
    for key in ("funnel_department", "funnel_band"):
        assert "enrollments at each step" in report.table(key).description
    adoption = report.table("adoption_topic_mentor")
    assert "of all 4 junior enrollments" in adoption.description
    assert adoption.header[-1] == "% of all junior enrollments"


def test_the_comparison_counts_enrollments_and_says_so(app, make_cohort, make_pair):
    world = build_world(app)
    other = make_cohort(name="Other", status="active")
    make_pair(cohort_id=other)
    with app.app_context():
        # m1 is an executive of the other cohort too.
        db.session.add(Enrollment(cohort_id=other, person_id=world.people["m1"], side="mentee"))
        db.session.commit()
        cohorts = [c for c in queries.cohort_choices(db.session)]
        report = figures.comparison(
            db.session,
            ReportFilter(cohort_ids=(world.cohort, other)),
            sorted(cohorts, key=lambda c: c.name == "Other"),
            min_group=None,
            stats_min=3,
        )
    rows = texts(report.table("comparison"))
    # 4 + 2 enrollments of 5 different executives.
    assert rows["Executive enrollments"] == ["4", "2", "6"]
    assert rows["Junior enrollments"] == ["3", "1", "4"]
    assert rows["Matched executive enrollments"] == ["3", "1", "4"]
    assert "counts once in each" in report.table("comparison").description


# The goal step ---------------------------------------------------------------------------------


def test_the_last_step_says_it_needs_the_target_too(app, make_cohort, make_pair):
    world = build_world(app)
    other = make_cohort(name="Other", status="active")
    make_pair(cohort_id=other)
    with app.app_context():
        # m2 completes a goal after one meeting of the two the cohort targets: the home's
        # "executives with a goal completed" counts m1 and m2, the funnel's last step m1.
        goal = db.session.scalar(db.select(Goal).where(Goal.pair_id == world.pairs["p2"]))
        goal.status, goal.completed_at = "done", at("2026-03-03")
        db.session.commit()
        overview = figures.overview(
            db.session, ReportFilter(), min_group=None, stats_min=3, now=NOW
        )
        chosen = sorted(queries.cohort_choices(db.session), key=lambda c: c.name == "Other")
        comparison = figures.comparison(
            db.session,
            ReportFilter(cohort_ids=(world.cohort, other)),
            chosen,
            min_group=None,
            stats_min=3,
        )
    funnel = texts(overview.table("funnel"))
    assert funnel["Target reached and at least one goal done"][0] == "1"
    rows = texts(comparison.table("comparison"))
    label = "% of executives reaching the target number of meetings and with a goal done"
    assert rows[label] == ["25 %", "0 %", "20 %"]
    # No label of the funnel or the comparison speaks of a goal done without the target.
    labels = [
        *(label for label, _cells in overview.table("funnel").rows),
        *overview.table("funnel_department").header,
        *overview.table("funnel_band").header,
        *(label for label, _cells in comparison.table("comparison").rows),
        *comparison.table("comparison").chart.labels,
    ]
    for text in labels:
        if "goal done" in text:
            assert "target" in text.lower(), text


# Numbers in the reader's language -------------------------------------------------------------


def test_at_risk_ratings_are_written_in_the_readers_language(app, make_person):
    build_world(app)  # p2's executive rated its only logged meeting 2
    make_person("rh@example.org", roles=("admin",), locale="fr")
    make_person("hr@example.org", roles=("admin",), locale="en")
    french = signed_in(app, "rh@example.org").get("/reports/at-risk").get_data(as_text=True)
    assert re.search(r"\b2,0\b", french)
    assert not re.search(r"\b2\.0\b", french)
    english = signed_in(app, "hr@example.org").get("/reports/at-risk").get_data(as_text=True)
    assert "Mean rating 2.0 over the last 3 logs" in english
    with app.app_context():
        reasons = [
            reason
            for risk in queries.at_risk_pairs(db.session, (), NOW)
            for reason in risk.reasons.values()
        ]
    assert "Mean rating 2.0 over the last 3 logs" in reasons  # plain by default


# The print layout --------------------------------------------------------------------------


def test_the_print_leaves_out_hrs_note_and_the_age_of_the_figures(app, make_person, monkeypatch):
    build_world(app)
    monkeypatch.setitem(app.config, "REPORT_CACHE_SECONDS", 60)
    make_person("hr@example.org", roles=("admin",))
    make_person("boss@example.org", roles=("leader",))
    for url in ("/reports/", "/reports/compare"):
        hr = signed_in(app, "hr@example.org").get(url).get_data(as_text=True)
        if url == "/reports/":
            assert re.search(r'<p class="report-legend no-print">You see exact counts', hr)
        assert re.search(
            r'<span class="no-print">The figures on this page may be up to 1 minute old', hr
        )
        assert re.search(r"Produced on [^<]*\.(?! The figures)", hr)  # the date still prints
    leader = signed_in(app, "boss@example.org").get("/reports/").get_data(as_text=True)
    # The leaders' legend explains "fewer than 5" in the board pack too: it prints.
    assert re.search(r'<p class="report-legend">Aggregates only', leader)
