"""Matching: runs, proposals, unmatched people, forbidden pairs and published pairs

Also the cohort's matching weights. A pair is unique per mentor and mentee, and a
mentee has at most one active pair (a partial unique index).

Revision ID: 0003_matching
Revises: 0002_invitations_imports
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_matching'
down_revision = '0002_invitations_imports'
branch_labels = None
depends_on = None


def upgrade():
    """Create the matching tables and add the cohort's weights."""
    op.create_table('match_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('total_score', sa.Double(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'superseded')", name=op.f('ck_match_run_status_known')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_match_run_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_match_run_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['person.id'], name=op.f('fk_match_run_published_by_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_run'))
    )
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_run_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('forbidden_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('mentee_enrollment_id', sa.Integer(), nullable=False),
    sa.Column('mentor_enrollment_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_forbidden_pair_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_forbidden_pair_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentee_enrollment_id'], ['enrollment.id'], name=op.f('fk_forbidden_pair_mentee_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_enrollment_id'], ['enrollment.id'], name=op.f('fk_forbidden_pair_mentor_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forbidden_pair')),
    sa.UniqueConstraint('mentee_enrollment_id', 'mentor_enrollment_id', name=op.f('uq_forbidden_pair_mentee_enrollment_id_mentor_enrollment_id'))
    )
    with op.batch_alter_table('forbidden_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forbidden_pair_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('match_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('mentee_enrollment_id', sa.Integer(), nullable=False),
    sa.Column('mentor_enrollment_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('breakdown', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('manual', sa.Boolean(), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f('ck_match_proposal_score_range')),
    sa.ForeignKeyConstraint(['mentee_enrollment_id'], ['enrollment.id'], name=op.f('fk_match_proposal_mentee_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_enrollment_id'], ['enrollment.id'], name=op.f('fk_match_proposal_mentor_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['match_run.id'], name=op.f('fk_match_proposal_run_id_match_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_proposal')),
    sa.UniqueConstraint('run_id', 'mentee_enrollment_id', name=op.f('uq_match_proposal_run_id_mentee_enrollment_id'))
    )
    with op.batch_alter_table('match_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_proposal_mentee_enrollment_id'), ['mentee_enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_mentor_enrollment_id'), ['mentor_enrollment_id'], unique=False)

    op.create_table('match_unmatched',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_match_unmatched_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['match_run.id'], name=op.f('fk_match_unmatched_run_id_match_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_unmatched')),
    sa.UniqueConstraint('run_id', 'enrollment_id', name=op.f('uq_match_unmatched_run_id_enrollment_id'))
    )
    op.create_table('pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('mentee_enrollment_id', sa.Integer(), nullable=False),
    sa.Column('mentor_enrollment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('match_run_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=32), nullable=True),
    sa.Column('end_note', sa.String(length=500), nullable=False),
    sa.CheckConstraint("(status = 'ended') = (ended_at IS NOT NULL)", name=op.f('ck_pair_ended_at_iff_ended')),
    sa.CheckConstraint("end_reason IS NULL OR end_reason IN ('completed', 'not_a_fit', 'left_company', 'no_time', 'other')", name=op.f('ck_pair_end_reason_known')),
    sa.CheckConstraint("status IN ('active', 'ended')", name=op.f('ck_pair_status_known')),
    sa.CheckConstraint('mentee_enrollment_id <> mentor_enrollment_id', name=op.f('ck_pair_two_people')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_pair_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['match_run_id'], ['match_run.id'], name=op.f('fk_pair_match_run_id_match_run'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentee_enrollment_id'], ['enrollment.id'], name=op.f('fk_pair_mentee_enrollment_id_enrollment'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['mentor_enrollment_id'], ['enrollment.id'], name=op.f('fk_pair_mentor_enrollment_id_enrollment'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pair')),
    sa.UniqueConstraint('mentee_enrollment_id', 'mentor_enrollment_id', name=op.f('uq_pair_mentee_enrollment_id_mentor_enrollment_id'))
    )
    with op.batch_alter_table('pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pair_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pair_mentee_enrollment_id'), ['mentee_enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pair_mentor_enrollment_id'), ['mentor_enrollment_id'], unique=False)
        batch_op.create_index('uq_pair_one_active_per_mentee', ['mentee_enrollment_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('match_weights', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))



def downgrade():
    """Drop them."""
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_column('match_weights')

    with op.batch_alter_table('pair', schema=None) as batch_op:
        batch_op.drop_index('uq_pair_one_active_per_mentee', sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
        batch_op.drop_index(batch_op.f('ix_pair_mentor_enrollment_id'))
        batch_op.drop_index(batch_op.f('ix_pair_mentee_enrollment_id'))
        batch_op.drop_index(batch_op.f('ix_pair_cohort_id'))

    op.drop_table('pair')
    op.drop_table('match_unmatched')
    with op.batch_alter_table('match_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_proposal_mentor_enrollment_id'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_mentee_enrollment_id'))

    op.drop_table('match_proposal')
    with op.batch_alter_table('forbidden_pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forbidden_pair_cohort_id'))

    op.drop_table('forbidden_pair')
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_run_cohort_id'))

    op.drop_table('match_run')
