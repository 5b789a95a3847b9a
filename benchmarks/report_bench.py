"""Report pages at the size of a large company: median time of each page.

    .venv/bin/python benchmarks/report_bench.py [--repeat 7] [--database-url URL] [--rebuild]

Builds 10,000 people, 10 cohorts, 5,000 pairs, 500,000 meetings with their logs,
50,000 goals and 40,000 self-assessments with bulk inserts, then counts the reports'
summaries as `flask reports rebuild-summary` does (SQLite by default, cached in /tmp
between runs; PostgreSQL with --database-url or DATABASE_URL), analyzes the tables
(PostgreSQL: VACUUM ANALYZE, as autovacuum does after bulk inserts), then prints the
median time of each report page through the Flask test client, and its ratio to a bare
SQL GROUP BY of meetings by cohort and month measured in the same run.

Targets (issue 10), on a 2-core machine: every report page under 300 ms median on
PostgreSQL and under 600 ms on SQLite.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import make_app, median_time  # noqa: E402

PEOPLE = 10_000
COHORTS = 10
PAIRS_PER_COHORT = 500
MEETINGS_PER_PAIR = 100
GOALS_PER_SIDE = 5
TOPICS_PER_PERSON = 2
# The built SQLite file is kept between runs, named after the schema it was built with, so
# a changed migration builds a new one instead of failing on a stale file.
_SCHEMA = hashlib.sha256(
    b"".join(p.read_bytes() for p in sorted((ROOT / "migrations" / "versions").glob("*.py")))
).hexdigest()[:12]
CACHE = Path(tempfile.gettempdir()) / f"report_bench_{_SCHEMA}.sqlite3"
DEPARTMENTS = [
    "Finance", "Sales", "Marketing", "IT", "Operations",
    "Legal", "HR", "R&D", "Customer Service", "Executive Office",
]  # fmt: skip
STATUSES = ["held"] * 80 + ["no_show"] * 8 + ["cancelled"] * 7 + ["confirmed"] * 5


def _chunks(rows: list[dict], size: int = 20_000):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def build(app, seed: int = 10) -> None:
    """Fill the database with bulk inserts (Core executemany), in a few minutes."""
    from sqlalchemy import insert

    from mentoring.cohorts.models import Cohort, Enrollment
    from mentoring.curriculum.models import GoalTemplate, Topic
    from mentoring.extensions import db
    from mentoring.goals.models import Goal, SelfAssessment
    from mentoring.matching.models import Pair
    from mentoring.meetings.models import Meeting, MeetingLog
    from mentoring.people.models import Person, PersonRole
    from mentoring.reports.summary import rebuild

    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)

    def add(model, rows):
        table = model.__table__ if hasattr(model, "__table__") else model
        for chunk in _chunks(rows):
            db.session.execute(insert(table), chunk)

    with app.app_context():
        tables = [table.name for table in db.metadata.sorted_tables]
        if db.engine.dialect.name == "postgresql":
            # DELETE would check every foreign key row by row: empty them in one go.
            db.session.execute(db.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
        topics = [{"id": i + 1, "name": f"Topic {i + 1}", "position": i} for i in range(13)]
        add(Topic, topics)
        templates = [
            {
                "id": i + 1,
                "topic_id": (i % 13) + 1,
                "title": f"Template {i + 1}",
                "audience": "mentee" if i < 26 else "mentor",
                "position": i,
            }
            for i in range(31)
        ]
        add(GoalTemplate, templates)
        people = [
            {
                "id": i + 1,
                "email": f"p{i + 1}@bench.example",
                "name": f"Person {i + 1}",
                "department": DEPARTMENTS[i % len(DEPARTMENTS)],
                "seniority_level": 7 + i % 4 if (i % 1000) < 500 else 1 + i % 4,
                "password_hash": None if i % 17 == 0 else "x",
                "last_login_at": now - timedelta(days=rng.randint(0, 60)),
            }
            for i in range(PEOPLE)
        ]
        add(Person, people)
        add(
            PersonRole,
            [
                {"person_id": p["id"], "role": "mentee" if (p["id"] - 1) % 1000 < 500 else "mentor"}
                for p in people
            ],
        )
        cohorts = [
            {
                "id": c + 1,
                "name": f"Cohort {2017 + c}",
                "start_date": date(2017 + c, 1, 10),
                "end_date": date(2017 + c, 12, 20) if c < COHORTS - 1 else date(2027, 6, 30),
                "status": "closed" if c < COHORTS - 1 else "active",
                "target_meetings": 60,
                "cadence_days": 14,
            }
            for c in range(COHORTS)
        ]
        add(Cohort, cohorts)
        enrollments = [
            {
                "id": i + 1,
                "cohort_id": i // 1000 + 1,
                "person_id": i + 1,
                "side": "mentee" if i % 1000 < 500 else "mentor",
            }
            for i in range(PEOPLE)
        ]
        add(Enrollment, enrollments)
        pairs = []
        for c in range(COHORTS):
            for k in range(PAIRS_PER_COHORT):
                pairs.append(
                    {
                        "id": len(pairs) + 1,
                        "cohort_id": c + 1,
                        "mentee_enrollment_id": c * 1000 + k + 1,
                        "mentor_enrollment_id": c * 1000 + 500 + k + 1,
                        "status": "active" if c == COHORTS - 1 else "ended",
                        "ended_at": None if c == COHORTS - 1 else now,
                        "end_reason": None if c == COHORTS - 1 else "completed",
                        "created_at": datetime(2017 + c, 1, 12, tzinfo=UTC),
                    }
                )
        add(Pair, pairs)
        meetings, logs = [], []
        for pair in pairs:
            start = pair["created_at"]
            mentee_person = pair["mentee_enrollment_id"]
            mentor_person = pair["mentor_enrollment_id"]
            for n in range(MEETINGS_PER_PAIR):
                at = start + timedelta(days=3 * n + rng.randint(0, 2), hours=rng.randint(7, 17))
                status = rng.choice(STATUSES)
                meeting_id = len(meetings) + 1
                meetings.append(
                    {
                        "id": meeting_id,
                        "pair_id": pair["id"],
                        "uid": f"m{meeting_id}@bench",
                        "start_at": at,
                        "end_at": at + timedelta(hours=1),
                        "duration_minutes": 60,
                        "status": status,
                        "cancelled_at": at if status == "cancelled" else None,
                        "created_at": at,
                        "updated_at": at,
                    }
                )
                if status == "held":
                    for author in (mentee_person, mentor_person)[: rng.randint(1, 2)]:
                        shared = rng.random() < 0.01
                        logs.append(
                            {
                                "meeting_id": meeting_id,
                                "author_id": author,
                                "outcome": "held",
                                "actual_minutes": 60,
                                "rating": rng.choice((2, 3, 4, 4, 5, 5)),
                                "feedback": "Useful session" if shared else "",
                                "feedback_shareable": shared,
                                "created_at": at,
                                "updated_at": at,
                            }
                        )
                elif status == "no_show":
                    logs.append(
                        {
                            "meeting_id": meeting_id,
                            "author_id": mentee_person,
                            "outcome": "no_show",
                            "actual_minutes": None,
                            "rating": None,
                            "feedback": "",
                            "feedback_shareable": False,
                            "created_at": at,
                            "updated_at": at,
                        }
                    )
        add(Meeting, meetings)
        add(MeetingLog, logs)
        goals = []
        for pair in pairs:
            for side, owner, offset in (
                ("mentee", pair["mentee_enrollment_id"], 0),
                ("mentor", pair["mentor_enrollment_id"], 26),
            ):
                count = GOALS_PER_SIDE
                for g in range(count):
                    template = (offset + (pair["id"] + g) % (26 if side == "mentee" else 5)) + 1
                    status = rng.choice(
                        ("done", "done", "in_progress", "in_progress", "not_started")
                    )
                    done_at = pair["created_at"] + timedelta(days=rng.randint(20, 300))
                    goals.append(
                        {
                            "pair_id": pair["id"],
                            "owner_enrollment_id": owner,
                            "template_id": template,
                            "topic_id": templates[template - 1]["topic_id"],
                            "title": f"Goal {g}",
                            "status": status,
                            "completed_at": done_at if status == "done" else None,
                            "created_at": pair["created_at"],
                            "updated_at": pair["created_at"],
                        }
                    )
        add(Goal, goals)
        assessments = []
        for e in enrollments:
            for t in range(TOPICS_PER_PERSON):
                first = rng.randint(1, 4)
                for phase, value in (("start", first), ("end", min(5, first + rng.randint(0, 2)))):
                    assessments.append(
                        {
                            "enrollment_id": e["id"],
                            "topic_id": (e["id"] + t) % 13 + 1,
                            "phase": phase,
                            "confidence": value,
                        }
                    )
        add(SelfAssessment, assessments)
        if db.engine.dialect.name == "postgresql":
            # Rows came with their ids: move the sequences past them.
            for table in ("person", "topic", "goal_template", "cohort", "enrollment", "pair"):
                db.session.execute(
                    db.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            db.session.execute(
                db.text("SELECT setval(pg_get_serial_sequence('meeting', 'id'), :n)"),
                {"n": len(meetings)},
            )
        # Bulk inserts bypass the ORM: count the reports' summary as the command does.
        summary_rows = rebuild(db.session)
        db.session.commit()
        print(
            f"built: {len(people)} people, {len(cohorts)} cohorts, {len(pairs)} pairs, "
            f"{len(meetings)} meetings, {len(logs)} logs, {len(goals)} goals, "
            f"{len(assessments)} self-assessments, {summary_rows} pair-months in the summary"
        )


def is_built(app) -> bool:
    """Whether the database already holds the benchmark data (a cached SQLite file)."""
    from sqlalchemy import func, select

    from mentoring.extensions import db
    from mentoring.meetings.models import Meeting

    with app.app_context():
        return db.session.scalar(select(func.count(Meeting.id))) == (
            COHORTS * PAIRS_PER_COHORT * MEETINGS_PER_PAIR
        )


def signed_in(app, roles: tuple[str, ...]):
    """A test client whose session is a person holding these roles."""
    from mentoring.extensions import db
    from mentoring.people.models import Person

    with app.app_context():
        email = f"{'-'.join(roles)}@bench.example"
        person = db.session.query(Person).filter_by(email=email).one_or_none()
        if person is None:
            person = Person(email=email, name="Bench Reader", roles=roles)
            db.session.add(person)
            db.session.commit()
        user_id = person.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    return client


def main() -> None:
    """Build (or reuse) the data, then time each report page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{CACHE}"
    app = make_app(url)
    if args.rebuild or not is_built(app):
        started = time.perf_counter()
        build(app)
        print(f"built in {time.perf_counter() - started:.0f} s")
    from mentoring.extensions import db
    from mentoring.reports.queries import meetings_by_cohort_and_month

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does after bulk inserts, done here since a test server may
            # run without it: fresh statistics, and the visibility map that lets
            # index-only scans skip the table.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(db.text("VACUUM ANALYZE"))
        else:
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()

        def baseline() -> None:
            meetings_by_cohort_and_month(db.session)
            db.session.rollback()

        base = median_time(baseline, args.repeat)
    leader = signed_in(app, ("leader",))
    hr = signed_in(app, ("admin",))
    pages = [
        ("leader", leader, "/reports/"),
        ("leader", leader, "/reports/?cohort=10"),
        ("leader", leader, "/reports/?department=Finance&date_from=2020-01-01"),
        ("leader", leader, "/reports/?date_from=2025-03-15&date_to=2026-06-20"),
        ("leader", leader, "/reports/compare?cohort=9&cohort=10"),
        ("leader", leader, "/reports/export/funnel.csv"),
        ("HR", hr, "/reports/"),
        ("HR", hr, "/reports/at-risk"),
        ("HR", hr, "/reports/feedback?cohort=10"),
        ("HR", hr, "/reports/feedback"),
        ("HR", hr, "/reports/feedback?page=100"),
    ]
    dialect = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    target = 0.300 if dialect == "PostgreSQL" else 0.600
    print(f"{dialect}: bare GROUP BY of meetings by cohort and month: {base * 1000:.0f} ms")
    worst = 0.0
    for who, client, page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)

        def run(client=client, page=page) -> None:
            client.get(page)

        t = median_time(run, args.repeat)
        worst = max(worst, t)
        print(f"  {who:6} {page:55} {t * 1000:7.0f} ms  ({t / base:4.1f}x the GROUP BY)")
    verdict = "meets" if worst < target else "MISSES"
    print(f"slowest page {worst * 1000:.0f} ms: {verdict} the {target * 1000:.0f} ms target")


if __name__ == "__main__":
    main()
