"""Cohort settings for matching and reports; cancelled cohorts

A cohort's minimum acceptable score (0-100: the engine never proposes a pair under
it), its at-risk grace period (days past the cadence before a pair counts as at
risk in the reports), the terminal state "cancelled" for a cohort that will not
run, and the end reason "cohort_cancelled" for the pairs it ends.

Revision ID: 0006_cohort_settings
Revises: 0005_goals
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_cohort_settings'
down_revision = '0005_goals'
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('draft', 'matching', 'active', 'closed')"
NEW_STATUSES = "status IN ('draft', 'matching', 'active', 'closed', 'cancelled')"
OLD_REASONS = (
    "end_reason IS NULL OR end_reason IN "
    "('completed', 'not_a_fit', 'left_company', 'no_time', 'other')"
)
NEW_REASONS = (
    "end_reason IS NULL OR end_reason IN "
    "('completed', 'not_a_fit', 'left_company', 'no_time', 'other', 'cohort_cancelled')"
)


def upgrade():
    """Add the two cohort settings and widen the status and end-reason checks."""
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_score', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('at_risk_grace_days', sa.Integer(), nullable=False, server_default='7'))
        batch_op.drop_constraint(batch_op.f('ck_cohort_status_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_cohort_status_known'), NEW_STATUSES)
        batch_op.create_check_constraint(batch_op.f('ck_cohort_min_score_range'), 'min_score BETWEEN 0 AND 100')
        batch_op.create_check_constraint(batch_op.f('ck_cohort_grace_days_not_negative'), 'at_risk_grace_days >= 0')
    with op.batch_alter_table('pair', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_pair_end_reason_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_pair_end_reason_known'), NEW_REASONS)


def downgrade():
    """Drop the settings and narrow the checks back (cancelled rows must be gone first)."""
    with op.batch_alter_table('pair', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_pair_end_reason_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_pair_end_reason_known'), OLD_REASONS)
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cohort_grace_days_not_negative'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_cohort_min_score_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_cohort_status_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_cohort_status_known'), OLD_STATUSES)
        batch_op.drop_column('at_risk_grace_days')
        batch_op.drop_column('min_score')
