"""Goals: learning goals of both sides of a pair, their milestones, and self-assessments

A goal is done exactly when it has a completion time and, when its kind asks for it,
evidence; a dropped goal has a reason; a proposal not yet accepted has not started.
One goal per template and owner in a pair. Confidence ratings are 1 to 5, one per
enrollment, topic and phase (start or end). meeting_log_goal records which goals a
meeting log advanced (so this revision comes after 0004_meetings).

Revision ID: 0005_goals
Revises: 0004_meetings
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_goals'
# After the meetings revision: meeting_log_goal refers to its meeting_log table.
down_revision = '0004_meetings'
branch_labels = None
depends_on = None


def upgrade():
    """Create the goal, goal_milestone, meeting_log_goal and self_assessment tables."""
    op.create_table('self_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=8), nullable=False),
    sa.Column('confidence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("phase IN ('start', 'end')", name=op.f('ck_self_assessment_phase_known')),
    sa.CheckConstraint('confidence BETWEEN 1 AND 5', name=op.f('ck_self_assessment_confidence_range')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_self_assessment_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_self_assessment_topic_id_topic'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_assessment')),
    sa.UniqueConstraint('enrollment_id', 'topic_id', 'phase', name=op.f('uq_self_assessment_enrollment_id_topic_id_phase'))
    )
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_assessment_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_assessment_topic_id'), ['topic_id'], unique=False)

    op.create_table('goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('owner_enrollment_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('drop_reason', sa.String(length=500), nullable=False),
    sa.Column('evidence_kind', sa.String(length=16), nullable=False),
    sa.Column('evidence_hint', sa.String(length=255), nullable=False),
    sa.Column('evidence_url', sa.String(length=500), nullable=False),
    sa.Column('evidence_attested', sa.Boolean(), nullable=False),
    sa.Column('evidence_note', sa.Text(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('proposed_by_enrollment_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'done') = (completed_at IS NOT NULL)", name=op.f('ck_goal_completed_iff_done')),
    sa.CheckConstraint("evidence_kind IN ('none', 'url', 'yes_no', 'note')", name=op.f('ck_goal_evidence_kind_known')),
    sa.CheckConstraint("proposed_by_enrollment_id IS NULL OR accepted_at IS NOT NULL OR status = 'not_started'", name=op.f('ck_goal_pending_not_started')),
    sa.CheckConstraint("status <> 'done' OR evidence_kind = 'none' OR (evidence_kind = 'url' AND evidence_url <> '') OR (evidence_kind = 'yes_no' AND evidence_attested) OR (evidence_kind = 'note' AND evidence_note <> '')", name=op.f('ck_goal_done_has_evidence')),
    sa.CheckConstraint("status <> 'dropped' OR drop_reason <> ''", name=op.f('ck_goal_dropped_has_reason')),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'done', 'dropped')", name=op.f('ck_goal_status_known')),
    sa.CheckConstraint("title <> ''", name=op.f('ck_goal_title_not_empty')),
    sa.ForeignKeyConstraint(['owner_enrollment_id'], ['enrollment.id'], name=op.f('fk_goal_owner_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], name=op.f('fk_goal_pair_id_pair'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_enrollment_id'], ['enrollment.id'], name=op.f('fk_goal_proposed_by_enrollment_id_enrollment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['goal_template.id'], name=op.f('fk_goal_template_id_goal_template'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_goal_topic_id_topic'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal')),
    sa.UniqueConstraint('pair_id', 'owner_enrollment_id', 'template_id', name=op.f('uq_goal_pair_id_owner_enrollment_id_template_id'))
    )
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_owner_enrollment_id'), ['owner_enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_template_id'), ['template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_topic_id'), ['topic_id'], unique=False)

    op.create_table('goal_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_goal_milestone_goal_id_goal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_milestone')),
    sa.UniqueConstraint('goal_id', 'position', name=op.f('uq_goal_milestone_goal_id_position'))
    )
    op.create_table('meeting_log_goal',
    sa.Column('meeting_log_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_meeting_log_goal_goal_id_goal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_log_id'], ['meeting_log.id'], name=op.f('fk_meeting_log_goal_meeting_log_id_meeting_log'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_log_id', 'goal_id', name=op.f('pk_meeting_log_goal'))
    )
    with op.batch_alter_table('meeting_log_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_log_goal_goal_id'), ['goal_id'], unique=False)


def downgrade():
    """Drop them."""
    with op.batch_alter_table('meeting_log_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_log_goal_goal_id'))

    op.drop_table('meeting_log_goal')
    op.drop_table('goal_milestone')
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_topic_id'))
        batch_op.drop_index(batch_op.f('ix_goal_template_id'))
        batch_op.drop_index(batch_op.f('ix_goal_owner_enrollment_id'))

    op.drop_table('goal')
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_assessment_topic_id'))
        batch_op.drop_index(batch_op.f('ix_self_assessment_enrollment_id'))

    op.drop_table('self_assessment')
