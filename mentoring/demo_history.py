"""Months of program life for a demo cohort: meetings, logs, goals, self-assessments.

Written straight into the tables (the services refuse meetings in the past, rightly),
deterministically from the pair ids, so `seed-demo` tells the same story each time. Each
pair is lived in time order: meetings every cadence or so, both members log what they
covered (the same topics, each in their own words and rating), goals are set after the
first meeting and their milestones are ticked at the meetings that advanced them, until
they are done. Nothing happens after `now`: meetings to come are only planned, and every
record was created and last changed in the past.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload

from mentoring.cohorts.models import Cohort, Enrollment
from mentoring.curriculum.models import Audience, EvidenceKind, GoalTemplate, Topic
from mentoring.demo_data import (
    AGENDA_PHRASES,
    FEEDBACK_PHRASES,
    LOW_FEEDBACK_PHRASES,
    MENTEE_NOTE_PHRASES,
    MENTOR_FEEDBACK_PHRASES,
    MENTOR_NOTE_PHRASES,
    TOPIC_TALK,
)
from mentoring.extensions import db
from mentoring.goals.models import Goal, GoalMilestone, GoalStatus, SelfAssessment, meeting_log_goal
from mentoring.matching.models import Pair
from mentoring.meetings.models import Meeting, MeetingLog, MeetingStatus, meeting_log_topic

UID_NAMESPACE = uuid.UUID("6f1d3c52-8a57-4a53-9a2e-5b0c2f7d9e10")

# How a pair's story goes: most meet and progress, some go quiet, a few struggle.
ENGAGED, QUIET, STRUGGLING, NO_GOAL, NO_SHOWS = (
    "engaged",
    "quiet",
    "struggling",
    "no_goal",
    "no_shows",
)
# The chance, at a held meeting, that the goal being worked on gets a milestone ticked.
_PROGRESS = {ENGAGED: 0.8, QUIET: 0.5, STRUGGLING: 0.35, NO_GOAL: 0.0, NO_SHOWS: 0.5}


@dataclass
class CohortStory:
    """The moments that frame a cohort's history."""

    cohort: Cohort
    published: datetime  # when the pairs were published
    now: datetime  # the seeding moment: nothing happens after it
    closes: datetime | None = None  # when a past cohort closed; nothing happens after it
    kinds: dict[int, str] = field(default_factory=dict)  # pair id -> kind, where chosen
    lead_pair_id: int | None = None  # the pair a visitor sees first: a rich, happy story

    @property
    def horizon(self) -> datetime:
        """The last moment anything may have happened in this story."""
        return min(self.closes, self.now) if self.closes else self.now


