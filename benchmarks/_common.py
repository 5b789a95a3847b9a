"""Helpers shared by the benchmark scripts: timing and a throwaway app."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def median_time(
    run: Callable[[], Any], repeat: int, setup: Callable[[], Any] | None = None
) -> float:
    """Median wall time of `run` over `repeat` runs, `setup` untimed before each."""
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_app(database_url: str | None = None):
    """An app on a fresh SQLite file (or the given database), schema by the migrations."""
    from flask_migrate import upgrade

    from mentoring import create_app

    url = database_url or "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefgh",
            "SQLALCHEMY_DATABASE_URI": url,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8,
            "ARGON2_PARALLELISM": 1,
            # The benchmarks time the computation: a cached report page would time the cache.
            "REPORT_CACHE_SECONDS": 0,
        }
    )
    with app.app_context():
        upgrade()
    return app
