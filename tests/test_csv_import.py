"""The participants CSV import: parsing, validation and preview, without the app."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentoring.people.csv_import import (
    COLUMN_ALIASES,
    COLUMNS,
    NOT_UTF8,
    ExistingEnrollment,
    ExistingPerson,
    ImportCounts,
    ImportPreview,
    canonical_time_zone,
    english_n,
    parse_participants,
    template_csv,
)

ROOT = Path(__file__).resolve().parent.parent
TOPICS = [
    "LinkedIn profile and network",
    "Generative AI tools at work",
    "Social listening and monitoring",
]
HEADER = "email,name,side,seniority level,time zone"
# Two valid rows: a mentor and a mentee.
VALID = (
    HEADER + "\nana@example.org,Ana Lima,mentor,2,Europe/Paris\nbob@example.org,Bob,mentee,9,UTC\n"
)


def parse(
    data: str | bytes,
    *,
    people: Mapping[str, ExistingPerson] | None = None,
    enrollments: Mapping[str, ExistingEnrollment] | None = None,
    topics: list[str] | None = None,
    max_rows: int = 20_000,
) -> ImportPreview:
    """Parse a CSV given as text (encoded UTF-8) or bytes."""
    return parse_participants(
        data.encode() if isinstance(data, str) else data,
        known_topics=TOPICS if topics is None else topics,
        existing_people=people or {},
        existing_enrollments=enrollments or {},
        max_rows=max_rows,
    )


def errors(preview: ImportPreview) -> list[tuple[int, str | None, str]]:
    """The row errors as plain tuples."""
    return [(error.line, error.column, error.message) for error in preview.errors]


def only_error(preview: ImportPreview) -> tuple[int, str | None, str]:
    """The one row error of a preview."""
    assert not preview.file_errors
    assert len(preview.errors) == 1, errors(preview)
    assert not preview.ok
    return errors(preview)[0]


def person(email: str, **fields: object) -> ExistingPerson:
    """An existing person with plausible defaults."""
    values: dict[str, object] = {
        "email": email,
        "name": "Someone",
        "department": "",
        "title": "",
        "seniority_level": 5,
        "manager_email": None,
        "timezone": "Europe/Paris",
        "languages": ("en",),
        "site": "",
    }
    values.update(fields)
    return ExistingPerson(**values)  # type: ignore[arg-type]


def existing_from(preview: ImportPreview) -> tuple[dict, dict]:
    """What the database would hold after importing a preview's rows."""
    people = {
        row.email: ExistingPerson(
            email=row.email,
            name=row.name,
            department=row.department,
            title=row.title,
            seniority_level=row.seniority_level,
            manager_email=row.manager_email,
            timezone=row.timezone,
            languages=row.languages,
            site=row.site,
        )
        for row in preview.rows
    }
    enrollments = {
        row.email: ExistingEnrollment(
            side=row.side,
            topics=row.topics,
            capacity=row.capacity,
            availability=row.availability,
        )
        for row in preview.rows
    }
    return people, enrollments


# --- encoding and file-level problems ---------------------------------------------------------


def test_a_valid_file_gives_rows_with_their_lines() -> None:
    preview = parse(VALID)
    assert preview.ok
    assert [(row.line, row.email, row.side) for row in preview.rows] == [
        (2, "ana@example.org", "mentor"),
        (3, "bob@example.org", "mentee"),
    ]
    ana = preview.rows[0]
    assert (ana.timezone, ana.languages, ana.capacity, ana.topics) == (
        "Europe/Paris",
        ("en",),
        1,
        (),
    )
    assert (ana.department, ana.title, ana.site, ana.manager_email) == ("", "", "", None)
    assert (preview.creates, preview.updates, preview.unchanged, preview.new_people) == (2, 0, 0, 2)
    assert preview.delimiter == ","


def test_excel_bom_is_ignored() -> None:
    preview = parse(b"\xef\xbb\xbf" + VALID.encode())
    assert preview.ok
    assert preview.columns["email"] == "email"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ((VALID + "cé@example.org,Hélène,mentor,2,UTC\n").encode("latin-1"), "line 4"),
        (b"email,name,side\n\x00\x01\x02", "binary data"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old Excel workbook (.xls)"),
        (VALID.encode("utf-16"), "UTF-16"),
    ],
)
def test_files_that_are_not_utf8_text_are_refused_clearly(data: bytes, expected: str) -> None:
    preview = parse(data)
    assert not preview.ok
    assert not preview.rows and not preview.errors
    [message] = preview.file_errors
    assert expected in message
    assert "save it as 'CSV UTF-8' from Excel" in message


def test_latin1_message_starts_with_the_plain_explanation() -> None:
    preview = parse("email,name,side\nzoé@example.org,Zoé,mentor\n".encode("latin-1"))
    assert preview.file_errors == [
        f"{NOT_UTF8} (the first character that is not UTF-8 is on line 2)"
    ]
    with_bom = parse(b"\xef\xbb\xbfemail\n\xe9")
    assert with_bom.file_errors[0].endswith("on line 2)")


@pytest.mark.parametrize("data", [b"", b"\n\n", b"  \r\n\t\r\n", b"\xef\xbb\xbf"])
def test_empty_file(data: bytes) -> None:
    assert parse(data).file_errors == ["the file is empty"]


def test_header_only() -> None:
    preview = parse(HEADER + "\n\n,,,,\n")
    assert preview.file_errors == ["the file has a header but no participant rows"]
    assert not preview.ok


def test_missing_required_columns_are_named() -> None:
    preview = parse("Name,Department\nAna,Sales\n")
    [message] = preview.file_errors
    assert message.startswith("missing required columns: email, side.")
    assert "found: 'Name', 'Department'" in message
    assert not preview.rows and not preview.errors


def test_a_file_without_header_says_what_it_found() -> None:
    preview = parse("ana@example.org,Ana,mentor\n")
    [message] = preview.file_errors
    assert "missing required columns: email, name (or first name and last name), side" in message
    assert "'ana@example.org'" in message


def test_first_name_alone_does_not_make_a_name() -> None:
    preview = parse("email,first name,side\nana@example.org,Ana,mentor\n")
    assert preview.file_errors[0].startswith(
        "missing required column: name (or first name and last name)."
    )


def test_duplicate_columns_are_a_file_error() -> None:
    preview = parse("Email,Name,Side,Work email\na@example.org,A,mentor,b@example.org\n")
    assert preview.file_errors == [
        "the columns 'Email' and 'Work email' both give the email: keep only one of them"
    ]


def test_unknown_columns_are_ignored_with_a_note() -> None:
    preview = parse(
        "Employee ID,email,name,side,seniority level,time zone,Phone,\n"
        "42,ana@example.org,Ana,mentor,2,UTC,+33 1 23,\n"
    )
    assert preview.ok
    assert preview.notes == [
        "column 'Employee ID' is not used by the import and was ignored",
        "column 'Phone' is not used by the import and was ignored",
    ]


