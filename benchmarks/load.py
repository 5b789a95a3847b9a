"""Load and faults on gunicorn + PostgreSQL + Redis, driven by locust (headless).

    python benchmarks/load.py                 # 50 signed-in clients for 60 s
    python benchmarks/load.py --fault         # PostgreSQL stopped and restarted under load

The load run creates a database on the local PostgreSQL server (dropped at the end;
`--database-url` to use another), migrates it and seeds the demo organisation, starts
gunicorn with 4 workers (sign-in throttling in Redis), and drives mentors, mentees, HR
and leaders, each signed in through the real form with its CSRF token: page views,
meeting proposals and confirmations, meeting logs, milestone ticks and report views. The
clients sign in, browse 10 s untimed (`--warmup`: fresh worker processes compile their
templates on first use), then the timed run starts; each pair of the clients is given a
few past meetings to log. It prints requests/s, p50/p95/p99 and errors, then counts in
the database that every write the app accepted is there exactly once (each carries a
unique marker). Then it measures the throughput of the signed-in mentee home page and of
a bare Flask + SQLAlchemy + Jinja page with three queries (`bare_app` below) under the
same gunicorn settings, with wrk (Debian's package) in alternating rounds, as medians
and a ratio: locust, in Python, saturates near the bare page's rate and would measure
itself.

The fault run starts its own PostgreSQL with initdb in a temporary folder on a free port
(the shared server is untouched), stops it for a few seconds during the load and starts
it again: while it is down every answer must be a clean 503 page with Retry-After, and
afterwards the same gunicorn workers must serve again without a restart.

Loopback only; bounded in users and time. Needs the `bench` extra (locust) and wrk
(`make bench-tools` installs both).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/load_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DEMO_PASSWORD = "reverse-mentoring"  # noqa: S105 - the demo seed's published password
MARKER_PREFIX = "LOAD-"
# Everything starts and listens on the loopback interface only.
HOST = "127.0.0.1"


# --------------------------------------------------------------------------------------
# The bare page: Flask + SQLAlchemy + Jinja, three queries, nothing else.


BARE_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ person.name }}</title></head>
<body><h1>Hello {{ person.name }}</h1>
<h2>Pairs</h2><ul>{% for pair in pairs %}<li>Pair {{ pair.id }}: {{ pair.status }}</li>
{% endfor %}</ul>
<h2>Meetings</h2><ul>{% for meeting in meetings %}<li>{{ meeting.start_at }}:
{{ meeting.status }}</li>{% endfor %}</ul></body></html>"""


def bare_app():
    """A bare Flask app on the same database: one page, three queries, one template."""
    from flask import Flask
    from sqlalchemy import create_engine, text

    from mentoring.config import normalise_database_url

    engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)
    app = Flask("bare")
    template = app.jinja_env.from_string(BARE_TEMPLATE)  # compiled once, as render_template

    @app.get("/")
    def page():
        with engine.connect() as connection:
            person = connection.execute(
                text("SELECT id, name, email FROM person ORDER BY id LIMIT 1")
            ).one()
            pairs = connection.execute(text("SELECT id, status FROM pair ORDER BY id LIMIT 10"))
            meetings = connection.execute(
                text("SELECT id, start_at, status FROM meeting ORDER BY start_at DESC LIMIT 10")
            )
            return template.render(person=person, pairs=pairs.all(), meetings=meetings.all())

    return app


# --------------------------------------------------------------------------------------
# Processes: PostgreSQL (shared or our own), gunicorn.


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def admin_url(database_url: str) -> tuple[str, str]:
    """The URL of the server's `postgres` database, and the name of the target database."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    return url.set(database="postgres").render_as_string(hide_password=False), url.database


def create_database(database_url: str) -> None:
    """Create the benchmark's database (dropping a previous one of the same name)."""
    from sqlalchemy import create_engine, text

    from mentoring.config import normalise_database_url

    server, name = admin_url(normalise_database_url(database_url))
    if name in {"postgres", "test", "template0", "template1"}:
        raise SystemExit(f"Refusing to drop and recreate the database {name!r}: name another.")
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def drop_database(database_url: str) -> None:
    """Drop the benchmark's database."""
    from sqlalchemy import create_engine, text

    from mentoring.config import normalise_database_url

    server, name = admin_url(normalise_database_url(database_url))
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


