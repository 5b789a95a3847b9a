"""Confidence self-assessments: the topics rated, when they are due, and the gains."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import Integer, String, and_, cast, func, literal_column, null, select, union_all
from sqlalchemy.orm import aliased

from mentoring.cohorts.models import Enrollment, Side, cohort_topic
from mentoring.cohorts.services import FINISHED_STATUSES
from mentoring.curriculum.models import Audience, GoalTemplate, Topic
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.goals.models import AssessmentPhase, SelfAssessment
from mentoring.goals.rules import confidence_problem, due_phase, open_phases
from mentoring.i18n import localized

# -- self-assessment --------------------------------------------------------------------------


def assessment_topics(enrollment: Enrollment) -> list[Topic]:
    """The topics a participant rates: the cohort's topics in scope, and for a mentor also
    the topics of the mentor templates (what the junior learns in return)."""
    topics = list(enrollment.cohort.topics)
    if enrollment.side == Side.MENTOR.value:
        seen = {topic.id for topic in topics}
        extra = db.session.scalars(
            select(Topic)
            .join(GoalTemplate, GoalTemplate.topic_id == Topic.id)
            .where(
                GoalTemplate.audience == Audience.MENTOR.value,
                GoalTemplate.retired_at.is_(None),
                Topic.retired_at.is_(None),
            )
            .distinct()
            .order_by(Topic.position, Topic.name)
        )
        topics += [topic for topic in extra if topic.id not in seen]
    return topics


def assessment_ratings(enrollment: Enrollment) -> dict[str, dict[int, int]]:
    """A participant's ratings so far: {phase: {topic_id: confidence}}."""
    ratings: dict[str, dict[int, int]] = {phase.value: {} for phase in AssessmentPhase}
    rows = db.session.execute(
        select(SelfAssessment.phase, SelfAssessment.topic_id, SelfAssessment.confidence).where(
            SelfAssessment.enrollment_id == enrollment.id
        )
    )
    for phase, topic_id, confidence in rows:
        ratings[phase][topic_id] = confidence
    return ratings


@dataclass(frozen=True)
class OwnConfidence:
    """A participant's own confidence in one topic at the start and at the end."""

    topic: str
    start: int | None
    end: int

    @property
    def change(self) -> int | None:
        """End minus start, when both exist."""
        return None if self.start is None else self.end - self.start


def own_confidence(enrollment: Enrollment) -> list[OwnConfidence]:
    """A participant's before/after confidence per topic, once they rated the end (seen by
    them alone); empty before the end rating exists."""
    ratings = assessment_ratings(enrollment)
    if not ratings[AssessmentPhase.END.value]:
        return []
    names = {topic.id: localized(topic, "name") for topic in assessment_topics(enrollment)}
    missing = set(ratings[AssessmentPhase.END.value]) - set(names)
    if missing:
        names.update(
            (topic.id, localized(topic, "name"))
            for topic in db.session.scalars(select(Topic).where(Topic.id.in_(missing)))
        )
    start = ratings[AssessmentPhase.START.value]
    return [
        OwnConfidence(names[topic_id], start.get(topic_id), end)
        for topic_id, end in sorted(
            ratings[AssessmentPhase.END.value].items(), key=lambda item: names[item[0]].lower()
        )
    ]


# A closed or cancelled cohort's self-assessments no longer change, nor are prompted for.


def assessment_phases_open(enrollment: Enrollment, today: date) -> tuple[str, ...]:
    """The self-assessment phases the participant may fill in or change today."""
    return open_phases(
        today,
        enrollment.cohort.end_date,
        cohort_closed=enrollment.cohort.status in FINISHED_STATUSES,
    )


def assessment_due(enrollment: Enrollment, today: date) -> str | None:
    """The self-assessment phase to prompt a participant for today ("start", "end"), if
    any: the start one until it is done (in the cohort's first third), the end one in
    the cohort's last two weeks."""
    return assessments_due([enrollment], today)[enrollment.id]


