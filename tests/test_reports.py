"""Reports: every figure against a small dataset computed by hand, suppression for
leaders (with complementary suppression and a differencing attack), HR's at-risk list
and shared feedback, CSV exports and the fixed number of queries of each page."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import event

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.curriculum.models import GoalTemplate, Topic
from mentoring.extensions import db
from mentoring.goals.models import Goal, SelfAssessment
from mentoring.matching.models import Pair
from mentoring.meetings.models import Meeting, MeetingLog
from mentoring.people.models import Person
from mentoring.reports import figures, queries
from mentoring.reports.exports import safe_cell
from mentoring.reports.queries import ReportFilter
from mentoring.reports.suppression import Suppressor, protect, recoverable, sums_to
from tests.conftest import PASSWORD

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
_uid = count(1)


def at(day: str, hour: int = 10) -> datetime:
    """A UTC time on a day written YYYY-MM-DD."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@dataclass
class World:
    """Ids of the hand-computed dataset."""

    cohort: int
    pairs: dict[str, int]
    people: dict[str, int]
    names: list[str]


def person(key: str, department: str, level: int, *, active: bool = True, seen: bool = True):
    from mentoring.auth.services import hash_password

    return Person(
        email=f"{key}@example.org",
        name=f"Zed{key.capitalize()} Unique{key}",
        department=department,
        seniority_level=level,
        password_hash=hash_password(PASSWORD) if active else None,
        last_login_at=NOW - timedelta(days=1) if seen else None,
        roles=("mentee",) if key.startswith("m") else ("mentor",),
    )


def meeting(pair: Pair, start: datetime, status: str) -> Meeting:
    return Meeting(
        pair=pair,
        uid=f"uid-{next(_uid)}@test",
        start_at=start,
        end_at=start + timedelta(hours=1),
        duration_minutes=60,
        status=status,
        cancelled_at=start if status == "cancelled" else None,
    )


def log(m: Meeting, author: Person, rating: int, **extra) -> MeetingLog:
    return MeetingLog(
        meeting=m, author_id=author.id, outcome="held", actual_minutes=60, rating=rating, **extra
    )


