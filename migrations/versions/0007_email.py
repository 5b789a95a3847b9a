"""Email: the outbox and notification preferences (placeholder: filled in by the email work)

Revision ID: 0007_email
Revises: 0006_cohort_settings
Create Date: 2026-11-25

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0007_email'
down_revision = '0006_cohort_settings'
branch_labels = None
depends_on = None


def upgrade():
    """Nothing yet."""


def downgrade():
    """Nothing yet."""