def test_too_many_rows_is_a_file_error() -> None:
    rows = "".join(f"p{n}@example.org,P{n},mentor,2,UTC\n\n" for n in range(3))
    assert parse(HEADER + "\n" + rows, max_rows=3).ok
    preview = parse(HEADER + "\n" + rows + "x,,,\n", max_rows=3)
    assert preview.file_errors == [
        "the file has more than 3 participant rows: split it into smaller files"
    ]
    assert not preview.rows and not preview.errors


# --- delimiters, quoting and line numbers -----------------------------------------------------


def test_semicolon_file_with_quoted_topics_and_commas() -> None:
    preview = parse(
        "Email;Name;Side;Title;Seniority;Time zone;Topics\n"
        'ana@example.org;"Lima, Ana";mentor;Analyst, Data;2;UTC;'
        '"linkedin profile and network; Generative AI tools at work"\n'
    )
    assert preview.ok, errors(preview)
    assert preview.delimiter == ";"
    [row] = preview.rows
    assert row.name == "Lima, Ana"
    assert row.title == "Analyst, Data"
    assert row.topics == ("LinkedIn profile and network", "Generative AI tools at work")


def test_comma_file_with_quoted_commas_and_pipe_separated_topics() -> None:
    preview = parse(
        "email,name,side,title,seniority level,time zone,topics\n"
        'ana@example.org,Ana,mentor,"Head of Sales, EMEA",2,UTC,'
        "Generative AI tools at work|LinkedIn profile and network|GENERATIVE AI TOOLS AT WORK\n"
    )
    assert preview.ok, errors(preview)
    [row] = preview.rows
    assert row.title == "Head of Sales, EMEA"
    assert row.topics == ("Generative AI tools at work", "LinkedIn profile and network")


def test_tab_separated_file() -> None:
    assert parse(VALID.replace(",", "\t")).ok


def test_excel_sep_line_sets_the_delimiter() -> None:
    preview = parse("sep=;\n" + HEADER.replace(",", ";") + "\nana@example.org;Ana;mentor;2;UTC\n")
    assert preview.ok
    assert preview.delimiter == ";"
    assert preview.rows[0].line == 3


def test_line_numbers_are_physical_lines_where_the_record_starts() -> None:
    text = (
        "email,name,side,seniority level,time zone,title\r\n"
        'ana@example.org,Ana,mentor,2,UTC,"Data\r\nAnalyst"\r\n'  # lines 2-3
        "\r\n"  # line 4: blank, skipped
        'bob@example.org,"Bob\nthe\nBuilder",mentee,9,Mars/Olympus,x\r\n'  # lines 5-7
        "cat@example.org,Cat,mentee,8,UTC,\r"  # line 8, old Mac line end
        "dan@example.org,Dan,mentee,X,UTC,\n"  # line 9
    )
    preview = parse(text)
    assert [(row.line, row.email) for row in preview.rows] == [
        (2, "ana@example.org"),
        (8, "cat@example.org"),
    ]
    assert preview.rows[0].title == "Data Analyst"
    assert [(line, column) for line, column, _ in errors(preview)] == [
        (5, "time zone"),
        (9, "seniority level"),
    ]


def test_an_unclosed_quote_is_reported_on_its_line() -> None:
    preview = parse(VALID + 'cat@example.org,"Cat,mentee,2,UTC\ndan@example.org,Dan,mentee,2,UTC\n')
    line, column, message = only_error(preview)
    assert (line, column) == (4, None)
    assert "never closed" in message
    assert len(preview.rows) == 2


def test_text_after_a_closing_quote_is_an_error_and_reading_goes_on() -> None:
    preview = parse(
        HEADER + '\n"ana@example.org"x,Ana,mentor,2,UTC\nbob@example.org,Bob,mentee,9,UTC\n'
    )
    line, column, message = only_error(preview)
    assert (line, column) == (2, None)
    assert "must be followed by the separator" in message
    assert [row.email for row in preview.rows] == ["bob@example.org"]


def test_a_huge_value_is_an_error_on_its_line() -> None:
    preview = parse(VALID + 'cat@example.org,"' + "x" * 200_000 + '",mentee,2,UTC\n')
    line, column, message = only_error(preview)
    assert (line, column) == (4, None)
    assert message == 'a value is far too long: is a closing quote (") missing?'


def test_a_row_with_too_many_values_is_an_error() -> None:
    preview = parse(HEADER + "\nana@example.org,Lima, Ana,mentor,2,UTC\n")
    line, column, message = errors(preview)[0]
    assert (line, column) == (2, None)
    assert message == (
        "this row has 6 values but the header has 5 columns: "
        "is a value containing a comma missing its quotes?"
    )


def test_trailing_empty_values_and_short_rows_are_accepted() -> None:
    preview = parse(
        "email,name,side,seniority level,time zone,site\n"
        "ana@example.org,Ana,mentor,2,UTC,,,,\n"
        "bob@example.org,Bob,mentee,9,UTC\n"
    )
    assert preview.ok, errors(preview)
    assert [row.site for row in preview.rows] == ["", ""]


def test_entirely_blank_rows_leave_no_error() -> None:
    preview = parse(HEADER + "\n,,,,\n\n  ,  , ,,\nana@example.org,Ana,mentor,2,UTC\n   \n")
    assert preview.ok
    assert preview.rows[0].line == 5


# --- header names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("E-mail", "email"),
        ("EMAIL ADDRESS", "email"),
        ("work_email", "email"),
        ("Mail", "email"),
        ("Full Name", "name"),
        ("Display-name", "name"),
        ("Role", "side"),
        ("Participant type", "side"),
        ("Dept.", "department"),
        ("Business Unit", "department"),
        ("Job Title", "title"),
        ("Position", "title"),
        ("Seniority", "seniority level"),
        ("Grade", "seniority level"),
        ("Level", "seniority level"),
        ("Manager", "manager email"),
        ("Manager E-mail", "manager email"),
        ("Line manager email", "manager email"),
        ("TZ", "time zone"),
        ("Timezone", "time zone"),
        ("Language", "languages"),
        ("Interests", "topics"),
        ("Max mentees", "capacity"),
        ("Location", "site"),
        ("Office", "site"),
        ("Availability", "availability"),
        ("AVAILABILITIES", "availability"),
        ("Time windows", "availability"),
        ("time_slots", "availability"),
        ("Weekly availability", "availability"),
        ("Disponibilités", "availability"),
        ("disponibilite", "availability"),
    ],
)
def test_header_aliases(header: str, column: str) -> None:
    base = {"email": "Email", "name": "Name", "side": "Side"}
    base[column] = header
    preview = parse(",".join(base.values()) + "\nx@example.org,X,mentor\n")
    assert not preview.file_errors
    assert preview.columns[column] == header


