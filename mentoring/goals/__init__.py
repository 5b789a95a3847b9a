"""Learning goals of both sides of a pair, with milestones and evidence; self-assessment."""

from flask import Blueprint

bp = Blueprint("goals", __name__)

# Meetings' logs advance goals without importing goals (it sits below): hand it ours.
from mentoring.goals import progress as _progress  # noqa: E402
from mentoring.meetings import goal_links as _goal_links  # noqa: E402

_goal_links.register(_progress)
