"""Meetings of a pair: scheduling, calendar files and feeds, and meeting logs."""

from flask import Blueprint

# Importing scheduling connects its receiver of matching's `pair_ended` signal, in every
# app (web, CLI, tests): an ended pair's future meetings are cancelled.
from mentoring.meetings import scheduling as _scheduling  # noqa: F401

bp = Blueprint("meetings", __name__)
