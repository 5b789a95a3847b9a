"""Meetings: series, meetings, meeting logs with their topics, and calendar feed tokens

A meeting stores its times in UTC with a stable calendar UID and a sequence; the
database checks its duration (1 to 480 minutes), that it ends after it starts, and
its status. One log per meeting and author. Feed tokens keep only a hash of the secret.

Revision ID: 0004_meetings
Revises: 0003_matching
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_meetings'
down_revision = '0003_matching'
branch_labels = None
depends_on = None


def upgrade():
    """Create the meeting tables."""
    op.create_table('feed_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reset_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_feed_token_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_token')),
    sa.UniqueConstraint('person_id', name=op.f('uq_feed_token_person_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_token_token_hash'))
    )
    op.create_table('meeting_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('every_weeks', sa.Integer(), nullable=False),
    sa.Column('occurrences', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('every_weeks BETWEEN 1 AND 12', name=op.f('ck_meeting_series_every_weeks_range')),
    sa.CheckConstraint('occurrences BETWEEN 2 AND 26', name=op.f('ck_meeting_series_occurrences_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_meeting_series_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], name=op.f('fk_meeting_series_pair_id_pair'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_series'))
    )
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_series_pair_id'), ['pair_id'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('series_position', sa.Integer(), nullable=True),
    sa.Column('uid', sa.String(length=120), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('agenda_private', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=False),
    sa.Column('declined', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name=op.f('ck_meeting_cancelled_at_iff_cancelled')),
    sa.CheckConstraint("status IN ('proposed', 'confirmed', 'held', 'no_show', 'cancelled')", name=op.f('ck_meeting_status_known')),
    sa.CheckConstraint('duration_minutes BETWEEN 1 AND 480', name=op.f('ck_meeting_duration_range')),
    sa.CheckConstraint('end_at > start_at', name=op.f('ck_meeting_ends_after_start')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_meeting_sequence_not_negative')),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['person.id'], name=op.f('fk_meeting_cancelled_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], name=op.f('fk_meeting_pair_id_pair'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['person.id'], name=op.f('fk_meeting_proposed_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['meeting_series.id'], name=op.f('fk_meeting_series_id_meeting_series'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting')),
    sa.UniqueConstraint('uid', name=op.f('uq_meeting_uid'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_pair_id_start_at', ['pair_id', 'start_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_series_id'), ['series_id'], unique=False)

    op.create_table('meeting_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('actual_minutes', sa.Integer(), nullable=True),
    sa.Column('private_notes', sa.Text(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('feedback_shareable', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome <> 'held' OR (actual_minutes IS NOT NULL AND rating IS NOT NULL)", name=op.f('ck_meeting_log_held_has_duration_and_rating')),
    sa.CheckConstraint("outcome IN ('held', 'no_show')", name=op.f('ck_meeting_log_outcome_known')),
    sa.CheckConstraint('actual_minutes IS NULL OR actual_minutes BETWEEN 1 AND 480', name=op.f('ck_meeting_log_actual_minutes_range')),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_meeting_log_rating_range')),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_meeting_log_author_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_log_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_log')),
    sa.UniqueConstraint('meeting_id', 'author_id', name=op.f('uq_meeting_log_meeting_id_author_id'))
    )
    with op.batch_alter_table('meeting_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_log_author_id'), ['author_id'], unique=False)

    op.create_table('meeting_log_topic',
    sa.Column('log_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['log_id'], ['meeting_log.id'], name=op.f('fk_meeting_log_topic_log_id_meeting_log'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_meeting_log_topic_topic_id_topic'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('log_id', 'topic_id', name=op.f('pk_meeting_log_topic'))
    )


def downgrade():
    """Drop them."""
    op.drop_table('meeting_log_topic')
    with op.batch_alter_table('meeting_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_log_author_id'))

    op.drop_table('meeting_log')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_series_id'))
        batch_op.drop_index('ix_meeting_pair_id_start_at')

    op.drop_table('meeting')
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_series_pair_id'))

    op.drop_table('meeting_series')
    op.drop_table('feed_token')
