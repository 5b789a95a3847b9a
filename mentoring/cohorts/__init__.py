"""Cohorts: settings, lifecycle, participants and their import."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")
