"""Trust: pair agreements, end requests, erasure (placeholder: filled in by the trust work)

Revision ID: 0008_trust
Revises: 0007_email
Create Date: 2026-11-25

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0008_trust'
down_revision = '0007_email'
branch_labels = None
depends_on = None


def upgrade():
    """Nothing yet."""


def downgrade():
    """Nothing yet."""
