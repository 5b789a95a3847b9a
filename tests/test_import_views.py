"""Importing participants through the pages and the command: preview, errors, commit whole."""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mentoring.auth.models import Invitation
from mentoring.cohorts.models import Cohort, Enrollment, ParticipantImport
from mentoring.curriculum.models import Topic
from mentoring.extensions import db
from mentoring.people.models import Person, PersonRole
from tests.conftest import csrf_token

HEADER = (
    "E-mail;Full name;Role;Dept;Job title;Level;Manager e-mail;Timezone;Languages;Topics;Capacity\n"
)
GOOD = (
    HEADER
    + "boss@acme.example;Béatrice Boss;mentee;Sales;VP Sales;9;;Europe/Paris;fr, en;AI tools;\n"
    + "zoe@acme.example;Zoé Jeune;mentor;Marketing;Analyst;2;boss@acme.example;Europe/Paris;fr;"
    + '"LinkedIn;AI tools";2\n'
)
MESSY = (
    HEADER
    + "boss@acme.example;Béatrice Boss;mentee;Sales;VP Sales;9;;Europe/Paris;fr, en;AI tools;\n"
    + "not-an-email;Zoé Jeune;mentor;Marketing;Analyst;2;;Europe/Paris;fr;LinkedIn;1\n"
    + "sam@acme.example;Sam;mentee;Sales;VP;9;ghost@acme.example;Mars/Olympus;en;Basket weaving;\n"
)


def _counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Person, PersonRole, Enrollment, Invitation)
        )


def _setup(app, make_person, login, status="draft"):
    make_person("hr@example.org", roles=("admin",), name="Hana HR")
    login("hr@example.org")
    with app.app_context():
        topics = [Topic(name="LinkedIn"), Topic(name="AI tools")]
        cohort = Cohort(
            name="Pilot",
            start_date=__import__("datetime").date(2027, 1, 4),
            end_date=__import__("datetime").date(2027, 6, 30),
            status=status,
            topics=topics,
        )
        db.session.add(cohort)
        db.session.commit()
        return cohort.id


def _upload(client, cohort_id, content: bytes, filename="people.csv"):
    page = client.get(f"/cohorts/{cohort_id}").get_data(as_text=True)
    return client.post(
        f"/cohorts/{cohort_id}/import",
        data={"csrf_token": csrf_token(page), "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _commit(client, preview_url):
    page = client.get(preview_url).get_data(as_text=True)
    action = re.search(r'action="([^"]+/commit)"', page).group(1)
    return client.post(action, data={"csrf_token": csrf_token(page)})


def test_messy_file_shows_every_bad_row_and_writes_nothing(app, client, login, make_person):
    cohort_id = _setup(app, make_person, login)
    before = _counts(app)
    response = _upload(client, cohort_id, ("\ufeff" + MESSY).encode())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Fix these rows" in page
    for line, text in [
        (3, "not-an-email"),
        (4, "ghost@acme.example"),
        (4, "Mars/Olympus"),
        (4, "Basket weaving"),
    ]:
        assert re.search(rf'<td class="num">{line}</td>.*?{re.escape(text)}', page, re.S), text
    assert "/commit" not in page  # no import button while the file has errors
    assert _counts(app) == before


def test_clean_file_imports_whole_and_reimport_changes_nothing(app, client, login, make_person):
    cohort_id = _setup(app, make_person, login)
    response = _upload(client, cohort_id, GOOD.encode())
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "The file is clean" in page
    done = _commit(client, preview_url)
    assert done.status_code == 302
    flashed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "2 people added" in flashed
    with app.app_context():
        zoe = db.session.scalar(select(Person).where(Person.email == "zoe@acme.example"))
        assert zoe.manager.email == "boss@acme.example"
        assert zoe.password_hash is None
        enrollment = db.session.scalar(select(Enrollment).where(Enrollment.person_id == zoe.id))
        assert (enrollment.side, enrollment.capacity) == ("mentor", 2)
        assert [t.name for t in enrollment.topics] == ["LinkedIn", "AI tools"]
        assert zoe.has_role("mentor")
    counts = _counts(app)
    assert counts == (3, 3, 2, 2)

    # The same file again: everything unchanged, nothing written.
    again = _upload(client, cohort_id, GOOD.encode()).headers["Location"]
    assert "unchanged" in client.get(again).get_data(as_text=True)
    _commit(client, again)
    assert _counts(app) == counts

    # A changed file updates people matched by email, case-insensitively.
    changed = GOOD.replace(
        "zoe@acme.example;Zoé Jeune;mentor;Marketing;Analyst",
        "ZOE@acme.example;Zoé Jeune;mentor;Marketing;Senior Analyst",
    )
    url = _upload(client, cohort_id, changed.encode()).headers["Location"]
    assert "Senior Analyst" in client.get(url).get_data(as_text=True)
    _commit(client, url)
    assert _counts(app) == counts
    with app.app_context():
        assert (
            db.session.scalar(select(Person.title).where(Person.email == "zoe@acme.example"))
            == "Senior Analyst"
        )


def test_committing_twice_imports_once(app, client, login, make_person):
    cohort_id = _setup(app, make_person, login)
    preview_url = _upload(client, cohort_id, GOOD.encode()).headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    action = re.search(r'action="([^"]+/commit)"', page).group(1)
    token = csrf_token(page)
    first = client.post(action, data={"csrf_token": token})
    second = client.post(action, data={"csrf_token": token}, follow_redirects=True)
    assert first.status_code == 302
    assert "already been imported" in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Person.id))) == 3