def test_first_and_last_name_are_combined() -> None:
    preview = parse(
        "Work E-mail;First Name;Last_Name;Participant Type;Grade;TZ\n"
        "ana@example.org;Ana;Lima;Mentor;2;utc\n"
        "bob@example.org;;Bob;MENTEE;9;UTC\n"
    )
    assert preview.ok, errors(preview)
    assert [row.name for row in preview.rows] == ["Ana Lima", "Bob"]
    assert preview.columns["name"] == "first name + last name"
    assert preview.columns["email"] == "Work E-mail"


def test_french_nom_alone_is_the_full_name_and_beside_prenom_the_last_name() -> None:
    preview = parse(
        "E-mail;Nom;Rôle;Service;Niveau;Fuseau horaire\n"
        "ana@example.org;Ana Lima;Mentor;Marketing;2;Europe/Paris\n"
    )
    assert preview.ok, (preview.file_errors, errors(preview))
    assert preview.rows[0].name == "Ana Lima"
    assert preview.columns["name"] == "Nom"
    assert preview.notes == ["column 'Nom' is read as the full name: there is no first-name column"]
    preview = parse("E-mail;Prénom;Nom;Rôle;TZ;Niveau\nana@example.org;Ana;Lima;Mentor;UTC;2\n")
    assert preview.rows[0].name == "Ana Lima"
    assert preview.notes == []
    # An English "Last name" alone is still not a name.
    preview = parse("email,last name,side\nana@example.org,Lima,mentor\n")
    assert preview.file_errors[0].startswith("missing required column: name")


def test_a_name_column_wins_over_first_and_last_name() -> None:
    preview = parse(
        "email,name,first name,last name,side,level,tz\nana@example.org,Ana Lima,A,L,mentor,2,UTC\n"
    )
    assert preview.rows[0].name == "Ana Lima"
    assert preview.notes == [
        "column 'first name' was ignored: the name column is used",
        "column 'last name' was ignored: the name column is used",
    ]


def test_every_alias_maps_to_a_known_column() -> None:
    names = [name for name, _, _ in COLUMNS]
    assert set(COLUMN_ALIASES) == {*names, "first name", "last name"}
    assert [name for name, required, _ in COLUMNS if required] == ["email", "name", "side"]


# --- cell values ------------------------------------------------------------------------------

FULL_HEADER = [name for name, _, _ in COLUMNS]
GOOD = {
    "email": "ana@example.org",
    "name": "Ana Lima",
    "side": "mentor",
    "department": "Marketing",
    "title": "Analyst",
    "seniority level": "2",
    "manager email": "",
    "time zone": "Europe/Paris",
    "languages": "fr;en",
    "topics": "LinkedIn profile and network",
    "capacity": "2",
    "availability": "Mon 09:00-11:00; Wed 14:00-16:00",
    "site": "Paris",
}


def one_row(**cells: str) -> str:
    """A full-header file with one row: GOOD with some cells replaced (key spaces as _)."""
    row = dict(GOOD)
    row.update({key.replace("_", " "): value for key, value in cells.items()})
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([FULL_HEADER, [row[c] for c in FULL_HEADER]])
    return out.getvalue()


def test_the_good_row_is_good() -> None:
    preview = parse(one_row())
    assert preview.ok
    [row] = preview.rows
    assert row.languages == ("fr", "en")
    assert row.capacity == 2


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"email": ""}, "email", "the email is missing"),
        (
            {"email": "ana@@example.org"},
            "email",
            "'ana@@example.org' is not a valid email address: ",
        ),
        ({"email": "ana@example"}, "email", "'ana@example' is not a valid email address: "),
        ({"name": ""}, "name", "the name is missing"),
        ({"name": "A" * 121}, "name", "the name is longer than 120 characters"),
        ({"title": "Boss\x07"}, "title", "the title contains invisible control characters"),
        ({"side": ""}, "side", "the side is missing: write mentor or mentee"),
        (
            {"side": "reverse mentor"},
            "side",
            "unknown side 'reverse mentor': write mentor or mentee",
        ),
        (
            {"seniority_level": "5.5"},
            "seniority level",
            "the seniority level must be a whole number from 1 to 10, not '5.5'",
        ),
        ({"seniority_level": "0"}, "seniority level", "not '0'"),
        ({"seniority_level": "11"}, "seniority level", "not '11'"),
        ({"seniority_level": "-3"}, "seniority level", "not '-3'"),
        ({"seniority_level": "\u0665"}, "seniority level", "not '\u0665'"),
        ({"seniority_level": "1_0"}, "seniority level", "not '1_0'"),
        (
            {"seniority_level": ""},
            "seniority level",
            "the seniority level is required for a new person (a whole number from 1 to 10)",
        ),
        (
            {"time_zone": "Europe/Pariss"},
            "time zone",
            "unknown time zone 'Europe/Pariss': use an IANA name such as Europe/Paris",
        ),
        ({"time_zone": "../../etc/passwd"}, "time zone", "unknown time zone '../../etc/passwd'"),
        ({"time_zone": "/usr/share/zoneinfo/UTC"}, "time zone", "unknown time zone"),
        ({"time_zone": "Europe/../UTC"}, "time zone", "unknown time zone"),
        ({"time_zone": "Europe"}, "time zone", "unknown time zone 'Europe'"),
        ({"time_zone": "localtime"}, "time zone", "unknown time zone 'localtime'"),
        ({"time_zone": "zone.tab"}, "time zone", "unknown time zone 'zone.tab'"),
        ({"time_zone": "posix/Europe/Paris"}, "time zone", "unknown time zone"),
        (
            {"time_zone": ""},
            "time zone",
            "the time zone is required for a new person (an IANA name such as Europe/Paris)",
        ),
        (
            {"topics": "LinkedIn profile and network;Knitting"},
            "topics",
            "unknown topic 'Knitting': it is not one of this cohort's topics",
        ),
        (
            {"topics": "Generative AI tool at work"},
            "topics",
            "unknown topic 'Generative AI tool at work': "
            "did you mean 'Generative AI tools at work'?",
        ),
        (
            {"topics": "LinkedIn profile and network, Generative AI tools at work"},
            "topics",
            "separate topics with ; or |",
        ),
        (
            {"capacity": "0"},
            "capacity",
            "the capacity must be a whole number from 1 to 100, not '0'",
        ),
        ({"capacity": "two"}, "capacity", "not 'two'"),
        ({"capacity": "101"}, "capacity", "not '101'"),
        ({"capacity": "1.0"}, "capacity", "not '1.0'"),
        (
            {"side": "mentee", "capacity": "2"},
            "capacity",
            "a mentee has no capacity: leave it blank or write 1",
        ),
        (
            {"manager_email": "Jean Dupont"},
            "manager email",
            "'Jean Dupont' is not a valid email address (the manager column must hold the "
            "manager's email): ",
        ),
        (
            {"manager_email": "boss@example.org"},
            "manager email",
            "the manager boss@example.org is neither in this file nor already in the app",
        ),
        (
            {"manager_email": "ANA@example.org"},
            "manager email",
            "a person cannot be their own manager",
        ),
        (
            {"languages": "fr;xx"},
            "languages",
            "unknown language 'xx': use two-letter codes such as en or fr "
            "(or names such as English)",
        ),
        ({"languages": "Klingon"}, "languages", "unknown language 'Klingon'"),
        ({"languages": "fra"}, "languages", "unknown language 'fra'"),
    ],
)
def test_each_bad_cell_is_reported_with_line_and_column(
    cells: dict[str, str], column: str, message: str
) -> None:
    line, got_column, got_message = only_error(parse(one_row(**cells)))
    assert (line, got_column) == (2, column)
    assert got_message.startswith(message) or message in got_message, got_message


