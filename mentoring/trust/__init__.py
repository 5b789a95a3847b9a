"""Trust: the pair agreement, ending without blame, personal data export, erasure, retention."""

from flask import Blueprint

bp = Blueprint("trust", __name__)
