"""The matching engine: score every mentee-mentor pair, then find the best cohort-wide
assignment under the hard rules.

Pure Python, numpy and scipy (no Flask, no database), so it can be tested and
benchmarked alone. The score matrix is built with array operations, never a Python
loop over pairs; the assignment is `scipy.optimize.linear_sum_assignment` with each
mentor repeated once per free place.

Objective, in this order: (1) place the most mentees, (2) then the highest total of the
integer 0-100 pair scores HR sees. Pairs scoring under the cohort's minimum acceptable
score (Rules.min_score) are never proposed: they count as ineligible for the solve.
Both aims are folded into one integer cost per acceptable pair, `-(W + score)` with
`W = 100 * K + 1` and K the largest possible number of new pairs; other cells cost 0 and
are dropped after the solve. The bound: an assignment of c + 1 pairs is worth at least
(c + 1) * W, one of c pairs at most c * W + 100 * c, and c < K, so one more placed mentee
always beats any gain in score (W > 100 * c); between equal counts the scores decide.
Costs stay below 2^53 in magnitude for any cohort that fits in memory, so float64
holds them exactly.

Locked pairs that break no hard rule are placed first and use their mentor's places,
even when they score under the minimum: a lock is HR's own decision, and the review
page flags it.

Soft criteria, each 0..1; the score is their weighted mean (criteria of weight 0, and
the site unless meetings are in person, do not count), times 100, rounded half up:
- topics: share of the mentee's wanted topics the mentor offers, weighted linearly by
  priority (of n wanted topics the first weighs n, the last 1); 0.5 if none wanted.
- timezone: overlap of 09:00-18:00 working days at the two UTC offsets of the reference
  date, measured round the clock (UTC+12 and UTC-12 share their hours); 9 h apart -> 0.
- language: 1 with at least one common language, else 0.
- availability: shared half-hour UTC slots of the week (windows converted from each
  person's zone, wrapping round the week's edge), 4 slots (2 h) or more -> 1; 0.5 when
  either side gave no windows.
- department: 1 for different departments, 0 for the same; site: 1 for the same site;
  0.5 for either when one side's is blank.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

# Soft criteria, in the order the explanation lists them.
CRITERIA = ("topics", "timezone", "language", "department", "availability", "site")
WEAK_BELOW = 0.34

MINUTES_PER_DAY = 24 * 60
SLOT_MINUTES = 30
WEEK_SLOTS = 7 * MINUTES_PER_DAY // SLOT_MINUTES  # 336 half-hour slots
WORKDAY_START, WORKDAY_END = 9 * 60, 18 * 60
WORKDAY_MINUTES = WORKDAY_END - WORKDAY_START
# Two hours a week of shared availability is plenty for a meeting every week or two.
AVAILABILITY_FULL_SLOTS = 120 // SLOT_MINUTES
# Cells of the score matrix computed at once: temporaries of about 1 MB stay in cache,
# which measured 1.5-2x faster than whole-matrix operations at 2,000 x 2,000.
BLOCK_CELLS = 1 << 18

# The words of explanations and reasons are kept as data, (code, parameters) notes, until
# shown: they are stored so, and rendered in the reader's language by `render_notes`
# with a gettext-like callable (English by default). See "Words" at the end.
Note = tuple[str, dict[str, Any]]
Gettext = Callable[..., str]
Ngettext = Callable[..., str]

# Hard rules, in the order they are reported.
SAME_PERSON = "same_person"
REPORTING_CHAIN = "reporting_chain"
SENIORITY_GAP = "seniority_gap"
EARLIER_PAIR = "earlier_pair"
FORBIDDEN = "forbidden"
HARD_RULES = (SAME_PERSON, REPORTING_CHAIN, SENIORITY_GAP, EARLIER_PAIR, FORBIDDEN)

Float32Array = NDArray[np.float32]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Participant:
    """One enrollment in a cohort, on either side."""

    enrollment_id: int
    person_id: int
    name: str
    department: str
    seniority: int  # 1 = intern ... 10 = C-suite
    timezone: str  # IANA name
    languages: frozenset[str]  # ISO 639-1 codes
    site: str
    topic_ids: tuple[int, ...]  # mentee: wanted, in priority order; mentor: offered
    # (weekday 0=Monday, start minute, end minute) in the person's own time zone;
    # an end before the start crosses midnight, an end equal to the start is empty.
    availability: tuple[tuple[int, int, int], ...] = ()
    capacity: int = 1  # mentors only: how many mentees at most


@dataclass(frozen=True)
class Weights:
    """The weight of each soft criterion (each >= 0), editable by HR per cohort."""

    topics: float = 4.0
    timezone: float = 2.0
    language: float = 2.0
    availability: float = 2.0
    department: float = 1.0
    site: float = 1.0

    def __post_init__(self) -> None:
        for name in CRITERIA:
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {name!r} must be a finite number >= 0, got {value!r}")


@dataclass(frozen=True)
class Rules:
    """The hard rules of a cohort and HR's manual decisions."""

    min_seniority_gap: int = 2
    allow_repeat_pairs: bool = False
    # (mentee person_id, mentor person_id) from earlier cohorts; checked both ways round.
    previous_pairs: frozenset[tuple[int, int]] = frozenset()
    forbidden: frozenset[tuple[int, int]] = frozenset()  # (mentee, mentor) enrollment ids
    locked: tuple[tuple[int, int], ...] = ()  # (mentee, mentor) enrollment ids, kept as is
    in_person: bool = False  # whether same-site matters (else the site weight is ignored)
    reference_date: date | None = None  # the day whose UTC offsets count; default today
    min_score: int = 0  # 0-100: the engine proposes no pair scoring under it

    def __post_init__(self) -> None:
        if isinstance(self.min_score, bool) or not isinstance(self.min_score, int):
            raise ValueError(f"min_score must be a whole number, got {self.min_score!r}")
        if not 0 <= self.min_score <= 100:
            raise ValueError(f"min_score must be from 0 to 100, got {self.min_score}")


@dataclass(frozen=True)
class MatchInput:
    """Everything the engine needs to match one cohort."""

    mentees: Sequence[Participant]
    mentors: Sequence[Participant]
    managers: Mapping[int, int | None]  # person_id -> manager person_id, whole organisation
    topic_names: Mapping[int, str]
    weights: Weights = Weights()
    rules: Rules = Rules()


@dataclass(frozen=True)
class ProposedPair:
    """A pair in a match result, with its score and why."""

    mentee_id: int  # enrollment id
    mentor_id: int  # enrollment id
    score: int  # 0-100
    breakdown: dict[str, float]  # criterion -> 0..1, only the criteria that count
    clauses: tuple[Note, ...]  # one per criterion that counts: render_notes() words them
    locked: bool

    @property
    def explanation(self) -> str:
        """The explanation in English (render_notes(clauses, gettext) for other languages)."""
        return render_notes(self.clauses)


@dataclass(frozen=True)
class Unmatched:
    """Someone left without a pair, with a reason code and a plain-language detail."""

    enrollment_id: int
    side: str  # "mentee" or "mentor"
    # no_eligible_mentor, under_min_score, mentors_full (mentees);
    # no_eligible_mentee, under_min_score, not_needed (mentors)
    reason: str
    notes: tuple[Note, ...]  # the detail, as data: render_notes() words it

    @property
    def detail(self) -> str:
        """The detail in English."""
        return render_notes(self.notes)


@dataclass(frozen=True)
class DroppedLock:
    """A locked pair that could not be kept, and why."""

    mentee_id: int
    mentor_id: int
    broken_rules: list[str]  # plain English words, for logs and tests
    note: Note  # the detail, as data: render_notes() words it

    @property
    def detail(self) -> str:
        """The detail in English."""
        return render_notes((self.note,))


