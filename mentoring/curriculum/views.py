"""Browsing the curriculum, and HR's pages to edit it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from mentoring.curriculum import bp
from mentoring.curriculum.forms import GoalTemplateForm, TopicForm
from mentoring.curriculum.models import GoalTemplate, Topic
from mentoring.curriculum.services import (
    CurriculumError,
    Direction,
    GoalTemplateDetails,
    create_goal_template,
    create_topic,
    list_topics,
    move_topic,
    parse_milestones,
    restore_goal_template,
    restore_topic,
    retire_goal_template,
    retire_topic,
    update_goal_template,
    update_topic,
)
from mentoring.domain import attach_error
from mentoring.extensions import db
from mentoring.people.models import Role
from mentoring.permissions import get_or_403, roles_required


def _actor():
    return current_user._get_current_object()


def _show_error(form: FlaskForm, error: CurriculumError) -> None:
    """Undo the failed change and put the message on its field (or atop the form)."""
    db.session.rollback()
    attach_error(form, error)


def _back_to(topic_id: int):
    return redirect(url_for("curriculum.index", _anchor=f"topic-{topic_id}"))


def _outcome(changed: bool, success: str, unchanged: str, topic_id: int):
    """Commit and say what changed, or say that nothing did; then back to the topic."""
    if changed:
        db.session.commit()
        flash(success, "success")
    else:
        flash(unchanged, "info")
    return _back_to(topic_id)


@bp.route("/")
@roles_required(Role.ADMIN, Role.MENTOR, Role.MENTEE)
def index():
    """List the topics in scope with their goal templates and milestones; HR also sees
    retired ones and the editing controls."""
    editor = current_user.has_role(Role.ADMIN)
    return render_template(
        "curriculum/index.html", topics=list_topics(include_retired=editor), editor=editor
    )


# -- topics -----------------------------------------------------------------------------------


@bp.route("/topics/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_topic():
    """Add a topic to the curriculum."""
    form = TopicForm()
    if form.validate_on_submit():
        try:
            topic = create_topic(
                name=form.name.data,
                description=form.description.data or "",
                name_fr=form.name_fr.data or "",
                description_fr=form.description_fr.data or "",
                actor=_actor(),
            )
        except CurriculumError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Topic %(name)s added.", name=topic.name), "success")
            return _back_to(topic.id)
    return render_template("curriculum/topic_form.html", form=form, topic=None)


@bp.route("/topics/<int:topic_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_topic(topic_id: int):
    """Change a topic's name and description."""
    topic = get_or_403(Topic, topic_id, "edit")
    form = TopicForm(obj=topic if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = update_topic(
                topic,
                name=form.name.data,
                description=form.description.data or "",
                name_fr=form.name_fr.data or "",
                description_fr=form.description_fr.data or "",
                actor=_actor(),
            )
        except CurriculumError as error:
            _show_error(form, error)
        else:
            return _outcome(
                bool(changed),
                _("Topic %(name)s saved.", name=topic.name),
                _("Topic %(name)s was already like this; nothing changed.", name=topic.name),
                topic.id,
            )
    return render_template("curriculum/topic_form.html", form=form, topic=topic)


@bp.route("/topics/<int:topic_id>/retire", methods=["POST"], endpoint="retire_topic")
@roles_required(Role.ADMIN)
def retire_topic_view(topic_id: int):
    """Retire a topic: participants stop seeing it; cohorts that use it keep it."""
    topic = get_or_403(Topic, topic_id, "retire")
    return _outcome(
        retire_topic(topic, actor=_actor()),
        _("Topic %(name)s retired. Participants no longer see it.", name=topic.name),
        _("Topic %(name)s was already retired.", name=topic.name),
        topic.id,
    )


@bp.route("/topics/<int:topic_id>/restore", methods=["POST"], endpoint="restore_topic")
@roles_required(Role.ADMIN)
def restore_topic_view(topic_id: int):
    """Offer a retired topic again."""
    topic = get_or_403(Topic, topic_id, "restore")
    return _outcome(
        restore_topic(topic, actor=_actor()),
        _("Topic %(name)s restored. Participants see it again.", name=topic.name),
        _("Topic %(name)s was not retired.", name=topic.name),
        topic.id,
    )


@bp.route(
    "/topics/<int:topic_id>/move/<any(up, down):direction>", methods=["POST"], endpoint="move_topic"
)
@roles_required(Role.ADMIN)
def move_topic_view(topic_id: int, direction: Direction):
    """Move a topic one place up or down in the curriculum."""
    topic = get_or_403(Topic, topic_id, "move")
    up = direction == "up"
    return _outcome(
        move_topic(topic, direction, actor=_actor()),
        _("Topic %(name)s moved up.", name=topic.name)
        if up
        else _("Topic %(name)s moved down.", name=topic.name),
        _("Topic %(name)s is already first; nothing moved.", name=topic.name)
        if up
        else _("Topic %(name)s is already last; nothing moved.", name=topic.name),
        topic.id,
    )


# -- goal templates ---------------------------------------------------------------------------


def _details(form: GoalTemplateForm) -> GoalTemplateDetails:
    return GoalTemplateDetails(
        title=form.title.data,
        description=form.description.data or "",
        audience=form.audience.data,
        evidence_kind=form.evidence_kind.data,
        evidence_hint=form.evidence_hint.data or "",
        milestones=parse_milestones(form.milestones.data),
        title_fr=form.title_fr.data or "",
        description_fr=form.description_fr.data or "",
        evidence_hint_fr=form.evidence_hint_fr.data or "",
        milestones_fr=parse_milestones(form.milestones_fr.data),
    )


@bp.route("/topics/<int:topic_id>/goal-templates/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_goal_template(topic_id: int):
    """Add a goal template under a topic."""
    topic = get_or_403(Topic, topic_id, "edit")
    form = GoalTemplateForm()
    if form.validate_on_submit():
        try:
            template = create_goal_template(topic, _details(form), actor=_actor())
        except CurriculumError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Goal template %(title)s added to %(topic)s.",
                    title=template.title,
                    topic=topic.name,
                ),
                "success",
            )
            return _back_to(topic.id)
    return render_template(
        "curriculum/goal_template_form.html", form=form, topic=topic, template=None
    )


