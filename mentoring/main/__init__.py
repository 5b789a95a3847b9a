"""Home pages: one per role, shown together to people who hold several."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from mentoring.main import views  # noqa: E402, F401
