"""Accounts: sign in, sign out, change password."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from mentoring.auth import views  # noqa: E402, F401