def build_world(app) -> World:
    """The dataset of the expected figures in the tests below (written out in each test).

    Cohort "Pilot", target 2 meetings, cadence 14 days, grace 7 days, now = 10 Mar 2026.
    Mentees m1 m2 (Finance), m3 (Sales), m4 (Sales, never activated, unmatched);
    mentors j1 j2 j3 (IT). Pairs: p1 = m1+j1, p2 = m2+j2, p3 = m3+j3.
    """
    with app.app_context():
        cohort = Cohort(
            name="Pilot",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            cadence_days=14,
            target_meetings=2,
            status="active",
            at_risk_grace_days=7,
        )
        linkedin = Topic(name="LinkedIn", position=1)
        business = Topic(name="Business insight", position=2)
        template = GoalTemplate(topic=linkedin, title="Set up a LinkedIn profile")
        db.session.add_all([cohort, linkedin, business, template])
        people = {
            "m1": person("m1", "Finance", 9),
            "m2": person("m2", "Finance", 8),
            "m3": person("m3", "Sales", 9),
            "m4": person("m4", "Sales", 7, active=False, seen=False),
            "j1": person("j1", "IT", 2),
            "j2": person("j2", "IT", 2),
            "j3": person("j3", "IT", 3, seen=False),
        }
        db.session.add_all(people.values())
        db.session.flush()
        enrollments = {
            key: Enrollment(
                cohort=cohort, person_id=p.id, side="mentee" if key[0] == "m" else "mentor"
            )
            for key, p in people.items()
        }
        db.session.add_all(enrollments.values())
        db.session.flush()
        pairs = {
            f"p{i}": Pair(
                cohort_id=cohort.id,
                mentee_enrollment_id=enrollments[f"m{i}"].id,
                mentor_enrollment_id=enrollments[f"j{i}"].id,
                created_at=at("2026-01-02"),
            )
            for i in (1, 2, 3)
        }
        db.session.add_all(pairs.values())
        db.session.flush()
        p1a = meeting(pairs["p1"], at("2026-01-10"), "held")
        p1b = meeting(pairs["p1"], at("2026-03-01"), "held")
        p2a = meeting(pairs["p2"], at("2026-02-15"), "held")
        p2b = meeting(pairs["p2"], at("2026-02-20"), "no_show")
        p3a = meeting(pairs["p3"], at("2026-03-05"), "cancelled")
        db.session.add_all([p1a, p1b, p2a, p2b, p3a])
        db.session.flush()
        db.session.add_all(
            [
                log(
                    p1a,
                    people["m1"],
                    5,
                    private_notes="SECRET-NOTE-1",
                    feedback="FEEDBACK-SHARED",
                    feedback_shareable=True,
                ),
                log(p1b, people["m1"], 4, feedback="FEEDBACK-PRIVATE"),
                log(p1a, people["j1"], 3),
                log(p2a, people["m2"], 2),
            ]
        )
        db.session.add_all(
            [
                Goal(
                    pair_id=pairs["p1"].id,
                    owner_enrollment_id=enrollments["m1"].id,
                    template_id=None,
                    topic=linkedin,
                    title="LinkedIn profile",
                    status="done",
                    completed_at=at("2026-03-02"),
                ),
                Goal(
                    pair_id=pairs["p2"].id,
                    owner_enrollment_id=enrollments["m2"].id,
                    topic=linkedin,
                    title="LinkedIn profile",
                    status="in_progress",
                ),
                Goal(
                    pair_id=pairs["p1"].id,
                    owner_enrollment_id=enrollments["j1"].id,
                    topic=business,
                    title="How the board decides",
                    status="done",
                    completed_at=at("2026-02-01"),
                ),
            ]
        )
        db.session.flush()
        goals = db.session.query(Goal).filter(Goal.topic_id == linkedin.id).all()
        for goal in goals:
            goal.template_id = template.id
        for key, start, end in (("m1", 2, 4), ("m2", 1, 2), ("m3", 3, 3)):
            for phase, value in (("start", start), ("end", end)):
                db.session.add(
                    SelfAssessment(
                        enrollment_id=enrollments[key].id,
                        topic_id=linkedin.id,
                        phase=phase,
                        confidence=value,
                    )
                )
        db.session.commit()
        return World(
            cohort=cohort.id,
            pairs={key: pair.id for key, pair in pairs.items()},
            people={key: p.id for key, p in people.items()},
            names=[p.name for p in people.values()],
        )


def texts(table: figures.Table) -> dict[str, list[str]]:
    """A table as {row label: [cell texts]}."""
    return {label: [cell.text() for cell in cells] for label, cells in table.rows}


def hr_report(app, filters: ReportFilter | None = None, stats_min: int = 3) -> figures.Report:
    with app.app_context():
        return figures.overview(
            db.session, filters or ReportFilter(), min_group=None, stats_min=stats_min, now=NOW
        )


# Each figure, by hand -------------------------------------------------------------------------


def test_funnel_per_side(app):
    build_world(app)
    funnel = texts(hr_report(app).table("funnel"))
    # Executives: 4 enrolled, m4 never activated, 3 matched, p1 and p2 met, only p1 met
    # twice (the target), m1 has a goal done.  Juniors: 3, 3, 3, 2, 1, j1's goal done.
    assert funnel["Enrolled"] == ["4", "100 %", "–", "3", "100 %", "–"]
    assert funnel["Activated (accepted the invitation)"] == [
        "3",
        "75 %",
        "75 %",
        "3",
        "100 %",
        "100 %",
    ]
    assert funnel["Matched"] == ["3", "75 %", "100 %", "3", "100 %", "100 %"]
    assert funnel["First meeting held"] == ["2", "50 %", "67 %", "2", "67 %", "67 %"]
    assert funnel["Target number of meetings reached"][:3] == ["1", "25 %", "50 %"]
    assert funnel["Target reached and at least one goal done"] == [
        "1",
        "25 %",
        "100 %",
        "1",
        "33 %",
        "100 %",
    ]


def test_funnel_breakdowns_add_up(app):
    build_world(app)
    report = hr_report(app)
    by_department = texts(report.table("funnel_department"))
    assert by_department["Finance"][:6] == ["2", "2", "2", "2", "1", "1"]
    assert by_department["Sales"][:6] == ["2", "1", "1", "0", "0", "0"]
    assert by_department["All executives"][:6] == ["4", "3", "3", "2", "1", "1"]
    by_band = texts(report.table("funnel_band"))
    assert by_band["7–8"][:2] == ["2", "1"] and by_band["9–10"][:2] == ["2", "2"]


