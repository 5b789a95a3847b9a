"""Reading and seeding the curriculum."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mentoring.curriculum.models import Audience, GoalTemplate, GoalTemplateMilestone, Topic
from mentoring.extensions import db


def list_topics(*, include_retired: bool = False) -> list[Topic]:
    """Topics in curriculum order with their goal templates and milestones loaded."""
    query = (
        select(Topic)
        .options(selectinload(Topic.goal_templates).selectinload(GoalTemplate.milestones))
        .order_by(Topic.position, Topic.name)
    )
    if not include_retired:
        query = query.where(Topic.retired_at.is_(None))
    return list(db.session.scalars(query))


def upsert_curriculum(
    topics: Iterable[Mapping[str, Any]], *, audience: Audience = Audience.MENTEE, start: int = 0
) -> int:
    """Create the topics and goal templates that do not exist yet (matched by name and
    title); existing ones are left as HR edited them. Returns how many rows were added."""
    existing_topics = {topic.name: topic for topic in db.session.scalars(select(Topic))}
    existing_titles = set(db.session.scalars(select(GoalTemplate.title)))
    added = 0
    for position, spec in enumerate(topics, start=start):
        topic = existing_topics.get(spec["name"])
        if topic is None:
            topic = Topic(name=spec["name"], description=spec["description"], position=position)
            db.session.add(topic)
            added += 1
        for index, template_spec in enumerate(spec["goal_templates"]):
            if template_spec["title"] in existing_titles:
                continue
            template = GoalTemplate(
                title=template_spec["title"],
                description=template_spec["description"],
                evidence_kind=template_spec["evidence_kind"],
                evidence_hint=template_spec.get("evidence_hint", ""),
                audience=audience.value,
                position=index,
                milestones=[
                    GoalTemplateMilestone(position=step, title=title)
                    for step, title in enumerate(template_spec["milestones"], start=1)
                ],
            )
            topic.goal_templates.append(template)
            existing_titles.add(template.title)
            added += 1
    db.session.flush()
    return added
