"""Reports: the summaries of meetings per pair and month and per pair, and the report queries' indexes

Revision ID: 0009_reports
Revises: 0008_trust
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_reports'
down_revision = '0008_trust'
branch_labels = None
depends_on = None

RATED = [f'{side}_rated_{rating}' for side in ('mentee', 'mentor') for rating in range(1, 6)]


def upgrade():
    """Create the pair-month and pair summaries (filled from existing meetings) and the
    indexes."""
    op.create_table(
        'report_pair_month',
        sa.Column('pair_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('held', sa.Integer(), nullable=False),
        sa.Column('no_show', sa.Integer(), nullable=False),
        sa.Column('cancelled', sa.Integer(), nullable=False),
        sa.Column('first_held_at', sa.DateTime(timezone=True), nullable=True),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in RATED],
        sa.ForeignKeyConstraint(
            ['pair_id'], ['pair.id'],
            name=op.f('fk_report_pair_month_pair_id_pair'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('pair_id', 'month', name=op.f('pk_report_pair_month')),
    )
    op.create_table(
        'report_pair_total',
        sa.Column('pair_id', sa.Integer(), nullable=False),
        sa.Column('held', sa.Integer(), nullable=False),
        sa.Column('no_show', sa.Integer(), nullable=False),
        sa.Column('cancelled', sa.Integer(), nullable=False),
        sa.Column('first_held_at', sa.DateTime(timezone=True), nullable=True),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in RATED],
        sa.ForeignKeyConstraint(
            ['pair_id'], ['pair.id'],
            name=op.f('fk_report_pair_total_pair_id_pair'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('pair_id', name=op.f('pk_report_pair_total')),
    )
    op.create_index(
        'ix_meeting_start_at_status_pair_id', 'meeting', ['start_at', 'status', 'pair_id']
    )
    op.create_index(
        'ix_meeting_log_meeting_id_author_id_rating',
        'meeting_log',
        ['meeting_id', 'author_id', 'rating'],
    )
    op.create_index(
        'ix_meeting_log_shared_feedback',
        'meeting_log',
        ['meeting_id'],
        sqlite_where=sa.text('feedback_shareable = 1'),
        postgresql_where=sa.text('feedback_shareable = true'),
    )
    # Existing meetings: the summary starts equal to them (the app then keeps it so, and
    # `flask reports rebuild-summary` recounts it with the same aggregate).
    sqlite = op.get_bind().dialect.name == 'sqlite'
    month = (
        "strftime('%Y-%m-01', m.start_at)"
        if sqlite
        else "CAST(date_trunc('month', timezone('UTC', m.start_at)) AS date)"
    )
    rated = ', '.join(
        f"count(CASE WHEN r.{side} = {rating} THEN 1 END)"
        for side in ('mentee', 'mentor')
        for rating in range(1, 6)
    )
    op.execute(
        f"""
        INSERT INTO report_pair_month
            (pair_id, month, held, no_show, cancelled, first_held_at, {', '.join(RATED)})
        SELECT m.pair_id, {month},
            count(CASE WHEN m.status = 'held' THEN 1 END),
            count(CASE WHEN m.status = 'no_show' THEN 1 END),
            count(CASE WHEN m.status = 'cancelled' THEN 1 END),
            min(CASE WHEN m.status = 'held' THEN m.start_at END),
            {rated}
        FROM meeting AS m
        LEFT OUTER JOIN (
            SELECT l.meeting_id,
                max(CASE WHEN l.author_id = ee.person_id THEN l.rating END) AS mentee,
                max(CASE WHEN l.author_id = oe.person_id THEN l.rating END) AS mentor
            FROM meeting_log AS l
            JOIN meeting AS lm ON lm.id = l.meeting_id
            JOIN pair AS p ON p.id = lm.pair_id
            JOIN enrollment AS ee ON ee.id = p.mentee_enrollment_id
            JOIN enrollment AS oe ON oe.id = p.mentor_enrollment_id
            WHERE l.rating IS NOT NULL
            GROUP BY l.meeting_id
        ) AS r ON r.meeting_id = m.id
        GROUP BY m.pair_id, {month}
        """  # noqa: S608 - no input: column names and SQL written here
    )
    counted = ['held', 'no_show', 'cancelled', *RATED]
    op.execute(
        f"""
        INSERT INTO report_pair_total (pair_id, {', '.join(counted)}, first_held_at)
        SELECT pair_id, {', '.join(f'sum({name})' for name in counted)}, min(first_held_at)
        FROM report_pair_month
        GROUP BY pair_id
        """  # noqa: S608 - no input: column names and SQL written here
    )


def downgrade():
    """Drop the report indexes and the summaries."""
    op.drop_index('ix_meeting_log_shared_feedback', table_name='meeting_log')
    op.drop_index('ix_meeting_log_meeting_id_author_id_rating', table_name='meeting_log')
    op.drop_index('ix_meeting_start_at_status_pair_id', table_name='meeting')
    op.drop_table('report_pair_total')
    op.drop_table('report_pair_month')
