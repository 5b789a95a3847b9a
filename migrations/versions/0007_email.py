"""Email: the outbox and each person's email preferences

Every email is a row of `notification`, written in the transaction of the change
that causes it; its unique dedupe key makes each notification happen once per
trigger. `email_preference` holds who turned reminders or nudges off (no row: on).
`invitation.emailed_at` tells the invitations that were emailed from those only copied.

Revision ID: 0007_email
Revises: 0006_cohort_settings
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_email'
down_revision = '0006_cohort_settings'
branch_labels = None
depends_on = None


def upgrade():
    """Create the outbox and the preferences; note when an invitation was emailed."""
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'notification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('recipient_id', sa.Integer(), nullable=True),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('subject_type', sa.String(length=40), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=True),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'sent', 'failed', 'skipped')", name=op.f('ck_notification_state_known')),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_notification_attempts_not_negative')),
        sa.ForeignKeyConstraint(['recipient_id'], ['person.id'], name=op.f('fk_notification_recipient_id_person'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_notification_dedupe_key')),
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index('ix_notification_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_notification_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table(
        'email_preference',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('reminders', sa.Boolean(), nullable=False),
        sa.Column('nudges', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_email_preference_person_id_person'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('person_id', name=op.f('pk_email_preference')),
    )


def downgrade():
    """Drop the preferences and the outbox."""
    op.drop_table('email_preference')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_subject')
        batch_op.drop_index('ix_notification_state_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_notification_recipient_id'))
    op.drop_table('notification')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('emailed_at')
