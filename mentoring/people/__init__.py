"""The people directory (HR) and each person's own profile."""

from flask import Blueprint

bp = Blueprint("people", __name__)