def test_activity(app):
    build_world(app)
    report = hr_report(app)
    assert texts(report.table("meetings_by_month")) == {
        "2026-01": ["1"],
        "2026-02": ["1"],
        "2026-03": ["1"],
        "Total": ["3"],
    }
    activity = texts(report.table("activity"))
    assert activity["Meetings held"] == ["3"]
    # p1 last met 1 Mar (9 days ago): on cadence; p2 (23 days) and p3 (never) are not.
    assert activity["Active pairs whose cadence applies"] == ["3"]
    assert activity["Share of them meeting on cadence"] == ["33 %"]
    # First held meetings 8 and 44 days after publishing.
    assert activity["Median days from publishing to the first held meeting"] == ["26"]
    assert activity["No-show rate (of meetings held or missed)"] == ["25 %"]  # 1 of 4
    assert activity["Cancellation rate (of meetings held, missed or cancelled)"] == ["20 %"]


def test_date_range_selects_events(app):
    build_world(app)
    report = hr_report(app, ReportFilter(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)))
    assert texts(report.table("meetings_by_month")) == {"2026-02": ["1"], "Total": ["1"]}
    funnel = texts(report.table("funnel"))
    # In February only p2 held a meeting; m1's goal was done in March.
    assert funnel["First meeting held"][0] == "1"
    assert funnel["Target reached and at least one goal done"][0] == "0"


def test_adoption_by_topic_and_template(app):
    build_world(app)
    report = hr_report(app)
    executives = texts(report.table("adoption_topic_mentee"))
    # m1 and m2 took LinkedIn, m1 completed it: 50 % of them, 25 % of 4 executives.
    assert executives == {"LinkedIn": ["2", "1", "50 %", "25 %"]}
    assert texts(report.table("adoption_template_mentee")) == {
        "Set up a LinkedIn profile (LinkedIn)": ["2", "1", "50 %", "25 %"]
    }
    assert texts(report.table("adoption_topic_mentor")) == {
        "Business insight": ["1", "1", "100 %", "33 %"]
    }
    assert texts(report.table("adoption_department"))["LinkedIn"] == ["1", "1"]


def test_satisfaction(app):
    build_world(app)
    rows = texts(hr_report(app).table("satisfaction"))
    # Executives rated 5, 4 and 2; the junior rated 3.
    assert rows["5"][:2] == ["1", "33 %"] and rows["2"][:2] == ["1", "33 %"]
    assert rows["Total"][0] == "3" and rows["Total"][2] == "1"
    assert rows["Mean rating"][0] == "3.7" and rows["Mean rating"][2] == "3.0"
    assert rows["% rated 4 or 5"][0] == "67 %" and rows["% rated 4 or 5"][2] == "0 %"


def test_learning_gain_with_interval_and_wilcoxon(app):
    build_world(app)
    rows = texts(hr_report(app).table("learning_mentee"))
    # Start 2, 1, 3 and end 4, 2, 3: gains 2, 1, 0; mean 1, sd 1, t(0.975, 2) = 4.303,
    # half-width 4.303 / sqrt(3) = 2.484; Wilcoxon on (2, 1) gives p = 0.5.
    assert rows["LinkedIn"] == ["3", "2.0", "3.0", "+1.00", "-1.48 to +3.48", "0.500"]


def test_learning_gain_hidden_under_the_threshold(app):
    build_world(app)
    rows = texts(hr_report(app, stats_min=5).table("learning_mentee"))
    assert rows["LinkedIn"] == [
        "3",
        "not shown",
        "not shown",
        "not shown",
        "not shown",
        "not shown",
    ]


def test_comparison_of_two_cohorts(app, make_cohort, make_pair):
    world = build_world(app)
    other = make_cohort(name="Other", status="active")
    make_pair(cohort_id=other)
    with app.app_context():
        cohorts = [c for c in queries.cohort_choices(db.session) if c.id in (world.cohort, other)]
        report = figures.comparison(
            db.session,
            ReportFilter(cohort_ids=(world.cohort, other)),
            sorted(cohorts, key=lambda c: c.name == "Other"),
            min_group=None,
            stats_min=3,
        )
    rows = texts(report.table("comparison"))
    assert rows["Executive enrollments"] == ["4", "1", "5"]
    assert rows["Matched executive enrollments"] == ["3", "1", "4"]
    assert rows["Meetings held"] == ["3", "0", "3"]
    assert rows["% of executives reaching the target number of meetings and with a goal done"] == [
        "25 %",
        "0 %",
        "20 %",
    ]