@dataclass(frozen=True)
class MatchResult:
    """The pairs, the people left unmatched, and the total score of a matching."""

    pairs: list[ProposedPair]
    unmatched: list[Unmatched]
    total_score: float  # sum of the pair scores, locked pairs included
    dropped_locks: list[DroppedLock] = field(default_factory=list)


@dataclass(frozen=True)
class PairEvaluation:
    """How a given mentee-mentor pair scores, and which hard rules it breaks."""

    mentee_id: int
    mentor_id: int
    score: int
    breakdown: dict[str, float]
    clauses: tuple[Note, ...]  # the explanation, as data: render_notes() words it
    rules_broken: tuple[Note, ...]  # the hard rules it breaks: render_notes() words them
    weak_criteria: list[str]  # criteria of the breakdown scoring below 0.34
    under_minimum: bool = False  # scores under the cohort's minimum acceptable score

    @property
    def eligible(self) -> bool:
        """Whether the pair breaks no hard rule."""
        return not self.rules_broken

    @property
    def explanation(self) -> str:
        """The explanation in English."""
        return render_notes(self.clauses)

    @property
    def broken_rules(self) -> list[str]:
        """The hard rules it breaks in English, e.g. "same reporting chain"."""
        return [render_note(note) for note in self.rules_broken]


# --- Public functions ------------------------------------------------------------------


def run_matching(data: MatchInput) -> MatchResult:
    """Match a cohort optimally: the most mentees placed, then the highest total score."""
    problem = _prepare(data)
    score, eligible = _score_matrices(problem)
    acceptable = _acceptable(problem, score, eligible)
    locks, dropped = _apply_locks(problem)
    new_pairs = _solve_optimal(problem, score, acceptable, locks)
    return _result(problem, score, eligible, acceptable, locks, dropped, new_pairs, optimal=True)


def greedy_matching(data: MatchInput) -> MatchResult:
    """Baseline: keep the locks, then repeatedly take the highest-scoring acceptable pair."""
    problem = _prepare(data)
    score, eligible = _score_matrices(problem)
    acceptable = _acceptable(problem, score, eligible)
    locks, dropped = _apply_locks(problem)
    new_pairs = _solve_greedy(problem, score, acceptable, locks)
    return _result(problem, score, eligible, acceptable, locks, dropped, new_pairs, optimal=False)


def evaluate_pair(data: MatchInput, mentee_id: int, mentor_id: int) -> PairEvaluation:
    """Score one pair chosen by hand and name the hard rules it breaks."""
    mentee = _find(data.mentees, mentee_id, "mentee")
    mentor = _find(data.mentors, mentor_id, "mentor")
    problem = _prepare(data, mentees=[mentee], mentors=[mentor])
    return _evaluations(problem, np.zeros(1, np.int64), np.zeros(1, np.int64))[0]


def alternatives(data: MatchInput, mentee_id: int, limit: int = 5) -> list[PairEvaluation]:
    """The mentee's best eligible mentors by score, capacity ignored (those under the
    minimum score included, marked `under_minimum`, for HR to choose by hand)."""
    mentee = _find(data.mentees, mentee_id, "mentee")
    problem = _prepare(data, mentees=[mentee])
    score, eligible = _score_matrices(problem)
    cols = np.flatnonzero(eligible[0])
    # Best score first; ties keep the input order of mentors.
    cols = cols[np.argsort(-score[0, cols], kind="stable")][: max(limit, 0)]
    return _evaluations(problem, np.zeros(len(cols), np.int64), cols)


# --- Preparation: per-person features --------------------------------------------------


@dataclass
class _Side:
    """The features of one side of the cohort, one row per participant."""

    people: Sequence[Participant]
    index: dict[int, int]  # enrollment id -> row
    person_ids: IntArray
    seniority: IntArray
    offsets: IntArray  # UTC offset in minutes on the reference date
    zones: IntArray  # code of the UTC offset
    departments: IntArray  # code; 0 when unknown
    sites: IntArray  # code; 0 when unknown
    topics: Float32Array  # mentee: priority weight of each wanted topic; mentor: 0/1
    topic_inverse: Float32Array  # mentee: 1 / sum of its topic weights (0: none wanted)
    languages: Float32Array  # 0/1
    slots: BoolArray  # (people x 336) half-hour slots of the week, in UTC
    slot_values: Float32Array  # the same as 0/1 floats, for matrix products
    gave_slots: BoolArray
    capacity: IntArray


@dataclass
class _Problem:
    """A cohort ready to be scored: both sides' features, weights and rule exclusions."""

    data: MatchInput
    mentees: _Side
    mentors: _Side
    weights: dict[str, np.float32]  # the criteria that count, normalised to sum to 1
    # Criteria that depend on one category per person (time zone, department, site),
    # precomputed per pair of categories: gathering from them beats arithmetic per pair.
    tables: dict[str, Float32Array]
    gap: int
    min_score: int
    # Pairs excluded by a rule kept sparse: rule -> (mentee rows, mentor cols), deduplicated.
    exclusions: dict[str, tuple[IntArray, IntArray]]
    excluded: dict[str, set[tuple[int, int]]]


def _find(people: Sequence[Participant], enrollment_id: int, side: str) -> Participant:
    """The participant with this enrollment id, or ValueError."""
    for person in people:
        if person.enrollment_id == enrollment_id:
            return person
    raise ValueError(f"no {side} with enrollment id {enrollment_id}")


