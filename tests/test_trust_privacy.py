"""Personal data: export, erasure and retention."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, LargeBinary, String, Text, func, select

from mentoring.audit.models import AuditEvent
from mentoring.audit.services import record_event
from mentoring.auth.models import Invitation
from mentoring.auth.services import authenticate, create_invitation
from mentoring.cohorts.models import Cohort, ParticipantImport
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.goals.models import Goal, GoalMilestone
from mentoring.matching.models import Pair
from mentoring.meetings.models import FeedToken, Meeting, MeetingLog
from mentoring.people.models import Person
from mentoring.trust import privacy
from mentoring.trust.models import PersonErasure
from mentoring.trust.privacy import apply_retention, erase_person, personal_data
from mentoring.trust.services import request_end
from tests.conftest import PASSWORD, post_form

MENTEE_NAME = "Zoë Quantrill-Vasquez"
MENTEE_EMAIL = "zoe.quantrill@example.org"


def signed_in(app, email):
    """A fresh client signed in through the real form."""
    client = app.test_client()
    post_form(client, "/login", {"email": email, "password": PASSWORD})
    return client


def _meeting(pair_id: int, days_ago: int, number: int, **fields: Any) -> Meeting:
    start = datetime(2026, 10, 1, 9, tzinfo=UTC) - timedelta(days=days_ago)
    meeting = Meeting(
        pair_id=pair_id,
        uid=f"m{pair_id}-{number}@test",
        start_at=start,
        end_at=start + timedelta(hours=1),
        duration_minutes=60,
        status="held",
        **fields,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _log(meeting: Meeting, author_id: int, notes: str, rating: int, feedback: str = "") -> None:
    db.session.add(
        MeetingLog(
            meeting_id=meeting.id,
            author_id=author_id,
            outcome="held",
            actual_minutes=55,
            private_notes=notes,
            rating=rating,
            feedback=feedback,
            feedback_shareable=bool(feedback),
        )
    )


@pytest.fixture
def story(app, make_pair, make_person) -> dict[str, int]:
    """An HR manager and a pair whose mentee left traces everywhere."""
    hr = make_person("hr@example.org", roles=("admin",), name="Hana Hr")
    ids = make_pair(mentee_email=MENTEE_EMAIL)
    with app.app_context():
        mentee = db.session.get(Person, ids["mentee"])
        mentee.name = MENTEE_NAME
        mentee.title = "Chief Quantum Officer"
        mentee.bio = f"I am {MENTEE_NAME}, reach me at {MENTEE_EMAIL}"
        pair = db.session.get(Pair, ids["pair"])
        first = _meeting(
            pair.id,
            30,
            1,
            proposed_by_id=mentee.id,
            agenda=f"{MENTEE_NAME}'s questions",
            agenda_private=True,
            video_url="https://meet.example.org/zoe.quantrill",
        )
        second = _meeting(pair.id, 10, 2, proposed_by_id=ids["mentor"])
        _log(first, mentee.id, "my secret worries", 2, feedback="mentor was late")
        _log(first, ids["mentor"], f"{MENTEE_NAME} asked great questions", 5)
        _log(second, mentee.id, "better now", 4)
        _log(second, ids["mentor"], "the mentor's own notes", 4)
        goal = Goal(
            pair_id=pair.id,
            owner_enrollment_id=ids["mentee_enrollment"],
            title="Post weekly as Zoë",
            description="my own words",
            status="done",
            evidence_kind="url",
            evidence_url="https://linkedin.example/in/zoe-quantrill",
            completed_at=datetime(2026, 9, 20, tzinfo=UTC),
        )
        goal.milestones.append(GoalMilestone(position=1, title="Draft a post"))
        db.session.add(goal)
        db.session.add(
            ParticipantImport(
                cohort_id=ids["cohort"],
                filename="people.csv",
                content=f"email,name\n{MENTEE_EMAIL.upper()},{MENTEE_NAME}\n".encode(),
                sha256="0" * 64,
                status="committed",
            )
        )
        db.session.flush()
        record_event(
            "person.deactivated",
            actor=db.session.get(Person, hr),
            subject=mentee,
            reason=f"{MENTEE_NAME} left; write to {MENTEE_EMAIL}",
        )
        create_invitation(mentee, created_by=db.session.get(Person, hr))
        db.session.add(FeedToken(person_id=mentee.id, nonce="n" * 20, token_hash="h" * 64))
        request_end(pair, mentee, f"{MENTEE_NAME} wants out")
        db.session.commit()
    return {**ids, "hr": hr}


def _text_values() -> list[tuple[str, str, str]]:
    """Every text, JSON and binary value of every table: (table, column, value)."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [
            c for c in table.columns if isinstance(c.type, String | Text | JSON | LargeBinary)
        ]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace")
                elif not isinstance(value, str):
                    value = json.dumps(value, ensure_ascii=False)
                found.append((table.name, column.name, value))
    return found


