"""Flask commands: create-admin, seed-demo."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from mentoring.extensions import db


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(import_participants_command)
    app.cli.add_command(apply_retention_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


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
        done = f"Created admin account {email}."
    else:
        done = f"{email} already had an account: granted the admin role."
    person.add_role(Role.ADMIN)
    db.session.flush()
    record_event("person.role_granted", actor=None, subject=person, role=Role.ADMIN.value)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise click.ClickException(f"Could not save the account: {error.orig}") from error
    click.echo(done)


@click.command("seed-demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Seed only when the database has nobody in it (what `make run` uses).",
)
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo company, curriculum and its three cohorts; safe to run twice."""
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
            f"{report.enrollments_added} enrollments, {report.pairs_published} pairs, "
            f"{report.meetings_added} meetings added."
        )
        report_logins = report.logins
    if report_logins:
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in report_logins:
            click.echo(f"  {role:<7} {email}")


@click.command("import-participants")
@click.argument("cohort")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and print the preview only.")
@with_appcontext
def import_participants_command(cohort: str, csv_file: str, dry_run: bool) -> None:
    """Import participants into COHORT (its id or exact name) from CSV_FILE.

    Exits with status 1, writing nothing, when the file has any error.
    """
    from pathlib import Path

    from sqlalchemy import select

    from mentoring.cohorts.imports import commit_import, preview_import, store_upload
    from mentoring.cohorts.models import Cohort
    from mentoring.domain import RuleViolation
    from mentoring.people.csv_import import english_n

    target = None
    if cohort.isdigit():
        target = db.session.get(Cohort, int(cohort))
    if target is None:
        target = db.session.scalar(select(Cohort).where(Cohort.name == cohort))
    if target is None:
        raise click.ClickException(f"No cohort has the id or name {cohort!r}.")
    path = Path(csv_file)
    content = path.read_bytes()
    limit = 50 * 1024 * 1024
    if len(content) > limit:
        raise click.ClickException("The file is larger than 50 MB.")
    preview = preview_import(target, content)
    for message in preview.file_errors:
        click.echo(f"{path.name}: {message}", err=True)
    for error in preview.errors:
        column = f" [{error.column}]" if error.column else ""
        click.echo(f"{path.name}:{error.line}{column}: {error.message}", err=True)
    rows, errors = len(preview.rows), len(preview.errors)
    valid = english_n("%(count)s valid row", "%(count)s valid rows", rows, count=f"{rows:,}")
    bad = english_n("%(count)s row error", "%(count)s row errors", errors, count=f"{errors:,}")
    click.echo(f"{valid}, {bad}.")
    if not preview.ok:
        raise SystemExit(1)
    if dry_run:
        counts = preview.counts
        click.echo(f"Dry run, nothing written. Importing would give: {counts.describe()}.")
        return
    batch = store_upload(target, path.name, content, actor=None)
    try:
        summary = commit_import(target, batch, actor=None)
    except RuleViolation as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Imported into {target.name}: {summary.describe()}.")
    if summary.invitation_hint():
        click.echo(summary.invitation_hint())


@click.command("apply-retention")
@click.option("--dry-run", is_flag=True, help="Report what would be removed; change nothing.")
@with_appcontext
def apply_retention_command(dry_run: bool) -> None:
    """Delete private notes, feedback text and private agendas of cohorts closed more than
    NOTES_RETENTION_MONTHS ago (meant for cron; reports keep their figures)."""
    from datetime import date

    from mentoring.trust.privacy import apply_retention
    from mentoring.trust.services import retention_months

    months = retention_months()
    if months == 0:
        click.echo("NOTES_RETENTION_MONTHS is 0: private texts are kept; nothing removed.")
        return
    try:
        report = apply_retention(today=date.today(), months=months, dry_run=dry_run)
    except Exception:
        db.session.rollback()
        raise
    verb = "Would remove" if dry_run else "Removed"
    if not report.cohorts:
        click.echo(f"No cohort closed more than {months} months ago: nothing to remove.")
        return
    names = ", ".join(
        f"{cohort.name} (closed {cohort.closed_on:%Y-%m-%d})" for cohort in report.cohorts
    )
    click.echo(f"Cohorts past the {months}-month retention period: {names}.")
    click.echo(
        f"{verb} {report.notes} private notes, {report.feedback} feedback texts and "
        f"{report.agendas} private agendas."
    )
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing changed.")
    else:
        db.session.commit()


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH while the app keeps serving.

    SQLite: through its online backup API; PostgreSQL: pg_dump's custom format. Exits
    with status 1, leaving no file at PATH, when the backup fails.
    """
    from mentoring.backup import BackupError, backup_database

    try:
        summary = backup_database(db.engine.url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary.describe())


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, force: bool, yes: bool) -> None:
    """Replace the database's contents with the backup in PATH (stop the app first)."""
    from mentoring.backup import (
        BackupError,
        database_has_data,
        describe_database,
        restore_database,
    )

    url = db.engine.url
    target = describe_database(url)
    db.session.remove()
    db.engine.dispose()  # this command's own connections must not hold the database
    try:
        if database_has_data(url) and not force:
            raise click.ClickException(
                f"{target[0].upper()}{target[1:]} already holds data, which restoring would "
                "replace. Back it up first, then run again with --force."
            )
        if not yes:
            click.confirm(f"Replace the contents of {target} with {path}?", abort=True)
        restore_database(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Restored {path} into {target}. Run `flask --app mentoring db upgrade` if the "
        "backup was made by an older version of the app."
    )