# --- availability -----------------------------------------------------------------------------

MON_WED = ((0, "09:00", "11:00"), (2, "14:00", "16:00"))


def test_the_good_row_has_its_availability() -> None:
    [row] = parse(one_row()).rows
    assert row.availability == MON_WED
    assert row.availability_text == "Mon 09:00-11:00, Wed 14:00-16:00"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Mon 09:00-11:00; Wed 14:00-16:00", MON_WED),
        ("Wed 14:00-16:00 | Mon 09:00-11:00", MON_WED),
        ("Monday 9:00-11:00, wednesday 14h00 - 16h00", MON_WED),
        ("MON. 09.00–11.00\nWed: 14:00 to 16:00", MON_WED),
        ("lun. 9h-11h; mercredi 14h à 16h", MON_WED),
        ("Mon 9-11;;  ; Wed 14-16; Mon 09:00-11:00", MON_WED),
        ("Tue 18:00-24:00", ((1, "18:00", "24:00"),)),
        ("Mon-Wed 12:00-13:00", tuple((day, "12:00", "13:00") for day in range(3))),
        ("Thurs 08:30-09:00; Sun 10:00-10:30", ((3, "08:30", "09:00"), (6, "10:00", "10:30"))),
        # Overlapping windows are accepted, as on the enrollment form.
        ("Mon 09:00-11:00; Mon 10:00-12:00", ((0, "09:00", "11:00"), (0, "10:00", "12:00"))),
    ],
)
def test_availability_spellings(written: str, expected: tuple) -> None:
    preview = parse(one_row(availability=written))
    assert preview.ok, errors(preview)
    assert preview.rows[0].availability == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "Mo 09:00-11:00",
            "'Mo 09:00-11:00' is not a window like 'Mon 09:00-11:00': unknown day 'Mo' "
            "(write Mon to Sun, Monday to Sunday, or lundi to dimanche)",
        ),
        (
            "Someday 9-10",
            "'Someday 9-10' is not a window like 'Mon 09:00-11:00': unknown day 'Someday'",
        ),
        ("Mon 11:00-09:00", "'Mon 11:00-09:00' ends before it starts"),
        ("Fri 22:00-01:00", "'Fri 22:00-01:00' ends before it starts"),
        ("Mon 10:00-10:00", "'Mon 10:00-10:00' ends when it starts"),
        ("Mon 25:00-26:00", "'Mon 25:00-26:00': '25:00' is not a time of day (00:00 to 24:00)"),
        ("Tue 09:60-10:00", "'Tue 09:60-10:00': '09:60' is not a time of day"),
        ("Wed 23:00-24:30", "'Wed 23:00-24:30': '24:30' is not a time of day"),
        ("14:00-16:00", "'14:00-16:00' has no day: write it like 'Mon 09:00-11:00'"),
        ("Mon", "'Mon' is not a window like 'Mon 09:00-11:00'"),
        ("mornings", "'mornings' is not a window like 'Mon 09:00-11:00'"),
        ("Mon 9am-11am", "'Mon 9am-11am' is not a window like 'Mon 09:00-11:00'"),
        ("Fri-Mon 09:00-10:00", "'Fri-Mon 09:00-10:00': the days run backwards"),
        (
            "; ".join(
                f"{day} {hour:02d}:00-{hour:02d}:30" for day in ("Mon", "Tue") for hour in range(11)
            ),
            "22 weekly windows: give at most 21",
        ),
    ],
)
def test_each_bad_availability_is_a_row_error_with_line_and_reason(
    written: str, message: str
) -> None:
    text = (
        HEADER
        + ",availability\n"
        + "ana@example.org,Ana Lima,mentor,2,Europe/Paris,Mon 09:00-11:00\n"
        + f'bob@example.org,Bob,mentee,9,UTC,"{written}"\n'
    )
    preview = parse(text)
    line, column, got = only_error(preview)
    assert (line, column) == (3, "availability")
    assert got.startswith(message), got
    assert [row.email for row in preview.rows] == ["ana@example.org"]


def test_every_bad_window_of_a_cell_is_reported() -> None:
    preview = parse(one_row(availability="Mon 09:00-11:00; Mo 10-11; Tue 12-11; Wed 25h-26h"))
    assert [(line, column) for line, column, _ in errors(preview)] == [(2, "availability")] * 3
    assert [message.split("'")[1] for _, _, message in errors(preview)] == [
        "Mo 10-11",
        "Tue 12-11",
        "Wed 25h-26h",
    ]


def test_a_cell_full_of_bad_windows_is_summed_up() -> None:
    preview = parse(one_row(availability="; ".join(["Xyz 1-2"] * 9)))
    # Repeats of one bad window are one problem each, but a row lists at most five.
    messages = [message for _, _, message in errors(preview)]
    assert len(messages) == 6
    assert messages[-1] == "… and 4 more bad windows"


def test_blank_availability_keeps_what_the_enrollment_has_and_a_new_one_has_none() -> None:
    assert parse(one_row(availability="")).rows[0].availability == ()
    people = {"ana@example.org": person("ana@example.org", name="Ana Lima")}
    enrollments = {
        "ana@example.org": ExistingEnrollment(
            side="mentor",
            topics=("LinkedIn profile and network",),
            capacity=2,
            availability=((4, "08:00", "09:00"),),
        )
    }
    [row] = parse(one_row(availability=""), people=people, enrollments=enrollments).rows
    assert row.availability == ((4, "08:00", "09:00"),)
    assert row.enrollment_action == "unchanged"


