"""Migrations build the schema from nothing and agree with the models."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from mentoring import create_app
from mentoring.extensions import db
from tests.conftest import app_config, postgres_url


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    """A brand-new empty database of the kind the suite runs on."""
    url = postgres_url()
    if not url:
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite3")
        return
    name = f"mentoring_migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_match_the_models(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": False}
            )
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == [], f"models and migrations disagree: {differences}"


def test_upgrade_downgrade_upgrade(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"person", "person_role", "cohort", "enrollment", "topic", "goal_template"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == tables
        db.engine.dispose()


def test_constraint_names_follow_the_convention(app):
    with app.app_context():
        inspector = inspect(db.engine)
        checks = {c["name"] for c in inspector.get_check_constraints("cohort")}
        uniques = {u["name"] for u in inspector.get_unique_constraints("enrollment")}
        foreign = {f["name"] for f in inspector.get_foreign_keys("enrollment")}
    assert "ck_cohort_ends_after_start" in checks
    assert "uq_enrollment_cohort_id_person_id" in uniques
    assert "fk_enrollment_person_id_person" in foreign