def _local(day: date, hour: int, minute: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _between(rng: random.Random, low: datetime, high: datetime) -> datetime:
    """A moment between two others; the later bound wins when they are the wrong way
    round (it is the one that keeps the story in the past)."""
    if high <= low:
        return high
    seconds = int((high - low).total_seconds())
    return low + timedelta(seconds=rng.randint(0, seconds))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def seed_history(story: CohortStory) -> int:
    """Give a cohort's published pairs a believable past; returns the number of meetings
    added (0 when the history exists already)."""
    cohort = story.cohort
    pairs = list(
        db.session.scalars(
            select(Pair)
            .where(Pair.cohort_id == cohort.id)
            .options(
                selectinload(Pair.mentee).selectinload(Enrollment.person),
                selectinload(Pair.mentor).selectinload(Enrollment.person),
                selectinload(Pair.mentee).selectinload(Enrollment.topic_links),
                selectinload(Pair.mentor).selectinload(Enrollment.topic_links),
            )
            .order_by(Pair.id)
        )
    )
    if not pairs or db.session.scalar(
        select(func.count(Meeting.id)).where(Meeting.pair_id.in_([p.id for p in pairs]))
    ):
        return 0
    for pair in pairs:
        pair.created_at = story.published
    templates = list(
        db.session.scalars(
            select(GoalTemplate)
            .options(selectinload(GoalTemplate.milestones))
            .where(GoalTemplate.retired_at.is_(None))
            .order_by(GoalTemplate.topic_id, GoalTemplate.position, GoalTemplate.id)
        )
    )
    topics = {topic.id: topic for topic in db.session.scalars(select(Topic))}
    added = 0
    worked: dict[int, set[int]] = {}
    for pair in pairs:
        history = _PairHistory(pair, story, templates, topics)
        added += history.live()
        worked[pair.mentee_enrollment_id] = history.worked_topics
        worked.setdefault(pair.mentor_enrollment_id, set()).update(history.worked_topics)
    _self_assessments(story, pairs, templates, worked)
    db.session.flush()
    return added


class _PairHistory:
    """One pair's life, played in time order."""

    def __init__(
        self,
        pair: Pair,
        story: CohortStory,
        templates: list[GoalTemplate],
        topics: dict[int, Topic],
    ) -> None:
        self.pair, self.story, self.topics = pair, story, topics
        self.rng = random.Random(pair.id * 7919)  # noqa: S311 - demo data
        self.mentee, self.mentor = pair.mentee.person, pair.mentor.person
        self.lead = pair.id == story.lead_pair_id
        if self.lead:
            self.kind = ENGAGED
        else:
            self.kind = (
                story.kinds.get(pair.id)
                or self.rng.choices([ENGAGED, QUIET, STRUGGLING], weights=[72, 16, 12])[0]
            )
        in_scope = {topic.id for topic in story.cohort.topics}
        wanted = [link.topic_id for link in pair.mentee.topic_links if link.topic_id in in_scope]
        offered = {link.topic_id for link in pair.mentor.topic_links}
        # What the pair works on: what the mentee wants and the mentor offers first.
        self.focus = [t for t in wanted if t in offered] + [t for t in wanted if t not in offered]
        self.focus = self.focus or sorted(in_scope)[:3]
        self.templates = templates
        self.goals: list[Goal] = []
        self.meetings: list[Meeting] = []
        self.goals_set = False
        self.worked_topics: set[int] = set()

    # -- the schedule -------------------------------------------------------------------

    def _schedule(self) -> list[datetime]:
        story, rng, cohort = self.story, self.rng, self.story.cohort
        first = max(cohort.start_date, story.published.date() + timedelta(days=3))
        day = first + timedelta(days=rng.randint(0, 7))
        if story.closes is not None:
            horizon = story.closes - timedelta(days=3)
        else:
            horizon = story.now + timedelta(days=21)
        stop = horizon
        if self.kind == QUIET:
            if story.closes is not None:
                stop = story.published + timedelta(days=rng.randint(70, 120))
            else:
                stop = story.now - timedelta(days=rng.randint(35, 60))
        if self.lead:
            hours = [(8, 0), (12, 30), (17, 0)]
        else:
            hours = [(8, 0), (8, 30), (9, 0), (12, 0), (12, 30), (17, 0), (17, 30)]
        starts = []
        while True:
            while day.weekday() >= 5:
                day += timedelta(days=1)
            hour, minute = rng.choice(hours)
            start = _local(day, hour, minute, self.mentee.timezone)
            if start > horizon or start > stop:
                break
            starts.append(start)
            # The lead pair keeps its cadence; the others drift a little around it.
            drift = rng.randint(-3, 0) if self.lead else rng.randint(-2, 3)
            day += timedelta(days=cohort.cadence_days + drift)
        return starts

    def live(self) -> int:
        """Create the pair's meetings, logs and goals; returns the number of meetings."""
        story, rng = self.story, self.rng
        starts = self._schedule()
        # Logged only once it is over: a meeting that ended minutes ago still waits.
        past = [s for s in starts if s + timedelta(minutes=90) <= story.horizon]
        no_shows: set[int] = set()
        if self.kind == STRUGGLING:
            no_shows = {i for i in range(len(past)) if i > 0 and rng.random() < 0.35}
        elif self.kind == NO_SHOWS and len(past) >= 3:
            no_shows = {len(past) - 2, len(past) - 1}
        planned = 0
        for index, start in enumerate(starts):
            if index < len(past):
                # The newest meeting may wait for its logs a day or two, except the lead's.
                fresh = story.horizon - (start + timedelta(hours=1)) < timedelta(hours=30)
                missed = index in no_shows
                unlogged = fresh and not missed and not self.lead and rng.random() < 0.5
                self._past_meeting(index, start, missed, unlogged)
            else:
                if self.kind in (QUIET, NO_SHOWS) or planned >= 2:
                    break
                self._planned_meeting(index, start, confirmed=planned == 0)
                planned += 1
        db.session.flush()
        self._accept_agreement()
        return len(past) + planned

    def _accept_agreement(self) -> None:
        """Both members accepted the cohort's agreement before their first meeting."""
        from mentoring.trust.models import AgreementAcceptance

        first = min(
            (m.created_at for m in self.meetings),
            default=self.story.horizon,
        )
        for person in (self.mentee, self.mentor):
            db.session.add(
                AgreementAcceptance(
                    pair_id=self.pair.id,
                    person_id=person.id,
                    version=1,
                    accepted_at=_between(
                        self.rng,
                        self.story.published + timedelta(hours=1),
                        first - timedelta(minutes=30),
                    ),
                )
            )

    # -- meetings -----------------------------------------------------------------------

    def _pick_talk(self) -> tuple[Topic, tuple[str, str, str]]:
        goal = self._current_goal(self.pair.mentee_enrollment_id)
        if goal is not None and goal.topic_id in self.topics and self.rng.random() < 0.7:
            topic = self.topics[goal.topic_id]
        else:
            topic = self.topics[self.rng.choice(self.focus)]
        talks = TOPIC_TALK.get(topic.name) or [
            (f"Work on {topic.name.lower()}", "we made progress", "good progress today")
        ]
        return topic, self.rng.choice(talks)

    def _agenda(self, topic: Topic, activity: str) -> str:
        goal = self._current_goal(self.pair.mentee_enrollment_id)
        phrases = (
            AGENDA_PHRASES if goal is not None else [p for p in AGENDA_PHRASES if "{goal}" not in p]
        )
        return self.rng.choice(phrases).format(
            activity=activity,
            activity_lower=activity[:1].lower() + activity[1:],
            topic=topic.name,
            goal=goal.title if goal is not None else "",
        )

    def _meeting(self, index: int, start: datetime, topic: Topic, activity: str) -> Meeting:
        rng, pair = self.rng, self.pair
        site = self.mentee.site or "Head office"
        in_person = index % 2 == 0 and self.mentee.site == self.mentor.site
        # Proposed a week or two ahead, never after the moment the story stands at.
        latest = self.story.horizon - timedelta(hours=2)
        earliest = max(self.story.published + timedelta(hours=3), start - timedelta(days=14))
        earliest = min(earliest, latest - timedelta(days=3))
        created = _between(rng, earliest, min(start - timedelta(days=4), latest))
        meeting = Meeting(
            pair_id=pair.id,
            uid=f"{uuid.uuid5(UID_NAMESPACE, f'demo-{pair.id}-{index}')}@mentoring",
            sequence=0,
            start_at=start,
            end_at=start + timedelta(minutes=60),
            duration_minutes=60,
            location=f"{site}, meeting room {rng.randint(2, 9)}" if in_person else "",
            video_url="" if in_person else f"https://meet.example.com/rm-{pair.id}",
            agenda=self._agenda(topic, activity),
            status=MeetingStatus.PROPOSED.value,
            proposed_by_id=(self.mentor if rng.random() < 0.5 else self.mentee).id,
            created_at=created,
            updated_at=created,
        )
        db.session.add(meeting)
        self.meetings.append(meeting)
        return meeting

    def _confirm(self, meeting: Meeting) -> None:
        confirmed = _between(
            self.rng,
            meeting.created_at + timedelta(hours=1),
            min(
                meeting.created_at + timedelta(days=2),
                meeting.start_at - timedelta(hours=2),
                self.story.horizon - timedelta(minutes=30),
            ),
        )
        meeting.status = MeetingStatus.CONFIRMED.value
        meeting.sequence = 1
        meeting.confirmed_at = confirmed
        meeting.updated_at = confirmed

    def _planned_meeting(self, index: int, start: datetime, *, confirmed: bool) -> None:
        topic, (activity, _, _) = self._pick_talk()
        meeting = self._meeting(index, start, topic, activity)
        if confirmed:
            self._confirm(meeting)

    def _past_meeting(self, index: int, start: datetime, missed: bool, unlogged: bool) -> None:
        rng = self.rng
        topic, talk = self._pick_talk()
        meeting = self._meeting(index, start, topic, talk[0])
        self._confirm(meeting)
        if unlogged:
            return
        db.session.flush()
        end = meeting.end_at
        latest = self.story.horizon - timedelta(minutes=10)
        authors = [self.mentee, self.mentor]
        if missed or (not self.lead and rng.random() < 0.2):
            # The one who waited logs a no-show; otherwise the other has not logged (yet).
            authors = [rng.choice(authors)]
        moments = sorted(
            _between(rng, end + timedelta(minutes=20), min(end + timedelta(hours=40), latest))
            for _ in authors
        )
        covered = [topic]
        others = [t for t in self.focus if t != topic.id]
        if others and not missed and rng.random() < 0.35:
            covered.append(self.topics[rng.choice(others)])
        if not missed:
            self.worked_topics.update(t.id for t in covered)
        when = dict(zip((author.id for author in authors), moments, strict=True))
        if not self.goals_set and not missed and self.kind != NO_GOAL:
            self._set_goals(moments[0])
        ticked: list[Goal] = []
        if not missed:
            for author_id, moment in when.items():
                ticked += self._advance(author_id, moment)
        # A pair-level mood, so the two ratings of a meeting differ but not wildly.
        low = self.kind == STRUGGLING or (self.kind == NO_SHOWS and index > 2)
        mood = rng.choice([2, 3, 3]) if low else rng.choice([4, 4, 5, 5, 3])
        for author, moment in zip(authors, moments, strict=True):
            is_mentee = author.id == self.mentee.id
            self._log(meeting, author, moment, covered, talk, is_mentee, mood, missed, ticked)
        meeting.status = MeetingStatus.NO_SHOW.value if missed else MeetingStatus.HELD.value
        meeting.sequence = 2
        meeting.updated_at = moments[0]

    def _log(
        self,
        meeting: Meeting,
        author,
        moment: datetime,
        covered: list[Topic],
        talk: tuple[str, str, str],
        is_mentee: bool,
        mood: int,
        missed: bool,
        ticked: list[Goal],
    ) -> None:
        rng = self.rng
        other = (self.mentor if is_mentee else self.mentee).first_name
        activity, takeaway, observation = talk
        if missed:
            notes = rng.choice(
                [
                    f"{other} could not make it; we will find another slot.",
                    f"{other} did not join the call. I sent a message to reschedule.",
                    f"Waited 20 minutes for {other}; no answer yet.",
                ]
            )
        else:
            phrases = MENTEE_NOTE_PHRASES if is_mentee else MENTOR_NOTE_PHRASES
            notes = rng.choice(phrases).format(
                activity=activity,
                other=other,
                topic=covered[0].name,
                topic_lower=covered[0].name[:1].lower() + covered[0].name[1:],
                takeaway=takeaway,
                takeaway_cap=_cap(takeaway),
                observation=observation,
                observation_cap=_cap(observation),
            )
        rating = None
        feedback = ""
        if not missed:
            rating = max(1, min(5, mood + rng.choice([-1, 0, 0, 0, 1])))
            if rng.random() < 0.5:
                happy = FEEDBACK_PHRASES if is_mentee else MENTOR_FEEDBACK_PHRASES
                feedback = rng.choice(LOW_FEEDBACK_PHRASES if rating <= 2 else happy)
        log = MeetingLog(
            meeting_id=meeting.id,
            author_id=author.id,
            outcome="no_show" if missed else "held",
            actual_minutes=None if missed else rng.choice([45, 55, 60, 60, 75]),
            private_notes=notes,
            rating=rating,
            feedback=feedback,
            feedback_shareable=bool(feedback) and rng.random() < 0.5,
            created_at=moment,
            updated_at=moment,
        )
        db.session.add(log)
        db.session.flush()
        if not missed:
            db.session.execute(
                insert(meeting_log_topic), [{"log_id": log.id, "topic_id": t.id} for t in covered]
            )
        own = self.pair.mentee_enrollment_id if is_mentee else self.pair.mentor_enrollment_id
        mine = [goal.id for goal in ticked if goal.owner_enrollment_id == own]
        if mine:
            db.session.execute(
                insert(meeting_log_goal), [{"meeting_log_id": log.id, "goal_id": g} for g in mine]
            )

    # -- goals --------------------------------------------------------------------------

    def _current_goal(self, owner_id: int) -> Goal | None:
        return next(
            (
                goal
                for goal in self.goals
                if goal.owner_enrollment_id == owner_id and goal.status != GoalStatus.DONE.value
            ),
            None,
        )

    def _set_goals(self, moment: datetime) -> None:
        """After the first held meeting, each side picks goals from the curriculum."""
        rng, pair = self.rng, self.pair
        self.goals_set = True
        by_topic: dict[int, list[GoalTemplate]] = {}
        for template in self.templates:
            if template.audience == Audience.MENTEE.value:
                by_topic.setdefault(template.topic_id, []).append(template)
        chosen = [rng.choice(by_topic[t]) for t in self.focus if t in by_topic]
        count = 3 if self.lead else rng.randint(1, 3)
        for template in chosen[:count]:
            self._add_goal(pair.mentee, template, moment)
        mentor_templates = [t for t in self.templates if t.audience == Audience.MENTOR.value]
        if mentor_templates and (self.lead or rng.random() < 0.6):
            moment = moment + timedelta(hours=rng.randint(1, 20))
            self._add_goal(pair.mentor, rng.choice(mentor_templates), moment)
        db.session.flush()

    def _add_goal(self, owner: Enrollment, template: GoalTemplate, moment: datetime) -> None:
        moment = min(moment, self.story.horizon - timedelta(minutes=5))
        goal = Goal(
            pair_id=self.pair.id,
            owner_enrollment_id=owner.id,
            template_id=template.id,
            topic_id=template.topic_id,
            title=template.title,
            description=template.description,
            evidence_kind=template.evidence_kind,
            evidence_hint=template.evidence_hint,
            status=GoalStatus.NOT_STARTED.value,
            created_at=moment,
            updated_at=moment,
            milestones=[
                GoalMilestone(position=m.position, title=m.title) for m in template.milestones
            ],
        )
        db.session.add(goal)
        self.goals.append(goal)

    def _advance(self, author_id: int, moment: datetime) -> list[Goal]:
        """Tick a milestone of the author's current goal, by chance, as they log the
        meeting; returns the goal advanced (done, with its evidence, at its last step)."""
        chance = 0.95 if self.lead else _PROGRESS[self.kind]
        if author_id == self.mentee.id:
            owner_id = self.pair.mentee_enrollment_id
        else:
            owner_id, chance = self.pair.mentor_enrollment_id, chance * 0.6
        goal = self._current_goal(owner_id)
        if goal is None or goal.created_at >= moment or self.rng.random() >= chance:
            return []
        milestone = next((m for m in goal.milestones if m.done_at is None), None)
        if milestone is not None:
            milestone.done_at = moment
        goal.updated_at = moment
        if all(m.done_at is not None for m in goal.milestones):
            goal.status = GoalStatus.DONE.value
            goal.completed_at = moment
            _evidence(goal, self._owner_name(goal))
        else:
            goal.status = GoalStatus.IN_PROGRESS.value
        return [goal]

    def _owner_name(self, goal: Goal) -> str:
        if goal.owner_enrollment_id == self.pair.mentee_enrollment_id:
            return self.mentee.name
        return self.mentor.name


def _evidence(goal: Goal, person_name: str) -> None:
    slug = person_name.lower().replace(" ", "-")
    if goal.evidence_kind == EvidenceKind.URL.value:
        goal.evidence_url = f"https://www.linkedin.com/in/{slug}"
    elif goal.evidence_kind == EvidenceKind.YES_NO.value:
        goal.evidence_attested = True
    elif goal.evidence_kind == EvidenceKind.NOTE.value:
        goal.evidence_note = "Done and shown to my mentor during our last meeting."


def _self_assessments(
    story: CohortStory,
    pairs: list[Pair],
    templates: list[GoalTemplate],
    worked: dict[int, set[int]],
) -> None:
    """Start ratings in the cohort's first weeks; end ratings in a closed cohort's last
    weeks, higher where the pair worked on the topic."""
    cohort = story.cohort
    in_scope = [topic.id for topic in cohort.topics]
    reverse = sorted(
        {t.topic_id for t in templates if t.audience == Audience.MENTOR.value} - set(in_scope)
    )
    start_from = datetime.combine(cohort.start_date, time(9), tzinfo=UTC) - timedelta(days=7)
    rows = []
    seen: set[int] = set()
    for pair in pairs:
        rng = random.Random(pair.id * 104729)  # noqa: S311 - demo data
        for enrollment in (pair.mentee, pair.mentor):
            if enrollment.id in seen:
                continue  # a mentor with two mentees rates once
            seen.add(enrollment.id)
            if rng.random() < 0.12 and pair.id != story.lead_pair_id:
                continue  # not everyone fills it in
            mentee = enrollment.side == "mentee"
            rated = in_scope + ([] if mentee else reverse)
            started = _between(rng, start_from, start_from + timedelta(days=20))
            started = min(started, story.horizon - timedelta(hours=1))
            learned = worked.get(enrollment.id, set())
            ends = story.closes is not None and rng.random() < 0.85
            if ends:
                end_from = story.closes - timedelta(days=20)
                ended = _between(rng, end_from, story.closes - timedelta(hours=2))
            for topic_id in rated:
                digital = topic_id in in_scope
                low = mentee == digital  # executives start low in digital, juniors in business
                before = rng.randint(1, 3) if low else rng.randint(3, 5)
                rows.append(_assessment(enrollment.id, topic_id, "start", before, started))
                if ends:
                    if not digital or topic_id in learned:
                        gain = rng.choice([0, 1, 1, 2, 2]) if low else rng.choice([0, 0, 1])
                    else:
                        gain = rng.choice([-1, 0, 0, 1]) if low else 0
                    after = max(1, min(5, before + gain))
                    rows.append(_assessment(enrollment.id, topic_id, "end", after, ended))
    if rows:
        db.session.execute(insert(SelfAssessment), rows)


def _assessment(enrollment_id: int, topic_id: int, phase: str, confidence: int, at: datetime):
    return {
        "enrollment_id": enrollment_id,
        "topic_id": topic_id,
        "phase": phase,
        "confidence": confidence,
        "created_at": at,
        "updated_at": at,
    }


def latest_activity(now: datetime) -> dict[int, datetime]:
    """Each person's latest recorded action (logs, goals, meetings they proposed,
    self-assessments), for sign-in times that agree with them."""
    latest: dict[int, datetime] = {}

    def keep(person_id: int | None, moment: datetime | None) -> None:
        if person_id is None or moment is None:
            return
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if moment <= now and moment > latest.get(person_id, datetime.min.replace(tzinfo=UTC)):
            latest[person_id] = moment

    for person_id, moment in db.session.execute(
        select(MeetingLog.author_id, func.max(MeetingLog.updated_at)).group_by(MeetingLog.author_id)
    ):
        keep(person_id, moment)
    for person_id, moment in db.session.execute(
        select(Meeting.proposed_by_id, func.max(Meeting.created_at)).group_by(
            Meeting.proposed_by_id
        )
    ):
        keep(person_id, moment)
    for person_id, moment in db.session.execute(
        select(Enrollment.person_id, func.max(Goal.updated_at))
        .join(Enrollment, Enrollment.id == Goal.owner_enrollment_id)
        .group_by(Enrollment.person_id)
    ):
        keep(person_id, moment)
    for person_id, moment in db.session.execute(
        select(Enrollment.person_id, func.max(SelfAssessment.updated_at))
        .join(Enrollment, Enrollment.id == SelfAssessment.enrollment_id)
        .group_by(Enrollment.person_id)
    ):
        keep(person_id, moment)
    return latest