def test_changed_availability_is_an_enrollment_update_with_the_change_listed() -> None:
    people = {"ana@example.org": person("ana@example.org", name="Ana Lima")}
    old = ExistingEnrollment(
        side="mentor",
        topics=("LinkedIn profile and network",),
        capacity=2,
        availability=((4, "08:00", "09:00"),),
    )
    preview = parse(one_row(), people=people, enrollments={"ana@example.org": old})
    [row] = preview.rows
    assert row.enrollment_action == "update"
    assert row.changes[-1] == ("availability: Fri 08:00-09:00 → Mon 09:00-11:00, Wed 14:00-16:00")
    # The same windows written another way, in another order, change nothing.
    same = ExistingEnrollment(side="mentor", topics=old.topics, capacity=2, availability=MON_WED)
    again = parse(
        one_row(availability="wednesday 14h-16h | lundi 9h-11h"),
        people=people,
        enrollments={"ana@example.org": same},
    )
    assert again.rows[0].enrollment_action == "unchanged"
    assert not [change for change in again.rows[0].changes if "availability" in change]


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 rows"), (1, "1 row"), (2, "2 rows"), (12345, "12345 rows")],
)
def test_english_ngettext_fills_the_count(count: int, expected: str) -> None:
    assert english_n("%(num)s row", "%(num)s rows", count) == expected


def test_counts_are_described_with_plurals() -> None:
    assert ImportCounts(people_added=1, enrollments_created=1, invitations=1).describe() == (
        "1 person added, 0 updated, 0 unchanged; 1 enrollment created, 0 updated, 0 unchanged; "
        "1 new invitation link"
    )
    assert ImportCounts(
        people_added=2, people_updated=1, enrollments_created=3, enrollments_unchanged=1
    ).describe() == (
        "2 people added, 1 updated, 0 unchanged; 3 enrollments created, 0 updated, 1 unchanged; "
        "0 new invitation links"
    )
    assert ImportCounts(people_added=12345).describe().startswith("12,345 people added")
    assert not ImportCounts().invitation_hint()
    assert "not emailed yet" in ImportCounts(invitations=2).invitation_hint()


def test_counts_of_a_preview_separate_people_from_enrollments() -> None:
    people = {
        # In the app, not in the cohort: the person is unchanged, the enrollment created.
        "ana@example.org": person(
            "ana@example.org", name="Ana Lima", seniority_level=2, needs_invitation=True
        ),
        # In the app and in the cohort, with another title: person updated, enrollment same.
        "bob@example.org": person("bob@example.org", name="Bob", seniority_level=9, title="VP"),
    }
    enrollments = {"bob@example.org": ExistingEnrollment(side="mentee", topics=(), capacity=1)}
    preview = parse(
        "email,name,side,title,seniority level,time zone\n"
        "ana@example.org,Ana Lima,mentor,,2,Europe/Paris\n"
        "bob@example.org,Bob,mentee,CFO,9,Europe/Paris\n"
        "cy@example.org,Cy,mentor,,1,UTC\n",
        people=people,
        enrollments=enrollments,
    )
    assert preview.ok, errors(preview)
    assert preview.counts == ImportCounts(
        people_added=1,
        people_updated=1,
        people_unchanged=1,
        enrollments_created=2,
        enrollments_updated=0,
        enrollments_unchanged=1,
        invitations=2,  # Cy is new; Ana cannot sign in yet and has no open invitation
    )


def test_a_topic_list_is_refused_when_the_cohort_has_no_topics() -> None:
    _, _, message = only_error(parse(one_row(), topics=[]))
    assert message == (
        "unknown topic 'LinkedIn profile and network': "
        "this cohort has no topics yet: choose the cohort's topics first"
    )


def test_every_error_of_a_row_is_reported() -> None:
    preview = parse(
        one_row(
            email="nope",
            side="boss",
            seniority_level="x",
            time_zone="Mars/Base",
            languages="zz",
            topics="Knitting",
            capacity="0",
            manager_email="@",
        )
    )
    assert [column for _, column, _ in errors(preview)] == [
        "email",
        "side",
        "seniority level",
        "manager email",
        "time zone",
        "languages",
        "topics",
        "capacity",
    ]
    assert not preview.rows


@pytest.mark.parametrize(
    ("cells", "attribute", "expected"),
    [
        ({"email": " Ana.Lima@Example.ORG "}, "email", "ana.lima@example.org"),
        ({"side": " MENTOR "}, "side", "mentor"),
        ({"side": "Mentee", "capacity": "1"}, "capacity", 1),
        ({"side": "mentee", "capacity": ""}, "capacity", 1),
        ({"capacity": ""}, "capacity", 1),
        ({"seniority_level": "05"}, "seniority_level", 5),
        ({"time_zone": "europe/paris"}, "timezone", "Europe/Paris"),
        (
            {"time_zone": "America/Argentina/Buenos_Aires"},
            "timezone",
            "America/Argentina/Buenos_Aires",
        ),
        ({"time_zone": "Etc/GMT+5"}, "timezone", "Etc/GMT+5"),
        ({"languages": "French, English"}, "languages", ("fr", "en")),
        ({"languages": "Français | EN-gb | fr_FR"}, "languages", ("fr", "en")),
        ({"languages": "de"}, "languages", ("de",)),
        ({"languages": ""}, "languages", ("en",)),
        ({"topics": ""}, "topics", ()),
        (
            {"topics": " social LISTENING and  monitoring | LinkedIn profile and network "},
            "topics",
            ("Social listening and monitoring", "LinkedIn profile and network"),
        ),
        ({"name": "  Ana \n  Lima "}, "name", "Ana Lima"),
        ({"name": "Jose\u0301"}, "name", "Jos\u00e9"),
        ({"site": ""}, "site", ""),
    ],
)
def test_values_are_normalised(cells: dict[str, str], attribute: str, expected: object) -> None:
    preview = parse(one_row(**cells))
    assert preview.ok, errors(preview)
    assert getattr(preview.rows[0], attribute) == expected


def test_duplicate_emails_name_both_lines() -> None:
    preview = parse(VALID + "x@example.org,X,mentee,9,UTC\nANA@example.org,Ana,mentor,2,UTC\n")
    assert errors(preview) == [
        (2, "email", "ana@example.org is in the file more than once: also on line 5"),
        (5, "email", "ana@example.org is in the file more than once: also on line 2"),
    ]
    assert [row.email for row in preview.rows] == ["bob@example.org", "x@example.org"]


def test_three_times_the_same_email() -> None:
    preview = parse(HEADER + "\n" + "a@example.org,A,mentor,2,UTC\n" * 3)
    assert (
        errors(preview)[1][2] == "a@example.org is in the file more than once: also on lines 2, 4"
    )


def test_a_manager_in_the_file_or_in_the_app_is_found() -> None:
    preview = parse(
        "email,name,side,level,tz,manager\n"
        "ana@example.org,Ana,mentor,2,UTC,Bob@Example.org\n"
        "bob@example.org,Bob,mentee,9,UTC,ceo@example.org\n",
        people={"ceo@example.org": person("ceo@example.org")},
    )
    assert preview.ok, errors(preview)
    assert [row.manager_email for row in preview.rows] == ["bob@example.org", "ceo@example.org"]


def test_a_manager_row_with_errors_still_counts_as_in_the_file() -> None:
    preview = parse(
        "email,name,side,level,tz,manager\n"
        "ana@example.org,Ana,mentor,2,UTC,bob@example.org\n"
        "bob@example.org,Bob,mentee,99,UTC,\n"
    )
    assert errors(preview) == [(3, "seniority level", errors(preview)[0][2])]