def _report_figures(cohort_id: int) -> dict[str, Any]:
    from mentoring.main.services import cohort_health, headline_figures

    return {
        "headline": headline_figures(),
        "health": [
            (row.summary.cohort.id, row.active_pairs, row.overdue)
            for row in cohort_health(datetime.now(UTC))
        ],
        "meetings": db.session.scalar(select(func.count(Meeting.id))),
        "logs": db.session.scalar(select(func.count(MeetingLog.id))),
        "ratings": db.session.scalar(select(func.avg(MeetingLog.rating))),
        "goals_done": db.session.scalar(select(func.count(Goal.id)).where(Goal.status == "done")),
        "pairs": db.session.scalar(select(func.count(Pair.id))),
    }


# Export --------------------------------------------------------------------------


def test_export_holds_the_persons_data_and_never_the_other_members_notes(app, story):
    with app.app_context():
        data = personal_data(db.session.get(Person, story["mentee"]))
    assert data["profile"]["email"] == MENTEE_EMAIL
    assert data["profile"]["name"] == MENTEE_NAME
    assert {e["side"] for e in data["enrollments"]} == {"mentee"}
    assert data["pairs"][0]["other_member"].startswith("Mia Mentor")
    assert "end_reason" not in data["pairs"][0]
    assert len(data["meetings"]) == 2
    notes = [log["private_notes"] for log in data["your_meeting_logs"]]
    assert sorted(notes) == ["better now", "my secret worries"]
    assert [log["rating"] for log in data["your_meeting_logs"]] == [2, 4]
    assert data["your_goals"][0]["evidence_url"].endswith("zoe-quantrill")
    assert data["end_requests"][0]["reason"] == f"{MENTEE_NAME} wants out"
    assert [e["action"] for e in data["audit_events_about_you"]] == ["person.deactivated"]
    text = json.dumps(data, ensure_ascii=False)
    assert "asked great questions" not in text
    assert "the mentor's own notes" not in text