@lru_cache(maxsize=1024)
def _utc_offset_minutes(timezone: str, day: date) -> int:
    """The UTC offset of a time zone at local noon of a day, in minutes."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {timezone!r}") from error
    offset = datetime.combine(day, time(12), tzinfo=zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _ancestors(person_id: int, managers: Mapping[int, int | None]) -> list[int]:
    """Everyone above a person in the manager tree; stops at a cycle."""
    chain: list[int] = []
    seen = {person_id}
    current = managers.get(person_id)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = managers.get(current)
    return chain


def _codes(values: list[str], vocabulary: dict[str, int]) -> IntArray:
    """Integer codes (from 1, shared by both sides) of normalised strings; 0 for blank."""
    out = np.zeros(len(values), np.int64)
    for i, value in enumerate(values):
        key = value.strip().casefold()
        if key:
            out[i] = vocabulary.setdefault(key, len(vocabulary) + 1)
    return out


def _slot_matrix(people: Sequence[Participant], offsets: IntArray) -> BoolArray:
    """Which half-hour UTC slots of the week each person is available in.

    A slot counts only when a window covers it entirely, so shared time is never
    overstated (a window starting at :15 in UTC+5:45 loses its partial slots).
    """
    owners: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for row, person in enumerate(people):
        for window in person.availability:
            weekday, start, end = window
            if not (0 <= weekday <= 6 and 0 <= start <= MINUTES_PER_DAY):
                raise ValueError(f"enrollment {person.enrollment_id}: bad window {window!r}")
            if not 0 <= end <= MINUTES_PER_DAY:
                raise ValueError(f"enrollment {person.enrollment_id}: bad window {window!r}")
            if end == start:
                continue
            if end < start:  # crosses midnight
                end += MINUTES_PER_DAY
            base = weekday * MINUTES_PER_DAY - int(offsets[row])
            owners.append(row)
            starts.append(base + start)
            ends.append(base + end)
    # Mark window edges on a two-week strip, integrate, then fold the second week back
    # onto the first: this handles windows that wrap around the week's edge.
    edges = np.zeros((len(people), 2 * WEEK_SLOTS + 1), np.int32)
    if owners:
        rows = np.asarray(owners, np.int64)
        first = -(-np.asarray(starts, np.int64) // SLOT_MINUTES)  # ceil
        last = np.asarray(ends, np.int64) // SLOT_MINUTES  # exclusive
        shift = (first // WEEK_SLOTS) * WEEK_SLOTS
        first, last = first - shift, last - shift
        keep = last > first
        np.add.at(edges, (rows[keep], first[keep]), 1)
        np.add.at(edges, (rows[keep], last[keep]), -1)
    covered = np.cumsum(edges[:, : 2 * WEEK_SLOTS], axis=1) > 0
    return covered[:, :WEEK_SLOTS] | covered[:, WEEK_SLOTS:]


def _side(
    people: Sequence[Participant],
    *,
    mentee: bool,
    day: date,
    vocabularies: dict[str, dict],
) -> _Side:
    """Build one side's feature arrays (a loop over people, not over pairs)."""
    n = len(people)
    index: dict[int, int] = {}
    for row, person in enumerate(people):
        if person.enrollment_id in index:
            raise ValueError(f"enrollment id {person.enrollment_id} appears twice")
        if not mentee and person.capacity < 1:
            raise ValueError(f"mentor enrollment {person.enrollment_id}: capacity must be >= 1")
        index[person.enrollment_id] = row
    offsets = np.array([_utc_offset_minutes(p.timezone, day) for p in people], np.int64)

    topic_vocabulary: dict[int, int] = vocabularies["topics"]
    topic_cells: list[tuple[int, int, float]] = []
    topic_inverse = np.zeros(n, np.float32)
    for row, person in enumerate(people):
        wanted = list(dict.fromkeys(person.topic_ids))  # first mention sets the priority
        for rank, topic_id in enumerate(wanted):
            column = topic_vocabulary.setdefault(topic_id, len(topic_vocabulary))
            # Mentee priority: linear, the first of n wanted topics weighs n, the last 1.
            topic_cells.append((row, column, float(len(wanted) - rank) if mentee else 1.0))
        if wanted:
            topic_inverse[row] = 2 / (len(wanted) * (len(wanted) + 1))
    language_vocabulary: dict[str, int] = vocabularies["languages"]
    language_cells = [
        (row, language_vocabulary.setdefault(code.strip().lower(), len(language_vocabulary)))
        for row, person in enumerate(people)
        for code in person.languages
        if code.strip()
    ]
    slots = _slot_matrix(people, offsets)
    return _Side(
        people=people,
        index=index,
        person_ids=np.array([p.person_id for p in people], np.int64),
        seniority=np.array([p.seniority for p in people], np.int64),
        offsets=offsets,
        zones=np.array(
            [
                vocabularies["offsets"].setdefault(int(o), len(vocabularies["offsets"]))
                for o in offsets
            ],
            np.int64,
        ),
        departments=_codes([p.department for p in people], vocabularies["departments"]),
        sites=_codes([p.site for p in people], vocabularies["sites"]),
        topics=_cells(n, topic_cells),
        topic_inverse=topic_inverse,
        languages=_cells(n, [(r, c, 1.0) for r, c in language_cells]),
        slots=slots,
        slot_values=slots.astype(np.float32),
        gave_slots=np.array([bool(p.availability) for p in people], np.bool_),
        capacity=np.array([p.capacity for p in people], np.int64),
    )


def _cells(n: int, cells: list[tuple[int, int, float]]) -> Float32Array:
    """A dense (n x columns) float32 matrix from (row, column, value) cells.

    Columns grow while both sides are built, so the matrix is padded later.
    """
    width = 1 + max((column for _, column, _ in cells), default=-1)
    out = np.zeros((n, width), np.float32)
    if cells:
        rows, columns, values = zip(*cells, strict=True)
        out[list(rows), list(columns)] = values
    return out


def _pad(matrix: Float32Array, width: int) -> Float32Array:
    """Widen a matrix with zero columns."""
    if matrix.shape[1] == width:
        return matrix
    out = np.zeros((matrix.shape[0], width), np.float32)
    out[:, : matrix.shape[1]] = matrix
    return out


def _prepare(
    data: MatchInput,
    *,
    mentees: Sequence[Participant] | None = None,
    mentors: Sequence[Participant] | None = None,
) -> _Problem:
    """Turn a MatchInput (or a subset of its people) into arrays and rule exclusions."""
    rules = data.rules
    day = rules.reference_date or datetime.now(UTC).date()
    vocabularies: dict[str, dict] = {
        "topics": {},
        "languages": {},
        "departments": {},
        "sites": {},
        "offsets": {},
    }
    mentee_side = _side(
        data.mentees if mentees is None else mentees,
        mentee=True,
        day=day,
        vocabularies=vocabularies,
    )
    mentor_side = _side(
        data.mentors if mentors is None else mentors,
        mentee=False,
        day=day,
        vocabularies=vocabularies,
    )
    for side in (mentee_side, mentor_side):
        side.topics = _pad(side.topics, len(vocabularies["topics"]))
        side.languages = _pad(side.languages, len(vocabularies["languages"]))

    raw = {name: float(getattr(data.weights, name)) for name in CRITERIA}
    if not rules.in_person:
        raw["site"] = 0.0
    total = sum(raw.values())
    weights = {
        name: np.float32(value / total) for name, value in raw.items() if value > 0 and total > 0
    }
    excluded = _exclusions(data, mentee_side, mentor_side)
    exclusions = {
        rule: (
            np.array([r for r, _ in sorted(pairs)], np.int64),
            np.array([c for _, c in sorted(pairs)], np.int64),
        )
        for rule, pairs in excluded.items()
    }
    return _Problem(
        data=data,
        mentees=mentee_side,
        mentors=mentor_side,
        weights=weights,
        tables=_tables(vocabularies),
        gap=int(rules.min_seniority_gap),
        min_score=int(rules.min_score),
        exclusions=exclusions,
        excluded=excluded,
    )


def _tables(vocabularies: dict[str, dict]) -> dict[str, Float32Array]:
    """The time-zone, department and site criteria for every pair of categories."""
    offsets = np.array(list(vocabularies["offsets"]), np.int64)
    gap = np.abs(offsets[:, None] - offsets[None, :]) % MINUTES_PER_DAY
    gap = np.minimum(gap, MINUTES_PER_DAY - gap)  # +12 h and -12 h share working hours
    shared = np.maximum(WORKDAY_MINUTES - gap, 0).astype(np.float32)
    tables = {"timezone": shared / np.float32(WORKDAY_MINUTES)}
    for name, vocabulary, same in (
        ("department", vocabularies["departments"], 0.0),
        ("site", vocabularies["sites"], 1.0),
    ):
        size = len(vocabulary) + 1
        table = np.full((size, size), 1.0 - same, np.float32)
        np.fill_diagonal(table, same)
        table[0, :] = table[:, 0] = 0.5  # code 0: unknown
        tables[name] = table
    return tables


def _exclusions(data: MatchInput, mentees: _Side, mentors: _Side) -> dict[str, set]:
    """The sparse hard rules: (row, col) pairs in a reporting chain, paired before, forbidden."""
    rows_of_person: dict[int, list[int]] = {}
    cols_of_person: dict[int, list[int]] = {}
    for row, person in enumerate(mentees.people):
        rows_of_person.setdefault(person.person_id, []).append(row)
    for col, person in enumerate(mentors.people):
        cols_of_person.setdefault(person.person_id, []).append(col)

    chain: set[tuple[int, int]] = set()
    for row, person in enumerate(mentees.people):  # a mentor above the mentee
        for boss in _ancestors(person.person_id, data.managers):
            chain.update((row, col) for col in cols_of_person.get(boss, ()))
    for col, person in enumerate(mentors.people):  # the mentee above the mentor
        for boss in _ancestors(person.person_id, data.managers):
            chain.update((row, col) for row in rows_of_person.get(boss, ()))

    earlier: set[tuple[int, int]] = set()
    if not data.rules.allow_repeat_pairs:
        for first, second in data.rules.previous_pairs:
            # Paired before means paired before, whichever side each person was on.
            for mentee_pid, mentor_pid in ((first, second), (second, first)):
                for row in rows_of_person.get(mentee_pid, ()):
                    earlier.update((row, col) for col in cols_of_person.get(mentor_pid, ()))

    forbidden: set[tuple[int, int]] = set()
    for mentee_id, mentor_id in data.rules.forbidden:
        row, col = mentees.index.get(mentee_id), mentors.index.get(mentor_id)
        if row is not None and col is not None:
            forbidden.add((row, col))
    return {REPORTING_CHAIN: chain, EARLIER_PAIR: earlier, FORBIDDEN: forbidden}


