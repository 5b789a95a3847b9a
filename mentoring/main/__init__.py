"""Home pages: one per role, shown together to people who hold several."""

from flask import Blueprint, has_request_context, request
from flask_login import current_user

from mentoring.main.navigation import nav_section
from mentoring.people.models import Role

bp = Blueprint("main", __name__)


@bp.app_context_processor
def navigation() -> dict[str, str | None]:
    """The main-navigation section of the page being rendered, for base.html."""
    # Emails and other renders outside a request have no navigation.
    if not has_request_context() or not current_user or not current_user.is_authenticated:
        return {"nav_section": None}
    return {
        "nav_section": nav_section(
            request.endpoint,
            participant=current_user.has_role(Role.MENTOR, Role.MENTEE),
            hr=current_user.has_role(Role.ADMIN),
        )
    }
