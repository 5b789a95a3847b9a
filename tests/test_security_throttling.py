"""Sign-in throttling holds across processes: two real gunicorn workers sharing Redis.

Skips when Redis cannot be reached, unless REQUIRE_REDIS=1 (set by .ci/run).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXTERNAL_URL, PASSWORD, TEST_SECRET, app_config

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
ACCOUNT_LIMIT = 3
ADDRESS_LIMIT = 8
BAD_CREDENTIALS = "That email and password do not match an account."
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _redis_or_skip():
    try:
        import redis
    except ImportError:
        reason = "the redis package is not installed (pip install -e '.[test]')"
    else:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        try:
            client.ping()
        except redis.RedisError as error:
            reason = f"Redis is not reachable at {REDIS_URL}: {error}"
        else:
            return client
    if os.environ.get("REQUIRE_REDIS") == "1":
        pytest.fail(f"REQUIRE_REDIS=1 but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare_database(path: Path) -> str:
    """A migrated SQLite database with one account (ana@example.org, PASSWORD)."""
    from flask_migrate import upgrade

    from mentoring import create_app
    from mentoring.auth.services import hash_password
    from mentoring.extensions import db
    from mentoring.people.models import Person

    url = f"sqlite:///{path}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision="heads")
        db.session.add(
            Person(
                email="ana@example.org",
                name="Ana",
                password_hash=hash_password(PASSWORD),
                roles=("mentor",),
            )
        )
        db.session.commit()
        db.engine.dispose()
    return url


@pytest.fixture
def gunicorn_two_workers(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`gunicorn -w 2` on a free port, throttling in Redis; yields its URL and access log."""
    redis_client = _redis_or_skip()
    redis_client.flushdb()
    database_url = _prepare_database(tmp_path / "app.sqlite3")
    port = _free_port()
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "EXTERNAL_URL": EXTERNAL_URL,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "LOGIN_RATE_LIMIT": f"{ADDRESS_LIMIT} per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": f"{ACCOUNT_LIMIT} per minute",
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST": "8",
        "ARGON2_PARALLELISM": "1",
        "MAIL_BACKEND": "locmem",
    }
    env.pop("MENTORING_ENV", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(m)s %(U)s %(s)s",
            "--timeout",
            "120",
            "mentoring:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base, access_log
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        redis_client.flushdb()


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    import requests

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited: {server.stderr.read().decode()[-2000:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 30 s")


def _sign_in(base: str, email: str, password: str):
    """One sign-in attempt from a fresh browser (new connection: either worker may answer)."""
    import requests

    with requests.Session() as browser:
        form = browser.get(f"{base}/login", timeout=10)
        token = CSRF_RE.search(form.text).group(1)
        return browser.post(
            f"{base}/login",
            data={"csrf_token": token, "email": email, "password": password},
            allow_redirects=False,
            timeout=10,
        )


def _outcome(response) -> str:
    if response.status_code == 302:
        return "signed in"
    if response.status_code == 429:
        return "throttled"
    assert response.status_code == 200, response.status_code
    assert BAD_CREDENTIALS in response.text
    return "refused"


def _hold_a_worker(base: str) -> socket.socket:
    """Keep one free sync worker busy reading a request that never ends, so the next
    requests go to the other worker (the arbiter's timeout is far longer than the test)."""
    host, port = base.removeprefix("http://").split(":")
    blocker = socket.create_connection((host, int(port)), timeout=10)
    blocker.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    time.sleep(0.5)  # let a worker accept it before the next request arrives
    return blocker


def _comparable(page: str) -> str:
    """A page without what differs between two visits (CSRF token, minutes to wait)."""
    return re.sub(r"Wait [\w ]+? and", "Wait … and", CSRF_RE.sub("", page))


def _post_pids(access_log: Path) -> list[str]:
    lines = access_log.read_text().splitlines()
    return [line.split()[0] for line in lines if line.split()[1:3] == ["POST", "/login"]]


def test_failed_sign_ins_are_counted_across_two_gunicorn_workers(gunicorn_two_workers):
    base, access_log = gunicorn_two_workers
    first_blocker = _hold_a_worker(base)  # worker 1 busy: worker 2 answers this phase
    try:
        # Successful sign-ins are not counted: more of them than any limit all get through.
        signed_in = [_outcome(_sign_in(base, "ana@example.org", PASSWORD)) for _ in range(4)]
        assert signed_in == ["signed in"] * 4
        wrong = [_outcome(_sign_in(base, "ANA@example.org ", "wrong password")) for _ in range(2)]
        assert wrong == ["refused"] * 2
        second_blocker = _hold_a_worker(base)  # worker 2 busy too
    finally:
        first_blocker.close()  # worker 1 is free again, and alone: it answers from now on
    try:
        # Per account: worker 1 has seen none of the failures, yet allows only one more;
        # then even the right password is throttled, so an attacker learns nothing more.
        ana = [_outcome(_sign_in(base, "ana@example.org", "wrong password")) for _ in range(2)]
        assert ana == ["refused", "throttled"]
        assert _outcome(_sign_in(base, "ana@example.org", PASSWORD)) == "throttled"

        # An address with no account is throttled the same way: nothing tells them apart.
        ghost = [_outcome(_sign_in(base, "ghost@example.org", "wrong password")) for _ in range(4)]
        assert ghost == ["refused"] * ACCOUNT_LIMIT + ["throttled"]
        ghost_page = _sign_in(base, "ghost@example.org", "wrong password")
        ana_page = _sign_in(base, "ana@example.org", "wrong password")
        assert ghost_page.status_code == ana_page.status_code == 429
        assert _comparable(ghost_page.text) == _comparable(ana_page.text)

        # Per client address: 6 failures so far; two more accounts fill the address's limit.
        others = [
            _outcome(_sign_in(base, f"other{n}@example.org", "wrong password")) for n in range(3)
        ]
        assert others == ["refused", "refused", "throttled"]
    finally:
        second_blocker.close()

    # The two phases were answered by two different workers.
    pids = _post_pids(access_log)
    first_phase, second_phase = set(pids[:6]), set(pids[6:])
    assert len(first_phase) == len(second_phase) == 1, pids
    assert first_phase != second_phase, pids
