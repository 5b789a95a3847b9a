"""The reports' tables and indexes (migration 0009).

The summary tables `report_pair_month` and `report_pair_total` live in `reports.summary`,
with what keeps them up to date. The indexes are declared here, against the meetings'
tables, so that the models and the migrations agree and the reports' needs stay
documented next to them.
"""

from __future__ import annotations

from sqlalchemy import Index, true

from mentoring.meetings.models import Meeting, MeetingLog
from mentoring.reports.summary import PairMonth, PairTotal

__all__ = [
    "PairMonth",
    "PairTotal",
    "MEETING_START_INDEX",
    "MEETING_LOG_RATING_INDEX",
    "SHARED_FEEDBACK_INDEX",
]

# Meetings of the partial months at the edges of a date range: read from the index alone.
MEETING_START_INDEX = Index(
    "ix_meeting_start_at_status_pair_id", Meeting.start_at, Meeting.status, Meeting.pair_id
)
# A member's rating of a meeting (partial months, recounts): read from the index alone.
MEETING_LOG_RATING_INDEX = Index(
    "ix_meeting_log_meeting_id_author_id_rating",
    MeetingLog.meeting_id,
    MeetingLog.author_id,
    MeetingLog.rating,
)
# The few logs whose feedback HR may read, without reading every log.
SHARED_FEEDBACK_INDEX = Index(
    "ix_meeting_log_shared_feedback",
    MeetingLog.meeting_id,
    sqlite_where=MeetingLog.feedback_shareable == true(),
    postgresql_where=MeetingLog.feedback_shareable == true(),
)
