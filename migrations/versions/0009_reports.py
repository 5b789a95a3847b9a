"""Reports: indexes for the report queries (placeholder: filled in by the reports work)

Revision ID: 0009_reports
Revises: 0008_trust
Create Date: 2026-11-25

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0009_reports'
down_revision = '0008_trust'
branch_labels = None
depends_on = None


def upgrade():
    """Nothing yet."""


def downgrade():
    """Nothing yet."""
