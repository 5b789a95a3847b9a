"""Home pages: one per role, shown together to people who hold several."""

from flask import Blueprint

bp = Blueprint("main", __name__)