class TemporaryPostgres:
    """A PostgreSQL server of our own: initdb in a temporary folder, on a free port."""

    def __init__(self, bin_dir: Path = PG_BIN) -> None:
        self.bin_dir = bin_dir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="mentoring-pg-"))
        self.data = self.folder / "data"
        # As root, PostgreSQL refuses to run: use the `postgres` OS user for its files.
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, user="postgres")
        self.url = f"postgresql://postgres@{HOST}:{self.port}/postgres"

    @staticmethod
    def unavailable_reason(bin_dir: Path = PG_BIN) -> str | None:
        """Why a temporary server cannot be started here, or None when it can."""
        for name in ("initdb", "pg_ctl", "postgres"):
            if not (bin_dir / name).exists():
                return f"PostgreSQL's {name} is not in {bin_dir} (set PG_BIN)"
        if os.geteuid() == 0:
            import pwd

            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root and there is no `postgres` OS user to run PostgreSQL"
            if not shutil.which("runuser"):
                return "running as root and runuser is missing"
        return None

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(  # noqa: S603 - fixed binaries, our own arguments
            [*self.as_user, *args], check=True, capture_output=True, timeout=timeout
        )

    def init(self) -> None:
        """initdb (trust authentication on loopback only) and start."""
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        self.start()

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -c listen_addresses={HOST} -k {self.folder} -c fsync=off"
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        """Stop the server at once (fast mode: open connections are cut)."""
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        """Stop (if running) and delete the folder."""
        with contextlib.suppress(Exception):
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def app_environment(database_url: str, redis_url: str) -> dict[str, str]:
    """The environment of the app processes (flask commands and gunicorn)."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "RATELIMIT_STORAGE_URI": redis_url,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "MENTORING_ENV": "development",
            "FLASK_DEBUG": "0",
            # 50 clients sign in from one address within seconds; the limit itself is
            # still counted in Redis, across the workers.
            "LOGIN_RATE_LIMIT": "10000 per minute",
            "MAIL_BACKEND": "locmem",
            "MAIL_SEND_IMMEDIATELY": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("TEST_DATABASE_URL", None)
    return env


def flask_command(env: dict[str, str], *args: str) -> None:
    """Run a `flask --app mentoring ...` command in the app's environment."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "flask", "--app", "mentoring", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stderr[-3000:]}")


def flush_redis(redis_url: str) -> None:
    """Empty the Redis database the limiter uses, so earlier runs do not count."""
    try:
        import redis
    except ImportError:
        return
    redis.Redis.from_url(redis_url).flushdb()


