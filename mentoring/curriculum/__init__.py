"""The curriculum: topics and goal templates."""

from flask import Blueprint

bp = Blueprint("curriculum", __name__, url_prefix="/curriculum")
