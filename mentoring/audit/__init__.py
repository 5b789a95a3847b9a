"""Audit events and the HR page that lists them."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")
