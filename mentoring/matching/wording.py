"""The words of the matching, in the reader's language.

The engine and the services keep explanations, unmatched reasons and warnings as
(code, parameters) notes, stored as JSON in the text columns that once held English
sentences: each reader sees them in their own language, worded when shown
(`render_stored`, the `match_notes` template filter). Text stored by older versions,
which is not JSON, is shown as it was written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from flask import g
from flask_babel import gettext, ngettext
from sqlalchemy import select

from mentoring.extensions import db
from mentoring.matching import engine


def dump_notes(value: Any) -> str:
    """Notes as stored text (JSON); a plain string is kept as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps([list(note) for note in value], ensure_ascii=False)


def load_notes(stored: str | None) -> list[list[Any]] | None:
    """The notes of a stored text, or None when it is plain text from an older version."""
    if not stored or not stored.startswith("["):
        return None
    try:
        notes = json.loads(stored)
    except ValueError:
        return None
    return notes if isinstance(notes, list) else None


def render_stored(stored: str | None) -> str:
    """A stored explanation or reason in the current language."""
    notes = load_notes(stored)
    if notes is None:
        return stored or ""
    return render_notes(notes)


def render_notes(notes: Sequence[Sequence[Any]]) -> str:
    """Notes (the engine's or the services') in the current language."""
    return gettext("; ").join(render_note(note) for note in notes)


def render_note(note: Sequence[Any]) -> str:
    """One note in the current language: the services' own codes, else the engine's."""
    code, params = note[0], dict(note[1] or {})
    if code == "hr_forbade":
        return gettext("HR ruled out the proposed mentor: run the matching again to find another.")
    if code == "mentee_changed_by_hand":
        return gettext("Their mentee was changed by hand; they have free capacity.")
    if code == "weak_criterion":
        return gettext(
            "%(criterion)s is poor for this pair",
            criterion=engine.criterion_label(params.get("criterion", ""), gettext),
        )
    if code == "under_minimum":
        return gettext(
            "It scores %(score)d, under the cohort's minimum acceptable score of %(minimum)d: "
            "the matching would not propose it",
            score=int(params.get("score", 0)),
            minimum=int(params.get("minimum", 0)),
        )
    return engine.render_note(note, gettext, ngettext, topic_name=topic_name)


def topic_name(topic_id: int, stored: str | None) -> str | None:
    """A topic's name in the reader's language (topics loaded once per request)."""
    from mentoring.curriculum.models import Topic
    from mentoring.i18n import localized

    topics = g.get("_matching_topics")
    if topics is None:
        topics = {topic.id: topic for topic in db.session.scalars(select(Topic))}
        g._matching_topics = topics
    topic = topics.get(topic_id)
    return localized(topic, "name") if topic is not None else stored


def criterion_labels() -> dict[str, str]:
    """Each soft criterion as HR reads it, in the current language."""
    return {name: engine.criterion_label(name, gettext) for name in engine.CRITERIA}
