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
# The same file with an availability column, spelled as a French HR export might.
AV_HEADER = HEADER.replace("\n", ";Disponibilités\n")
AV_GOOD = (
    AV_HEADER
    + "boss@acme.example;Béatrice Boss;mentee;Sales;VP Sales;9;;Europe/Paris;fr, en;AI tools;;"
    + '"lun. 9h-11h; mercredi 14h-16h"\n'
    + "zoe@acme.example;Zoé Jeune;mentor;Marketing;Analyst;2;boss@acme.example;Europe/Paris;fr;"
    + '"LinkedIn;AI tools";2;Tue 12:00-13:00 | Thu 16:00-17:30\n'
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


def _flash_counts(page: str) -> str:
    match = re.search(r"Import done: (.*?invitation links?)", page)
    assert match, page
    return match.group(1)


def test_availability_is_imported_and_reimport_changes_nothing(app, client, login, make_person):
    cohort_id = _setup(app, make_person, login)
    preview_url = _upload(client, cohort_id, AV_GOOD.encode()).headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "The file is clean" in page
    # The preview shows the windows as read, and what the import will do.
    assert "Mon 09:00-11:00, Wed 14:00-16:00" in page
    assert "Tue 12:00-13:00, Thu 16:00-17:30" in page
    assert (
        "2 people added, 0 updated, 0 unchanged; 2 enrollments created, 0 updated, 0 unchanged; "
        "2 new invitation links" in page
    )
    done = client.get(_commit(client, preview_url).headers["Location"]).get_data(as_text=True)
    assert _flash_counts(done) == (
        "2 people added, 0 updated, 0 unchanged; 2 enrollments created, 0 updated, 0 unchanged; "
        "2 new invitation links"
    )
    with app.app_context():
        availability = dict(
            db.session.execute(
                select(Person.email, Enrollment.availability).join(
                    Enrollment, Enrollment.person_id == Person.id
                )
            ).all()
        )
    assert availability == {
        "boss@acme.example": [
            {"day": 0, "start": "09:00", "end": "11:00"},
            {"day": 2, "start": "14:00", "end": "16:00"},
        ],
        "zoe@acme.example": [
            {"day": 1, "start": "12:00", "end": "13:00"},
            {"day": 3, "start": "16:00", "end": "17:30"},
        ],
    }
    counts = _counts(app)

    # The same windows written another way: nothing changes, and the pages say so.
    respelled = AV_GOOD.replace("lun. 9h-11h; mercredi 14h-16h", "Wed 14:00-16:00 | Monday 9-11")
    again = _upload(client, cohort_id, respelled.encode()).headers["Location"]
    page = client.get(again).get_data(as_text=True)
    unchanged = (
        "0 people added, 0 updated, 2 unchanged; 0 enrollments created, 0 updated, 2 unchanged; "
        "0 new invitation links"
    )
    assert unchanged in page
    done = client.get(_commit(client, again).headers["Location"]).get_data(as_text=True)
    assert _flash_counts(done) == unchanged
    assert "not emailed yet" not in done
    assert _counts(app) == counts

    # New windows for one person: one enrollment updated, nobody in the directory changed.
    moved = AV_GOOD.replace("Tue 12:00-13:00 | Thu 16:00-17:30", "Fri 08:00-09:00")
    url = _upload(client, cohort_id, moved.encode()).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "availability: Tue 12:00-13:00, Thu 16:00-17:30 → Fri 08:00-09:00" in page
    done = client.get(_commit(client, url).headers["Location"]).get_data(as_text=True)
    assert _flash_counts(done) == (
        "0 people added, 0 updated, 2 unchanged; 0 enrollments created, 1 updated, 1 unchanged; "
        "0 new invitation links"
    )
    with app.app_context():
        assert db.session.scalar(
            select(Enrollment.availability)
            .join(Person, Person.id == Enrollment.person_id)
            .where(Person.email == "zoe@acme.example")
        ) == [{"day": 4, "start": "08:00", "end": "09:00"}]


def test_bad_availability_is_shown_by_line_and_nothing_is_written(app, client, login, make_person):
    cohort_id = _setup(app, make_person, login)
    before = _counts(app)
    bad = AV_GOOD.replace("lun. 9h-11h; mercredi 14h-16h", "Mo 9h-11h; mercredi 16h-14h")
    page = client.get(_upload(client, cohort_id, bad.encode()).headers["Location"]).get_data(
        as_text=True
    )
    assert "Fix these rows" in page
    for reason in ("unknown day &#39;Mo&#39;", "&#39;mercredi 16h-14h&#39; ends before it starts"):
        assert re.search(
            rf'<td class="num">2</td><td>availability</td><td>[^<]*{re.escape(reason)}', page
        ), reason
    assert "/commit" not in page
    assert _counts(app) == before


def test_import_emails_the_invitations_only_when_ticked(app, client, login, make_person):
    from tests.conftest import deliver_emails

    cohort_id = _setup(app, make_person, login)
    url = _upload(client, cohort_id, GOOD.encode()).headers["Location"]
    preview = client.get(url).get_data(as_text=True)
    assert 'id="send_invitations" name="send_invitations" value="y" checked' in preview
    # Unticked (the browser sends no field): nothing is emailed, and the flash says so.
    done = client.get(_commit(client, url).headers["Location"]).get_data(as_text=True)
    assert "Their invitations are not emailed yet" in done
    assert deliver_emails(app) == []

    # A second file into the same cohort, ticked: its people and the first file's.
    again = GOOD.replace("@", "+2@")
    url = _upload(client, cohort_id, again.encode()).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    action = re.search(r'action="([^"]+/commit)"', page).group(1)
    response = client.post(action, data={"csrf_token": csrf_token(page), "send_invitations": "y"})
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    emailed = deliver_emails(app)
    # Every participant of the cohort without an emailed invitation gets one, once.
    assert f"Invitations are on their way to {len(emailed)} people." in done
    assert len(emailed) == 4
    assert all("/invitation/" in message.body for message in emailed)


def test_plurals_on_the_preview_for_one_participant(app, client, login, make_person):
    cohort_id = _setup(app, make_person, login)
    one = HEADER + "solo@acme.example;Solo;mentor;IT;Dev;2;;UTC;en;LinkedIn;1\n"
    page = client.get(_upload(client, cohort_id, one.encode()).headers["Location"]).get_data(
        as_text=True
    )
    assert "1 person added" in page and "1 enrollment created" in page
    assert "1 new invitation link." in page
    assert re.search(r"Import 1 participant\s*<", page)
    assert re.search(r"valid row\s*<", page)


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
    assert "availability" in template.get_data(as_text=True).splitlines()[0]
    help_page = client.get("/cohorts/import-help").get_data(as_text=True)
    assert "seniority level" in help_page
    assert "availability" in help_page and "Mon 09:00-11:00; Wed 14:00-16:00" in help_page


def _cli_cohort(app, make_cohort) -> int:
    with app.app_context():
        topics = [Topic(name="LinkedIn"), Topic(name="AI tools")]
        db.session.add_all(topics)
        db.session.commit()
    cohort_id = make_cohort(name="Pilot")
    with app.app_context():
        db.session.get(Cohort, cohort_id).topics = list(db.session.scalars(select(Topic)))
        db.session.commit()
    return cohort_id


def _summary(output: str) -> str:
    """The counts sentence of the command's output, from the people to the invitations."""
    match = re.search(r"\d+ (?:person|people) added.*?invitation links?", output)
    assert match, output
    return match.group(0)


def test_import_command(app, tmp_path, make_cohort):
    cohort_id = _cli_cohort(app, make_cohort)
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_text(MESSY)
    result = runner.invoke(args=["import-participants", "Pilot", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv:4 [time zone]" in result.output
    assert "1 valid row, 4 row errors." in result.output
    assert _counts(app)[0] == 0
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    result = runner.invoke(args=["import-participants", str(cohort_id), str(good)])
    assert result.exit_code == 0, result.output
    assert "2 valid rows, 0 row errors." in result.output
    assert _summary(result.output) == (
        "2 people added, 0 updated, 0 unchanged; 2 enrollments created, 0 updated, 0 unchanged; "
        "2 new invitation links"
    )
    assert "not emailed yet" in result.output
    assert "ready to send" not in result.output
    result = runner.invoke(args=["import-participants", "Pilot", str(good)])
    assert _summary(result.output) == (
        "0 people added, 0 updated, 2 unchanged; 0 enrollments created, 0 updated, 2 unchanged; "
        "0 new invitation links"
    )
    assert "not emailed yet" not in result.output
    assert runner.invoke(args=["import-participants", "Nope", str(good)]).exit_code != 0


def test_import_command_dry_run_says_what_the_real_run_does(app, tmp_path, make_cohort):
    _cli_cohort(app, make_cohort)
    runner = app.test_cli_runner()
    first = tmp_path / "first.csv"
    first.write_text(GOOD)
    assert runner.invoke(args=["import-participants", "Pilot", str(first)]).exit_code == 0
    # A second file: Béatrice's availability changes, Zoé's title changes, Sam is new.
    second = tmp_path / "second.csv"
    second.write_text(
        AV_HEADER
        + "boss@acme.example;Béatrice Boss;mentee;Sales;VP Sales;9;;Europe/Paris;fr, en;"
        + "AI tools;;Mon 09:00-11:00\n"
        + "zoe@acme.example;Zoé Jeune;mentor;Marketing;Lead;2;boss@acme.example;Europe/Paris;"
        + 'fr;"LinkedIn;AI tools";2;\n'
        + "sam@acme.example;Sam;mentee;Sales;VP;9;;Europe/Paris;en;LinkedIn;;\n"
    )
    before = _counts(app)
    dry = runner.invoke(args=["import-participants", "Pilot", str(second), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run, nothing written." in dry.output
    assert _counts(app) == before
    real = runner.invoke(args=["import-participants", "Pilot", str(second)])
    assert real.exit_code == 0, real.output
    assert (
        _summary(dry.output)
        == _summary(real.output)
        == (
            "1 person added, 1 updated, 1 unchanged; 1 enrollment created, 1 updated, 1 unchanged; "
            "1 new invitation link"
        )
    )
    # The real run wrote what it said: one more person, enrollment and invitation.
    after = _counts(app)
    assert (after[0] - before[0], after[2] - before[2], after[3] - before[3]) == (1, 1, 1)
    again = runner.invoke(args=["import-participants", "Pilot", str(second), "--dry-run"])
    assert _summary(again.output) == (
        "0 people added, 0 updated, 3 unchanged; 0 enrollments created, 0 updated, 3 unchanged; "
        "0 new invitation links"
    )


def test_import_command_reports_bad_availability_by_line(app, tmp_path, make_cohort):
    _cli_cohort(app, make_cohort)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        AV_GOOD.replace("Tue 12:00-13:00 | Thu 16:00-17:30", "Tue 12:00-13:00 | Thu 25:00-26:00")
    )
    result = app.test_cli_runner().invoke(args=["import-participants", "Pilot", str(bad)])
    assert result.exit_code == 1
    assert (
        "bad.csv:3 [availability]: 'Thu 25:00-26:00': '25:00' is not a time of day" in result.output
    )
    assert _counts(app)[0] == 0


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
            "Mon 09:00-11:00",
            '"Mon 09:00-11:00; Wed 14h-16h"',
            "lun. 9h-11h | Fri 8-9",
            "Mo 9-10",
            "Tue 25:00-26:00",
            "Wed 16:00-14:00",
        ]
    ),
    min_size=0,
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW_PARTS, max_size=6), header=st.sampled_from(["", HEADER, AV_HEADER]))
def test_any_file_imports_whole_or_not_at_all(app, rows, header):
    """Garbage never raises and never leaves a partial import behind."""
    from mentoring.cohorts.imports import commit_import, preview_import, store_upload
    from mentoring.domain import RuleViolation

    text = header + "\n".join(";".join(parts) for parts in rows)
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
