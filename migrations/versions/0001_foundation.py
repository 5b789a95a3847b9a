"""Foundation: people, roles, cohorts, enrollments, curriculum, audit

The core tables the first issues need: people and their roles, cohorts and
enrollments with their topics, the curriculum (topics, goal templates, milestones)
and audit events.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_foundation'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    """Create the foundation tables."""
    op.create_table('cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('cadence_days', sa.Integer(), nullable=False),
    sa.Column('target_meetings', sa.Integer(), nullable=False),
    sa.Column('min_seniority_gap', sa.Integer(), nullable=False),
    sa.Column('allow_repeat_pairs', sa.Boolean(), nullable=False),
    sa.Column('meeting_format', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("meeting_format IN ('video', 'in_person', 'hybrid')", name=op.f('ck_cohort_meeting_format_known')),
    sa.CheckConstraint("status IN ('draft', 'matching', 'active', 'closed')", name=op.f('ck_cohort_status_known')),
    sa.CheckConstraint('cadence_days > 0', name=op.f('ck_cohort_cadence_positive')),
    sa.CheckConstraint('end_date > start_date', name=op.f('ck_cohort_ends_after_start')),
    sa.CheckConstraint('min_seniority_gap >= 0', name=op.f('ck_cohort_seniority_gap_not_negative')),
    sa.CheckConstraint('target_meetings > 0', name=op.f('ck_cohort_target_meetings_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort')),
    sa.UniqueConstraint('name', name=op.f('uq_cohort_name'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('department', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('seniority_level', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('site', sa.String(length=120), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_person_email_lowercase')),
    sa.CheckConstraint('manager_id IS NULL OR manager_id <> id', name=op.f('ck_person_not_own_manager')),
    sa.CheckConstraint('seniority_level BETWEEN 1 AND 10', name=op.f('ck_person_seniority_level_range')),
    sa.ForeignKeyConstraint(['manager_id'], ['person.id'], name=op.f('fk_person_manager_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('email', name=op.f('uq_person_email'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_manager_id'), ['manager_id'], unique=False)

    op.create_table('topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic')),
    sa.UniqueConstraint('name', name=op.f('uq_topic_name'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], name=op.f('fk_audit_event_actor_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_created_at'), ['created_at'], unique=False)

    op.create_table('cohort_topic',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_cohort_topic_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_cohort_topic_topic_id_topic'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('cohort_id', 'topic_id', name=op.f('pk_cohort_topic'))
    )
    op.create_table('enrollment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("side IN ('mentor', 'mentee')", name=op.f('ck_enrollment_side_known')),
    sa.CheckConstraint("status IN ('active', 'withdrawn')", name=op.f('ck_enrollment_status_known')),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_enrollment_capacity_positive')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_enrollment_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_enrollment_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment')),
    sa.UniqueConstraint('cohort_id', 'person_id', name=op.f('uq_enrollment_cohort_id_person_id'))
    )
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_person_id'), ['person_id'], unique=False)

    op.create_table('goal_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('evidence_kind', sa.String(length=16), nullable=False),
    sa.Column('evidence_hint', sa.String(length=255), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("audience IN ('mentee', 'mentor')", name=op.f('ck_goal_template_audience_known')),
    sa.CheckConstraint("evidence_kind IN ('none', 'url', 'yes_no', 'note')", name=op.f('ck_goal_template_evidence_kind_known')),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_goal_template_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_template')),
    sa.UniqueConstraint('title', name=op.f('uq_goal_template_title'))
    )
    with op.batch_alter_table('goal_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_template_topic_id'), ['topic_id'], unique=False)

    op.create_table('person_role',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'mentor', 'mentee', 'leader')", name=op.f('ck_person_role_role_known')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_role_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'role', name=op.f('pk_person_role'))
    )
    op.create_table('enrollment_topic',
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_enrollment_topic_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_enrollment_topic_topic_id_topic'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('enrollment_id', 'topic_id', name=op.f('pk_enrollment_topic'))
    )
    op.create_table('goal_template_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_template_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['goal_template_id'], ['goal_template.id'], name=op.f('fk_goal_template_milestone_goal_template_id_goal_template'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_template_milestone')),
    sa.UniqueConstraint('goal_template_id', 'position', name=op.f('uq_goal_template_milestone_goal_template_id_position'))
    )


def downgrade():
    """Drop the foundation tables, dependents first."""
    op.drop_table('goal_template_milestone')
    op.drop_table('enrollment_topic')
    op.drop_table('person_role')
    with op.batch_alter_table('goal_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_template_topic_id'))

    op.drop_table('goal_template')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_person_id'))

    op.drop_table('enrollment')
    op.drop_table('cohort_topic')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    op.drop_table('topic')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_manager_id'))

    op.drop_table('person')
    op.drop_table('cohort')
