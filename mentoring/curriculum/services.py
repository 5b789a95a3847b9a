"""Reading, seeding and editing the curriculum."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from mentoring.audit.services import record_event
from mentoring.curriculum.models import (
    Audience,
    EvidenceKind,
    GoalTemplate,
    GoalTemplateMilestone,
    Topic,
)
from mentoring.db import utcnow
from mentoring.domain import RuleViolation
from mentoring.extensions import db
from mentoring.people.models import Person

MAX_MILESTONES = 10
MAX_MILESTONE_LENGTH = 200

Direction = Literal["up", "down"]


class CurriculumError(RuleViolation):
    """A curriculum rule was broken; `field` names the form field it concerns (or None)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message, field)


@dataclass(frozen=True)
class GoalTemplateDetails:
    """What HR types about a goal template."""

    title: str
    description: str
    audience: str
    evidence_kind: str
    evidence_hint: str
    milestones: list[str]
    # French text beside the English (empty: French readers see the English).
    title_fr: str = ""
    description_fr: str = ""
    evidence_hint_fr: str = ""
    milestones_fr: list[str] = field(default_factory=list)


# -- reading --------------------------------------------------------------------------------


def list_topics(*, include_retired: bool = False) -> list[Topic]:
    """Topics in curriculum order (retired ones last) with their goal templates and
    milestones loaded."""
    query = (
        select(Topic)
        .options(selectinload(Topic.goal_templates).selectinload(GoalTemplate.milestones))
        .order_by(Topic.retired_at.is_not(None), Topic.position, Topic.name)
    )
    if not include_retired:
        query = query.where(Topic.retired_at.is_(None))
    return list(db.session.scalars(query))


