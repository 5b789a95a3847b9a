"""English and French: a person's language, the curriculum's French text

Revision ID: 0010_i18n
Revises: 0009_reports
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_i18n'
down_revision = '0009_reports'
branch_labels = None
depends_on = None


def upgrade():
    """Add Person.locale and the French columns of cohorts, topics, goal templates and milestones."""
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_person_locale_known'), "locale IS NULL OR locale IN ('en', 'fr')"
        )
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description_fr', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_fr', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('description_fr', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('goal_template', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_fr', sa.String(length=160), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('description_fr', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('evidence_hint_fr', sa.String(length=255), nullable=False, server_default=''))
    with op.batch_alter_table('goal_template_milestone', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_fr', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    """Drop the French columns and the person's language."""
    with op.batch_alter_table('goal_template_milestone', schema=None) as batch_op:
        batch_op.drop_column('title_fr')
    with op.batch_alter_table('goal_template', schema=None) as batch_op:
        batch_op.drop_column('evidence_hint_fr')
        batch_op.drop_column('description_fr')
        batch_op.drop_column('title_fr')
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.drop_column('description_fr')
        batch_op.drop_column('name_fr')
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_column('description_fr')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_person_locale_known'), type_='check')
        batch_op.drop_column('locale')