def test_a_person_downloads_their_own_data(app, story):
    client = signed_in(app, "mentor1@example.org")
    response = client.get("/profile/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["profile"]["id"] == story["mentor"]
    assert "my secret worries" not in response.get_data(as_text=True)
    assert "Download my data" in client.get("/profile").get_data(as_text=True)


def test_a_participant_cannot_export_someone_else(app, story):
    client = signed_in(app, "mentor1@example.org")
    response = client.get(f"/people/{story['mentee']}/export")
    assert response.status_code == 403
    assert "You can download only your own data" in response.get_data(as_text=True)
    assert client.get(f"/people/{story['mentor']}/export").status_code == 200


def test_hr_exports_a_person_on_request_and_it_is_audited(app, story):
    client = signed_in(app, "hr@example.org")
    page = client.get(f"/people/{story['mentee']}").get_data(as_text=True)
    assert "Download their data" in page
    response = client.get(f"/people/{story['mentee']}/export")
    assert response.status_code == 200
    assert response.get_json()["profile"]["email"] == MENTEE_EMAIL
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.exported"))
        assert event.actor_id == story["hr"] and event.subject_id == story["mentee"]


# Erasure -------------------------------------------------------------------------


def test_erasure_leaves_no_trace_of_name_or_email_and_keeps_the_figures(app, story):
    with app.app_context():
        before = _report_figures(story["cohort"])
        assert any(MENTEE_NAME in value for _, _, value in _text_values())
        erase_person(
            db.session.get(Person, story["mentee"]), actor=db.session.get(Person, story["hr"])
        )
        db.session.commit()
        db.session.expire_all()

        leaks = [
            (table, column)
            for table, column, value in _text_values()
            if MENTEE_NAME.lower() in value.lower()
            or MENTEE_EMAIL in value.lower()
            or "Quantrill" in value
        ]
        assert leaks == []
        assert _report_figures(story["cohort"]) == before

        mentee = db.session.get(Person, story["mentee"])
        assert mentee.name == f"Former participant {mentee.id}"
        assert mentee.title == "" and mentee.bio == ""
        assert not mentee.is_active and mentee.password_hash is None
        assert authenticate(MENTEE_EMAIL, PASSWORD).person is None
        assert db.session.scalar(select(FeedToken).where(FeedToken.person_id == mentee.id)) is None
        assert all(
            inv.revoked_at is not None
            for inv in db.session.scalars(
                select(Invitation).where(Invitation.person_id == mentee.id)
            )
        )
        logs = {
            (log.author_id, log.meeting_id): log for log in db.session.scalars(select(MeetingLog))
        }
        mentee_logs = [log for (author, _), log in logs.items() if author == mentee.id]
        assert {log.private_notes for log in mentee_logs} == {""}
        assert {log.feedback for log in mentee_logs} == {""}
        assert sorted(log.rating for log in mentee_logs) == [2, 4]
        mentor_notes = sorted(
            log.private_notes for (author, _), log in logs.items() if author == story["mentor"]
        )
        assert mentor_notes == [
            f"Former participant {mentee.id} asked great questions",
            "the mentor's own notes",
        ]
        goal = db.session.scalar(select(Goal))
        assert goal.status == "done" and goal.evidence_url == ""
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.erased"))
        assert event.actor_id == story["hr"] and event.subject_id == mentee.id
        assert event.details == {}


def test_an_erased_person_cannot_sign_in_and_their_session_ends(app, story):
    mentee_client = signed_in(app, MENTEE_EMAIL)
    assert mentee_client.get("/profile").status_code == 200
    hr_client = signed_in(app, "hr@example.org")
    page = hr_client.get(f"/people/{story['mentee']}/erase").get_data(as_text=True)
    assert "cannot be undone" in page
    unconfirmed = post_form(hr_client, f"/people/{story['mentee']}/erase", {})
    assert "Tick the box" in unconfirmed.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(PersonErasure, story["mentee"]) is None
    done = post_form(
        hr_client, f"/people/{story['mentee']}/erase", {"confirm": "y"}, follow_redirects=True
    )
    html = done.get_data(as_text=True)
    assert f"Former participant {story['mentee']}" in html and MENTEE_NAME not in html
    assert mentee_client.get("/profile").status_code == 302  # signed out
    assert signed_in(app, MENTEE_EMAIL).get("/profile").status_code == 302
    # Refused twice, and the record cannot be brought back.
    again = post_form(hr_client, f"/people/{story['mentee']}/erase", {"confirm": "y"})
    assert "already erased" in again.get_data(as_text=True)
    with app.app_context():
        with pytest.raises(RuleViolation, match="already erased"):
            erase_person(
                db.session.get(Person, story["mentee"]), actor=db.session.get(Person, story["hr"])
            )
    back = post_form(
        hr_client,
        f"/people/{story['mentee']}/reactivate",
        {},
        form_url=f"/people/{story['mentee']}",
        follow_redirects=True,
    )
    assert "cannot be edited, reactivated or invited again" in back.get_data(as_text=True)
    with app.app_context():
        assert not db.session.get(Person, story["mentee"]).is_active


def test_the_last_admin_and_oneself_cannot_be_erased(app, make_person):
    only = make_person("only@example.org", roles=("admin",))
    make_person("gone@example.org", roles=("admin",), is_active=False)
    mentor = make_person("m@example.org", roles=("mentor",))
    with app.app_context():
        actor = db.session.get(Person, only)
        with pytest.raises(RuleViolation, match="your own account"):
            erase_person(actor, actor=actor)
        # A deactivated admin does not count: "only" is the last who can sign in.
        with pytest.raises(RuleViolation, match="last HR program manager"):
            erase_person(actor, actor=db.session.get(Person, mentor))
        second = make_person("second@example.org", roles=("admin",))
        erase_person(db.session.get(Person, second), actor=actor)
        db.session.commit()
        # An erased admin does not count either.
        with pytest.raises(RuleViolation, match="last HR program manager"):
            erase_person(actor, actor=db.session.get(Person, mentor))


def test_a_failed_erasure_changes_nothing(app, story, monkeypatch):
    def broken(replacements):
        raise RuntimeError("disk full")

    monkeypatch.setattr(privacy, "_sweep_text_columns", broken)
    with app.app_context():
        with pytest.raises(RuntimeError):
            erase_person(
                db.session.get(Person, story["mentee"]), actor=db.session.get(Person, story["hr"])
            )
        db.session.rollback()
        mentee = db.session.get(Person, story["mentee"])
        assert mentee.name == MENTEE_NAME and mentee.is_active
        notes = db.session.scalars(
            select(MeetingLog.private_notes).where(MeetingLog.author_id == mentee.id)
        ).all()
        assert sorted(notes) == ["better now", "my secret worries"]
        assert db.session.get(PersonErasure, mentee.id) is None


# Retention -----------------------------------------------------------------------


def _close(cohort_id: int, on: date, hr_id: int) -> None:
    cohort = db.session.get(Cohort, cohort_id)
    cohort.status = "closed"
    event = record_event(
        "cohort.status_changed",
        actor=db.session.get(Person, hr_id),
        subject=cohort,
        previous="active",
        status="closed",
    )
    event.created_at = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)