@contextlib.contextmanager
def gunicorn(
    app: str,
    env: dict[str, str],
    workers: int,
    port: int,
    access_log: Path | None = None,
    threads: int = 0,
) -> Iterator[str]:
    """Serve `app` with gunicorn (sync workers) on the loopback interface; with
    `access_log`, each request's path, status and time in the server (microseconds)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--pythonpath",
        f"{ROOT},{ROOT / 'benchmarks'}",
        "--log-level",
        "warning",
        "--timeout",
        "60",
        *(["--worker-class", "gthread", "--threads", str(threads)] if threads else []),
        *(
            ["--access-logfile", str(access_log), "--access-logformat", "%(U)s %(s)s %(D)s"]
            if access_log
            else []
        ),
        app,
    ]
    log = tempfile.NamedTemporaryFile("w+", prefix="gunicorn-", suffix=".log", delete=False)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"gunicorn exited:\n{log.read()[-3000:]}")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + "/login" if "mentoring" in app else base, timeout=2)  # noqa: S310
                break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        errors = Path(log.name).read_text()
        if "Traceback" in errors:
            print(f"  gunicorn log ({log.name}) has tracebacks: see it.")
        else:
            Path(log.name).unlink()


# --------------------------------------------------------------------------------------
# The plan: who signs in, and which pair each participant belongs to.


def load_plan(database_url: str, users: int) -> dict[str, Any]:
    """Accounts for the clients: pairs of the active cohort (mentor, mentee), HR, leaders."""
    from sqlalchemy import create_engine, text

    from mentoring.config import normalise_database_url

    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as connection:
        pairs = connection.execute(
            text(
                """
                SELECT pair.id, pair.cohort_id, mentor.email AS mentor, mentee.email AS mentee
                FROM pair
                JOIN cohort ON cohort.id = pair.cohort_id
                JOIN enrollment me ON me.id = pair.mentor_enrollment_id
                JOIN enrollment ee ON ee.id = pair.mentee_enrollment_id
                JOIN person mentor ON mentor.id = me.person_id
                JOIN person mentee ON mentee.id = ee.person_id
                WHERE pair.status = 'active' AND cohort.status = 'active'
                  AND mentor.password_hash IS NOT NULL AND mentor.is_active
                  AND mentee.password_hash IS NOT NULL AND mentee.is_active
                ORDER BY pair.id
                """
            )
        ).all()
        by_role = {
            role: connection.scalars(
                text(
                    "SELECT person.email FROM person JOIN person_role "
                    "ON person_role.person_id = person.id WHERE person_role.role = :role "
                    "AND person.password_hash IS NOT NULL AND person.is_active ORDER BY person.id"
                ),
                {"role": role},
            ).all()
            for role in ("admin", "leader")
        }
        cohorts = connection.scalars(text("SELECT id FROM cohort ORDER BY id")).all()
        # For the throughput: a mentee with no other role (many executives are leaders
        # too, and their home page adds the leadership figures).
        mentee_only = connection.scalar(
            text(
                """
                SELECT mentee.email FROM pair
                JOIN cohort ON cohort.id = pair.cohort_id
                JOIN enrollment ee ON ee.id = pair.mentee_enrollment_id
                JOIN person mentee ON mentee.id = ee.person_id
                WHERE pair.status = 'active' AND cohort.status = 'active'
                  AND mentee.password_hash IS NOT NULL AND mentee.is_active
                  AND NOT EXISTS (SELECT 1 FROM person_role r
                                  WHERE r.person_id = mentee.id AND r.role <> 'mentee')
                ORDER BY pair.id LIMIT 1
                """
            )
        )
    engine.dispose()
    # Mentors and mentees of distinct pairs, then HR and leaders (several clients may
    # share one HR or leader account: each has its own session).
    hr_count, leader_count = max(1, users // 12), max(1, users // 7)
    pair_clients = users - hr_count - leader_count
    chosen = pairs[: (pair_clients + 1) // 2]
    participants = []
    for pair in chosen:
        participants.append({"role": "mentee", "email": pair.mentee, "pair": pair.id})
        participants.append({"role": "mentor", "email": pair.mentor, "pair": pair.id})
    participants = participants[:pair_clients]
    hr = [
        {"role": "hr", "email": by_role["admin"][i % len(by_role["admin"])]}
        for i in range(hr_count)
    ]
    leaders = [
        {"role": "leader", "email": by_role["leader"][i % len(by_role["leader"])]}
        for i in range(leader_count)
    ]
    return {
        "clients": participants + hr + leaders,
        "pairs": [pair.id for pair in pairs],
        "cohorts": list(cohorts),
        "password": DEMO_PASSWORD,
        "mentee_only": mentee_only,
    }


# --------------------------------------------------------------------------------------
# The driver: a separate process (locust patches the standard library with gevent).


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CONFIRM_RE = re.compile(r'action="/meetings/(\d+)/confirm"')
LOG_RE = re.compile(r'href="/meetings/(\d+)/log"')
GOAL_RE = re.compile(r'href="/pairs/(\d+)/goals/(\d+)"')
MILESTONE_RE = re.compile(
    r'action="(/pairs/\d+/goals/\d+/milestones/(\d+))"[^>]*>\s*'
    r'<input type="hidden" name="csrf_token" value="([^"]+)">\s*'
    r'<input type="hidden" name="done" value="([01])">'
)


def drive(options: argparse.Namespace) -> None:
    """Run the locust phases and write their figures and the accepted writes as JSON."""
    import gevent
    import gevent.event
    from locust import FastHttpUser, between, events, task
    from locust.env import Environment

    plan = json.loads(Path(options.plan).read_text())
    clients = list(plan["clients"])
    accepted: dict[str, list[Any]] = {"meetings": [], "confirms": [], "logs": [], "ticks": []}
    refused: dict[str, int] = {}
    clean_503: list[float] = []
    signed_in = [0]
    # Every client waits here once signed in: the timed run starts on a quiet server,
    # not behind the queue of 50 argon2 sign-ins (requests made during the sign-ins
    # would finish inside the timed window with seconds of queueing that are not load).
    all_signed_in = gevent.event.Event()
    started = time.monotonic()

    def check(response, *, expect_redirect: bool = False) -> bool:
        """Classify an answer: a failure is any 5xx but a clean 503, or a stack trace."""
        body = response.text or ""
        if response.status_code == 503 and options.fault:
            if "Temporarily unavailable" in body and response.headers.get("Retry-After"):
                clean_503.append(time.monotonic() - started)
                response.success()
                return False
            response.failure(f"503 without the clean page: {body[:200]}")
            return False
        if response.status_code >= 400 or "Traceback" in body:
            response.failure(f"HTTP {response.status_code}: {body[:200]}")
            return False
        if expect_redirect and response.status_code != 302:
            response.success()  # the form came back with an error: refused, not failed
            return False
        response.success()
        return True

    class Member(FastHttpUser):
        abstract = True
        wait_time = between(0.5, 1.5)
        role = ""

        def on_start(self) -> None:
            mine = [c for c in clients if c["role"] == self.role]
            # One client per participant account (their writes then come in order);
            # accounts are shared only when there are more clients than accounts.
            self.account = (
                next((c for c in mine if not c.get("taken")), None)
                or (mine[secrets.randbelow(len(mine))])
            )
            self.account["taken"] = True
            self.pair = self.account.get("pair")
            page = self.client.get("/login", name="/login")
            self.client.post(
                "/login",
                data={
                    "csrf_token": CSRF_RE.search(page.text).group(1),
                    "email": self.account["email"],
                    "password": plan["password"],
                },
                name="/login [POST]",
                allow_redirects=False,
            )
            signed_in[0] += 1
            all_signed_in.wait()
            # People do not all click at the same instant: each starts within one wait.
            gevent.sleep(secrets.randbelow(1500) / 1000)

        def view(self, url: str, name: str):
            with self.client.get(url, name=name, catch_response=True) as response:
                return response.text if check(response) else None

        def post(self, url: str, data: dict[str, Any], name: str, kind: str) -> str | None:
            """POST a form; the redirect target on acceptance, None when refused or failed."""
            with self.client.post(
                url, data=data, name=name, allow_redirects=False, catch_response=True
            ) as response:
                if check(response, expect_redirect=True):
                    return response.headers.get("Location", "")
                if response.status_code == 200:
                    refused[kind] = refused.get(kind, 0) + 1
                return None

        def flashed(self, location: str, text: str, name: str) -> bool:
            """Follow a redirect and say whether the success message is on the page."""
            page = self.view(location, name)
            return page is not None and text in page

    class Participant(Member):
        abstract = True

        @task(6)
        def home(self) -> None:
            self.view("/", f"/ [{self.role}]")

        @task(3)
        def pair_page(self) -> None:
            self.view(f"/pairs/{self.pair}", "/pairs/[id]")

        @task(2)
        def goals(self) -> None:
            self.view(f"/pairs/{self.pair}/goals", "/pairs/[id]/goals")

        @task(2)
        def calendar(self) -> None:
            self.view("/calendar", "/calendar")

        @task(2)
        def propose_meeting(self) -> None:
            page = self.view(f"/pairs/{self.pair}/meetings/new", "/pairs/[id]/meetings/new")
            if page is None:
                return
            marker = f"{MARKER_PREFIX}{secrets.token_hex(8)}"
            day = time.gmtime(time.time() + 86400 * (3 + secrets.randbelow(60)))
            hour, minute = 8 + secrets.randbelow(10), 15 * secrets.randbelow(4)
            location = self.post(
                f"/pairs/{self.pair}/meetings/new",
                {
                    "csrf_token": CSRF_RE.search(page).group(1),
                    "start_date": time.strftime("%Y-%m-%d", day),
                    "start_time": f"{hour:02d}:{minute:02d}",
                    "timezone": "UTC",
                    "duration_minutes": "15",
                    "location": "Load test room",
                    "agenda": f"Agenda {marker}",
                },
                "/pairs/[id]/meetings/new [POST]",
                "propose",
            )
            if location is not None:
                meeting = re.search(r"#meeting-(\d+)", location)
                accepted["meetings"].append([marker, int(meeting.group(1)) if meeting else None])

        @task(2)
        def confirm_meeting(self) -> None:
            page = self.view(f"/pairs/{self.pair}", "/pairs/[id]")
            found = CONFIRM_RE.search(page or "")
            if found is None:
                return
            meeting = int(found.group(1))
            location = self.post(
                f"/meetings/{meeting}/confirm",
                {"csrf_token": CSRF_RE.search(page).group(1)},
                "/meetings/[id]/confirm [POST]",
                "confirm",
            )
            if location is not None:
                if self.flashed(location, "Meeting confirmed.", "/pairs/[id]"):
                    accepted["confirms"].append(meeting)
                else:
                    refused["confirm"] = refused.get("confirm", 0) + 1

        @task(1)
        def log_meeting(self) -> None:
            page = self.view("/", f"/ [{self.role}]")
            found = LOG_RE.search(page or "")
            if found is None:
                return
            meeting = int(found.group(1))
            form = self.view(f"/meetings/{meeting}/log", "/meetings/[id]/log")
            if form is None or CSRF_RE.search(form) is None:
                return
            marker = f"{MARKER_PREFIX}{secrets.token_hex(8)}"
            location = self.post(
                f"/meetings/{meeting}/log",
                {
                    "csrf_token": CSRF_RE.search(form).group(1),
                    "outcome": "held",
                    "actual_minutes": "45",
                    "rating": "4",
                    "private_notes": f"Notes {marker}",
                },
                "/meetings/[id]/log [POST]",
                "log",
            )
            if location is not None:
                accepted["logs"].append([marker, meeting, self.account["email"]])

        @task(2)
        def tick_milestone(self) -> None:
            page = self.view(f"/pairs/{self.pair}/goals", "/pairs/[id]/goals")
            goals = sorted({int(g) for p, g in GOAL_RE.findall(page or "") if int(p) == self.pair})
            if not goals:
                return
            goal = goals[secrets.randbelow(len(goals))]
            detail = self.view(f"/pairs/{self.pair}/goals/{goal}", "/pairs/[id]/goals/[id]")
            # Only the goal's owner sees tick buttons: one client per account, so the
            # ticks of a milestone come in order and its last accepted state must stay.
            ticks = MILESTONE_RE.findall(detail or "")
            if not ticks:
                return
            action, milestone, token, done = ticks[secrets.randbelow(len(ticks))]
            location = self.post(
                action,
                {"csrf_token": token, "done": done},
                "/pairs/[id]/goals/[id]/milestones/[id] [POST]",
                "tick",
            )
            if location is not None:
                said = "is ticked" if done == "1" else "is no longer ticked"
                if self.flashed(location, said, "/pairs/[id]/goals/[id]"):
                    accepted["ticks"].append([int(milestone), done == "1"])
                else:
                    refused["tick"] = refused.get("tick", 0) + 1

    class Mentee(Participant):
        role = "mentee"
        fixed_count = sum(1 for c in clients if c["role"] == "mentee")

    class Mentor(Participant):
        role = "mentor"
        fixed_count = sum(1 for c in clients if c["role"] == "mentor")

    class HR(Member):
        role = "hr"
        fixed_count = sum(1 for c in clients if c["role"] == "hr")

        def random(self, items: list[int]) -> int:
            return items[secrets.randbelow(len(items))]

        @task(3)
        def home(self) -> None:
            self.view("/", "/ [hr]")

        @task(2)
        def people(self) -> None:
            self.view("/people/", "/people/")

        @task(1)
        def cohorts(self) -> None:
            self.view("/cohorts/", "/cohorts/")

        @task(2)
        def cohort(self) -> None:
            cohort = self.random(plan["cohorts"])
            self.view(f"/cohorts/{cohort}", "/cohorts/[id]")
            self.view(f"/cohorts/{cohort}/pairs", "/cohorts/[id]/pairs")

        @task(2)
        def pair(self) -> None:
            pair = self.random(plan["pairs"])
            self.view(f"/pairs/{pair}", "/pairs/[id] [hr]")
            self.view(f"/pairs/{pair}/goals", "/pairs/[id]/goals [hr]")

        @task(2)
        def reports(self) -> None:
            self.view("/reports/", "/reports/")
            self.view("/reports/at-risk", "/reports/at-risk")

    class Leader(Member):
        role = "leader"
        fixed_count = sum(1 for c in clients if c["role"] == "leader")

        @task(2)
        def home(self) -> None:
            self.view("/", "/ [leader]")

        @task(3)
        def reports(self) -> None:
            self.view("/reports/", "/reports/")

        @task(1)
        def compare(self) -> None:
            self.view("/reports/compare", "/reports/compare")

    def run(user_classes, host: str, users: int, seconds: float, warmup: float):
        """Start the clients, wait until all have signed in, let them browse `warmup`
        seconds untimed (each fresh worker process compiles its templates and builds its
        statements on its first requests), then time `seconds`."""
        env = Environment(user_classes=user_classes, events=events, host=host)
        runner = env.create_local_runner()
        signed_in[0] = 0
        ramp = time.monotonic()
        runner.start(users, spawn_rate=users)
        while signed_in[0] < users and time.monotonic() - ramp < 300:
            gevent.sleep(0.1)
        print(f"  {users} clients signed in after {time.monotonic() - ramp:.1f} s", flush=True)
        all_signed_in.set()
        if warmup:
            gevent.sleep(warmup)
            print(f"  warm-up: {warmup:.0f} s of the same traffic, not timed", flush=True)
        env.stats.reset_all()
        gevent.spawn_later(seconds, runner.quit)
        runner.greenlet.join()
        return env.stats

    def figures(stats, seconds: float) -> dict[str, Any]:
        total = stats.total
        return {
            "requests": total.num_requests,
            "failures": total.num_failures,
            "rps": total.num_requests / seconds,
            "p50": total.get_response_time_percentile(0.5),
            "p95": total.get_response_time_percentile(0.95),
            "p99": total.get_response_time_percentile(0.99),
            "errors": [
                f"{e.method} {e.name}: {e.error} x{e.occurrences}" for e in stats.errors.values()
            ][:20],
            "per_name": {
                name: [entry.num_requests, entry.get_response_time_percentile(0.99)]
                for (name, _method), entry in sorted(stats.entries.items())
            },
        }

    result: dict[str, Any] = {}
    # The clients sign in first (argon2 is slow on purpose), then the timed run.
    mixed = [cls for cls in (Mentee, Mentor, HR, Leader) if cls.fixed_count]
    started = time.monotonic()
    stats = run(mixed, options.host, len(clients), options.duration, options.warmup)
    result["mixed"] = figures(stats, options.duration)
    result["accepted"] = accepted
    result["refused"] = refused
    result["clean_503_at"] = clean_503
    Path(options.out).write_text(json.dumps(result))


# --------------------------------------------------------------------------------------
# Checking the database: every accepted write is there exactly once.


def check_writes(database_url: str, accepted: dict[str, list[Any]]) -> dict[str, int]:
    """Count lost and duplicated writes among those the app accepted."""
    from sqlalchemy import create_engine, text

    from mentoring.config import normalise_database_url

    engine = create_engine(normalise_database_url(database_url))
    lost = duplicated = 0
    with engine.connect() as connection:
        agendas: dict[str, int] = {}
        for (agenda,) in connection.execute(
            text("SELECT agenda FROM meeting WHERE agenda LIKE :p"), {"p": f"%{MARKER_PREFIX}%"}
        ):
            marker = agenda.split()[-1]
            agendas[marker] = agendas.get(marker, 0) + 1
        for marker, _meeting in accepted["meetings"]:
            count = agendas.get(marker, 0)
            lost += count == 0
            duplicated += max(0, count - 1)
        statuses = dict(connection.execute(text("SELECT id, status FROM meeting")).all())
        # A confirmed meeting stays confirmed (nobody cancels during the run; one whose
        # time has passed since is held once logged).
        for meeting in accepted["confirms"]:
            lost += statuses.get(meeting) not in {"confirmed", "held", "no_show"}
        notes: dict[str, int] = {}
        for (note,) in connection.execute(
            text("SELECT private_notes FROM meeting_log WHERE private_notes LIKE :p"),
            {"p": f"%{MARKER_PREFIX}%"},
        ):
            marker = note.split()[-1]
            notes[marker] = notes.get(marker, 0) + 1
        for marker, _meeting, _author in accepted["logs"]:
            count = notes.get(marker, 0)
            lost += count == 0
            duplicated += max(0, count - 1)
        done = dict(
            connection.execute(text("SELECT id, done_at IS NOT NULL FROM goal_milestone")).all()
        )
        last: dict[int, bool] = {}
        for milestone, state in accepted["ticks"]:
            last[milestone] = state
        lost += sum(done.get(milestone) != state for milestone, state in last.items())
    engine.dispose()
    return {
        "writes": sum(len(v) for v in accepted.values()),
        "lost": lost,
        "duplicated": duplicated,
    }


# --------------------------------------------------------------------------------------
# The runs.


def add_meetings_to_log(database_url: str, pairs: list[int], per_pair: int = 6) -> None:
    """Give each pair of the clients confirmed meetings of the last weeks that nobody has
    logged yet (the demo pairs have logged theirs), so logging is part of the mix."""
    import datetime as dt

    from sqlalchemy import create_engine, text

    from mentoring.config import normalise_database_url

    now = dt.datetime.now(dt.UTC).replace(hour=6, minute=10, second=0, microsecond=0)
    rows = []
    for pair in pairs:
        for week in range(per_pair):
            start = now - dt.timedelta(days=2 + 7 * week)
            rows.append({
                "pair": pair, "uid": f"load-{pair}-{week}@bench.invalid", "start": start,
                "end": start + dt.timedelta(minutes=30), "now": now,
            })  # fmt: skip
    engine = create_engine(normalise_database_url(database_url))
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO meeting (pair_id, uid, sequence, start_at, end_at, "
                "duration_minutes, location, video_url, agenda, agenda_private, status, "
                "confirmed_at, cancel_reason, declined, created_at, updated_at) VALUES "
                "(:pair, :uid, 0, :start, :end, 30, 'Load test room', '', '', false, "
                "'confirmed', :now, '', false, :now, :now)"
            ),
            rows,
        )
    engine.dispose()


def prepare(database_url: str, redis_url: str, users: int) -> tuple[dict[str, str], Path]:
    """Create, migrate and seed the database; write the clients' plan."""
    env = app_environment(database_url, redis_url)
    flush_redis(redis_url)
    started = time.perf_counter()
    flask_command(env, "db", "upgrade", "heads")
    flask_command(env, "seed-demo")
    print(f"  database migrated and seeded in {time.perf_counter() - started:.1f} s")
    plan = load_plan(database_url, users)
    add_meetings_to_log(database_url, sorted({c["pair"] for c in plan["clients"] if "pair" in c}))
    plan_file = Path(tempfile.mkdtemp(prefix="load-")) / "plan.json"
    plan_file.write_text(json.dumps(plan))
    roles: dict[str, int] = {}
    for client in plan["clients"]:
        roles[client["role"]] = roles.get(client["role"], 0) + 1
    print("  clients: " + ", ".join(f"{n} {role}" for role, n in roles.items()))
    return env, plan_file


