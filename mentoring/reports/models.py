"""Indexes the report queries need (migration 0009): the reports own no table.

Declared here, against the meetings' tables, so that the models and the migrations
agree and the reports' needs stay documented next to the reports.
"""

from __future__ import annotations

from sqlalchemy import Index

from mentoring.meetings.models import Meeting, MeetingLog

# Held meetings per pair and month, first meetings, outcomes: read from the index alone.
MEETING_STATUS_INDEX = Index(
    "ix_meeting_status_pair_id_start_at", Meeting.status, Meeting.pair_id, Meeting.start_at
)
# Ratings per author and meeting: read from the index alone.
MEETING_LOG_RATING_INDEX = Index(
    "ix_meeting_log_meeting_id_rating_author_id",
    MeetingLog.meeting_id,
    MeetingLog.rating,
    MeetingLog.author_id,
)
