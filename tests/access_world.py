"""A small, complete world for the access tests: two pairs in one active cohort, every
kind of object a route can name, and one signed-in client per actor.

Built once per test module; `snapshot`/`restore` put the database back after a request
that changed it, and `fingerprint` tells whether one did (every table's row count and a
hash of all its rows, read through the metadata).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, insert, select

from mentoring.extensions import db
from tests.conftest import PASSWORD, csrf_token, post_form

# The actors every route is tried by, in the order the matrix lists them.
ACTORS = (
    "anonymous",
    "mentor",  # pair A's mentor
    "mentee",  # pair A's mentee
    "hr",
    "leader",
    "other",  # pair B's mentor: a member of another pair
    "deactivated",  # signed in, then deactivated by HR
    "leader_mentee",  # a leader who is pair B's mentee
)

EMAILS = {
    "mentor": "mia.mentor@example.org",
    "mentee": "eric.exec@example.org",
    "hr": "hana.hr@example.org",
    "leader": "leo.leader@example.org",
    "other": "omar.other@example.org",
    "deactivated": "dora.gone@example.org",
    "leader_mentee": "lena.both@example.org",
}


@dataclass
class World:
    """Ids of the world's objects and a session (cookies, CSRF token) per actor."""

    ids: dict[str, Any]
    sessions: dict[str, tuple[dict[str, str], str]] = field(default_factory=dict)
    snapshot: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    fingerprint: dict[str, tuple[int, str]] = field(default_factory=dict)

    def client(self, app: Flask, actor: str) -> FlaskClient:
        """A fresh client holding the actor's session cookies."""
        client = app.test_client()
        cookies, _token = self.sessions[actor]
        for name, value in cookies.items():
            client.set_cookie(name, value)
        return client

    def token(self, actor: str) -> str:
        """A CSRF token valid in the actor's session."""
        return self.sessions[actor][1]


def fingerprint() -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its rows (inside an app context)."""
    result = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            digest = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
            result[table.name] = (len(rows), digest)
    return result


def take_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, to put back with `restore`."""
    with db.engine.connect() as connection:
        return {
            table.name: [dict(row._mapping) for row in connection.execute(select(table))]
            for table in db.metadata.sorted_tables
        }


def restore(snapshot: dict[str, list[dict[str, Any]]]) -> None:
    """Put every table back to the snapshot's rows."""
    db.session.remove()
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        for table in reversed(tables):
            connection.execute(delete(table))
        for table in tables:
            rows = snapshot[table.name]
            if rows:
                connection.execute(insert(table), rows)


def changed_tables(before: dict, after: dict) -> set[str]:
    """The tables whose rows differ between two fingerprints."""
    return {name for name in before if before[name] != after.get(name)}


def _sign_in(app: Flask, email: str | None) -> tuple[dict[str, str], str]:
    client = app.test_client()
    if email is None:
        page = client.get("/login").get_data(as_text=True)
    else:
        response = post_form(client, "/login", {"email": email, "password": PASSWORD})
        assert response.status_code == 302, f"{email} could not sign in"
        page = client.get("/account/password").get_data(as_text=True)
    cookies = {
        name: client.get_cookie(name).value
        for name in ("session", "remember_token")
        if client.get_cookie(name) is not None
    }
    return cookies, csrf_token(page)


def _person_maker(app: Flask) -> Callable[..., int]:
    from mentoring.auth.services import hash_password
    from mentoring.people.models import Person

    with app.app_context():
        hashed = hash_password(PASSWORD)

    def make(
        email: str,
        *,
        roles: tuple[str, ...],
        name: str,
        password: str | None = PASSWORD,
        **fields: Any,
    ) -> int:
        with app.app_context():
            person = Person(
                email=email,
                name=name,
                roles=roles,
                password_hash=hashed if password else None,
                **fields,
            )
            db.session.add(person)
            db.session.commit()
            return person.id

    return make


