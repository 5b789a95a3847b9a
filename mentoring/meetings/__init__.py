"""Meetings of a pair: scheduling, calendar files and feeds, and meeting logs."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)