def parse_milestones(text: str | None) -> list[str]:
    """Split a textarea into milestone titles: one per line, blank lines ignored."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def milestones_problem(titles: list[str]) -> str | None:
    """Say what is wrong with a list of milestone titles, or None when it is acceptable."""
    if not titles:
        return _("Add at least one milestone, one per line.")
    if len(titles) > MAX_MILESTONES:
        return _(
            "Keep to %(limit)s milestones at most; there are %(count)s. Merge or remove some.",
            limit=MAX_MILESTONES,
            count=len(titles),
        )
    for number, title in enumerate(titles, start=1):
        if len(title) > MAX_MILESTONE_LENGTH:
            return _(
                "Milestone %(number)s is %(length)s characters long; keep each one to "
                "%(limit)s characters.",
                number=number,
                length=len(title),
                limit=MAX_MILESTONE_LENGTH,
            )
    return None


# -- topics -----------------------------------------------------------------------------------


def french_milestones_problem(titles: list[str], english_count: int) -> str | None:
    """Say what is wrong with the French milestones: none, or one per English milestone."""
    if titles and len(titles) != english_count:
        return _(
            "Give one French milestone per English milestone (%(expected)s), in the same order, "
            "or none; there are %(count)s.",
            expected=english_count,
            count=len(titles),
        )
    for number, title in enumerate(titles, start=1):
        if len(title) > MAX_MILESTONE_LENGTH:
            return _(
                "French milestone %(number)s is %(length)s characters long; keep each to "
                "%(limit)s.",
                number=number,
                length=len(title),
                limit=MAX_MILESTONE_LENGTH,
            )
    return None


def _same_name(first: str, second: str) -> bool:
    # casefold in Python rather than lower() in SQL: SQLite folds only ASCII.
    return first.strip().casefold() == second.strip().casefold()


def topic_name_taken(name: str, *, excluding: Topic | None = None) -> Topic | None:
    """The other topic already using this name, compared case-insensitively."""
    for topic in db.session.scalars(select(Topic)):
        if topic is not excluding and _same_name(topic.name, name):
            return topic
    return None


def _duplicate_topic_message(name: str, existing: Topic | None) -> str:
    if existing is not None and existing.is_retired:
        return _(
            "A retired topic is already named %(name)s. Restore it, or choose another name.",
            name=existing.name,
        )
    return _("There is already a topic named %(name)s. Choose another name.", name=name)


def _check_topic_name(name: str, topic: Topic | None) -> None:
    existing = topic_name_taken(name, excluding=topic)
    if existing is not None:
        raise CurriculumError("name", _duplicate_topic_message(name, existing))


def _flush_unique(constraint: str, column: str, field: str, message: str) -> None:
    """Flush; if the unique constraint is broken (a concurrent edit won the race), raise
    the same CurriculumError as the check before. The caller must roll back."""
    try:
        db.session.flush()
    except IntegrityError as error:
        text = str(error.orig)
        if constraint in text or column in text:
            raise CurriculumError(field, message) from error
        raise


def create_topic(
    *, name: str, description: str, actor: Person, name_fr: str = "", description_fr: str = ""
) -> Topic:
    """Add a topic at the end of the curriculum."""
    name = name.strip()
    _check_topic_name(name, None)
    last = db.session.scalar(select(func.max(Topic.position)))
    topic = Topic(
        name=name,
        description=description.strip(),
        name_fr=name_fr.strip(),
        description_fr=description_fr.strip(),
        position=(last or 0) + 1,
    )
    db.session.add(topic)
    _flush_unique("uq_topic_name", "topic.name", "name", _duplicate_topic_message(name, None))
    record_event("curriculum.topic_created", actor=actor, subject=topic, name=topic.name)
    return topic


def update_topic(
    topic: Topic,
    *,
    name: str,
    description: str,
    actor: Person,
    name_fr: str = "",
    description_fr: str = "",
) -> list[str]:
    """Change a topic's name and description (English and French); return the names of
    the fields changed."""
    values = {
        "name": name.strip(),
        "description": description.strip(),
        "name_fr": name_fr.strip(),
        "description_fr": description_fr.strip(),
    }
    name = values["name"]
    _check_topic_name(name, topic)
    changed = [column for column, value in values.items() if getattr(topic, column) != value]
    if not changed:
        return []
    for column, value in values.items():
        setattr(topic, column, value)
    _flush_unique("uq_topic_name", "topic.name", "name", _duplicate_topic_message(name, None))
    record_event(
        "curriculum.topic_updated", actor=actor, subject=topic, name=topic.name, changed=changed
    )
    return changed


def retire_topic(topic: Topic, *, actor: Person) -> bool:
    """Stop offering a topic; it stays for the cohorts and enrollments that use it.
    Returns False when it was already retired."""
    if topic.is_retired:
        return False
    topic.retired_at = utcnow()
    db.session.flush()
    record_event("curriculum.topic_retired", actor=actor, subject=topic, name=topic.name)
    return True


def restore_topic(topic: Topic, *, actor: Person) -> bool:
    """Offer a retired topic again. Returns False when it was not retired."""
    if not topic.is_retired:
        return False
    topic.retired_at = None
    db.session.flush()
    record_event("curriculum.topic_restored", actor=actor, subject=topic, name=topic.name)
    return True


def move_topic(topic: Topic, direction: Direction, *, actor: Person) -> bool:
    """Swap an offered topic with its neighbour among offered topics; renumber every topic.
    Returns False when it is already first (up) or last (down), or retired."""
    ordered = list(
        db.session.scalars(
            select(Topic).order_by(Topic.retired_at.is_not(None), Topic.position, Topic.name)
        )
    )
    offered = [each for each in ordered if not each.is_retired]
    if topic not in offered:
        return False
    index = offered.index(topic)
    neighbour = index - 1 if direction == "up" else index + 1
    if not 0 <= neighbour < len(offered):
        return False
    offered[index], offered[neighbour] = offered[neighbour], offered[index]
    retired = [each for each in ordered if each.is_retired]
    for position, each in enumerate(offered + retired, start=1):
        each.position = position
    db.session.flush()
    record_event(
        "curriculum.topic_moved",
        actor=actor,
        subject=topic,
        name=topic.name,
        direction=direction,
        position=topic.position,
    )
    return True


# -- goal templates ---------------------------------------------------------------------------


def goal_title_taken(title: str, *, excluding: GoalTemplate | None = None) -> GoalTemplate | None:
    """The other goal template already using this title, compared case-insensitively."""
    for template in db.session.scalars(select(GoalTemplate)):
        if template is not excluding and _same_name(template.title, title):
            return template
    return None


def _duplicate_goal_message(title: str, existing: GoalTemplate | None) -> str:
    if existing is not None:
        if existing.retired_at is not None:
            return _(
                "A retired goal template under %(topic)s is already called %(title)s. Restore "
                "it, or choose another title.",
                topic=existing.topic.name,
                title=existing.title,
            )
        return _(
            "There is already a goal template called %(title)s under %(topic)s. Choose another "
            "title.",
            title=title,
            topic=existing.topic.name,
        )
    return _(
        "There is already a goal template called %(title)s. Choose another title.", title=title
    )


def _check_goal_details(details: GoalTemplateDetails, template: GoalTemplate | None) -> None:
    existing = goal_title_taken(details.title, excluding=template)
    if existing is not None:
        raise CurriculumError("title", _duplicate_goal_message(details.title, existing))
    problem = milestones_problem(details.milestones)
    if problem:
        raise CurriculumError("milestones", problem)
    problem = french_milestones_problem(details.milestones_fr, len(details.milestones))
    if problem:
        raise CurriculumError("milestones_fr", problem)
    if details.audience not in set(Audience):
        raise CurriculumError("audience", _("Choose who the goal is for."))
    if details.evidence_kind not in set(EvidenceKind):
        raise CurriculumError("evidence_kind", _("Choose what proves the goal reached."))


def _clean(details: GoalTemplateDetails) -> GoalTemplateDetails:
    return GoalTemplateDetails(
        title=details.title.strip(),
        description=details.description.strip(),
        audience=details.audience,
        evidence_kind=details.evidence_kind,
        evidence_hint=details.evidence_hint.strip(),
        milestones=[title.strip() for title in details.milestones if title.strip()],
        title_fr=details.title_fr.strip(),
        description_fr=details.description_fr.strip(),
        evidence_hint_fr=details.evidence_hint_fr.strip(),
        milestones_fr=[title.strip() for title in details.milestones_fr if title.strip()],
    )


def _flush_goal_title(title: str) -> None:
    _flush_unique(
        "uq_goal_template_title",
        "goal_template.title",
        "title",
        _duplicate_goal_message(title, None),
    )


def create_goal_template(
    topic: Topic, details: GoalTemplateDetails, *, actor: Person
) -> GoalTemplate:
    """Add a goal template, with its milestones in order, at the end of a topic."""
    details = _clean(details)
    _check_goal_details(details, None)
    last = db.session.scalar(
        select(func.max(GoalTemplate.position)).where(GoalTemplate.topic_id == topic.id)
    )
    template = GoalTemplate(
        topic=topic,
        title=details.title,
        description=details.description,
        audience=details.audience,
        evidence_kind=details.evidence_kind,
        evidence_hint=details.evidence_hint,
        title_fr=details.title_fr,
        description_fr=details.description_fr,
        evidence_hint_fr=details.evidence_hint_fr,
        position=(last if last is not None else -1) + 1,
        milestones=_new_milestones(details.milestones, details.milestones_fr),
    )
    db.session.add(template)
    _flush_goal_title(details.title)
    record_event(
        "curriculum.goal_template_created",
        actor=actor,
        subject=template,
        title=template.title,
        topic_id=topic.id,
    )
    return template


def update_goal_template(
    template: GoalTemplate, details: GoalTemplateDetails, *, actor: Person
) -> list[str]:
    """Change a goal template; its milestones are replaced by the new list, in order.
    Returns the names of the fields changed."""
    details = _clean(details)
    _check_goal_details(details, template)
    changed = [
        column
        for column in _TEMPLATE_COLUMNS
        if getattr(template, column) != getattr(details, column)
    ]
    if [milestone.title for milestone in template.milestones] != details.milestones:
        changed.append("milestones")
    if [milestone.title_fr for milestone in template.milestones] != _pair_french(details):
        changed.append("milestones_fr")
    if not changed:
        return []
    for column in _TEMPLATE_COLUMNS:
        setattr(template, column, getattr(details, column))
    _replace_milestones(template, _pair_milestones(details))
    _flush_goal_title(details.title)
    record_event(
        "curriculum.goal_template_updated",
        actor=actor,
        subject=template,
        title=template.title,
        changed=changed,
    )
    return changed


_TEMPLATE_COLUMNS = (
    "title",
    "description",
    "audience",
    "evidence_kind",
    "evidence_hint",
    "title_fr",
    "description_fr",
    "evidence_hint_fr",
)


def _french_titles(titles: list[str], titles_fr: list[str]) -> list[str]:
    """The French title of each milestone, "" for all when none is given."""
    return titles_fr or [""] * len(titles)


def _pair_french(details: GoalTemplateDetails) -> list[str]:
    """The French title of each of a template's milestones."""
    return _french_titles(details.milestones, details.milestones_fr)