def test_binary_and_non_utf8_files_are_rejected_cleanly(app, client, login, make_person):
    cohort_id = _setup(app, make_person, login)
    for content in (b"PK\x03\x04\x00\x00binary", GOOD.encode("latin-1")):
        url = _upload(client, cohort_id, content).headers["Location"]
        page = client.get(url).get_data(as_text=True)
        assert "UTF-8" in page or "not a CSV" in page or "binary" in page.lower()
        assert "/commit" not in page
    assert _counts(app)[0] == 1


def test_too_large_file_gets_a_clear_413(app, client, login, make_person):
    cohort_id = _setup(app, make_person, login)
    app.config["MAX_CONTENT_LENGTH"] = 2000
    try:
        response = _upload(client, cohort_id, GOOD.encode() * 50)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 5 * 1024 * 1024
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ParticipantImport.id))) == 0


def test_import_refused_once_the_cohort_is_active(app, client, login, make_person):
    cohort_id = _setup(app, make_person, login, status="active")
    response = _upload(client, cohort_id, GOOD.encode())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cohorts/{cohort_id}")
    assert _counts(app)[0] == 1


def test_template_and_help(app, client, login, make_person):
    _setup(app, make_person, login)
    template = client.get("/cohorts/import-template.csv")
    assert template.mimetype == "text/csv"
    assert "email" in template.get_data(as_text=True).splitlines()[0]
    assert "seniority level" in client.get("/cohorts/import-help").get_data(as_text=True)


def test_import_command(app, tmp_path, make_cohort):
    with app.app_context():
        topics = [Topic(name="LinkedIn"), Topic(name="AI tools")]
        db.session.add_all(topics)
        db.session.commit()
    cohort_id = make_cohort(name="Pilot")
    with app.app_context():
        db.session.get(Cohort, cohort_id).topics = list(db.session.scalars(select(Topic)))
        db.session.commit()
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_text(MESSY)
    result = runner.invoke(args=["import-participants", "Pilot", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv:4 [time zone]" in result.output
    assert _counts(app)[0] == 0
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    result = runner.invoke(args=["import-participants", str(cohort_id), str(good)])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output
    result = runner.invoke(args=["import-participants", "Pilot", str(good)])
    assert "0 added, 0 updated, 2 unchanged" in result.output
    assert runner.invoke(args=["import-participants", "Nope", str(good)]).exit_code != 0


ROW_PARTS = st.lists(
    st.sampled_from(
        [
            "a@acme.example",
            "b@ACME.example",
            "bad@",
            "",
            "mentor",
            "mentee",
            "boss",
            "9",
            "2",
            "11",
            "Europe/Paris",
            "Mars/Olympus",
            "LinkedIn",
            "AI tools;LinkedIn",
            "Nope",
            "fr",
            "xx1",
            "1",
            "0",
            "-3",
            '"',
            ";",
            "\n",
            "é",
            "\x00",
        ]
    ),
    min_size=0,
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW_PARTS, max_size=6), header=st.booleans())
def test_any_file_imports_whole_or_not_at_all(app, rows, header):
    """Garbage never raises and never leaves a partial import behind."""
    from mentoring.cohorts.imports import commit_import, preview_import, store_upload
    from mentoring.domain import RuleViolation

    text = (HEADER if header else "") + "\n".join(";".join(parts) for parts in rows)
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Fuzz"))
        if cohort is None:
            cohort = Cohort(
                name="Fuzz",
                start_date=__import__("datetime").date(2027, 1, 4),
                end_date=__import__("datetime").date(2027, 6, 30),
                topics=[Topic(name="LinkedIn"), Topic(name="AI tools")],
            )
            db.session.add(cohort)
            db.session.commit()
        before = _counts(app)
        preview = preview_import(cohort, text.encode("utf-8", "surrogatepass"))
        batch = store_upload(cohort, "fuzz.csv", text.encode("utf-8", "surrogatepass"), actor=None)
        try:
            commit_import(cohort, batch, actor=None)
        except RuleViolation:
            db.session.rollback()
            assert not preview.ok
            assert _counts(app) == before
        else:
            db.session.commit()
            assert preview.ok
            assert _counts(app)[0] - before[0] == preview.creates