def run_driver(
    plan_file: Path, host: str, duration: float, *, warmup: float = 0, fault: bool = False
) -> tuple[subprocess.Popen, Path]:
    """Start the locust driver process; returns it and the file it writes its result to."""
    out = plan_file.with_name("result.json")
    command = [
        sys.executable, str(Path(__file__).resolve()), "_drive",
        "--plan", str(plan_file), "--out", str(out), "--host", host,
        "--duration", str(duration), "--warmup", str(warmup),
    ]  # fmt: skip
    if fault:
        command.append("--fault")
    process = subprocess.Popen(command, cwd=ROOT)  # noqa: S603 - our own script
    return process, out


# --------------------------------------------------------------------------------------
# Throughput: wrk (one C thread on epoll) measures what the server gives, where a Python
# client would measure itself (locust tops out near the bare page's rate on 2 cores).


def signed_in_cookie(host: str, email: str, password: str) -> str:
    """Sign in through the real form; the Cookie header of the signed-in session."""
    import http.cookiejar
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(host + "/login", timeout=30).read().decode()  # noqa: S310 - loopback
    form = {"csrf_token": CSRF_RE.search(page).group(1), "email": email, "password": password}
    opener.open(host + "/login", urllib.parse.urlencode(form).encode(), timeout=30)  # noqa: S310
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    request = urllib.request.Request(host + "/", headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        if "account-name" not in response.read().decode():
            raise SystemExit(f"{email} did not get the signed-in home page")
    return cookie


WRK_RATE_RE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_BAD_RE = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_ERRORS_RE = re.compile(r"Socket errors:.*")


def wrk(url: str, seconds: float, connections: int, headers: dict[str, str]) -> dict[str, Any]:
    """One closed-loop wrk run: requests/s, and answers that were not 2xx/3xx."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(  # noqa: S603 - wrk from the PATH, our own arguments
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    bad = WRK_BAD_RE.search(done.stdout)
    errors = WRK_ERRORS_RE.search(done.stdout)
    return {
        "rps": float(WRK_RATE_RE.search(done.stdout).group(1)),
        "bad": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def throughput_run(
    host: str, bare_host: str, plan: dict[str, Any], seconds: float, rounds: int, connections: int
) -> None:
    """The mentee home page against the bare page, in alternating rounds: medians, ratio.
    Beside them, the app's cheapest signed-in page (the password form: no query but the
    session's person) shows what every signed-in request costs before any page's work."""
    import statistics

    if not shutil.which("wrk"):
        print("  throughput: wrk is not installed (apt-get install wrk): home : bare skipped")
        return
    email = plan.get("mentee_only") or next(
        c["email"] for c in plan["clients"] if c["role"] == "mentee"
    )
    cookie = {"Cookie": signed_in_cookie(host, email, plan["password"])}
    pages = {
        f"mentee home ({email})": (host + "/", cookie),
        "signed-in password form": (host + "/account/password", cookie),
        "bare page": (bare_host + "/", {}),
    }
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label in pages}
    for _round in range(rounds):
        for label, (url, headers) in pages.items():
            runs[label].append(wrk(url, seconds, connections, headers))
    medians = {}
    for label, done in runs.items():
        rates = [run["rps"] for run in done]
        medians[label] = statistics.median(rates)
        bad = sum(run["bad"] for run in done)
        errors = "; ".join(run["socket_errors"] for run in done if run["socket_errors"])
        print(
            f"  {label}: median {medians[label]:.0f} requests/s over {rounds} "
            f"rounds of {seconds:.0f} s ({', '.join(f'{r:.0f}' for r in rates)}), "
            f"{bad} answers not 2xx/3xx{'; ' + errors if errors else ''}"
        )
    home, form, bare = medians.values()
    print(
        f"  ratio home : bare = 1 : {bare / home:.2f}; password form : bare = 1 : "
        f"{bare / form:.2f} (wrk, {connections} connections, all on gunicorn with the same "
        f"workers; target: home at least half the bare page's rate, 1 : 2)"
    )


def server_times(access_log: Path) -> dict[str, float]:
    """p50/p95/p99 of the time requests spent in the server (gunicorn's access log), sign-in
    excluded: against the clients' figures, it tells queueing in the server from waiting
    in the clients (which share the 2 cores with it)."""
    import statistics

    times = []
    for line in access_log.read_text().splitlines():
        path, _status, micros = line.split()
        if not path.startswith("/login"):
            times.append(int(micros) / 1000)
    if len(times) < 2:
        return {}
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {"requests": len(times), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def print_figures(label: str, figures: dict[str, Any]) -> None:
    """One line of figures."""
    print(
        f"  {label}: {figures['requests']} requests, {figures['rps']:.1f} requests/s, "
        f"p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms, "
        f"p99 {figures['p99']:.0f} ms, errors {figures['failures']}"
    )
    for error in figures["errors"]:
        print(f"    error: {error}")


def load_run(options: argparse.Namespace) -> int:
    """The load benchmark: mixed traffic, then the home page against the bare page."""
    url = options.database_url
    server = url.rsplit("@", 1)[-1]
    print(
        f"Load run: {options.users} clients for {options.duration:.0f} s after "
        f"{options.warmup:.0f} s of warm-up, gunicorn "
        f"{options.workers} workers, PostgreSQL {server}, Redis {options.redis}"
    )
    create_database(url)
    try:
        env, plan_file = prepare(url, options.redis, options.users)
        app_port, bare_port = free_port(), free_port()
        access_log = plan_file.with_name("access.log")
        with (
            gunicorn(
                "mentoring:create_app()",
                env,
                options.workers,
                app_port,
                access_log,
                options.threads,
            ) as host,
            gunicorn(
                "load:bare_app()", env, options.workers, bare_port, threads=options.threads
            ) as bare_host,
        ):
            driver, out = run_driver(plan_file, host, options.duration, warmup=options.warmup)
            if driver.wait(timeout=options.duration + options.warmup + 300):
                print("The locust driver failed.")
                return 1
            result = json.loads(out.read_text())
            mixed = result["mixed"]
            print_figures("mixed traffic", mixed)
            inside = server_times(access_log)
            if inside:
                print(
                    f"  in the server (gunicorn's own timing, warm-up included): "
                    f"p50 {inside['p50']:.0f} ms, p95 {inside['p95']:.0f} ms, "
                    f"p99 {inside['p99']:.0f} ms"
                )
            print("  slowest p99 by page:")
            slow = sorted(mixed["per_name"].items(), key=lambda item: -item[1][1])[:8]
            for name, (count, p99) in slow:
                print(f"    {name}: {count} requests, p99 {p99:.0f} ms")
            writes = check_writes(url, result["accepted"])
            accepted = {kind: len(items) for kind, items in result["accepted"].items()}
            refused = result["refused"] or "none"
            print(f"  accepted writes: {accepted}; refused by a rule: {refused}")
            print(f"  in the database: {writes['lost']} lost, {writes['duplicated']} duplicated")
            if options.throughput:
                plan = json.loads(plan_file.read_text())
                throughput_run(
                    host, bare_host, plan, options.throughput, options.rounds, options.connections
                )
        ok = mixed["failures"] == 0 and writes["lost"] == 0 and writes["duplicated"] == 0
        print(f"  targets: 0 errors, 0 lost or duplicated writes: {'met' if ok else 'MISSED'}; "
              f"p99 under 500 ms: {'met' if mixed['p99'] < 500 else 'MISSED'}")  # fmt: skip
        return 0 if ok else 1
    finally:
        if not options.keep_database:
            drop_database(url)


def fault_run(options: argparse.Namespace) -> int:
    """PostgreSQL stopped and restarted under load: clean 503s, then recovery."""
    reason = TemporaryPostgres.unavailable_reason()
    if reason:
        print(f"Fault run skipped: {reason}.")
        return 0
    server = TemporaryPostgres()
    print(f"Fault run: own PostgreSQL on port {server.port} ({server.folder})")
    try:
        server.init()
        url = server.url.rsplit("/", 1)[0] + "/load_faults"
        create_database(url)
        env, plan_file = prepare(url, options.redis, options.users)
        with gunicorn("mentoring:create_app()", env, options.workers, free_port()) as host:
            driver, out = run_driver(plan_file, host, options.duration, fault=True)
            time.sleep(options.duration / 3)
            server.stop()
            stopped = time.monotonic()
            print(f"  PostgreSQL stopped at {options.duration / 3:.0f} s")
            time.sleep(options.down)
            server.start()
            print(f"  PostgreSQL started again after {time.monotonic() - stopped:.1f} s")
            if driver.wait(timeout=options.duration + 300):
                print("The locust driver failed.")
                return 1
            # The same workers, never restarted, answer again.
            with urllib.request.urlopen(host + "/healthz", timeout=5) as response:  # noqa: S310
                healthy = response.status == 200
        result = json.loads(out.read_text())
        print_figures("traffic across the outage", result["mixed"])
        print(f"  clean 503 pages while it was down: {len(result['clean_503_at'])}")
        writes = check_writes(url, result["accepted"])
        print(f"  accepted writes: {sum(len(v) for v in result['accepted'].values())}, "
              f"{writes['lost']} lost, {writes['duplicated']} duplicated")  # fmt: skip
        print(f"  served again without a restart: {'yes' if healthy else 'NO'}")
        ok = healthy and result["mixed"]["failures"] == 0 and result["clean_503_at"]
        ok = ok and not writes["lost"] and not writes["duplicated"]
        return 0 if ok else 1
    finally:
        server.destroy()


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the load or the fault benchmark."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_drive"]:
        parser = argparse.ArgumentParser()
        parser.add_argument("_drive")
        for name in ("--plan", "--out", "--host"):
            parser.add_argument(name, default="")
        parser.add_argument("--duration", type=float, default=0)
        parser.add_argument("--warmup", type=float, default=0)
        parser.add_argument("--fault", action="store_true")
        drive(parser.parse_args(argv))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL",
                        DEFAULT_DATABASE_URL),
                        help="a database on a PostgreSQL server; created and dropped")  # fmt: skip
    parser.add_argument("--redis", default=DEFAULT_REDIS_URL, help="RATELIMIT_STORAGE_URI")
    parser.add_argument("--users", type=int, default=50, choices=range(1, 201), metavar="N")
    parser.add_argument("--duration", type=float, default=60, help="seconds (at most 600)")
    parser.add_argument("--warmup", type=float, default=10,
                        help="seconds of untimed traffic first (at most 120)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=0,
                        help="threads per gunicorn worker (gthread); 0: sync workers")  # fmt: skip
    parser.add_argument("--throughput", type=float, default=5,
                        help="seconds of each wrk round, home then bare (0 to skip)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds of each page")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--fault", action="store_true", help="the PostgreSQL outage run")
    parser.add_argument("--down", type=float, default=5, help="seconds PostgreSQL stays down")
    options = parser.parse_args(argv)
    options.duration = min(options.duration, 600)
    options.warmup = max(0, min(options.warmup, 120))
    options.throughput = min(options.throughput, 60)
    options.rounds = max(1, min(options.rounds, 10))
    if options.fault:
        return fault_run(options)
    return load_run(options)


if __name__ == "__main__":
    sys.exit(main())
