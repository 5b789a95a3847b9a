"""Participant import: read an HR system's CSV export for one cohort, validate it, preview it.

Pure logic with no Flask and no database: the caller loads what already exists (people by
lower-case email, this cohort's enrollments, the cohort's topic names), calls
`parse_participants`, shows the preview, and writes the rows in one transaction only when
`preview.ok`. Every problem is reported with the physical line where its record starts (the
header is line 1) and the column it concerns; nothing here raises on bad input. Messages
are worded through the `gettext`-like callables `_` and `ngettext` the caller passes
(English when none is given), so the module stays Flask-free.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, TypeVar

from email_validator import EmailNotValidError, validate_email

from mentoring.people.availability import (
    MAX_WINDOWS,
    Gettext,
    Window,
    day_names,
    english,
    format_availability,
    read_availability,
)
from mentoring.plain_english import Ngettext
from mentoring.plain_english import english_plural as english_n

T = TypeVar("T")
Side = Literal["mentor", "mentee"]
Action = Literal["create", "update", "unchanged"]

SIDES: tuple[str, ...] = ("mentor", "mentee")
MIN_SENIORITY = 1
MAX_SENIORITY = 10
MAX_CAPACITY = 100
DEFAULT_LANGUAGES: tuple[str, ...] = ("en",)
DEFAULT_CAPACITY = 1
# The database's column sizes: longer values would fail inside the caller's transaction.
MAX_LENGTHS: dict[str, int] = {"name": 120, "department": 120, "title": 160, "site": 120}


def _thousands(value: int) -> str:
    return f"{value:,}"


def column_help(_: Gettext = english) -> list[tuple[str, bool, str]]:
    """(canonical column, required, explanation) for the template's header and the help
    page; the column names stay as the file writes them, the explanations are worded
    through `_`."""
    return [
        (
            "email",
            True,
            _("Work email address; it identifies the person (upper or lower case alike)."),
        ),
        (
            "name",
            True,
            _("Full name. Files with 'first name' and 'last name' columns instead are accepted."),
        ),
        (
            "side",
            True,
            _("mentor (the junior who teaches) or mentee (the executive who learns)."),
        ),
        ("department", False, _("Department or business unit.")),
        ("title", False, _("Job title.")),
        (
            "seniority level",
            False,
            _(
                "Whole number from %(low)s (intern) to %(high)s (C-suite); required for people "
                "not yet in the app.",
                low=MIN_SENIORITY,
                high=MAX_SENIORITY,
            ),
        ),
        (
            "manager email",
            False,
            _("Email of the line manager, who must be in the file or already in the app."),
        ),
        (
            "time zone",
            False,
            _(
                "IANA time zone such as Europe/Paris or America/New_York; required for people "
                "not yet in the app."
            ),
        ),
        (
            "languages",
            False,
            _("Two-letter codes or English names separated by ; or | (fr;en). Default: en."),
        ),
        (
            "topics",
            False,
            _(
                "Topics of this cohort the person offers (mentor) or wants (mentee), most "
                "important first, separated by ; or |. Write each topic's English name."
            ),
        ),
        (
            "capacity",
            False,
            _(
                "Mentors only: how many mentees, 1 to %(limit)s (default 1). Leave blank for "
                "mentees.",
                limit=MAX_CAPACITY,
            ),
        ),
        (
            "availability",
            False,
            _(
                "Weekly time windows in the person's own time zone, separated by ; or | "
                "(Mon 09:00-11:00; Wed 14:00-16:00). Days as Mon or Monday (lun. or lundi too) "
                "or a range such as Mon-Fri; times as 09:00 or 9h30; windows within one day, at "
                "most %(limit)s. Blank keeps what an enrolled person already gave.",
                limit=MAX_WINDOWS,
            ),
        ),
        ("site", False, _("Office or site, such as Paris.")),
    ]


def column_label(column: str | None, _: Gettext = english) -> str:
    """A column's name in the reader's language, for messages and the preview."""
    labels = {
        "email": _("email"),
        "name": _("name"),
        "first name": _("first name"),
        "last name": _("last name"),
        "side": _("side"),
        "department": _("department"),
        "title": _("title"),
        "seniority level": _("seniority level"),
        "manager email": _("manager email"),
        "time zone": _("time zone"),
        "languages": _("languages"),
        "topics": _("topics"),
        "capacity": _("capacity"),
        "availability": _("availability"),
        "site": _("site"),
    }
    return labels.get(column or "", column or "")


# The English explanations: the header of the template and the column order.
COLUMNS: list[tuple[str, bool, str]] = column_help()

# Header spellings accepted for each column. Case, spaces, underscores, hyphens, accents and
# punctuation are ignored when matching, so "E-mail", "e_mail" and "EMAIL" are all "email".
# French HR exports are read too (Nom, Prénom, Fuseau horaire, Disponibilités…).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "email": (
        "Email",
        "E-mail",
        "Email address",
        "Work email",
        "Mail",
        "Courriel",
        "Adresse e-mail",
    ),
    "name": ("Name", "Full name", "Display name", "Nom complet", "Nom et prénom", "Prénom et nom"),
    "first name": ("First name", "Given name", "Prénom"),
    "last name": ("Last name", "Surname", "Family name", "Nom", "Nom de famille"),
    "side": ("Side", "Role", "Participant type", "Rôle", "Type de participant"),
    "department": ("Department", "Dept", "Business unit", "Département", "Service", "Direction"),
    "title": ("Title", "Job title", "Position", "Poste", "Fonction", "Intitulé du poste"),
    "seniority level": (
        "Seniority",
        "Seniority level",
        "Level",
        "Grade",
        "Niveau",
        "Niveau hiérarchique",
        "Séniorité",
    ),
    "manager email": (
        "Manager email",
        "Manager e-mail",
        "Line manager email",
        "Manager",
        "E-mail du manager",
        "Courriel du manager",
        "Responsable",
        "E-mail du responsable",
    ),
    "time zone": ("Time zone", "Timezone", "TZ", "Fuseau horaire"),
    "languages": ("Languages", "Language", "Langues", "Langue"),
    "topics": ("Topics", "Interests", "Thèmes", "Sujets", "Centres d'intérêt"),
    "capacity": ("Capacity", "Max mentees", "Capacité", "Nombre de mentorés"),
    "availability": (
        "Availability",
        "Availabilities",
        "Weekly availability",
        "Availability windows",
        "Time windows",
        "Time slots",
        "Free slots",
        "Disponibilités",
        "Disponibilité",
        "Créneaux",
    ),
    "site": ("Site", "Location", "Office", "Lieu", "Bureau"),
}

_COLUMN_ORDER: dict[str | None, int] = {name: index for index, (name, _, _) in enumerate(COLUMNS)}
REQUIRED_COLUMNS: tuple[str, ...] = tuple(name for name, required, _ in COLUMNS if required)

NOT_UTF8 = "the file is not UTF-8 text: save it as 'CSV UTF-8' from Excel"


def _not_utf8(_: Gettext) -> str:
    return _("the file is not UTF-8 text: save it as 'CSV UTF-8' from Excel")


# ISO 639-1, the two-letter language codes.
ISO_639_1: frozenset[str] = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho
    hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv
    kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr
    nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq
    sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh
    yi yo za zh zu""".split()
)