def build_world(app: Flask) -> World:
    """Create the world's rows and sign every actor in; return their ids and sessions."""
    from mentoring.auth.services import create_invitation, invitation_token, password_reset_token
    from mentoring.cohorts.models import Cohort, Enrollment, ParticipantImport
    from mentoring.curriculum.models import GoalTemplate, GoalTemplateMilestone, Topic
    from mentoring.goals.models import Goal, GoalMilestone
    from mentoring.matching.models import MatchProposal, MatchRun, Pair
    from mentoring.meetings.feeds import reset_feed
    from mentoring.meetings.models import Meeting, MeetingLog, MeetingSeries
    from mentoring.notifications.content import unsubscribe_token
    from mentoring.people.models import Person
    from mentoring.people.services import deactivate_person
    from mentoring.trust.models import AgreementAcceptance, EndRequest

    make_person = _person_maker(app)
    people = {
        "hr": make_person(EMAILS["hr"], roles=("admin",), name="Hana Hr"),
        "leader": make_person(EMAILS["leader"], roles=("leader",), name="Leo Leader"),
        "mentor": make_person(
            EMAILS["mentor"],
            roles=("mentor",),
            name="Mia Mentor",
            seniority_level=2,
            timezone="Europe/Paris",
        ),
        "mentee": make_person(
            EMAILS["mentee"],
            roles=("mentee",),
            name="Eric Exec",
            seniority_level=9,
            timezone="America/New_York",
        ),
        "other": make_person(
            EMAILS["other"], roles=("mentor",), name="Omar Other", seniority_level=2
        ),
        "leader_mentee": make_person(
            EMAILS["leader_mentee"],
            roles=("leader", "mentee"),
            name="Lena Both",
            seniority_level=9,
        ),
        "deactivated": make_person(
            EMAILS["deactivated"], roles=("mentor",), name="Dora Gone", seniority_level=2
        ),
        # Never signed in, no password, in no pair: HR may copy their invitation link.
        "invitee": make_person(
            "ivy.invitee@example.org", roles=("mentor",), name="Ivy Invitee", password=None
        ),
        # Drafted into the matching cohort.
        "m2": make_person(
            "max.mentor@example.org", roles=("mentor",), name="Max Mentor", seniority_level=2
        ),
        "e2": make_person(
            "eva.exec@example.org", roles=("mentee",), name="Eva Exec", seniority_level=9
        ),
    }
    today = date.today()
    now = datetime.now(UTC).replace(microsecond=0)
    ids: dict[str, Any] = {"people": people}
    with app.app_context():
        topic = Topic(name="LinkedIn", description="A profile that works", position=1)
        db.session.add(topic)
        db.session.flush()
        template = GoalTemplate(
            topic_id=topic.id, title="Set up a LinkedIn profile", evidence_kind="url"
        )
        template.milestones.append(GoalTemplateMilestone(position=1, title="Add a photo"))
        db.session.add(template)
        cohort = Cohort(
            name="Autumn",
            start_date=today - timedelta(days=60),
            end_date=today + timedelta(days=200),
            status="active",
        )
        cohort.topics.append(topic)
        drafting = Cohort(
            name="Spring",
            start_date=today + timedelta(days=30),
            end_date=today + timedelta(days=300),
            status="matching",
        )
        db.session.add_all([cohort, drafting])
        db.session.flush()

        def enroll(cohort_id: int, person: str, side: str) -> Enrollment:
            enrollment = Enrollment(cohort_id=cohort_id, person_id=people[person], side=side)
            db.session.add(enrollment)
            db.session.flush()
            return enrollment

        a_mentor, a_mentee = (
            enroll(cohort.id, "mentor", "mentor"),
            enroll(cohort.id, "mentee", "mentee"),
        )
        b_mentor, b_mentee = (
            enroll(cohort.id, "other", "mentor"),
            enroll(cohort.id, "leader_mentee", "mentee"),
        )
        enroll(cohort.id, "deactivated", "mentor")
        pair_a = Pair(
            cohort_id=cohort.id,
            mentor_enrollment_id=a_mentor.id,
            mentee_enrollment_id=a_mentee.id,
            score=80,
            explanation="covers LinkedIn",
            created_at=now - timedelta(days=50),
        )
        pair_b = Pair(
            cohort_id=cohort.id,
            mentor_enrollment_id=b_mentor.id,
            mentee_enrollment_id=b_mentee.id,
            score=70,
            explanation="covers LinkedIn",
            created_at=now - timedelta(days=50),
        )
        db.session.add_all([pair_a, pair_b])
        db.session.flush()
        for pair, members in ((pair_a, ("mentor", "mentee")), (pair_b, ("other", "leader_mentee"))):
            for member in members:
                db.session.add(
                    AgreementAcceptance(pair_id=pair.id, person_id=people[member], version=1)
                )

        def meeting(pair: Pair, number: int, start: datetime, status: str, **fields) -> Meeting:
            row = Meeting(
                pair_id=pair.id,
                uid=f"world-{pair.id}-{number}@test",
                start_at=start,
                end_at=start + timedelta(hours=1),
                duration_minutes=60,
                status=status,
                proposed_by_id=people["mentor"] if pair is pair_a else people["other"],
                **fields,
            )
            db.session.add(row)
            db.session.flush()
            return row

        held = meeting(pair_a, 1, now - timedelta(days=20), "held", agenda="Our first talk")
        planned = meeting(pair_a, 2, now + timedelta(days=5), "proposed", agenda="Next steps")
        series = MeetingSeries(
            pair_id=pair_a.id, every_weeks=2, occurrences=2, created_by_id=people["mentor"]
        )
        db.session.add(series)
        db.session.flush()
        in_series = [
            meeting(
                pair_a,
                3 + n,
                now + timedelta(days=14 * (n + 1), hours=2),
                "proposed",
                series_id=series.id,
                series_position=n + 1,
            )
            for n in range(2)
        ]
        to_log = meeting(pair_a, 5, now - timedelta(days=3), "confirmed", agenda="Posting")
        b_held = meeting(pair_b, 1, now - timedelta(days=15), "held")
        for author, rating in (("mentor", 5), ("mentee", 4)):
            db.session.add(
                MeetingLog(
                    meeting_id=held.id,
                    author_id=people[author],
                    outcome="held",
                    actual_minutes=60,
                    rating=rating,
                    private_notes="",
                    feedback="",
                )
            )
        db.session.add(
            MeetingLog(
                meeting_id=b_held.id,
                author_id=people["other"],
                outcome="held",
                actual_minutes=50,
                rating=4,
            )
        )
        goal = Goal(
            pair_id=pair_a.id,
            owner_enrollment_id=a_mentee.id,
            template_id=template.id,
            topic_id=topic.id,
            title="Set up a LinkedIn profile",
            status="in_progress",
            evidence_kind="url",
        )
        goal.milestones.append(GoalMilestone(position=1, title="Add a photo"))
        proposed = Goal(
            pair_id=pair_a.id,
            owner_enrollment_id=a_mentee.id,
            title="Post once a week",
            proposed_by_enrollment_id=a_mentor.id,
        )
        b_goal = Goal(
            pair_id=pair_b.id,
            owner_enrollment_id=b_mentee.id,
            title="Listen online",
            status="in_progress",
        )
        db.session.add_all([goal, proposed, b_goal])
        db.session.flush()
        end_request = EndRequest(
            pair_id=pair_a.id, requester_id=people["mentee"], reason="We rarely find a time"
        )
        db.session.add(end_request)

        # The matching cohort: a draft run with one proposal.
        d_mentor, d_mentee = (
            enroll(drafting.id, "m2", "mentor"),
            enroll(drafting.id, "e2", "mentee"),
        )
        run = MatchRun(cohort_id=drafting.id, status="draft", created_by_id=people["hr"])
        db.session.add(run)
        db.session.flush()
        proposal = MatchProposal(
            run_id=run.id,
            mentee_enrollment_id=d_mentee.id,
            mentor_enrollment_id=d_mentor.id,
            score=75,
            explanation="a fair match",
        )
        upload = ParticipantImport(
            cohort_id=drafting.id,
            uploaded_by_id=people["hr"],
            filename="people.csv",
            content=b"email,name,side\nnew.one@example.org,New One,mentor\n",
            sha256="0" * 64,
            status="previewed",
        )
        db.session.add_all([proposal, upload])
        db.session.flush()

        mentor = db.session.get(Person, people["mentor"])
        invitee = db.session.get(Person, people["invitee"])
        hr = db.session.get(Person, people["hr"])
        feed_secret = reset_feed(mentor, actor=mentor)
        invitation = create_invitation(invitee, created_by=hr)
        db.session.flush()
        ids.update(
            topic=topic.id,
            template=template.id,
            cohort=cohort.id,
            drafting=drafting.id,
            pair=pair_a.id,
            pair_b=pair_b.id,
            mentor_enrollment=a_mentor.id,
            mentee_enrollment=a_mentee.id,
            b_mentee_enrollment=b_mentee.id,
            held=held.id,
            planned=planned.id,
            to_log=to_log.id,
            series=series.id,
            series_meetings=[m.id for m in in_series],
            b_held=b_held.id,
            goal=goal.id,
            milestone=goal.milestones[0].id,
            proposed_goal=proposed.id,
            b_goal=b_goal.id,
            end_request=end_request.id,
            run=run.id,
            proposal=proposal.id,
            run_mentee=d_mentee.id,
            run_mentor=d_mentor.id,
            import_id=upload.id,
            feed_secret=feed_secret,
            invitation_token=invitation_token(invitation),
            reset_token=password_reset_token(mentor),
            unsubscribe_token=unsubscribe_token(mentor, "reminders"),
        )
        db.session.commit()

    world = World(ids=ids)
    world.sessions["anonymous"] = _sign_in(app, None)
    for actor in ACTORS[1:]:
        world.sessions[actor] = _sign_in(app, EMAILS[actor])
    with app.app_context():
        person = db.session.get(Person, people["deactivated"])
        deactivate_person(person, actor=db.session.get(Person, people["hr"]), reason="left")
        db.session.commit()
        app.extensions["mailman"].outbox = []
        world.snapshot = take_snapshot()
        world.fingerprint = fingerprint()
    return world


def clean_database(app: Flask) -> None:
    """Empty every table, as conftest's per-test cleaner does."""
    from sqlalchemy import text

    app.extensions["mailman"].outbox = []
    with app.app_context():
        db.session.remove()
        tables = [table.name for table in db.metadata.sorted_tables]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(tables)))
                )
            else:
                for name in reversed(tables):
                    connection.execute(text(f"DELETE FROM {name}"))  # noqa: S608
