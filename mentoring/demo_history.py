"""Months of program life for the demo cohort: meetings, logs, goals, self-assessments.

Written straight into the tables (the services refuse meetings in the past, rightly),
deterministically from the pair ids, so `seed-demo` tells the same story each time:
most pairs meet every two weeks and make progress, some have gone quiet (overdue), a
few miss meetings and rate them poorly (at risk).
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.curriculum.models import Audience, EvidenceKind, GoalTemplate
from mentoring.extensions import db
from mentoring.goals.models import Goal, GoalMilestone, GoalStatus, SelfAssessment, meeting_log_goal
from mentoring.matching.models import MatchRun, Pair
from mentoring.meetings.models import Meeting, MeetingLog, MeetingStatus, meeting_log_topic

UID_NAMESPACE = uuid.UUID("6f1d3c52-8a57-4a53-9a2e-5b0c2f7d9e10")

NOTES = [
    "Walked through the LinkedIn headline together; rewrote it twice.",
    "Looked at how our brand is mentioned on X this month; set up two saved searches.",
    "Practised answering a hostile comment without feeding the troll.",
    "Tried the AI assistant on last week's board memo: good summary, weak numbers.",
    "Talked about how the executive committee prepares its decisions.",
    "Reviewed the first post's statistics: 3,400 views, 41 reactions.",
    "Set up two-factor authentication on every social account.",
]
FEEDBACK = [
    "Very practical, I now post every week.",
    "Would like more time on measuring results.",
    "Great energy, we should meet in person more often.",
    "",
]


def _local(day: date, hour: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def seed_history(cohort: Cohort, now: datetime) -> int:
    """Backdate the demo cohort's pairs and give them a believable past; returns the
    number of meetings added (0 when the history exists already)."""
    pairs = list(
        db.session.scalars(
            select(Pair)
            .where(Pair.cohort_id == cohort.id)
            .options(
                selectinload(Pair.mentee).selectinload(Enrollment.person),
                selectinload(Pair.mentor).selectinload(Enrollment.person),
                selectinload(Pair.mentee).selectinload(Enrollment.topic_links),
            )
            .order_by(Pair.id)
        )
    )
    if not pairs or db.session.scalar(
        select(func.count(Meeting.id)).where(Meeting.pair_id.in_([p.id for p in pairs]))
    ):
        return 0
    start = cohort.start_date + timedelta(days=7)
    published = datetime.combine(start, time(9), tzinfo=UTC)
    for run in db.session.scalars(select(MatchRun).where(MatchRun.cohort_id == cohort.id)):
        run.created_at = published - timedelta(days=2)
        run.published_at = published if run.published_at else None
    templates = list(
        db.session.scalars(
            select(GoalTemplate)
            .options(selectinload(GoalTemplate.milestones))
            .where(GoalTemplate.retired_at.is_(None))
        )
    )
    added = 0
    for pair in pairs:
        added += _pair_history(pair, cohort, published, now, templates)
    _self_assessments(cohort, pairs, published)
    db.session.flush()
    return added


def _pair_history(
    pair: Pair, cohort: Cohort, published: datetime, now: datetime, templates: list[GoalTemplate]
) -> int:
    rng = random.Random(pair.id * 7919)  # noqa: S311 - demo data
    pair.created_at = published
    mentee, mentor = pair.mentee.person, pair.mentor.person
    kind = rng.choices(["engaged", "quiet", "struggling"], weights=[70, 18, 12])[0]
    if pair.mentee.person.email.startswith("marc.delacroix"):
        kind = "engaged"  # the demo mentee's pair tells the happy story
    stop = now - timedelta(days=rng.randint(35, 60)) if kind == "quiet" else now
    wanted = [link.topic_id for link in pair.mentee.topic_links] or [
        topic.id for topic in cohort.topics[:3]
    ]
    goals = _goals(pair, rng, kind, templates, wanted, published, now)

    meetings = 0
    day = published.date() + timedelta(days=rng.randint(3, 10))
    index = 0
    while True:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        start = _local(day, rng.choice([8, 9, 12, 17]), mentee.timezone)
        if start > now + timedelta(days=21) or start > stop and start < now:
            break
        past = start + timedelta(hours=1) <= now
        if kind == "quiet" and not past:
            break
        status = MeetingStatus.CONFIRMED.value
        if past:
            missed = kind == "struggling" and rng.random() < 0.35
            status = MeetingStatus.NO_SHOW.value if missed else MeetingStatus.HELD.value
        elif index % 3 == 2:
            status = MeetingStatus.PROPOSED.value
        meeting = Meeting(
            pair_id=pair.id,
            uid=f"{uuid.uuid5(UID_NAMESPACE, f'demo-{pair.id}-{index}')}@mentoring",
            sequence=1 if status != MeetingStatus.PROPOSED.value else 0,
            start_at=start,
            end_at=start + timedelta(minutes=60),
            duration_minutes=60,
            location="" if index % 2 else f"{mentee.site or 'Head office'}, meeting room 4",
            video_url="https://meet.example.com/rm-" + str(pair.id) if index % 2 else "",
            agenda="Review last time's homework; next step on the current goal.",
            status=status,
            proposed_by_id=(mentor if index % 2 else mentee).id,
            confirmed_at=None
            if status == MeetingStatus.PROPOSED.value
            else start - timedelta(days=5),
            created_at=start - timedelta(days=7),
            updated_at=start - timedelta(days=5),
        )
        db.session.add(meeting)
        meetings += 1
        if past and not (kind != "engaged" and start > now - timedelta(days=10)):
            db.session.flush()
            _logs(meeting, pair, rng, kind, wanted, goals, status)
        index += 1
        day += timedelta(days=cohort.cadence_days + rng.randint(-2, 3))
    return meetings


def _logs(
    meeting: Meeting,
    pair: Pair,
    rng: random.Random,
    kind: str,
    wanted: list[int],
    goals: list[Goal],
    status: str,
) -> None:
    authors = [pair.mentee.person, pair.mentor.person]
    if rng.random() < 0.25:
        authors = authors[:1] if rng.random() < 0.5 else authors[1:]
    for author in authors:
        held = status == MeetingStatus.HELD.value
        low = kind == "struggling"
        log = MeetingLog(
            meeting_id=meeting.id,
            author_id=author.id,
            outcome="held" if held else "no_show",
            actual_minutes=rng.choice([45, 55, 60, 75]) if held else None,
            private_notes=rng.choice(NOTES) if held else "",
            rating=(rng.choice([1, 2, 3]) if low else rng.choice([4, 4, 5, 5, 3]))
            if held
            else None,
            feedback=rng.choice(FEEDBACK) if held else "",
            feedback_shareable=rng.random() < 0.4,
            created_at=meeting.end_at + timedelta(hours=rng.randint(1, 48)),
            updated_at=meeting.end_at + timedelta(hours=rng.randint(1, 48)),
        )
        db.session.add(log)
        db.session.flush()
        if held:
            covered = rng.sample(wanted, k=min(len(wanted), rng.randint(1, 2)))
            db.session.execute(
                insert(meeting_log_topic), [{"log_id": log.id, "topic_id": t} for t in covered]
            )
            advanced = [g.id for g in goals if g.status != GoalStatus.NOT_STARTED.value]
            if advanced:
                db.session.execute(
                    insert(meeting_log_goal),
                    [{"meeting_log_id": log.id, "goal_id": advanced[0]}],
                )


def _evidence(goal: Goal, person_name: str) -> None:
    slug = person_name.lower().replace(" ", "-")
    if goal.evidence_kind == EvidenceKind.URL.value:
        goal.evidence_url = f"https://www.linkedin.com/in/{slug}"
    elif goal.evidence_kind == EvidenceKind.YES_NO.value:
        goal.evidence_attested = True
    elif goal.evidence_kind == EvidenceKind.NOTE.value:
        goal.evidence_note = "Done and shown to my mentor during our last meeting."


def _goals(
    pair: Pair,
    rng: random.Random,
    kind: str,
    templates: list[GoalTemplate],
    wanted: list[int],
    published: datetime,
    now: datetime,
) -> list[Goal]:
    mentee_templates = [
        t for t in templates if t.audience == Audience.MENTEE.value and t.topic_id in wanted
    ]
    mentor_templates = [t for t in templates if t.audience == Audience.MENTOR.value]
    chosen = rng.sample(mentee_templates, k=min(len(mentee_templates), rng.randint(1, 3)))
    goals = []
    for number, template in enumerate(chosen):
        goals.append(
            _goal(
                pair,
                pair.mentee,
                template,
                rng,
                kind,
                published,
                now,
                done=kind == "engaged" and number == 0,
            )
        )
    if mentor_templates and rng.random() < 0.6:
        goals.append(
            _goal(
                pair,
                pair.mentor,
                rng.choice(mentor_templates),
                rng,
                kind,
                published,
                now,
                done=kind == "engaged" and rng.random() < 0.4,
            )
        )
    db.session.flush()
    return goals


def _goal(
    pair: Pair,
    owner: Enrollment,
    template: GoalTemplate,
    rng: random.Random,
    kind: str,
    published: datetime,
    now: datetime,
    *,
    done: bool,
) -> Goal:
    created = published + timedelta(days=rng.randint(3, 20))
    total = len(template.milestones)
    ticked = total if done else (rng.randint(0, total - 1) if total and kind != "quiet" else 0)
    goal = Goal(
        pair_id=pair.id,
        owner_enrollment_id=owner.id,
        template_id=template.id,
        topic_id=template.topic_id,
        title=template.title,
        description=template.description,
        evidence_kind=template.evidence_kind,
        evidence_hint=template.evidence_hint,
        status=GoalStatus.DONE.value
        if done
        else GoalStatus.IN_PROGRESS.value
        if ticked
        else GoalStatus.NOT_STARTED.value,
        created_at=created,
        updated_at=created,
        milestones=[
            GoalMilestone(
                position=m.position,
                title=m.title,
                done_at=created + timedelta(days=10 * (i + 1)) if i < ticked else None,
            )
            for i, m in enumerate(template.milestones)
        ],
    )
    if done:
        _evidence(goal, owner.person.name)
        goal.completed_at = min(created + timedelta(days=10 * (total + 1)), now)
    db.session.add(goal)
    return goal


def _self_assessments(cohort: Cohort, pairs: list[Pair], published: datetime) -> None:
    rows = []
    seen: set[int] = set()
    for pair in pairs:
        rng = random.Random(pair.id * 104729)  # noqa: S311 - demo data
        for enrollment in (pair.mentee, pair.mentor):
            if enrollment.id in seen or rng.random() < 0.15:
                continue  # not everyone fills it in; a mentor with two mentees rates once
            seen.add(enrollment.id)
            for topic in cohort.topics:
                low = enrollment.side == "mentee"
                rows.append(
                    {
                        "enrollment_id": enrollment.id,
                        "topic_id": topic.id,
                        "phase": "start",
                        "confidence": rng.randint(1, 3) if low else rng.randint(3, 5),
                        "created_at": published,
                        "updated_at": published,
                    }
                )
    if rows:
        db.session.execute(insert(SelfAssessment), rows)