# HR only ---------------------------------------------------------------------------------------


def test_at_risk_pairs_and_reasons(app):
    world = build_world(app)
    with app.app_context():
        risks = {r.pair_id: r for r in queries.at_risk_pairs(db.session, (), NOW)}
    # p1 met 9 days ago and everyone signed in: not at risk.
    assert world.pairs["p1"] not in risks
    p2 = risks[world.pairs["p2"]].reasons
    assert set(p2) == {queries.RISK_OVERDUE, queries.RISK_LOW_RATINGS}
    assert "9 days past the cadence" in p2[queries.RISK_OVERDUE]  # 23 - 14 > 7
    p3 = risks[world.pairs["p3"]].reasons
    assert set(p3) == {queries.RISK_OVERDUE, queries.RISK_ABSENT}
    assert "mentor has not signed in" in p3[queries.RISK_ABSENT]


def test_at_risk_two_no_shows_and_no_goal(app):
    world = build_world(app)
    with app.app_context():
        pair = db.session.get(Pair, world.pairs["p3"])
        db.session.add_all(
            [meeting(pair, at("2026-03-06"), "no_show"), meeting(pair, at("2026-03-07"), "no_show")]
        )
        p2 = db.session.get(Pair, world.pairs["p2"])
        db.session.add(meeting(p2, at("2026-03-08"), "held"))
        db.session.query(Goal).filter(Goal.pair_id == p2.id).delete()
        db.session.commit()
        risks = {r.pair_id: r for r in queries.at_risk_pairs(db.session, (), NOW)}
    assert queries.RISK_NO_SHOWS in risks[world.pairs["p3"]].reasons
    assert risks[world.pairs["p2"]].reasons[queries.RISK_NO_GOAL] == "No goal after 2 meetings held"


def test_grace_period_is_a_cohort_setting(app):
    world = build_world(app)
    with app.app_context():
        db.session.get(Cohort, world.cohort).at_risk_grace_days = 10
        db.session.commit()
        risks = {r.pair_id: r for r in queries.at_risk_pairs(db.session, (), NOW)}
    # p2 is 9 days past its cadence: within a 10-day grace period.
    assert queries.RISK_OVERDUE not in risks[world.pairs["p2"]].reasons


def test_hr_pages_name_pairs_and_show_shared_feedback_only(app, client, login, make_person):
    world = build_world(app)
    make_person("hr@example.org", roles=("admin",))
    login("hr@example.org")
    page = client.get("/reports/at-risk").get_data(as_text=True)
    assert "ZedM2 Uniquem2 with ZedJ2 Uniquej2" in page
    assert (
        f"/pairs/{world.pairs['p2']}" in page
        or f"pair_id={world.pairs['p2']}" in page
        or (str(world.pairs["p2"]) in page)
    )
    feedback = client.get("/reports/feedback").get_data(as_text=True)
    assert "FEEDBACK-SHARED" in feedback
    assert "FEEDBACK-PRIVATE" not in feedback and "SECRET-NOTE-1" not in feedback
    exported = client.get("/reports/at-risk?format=csv")
    assert exported.data.startswith("\ufeff".encode())
    assert "ZedM2 Uniquem2" in exported.get_data(as_text=True)


