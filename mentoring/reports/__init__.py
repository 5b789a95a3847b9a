"""Reports: program adoption and impact for leadership, program analytics for HR."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