@pytest.fixture
def two_cohorts(app, story, make_pair, make_cohort):
    """The story's cohort closed on 1 Jan 2025; a second cohort closed on 1 Jun 2025."""
    recent_cohort = make_cohort(status="active")
    recent = make_pair(cohort_id=recent_cohort)
    with app.app_context():
        meeting = _meeting(
            recent["pair"], 5, 9, agenda="recent private agenda", agenda_private=True
        )
        _log(meeting, recent["mentor"], "recent notes", 5, feedback="recent feedback")
        public = db.session.scalar(select(Meeting).where(Meeting.uid == f"m{story['pair']}-2@test"))
        public.agenda = "shared agenda"
        _close(story["cohort"], date(2025, 1, 1), story["hr"])
        _close(recent_cohort, date(2025, 6, 1), story["hr"])
        db.session.commit()
    return {"old": story["cohort"], "recent": recent_cohort, "recent_pair": recent["pair"]}


def _texts():
    logs = sorted(
        (log.private_notes, log.feedback) for log in db.session.scalars(select(MeetingLog))
    )
    agendas = sorted(m.agenda for m in db.session.scalars(select(Meeting)))
    return logs, agendas


def test_retention_removes_exactly_the_expired_texts(app, two_cohorts):
    with app.app_context():
        ratings_before = sorted(db.session.scalars(select(MeetingLog.rating)).all())
        dry = apply_retention(today=date(2026, 1, 2), months=12, dry_run=True)
        assert [c.id for c in dry.cohorts] == [two_cohorts["old"]]
        assert (dry.notes, dry.feedback, dry.agendas) == (4, 1, 1)
        before = _texts()
        db.session.rollback()
        assert _texts() == before

        report = apply_retention(today=date(2026, 1, 2), months=12)
        db.session.commit()
        assert (report.notes, report.feedback, report.agendas) == (4, 1, 1)
        logs, agendas = _texts()
        assert logs == [("", ""), ("", ""), ("", ""), ("", ""), ("recent notes", "recent feedback")]
        # Shared (not private) agendas stay; the private one of the old cohort goes.
        assert agendas == ["", "recent private agenda", "shared agenda"]
        assert sorted(db.session.scalars(select(MeetingLog.rating)).all()) == ratings_before
        assert apply_retention(today=date(2026, 1, 2), months=12).total == 0
        assert apply_retention(today=date(2030, 1, 1), months=0).total == 0


def test_apply_retention_command(app, two_cohorts):
    runner = app.test_cli_runner()
    app.config["NOTES_RETENTION_MONTHS"] = 6
    try:
        dry = runner.invoke(args=["apply-retention", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "Would remove 5 private notes, 2 feedback texts and 2 private agendas" in dry.output
        assert "Dry run: nothing changed." in dry.output
        with app.app_context():
            assert "recent notes" in [
                log.private_notes for log in db.session.scalars(select(MeetingLog))
            ]
        done = runner.invoke(args=["apply-retention"])
        assert done.exit_code == 0, done.output
        assert "Removed 5 private notes, 2 feedback texts and 2 private agendas" in done.output
        with app.app_context():
            assert {log.private_notes for log in db.session.scalars(select(MeetingLog))} == {""}
            event = db.session.scalar(
                select(AuditEvent).where(AuditEvent.action == "retention.applied")
            )
            assert event.details["notes"] == 5
        app.config["NOTES_RETENTION_MONTHS"] = 0
        kept = runner.invoke(args=["apply-retention"])
        assert "nothing removed" in kept.output
    finally:
        app.config["NOTES_RETENTION_MONTHS"] = 12


def test_a_failed_retention_run_changes_nothing(app, two_cohorts, monkeypatch):
    from sqlalchemy.orm import Session

    real_execute = Session.execute
    calls = {"n": 0}

    def flaky(self, statement, *args, **kwargs):
        if getattr(statement, "is_dml", False):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("connection lost")
        return real_execute(self, statement, *args, **kwargs)

    with app.app_context():
        before = _texts()
        monkeypatch.setattr(Session, "execute", flaky)
        with pytest.raises(RuntimeError):
            apply_retention(today=date(2026, 1, 2), months=12)
        monkeypatch.setattr(Session, "execute", real_execute)
        db.session.rollback()
        assert _texts() == before


def test_the_erased_name_is_worded_in_the_sites_default_language(app, story, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "fr")
    with app.app_context():
        erase_person(
            db.session.get(Person, story["mentee"]), actor=db.session.get(Person, story["hr"])
        )
        db.session.commit()
        assert db.session.get(Person, story["mentee"]).name == f"Personne effacée {story['mentee']}"