def test_at_risk_lists_open_end_requests_without_their_reason(app, client, login, make_person):
    from mentoring.trust.models import EndRequest

    world = build_world(app)
    with app.app_context():
        db.session.add_all(
            [
                EndRequest(
                    pair_id=world.pairs["p1"],
                    requester_id=world.people["m1"],
                    reason="PRIVATE-END-REASON",
                    created_at=NOW - timedelta(days=2),
                ),
                # Decided: no longer a reason.
                EndRequest(
                    pair_id=world.pairs["p3"],
                    requester_id=world.people["j3"],
                    reason="OLD-REASON",
                    resolution="kept",
                    resolved_at=NOW - timedelta(days=1),
                ),
            ]
        )
        db.session.commit()
        request_id = db.session.scalar(
            db.select(EndRequest.id).where(EndRequest.pair_id == world.pairs["p1"])
        )
        risks = {r.pair_id: r for r in queries.at_risk_pairs(db.session, (), NOW)}
    p1 = risks[world.pairs["p1"]]
    # p1 meets on cadence and has a goal: the request alone puts it on the list, first.
    assert list(p1.reasons) == [queries.RISK_END_REQUEST]
    assert p1.end_request_id == request_id
    assert queries.RISK_END_REQUEST not in risks[world.pairs["p3"]].reasons
    make_person("hr@example.org", roles=("admin",))
    login("hr@example.org")
    page = client.get("/reports/at-risk").get_data(as_text=True)
    assert f'href="/end-requests/{request_id}"' in page
    assert "A member asked HR to end the pair" in page
    assert "PRIVATE-END-REASON" not in page and "OLD-REASON" not in page
    exported = client.get("/reports/at-risk?format=csv").get_data(as_text=True)
    assert "A member asked HR to end the pair" in exported
    assert "PRIVATE-END-REASON" not in exported


def test_an_export_computes_only_its_sections_and_matches_the_page(app):
    """A CSV computes the sections its table depends on, and its cells equal the page's."""
    build_world(app)
    with app.app_context():
        for min_group in (None, 3):
            full = figures.overview(
                db.session, ReportFilter(), min_group=min_group, stats_min=3, now=NOW
            )
            for table in full.tables:
                statements = []

                def count(*_args, statements=statements):
                    statements.append(1)

                event.listen(db.engine, "before_cursor_execute", count)
                try:
                    alone = figures.overview(
                        db.session,
                        ReportFilter(),
                        min_group=min_group,
                        stats_min=3,
                        now=NOW,
                        table=table.key,
                    )
                finally:
                    event.remove(db.engine, "before_cursor_execute", count)
                assert texts(alone.table(table.key)) == texts(table), table.key
                assert len(statements) < 10, (table.key, len(statements))
            funnel_only = figures.overview(
                db.session,
                ReportFilter(),
                min_group=min_group,
                stats_min=3,
                now=NOW,
                table="funnel",
            )
            assert {t.key for t in funnel_only.tables} == {
                "funnel",
                "funnel_department",
                "funnel_band",
            }


# Leaders: aggregates only, small groups hidden --------------------------------------------------


LEADER_PAGES = [
    "/reports/",
    "/reports/?side=mentee",
    "/reports/?department=Finance",
    "/reports/compare?cohort={cohort}&cohort={other}",
]


def leader_urls(world: World, other: int) -> list[str]:
    urls = [url.format(cohort=world.cohort, other=other) for url in LEADER_PAGES]
    keys = [
        "funnel",
        "funnel_department",
        "funnel_band",
        "adoption_topic_mentee",
        "adoption_template_mentee",
        "adoption_department",
        "adoption_band",
        "adoption_topic_mentor",
        "adoption_template_mentor",
        "meetings_by_month",
        "activity",
        "satisfaction",
        "learning_mentee",
        "learning_mentor",
    ]
    urls += [f"/reports/export/{key}.csv" for key in keys]
    urls.append(f"/reports/export/comparison.csv?cohort={world.cohort}&cohort={other}")
    return urls


def test_leader_never_sees_a_name_a_note_feedback_or_a_small_count(
    app, client, login, make_person, make_cohort, make_pair
):
    world = build_world(app)
    other = make_cohort(name="Other", status="active")
    extra = make_pair(cohort_id=other)
    with app.app_context():
        names = [p.name for p in db.session.query(Person).all()]
    make_person("boss@example.org", roles=("leader",), name="Boss Person")
    login("boss@example.org")
    for url in leader_urls(world, other):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        for name in names:
            if name != "Boss Person":
                assert name not in body, (url, name)
        for secret in ("SECRET-NOTE-1", "FEEDBACK-SHARED", "FEEDBACK-PRIVATE"):
            assert secret not in body, (url, secret)
        if url.endswith(".csv") or ".csv?" in url:
            for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))):
                for value in row[1:]:
                    assert not (value.isdigit() and 0 < int(value) < 5), (url, row)
    assert extra["pair"]
    assert "fewer than 5" in client.get("/reports/").get_data(as_text=True)
    assert client.get("/reports/at-risk").status_code == 403
    assert client.get("/reports/feedback").status_code == 403


