"""Flask commands: create-admin, seed-demo."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from mentoring.extensions import db


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo_command)


@click.command("create-admin")
@click.option("--email", prompt=True, help="Email address of the HR program manager.")
@click.option("--name", prompt=True, help="Full name.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password (prompted, hidden, when left out).",
)
@with_appcontext
def create_admin(email: str, name: str, password: str) -> None:
    """Create an HR program manager account, or grant the admin role to an existing one."""
    from mentoring.audit.services import record_event
    from mentoring.auth.services import (
        check_email,
        find_person_by_email,
        hash_password,
        password_problem,
    )
    from mentoring.people.models import Person, Role

    try:
        email = check_email(email)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--email") from error
    person = find_person_by_email(email)
    if person is None:
        problem = password_problem(password, email=email)
        if problem:
            raise click.BadParameter(problem, param_hint="--password")
        if not name.strip():
            raise click.BadParameter("Give a name.", param_hint="--name")
        person = Person(email=email, name=name.strip(), password_hash=hash_password(password))
        db.session.add(person)
        action = "created"
    else:
        action = "granted"
    person.add_role(Role.ADMIN)
    db.session.flush()
    record_event("person.role_granted", actor=None, subject=person, role=Role.ADMIN.value)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise click.ClickException(f"Could not save the account: {error.orig}") from error
    if action == "created":
        click.echo(f"Created admin account {email}.")
    else:
        click.echo(f"{email} already had an account: granted the admin role.")


@click.command("seed-demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Seed only when the database has nobody in it (what `make run` uses).",
)
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo company, curriculum and cohort; safe to run twice."""
    from mentoring.demo import DEMO_PASSWORD, database_is_empty, demo_logins, seed_demo

    if if_empty and not database_is_empty():
        click.echo("The database already has people in it: demo data not loaded.")
        report_logins = demo_logins()
    else:
        report = seed_demo()
        db.session.commit()
        click.echo(
            f"Demo data: {report.people_added} people, {report.curriculum_rows_added} "
            f"curriculum entries, {report.cohorts_added} cohort(s), "
            f"{report.enrollments_added} enrollments added."
        )
        report_logins = report.logins
    if report_logins:
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in report_logins:
            click.echo(f"  {role:<7} {email}")
