"""Import every domain's models so the metadata (and Alembic) knows all tables."""

from mentoring.audit.models import AuditEvent
from mentoring.cohorts.models import Cohort, Enrollment, EnrollmentTopic, cohort_topic
from mentoring.curriculum.models import GoalTemplate, GoalTemplateMilestone, Topic
from mentoring.people.models import Person, PersonRole

__all__ = [
    "AuditEvent",
    "Cohort",
    "Enrollment",
    "EnrollmentTopic",
    "GoalTemplate",
    "GoalTemplateMilestone",
    "Person",
    "PersonRole",
    "Topic",
    "cohort_topic",
]