def test_leader_report_cells_never_show_a_small_count(app):
    build_world(app)
    with app.app_context():
        report = figures.overview(db.session, ReportFilter(), min_group=5, stats_min=5, now=NOW)
    for table in report.tables:
        for label, cells in table.rows:
            for cell in cells:
                if cell.kind == "count" and cell.shown:
                    assert not 0 < cell.value < 5, (table.key, label, cell.value)


def test_participants_cannot_open_reports(app, client, login, make_pair):
    ids = make_pair()
    with app.app_context():
        email = db.session.get(Person, ids["mentee"]).email
    login(email)
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/export/funnel.csv").status_code == 403


def test_home_tiles_follow_the_same_rules(app, client, login, make_person):
    build_world(app)
    make_person("boss@example.org", roles=("leader",))
    page = login("boss@example.org", follow=True).get_data(as_text=True)
    # 3 goals done by 2 people, 3 meetings held by 2 pairs: hidden like the groups.
    assert "learning goals completed" in page
    section = page[page.index("Program adoption") :]
    assert '<span class="stat-value">3</span><span class="stat-label">learning goals' not in section
    assert (
        '<span class="stat-value">fewer than 5</span><span class="stat-label">learning goals'
        in (section)
    )
    assert "/reports/" in section


# Complementary suppression and the differencing attack ----------------------------------------


def test_complementary_suppression_hides_a_second_cell():
    s = Suppressor(5)
    cells = [s.count(3), s.count(12), s.count(9)]
    total = s.count(24)
    constraint = sums_to(cells, total)
    assert recoverable([constraint]) == [cells[0]]  # 24 - 12 - 9 = 3
    protect([constraint])
    assert not cells[2].shown and cells[1].shown  # the smallest other cell: 9
    assert cells[2].text() == "not shown" and cells[0].text() == "fewer than 5"
    assert recoverable([constraint]) == []


def test_suppression_is_off_for_hr():
    s = Suppressor(None)
    assert s.count(1).shown and s.count(1).text() == "1"


def test_shares_of_hidden_counts_are_hidden():
    s = Suppressor(5)
    part, whole = s.count(3), s.count(40)
    assert s.share(part, whole).text() == "not shown"
    part, whole = s.count(6), s.count(40)
    share = s.share(part, whole)
    assert share.text() == "15 %"
    part.hidden = "complement"  # hidden later by complementary suppression
    assert share.text() == "not shown"


@pytest.mark.parametrize("seed", range(40))
def test_differencing_attack_fails_on_random_tables(seed):
    import random

    rng = random.Random(seed)
    s = Suppressor(5)
    rows, columns = rng.randint(2, 6), rng.randint(2, 6)
    values = [
        [rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 14, 30]) for _ in range(columns)] for _ in range(rows)
    ]
    grid = [[s.count(v) for v in row] for row in values]
    row_totals = [s.count(sum(row)) for row in values]
    column_totals = [s.count(sum(values[r][c] for r in range(rows))) for c in range(columns)]
    grand = s.count(sum(map(sum, values)))
    constraints = [sums_to(grid[r], row_totals[r]) for r in range(rows)]
    constraints += [
        sums_to([grid[r][c] for r in range(rows)], column_totals[c]) for c in range(columns)
    ]
    constraints.append(sums_to(row_totals, grand))
    constraints.append(sums_to(column_totals, grand))
    protect(constraints)
    assert recoverable(constraints) == []
    every = [cell for row in grid for cell in row] + row_totals + column_totals + [grand]
    assert all(cell.shown or cell.value == 0 or cell.hidden for cell in every)
    assert not any(cell.shown and 0 < cell.value < 5 for cell in every)