def assessments_due(enrollments: Sequence[Enrollment], today: date) -> dict[int, str | None]:
    """`assessment_due` for many enrollments at once, {enrollment_id: phase or None}, in
    one query whatever their number (none for no enrollments), the enrollments' cohorts
    being loaded with them: for home pages."""
    if not enrollments:
        return {}
    cohort_ids = {enrollment.cohort_id for enrollment in enrollments}
    no_text, no_id = cast(null(), String), cast(null(), Integer)
    # Three kinds of rows in one query: (kind, cohort or enrollment id, topic id, phase).
    parts = [
        select(
            literal_column("'cohort'"), cohort_topic.c.cohort_id, cohort_topic.c.topic_id, no_text
        ).where(cohort_topic.c.cohort_id.in_(cohort_ids)),
        select(
            literal_column("'rated'"),
            SelfAssessment.enrollment_id,
            SelfAssessment.topic_id,
            SelfAssessment.phase,
        ).where(SelfAssessment.enrollment_id.in_([e.id for e in enrollments])),
    ]
    if any(enrollment.side == Side.MENTOR.value for enrollment in enrollments):
        parts.append(
            select(literal_column("'mentor'"), no_id, GoalTemplate.topic_id, no_text)
            .join(Topic, Topic.id == GoalTemplate.topic_id)
            .where(
                GoalTemplate.audience == Audience.MENTOR.value,
                GoalTemplate.retired_at.is_(None),
                Topic.retired_at.is_(None),
            )
        )
    in_scope: dict[int, set[int]] = defaultdict(set)
    mentor_topics: set[int] = set()
    rated: dict[tuple[int, str], set[int]] = defaultdict(set)
    for kind, owner_id, topic_id, phase in db.session.execute(union_all(*parts)):
        if kind == "cohort":
            in_scope[owner_id].add(topic_id)
        elif kind == "mentor":
            mentor_topics.add(topic_id)
        else:
            rated[(owner_id, phase)].add(topic_id)
    answer: dict[int, str | None] = {}
    for enrollment in enrollments:
        topics = set(in_scope[enrollment.cohort_id])
        if enrollment.side == Side.MENTOR.value:
            topics |= mentor_topics
        cohort = enrollment.cohort
        answer[enrollment.id] = (
            due_phase(
                today,
                cohort.start_date,
                cohort.end_date,
                cohort_closed=cohort.status in FINISHED_STATUSES,
                start_done=topics <= rated[(enrollment.id, AssessmentPhase.START.value)],
                end_done=topics <= rated[(enrollment.id, AssessmentPhase.END.value)],
            )
            if topics
            else None
        )
    return answer


def save_self_assessment(
    enrollment: Enrollment, phase: str, ratings: Mapping[int, object], *, today: date
) -> list[SelfAssessment]:
    """Record (or correct) a participant's confidence per topic for one phase.

    Every topic must be rated 1 to 5; ratings of topics outside the list are refused.
    """
    if phase not in {p.value for p in AssessmentPhase}:
        raise RuleViolation(_("Unknown self-assessment."))
    if phase not in assessment_phases_open(enrollment, today):
        if phase == AssessmentPhase.END:
            raise RuleViolation(
                _("The end-of-cohort self-assessment opens two weeks before the cohort ends.")
            )
        raise RuleViolation(_("This cohort is closed: its self-assessments can no longer change."))
    topics = assessment_topics(enrollment)
    known = {topic.id for topic in topics}
    unknown = set(ratings) - known
    if unknown:
        raise RuleViolation(_("Rate only the topics in the list."))
    for topic in topics:
        if ratings.get(topic.id) is None:
            raise RuleViolation(
                _(
                    "Rate your confidence in %(topic)s, from 1 to 5.",
                    topic=localized(topic, "name"),
                ),
                f"topic_{topic.id}",
            )
        problem = confidence_problem(ratings[topic.id], _)
        if problem:
            raise RuleViolation(problem, f"topic_{topic.id}")
    existing = {
        row.topic_id: row
        for row in db.session.scalars(
            select(SelfAssessment).where(
                SelfAssessment.enrollment_id == enrollment.id, SelfAssessment.phase == phase
            )
        )
    }
    saved = []
    for topic in topics:
        row = existing.get(topic.id)
        if row is None:
            row = SelfAssessment(enrollment_id=enrollment.id, topic_id=topic.id, phase=phase)
            db.session.add(row)
        row.confidence = int(ratings[topic.id])  # type: ignore[call-overload]
        saved.append(row)
    db.session.flush()
    return saved


class ConfidenceGain(NamedTuple):
    """Confidence in a topic at the start and at the end, over the same participants."""

    n: int
    mean_start: float
    mean_end: float

    @property
    def gain(self) -> float:
        """The learning gain: the mean change of confidence (end − start)."""
        return self.mean_end - self.mean_start


def confidence_gains(cohort_id: int, *, side: str | None = None) -> dict[int, ConfidenceGain]:
    """Per topic, how many participants rated it at both the start and the end, and their
    mean confidence each time: {topic_id: (n, mean_start, mean_end)}.

    Only participants with both ratings count, so the gain compares the same people.
    `side` ("mentee" or "mentor") keeps one side only: executives' gains are the mentees'.
    One query. Reports must still hide groups smaller than their privacy threshold.
    """
    start, end = aliased(SelfAssessment), aliased(SelfAssessment)
    statement = (
        select(start.topic_id, func.count(), func.avg(start.confidence), func.avg(end.confidence))
        .join(
            end,
            and_(
                end.enrollment_id == start.enrollment_id,
                end.topic_id == start.topic_id,
                end.phase == AssessmentPhase.END.value,
            ),
        )
        .join(Enrollment, Enrollment.id == start.enrollment_id)
        .where(start.phase == AssessmentPhase.START.value, Enrollment.cohort_id == cohort_id)
        .group_by(start.topic_id)
    )
    if side is not None:
        statement = statement.where(Enrollment.side == side)
    return {
        topic_id: ConfidenceGain(count, float(mean_start), float(mean_end))
        for topic_id, count, mean_start, mean_end in db.session.execute(statement)
    }
