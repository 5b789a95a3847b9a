"""Learning goals of both sides of a pair, with milestones and evidence; self-assessment."""

from flask import Blueprint

bp = Blueprint("goals", __name__)