# --- manager loops ----------------------------------------------------------------------------


def test_a_manager_loop_inside_the_file() -> None:
    preview = parse(
        "email,name,side,level,tz,manager\n"
        "a@example.org,A,mentor,2,UTC,b@example.org\n"
        "b@example.org,B,mentee,9,UTC,c@example.org\n"
        "c@example.org,C,mentee,9,UTC,a@example.org\n"
        "d@example.org,D,mentor,2,UTC,a@example.org\n"
    )
    assert errors(preview) == [
        (
            2,
            "manager email",
            "manager loop: a@example.org → b@example.org → c@example.org → a@example.org",
        ),
        (
            3,
            "manager email",
            "manager loop: b@example.org → c@example.org → a@example.org → b@example.org",
        ),
        (
            4,
            "manager email",
            "manager loop: c@example.org → a@example.org → b@example.org → c@example.org",
        ),
    ]
    assert [row.email for row in preview.rows] == ["d@example.org"]


def test_a_manager_loop_across_the_file_and_the_app() -> None:
    people = {
        "boss@example.org": person("boss@example.org", manager_email="Big@Example.org"),
        "big@example.org": person("big@example.org", manager_email=None),
    }
    # big already manages boss; the file makes boss big's manager.
    preview = parse(
        "email,name,side,manager\nbig@example.org,Big,mentee,boss@example.org\n", people=people
    )
    assert errors(preview) == [
        (2, "manager email", "manager loop: big@example.org → boss@example.org → big@example.org")
    ]


def test_a_file_row_keeping_its_manager_can_close_a_loop() -> None:
    people = {
        "a@example.org": person("a@example.org", manager_email="b@example.org"),
        "b@example.org": person("b@example.org"),
    }
    # a keeps its manager b (blank cell); b is given a as manager.
    preview = parse(
        "email,name,side,manager\na@example.org,A,mentor,\nb@example.org,B,mentee,a@example.org\n",
        people=people,
    )
    assert [(line, column) for line, column, _ in errors(preview)] == [
        (2, "manager email"),
        (3, "manager email"),
    ]


def test_changing_a_manager_can_break_an_old_loop() -> None:
    people = {
        "a@example.org": person("a@example.org", manager_email="b@example.org"),
        "b@example.org": person("b@example.org", manager_email="a@example.org"),
    }
    preview = parse(
        "email,name,side,manager\nb@example.org,B,mentee,ceo@example.org\n",
        people={**people, "ceo@example.org": person("ceo@example.org")},
    )
    assert preview.ok, errors(preview)


def test_a_long_loop_is_shortened_in_the_message() -> None:
    rows = "".join(
        f"p{n}@example.org,P{n},mentor,2,UTC,p{(n + 1) % 20}@example.org\n" for n in range(20)
    )
    preview = parse("email,name,side,level,tz,manager\n" + rows)
    assert len(preview.errors) == 20
    message = preview.errors[0].message
    assert "(20 people in all)" in message
    assert len(message) < 200


# --- against what exists ----------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing() -> None:
    text = (
        "Email;Name;Side;Department;Title;Level;Manager;TZ;Languages;Topics;Capacity;Site;"
        "Disponibilités\n"
        "ana@example.org;Ana Lima;mentor;Marketing;Analyst;2;bob@example.org;Europe/Paris;"
        "fr,en;LinkedIn profile and network|Generative AI tools at work;3;Paris;"
        "Wed 14:00-16:00 | mon 9h-11h\n"
        "bob@example.org;Bob;mentee;Finance;CFO;9;;UTC;;;;;\n"
    )
    first = parse(text)
    assert first.ok, errors(first)
    assert [row.availability for row in first.rows] == [MON_WED, ()]
    people, enrollments = existing_from(first)
    again = parse(text, people=people, enrollments=enrollments)
    assert again.ok
    assert [
        (row.person_action, row.enrollment_action, row.action, row.changes) for row in again.rows
    ] == [("unchanged", "unchanged", "unchanged", ())] * 2
    assert (again.creates, again.updates, again.unchanged, again.new_people) == (0, 0, 2, 0)
    assert again.rows == [
        row.__class__(
            **{
                **row.__dict__,
                "person_action": "unchanged",
                "enrollment_action": "unchanged",
                "invite": False,  # invited by the first import
            }
        )
        for row in first.rows
    ]


def test_emails_match_existing_people_whatever_their_case() -> None:
    people = {"ana@example.org": person("ana@example.org", name="Ana")}
    preview = parse("email,name,side\nANA@Example.Org,Ana,mentor\n", people=people)
    assert preview.ok
    assert preview.rows[0].person_action == "unchanged"
    assert preview.rows[0].enrollment_action == "create"
    assert preview.rows[0].action == "create"
    assert preview.new_people == 0


def test_blank_cells_keep_what_an_existing_person_has() -> None:
    old = person(
        "ana@example.org",
        name="Ana Lima",
        department="Marketing",
        title="Analyst",
        seniority_level=3,
        manager_email="Boss@Example.org",
        timezone="America/New_York",
        languages=("pt", "en"),
        site="New York",
    )
    people = {"ana@example.org": old, "boss@example.org": person("boss@example.org")}
    enrollments = {
        "ana@example.org": ExistingEnrollment(
            side="mentor", topics=("Generative AI tools at work",), capacity=2
        )
    }
    preview = parse(
        one_row(
            name="",
            department="",
            title="",
            seniority_level="",
            manager_email="",
            time_zone="",
            languages="",
            topics="",
            capacity="",
            site="",
            availability="",
        ),
        people=people,
        enrollments=enrollments,
    )
    assert preview.ok, errors(preview)
    [row] = preview.rows
    assert (row.person_action, row.enrollment_action, row.changes) == ("unchanged", "unchanged", ())
    assert (row.name, row.department, row.title, row.seniority_level) == (
        "Ana Lima",
        "Marketing",
        "Analyst",
        3,
    )
    assert (row.manager_email, row.timezone, row.languages, row.site) == (
        "boss@example.org",
        "America/New_York",
        ("pt", "en"),
        "New York",
    )
    assert (row.topics, row.capacity) == (("Generative AI tools at work",), 2)