# --- Scoring: vectorised over pairs ----------------------------------------------------


def _criteria(
    problem: _Problem, rows: IntArray, cols: IntArray, *, outer: bool
) -> dict[str, Float32Array]:
    """Each soft criterion (0..1) for rows x cols (outer) or for the pairs zip(rows, cols).

    Both modes run the same element-wise float32 operations on exactly computed counts,
    so a pair scores the same in a 5000 x 5000 matrix and on its own.
    """
    a, b = problem.mentees, problem.mentors

    def left(values: NDArray) -> NDArray:
        return values[rows][:, None] if outer else values[rows]

    def right(values: NDArray) -> NDArray:
        return values[cols][None, :] if outer else values[cols]

    def dot(x: Float32Array, y: Float32Array) -> Float32Array:
        # Sums of small integers: exact in float32, whatever order BLAS adds them in.
        if outer:
            return x[rows] @ y[cols].T
        return np.einsum("ij,ij->i", x[rows], y[cols])

    def lookup(table: Float32Array, x: IntArray, y: IntArray) -> Float32Array:
        return table[x[rows]][:, y[cols]] if outer else table[x[rows], y[cols]]

    def unknown(values: Float32Array, x: BoolArray, y: BoolArray) -> Float32Array:
        # Pairs where either side did not say get 0.5, set by whole rows and columns.
        if outer:
            values[x[rows], :] = 0.5
            values[:, y[cols]] = 0.5
        else:
            values[x[rows] | y[cols]] = 0.5
        return values

    out: dict[str, Float32Array] = {}
    weights = problem.weights
    if "topics" in weights:
        out["topics"] = unknown(
            dot(a.topics, b.topics) * left(a.topic_inverse),
            a.topic_inverse == 0,
            np.zeros(len(b.people), np.bool_),
        )
    if "timezone" in weights:
        out["timezone"] = lookup(problem.tables["timezone"], a.zones, b.zones)
    if "language" in weights:
        out["language"] = (dot(a.languages, b.languages) > 0).astype(np.float32)
    if "department" in weights:
        out["department"] = lookup(problem.tables["department"], a.departments, b.departments)
    if "availability" in weights:
        if outer:
            counts = a.slot_values[rows] @ b.slot_values[cols].T
        else:
            counts = np.count_nonzero(a.slots[rows] & b.slots[cols], axis=1).astype(np.float32)
        full = np.float32(AVAILABILITY_FULL_SLOTS)
        share = np.minimum(counts, full) * np.float32(1 / AVAILABILITY_FULL_SLOTS)
        out["availability"] = unknown(share, ~a.gave_slots, ~b.gave_slots)
    if "site" in weights:
        out["site"] = lookup(problem.tables["site"], a.sites, b.sites)
    return out


def _scores(problem: _Problem, criteria: dict[str, Float32Array], shape: tuple) -> NDArray:
    """The 0-100 integer score: weighted mean of the criteria, rounded half up."""
    total = np.zeros(shape, np.float32)
    for name in CRITERIA:
        if name in criteria:
            total += criteria[name] * problem.weights[name]
    return np.floor(total * np.float32(100) + np.float32(0.5)).astype(np.int16)


def _eligibility(problem: _Problem, rows: IntArray, cols: IntArray, *, outer: bool) -> BoolArray:
    """Whether each pair satisfies every hard rule (outer or zipped, as in _criteria)."""
    a, b = problem.mentees, problem.mentors
    if outer:
        ok = a.seniority[rows][:, None] >= b.seniority[cols][None, :] + problem.gap
        ok &= a.person_ids[rows][:, None] != b.person_ids[cols][None, :]
        row_at = np.full(len(a.people), -1, np.int64)
        row_at[rows] = np.arange(len(rows))
        col_at = np.full(len(b.people), -1, np.int64)
        col_at[cols] = np.arange(len(cols))
        for excluded_rows, excluded_cols in problem.exclusions.values():
            r, c = row_at[excluded_rows], col_at[excluded_cols]
            hit = (r >= 0) & (c >= 0)
            ok[r[hit], c[hit]] = False
        return ok
    ok = a.seniority[rows] >= b.seniority[cols] + problem.gap
    ok &= a.person_ids[rows] != b.person_ids[cols]
    width = max(len(b.people), 1)
    keys = rows * width + cols
    for excluded_rows, excluded_cols in problem.exclusions.values():
        ok &= ~np.isin(keys, excluded_rows * width + excluded_cols)
    return ok


def _acceptable(problem: _Problem, score: NDArray[np.int16], eligible: BoolArray) -> BoolArray:
    """The eligible pairs that reach the minimum acceptable score: those the solver may use."""
    if problem.min_score <= 0:
        return eligible
    return eligible & (score >= np.int16(problem.min_score))


