"""Benchmark the matching engine on a generated organisation, and check it beats greedy.

Usage (from the repository root):

    .venv/bin/python benchmarks/matching_bench.py                 # 2,000 x 2,000, 5 runs, 3 seeds
    .venv/bin/python benchmarks/matching_bench.py --size 5000 --repeat 1 --seeds 1
    .venv/bin/python benchmarks/matching_bench.py --min-score 50   # with HR's minimum score

Each seed generates, deterministically, an organisation of about 8 x SIZE people: a
manager tree per department (CEO, VPs, directors, managers, team leads, staff), sites in
8 time zones, 13 curriculum topics with popular and rare ones, languages, weekly
availability windows, a few previous pairs, forbidden pairs and locks. SIZE executives
(seniority 6-10) enrol as mentees and SIZE juniors (seniority 1-5, capacity 1-3) as
mentors; the managers between them are not enrolled.

Printed, as medians over --repeat runs of the first seed: the time to build the score
matrix and masks, the time to solve (locks, assignment matrix, linear_sum_assignment),
the whole run_matching time, linear_sum_assignment alone on the same final matrix, and
the ratio whole / LSA alone. Then, for every seed, greedy_matching against ours under
the objective (pairs first, then total score). Exits with status 1 if ours is below
greedy on any seed, or if a pair breaks a hard rule, exceeds a mentor's capacity, or
(unlocked) scores under the minimum.

Targets on a 2-core machine: whole run < 1.5 s at 2,000 x 2,000, < 10 s at 5,000 x 5,000.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from scipy.optimize import linear_sum_assignment

from mentoring.matching import engine
from mentoring.matching.engine import (
    MatchInput,
    MatchResult,
    Participant,
    Rules,
    greedy_matching,
    run_matching,
)

T = TypeVar("T")

SITES = [  # (site, IANA zone, local language, share of the workforce)
    ("Paris", "Europe/Paris", "fr", 0.30),
    ("London", "Europe/London", "en", 0.12),
    ("New York", "America/New_York", "en", 0.15),
    ("Chicago", "America/Chicago", "en", 0.08),
    ("San Francisco", "America/Los_Angeles", "en", 0.08),
    ("Bangalore", "Asia/Kolkata", "hi", 0.12),
    ("Singapore", "Asia/Singapore", "zh", 0.08),
    ("Tokyo", "Asia/Tokyo", "ja", 0.07),
]
DEPARTMENTS = [
    "Sales",
    "Marketing",
    "Finance",
    "Engineering",
    "Operations",
    "Human Resources",
    "Legal",
    "Customer Service",
    "Procurement",
    "Communications",
    "Research",
    "Strategy",
]
TOPICS = {  # id -> (name, how much executives want it, how often juniors offer it)
    1: ("LinkedIn profile and network", 5.0, 3.0),
    2: ("Posting on social networks", 3.0, 3.0),
    3: ("Social listening and monitoring", 2.0, 1.0),
    4: ("Handling critics and trolls", 2.0, 1.0),
    5: ("Online crisis management", 2.5, 0.6),
    6: ("Internal social networks", 1.5, 2.0),
    7: ("Generative AI tools at work", 5.0, 2.0),
    8: ("Personal branding", 2.0, 1.5),
    9: ("Video calls and remote collaboration", 1.0, 3.0),
    10: ("Cybersecurity hygiene", 1.5, 1.0),
    11: ("Data privacy", 1.0, 0.8),
    12: ("Mobile productivity apps", 1.0, 2.5),
    13: ("Podcasts and newsletters", 0.8, 1.0),
}
# Head count per seniority level, per 1,000 of SIZE (levels 10 and 9 are fixed below).
LEVEL_SHARE = {8: 100, 7: 350, 6: 900, 5: 1200, 4: 1300, 3: 1300, 2: 1100, 1: 700}
REFERENCE_DATE = date(2026, 10, 1)


def weighted_sample(rng: random.Random, weights: dict[int, float], k: int) -> tuple[int, ...]:
    """k distinct keys drawn by weight, in draw order (the first drawn is the priority)."""
    pool = dict(weights)
    picked: list[int] = []
    for _ in range(min(k, len(pool))):
        key = rng.choices(list(pool), weights=list(pool.values()))[0]
        picked.append(key)
        del pool[key]
    return tuple(picked)


def availability(rng: random.Random) -> tuple[tuple[int, int, int], ...]:
    """A few weekly windows in working hours, or none (10 % of people give none)."""
    if rng.random() < 0.10:
        return ()
    windows = []
    for _ in range(rng.randint(1, 4)):
        start = rng.randrange(8 * 60, 17 * 60, 30)
        windows.append((rng.randrange(5), start, min(start + rng.choice((60, 90, 120, 180)), 1440)))
    return tuple(windows)


def generate(size: int, seed: int, min_score: int = 0) -> MatchInput:
    """A deterministic organisation and cohort of size mentees x size mentors."""
    rng = random.Random(seed)
    people: list[dict] = []
    managers: dict[int, int | None] = {}

    def hire(level: int, manager: dict | None, department: str) -> dict:
        if manager is not None and rng.random() < 0.7:
            site = manager["site"]  # teams mostly sit with their manager
        else:
            site = rng.choices(SITES, weights=[s[3] for s in SITES])[0]
        person = {"id": len(people) + 1, "level": level, "department": department, "site": site}
        people.append(person)
        managers[person["id"]] = manager["id"] if manager else None
        return person

    ceo = hire(10, None, "Strategy")
    by_level: dict[int, list[dict]] = {10: [ceo]}
    by_level[9] = [hire(9, ceo, department) for department in DEPARTMENTS]
    for level in range(8, 0, -1):
        count = max(len(DEPARTMENTS), LEVEL_SHARE[level] * size // 1000)
        above = by_level[level + 1]
        by_level[level] = []
        for _ in range(count):
            boss = rng.choice(above)
            by_level[level].append(hire(level, boss, boss["department"]))

    def participant(person: dict, enrollment_id: int, mentee: bool) -> Participant:
        site, zone, local, _ = person["site"]
        languages = {"en"} if rng.random() < 0.9 else set()
        if rng.random() < 0.7:
            languages.add(local)
        if rng.random() < 0.15:
            languages.add(rng.choice(["es", "de", "pt", "it", "fr"]))
        if not languages:
            languages.add(local)
        if mentee:
            topics = weighted_sample(rng, {t: v[1] for t, v in TOPICS.items()}, rng.randint(1, 5))
        else:
            topics = weighted_sample(rng, {t: v[2] for t, v in TOPICS.items()}, rng.randint(2, 6))
        return Participant(
            enrollment_id=enrollment_id,
            person_id=person["id"],
            name=f"Person {person['id']}",
            department=person["department"],
            seniority=person["level"],
            timezone=zone,
            languages=frozenset(languages),
            site=site,
            topic_ids=topics,
            availability=availability(rng),
            capacity=1 if mentee else rng.choices((1, 2, 3), weights=(5, 3, 2))[0],
        )

    executives = [p for level in range(6, 11) for p in by_level[level]]
    juniors = [p for level in range(1, 6) for p in by_level[level]]
    mentee_people = rng.sample(executives, size)
    mentor_people = rng.sample(juniors, size)
    mentees = [participant(p, i + 1, True) for i, p in enumerate(mentee_people)]
    mentors = [participant(p, size + i + 1, False) for i, p in enumerate(mentor_people)]

    previous = frozenset(
        (mentee.person_id, rng.choice(mentors).person_id)
        for mentee in rng.sample(mentees, size // 20)
    )
    forbidden = frozenset(
        (mentee.enrollment_id, rng.choice(mentors).enrollment_id)
        for mentee in rng.sample(mentees, size // 50)
    )
    locked = tuple(
        (mentee.enrollment_id, rng.choice(mentors).enrollment_id)
        for mentee in rng.sample(mentees, size // 100)
    )
    return MatchInput(
        mentees=mentees,
        mentors=mentors,
        managers=managers,
        topic_names={t: v[0] for t, v in TOPICS.items()},
        rules=Rules(
            previous_pairs=previous,
            forbidden=forbidden,
            locked=locked,
            reference_date=REFERENCE_DATE,
            min_score=min_score,
        ),
    )


def timed(function: Callable[[], T]) -> tuple[float, T]:
    """Run a function once; return (seconds, its value)."""
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def check(data: MatchInput, result: MatchResult) -> list[str]:
    """Hard-rule and capacity violations in a result (should be none)."""
    problem = engine._prepare(data)
    mentees, mentors = problem.mentees, problem.mentors
    errors = []
    load: dict[int, int] = {}
    for pair in result.pairs:
        row, col = mentees.index[pair.mentee_id], mentors.index[pair.mentor_id]
        if engine._broken(problem, row, col):
            errors.append(f"pair {pair.mentee_id}-{pair.mentor_id} breaks a hard rule")
        load[col] = load.get(col, 0) + 1
    errors += [
        f"mentor {mentors.people[col].enrollment_id} over capacity"
        for col, count in load.items()
        if count > mentors.capacity[col]
    ]
    errors += [
        f"pair {pair.mentee_id}-{pair.mentor_id} scores {pair.score}, under the minimum"
        for pair in result.pairs
        if not pair.locked and pair.score < data.rules.min_score
    ]
    if len({pair.mentee_id for pair in result.pairs}) != len(result.pairs):
        errors.append("a mentee is matched twice")
    return errors


def bench(size: int, repeat: int, seed: int, min_score: int = 0) -> dict[str, float]:
    """Median timings of the phases of run_matching on one generated cohort."""
    data = generate(size, seed, min_score)
    runs: dict[str, list[float]] = {"build": [], "solve": [], "whole": [], "lsa": []}
    shape = (0, 0)
    for _ in range(repeat):
        start = time.perf_counter()
        problem = engine._prepare(data)
        score, eligible = engine._score_matrices(problem)
        eligible = engine._acceptable(problem, score, eligible)
        built = time.perf_counter()
        locks, _ = engine._apply_locks(problem)
        engine._solve_optimal(problem, score, eligible, locks)
        solved = time.perf_counter()
        runs["build"].append(built - start)
        runs["solve"].append(solved - built)

        cost = engine._assignment_matrix(problem, score, eligible, locks).cost
        shape = cost.shape
        runs["lsa"].append(timed(lambda cost=cost: linear_sum_assignment(cost))[0])
        del problem, score, eligible, cost
        runs["whole"].append(timed(lambda: run_matching(data))[0])
    medians = {name: statistics.median(values) for name, values in runs.items()}
    medians.update({f"{name}_min": min(values) for name, values in runs.items()})
    medians["rows"], medians["columns"] = shape
    return medians


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and the greedy comparison; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="mentees and mentors (each)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (medians)")
    parser.add_argument("--seeds", type=int, default=3, help="cohorts compared with greedy")
    parser.add_argument("--min-score", type=int, default=0, help="HR's minimum score, 0-100")
    args = parser.parse_args(argv)

    print(
        f"== {args.size} mentees x {args.size} mentors, minimum score {args.min_score}, "
        f"{args.repeat} runs: median (min) =="
    )
    medians = bench(args.size, args.repeat, seed=0, min_score=args.min_score)
    for name, label in (
        ("build", "build score matrix + masks"),
        ("solve", "solve (locks, matrix, LSA)"),
        ("whole", "whole run_matching"),
        ("lsa", "LSA alone on the final matrix"),
    ):
        print(f"{label:30} {medians[name]:7.3f} s  ({medians[name + '_min']:.3f} s)")
    print(
        f"{'':30} final matrix: {int(medians['rows'])} mentees x {int(medians['columns'])} places"
    )
    print(
        f"{'ratio whole / LSA alone':30} {medians['whole'] / medians['lsa']:7.2f}    "
        f"({medians['whole_min'] / medians['lsa_min']:.2f})"
    )

    failed = False
    print("\n== pairs, then total score: greedy vs optimal, per seed ==")
    for seed in range(args.seeds):
        data = generate(args.size, seed, args.min_score)
        greedy, ours = greedy_matching(data), run_matching(data)
        gain = ours.total_score - greedy.total_score
        better = (len(ours.pairs), ours.total_score) >= (len(greedy.pairs), greedy.total_score)
        verdict = "ok" if better else "WORSE THAN GREEDY"
        print(
            f"seed {seed}: greedy {greedy.total_score:9.0f} ({len(greedy.pairs)} pairs)   "
            f"ours {ours.total_score:9.0f} ({len(ours.pairs)} pairs)   "
            f"gain {gain:+7.0f} ({gain / max(greedy.total_score, 1):+.2%})  {verdict}"
        )
        errors = check(data, ours)
        for error in errors[:5]:
            print(f"  RULE BROKEN: {error}")
        failed = failed or not better or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