def _pair_milestones(details: GoalTemplateDetails) -> list[tuple[str, str]]:
    """(English, French) title of each milestone, in order."""
    return list(zip(details.milestones, _pair_french(details), strict=True))


def _new_milestones(titles: list[str], titles_fr: list[str]) -> list[GoalTemplateMilestone]:
    """A new template's milestones, numbered from 1, with their French titles if any."""
    return [
        GoalTemplateMilestone(position=step, title=title, title_fr=title_fr)
        for step, (title, title_fr) in enumerate(
            zip(titles, _french_titles(titles, titles_fr), strict=True), start=1
        )
    ]


def _replace_milestones(template: GoalTemplate, titles: list[tuple[str, str]]) -> None:
    # Rewrite rows in place rather than delete-then-insert: the unit of work inserts
    # before it deletes, which would break the unique (goal_template_id, position).
    existing = list(template.milestones)
    last_position = max((milestone.position for milestone in existing), default=0)
    for index, (title, title_fr) in enumerate(titles):
        if index < len(existing):
            existing[index].title, existing[index].title_fr = title, title_fr
        else:
            last_position += 1
            template.milestones.append(
                GoalTemplateMilestone(position=last_position, title=title, title_fr=title_fr)
            )
    for surplus in existing[len(titles) :]:
        template.milestones.remove(surplus)


