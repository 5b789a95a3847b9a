"""Import every domain's models so the metadata (and Alembic) knows all tables."""

from mentoring.audit.models import AuditEvent
from mentoring.auth.models import Invitation
from mentoring.cohorts.models import (
    Cohort,
    Enrollment,
    EnrollmentTopic,
    ParticipantImport,
    cohort_topic,
)
from mentoring.curriculum.models import GoalTemplate, GoalTemplateMilestone, Topic
from mentoring.goals.models import Goal, GoalMilestone, SelfAssessment
from mentoring.matching.models import (
    ForbiddenPair,
    MatchProposal,
    MatchRun,
    MatchUnmatched,
    Pair,
)
from mentoring.meetings.models import (  # noqa: F401
    FeedToken,
    Meeting,
    MeetingLog,
    MeetingSeries,
    meeting_log_topic,
)
from mentoring.notifications.models import EmailPreference, Notification
from mentoring.people.models import Person, PersonRole
from mentoring.reports import models as _report_indexes  # noqa: F401 - indexes
from mentoring.trust.models import (  # noqa: F401
    AgreementAcceptance,
    CohortAgreement,
    EndRequest,
    PersonErasure,
)

__all__ = [
    "AuditEvent",
    "Cohort",
    "Enrollment",
    "EnrollmentTopic",
    "GoalTemplate",
    "GoalTemplateMilestone",
    "Goal",
    "GoalMilestone",
    "SelfAssessment",
    "ForbiddenPair",
    "EmailPreference",
    "Invitation",
    "Notification",
    "MatchProposal",
    "MatchRun",
    "MatchUnmatched",
    "Pair",
    "ParticipantImport",
    "Person",
    "PersonRole",
    "Topic",
    "cohort_topic",
]
