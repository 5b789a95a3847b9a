"""Matching: the engine and HR's draft-review-publish workflow."""

from flask import Blueprint

bp = Blueprint("matching", __name__)

from mentoring.matching import lifecycle  # noqa: E402, F401 - connects the cohort receivers
