"""A calendar feed of a person with 200 meetings: median time uncached and revalidated.

    .venv/bin/python benchmarks/feed_bench.py [--meetings 200] [--repeat 50] [--database-url URL]

Target (issue 5): an uncached feed request under 150 ms, a 304 revalidation (If-None-Match)
under 10 ms. Both go through the Flask test client, so they include routing, the view,
the queries and the rendering. The baseline, measured in the same run through the same
client, is GET /healthz (one SELECT 1); the ratios say what the feed costs on top of a
request that does nearly nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import make_app, median_time  # noqa: E402

STATES = ["held"] * 8 + ["no_show", "cancelled", "confirmed", "confirmed", "proposed"]
PLACES = ["Tour Horizon, 12th floor; room “Agora”", "Café «Le Zinc»", ""]


def build(app, meetings: int, seed: int = 5) -> str:
    """A mentor with three pairs and `meetings` meetings across them; returns the feed path."""
    from mentoring.cohorts.models import Cohort, Enrollment
    from mentoring.extensions import db
    from mentoring.matching.models import Pair
    from mentoring.meetings.feeds import reset_feed
    from mentoring.meetings.models import Meeting, MeetingLog
    from mentoring.meetings.scheduling import new_uid
    from mentoring.people.models import Person

    rng = random.Random(seed)
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):  # a shared database: start empty
            db.session.execute(table.delete())
        cohort = Cohort(
            name="Bench", start_date=date(2026, 1, 5), end_date=date(2028, 12, 31), status="active"
        )
        mentor = Person(email="mentor@bench.example", name="Zoé Jeune", timezone="Europe/Paris")
        db.session.add_all([cohort, mentor])
        db.session.flush()
        mentoring = Enrollment(cohort_id=cohort.id, person_id=mentor.id, side="mentor", capacity=3)
        db.session.add(mentoring)
        pairs = []
        for number in range(3):
            mentee = Person(
                email=f"exec{number}@bench.example",
                name=f"Béatrice Dupont-{number}",
                timezone="America/New_York",
            )
            db.session.add(mentee)
            db.session.flush()
            mentored = Enrollment(cohort_id=cohort.id, person_id=mentee.id, side="mentee")
            db.session.add(mentored)
            db.session.flush()
            pair = Pair(
                cohort_id=cohort.id,
                mentor_enrollment_id=mentoring.id,
                mentee_enrollment_id=mentored.id,
            )
            db.session.add(pair)
            db.session.flush()
            pairs.append((pair, mentee))
        start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        for number in range(meetings):
            pair, mentee = pairs[number % 3]
            status = rng.choice(STATES)
            begins = start + timedelta(days=3 * number, hours=rng.randrange(8))
            meeting = Meeting(
                pair_id=pair.id,
                uid=new_uid(),
                sequence=rng.randrange(4),
                start_at=begins,
                end_at=begins + timedelta(minutes=45),
                duration_minutes=45,
                location=rng.choice(PLACES),
                video_url="https://meet.example/abc-defg" if number % 2 else "",
                agenda="LinkedIn: headline, photo\nThen: the first post" if number % 3 else "",
                agenda_private=number % 5 == 0,
                status=status,
                proposed_by_id=mentee.id,
                cancelled_at=begins if status == "cancelled" else None,
                cancel_reason="Board meeting" if status == "cancelled" else "",
                created_at=begins - timedelta(days=10),
                updated_at=begins - timedelta(days=rng.randrange(1, 10)),
            )
            db.session.add(meeting)
            if status in ("held", "no_show"):
                meeting.logs.append(
                    MeetingLog(
                        author_id=mentor.id,
                        outcome=status,
                        actual_minutes=45 if status == "held" else None,
                        rating=4 if status == "held" else None,
                        private_notes="Private: never in a feed",
                    )
                )
        db.session.flush()
        secret = reset_feed(mentor, actor=mentor)
        db.session.commit()
        return f"/calendar/{secret}.ics"


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    app = make_app(args.database_url)
    path = build(app, args.meetings)
    client = app.test_client()

    first = client.get(path)
    assert first.status_code == 200, first.status_code
    assert first.data.count(b"BEGIN:VEVENT") == args.meetings
    assert b"Private: never" not in first.data
    etag = first.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

    def health() -> None:
        assert client.get("/healthz").status_code == 200

    def uncached() -> None:
        assert client.get(path).status_code == 200

    def revalidated() -> None:
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

    for run in (health, uncached, revalidated):  # warm up
        run()
    baseline = median_time(health, args.repeat)
    full = median_time(uncached, args.repeat)
    not_modified = median_time(revalidated, args.repeat)

    database = "PostgreSQL" if args.database_url else "SQLite"
    size = len(first.data) / 1024
    print(
        f"calendar feed of {args.meetings} meetings ({size:.0f} KiB) on {database}, "
        f"median of {args.repeat} requests"
    )
    print(f"  baseline: GET /healthz                   {baseline * 1000:8.2f} ms")
    print(
        f"  feed, uncached (200)                     {full * 1000:8.2f} ms"
        f"   {full / baseline:6.1f} x baseline   target < 150 ms"
    )
    print(
        f"  feed, revalidated (304, If-None-Match)   {not_modified * 1000:8.2f} ms"
        f"   {not_modified / baseline:6.1f} x baseline   target < 10 ms"
    )
    ok = full < 0.150 and not_modified < 0.010
    print("  targets met" if ok else "  TARGET MISSED")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