@bp.route("/goal-templates/<int:template_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_goal_template(template_id: int):
    """Change a goal template; its milestones are replaced by the list typed."""
    template = get_or_403(GoalTemplate, template_id, "edit")
    form = GoalTemplateForm(
        data={
            "title": template.title,
            "description": template.description,
            "audience": template.audience,
            "evidence_kind": template.evidence_kind,
            "evidence_hint": template.evidence_hint,
            "milestones": "\n".join(milestone.title for milestone in template.milestones),
            "title_fr": template.title_fr,
            "description_fr": template.description_fr,
            "evidence_hint_fr": template.evidence_hint_fr,
            "milestones_fr": "\n".join(
                milestone.title_fr for milestone in template.milestones if milestone.title_fr
            ),
        }
    )
    if form.validate_on_submit():
        try:
            changed = update_goal_template(template, _details(form), actor=_actor())
        except CurriculumError as error:
            _show_error(form, error)
        else:
            return _outcome(
                bool(changed),
                _("Goal template %(title)s saved.", title=template.title),
                _("Goal template %(title)s was already like this.", title=template.title),
                template.topic_id,
            )
    return render_template(
        "curriculum/goal_template_form.html", form=form, topic=template.topic, template=template
    )


@bp.route(
    "/goal-templates/<int:template_id>/retire", methods=["POST"], endpoint="retire_goal_template"
)
@roles_required(Role.ADMIN)
def retire_goal_template_view(template_id: int):
    """Retire a goal template: participants stop seeing it."""
    template = get_or_403(GoalTemplate, template_id, "retire")
    return _outcome(
        retire_goal_template(template, actor=_actor()),
        _("Goal template %(title)s retired.", title=template.title),
        _("Goal template %(title)s was already retired.", title=template.title),
        template.topic_id,
    )


@bp.route(
    "/goal-templates/<int:template_id>/restore", methods=["POST"], endpoint="restore_goal_template"
)
@roles_required(Role.ADMIN)
def restore_goal_template_view(template_id: int):
    """Offer a retired goal template again."""
    template = get_or_403(GoalTemplate, template_id, "restore")
    return _outcome(
        restore_goal_template(template, actor=_actor()),
        _("Goal template %(title)s restored.", title=template.title),
        _("Goal template %(title)s was not retired.", title=template.title),
        template.topic_id,
    )
