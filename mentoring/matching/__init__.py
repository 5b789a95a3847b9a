"""Matching: the engine and HR's draft-review-publish workflow."""

from flask import Blueprint

bp = Blueprint("matching", __name__)