def test_changed_cells_are_updates_with_the_changes_listed() -> None:
    people = {
        "ana@example.org": person(
            "ana@example.org",
            name="Ana Lima",
            department="Marketing",
            title="Analyst",
            seniority_level=2,
            timezone="Europe/Paris",
            languages=("fr", "en"),
            site="Paris",
        ),
        "boss@example.org": person("boss@example.org"),
    }
    enrollments = {
        "ana@example.org": ExistingEnrollment(
            side="mentor",
            topics=("LinkedIn profile and network",),
            capacity=2,
            availability=MON_WED,
        )
    }
    unchanged = parse(one_row(), people=people, enrollments=enrollments)
    assert unchanged.rows[0].action == "unchanged"
    preview = parse(
        one_row(
            title="Senior Analyst",
            seniority_level="3",
            manager_email="boss@example.org",
            languages="en",
            topics="Generative AI tools at work;LinkedIn profile and network",
            capacity="1",
        ),
        people=people,
        enrollments=enrollments,
    )
    assert preview.ok
    [row] = preview.rows
    assert (row.person_action, row.enrollment_action, row.action) == ("update", "update", "update")
    assert row.changes == (
        "title: 'Analyst' → 'Senior Analyst'",
        "seniority level: 2 → 3",
        "manager email: (blank) → 'boss@example.org'",
        "languages: fr, en → en",
        "topics: LinkedIn profile and network → "
        "Generative AI tools at work; LinkedIn profile and network",
        "capacity: 2 → 1",
    )
    assert (preview.creates, preview.updates, preview.unchanged) == (0, 1, 0)


def test_a_new_person_needs_seniority_and_time_zone_but_an_existing_one_does_not() -> None:
    text = "email,name,side\nana@example.org,Ana,mentor\n"
    assert [column for _, column, _ in errors(parse(text))] == ["seniority level", "time zone"]
    preview = parse(text, people={"ana@example.org": person("ana@example.org", name="Ana")})
    assert preview.ok


def test_someone_enrolled_on_the_other_side_is_refused() -> None:
    people = {"ana@example.org": person("ana@example.org", name="Ana Lima")}
    enrollments = {"ana@example.org": ExistingEnrollment(side="mentor", topics=(), capacity=1)}
    line, column, message = only_error(
        parse(one_row(side="mentee", capacity=""), people=people, enrollments=enrollments)
    )
    assert (line, column) == (2, "side")
    assert message == (
        "already enrolled as mentor in this cohort: one person cannot be on both sides"
    )


def test_existing_people_keys_are_compared_in_lower_case() -> None:
    preview = parse(
        "email,name,side\nana@example.org,Ana,mentor\n",
        people={"Ana@Example.org": person("Ana@Example.org", name="Ana")},
    )
    assert preview.ok
    assert preview.rows[0].person_action == "unchanged"


# --- the template -----------------------------------------------------------------------------


def test_the_static_template_is_the_generated_one() -> None:
    path = ROOT / "static" / "participants-template.csv"
    assert path.read_bytes().decode("utf-8") == template_csv()


def test_the_template_imports_cleanly() -> None:
    text = template_csv()
    assert text.startswith("\ufeff")
    assert text.splitlines()[0].lstrip("\ufeff").split(",") == [name for name, _, _ in COLUMNS]
    assert len(text.splitlines()) == 3
    preview = parse(text.encode())
    assert preview.ok, errors(preview)
    assert [row.side for row in preview.rows] == ["mentor", "mentee"]


# --- time zones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Europe/Paris", "Europe/Paris"),
        ("ASIA/SINGAPORE", "Asia/Singapore"),
        ("UTC", "UTC"),
        ("", None),
        (".", None),
        ("..", None),
        ("Europe/", None),
        ("/UTC", None),
        ("Europe//Paris", None),
        ("Factory", None),
        ("posixrules", None),
        ("Europe/Paris\n", None),
        ("Europe/Paris\x00", None),
    ],
)
def test_canonical_time_zone(value: str, expected: str | None) -> None:
    assert canonical_time_zone(value) == expected


# --- never raises: random bytes and almost-valid CSV ------------------------------------------

EMAILS = [f"p{n}@example.org" for n in range(8)]
ZONES = ["Europe/Paris", "UTC", "America/New_York", "Asia/Singapore"]
ANY_TEXT = st.text(max_size=12)


def check_invariants(preview: ImportPreview, data: bytes) -> None:
    """What must hold of any preview, whatever the input."""
    assert isinstance(preview, ImportPreview)
    if preview.errors or preview.file_errors or not preview.rows:
        assert not preview.ok
    if preview.file_errors:
        assert not preview.rows and not preview.errors
    lines = max(1, len(re.findall(rb"\r\n|\r|\n", data)) + 1)
    for error in preview.errors:
        assert 1 <= error.line <= lines
    emails = {row.email for row in preview.rows}
    assert len(emails) == len(preview.rows)
    for row in preview.rows:
        assert 2 <= row.line <= lines
        assert row.email == row.email.lower() and "@" in row.email
        assert row.side in ("mentor", "mentee")
        assert 1 <= row.seniority_level <= 10
        assert canonical_time_zone(row.timezone) == row.timezone
        assert all(re.fullmatch("[a-z]{2}", code) for code in row.languages)
        assert set(row.topics) <= set(TOPICS)
        assert row.capacity >= 1 and (row.side == "mentor" or row.capacity == 1)
        assert row.manager_email != row.email
        assert len(row.availability) <= 21
        assert list(row.availability) == sorted(set(row.availability))
        for day, start, end in row.availability:
            assert 0 <= day <= 6
            assert re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", start) and start < end <= "24:00"
    if preview.ok:
        assert all(row.manager_email in emails or row.manager_email is None for row in preview.rows)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    check_invariants(parse(data), data)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_after_a_valid_header_never_raise(tail: bytes) -> None:
    data = HEADER.encode() + b"\n" + tail
    check_invariants(parse(data), data)


# Per column: values that are fine, and values that are wrong.
CELLS: dict[str, tuple[list[str], list[str]]] = {
    "email": ([*EMAILS, "P1@EXAMPLE.ORG"], ["bad@", "", "a@b@c"]),
    "name": (["Ana", "Bob Lee", '"Quoted" Name', "Line\nBreak"], ["", "x" * 130]),
    "side": (["mentor", "mentee", "Mentor"], ["boss", ""]),
    "seniority level": (["1", "5", "10"], ["0", "x", ""]),
    "manager email": ([""], ["nobody@example.org", "@", EMAILS[0]]),
    "time zone": ([*ZONES, "europe/paris"], ["Mars/Base", "", "../x"]),
    "languages": (["en", "fr;en", "French", "", "en|de"], ["xx"]),
    "topics": ([*TOPICS, "|".join(TOPICS), ""], ["Knitting"]),
    "capacity": (["1", ""], ["2", "0", "many"]),
    "availability": (
        ["", "Mon 09:00-11:00", "Mon 09:00-11:00; Wed 14:00-16:00", "lundi 9h-11h | Fri 8-9"],
        ["Mo 09:00-11:00", "Mon 11:00-09:00", "Tue 25:00-26:00", "14:00-16:00", "Mon"],
    ),
}


def cell_strategy(column: str, clean: bool) -> st.SearchStrategy[str]:
    """A fine value for a column; unless clean, sometimes a wrong one or any text."""
    good, bad = CELLS.get(column, (["", "Paris", "Sales, EMEA", "x;y"], []))
    if clean:
        return st.sampled_from(good)
    return st.one_of(
        st.sampled_from(good),
        st.sampled_from(good),
        st.sampled_from(good),
        st.sampled_from(good),
        st.sampled_from(bad or good),
        ANY_TEXT,
    )


