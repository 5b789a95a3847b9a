"""Trust: pair agreements and their acceptances, requests to end a pair, erasures

Revision ID: 0008_trust
Revises: 0007_email
Create Date: 2026-11-25

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_trust'
down_revision = '0007_email'
branch_labels = None
depends_on = None


def upgrade():
    """Add the agreement, acceptance, end-request and erasure tables."""
    op.create_table(
        'cohort_agreement',
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('version >= 1', name=op.f('ck_cohort_agreement_version_positive')),
        sa.CheckConstraint("body <> ''", name=op.f('ck_cohort_agreement_body_not_empty')),
        sa.ForeignKeyConstraint(
            ['cohort_id'], ['cohort.id'],
            name=op.f('fk_cohort_agreement_cohort_id_cohort'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['person.id'],
            name=op.f('fk_cohort_agreement_updated_by_id_person'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('cohort_id', name=op.f('pk_cohort_agreement')),
    )
    op.create_table(
        'agreement_acceptance',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pair_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('version >= 1', name=op.f('ck_agreement_acceptance_version_positive')),
        sa.ForeignKeyConstraint(
            ['pair_id'], ['pair.id'],
            name=op.f('fk_agreement_acceptance_pair_id_pair'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['person_id'], ['person.id'],
            name=op.f('fk_agreement_acceptance_person_id_person'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_acceptance')),
        sa.UniqueConstraint(
            'pair_id', 'person_id', 'version',
            name=op.f('uq_agreement_acceptance_pair_id_person_id_version'),
        ),
    )
    op.create_index(
        op.f('ix_agreement_acceptance_person_id'), 'agreement_acceptance', ['person_id']
    )
    op.create_table(
        'end_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pair_id', sa.Integer(), nullable=False),
        sa.Column('requester_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolution', sa.String(length=16), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('ended', 'kept')",
            name=op.f('ck_end_request_resolution_known'),
        ),
        sa.CheckConstraint(
            '(resolution IS NULL) = (resolved_at IS NULL)',
            name=op.f('ck_end_request_resolved_at_iff_resolved'),
        ),
        sa.ForeignKeyConstraint(
            ['pair_id'], ['pair.id'], name=op.f('fk_end_request_pair_id_pair'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['requester_id'], ['person.id'],
            name=op.f('fk_end_request_requester_id_person'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['resolved_by_id'], ['person.id'],
            name=op.f('fk_end_request_resolved_by_id_person'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_end_request')),
    )
    op.create_index(op.f('ix_end_request_pair_id'), 'end_request', ['pair_id'])
    op.create_index(op.f('ix_end_request_requester_id'), 'end_request', ['requester_id'])
    op.create_index(
        'uq_end_request_one_open',
        'end_request',
        ['pair_id', 'requester_id'],
        unique=True,
        sqlite_where=sa.text('resolution IS NULL'),
        postgresql_where=sa.text('resolution IS NULL'),
    )
    op.create_table(
        'person_erasure',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('erased_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['person_id'], ['person.id'],
            name=op.f('fk_person_erasure_person_id_person'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['erased_by_id'], ['person.id'],
            name=op.f('fk_person_erasure_erased_by_id_person'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('person_id', name=op.f('pk_person_erasure')),
    )


def downgrade():
    """Drop the trust tables."""
    op.drop_table('person_erasure')
    op.drop_index('uq_end_request_one_open', table_name='end_request')
    op.drop_index(op.f('ix_end_request_requester_id'), table_name='end_request')
    op.drop_index(op.f('ix_end_request_pair_id'), table_name='end_request')
    op.drop_table('end_request')
    op.drop_index(op.f('ix_agreement_acceptance_person_id'), table_name='agreement_acceptance')
    op.drop_table('agreement_acceptance')
    op.drop_table('cohort_agreement')