def test_differencing_attack_fails_on_every_report_table(app, make_cohort, make_pair):
    world = build_world(app)
    # More executives in more departments, so some groups are large and some small.
    other = make_cohort(name="Other", status="active")
    for _ in range(9):
        make_pair(cohort_id=other)
    with app.app_context():
        for table_set in (
            figures.overview(db.session, ReportFilter(), min_group=5, stats_min=5, now=NOW),
            figures.overview(db.session, ReportFilter(), min_group=3, stats_min=3, now=NOW),
            figures.comparison(
                db.session,
                ReportFilter(cohort_ids=(world.cohort, other)),
                [c for c in queries.cohort_choices(db.session)],
                min_group=5,
                stats_min=5,
            ),
        ):
            hidden = [
                cell
                for constraint in table_set.constraints
                for cell in (*constraint.members, constraint.total)
                if not cell.shown
            ]
            assert hidden, "the dataset must exercise suppression"
            assert recoverable(table_set.constraints) == []


# Exports ----------------------------------------------------------------------------------------


def test_csv_cells_are_safe_against_formulas():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    for start in ("+1+1", "-cmd", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(start).startswith("'")
    assert safe_cell("-0.25") == "-0.25"  # a plain number is no formula
    assert safe_cell("Sales") == "Sales"


def test_csv_export_has_bom_filters_and_suppression(app, client, login, make_person):
    world = build_world(app)
    with app.app_context():
        db.session.query(Topic).filter(Topic.name == "LinkedIn").one().name = "=LinkedIn+1"
        db.session.commit()
    make_person("boss@example.org", roles=("leader",))
    login("boss@example.org")
    response = client.get(f"/reports/export/adoption_topic_mentee.csv?cohort={world.cohort}")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][0] == "Topic"
    assert rows[1] == ["'=LinkedIn+1", "fewer than 5", "fewer than 5", "not shown", "not shown"]
    # The department filter applies: nobody in IT is an executive.
    rows = client.get("/reports/export/funnel.csv?department=IT&side=mentee").get_data(as_text=True)
    assert "Enrolled,0," in rows


def test_unknown_table_is_404_and_bad_filters_are_explained(app, client, login, make_person):
    build_world(app)
    make_person("hr@example.org", roles=("admin",))
    login("hr@example.org")
    assert client.get("/reports/export/nothing.csv").status_code == 404
    page = client.get("/reports/?date_from=2026-03-01&date_to=2026-02-01&cohort=999")
    body = page.get_data(as_text=True)
    assert "The end of the range comes before its start" in body
    assert "There is no cohort 999" in body
    assert 'value="2026-03-01"' in body


def test_min_group_cannot_go_below_three():
    from mentoring.config import load_config

    with pytest.raises(ValueError, match="at least 3"):
        load_config("instance", {"REPORT_MIN_GROUP": 2})


# Speed: a fixed number of queries, whatever the data size ----------------------------------


def _count_queries(app, client, url: str) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
        assert response.status_code == 200, url
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_every_report_page_runs_a_fixed_number_of_queries(
    app, client, login, make_person, make_cohort, make_pair
):
    world = build_world(app)
    other = make_cohort(name="Other", status="active")
    make_pair(cohort_id=other)
    make_person("hr@example.org", roles=("admin",))
    login("hr@example.org")
    urls = [
        "/reports/",
        f"/reports/compare?cohort={world.cohort}&cohort={other}",
        "/reports/at-risk",
        "/reports/feedback",
        "/reports/export/funnel.csv",
    ]
    before = {url: _count_queries(app, client, url) for url in urls}
    with app.app_context():
        pair = db.session.get(Pair, world.pairs["p1"])
        for day in range(11, 28):
            db.session.add(meeting(pair, at(f"2026-02-{day:02d}"), "held"))
        db.session.commit()
    for _ in range(6):
        make_pair(cohort_id=other)
    after = {url: _count_queries(app, client, url) for url in urls}
    assert before == after


# A participant's own view -----------------------------------------------------------------------


def test_participant_sees_own_confidence_once_the_end_rating_exists(app, client, login):
    world = build_world(app)
    login("m1@example.org")
    page = client.get(f"/pairs/{world.pairs['p1']}/goals").get_data(as_text=True)
    assert "Your confidence, before and after" in page
    assert '<td class="num">2</td>' in page and '<td class="num">4</td>' in page
    assert "+2" in page
    with app.app_context():
        db.session.query(SelfAssessment).filter(SelfAssessment.phase == "end").delete()
        db.session.commit()
    page = client.get(f"/pairs/{world.pairs['p1']}/goals").get_data(as_text=True)
    assert "Your confidence, before and after" not in page
