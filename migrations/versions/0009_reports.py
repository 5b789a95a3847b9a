"""Reports: covering indexes for the report queries

Revision ID: 0009_reports
Revises: 0008_trust
Create Date: 2026-11-25

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_reports'
down_revision = '0008_trust'
branch_labels = None
depends_on = None


def upgrade():
    """Index meetings by status and pair, and logs by meeting with their rating and author."""
    op.create_index(
        'ix_meeting_status_pair_id_start_at', 'meeting', ['status', 'pair_id', 'start_at']
    )
    op.create_index(
        'ix_meeting_log_meeting_id_rating_author_id',
        'meeting_log',
        ['meeting_id', 'rating', 'author_id'],
    )


def downgrade():
    """Drop the report indexes."""
    op.drop_index('ix_meeting_log_meeting_id_rating_author_id', table_name='meeting_log')
    op.drop_index('ix_meeting_status_pair_id_start_at', table_name='meeting')