@st.composite
def almost_valid_csv(draw: st.DrawFn) -> bytes:
    """A CSV built from plausible cells, then perhaps damaged."""
    optional = [
        c for c in FULL_HEADER if c not in {"email", "name", "side", "seniority level", "time zone"}
    ]
    optional = draw(st.lists(st.sampled_from(optional), unique=True))
    columns = draw(
        st.permutations(["email", "name", "side", "seniority level", "time zone", *optional])
    )
    if draw(st.integers(0, 9)) == 0:
        columns = columns[: draw(st.integers(1, len(columns)))]  # perhaps a required one lost
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    clean = draw(st.booleans())
    rows = draw(
        st.lists(
            st.tuples(*[cell_strategy(column, clean) for column in columns]).map(list),
            max_size=6,
        )
    )
    if clean and "email" in columns:  # distinct people
        for index, row in enumerate(rows):
            row[columns.index("email")] = EMAILS[index]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending, quoting=quoting)
    writer.writerow(columns)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.integers(0, 3)) == 0:
        position = draw(st.integers(0, len(text)))
        text = (
            text[:position]
            + draw(st.sampled_from(['"', delimiter, "\n", "", "\x00"]))
            + text[position + 1 :]
        )
    data = text.encode()
    return (b"\xef\xbb\xbf" + data) if draw(st.booleans()) else data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(almost_valid_csv())
def test_almost_valid_csv_never_raises(data: bytes) -> None:
    check_invariants(parse(data), data)


@st.composite
def valid_csv(draw: st.DrawFn) -> tuple[bytes, int]:
    """A valid file: distinct people, managers earlier in the file, known values only."""
    count = draw(st.integers(1, len(EMAILS)))
    rows = []
    for index in range(count):
        side = draw(st.sampled_from(["mentor", "mentee"]))
        rows.append(
            {
                "email": draw(st.sampled_from([EMAILS[index], EMAILS[index].upper()])),
                "name": draw(st.sampled_from(["Ana", "Bob Lee", "Zoé, Z.", 'Al "Al" B'])),
                "side": side,
                "department": draw(st.sampled_from(["", "Sales", "R&D; Labs"])),
                "title": draw(st.sampled_from(["", "CEO", "Analyst\nJunior"])),
                "seniority level": str(draw(st.integers(1, 10))),
                "manager email": draw(st.sampled_from(["", *EMAILS[:index]])),
                "time zone": draw(st.sampled_from(ZONES)),
                "languages": draw(st.sampled_from(["", "en", "fr;en", "German|fr"])),
                "topics": ";".join(draw(st.lists(st.sampled_from(TOPICS), max_size=3))),
                "capacity": str(draw(st.integers(1, 3))) if side == "mentor" else "",
                "availability": draw(st.sampled_from(CELLS["availability"][0])),
                "site": draw(st.sampled_from(["", "Paris", "New York"])),
            }
        )
    delimiter = draw(st.sampled_from([",", ";"]))
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
    )
    writer.writerow(FULL_HEADER)
    writer.writerows([row[column] for column in FULL_HEADER] for row in rows)
    return out.getvalue().encode(), count


@settings(max_examples=100, deadline=None)
@given(valid_csv())
def test_valid_files_import_and_reimport_unchanged(generated: tuple[bytes, int]) -> None:
    data, count = generated
    first = parse(data)
    assert first.ok, errors(first)
    assert len(first.rows) == count == first.creates == first.new_people
    check_invariants(first, data)
    people, enrollments = existing_from(first)
    again = parse(data, people=people, enrollments=enrollments)
    assert again.ok
    assert again.unchanged == count
    assert all(row.changes == () for row in again.rows)


@settings(max_examples=100, deadline=None)
@given(valid_csv(), st.data())
def test_one_bad_cell_makes_the_file_not_ok(
    generated: tuple[bytes, int], data: st.DataObject
) -> None:
    text, count = generated[0].decode(), generated[1]
    reader = list(
        csv.reader(
            io.StringIO(text, newline=""), delimiter=";" if ";" in text.splitlines()[0] else ","
        )
    )
    row = data.draw(st.integers(1, count))
    column, bad = data.draw(
        st.sampled_from(
            [
                ("seniority level", "11"),
                ("time zone", "Europe/Pariss"),
                ("side", "both"),
                ("topics", "Knitting"),
                ("languages", "xx"),
                ("capacity", "0"),
                ("manager email", "ghost@example.org"),
                ("availability", "Mon 09:00-11:00; Mo 10:00-11:00"),
            ]
        )
    )
    reader[row][FULL_HEADER.index(column)] = bad
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(reader)
    preview = parse(out.getvalue())
    assert not preview.ok
    assert column in {error.column for error in preview.errors}


# Text that looks like windows: days, digits and separators in any order, and anything else.
WINDOW_PIECES = st.sampled_from(
    [
        "Mon",
        "monday",
        "lun.",
        "Dim",
        "Xyz",
        "Mon-Fri",
        "Fri-Mon",
        " ",
        "9",
        "09:00",
        "9h30",
        "24:00",
        "25:00",
        "99",
        "-",
        "–",
        " to ",
        " à ",
        ";",
        "|",
        ",",
        "\n",
        ":",
        ".",
        "h",
        "\u0669",
        "\x00",
        '"',
        "",
    ]
)
AVAILABILITY_GARBAGE = st.one_of(
    st.lists(WINDOW_PIECES, max_size=30).map("".join),
    st.text(max_size=60),
    st.text(alphabet="Mon0123456789:h.-;| ", max_size=80),
)


@settings(max_examples=400, deadline=None)
@given(AVAILABILITY_GARBAGE)
def test_garbage_in_the_availability_column_never_raises(value: str) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(
        [
            ["email", "name", "side", "seniority level", "time zone", "availability"],
            ["ana@example.org", "Ana", "mentor", "2", "UTC", value],
        ]
    )
    data = out.getvalue().encode("utf-8", "surrogatepass")
    preview = parse(data)
    check_invariants(preview, data)
    # Either the windows were read, or each problem is an availability error on line 2.
    if preview.rows:
        assert not preview.errors
    else:
        assert preview.errors or preview.file_errors
        assert all(e.line == 2 for e in preview.errors)


@settings(max_examples=300, deadline=None)
@given(AVAILABILITY_GARBAGE)
def test_the_availability_parser_never_raises_but_value_error(value: str) -> None:
    from mentoring.people.availability import parse_availability, read_availability

    windows, problems = read_availability(value)
    try:
        stored = parse_availability(value)
    except ValueError as error:
        assert problems and str(error)
    else:
        assert not problems
        assert len(stored) == len(windows) <= 21