# Language names HR systems write instead of codes (keys without accents, case-folded).
LANGUAGE_NAMES: dict[str, str] = {
    "english": "en",
    "french": "fr",
    "francais": "fr",
    "german": "de",
    "deutsch": "de",
    "spanish": "es",
    "espanol": "es",
    "italian": "it",
    "italiano": "it",
    "portuguese": "pt",
    "portugues": "pt",
    "dutch": "nl",
    "nederlands": "nl",
    "chinese": "zh",
    "mandarin": "zh",
    "japanese": "ja",
    "korean": "ko",
    "arabic": "ar",
    "hindi": "hi",
    "russian": "ru",
    "polish": "pl",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "finnish": "fi",
    "greek": "el",
    "turkish": "tr",
    "hebrew": "he",
    "czech": "cs",
    "romanian": "ro",
    "hungarian": "hu",
    "ukrainian": "uk",
    "vietnamese": "vi",
    "thai": "th",
    "indonesian": "id",
    "malay": "ms",
}

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_SEP_LINE = re.compile(r'\s*"?sep=([,;\t|])"?\s*', re.IGNORECASE)
_DELIMITERS = (",", ";", "\t")
_DIGITS = re.compile(r"[0-9]{1,6}")
_TIME_ZONE = re.compile(r"[A-Za-z0-9_+\-]{1,40}(?:/[A-Za-z0-9_+\-]{1,40}){0,3}")
_LANGUAGE_CODE = re.compile(r"([a-z]{2})(?:[-_][a-z0-9]{1,8})*")
_LANGUAGE_SEPARATORS = re.compile(r"[,;|/\s]+")
_TOPIC_SEPARATORS = re.compile(r"[;|]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NOT_ZONES = frozenset({"Factory", "localtime", "posixrules"})


@dataclass(frozen=True)
class ExistingPerson:
    """A person already in the database, keyed by lower-case email."""

    email: str
    name: str
    department: str
    title: str
    seniority_level: int
    manager_email: str | None
    timezone: str
    languages: tuple[str, ...]
    site: str
    # Active, cannot sign in yet and holds no open invitation: importing invites them.
    needs_invitation: bool = False


@dataclass(frozen=True)
class ExistingEnrollment:
    """A person's existing enrollment in the cohort being imported into."""

    side: str
    topics: tuple[str, ...]
    capacity: int
    availability: tuple[Window, ...] = ()


@dataclass(frozen=True)
class ImportRow:
    """One valid data row, normalised, with the values to write (blank cells already filled)."""

    line: int
    email: str
    name: str
    side: Side
    department: str
    title: str
    seniority_level: int
    manager_email: str | None
    timezone: str
    languages: tuple[str, ...]
    site: str
    topics: tuple[str, ...]
    capacity: int
    availability: tuple[Window, ...]
    person_action: Action
    enrollment_action: Action
    changes: tuple[str, ...]
    invite: bool = False

    @property
    def availability_text(self) -> str:
        """The weekly windows as written back: "Mon 09:00-11:00, Wed 14:00-16:00"."""
        return format_availability(self.availability)

    @property
    def action(self) -> Action:
        """The row as a whole: create (new to the cohort), update or unchanged."""
        if self.enrollment_action == "create":
            return "create"
        if "update" in (self.person_action, self.enrollment_action):
            return "update"
        return "unchanged"


@dataclass(frozen=True)
class RowError:
    """What is wrong on one line of the file, and in which column (None: the whole line)."""

    line: int
    column: str | None
    message: str


@dataclass(frozen=True)
class ImportPreview:
    """The outcome of reading a file: valid rows, row errors, file errors and notes."""

    rows: list[ImportRow]
    errors: list[RowError]
    file_errors: list[str]
    notes: list[str] = field(default_factory=list)
    delimiter: str | None = None
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the file may be imported: no error of any kind and at least one row."""
        return not self.errors and not self.file_errors and bool(self.rows)

    @property
    def creates(self) -> int:
        """How many rows add someone to the cohort."""
        return sum(row.action == "create" for row in self.rows)

    @property
    def updates(self) -> int:
        """How many rows change a person or an enrollment already there."""
        return sum(row.action == "update" for row in self.rows)

    @property
    def unchanged(self) -> int:
        """How many rows change nothing."""
        return sum(row.action == "unchanged" for row in self.rows)

    @property
    def new_people(self) -> int:
        """How many rows create a person who is not in the app yet."""
        return sum(row.person_action == "create" for row in self.rows)

    @property
    def counts(self) -> ImportCounts:
        """What importing the valid rows does to people, enrollments and invitations."""
        people = [row.person_action for row in self.rows]
        enrollments = [row.enrollment_action for row in self.rows]
        return ImportCounts(
            people_added=people.count("create"),
            people_updated=people.count("update"),
            people_unchanged=people.count("unchanged"),
            enrollments_created=enrollments.count("create"),
            enrollments_updated=enrollments.count("update"),
            enrollments_unchanged=enrollments.count("unchanged"),
            invitations=sum(row.invite for row in self.rows),
        )


@dataclass(frozen=True)
class ImportCounts:
    """What an import changes, the same whether previewed, dry-run or done."""

    people_added: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    enrollments_created: int = 0
    enrollments_updated: int = 0
    enrollments_unchanged: int = 0
    invitations: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts by name, as kept with the import and in the audit log."""
        return dict(self.__dict__)

    def describe(
        self,
        _: Gettext = english,
        ngettext: Ngettext = english_n,
        number: Callable[[int], str] = _thousands,
    ) -> str:
        """All of it in one line, worded alike before and after the import: "2 people added,
        1 updated, 0 unchanged; 1 enrollment created, 0 updated, 1 unchanged; 2 new
        invitation links" (numbers written by `number`)."""
        people = ngettext(
            "%(count)s person added, %(updated)s updated, %(unchanged)s unchanged",
            "%(count)s people added, %(updated)s updated, %(unchanged)s unchanged",
            self.people_added,
            count=number(self.people_added),
            updated=number(self.people_updated),
            unchanged=number(self.people_unchanged),
        )
        enrollments = ngettext(
            "%(count)s enrollment created, %(updated)s updated, %(unchanged)s unchanged",
            "%(count)s enrollments created, %(updated)s updated, %(unchanged)s unchanged",
            self.enrollments_created,
            count=number(self.enrollments_created),
            updated=number(self.enrollments_updated),
            unchanged=number(self.enrollments_unchanged),
        )
        invitations = ngettext(
            "%(count)s new invitation link",
            "%(count)s new invitation links",
            self.invitations,
            count=number(self.invitations),
        )
        return _(
            "%(people)s; %(enrollments)s; %(invitations)s",
            people=people,
            enrollments=enrollments,
            invitations=invitations,
        )

    def invitation_hint(self, _: Gettext = english) -> str:
        """What HR does with the new invitation links (nothing to say when there are none);
        shown when HR imported without ticking "Email the invitations now"."""
        if not self.invitations:
            return ""
        return _(
            "Their invitations are not emailed yet: send them from People → Pending invitations."
        )


def template_csv() -> str:
    """The downloadable template: a UTF-8 BOM (so Excel keeps accents), header, two examples."""
    rows = [
        [name for name, _, _ in COLUMNS],
        [
            "camille.martin@example.com",
            "Camille Martin",
            "mentor",
            "Marketing",
            "Digital Marketing Analyst",
            "2",
            "",
            "Europe/Paris",
            "fr;en",
            "LinkedIn profile and network;Generative AI tools at work",
            "2",
            "Tue 12:00-14:00; Thu 16:00-18:00",
            "Paris",
        ],
        [
            "henri.dubois@example.com",
            "Henri Dubois",
            "mentee",
            "Finance",
            "Chief Financial Officer",
            "9",
            "",
            "Europe/Paris",
            "fr;en",
            "Generative AI tools at work;LinkedIn profile and network",
            "",
            "Tue 13:00-14:00; Fri 08:30-10:00",
            "Paris",
        ],
    ]
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def parse_participants(
    data: bytes,
    *,
    known_topics: Iterable[str],
    existing_people: Mapping[str, ExistingPerson],
    existing_enrollments: Mapping[str, ExistingEnrollment],
    max_rows: int = 20_000,
    _: Gettext = english,
    ngettext: Ngettext = english_n,
) -> ImportPreview:
    """Parse and validate a participants CSV for one cohort and preview what importing does;
    every message is worded through `_` and `ngettext`."""
    text, problem = _decode(data, _)
    if text is None:
        return ImportPreview(rows=[], errors=[], file_errors=[problem or _not_utf8(_)])
    return _Import(
        known_topics=known_topics,
        existing_people=existing_people,
        existing_enrollments=existing_enrollments,
        max_rows=max_rows,
        gettext=_,
        ngettext=ngettext,
    ).run(text)


# --- reading the file ------------------------------------------------------------------------


def _decode(data: bytes, _: Gettext = english) -> tuple[str | None, str | None]:
    """The file's text without BOM, or None and why it is not UTF-8 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, _("the file is UTF-16 text, not UTF-8: save it as 'CSV UTF-8' from Excel")
    if data.startswith(b"PK\x03\x04"):
        return None, _(
            "this is an Excel workbook (.xlsx) or another zip file, not a CSV file: "
            "save it as 'CSV UTF-8' from Excel"
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return None, _(
            "this is an old Excel workbook (.xls), not a CSV file: save it as 'CSV UTF-8' "
            "from Excel"
        )
    if b"\x00" in data:
        return None, _("the file contains binary data, not text: save it as 'CSV UTF-8' from Excel")
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[bom:].decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = len(re.findall(rb"\r\n|\r|\n", data[bom : bom + error.start])) + 1
        return None, _(
            "%(problem)s (the first character that is not UTF-8 is on line %(line)s)",
            problem=_not_utf8(_),
            line=line,
        )


def _header_key(header: str) -> str:
    """A header reduced to lower-case letters and digits, so spellings compare alike."""
    decomposed = unicodedata.normalize("NFKD", header)
    return re.sub(r"[^0-9a-z]", "", decomposed.casefold())


_HEADER_COLUMNS: dict[str, str] = {
    _header_key(alias): column
    for column, aliases in COLUMN_ALIASES.items()
    for alias in (column, *aliases)
}


def _detect_delimiter(lines: list[str], start: int) -> str:
    """Count comma, semicolon and tab outside quotes in the header record; the most wins."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    in_quotes = False
    for line in lines[start:]:
        for char in line:
            if char == '"':
                in_quotes = not in_quotes
            elif not in_quotes and char in counts:
                counts[char] += 1
        if not in_quotes:
            break
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _records(
    lines: list[str], first: int, delimiter: str, _: Gettext = english
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """Yield (physical start line, fields or None, CSV error) for each record from `first`."""
    reader = csv.reader(
        iter(lines[first:]), delimiter=delimiter, skipinitialspace=True, strict=True
    )
    consumed = 0
    while True:
        start = first + consumed + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if reader.line_num == consumed:  # no progress: stop rather than loop forever
                return
            consumed = reader.line_num
            yield start, None, _csv_problem(error, _)
            continue
        consumed = reader.line_num
        yield start, fields, None


def _csv_problem(error: csv.Error, _: Gettext = english) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return _(
            'a quoted value starting on this line is never closed (a " is missing), '
            "so the rest of the file cannot be read"
        )
    if "expected after" in message:
        return _(
            'a closing quote (") must be followed by the separator: '
            'write a quote inside a quoted value as ""'
        )
    if "field larger than field limit" in message:
        return _('a value is far too long: is a closing quote (") missing?')
    return _("this line cannot be read as CSV: %(reason)s", reason=message)


def _delimiter_name(delimiter: str, _: Gettext = english) -> str:
    names = {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}
    return names.get(delimiter, repr(delimiter))


def _short(value: str, limit: int = 60) -> str:
    """A cell value for a message (the message quotes it), shortened when long."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _list(values: Iterable[str], _: Gettext = english) -> str:
    return ", ".join(values) or _("(none)")


def _value(value: object, _: Gettext = english) -> str:
    if value is None or value == "":
        return _("(blank)")
    if isinstance(value, str):
        # TRANSLATORS: a value quoted in a message; French writes « %(value)s ».
        return _("'%(value)s'", value=value)
    return str(value)


# email-validator's reasons (English only), by how they start, in the reader's words.
_EMAIL_REASONS: tuple[tuple[str, str], ...] = (
    ("An email address must have an @-sign", "at_sign"),
    ("There must be something after the @-sign", "after_at"),
    ("There must be something before the @-sign", "before_at"),
    ("The part after the @-sign is not valid. It should have a period", "period"),
    ("An email address cannot have two periods in a row", "two_periods"),
    ("The part after the @-sign is not valid. It is not within a valid top-level", "tld"),
    ("The part after the @-sign is a special-use or reserved name", "reserved"),
    ("The email address is too long", "too_long"),
    ("The email address contains invalid characters", "characters"),
    ("The email address contains an invalid character", "characters"),
    ("The part after the @-sign contains invalid characters", "characters"),
    ("The email address contains unsafe characters", "characters"),
)


def _email_reason(error: str, _: Gettext = english) -> str:
    """Why email-validator refused an address, in the reader's words."""
    kind = next((kind for start, kind in _EMAIL_REASONS if error.startswith(start)), None)
    if kind == "at_sign":
        return _("an email address must have an @-sign")
    if kind == "after_at":
        return _("there must be something after the @-sign")
    if kind == "before_at":
        return _("there must be something before the @-sign")
    if kind == "period":
        return _("the part after the @-sign should have a period, as in example.com")
    if kind == "two_periods":
        return _("an email address cannot have two periods in a row")
    if kind == "tld":
        return _("the part after the @-sign does not end with a known domain such as .com")
    if kind == "reserved":
        return _("the part after the @-sign is a reserved name that cannot receive email")
    if kind == "too_long":
        return _("the address is too long")
    if kind == "characters":
        return _("the address contains characters an email address cannot hold")
    return _("it is not written as an email address should be")


# --- cell validation -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _time_zones() -> dict[str, str]:
    """Every IANA time zone name, by its case-folded form."""
    names = zoneinfo.available_timezones() - _NOT_ZONES
    return {name.casefold(): name for name in names}


@lru_cache(maxsize=2048)
def _zone_loads(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def canonical_time_zone(value: str) -> str | None:
    """The IANA name for a time zone written in any case, or None when there is no such zone."""
    if not _TIME_ZONE.fullmatch(value) or value.startswith(("posix/", "right/")):
        return None
    zones = _time_zones()
    if zones:
        name = zones.get(value.casefold())
        return name if name is not None and _zone_loads(name) else None
    # No list of zones on this system: only an exact name can be checked.
    return value if value not in _NOT_ZONES and _zone_loads(value) else None


def _fold(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split()).casefold()


def language_code(token: str) -> str | None:
    """The ISO 639-1 code of a language written as a code ("fr", "en-GB") or an English
    or native name ("French", "Deutsch"), or None when it is not a language."""
    plain = _plain(token.strip())
    code = LANGUAGE_NAMES.get(plain)
    if code is None and (match := _LANGUAGE_CODE.fullmatch(plain)):
        code = match.group(1) if match.group(1) in ISO_639_1 else None
    return code


def _plain(value: str) -> str:
    """Lower-case without accents, for language names."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass
class _Draft:
    """A data row as read, before the checks that need every row."""

    line: int
    errors: list[RowError]
    email: str | None = None
    name: str | None = None
    side: Side | None = None
    department: str | None = None
    title: str | None = None
    seniority_level: int | None = None
    manager_email: str | None = None
    timezone: str | None = None
    languages: tuple[str, ...] | None = None
    site: str | None = None
    topics: tuple[str, ...] | None = None
    capacity: int | None = None
    availability: tuple[Window, ...] | None = None

    def error(self, column: str | None, message: str) -> None:
        """Record a problem on this row."""
        self.errors.append(RowError(self.line, column, message))


class _Import:
    """One import: caches for the expensive checks, then the file read in two passes."""

    def __init__(
        self,
        *,
        known_topics: Iterable[str],
        existing_people: Mapping[str, ExistingPerson],
        existing_enrollments: Mapping[str, ExistingEnrollment],
        max_rows: int,
        gettext: Gettext = english,
        ngettext: Ngettext = english_n,
    ) -> None:
        self._ = gettext
        self.ngettext = ngettext
        self.days = day_names(gettext)
        self.topics: dict[str, str] = {}
        for topic in known_topics:
            self.topics.setdefault(_fold(topic), topic)
        self.people = {email.lower(): person for email, person in existing_people.items()}
        self.enrollments = {
            email.lower(): enrollment for email, enrollment in existing_enrollments.items()
        }
        self.max_rows = max_rows
        self._emails: dict[str, tuple[str | None, str | None]] = {}
        self._topic_hints: dict[str, str] = {}
        self._windows: dict[str, tuple[tuple[Window, ...], list[str]]] = {}

    # The file as a whole.

    def run(self, text: str) -> ImportPreview:
        """Read the header, then the rows, then check what needs every row."""
        _ = self._
        lines = _LINE.findall(text)
        start = 0
        while start < len(lines) and not lines[start].strip():
            start += 1
        delimiter = None
        if start < len(lines) and (sep := _SEP_LINE.fullmatch(lines[start])):
            delimiter = sep.group(1)  # Excel's "sep=;" first line
            start += 1
            while start < len(lines) and not lines[start].strip():
                start += 1
        if start >= len(lines):
            return ImportPreview(rows=[], errors=[], file_errors=[_("the file is empty")])
        delimiter = delimiter or _detect_delimiter(lines, start)
        records = _records(lines, start, delimiter, _)
        header_line, header, problem = next(records, (start + 1, None, None))
        if header is None:
            return ImportPreview(
                rows=[],
                errors=[],
                file_errors=[
                    _(
                        "line %(line)s: the header cannot be read: %(problem)s",
                        line=header_line,
                        problem=problem or _("unreadable"),
                    )
                ],
                delimiter=delimiter,
            )

        file_errors: list[str] = []
        notes: list[str] = []
        columns = self._map_columns(header, file_errors, notes)

        drafts: list[_Draft] = []
        data_rows = 0
        for line, fields, problem in records:
            if fields is not None and not any(cell.strip() for cell in fields):
                continue  # an entirely blank row
            data_rows += 1
            if data_rows > self.max_rows:
                file_errors.append(
                    _(
                        "the file has more than %(limit)s participant rows: split it into "
                        "smaller files",
                        limit=_thousands(self.max_rows),
                    )
                )
                break
            if file_errors:
                continue  # only counting: rows are not read when the header is unusable
            if fields is None:
                drafts.append(_Draft(line, [RowError(line, None, problem or _("unreadable"))]))
            else:
                drafts.append(self._read_row(line, fields, len(header), columns, delimiter))
        if not data_rows and not file_errors:
            file_errors.append(_("the file has a header but no participant rows"))
        shown = {
            column: header[index].strip() if index >= 0 else _("first name + last name")
            for column, index in columns.items()
        }
        if file_errors:
            return ImportPreview(
                rows=[],
                errors=[],
                file_errors=file_errors,
                notes=notes,
                delimiter=delimiter,
                columns=shown,
            )

        self._check_across_rows(drafts)
        rows = [
            self._row(draft, draft.email, draft.side)
            for draft in drafts
            if not draft.errors and draft.email and draft.side
        ]
        errors = [error for draft in drafts for error in draft.errors]
        errors.sort(key=lambda error: (error.line, _COLUMN_ORDER.get(error.column, -1)))
        return ImportPreview(
            rows=rows,
            errors=errors,
            file_errors=[],
            notes=notes,
            delimiter=delimiter,
            columns=shown,
        )

    def _map_columns(
        self, header: list[str], file_errors: list[str], notes: list[str]
    ) -> dict[str, int]:
        """Column name -> index in the file; missing, duplicate and unknown columns reported."""
        _ = self._
        columns: dict[str, int] = {}
        ignored: list[str] = []
        for index, cell in enumerate(header):
            text = cell.strip()
            column = _HEADER_COLUMNS.get(_header_key(text))
            if column is None:
                if _header_key(text):
                    ignored.append(text)
                continue
            if column in columns:
                first = header[columns[column]].strip()
                file_errors.append(
                    _(
                        "the columns '%(first)s' and '%(second)s' both give the %(column)s: "
                        "keep only one of them",
                        first=_short(first),
                        second=_short(text),
                        column=column_label(column, _),
                    )
                )
                continue
            columns[column] = index
        if "name" in columns:
            split = [columns.pop(part) for part in ("first name", "last name") if part in columns]
            for index in split:
                notes.append(
                    _(
                        "column '%(column)s' was ignored: the name column is used",
                        column=_short(header[index].strip()),
                    )
                )
        elif "first name" in columns and "last name" in columns:
            columns["name"] = -1  # made of first name and last name
        elif "last name" in columns and _header_key(header[columns["last name"]]) == "nom":
            # French "Nom" alone is the whole name in most exports (it is the last name
            # only beside a "Prénom" column).
            columns["name"] = columns.pop("last name")
            notes.append(
                _(
                    "column '%(column)s' is read as the full name: there is no first-name column",
                    column=_short(header[columns["name"]].strip()),
                )
            )
        missing = [column for column in REQUIRED_COLUMNS if column not in columns]
        if missing:
            found = ", ".join(
                _("'%(value)s'", value=_short(cell.strip(), 30))
                for cell in header[:12]
                if cell.strip()
            )
            what = ", ".join(
                _("name (or first name and last name)")
                if column == "name"
                else column_label(column, _)
                for column in missing
            )
            file_errors.append(
                self.ngettext(
                    "missing required column: %(columns)s. The first line must name the "
                    "columns (found: %(found)s)",
                    "missing required columns: %(columns)s. The first line must name the "
                    "columns (found: %(found)s)",
                    len(missing),
                    columns=what,
                    found=found or _("nothing"),
                )
            )
        for text in ignored:
            notes.append(
                _(
                    "column '%(column)s' is not used by the import and was ignored",
                    column=_short(text),
                )
            )
        return columns

    # One row.

    def _read_row(
        self,
        line: int,
        fields: list[str],
        width: int,
        columns: dict[str, int],
        delimiter: str,
    ) -> _Draft:
        """Validate every cell of one row on its own, collecting every problem."""
        _ = self._
        draft = _Draft(line, [])
        if len(fields) > width and any(cell.strip() for cell in fields[width:]):
            draft.error(
                None,
                _(
                    "this row has %(values)s values but the header has %(columns)s columns: "
                    "is a value containing a %(separator)s missing its quotes?",
                    values=len(fields),
                    columns=width,
                    separator=_delimiter_name(delimiter, _),
                ),
            )

        def cell(column: str) -> str:
            index = columns.get(column)
            if index is None or index >= len(fields):
                return ""
            return fields[index].strip()

        raw = cell("email")
        if not raw:
            draft.error("email", _("the email is missing"))
        else:
            draft.email, problem = self._email(raw)
            if problem:
                draft.error(
                    "email",
                    _(
                        "'%(value)s' is not a valid email address: %(reason)s",
                        value=_short(raw),
                        reason=_email_reason(problem, _),
                    ),
                )

        if columns.get("name") == -1:
            raw = " ".join(part for part in (cell("first name"), cell("last name")) if part)
        else:
            raw = cell("name")
        draft.name = self._text(draft, "name", raw, _)

        raw = cell("side")
        if not raw:
            draft.error("side", _("the side is missing: write mentor or mentee"))
        elif raw.casefold() == "mentor":
            draft.side = "mentor"
        elif raw.casefold() == "mentee":
            draft.side = "mentee"
        else:
            draft.error(
                "side",
                _("unknown side '%(value)s': write mentor or mentee", value=_short(raw)),
            )

        for column in ("department", "title", "site"):
            setattr(draft, column, self._text(draft, column, cell(column), _))

        raw = cell("seniority level")
        if raw:
            level = int(raw) if _DIGITS.fullmatch(raw) else None
            if level is None or not MIN_SENIORITY <= level <= MAX_SENIORITY:
                draft.error(
                    "seniority level",
                    _(
                        "the seniority level must be a whole number from %(low)s to %(high)s, "
                        "not '%(value)s'",
                        low=MIN_SENIORITY,
                        high=MAX_SENIORITY,
                        value=_short(raw),
                    ),
                )
            else:
                draft.seniority_level = level

        raw = cell("manager email")
        if raw:
            draft.manager_email, problem = self._email(raw)
            if problem:
                draft.error(
                    "manager email",
                    _(
                        "'%(value)s' is not a valid email address (the manager column must hold "
                        "the manager's email): %(reason)s",
                        value=_short(raw),
                        reason=_email_reason(problem, _),
                    ),
                )

        raw = cell("time zone")
        if raw:
            draft.timezone = canonical_time_zone(raw)
            if draft.timezone is None:
                draft.error(
                    "time zone",
                    _(
                        "unknown time zone '%(value)s': use an IANA name such as Europe/Paris",
                        value=_short(raw),
                    ),
                )

        raw = cell("languages")
        if raw:
            draft.languages = self._languages(draft, raw)

        raw = cell("topics")
        if raw:
            draft.topics = self._topics(draft, raw)

        raw = cell("capacity")
        if raw:
            capacity = int(raw) if _DIGITS.fullmatch(raw) else None
            if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
                draft.error(
                    "capacity",
                    _(
                        "the capacity must be a whole number from 1 to %(limit)s, not '%(value)s'",
                        limit=MAX_CAPACITY,
                        value=_short(raw),
                    ),
                )
            else:
                draft.capacity = capacity

        raw = cell("availability")
        if raw:
            draft.availability = self._availability(draft, raw)
        return draft

    def _availability(self, draft: _Draft, raw: str) -> tuple[Window, ...] | None:
        """Weekly windows, or None with one error per bad window; cached per import."""
        known = self._windows.get(raw)
        if known is None:
            known = read_availability(raw, self._)
            if len(self._windows) < 10_000:
                self._windows[raw] = known
        windows, problems = known
        for problem in problems[:5]:
            draft.error("availability", problem)
        if len(problems) > 5:
            draft.error(
                "availability",
                self.ngettext(
                    "… and %(num)s more bad window",
                    "… and %(num)s more bad windows",
                    len(problems) - 5,
                ),
            )
        return None if problems else windows

    def _email(self, raw: str) -> tuple[str | None, str | None]:
        """(lower-case email, None) or (None, why it is not valid); cached per import."""
        key = raw.lower()  # validity does not depend on case; Bob@X and bob@x share a check
        known = self._emails.get(key)
        if known is None:
            try:
                result = validate_email(raw, check_deliverability=False)
            except EmailNotValidError as error:
                known = (None, str(error).rstrip("."))
            else:
                known = (result.normalized.lower(), None)
            self._emails[key] = known
        return known

    @staticmethod
    def _text(draft: _Draft, column: str, raw: str, _: Gettext = english) -> str | None:
        """Free text with its spaces tidied, or None when blank or refused."""
        value = " ".join(unicodedata.normalize("NFC", raw).split())
        if not value:
            return None
        if _CONTROL.search(value):
            draft.error(
                column,
                _(
                    "the %(column)s contains invisible control characters",
                    column=column_label(column, _),
                ),
            )
            return None
        if len(value) > MAX_LENGTHS[column]:
            draft.error(
                column,
                _(
                    "the %(column)s is longer than %(limit)s characters",
                    column=column_label(column, _),
                    limit=MAX_LENGTHS[column],
                ),
            )
            return None
        return value

    def _languages(self, draft: _Draft, raw: str) -> tuple[str, ...] | None:
        _ = self._
        codes: list[str] = []
        good = True
        for token in _LANGUAGE_SEPARATORS.split(raw):
            if not token:
                continue
            code = language_code(token)
            if code is None:
                good = False
                draft.error(
                    "languages",
                    _(
                        "unknown language '%(value)s': use two-letter codes such as en or fr "
                        "(or names such as English)",
                        value=_short(token),
                    ),
                )
            elif code not in codes:
                codes.append(code)
        return tuple(codes) if good and codes else None

    def _topics(self, draft: _Draft, raw: str) -> tuple[str, ...] | None:
        names: list[str] = []
        good = True
        for token in _TOPIC_SEPARATORS.split(raw):
            folded = _fold(token)
            if not folded:
                continue
            topic = self.topics.get(folded)
            if topic is None:
                good = False
                draft.error("topics", self._unknown_topic(" ".join(token.split())))
            elif topic not in names:
                names.append(topic)
        return tuple(names) if good and names else None

    def _unknown_topic(self, token: str) -> str:
        _ = self._
        hint = self._topic_hints.get(token)
        if hint is None:
            if not self.topics:
                hint = _("this cohort has no topics yet: choose the cohort's topics first")
            else:
                close = difflib.get_close_matches(_fold(token), self.topics, n=1, cutoff=0.75)
                if close:
                    hint = _("did you mean '%(topic)s'?", topic=_short(self.topics[close[0]]))
                elif "," in token:
                    hint = _("separate topics with ; or |")
                else:
                    hint = _("it is not one of this cohort's topics")
            self._topic_hints[token] = hint
        return _("unknown topic '%(value)s': %(hint)s", value=_short(token), hint=hint)

    # Checks that need every row, and what each row would do.

    def _check_across_rows(self, drafts: list[_Draft]) -> None:
        """Duplicates, new people's required values, sides, managers and manager loops."""
        _ = self._
        lines_by_email: dict[str, list[int]] = {}
        for draft in drafts:
            if draft.email:
                lines_by_email.setdefault(draft.email, []).append(draft.line)
        for draft in drafts:
            if draft.email:
                self._check_known_email(draft, draft.email, lines_by_email[draft.email])
            if draft.side == "mentee" and draft.capacity not in (None, 1):
                draft.error("capacity", _("a mentee has no capacity: leave it blank or write 1"))
            if not draft.manager_email:
                continue
            if draft.manager_email == draft.email:
                draft.error("manager email", _("a person cannot be their own manager"))
            elif (
                draft.manager_email not in lines_by_email and draft.manager_email not in self.people
            ):
                draft.error(
                    "manager email",
                    _(
                        "the manager %(email)s is neither in this file nor already in the app",
                        email=draft.manager_email,
                    ),
                )
        self._check_manager_loops(drafts)

    def _check_known_email(self, draft: _Draft, email: str, lines: list[int]) -> None:
        """Checks that need the row's email: duplicates, new people, the other side."""
        _ = self._
        others = [line for line in lines if line != draft.line]
        if others:
            draft.error(
                "email",
                self.ngettext(
                    "%(email)s is in the file more than once: also on line %(lines)s",
                    "%(email)s is in the file more than once: also on lines %(lines)s",
                    len(others),
                    email=email,
                    lines=", ".join(map(str, others)),
                ),
            )
        if email not in self.people:
            self._check_new_person(draft)
        enrollment = self.enrollments.get(email)
        if enrollment is not None and draft.side and enrollment.side != draft.side:
            draft.error(
                "side",
                _("already enrolled as mentor in this cohort: one person cannot be on both sides")
                if enrollment.side == "mentor"
                else _(
                    "already enrolled as mentee in this cohort: one person cannot be on both sides"
                ),
            )

    def _check_new_person(self, draft: _Draft) -> None:
        _ = self._
        if draft.name is None and not any(error.column == "name" for error in draft.errors):
            draft.error("name", _("the name is missing"))
        if draft.seniority_level is None and not any(
            error.column == "seniority level" for error in draft.errors
        ):
            draft.error(
                "seniority level",
                _(
                    "the seniority level is required for a new person (a whole number from "
                    "%(low)s to %(high)s)",
                    low=MIN_SENIORITY,
                    high=MAX_SENIORITY,
                ),
            )
        if draft.timezone is None and not any(
            error.column == "time zone" for error in draft.errors
        ):
            draft.error(
                "time zone",
                _("the time zone is required for a new person (an IANA name such as Europe/Paris)"),
            )

    def _check_manager_loops(self, drafts: list[_Draft]) -> None:
        """Flag every row on a reporting loop made by the file and the people already there."""
        managers: dict[str, str] = {
            email: person.manager_email.lower()
            for email, person in self.people.items()
            if person.manager_email
        }
        in_file: dict[str, _Draft] = {}
        for draft in drafts:
            if draft.email and draft.email not in in_file:
                in_file[draft.email] = draft
                if draft.manager_email:
                    managers[draft.email] = draft.manager_email
        managers = {email: boss for email, boss in managers.items() if email != boss}

        done: set[str] = set()
        for start in in_file:
            path: dict[str, int] = {}
            email: str | None = start
            while email is not None and email not in done and email not in path:
                path[email] = len(path)
                email = managers.get(email)
            if email is not None and email in path:
                loop = list(path)[path[email] :]
                for position, member in enumerate(loop):
                    if member in in_file:
                        chain = loop[position:] + loop[:position] + [member]
                        if len(chain) > 7:
                            in_all = self._("… (%(count)s people in all) …", count=len(loop))
                            chain = [*chain[:3], in_all, *chain[-2:]]
                        in_file[member].error(
                            "manager email",
                            self._("manager loop: %(chain)s", chain=" → ".join(chain)),
                        )
            done.update(path)

    def _row(self, draft: _Draft, email: str, side: Side) -> ImportRow:
        """The row to write: blank cells filled from what exists, or from the defaults."""
        _ = self._
        person = self.people.get(email)
        changes: list[str] = []
        if person is None:  # a new person's seniority and time zone were required above
            person_action: Action = "create"
            name = draft.name or ""
            department = draft.department or ""
            title = draft.title or ""
            seniority_level = draft.seniority_level or MIN_SENIORITY
            manager_email = draft.manager_email
            timezone = draft.timezone or "UTC"
            languages = draft.languages or DEFAULT_LANGUAGES
            site = draft.site or ""
        else:
            name = _keep(draft.name, person.name)
            department = _keep(draft.department, person.department)
            title = _keep(draft.title, person.title)
            seniority_level = _keep(draft.seniority_level, person.seniority_level)
            old_manager = person.manager_email.lower() if person.manager_email else None
            manager_email = _keep(draft.manager_email, old_manager)
            timezone = _keep(draft.timezone, person.timezone)
            languages = _keep(draft.languages, tuple(person.languages))
            site = _keep(draft.site, person.site)
            for label, old, new in (
                ("name", person.name, name),
                ("department", person.department, department),
                ("title", person.title, title),
                ("seniority level", person.seniority_level, seniority_level),
                ("manager email", old_manager, manager_email),
                ("time zone", person.timezone, timezone),
                ("site", person.site, site),
            ):
                if old != new:
                    changes.append(self._change(label, _value(old, _), _value(new, _)))
            if tuple(person.languages) != languages:
                changes.append(
                    self._change("languages", _list(person.languages, _), _list(languages, _))
                )
            person_action = "update" if changes else "unchanged"

        enrollment = self.enrollments.get(email)
        if enrollment is None:
            enrollment_action: Action = "create"
            topics = draft.topics or ()
            capacity = draft.capacity or DEFAULT_CAPACITY
            availability = draft.availability or ()
        else:
            topics = _keep(draft.topics, tuple(enrollment.topics))
            capacity = _keep(draft.capacity, enrollment.capacity)
            availability = _keep(draft.availability, tuple(enrollment.availability))
            enrollment_changes = []
            none = _("(none)")
            if tuple(enrollment.topics) != topics:
                enrollment_changes.append(
                    self._change(
                        "topics", "; ".join(enrollment.topics) or none, "; ".join(topics) or none
                    )
                )
            if enrollment.capacity != capacity:
                enrollment_changes.append(
                    self._change("capacity", str(enrollment.capacity), str(capacity))
                )
            if tuple(enrollment.availability) != availability:
                enrollment_changes.append(
                    self._change(
                        "availability",
                        format_availability(enrollment.availability, self.days) or none,
                        format_availability(availability, self.days) or none,
                    )
                )
            changes.extend(enrollment_changes)
            enrollment_action = "update" if enrollment_changes else "unchanged"

        return ImportRow(
            line=draft.line,
            email=email,
            name=name,
            side=side,
            department=department,
            title=title,
            seniority_level=seniority_level,
            manager_email=manager_email,
            timezone=timezone,
            languages=languages,
            site=site,
            topics=topics,
            capacity=capacity,
            availability=availability,
            person_action=person_action,
            enrollment_action=enrollment_action,
            changes=tuple(changes),
            invite=person is None or person.needs_invitation,
        )

    def _change(self, column: str, old: str, new: str) -> str:
        """One change of a row: "time zone: 'UTC' → 'Europe/Paris'"."""
        return self._(
            "%(column)s: %(old)s → %(new)s", column=column_label(column, self._), old=old, new=new
        )


def _keep(new: T | None, old: T) -> T:
    return old if new is None else new