def _score_matrices(problem: _Problem) -> tuple[NDArray[np.int16], BoolArray]:
    """The full (mentees x mentors) score and eligibility matrices, built block by block."""
    n, m = len(problem.mentees.people), len(problem.mentors.people)
    score = np.zeros((n, m), np.int16)
    eligible = np.zeros((n, m), np.bool_)
    cols = np.arange(m)
    block = max(1, BLOCK_CELLS // max(m, 1))
    for start in range(0, n, block):
        rows = np.arange(start, min(start + block, n))
        criteria = _criteria(problem, rows, cols, outer=True)
        score[rows[0] : rows[-1] + 1] = _scores(problem, criteria, (len(rows), m))
        eligible[rows[0] : rows[-1] + 1] = _eligibility(problem, rows, cols, outer=True)
    return score, eligible


def _broken(problem: _Problem, row: int, col: int) -> list[str]:
    """The hard rules (codes) one pair breaks."""
    a, b = problem.mentees, problem.mentors
    broken = []
    if a.person_ids[row] == b.person_ids[col]:
        broken.append(SAME_PERSON)
    if (row, col) in problem.excluded[REPORTING_CHAIN]:
        broken.append(REPORTING_CHAIN)
    if a.seniority[row] < b.seniority[col] + problem.gap:
        broken.append(SENIORITY_GAP)
    if (row, col) in problem.excluded[EARLIER_PAIR]:
        broken.append(EARLIER_PAIR)
    if (row, col) in problem.excluded[FORBIDDEN]:
        broken.append(FORBIDDEN)
    return broken


def _rule_note(rule: str, gap: int) -> Note:
    """A hard rule broken by a pair, as a note (the seniority rule carries its gap)."""
    return (rule, {"gap": gap} if rule == SENIORITY_GAP else {})


# --- Locks and solvers -----------------------------------------------------------------


@dataclass
class _Locks:
    """The locked pairs kept, as (row, col), and the places they use."""

    pairs: list[tuple[int, int]]
    load: IntArray  # per mentor
    rows: BoolArray  # per mentee: already locked


def _apply_locks(problem: _Problem) -> tuple[_Locks, list[DroppedLock]]:
    """Keep the locked pairs that break no hard rule and fit the capacity, in order."""
    a, b = problem.mentees, problem.mentors
    locks = _Locks([], np.zeros(len(b.people), np.int64), np.zeros(len(a.people), np.bool_))
    dropped: list[DroppedLock] = []
    seen: set[tuple[int, int]] = set()
    for mentee_id, mentor_id in problem.data.rules.locked:
        if (mentee_id, mentor_id) in seen:
            continue
        seen.add((mentee_id, mentor_id))
        row, col = a.index.get(mentee_id), b.index.get(mentor_id)
        if row is None or col is None:
            missing = "mentee" if row is None else "mentor"
            dropped.append(
                DroppedLock(
                    mentee_id,
                    mentor_id,
                    [f"{missing} not in the cohort"],
                    ("lock_not_enrolled", {"side": missing}),
                )
            )
            continue
        names = {"mentee": a.people[row].name, "mentor": b.people[col].name}
        broken = [_rule_note(rule, problem.gap) for rule in _broken(problem, row, col)]
        if locks.rows[row]:
            dropped.append(
                DroppedLock(
                    mentee_id,
                    mentor_id,
                    ["mentee already locked"],
                    ("lock_already_locked", names),
                )
            )
        elif broken:
            dropped.append(
                DroppedLock(
                    mentee_id,
                    mentor_id,
                    [render_note(note) for note in broken],
                    ("lock_breaks_rules", {**names, "rules": broken}),
                )
            )
        elif locks.load[col] >= b.capacity[col]:
            dropped.append(
                DroppedLock(
                    mentee_id,
                    mentor_id,
                    ["mentor capacity exceeded"],
                    ("lock_over_capacity", {**names, "capacity": int(b.capacity[col])}),
                )
            )
        else:
            locks.pairs.append((row, col))
            locks.load[col] += 1
            locks.rows[row] = True
    return locks, dropped


@dataclass
class _Assignment:
    """The matrix handed to linear_sum_assignment and how to read its answer."""

    cost: NDArray[np.float64]  # -(W + score) for acceptable pairs, 0 otherwise
    rows: IntArray  # matrix row -> mentee row
    cols: IntArray  # matrix column -> mentor col (a mentor has one column per free place)


def _assignment_matrix(
    problem: _Problem, score: NDArray[np.int16], acceptable: BoolArray, locks: _Locks
) -> _Assignment:
    """Build the cost matrix: free mentees x free mentor places, other pairs at 0."""
    free_places = problem.mentors.capacity - locks.load
    usable = acceptable
    if locks.pairs:
        usable = acceptable & ~locks.rows[:, None] & (free_places > 0)[None, :]
    rows = np.flatnonzero(usable.any(axis=1))
    # A mentor never needs more places than it has usable mentees; 0 drops its column.
    copies = np.minimum(free_places, np.count_nonzero(usable, axis=0))
    k = min(len(rows), int(copies.sum()))  # most new pairs possible
    # One placed mentee is worth more than any total of scores over K pairs (see the
    # module docstring): W = 100 * K + 1.
    place_worth = 100.0 * k + 1.0
    # Scores go through a lookup table to the cost; code 101 marks an unusable pair.
    table = np.zeros(102, np.float64)
    table[:101] = -(place_worth + np.arange(101, dtype=np.float64))
    # Filled block by block: whole-matrix temporaries (the repeated codes, and numpy's
    # index copy for the lookup) would double the memory and the page faults.
    cost = np.empty((len(rows), int(copies.sum())), np.float64)
    block = max(1, BLOCK_CELLS // max(cost.shape[1], 1))
    for start in range(0, len(rows), block):
        chunk = rows[start : start + block]
        codes = np.where(usable[chunk], score[chunk], np.int16(101))
        cost[start : start + len(chunk)] = table[np.repeat(codes, copies, axis=1)]
    return _Assignment(cost=cost, rows=rows, cols=np.repeat(np.arange(len(copies)), copies))


def _solve_optimal(
    problem: _Problem, score: NDArray[np.int16], acceptable: BoolArray, locks: _Locks
) -> list[tuple[int, int]]:
    """The new pairs of the optimal assignment (max count, then max total score)."""
    assignment = _assignment_matrix(problem, score, acceptable, locks)
    if assignment.cost.size == 0:
        return []
    rows, cols = linear_sum_assignment(assignment.cost)
    keep = assignment.cost[rows, cols] < 0  # drop the fillers on unusable pairs
    return list(
        zip(
            assignment.rows[rows[keep]].tolist(),
            assignment.cols[cols[keep]].tolist(),
            strict=True,
        )
    )


def _solve_greedy(
    problem: _Problem, score: NDArray[np.int16], acceptable: BoolArray, locks: _Locks
) -> list[tuple[int, int]]:
    """The new pairs taken greedily, best score first (ties: input order)."""
    free_places = problem.mentors.capacity - locks.load
    usable = acceptable & ~locks.rows[:, None] & (free_places > 0)[None, :]
    rows, cols = np.nonzero(usable)
    order = np.lexsort((cols, rows, -score[rows, cols].astype(np.int64)))
    places = free_places.tolist()
    taken = [False] * len(problem.mentees.people)
    left = int(min((~locks.rows).sum(), free_places.sum()))
    pairs = []
    for row, col in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if left == 0:
            break
        if taken[row] or places[col] == 0:
            continue
        taken[row] = True
        places[col] -= 1
        left -= 1
        pairs.append((row, col))
    return pairs


# --- Results, reasons and explanations -------------------------------------------------


def _result(
    problem: _Problem,
    score: NDArray[np.int16],
    eligible: BoolArray,
    acceptable: BoolArray,
    locks: _Locks,
    dropped: list[DroppedLock],
    new_pairs: list[tuple[int, int]],
    *,
    optimal: bool,
) -> MatchResult:
    """Assemble pairs with explanations, and the unmatched with true reasons."""
    a, b = problem.mentees, problem.mentors
    everything = sorted(
        [(r, c, True) for r, c in locks.pairs] + [(r, c, False) for r, c in new_pairs]
    )
    rows = np.array([r for r, _, _ in everything], np.int64)
    cols = np.array([c for _, c, _ in everything], np.int64)
    evaluations = _evaluations(problem, rows, cols, broken=False)
    pairs = [
        ProposedPair(
            mentee_id=e.mentee_id,
            mentor_id=e.mentor_id,
            score=e.score,
            breakdown=e.breakdown,
            clauses=e.clauses,
            locked=is_locked,
        )
        for e, (_, _, is_locked) in zip(evaluations, everything, strict=True)
    ]
    load = np.bincount(cols, minlength=len(b.people))
    locked_load = locks.load
    matched = np.zeros(len(a.people), np.bool_)
    matched[rows] = True
    minimum = problem.min_score

    unmatched: list[Unmatched] = []
    for row in np.flatnonzero(~matched).tolist():
        person = a.people[row]
        if not eligible[row].any():
            note = _no_eligible_note(problem, row, mentee_side=True)
            unmatched.append(
                Unmatched(person.enrollment_id, "mentee", "no_eligible_mentor", (note,))
            )
            continue
        under = np.flatnonzero(eligible[row] & ~acceptable[row])
        candidates = np.flatnonzero(acceptable[row])
        if len(candidates) == 0:
            best = int(under[np.argmax(score[row, under])])
            note = (
                "under_min_score",
                {
                    "side": "mentee",
                    "minimum": minimum,
                    "score": int(score[row, best]),
                    "name": b.people[best].name,
                },
            )
            unmatched.append(Unmatched(person.enrollment_id, "mentee", "under_min_score", (note,)))
            continue
        candidates = candidates[np.argsort(-score[row, candidates], kind="stable")]
        full = load[candidates] >= b.capacity[candidates]
        by_locks = int(np.count_nonzero(locked_load[candidates] >= b.capacity[candidates]))
        if not full.all():  # cannot happen after an optimal or greedy solve
            note = (
                "unplaced",
                {"side": "mentee", "count": len(candidates), "free": int((~full).sum())},
            )
            unmatched.append(Unmatched(person.enrollment_id, "mentee", "unplaced", (note,)))
            continue
        notes: list[Note] = [
            (
                "mentors_full",
                {
                    "count": len(candidates),
                    # With a minimum score, say which eligible mentors the sentence is about.
                    "reaching": bool(len(under)),
                    "names": [b.people[c].name for c in candidates.tolist()],
                    "by_locks": by_locks == len(candidates),
                    "capacity": int(b.capacity[candidates[0]]),
                    "optimal": optimal,
                },
            )
        ]
        if by_locks and by_locks < len(candidates):
            notes.append(("filled_by_locks", {"count": by_locks}))
        if len(under):
            notes.append(("others_under_minimum", {"count": len(under), "minimum": minimum}))
        unmatched.append(Unmatched(person.enrollment_id, "mentee", "mentors_full", tuple(notes)))

    for col in np.flatnonzero(load == 0).tolist():
        person = b.people[col]
        if not eligible[:, col].any():
            note = _no_eligible_note(problem, col, mentee_side=False)
            unmatched.append(
                Unmatched(person.enrollment_id, "mentor", "no_eligible_mentee", (note,))
            )
            continue
        candidates = np.flatnonzero(acceptable[:, col])
        if len(candidates) == 0:
            under = np.flatnonzero(eligible[:, col])
            best = int(under[np.argmax(score[under, col])])
            note = (
                "under_min_score",
                {
                    "side": "mentor",
                    "minimum": minimum,
                    "score": int(score[best, col]),
                    "name": a.people[best].name,
                },
            )
            unmatched.append(Unmatched(person.enrollment_id, "mentor", "under_min_score", (note,)))
            continue
        elsewhere = int(matched[candidates].sum())
        if elsewhere < len(candidates):  # cannot happen after an optimal or greedy solve
            note = (
                "unplaced",
                {"side": "mentor", "count": len(candidates), "free": len(candidates) - elsewhere},
            )
            unmatched.append(Unmatched(person.enrollment_id, "mentor", "unplaced", (note,)))
            continue
        note = (
            "not_needed",
            {
                "count": len(candidates),
                "reaching": bool(eligible[:, col].sum() > len(candidates)),
                "optimal": optimal,
            },
        )
        unmatched.append(Unmatched(person.enrollment_id, "mentor", "not_needed", (note,)))

    total = float(sum(pair.score for pair in pairs))
    return MatchResult(pairs=pairs, unmatched=unmatched, total_score=total, dropped_locks=dropped)


def _rule_hits(problem: _Problem, index: int, *, mentee_side: bool) -> dict[str, BoolArray]:
    """For one person, which people on the other side each hard rule excludes."""
    a, b = problem.mentees, problem.mentors
    if mentee_side:
        hits = {
            SAME_PERSON: b.person_ids == a.person_ids[index],
            SENIORITY_GAP: a.seniority[index] < b.seniority + problem.gap,
        }
        size = len(b.people)
    else:
        hits = {
            SAME_PERSON: a.person_ids == b.person_ids[index],
            SENIORITY_GAP: a.seniority < b.seniority[index] + problem.gap,
        }
        size = len(a.people)
    for rule, (rows, cols) in problem.exclusions.items():
        hit = np.zeros(size, np.bool_)
        hit[cols[rows == index] if mentee_side else rows[cols == index]] = True
        hits[rule] = hit
    return hits


def _no_eligible_note(problem: _Problem, index: int, *, mentee_side: bool) -> Note:
    """Why nobody on the other side is eligible, biggest excluding rule first, with counts."""
    side = "mentee" if mentee_side else "mentor"
    size = len(problem.mentors.people if mentee_side else problem.mentees.people)
    if size == 0:
        return ("no_eligible", {"side": side, "size": 0, "rules": [], "overlap": False})
    hits = _rule_hits(problem, index, mentee_side=mentee_side)
    counts = [(int(hits[rule].sum()), rule) for rule in HARD_RULES]
    ranked = sorted(
        (item for item in counts if item[0]), key=lambda item: (-item[0], HARD_RULES.index(item[1]))
    )
    return (
        "no_eligible",
        {
            "side": side,
            "size": size,
            "rules": [[rule, count] for count, rule in ranked],
            "gap": problem.gap,
            "overlap": sum(count for count, _ in ranked) > size,
        },
    )


def _evaluations(
    problem: _Problem, rows: IntArray, cols: IntArray, *, broken: bool = True
) -> list[PairEvaluation]:
    """Evaluate the pairs zip(rows, cols): scores and breakdowns vectorised, notes per pair."""
    if len(rows) == 0:
        return []
    criteria = _criteria(problem, rows, cols, outer=False)
    scores = _scores(problem, criteria, (len(rows),))
    a, b = problem.mentees, problem.mentors
    out = []
    for k, (row, col) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        breakdown = {name: round(float(criteria[name][k]), 3) for name in criteria}
        rules = [_rule_note(rule, problem.gap) for rule in _broken(problem, row, col)]
        out.append(
            PairEvaluation(
                mentee_id=a.people[row].enrollment_id,
                mentor_id=b.people[col].enrollment_id,
                score=int(scores[k]),
                breakdown=breakdown,
                clauses=_explain(problem, row, col, breakdown),
                rules_broken=tuple(rules) if broken else (),
                weak_criteria=[name for name, value in breakdown.items() if value < WEAK_BELOW],
                under_minimum=int(scores[k]) < problem.min_score,
            )
        )
    return out


def _explain(
    problem: _Problem, row: int, col: int, breakdown: dict[str, float]
) -> tuple[Note, ...]:
    """The explanation of a pair as notes, one clause per criterion that counts."""
    mentee, mentor = problem.mentees.people[row], problem.mentors.people[col]
    return tuple(
        _CLAUSES[name](problem, row, col, mentee, mentor) for name in CRITERIA if name in breakdown
    )


def _topics_clause(
    p: _Problem, row: int, col: int, mentee: Participant, mentor: Participant
) -> Note:
    wanted = list(dict.fromkeys(mentee.topic_ids))
    if not wanted:
        return ("topics_none_wanted", {})
    offered = set(mentor.topic_ids)
    covered = [[t, p.data.topic_names.get(t)] for t in wanted if t in offered]
    if not covered:
        return ("topics_none_covered", {"wanted": len(wanted)})
    return ("topics_covered", {"covered": len(covered), "wanted": len(wanted), "topics": covered})


def _timezone_clause(
    p: _Problem, row: int, col: int, mentee: Participant, mentor: Participant
) -> Note:
    gap = abs(int(p.mentees.offsets[row]) - int(p.mentors.offsets[col])) % MINUTES_PER_DAY
    gap = min(gap, MINUTES_PER_DAY - gap)
    return ("timezone", {"minutes": gap, "apart": gap >= WORKDAY_MINUTES})


def _language_clause(
    p: _Problem, row: int, col: int, mentee: Participant, mentor: Participant
) -> Note:
    common = {c.strip().lower() for c in mentee.languages} & {
        c.strip().lower() for c in mentor.languages
    }
    common.discard("")
    return ("language", {"codes": sorted(common)})


def _department_clause(
    p: _Problem, row: int, col: int, mentee: Participant, mentor: Participant
) -> Note:
    if p.mentees.departments[row] == 0 or p.mentors.departments[col] == 0:
        return ("department_unknown", {})
    if p.mentees.departments[row] == p.mentors.departments[col]:
        return ("department_same", {})
    return ("department_different", {})


def _availability_clause(
    p: _Problem, row: int, col: int, mentee: Participant, mentor: Participant
) -> Note:
    silent = [
        side
        for side, gave in (("mentee", mentee.availability), ("mentor", mentor.availability))
        if not gave
    ]
    if silent:
        return ("availability_unknown", {"silent": silent})
    slots = int(np.count_nonzero(p.mentees.slots[row] & p.mentors.slots[col]))
    return ("availability", {"minutes": slots * SLOT_MINUTES})


def _site_clause(p: _Problem, row: int, col: int, mentee: Participant, mentor: Participant) -> Note:
    if p.mentees.sites[row] == 0 or p.mentors.sites[col] == 0:
        return ("site_unknown", {})
    if p.mentees.sites[row] == p.mentors.sites[col]:
        return ("site_same", {"site": mentee.site.strip()})
    return ("site_different", {})


_CLAUSES: dict[str, Callable[[_Problem, int, int, Participant, Participant], Note]] = {
    "topics": _topics_clause,
    "timezone": _timezone_clause,
    "language": _language_clause,
    "department": _department_clause,
    "availability": _availability_clause,
    "site": _site_clause,
}


# --- Words: notes rendered in the reader's language ------------------------------------
#
# The caller passes gettext-like callables (flask_babel's gettext and ngettext), so the
# literal message ids below are extracted by pybabel; the defaults write English.


def english(message: str, **variables: Any) -> str:
    """The default gettext: the English message with its variables filled in."""
    return message % variables if variables else message


def english_plural(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The default ngettext: singular for 1, else plural, with `num` filled in."""
    return (singular if num == 1 else plural) % {"num": num, **variables}


def render_notes(
    notes: Sequence[Sequence[Any]],
    _: Gettext = english,
    ngettext: Ngettext = english_plural,
    *,
    topic_name: Callable[[int, str | None], str | None] | None = None,
) -> str:
    """Notes (an explanation's clauses, an unmatched person's reasons) as one text."""
    # TRANSLATORS: separates the clauses of a match explanation or of an unmatched reason.
    separator = _("; ")
    return separator.join(render_note(note, _, ngettext, topic_name=topic_name) for note in notes)


def render_note(
    note: Sequence[Any],
    _: Gettext = english,
    ngettext: Ngettext = english_plural,
    *,
    topic_name: Callable[[int, str | None], str | None] | None = None,
) -> str:
    """One note in words; `topic_name(id, stored name)` may name topics in the reader's
    language. An unknown code (a newer or older app) shows as the code itself."""
    code, params = note[0], dict(note[1] or {})
    if code.startswith("topics_") or code == "topic_covered":
        return _topics_words(code, params, _, ngettext, topic_name)
    words = _WORDS.get(code)
    if words is None:
        return code
    return words(params, _, ngettext)


def criterion_label(name: str, _: Gettext = english) -> str:
    """A soft criterion as HR reads it."""
    labels = {
        "topics": _("Topics covered"),
        "timezone": _("Working hours overlap"),
        "language": _("Common language"),
        "availability": _("Shared availability"),
        "department": _("Different departments"),
        "site": _("Same site"),
    }
    return labels.get(name, name)


def language_name(code: str, _: Gettext = english) -> str:
    """A language by its ISO 639-1 code, in words (the code itself if unknown)."""
    names = {
        "en": _("English"),
        "fr": _("French"),
        "es": _("Spanish"),
        "de": _("German"),
        "it": _("Italian"),
        "pt": _("Portuguese"),
        "zh": _("Chinese"),
        "hi": _("Hindi"),
        "ar": _("Arabic"),
        "ja": _("Japanese"),
        "nl": _("Dutch"),
    }
    return names.get(code, code)


def _topics_words(
    code: str,
    p: dict[str, Any],
    _: Gettext,
    ngettext: Ngettext,
    topic_name: Callable[[int, str | None], str | None] | None,
) -> str:
    if code == "topics_none_wanted":
        return _("no wanted topics given")
    wanted = int(p.get("wanted", 1))
    if code == "topics_none_covered":
        if wanted == 1:
            return _("does not cover the wanted topic")
        return ngettext(
            "covers none of the %(num)d wanted topic",
            "covers none of the %(num)d wanted topics",
            wanted,
        )
    names = []
    for topic_id, stored in p.get("topics", []):
        name = topic_name(topic_id, stored) if topic_name else stored
        names.append(name or _("topic %(id)s", id=topic_id))
    listed = ", ".join(names)
    if wanted == 1:
        return _("covers the wanted topic (%(topics)s)", topics=listed)
    return ngettext(
        "covers %(covered)d of %(num)d wanted topic (%(topics)s)",
        "covers %(covered)d of %(num)d wanted topics (%(topics)s)",
        wanted,
        covered=int(p.get("covered", 0)),
        topics=listed,
    )


def _duration(minutes: int, _: Gettext) -> str:
    """Minutes as "2 h", "30 min" or "5 h 30 min"."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)d min", hours=hours, minutes=rest)
    if hours:
        return _("%(hours)d h", hours=hours)
    return _("%(minutes)d min", minutes=rest)


def _and_list(items: list[str], _: Gettext) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s", first=", ".join(items[:-1]), last=items[-1])


def _names(names: list[str], ngettext: Ngettext, shown: int = 3) -> str:
    """The first few names, then how many more."""
    if len(names) <= shown:
        return ", ".join(names)
    return ngettext(
        "%(names)s and %(num)d more",
        "%(names)s and %(num)d more",
        len(names) - shown,
        names=", ".join(names[:shown]),
    )


def _timezone_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    minutes = int(p.get("minutes", 0))
    if minutes == 0:
        return _("no time-zone gap")
    if p.get("apart"):
        return _(
            "%(duration)s time-zone gap, no shared working hours",
            duration=_duration(minutes, _),
        )
    return _("%(duration)s time-zone gap", duration=_duration(minutes, _))


def _language_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    codes = p.get("codes") or []
    if not codes:
        return _("no common language")
    names = sorted(language_name(code, _) for code in codes)
    return _("both speak %(languages)s", languages=_and_list(names, _))


def _availability_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    minutes = int(p.get("minutes", 0))
    if minutes == 0:
        return _("no shared availability")
    return _("%(duration)s of shared availability a week", duration=_duration(minutes, _))


def _availability_unknown_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    silent = p.get("silent") or []
    if len(silent) == 2:
        return _("availability unknown (neither side gave time windows)")
    if silent == ["mentee"]:
        return _("availability unknown (the mentee gave no time windows)")
    return _("availability unknown (the mentor gave no time windows)")


def _why(p: dict[str, Any], _: Gettext) -> str:
    """Why full mentors' places went elsewhere: what the solver maximises."""
    if p.get("optimal", True):
        return _("so that the most mentees are placed, with the highest total score")
    return _("in pairs scoring at least as high")


def _mentors_full_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    count = int(p.get("count", 1))
    names = _names(list(p.get("names", [])), ngettext)
    reaching = bool(p.get("reaching"))
    if p.get("by_locks"):
        if count == 1:
            if reaching:
                return _(
                    "The only eligible mentor reaching the minimum score is at capacity "
                    "with locked pairs (%(names)s)",
                    names=names,
                )
            return _(
                "The only eligible mentor is at capacity with locked pairs (%(names)s)",
                names=names,
            )
        if reaching:
            return ngettext(
                "All %(num)d eligible mentors reaching the minimum score are at capacity "
                "with locked pairs (%(names)s)",
                "All %(num)d eligible mentors reaching the minimum score are at capacity "
                "with locked pairs (%(names)s)",
                count,
                names=names,
            )
        return ngettext(
            "All %(num)d eligible mentors are at capacity with locked pairs (%(names)s)",
            "All %(num)d eligible mentors are at capacity with locked pairs (%(names)s)",
            count,
            names=names,
        )
    why = _why(p, _)
    if count == 1:
        # The mentor's places: "its place" for a capacity of 1, "its places" above.
        capacity = int(p.get("capacity", 1))
        if reaching:
            return ngettext(
                "The only eligible mentor reaching the minimum score is at capacity "
                "(%(names)s): its place went to other mentees, %(why)s",
                "The only eligible mentor reaching the minimum score is at capacity "
                "(%(names)s): its places went to other mentees, %(why)s",
                capacity,
                names=names,
                why=why,
            )
        return ngettext(
            "The only eligible mentor is at capacity (%(names)s): its place went to other "
            "mentees, %(why)s",
            "The only eligible mentor is at capacity (%(names)s): its places went to other "
            "mentees, %(why)s",
            capacity,
            names=names,
            why=why,
        )
    if reaching:
        return ngettext(
            "All %(num)d eligible mentors reaching the minimum score are at capacity "
            "(%(names)s): their places went to other mentees, %(why)s",
            "All %(num)d eligible mentors reaching the minimum score are at capacity "
            "(%(names)s): their places went to other mentees, %(why)s",
            count,
            names=names,
            why=why,
        )
    return ngettext(
        "All %(num)d eligible mentors are at capacity (%(names)s): their places went to "
        "other mentees, %(why)s",
        "All %(num)d eligible mentors are at capacity (%(names)s): their places went to "
        "other mentees, %(why)s",
        count,
        names=names,
        why=why,
    )


def _not_needed_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    count = int(p.get("count", 1))
    why = _why(p, _)
    if count == 1:
        if p.get("reaching"):
            return _(
                "Not needed: the only eligible mentee reaching the minimum score is matched "
                "with another mentor, %(why)s",
                why=why,
            )
        return _(
            "Not needed: the only eligible mentee is matched with another mentor, %(why)s",
            why=why,
        )
    if p.get("reaching"):
        return ngettext(
            "Not needed: all %(num)d eligible mentees reaching the minimum score are matched "
            "with other mentors, %(why)s",
            "Not needed: all %(num)d eligible mentees reaching the minimum score are matched "
            "with other mentors, %(why)s",
            count,
            why=why,
        )
    return ngettext(
        "Not needed: all %(num)d eligible mentees are matched with other mentors, %(why)s",
        "Not needed: all %(num)d eligible mentees are matched with other mentors, %(why)s",
        count,
        why=why,
    )


def _rule_count_words(rule: str, count: int, gap: int, ngettext: Ngettext) -> str:
    """How many people on the other side one hard rule excludes."""
    if rule == SAME_PERSON:
        return ngettext("%(num)d the same person", "%(num)d the same person", count)
    if rule == REPORTING_CHAIN:
        return ngettext(
            "%(num)d in the same reporting chain", "%(num)d in the same reporting chain", count
        )
    if rule == SENIORITY_GAP:
        return ngettext(
            "%(num)d excluded by the seniority gap (below %(gap)d)",
            "%(num)d excluded by the seniority gap (below %(gap)d)",
            count,
            gap=gap,
        )
    if rule == EARLIER_PAIR:
        return ngettext(
            "%(num)d paired in an earlier cohort", "%(num)d paired in an earlier cohort", count
        )
    return ngettext("%(num)d forbidden by HR", "%(num)d forbidden by HR", count)


def _no_eligible_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    size = int(p.get("size", 0))
    mentee = p.get("side") == "mentee"  # a mentee finds no mentor, a mentor no mentee
    if size == 0:
        if mentee:
            return _("No eligible mentor: the cohort has no mentors")
        return _("No eligible mentee: the cohort has no mentees")
    gap = int(p.get("gap", 0))
    rules = ", ".join(
        _rule_count_words(rule, int(count), gap, ngettext) for rule, count in p.get("rules", [])
    )
    if mentee:
        if p.get("overlap"):
            return _(
                "No eligible mentor among %(size)d: %(rules)s (some mentors break several rules)",
                size=size,
                rules=rules,
            )
        return _("No eligible mentor among %(size)d: %(rules)s", size=size, rules=rules)
    if p.get("overlap"):
        return _(
            "No eligible mentee among %(size)d: %(rules)s (some mentees break several rules)",
            size=size,
            rules=rules,
        )
    return _("No eligible mentee among %(size)d: %(rules)s", size=size, rules=rules)


def _under_min_score_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    values = {"minimum": int(p["minimum"]), "score": int(p["score"]), "name": p["name"]}
    if p.get("side") == "mentee":
        return _(
            "Only mentors under the minimum score of %(minimum)d: best was %(score)d with %(name)s",
            **values,
        )
    return _(
        "Only mentees under the minimum score of %(minimum)d: best was %(score)d with %(name)s",
        **values,
    )


def _unplaced_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    count, free = int(p.get("count", 0)), int(p.get("free", 0))
    if p.get("side") == "mentee":
        return ngettext(
            "%(num)d eligible mentor, %(free)d with a free place, but none was given",
            "%(num)d eligible mentors, %(free)d with a free place, but none was given",
            count,
            free=free,
        )
    return ngettext(
        "%(num)d eligible mentee, %(free)d of them unmatched, none given",
        "%(num)d eligible mentees, %(free)d of them unmatched, none given",
        count,
        free=free,
    )


def _filled_by_locks_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    return ngettext(
        "%(num)d of them filled by locked pairs",
        "%(num)d of them filled by locked pairs",
        int(p.get("count", 0)),
    )


def _others_under_minimum_words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
    return ngettext(
        "%(num)d other eligible mentor scores under the minimum of %(minimum)d",
        "%(num)d other eligible mentors score under the minimum of %(minimum)d",
        int(p.get("count", 0)),
        minimum=int(p.get("minimum", 0)),
    )


def _lock_words(code: str) -> Callable[[dict[str, Any], Gettext, Ngettext], str]:
    def words(p: dict[str, Any], _: Gettext, ngettext: Ngettext) -> str:
        if code == "lock_not_enrolled":
            if p.get("side") == "mentee":
                return _("Lock dropped: the mentee is no longer enrolled in this cohort.")
            return _("Lock dropped: the mentor is no longer enrolled in this cohort.")
        names = {"mentee": p.get("mentee", ""), "mentor": p.get("mentor", "")}
        if code == "lock_already_locked":
            return _(
                "Lock of %(mentee)s with %(mentor)s dropped: the mentee is already locked to "
                "another mentor.",
                **names,
            )
        if code == "lock_breaks_rules":
            rules = ", ".join(render_note(rule, _, ngettext) for rule in p.get("rules", []))
            return _(
                "Lock of %(mentee)s with %(mentor)s dropped: it breaks a hard rule (%(rules)s).",
                rules=rules,
                **names,
            )
        return _(
            "Lock of %(mentee)s with %(mentor)s dropped: the mentor's capacity of "
            "%(capacity)d is already used by earlier locks.",
            capacity=int(p.get("capacity", 1)),
            **names,
        )

    return words


def _constant(text: Callable[[Gettext], str]) -> Callable[[dict[str, Any], Gettext, Ngettext], str]:
    return lambda p, _, ngettext: text(_)


_WORDS: dict[str, Callable[[dict[str, Any], Gettext, Ngettext], str]] = {
    # Clauses of an explanation.
    "timezone": _timezone_words,
    "language": _language_words,
    "department_unknown": _constant(lambda _: _("department unknown")),
    "department_same": _constant(lambda _: _("same department")),
    "department_different": _constant(lambda _: _("different departments")),
    "availability": _availability_words,
    "availability_unknown": _availability_unknown_words,
    "site_unknown": _constant(lambda _: _("site unknown")),
    "site_same": lambda p, _, ngettext: _("same site (%(site)s)", site=p.get("site", "")),
    "site_different": _constant(lambda _: _("different sites")),
    # Why someone is left unmatched.
    "no_eligible": _no_eligible_words,
    "under_min_score": _under_min_score_words,
    "unplaced": _unplaced_words,
    "mentors_full": _mentors_full_words,
    "filled_by_locks": _filled_by_locks_words,
    "others_under_minimum": _others_under_minimum_words,
    "not_needed": _not_needed_words,
    # Locks dropped.
    "lock_not_enrolled": _lock_words("lock_not_enrolled"),
    "lock_already_locked": _lock_words("lock_already_locked"),
    "lock_breaks_rules": _lock_words("lock_breaks_rules"),
    "lock_over_capacity": _lock_words("lock_over_capacity"),
    # Hard rules a pair breaks.
    SAME_PERSON: _constant(lambda _: _("same person")),
    REPORTING_CHAIN: _constant(lambda _: _("same reporting chain")),
    SENIORITY_GAP: lambda p, _, ngettext: _("seniority gap below %(gap)d", gap=int(p["gap"])),
    EARLIER_PAIR: _constant(lambda _: _("paired in an earlier cohort")),
    FORBIDDEN: _constant(lambda _: _("forbidden by HR")),
}
