"""Import 10,000 participants: median time of the preview and of the commit.

    .venv/bin/python benchmarks/import_bench.py [--rows 10000] [--repeat 3] [--database-url URL]

Target (issue 3): preview and commit each under 5 s on a 2-core machine. The baseline,
measured in the same run, is Python's csv module merely reading the same file; the
ratios say how much the validation and the writing cost on top of reading.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import make_app, median_time  # noqa: E402

TOPICS = [
    "LinkedIn profile and network",
    "Generative AI tools at work",
    "Social listening",
    "Online crisis response",
    "Digital security and privacy",
]
ZONES = ["Europe/Paris", "Europe/London", "America/New_York", "Asia/Singapore"]
DEPARTMENTS = ["Sales", "Finance", "Marketing", "Operations", "IT", "Legal", "HR"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Monday", "lun.", "jeudi"]


def build_file(rows: int, seed: int = 7) -> bytes:
    """A realistic export: semicolons, a BOM, managers earlier in the file, and 1 to 4
    weekly windows per person in mixed spellings."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write(
        "\ufeffE-mail;Full name;Role;Dept;Job title;Level;Manager e-mail;Timezone;"
        "Languages;Topics;Capacity;Availability\n"
    )
    for number in range(rows):
        mentee = number % 2 == 0
        manager = f"person{rng.randrange(number)}@acme.example" if number > 50 else ""
        topics = "|".join(rng.sample(TOPICS, 3))
        level = rng.randint(7, 10) if mentee else rng.randint(1, 3)
        capacity = "" if mentee else rng.randint(1, 3)
        side = "mentee" if mentee else "mentor"
        windows = "; ".join(
            f"{day} {hour:02d}:{minute}-{hour + rng.randint(1, 3):02d}:{minute}"
            for day, hour, minute in sorted(
                (rng.choice(DAYS), rng.randint(7, 18), rng.choice(("00", "30")))
                for _ in range(rng.randint(1, 4))
            )
        )
        out.write(
            f"person{number}@acme.example;Person {number};{side};{rng.choice(DEPARTMENTS)};"
            f'Title {number};{level};{manager};{rng.choice(ZONES)};fr|en;"{topics}";{capacity};'
            f'"{windows}"\n'
        )
    return out.getvalue().encode()


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from sqlalchemy import func, select

    from mentoring.cohorts.imports import commit_import, preview_import, store_upload
    from mentoring.cohorts.models import Cohort, Enrollment
    from mentoring.curriculum.models import Topic
    from mentoring.extensions import db
    from mentoring.people.models import Person

    content = build_file(args.rows)
    baseline = median_time(
        lambda: sum(1 for _ in csv.reader(io.StringIO(content.decode()), delimiter=";")),
        args.repeat,
    )

    commit_times, preview_times = [], []
    for _ in range(args.repeat):
        app = make_app(args.database_url)
        with app.app_context():
            if args.database_url:  # a shared database: start from empty each time
                for table in reversed(db.metadata.sorted_tables):
                    db.session.execute(table.delete())
            cohort = Cohort(
                name="Bench",
                start_date=date(2027, 1, 4),
                end_date=date(2027, 6, 30),
                topics=[Topic(name=name) for name in TOPICS],
            )
            db.session.add(cohort)
            db.session.commit()
            preview_times.append(median_time(lambda c=cohort: preview_import(c, content), 1))
            preview = preview_import(cohort, content)
            assert preview.ok, (preview.file_errors, preview.errors[:5])
            batch = store_upload(cohort, "bench.csv", content, actor=None)

            def commit(c=cohort, b=batch):
                commit_import(c, b, actor=None)
                db.session.commit()

            commit_times.append(median_time(commit, 1))
            assert db.session.scalar(select(func.count(Person.id))) == args.rows
            stored = db.session.scalars(select(Enrollment.availability)).all()
            assert len(stored) == args.rows and all(stored), "availability not imported"
            db.session.remove()
            db.engine.dispose()

    import statistics

    preview_median = statistics.median(preview_times)
    commit_median = statistics.median(commit_times)
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"import of {args.rows} rows on {database}, {args.repeat} runs")
    print(f"  baseline: csv.reader reads the file      {baseline * 1000:8.1f} ms")
    print(
        f"  preview (parse + validate + compare)     {preview_median * 1000:8.1f} ms"
        f"   {preview_median / baseline:6.1f} x baseline   target < 5000 ms"
    )
    print(
        f"  commit (one transaction, all rows)       {commit_median * 1000:8.1f} ms"
        f"   {commit_median / baseline:6.1f} x baseline   target < 5000 ms"
    )
    ok = preview_median < 5 and commit_median < 5
    print("  targets met" if ok else "  TARGET MISSED")


if __name__ == "__main__":
    main()
