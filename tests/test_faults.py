"""PostgreSQL stops under the app and comes back: a clean 503 meanwhile, then recovery.

The test starts its own PostgreSQL (initdb in a temporary folder, on a free port), so
the shared server is never touched; it skips, saying why, where PostgreSQL's binaries
are missing. `python benchmarks/load.py --fault` does the same under gunicorn and load.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask_migrate import upgrade

from benchmarks.load import TemporaryPostgres, create_database
from mentoring import create_app
from mentoring.extensions import db
from tests.conftest import PASSWORD, app_config, csrf_token, post_form

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def server() -> Iterator[TemporaryPostgres]:
    """A PostgreSQL server of the test's own."""
    reason = TemporaryPostgres.unavailable_reason()
    if reason:
        pytest.skip(f"cannot start a PostgreSQL of our own: {reason}")
    instance = TemporaryPostgres()
    try:
        instance.init()
        yield instance
    finally:
        instance.destroy()


def test_database_outage_gives_a_clean_503_and_the_app_recovers_by_itself(server):
    from mentoring.auth.services import hash_password
    from mentoring.people.models import Person

    url = server.url.rsplit("/", 1)[0] + "/faults"
    create_database(url)
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision="heads")
        db.session.add(
            Person(
                email="eve@example.org",
                name="Eve",
                roles=("mentee",),
                password_hash=hash_password(PASSWORD),
            )
        )
        db.session.commit()
    client = app.test_client()
    post_form(client, "/login", {"email": "eve@example.org", "password": PASSWORD})
    assert client.get("/").status_code == 200
    token = csrf_token(client.get("/account/password").get_data(as_text=True))

    server.stop()
    try:
        for response in (
            client.get("/"),
            client.get("/healthz"),
            client.post("/account/password", data={"csrf_token": token, "password": "x"}),
        ):
            page = response.get_data(as_text=True)
            assert response.status_code == 503, page[:500]
            assert response.headers["Retry-After"] == "30"
            assert "Temporarily unavailable" in page
            assert "nothing was saved" in page
            assert "Traceback" not in page and "OperationalError" not in page
            assert "psycopg" not in page and "5432" not in page
            assert "text/html" in response.content_type
        # A form whose token does not hold is refused before any view runs; its error
        # page still renders without the database (language, time zone, navigation).
        forged = client.post("/account/password", data={"csrf_token": "forged", "password": "x"})
        page = forged.get_data(as_text=True)
        assert forged.status_code in (400, 503), page[:500]
        assert "Traceback" not in page and "OperationalError" not in page
    finally:
        server.start()

    # The same app, never restarted: the pool drops dead connections (pool_pre_ping)
    # and the signed-in session carries on.
    response = client.get("/")
    assert response.status_code == 200
    assert '<span class="account-name">Eve</span>' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Person.email)) == "eve@example.org"
        db.engine.dispose()


def test_a_connection_dropped_after_the_last_query_does_not_spoil_the_answer(server):
    """A server shutting down ends idle connections: the view has read its data, then
    the session's closing ROLLBACK fails. The page already rendered is still the answer
    (before, the error escaped Flask's teardown and gunicorn answered a bare 500)."""
    from sqlalchemy import create_engine, text

    url = server.url.rsplit("/", 1)[0] + "/dropped"
    create_database(url)
    app = create_app(app_config(url))
    killer = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))

    def read_then_lose_the_connection():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        with killer.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return "read"

    app.add_url_rule("/_read-then-lose", view_func=read_then_lose_the_connection)
    client = app.test_client()
    for _ in range(2):  # and the next request gets a fresh connection from the pool
        response = client.get("/_read-then-lose")
        assert response.status_code == 200
        assert response.get_data(as_text=True) == "read"
    with app.app_context():
        assert db.session.scalar(text("SELECT 1")) == 1
        db.engine.dispose()
    killer.dispose()