def retire_goal_template(template: GoalTemplate, *, actor: Person) -> bool:
    """Stop offering a goal template; goals already made from it keep their history.
    Returns False when it was already retired."""
    if template.retired_at is not None:
        return False
    template.retired_at = utcnow()
    db.session.flush()
    record_event(
        "curriculum.goal_template_retired", actor=actor, subject=template, title=template.title
    )
    return True


def restore_goal_template(template: GoalTemplate, *, actor: Person) -> bool:
    """Offer a retired goal template again. Returns False when it was not retired."""
    if template.retired_at is None:
        return False
    template.retired_at = None
    db.session.flush()
    record_event(
        "curriculum.goal_template_restored", actor=actor, subject=template, title=template.title
    )
    return True


# -- seeding ----------------------------------------------------------------------------------


def _add_missing_french(row: Topic | GoalTemplate, spec: Mapping[str, Any], columns) -> None:
    """Fill the French text HR has not written yet (an earlier seed had none); French
    that HR wrote is kept."""
    for column in columns:
        if not getattr(row, column) and spec.get(column):
            setattr(row, column, spec[column])
    milestones_fr = spec.get("milestones_fr")
    if isinstance(row, GoalTemplate) and milestones_fr:
        steps = row.milestones
        if len(steps) == len(milestones_fr) and not any(step.title_fr for step in steps):
            for step, title_fr in zip(steps, milestones_fr, strict=True):
                step.title_fr = title_fr


def upsert_curriculum(
    topics: Iterable[Mapping[str, Any]], *, audience: Audience = Audience.MENTEE, start: int = 0
) -> int:
    """Create the topics and goal templates that do not exist yet (matched by name and
    title); existing ones are left as HR edited them. Returns how many rows were added."""
    existing_topics = {topic.name: topic for topic in db.session.scalars(select(Topic))}
    existing_templates = {
        template.title: template for template in db.session.scalars(select(GoalTemplate))
    }
    added_titles: set[str] = set()
    added = 0
    for position, spec in enumerate(topics, start=start):
        topic = existing_topics.get(spec["name"])
        if topic is not None:
            _add_missing_french(topic, spec, ("name_fr", "description_fr"))
        else:
            topic = Topic(
                name=spec["name"],
                description=spec["description"],
                name_fr=spec.get("name_fr", ""),
                description_fr=spec.get("description_fr", ""),
                position=position,
            )
            db.session.add(topic)
            added += 1
        for index, template_spec in enumerate(spec["goal_templates"]):
            existing = existing_templates.get(template_spec["title"])
            if existing is not None:
                _add_missing_french(
                    existing, template_spec, ("title_fr", "description_fr", "evidence_hint_fr")
                )
                continue
            if template_spec["title"] in added_titles:
                continue
            template = GoalTemplate(
                title=template_spec["title"],
                description=template_spec["description"],
                evidence_kind=template_spec["evidence_kind"],
                evidence_hint=template_spec.get("evidence_hint", ""),
                title_fr=template_spec.get("title_fr", ""),
                description_fr=template_spec.get("description_fr", ""),
                evidence_hint_fr=template_spec.get("evidence_hint_fr", ""),
                audience=audience.value,
                position=index,
                milestones=_new_milestones(
                    template_spec["milestones"], template_spec.get("milestones_fr") or []
                ),
            )
            topic.goal_templates.append(template)
            added_titles.add(template.title)
            added += 1
    db.session.flush()
    return added
