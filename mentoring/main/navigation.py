"""Which section of the main navigation a page belongs to: pure, so it is tested alone."""

from __future__ import annotations

# Endpoint prefixes (blueprint names) and the navigation section they belong to.
_BY_BLUEPRINT = {
    "main": "home",
    "cohorts": "cohorts",
    "matching": "cohorts",  # HR runs the matching and ends pairs from a cohort's pages
    "people": "people",
    "curriculum": "curriculum",
    "meetings": "meetings",
    "reports": "reports",
}
# A pair's own pages (its hub and its goals): participants reach them from their home
# page, HR from a cohort's pairs.
_PAIR_BLUEPRINTS = {"goals"}
_PAIR_ENDPOINTS = {"meetings.pair_page"}
# Pages of the account menu, in no section of the main navigation.
_ACCOUNT_ENDPOINTS = {"people.profile", "auth.change_password", "audit.index"}


def nav_section(endpoint: str | None, *, participant: bool, hr: bool) -> str | None:
    """The main-navigation section ("home", "cohorts", "meetings"…) of a page, or None."""
    if not endpoint or endpoint in _ACCOUNT_ENDPOINTS:
        return None
    blueprint = endpoint.partition(".")[0]
    if endpoint in _PAIR_ENDPOINTS or blueprint in _PAIR_BLUEPRINTS:
        return "home" if participant else "cohorts"
    if endpoint == "cohorts.edit_enrollment" and not hr:
        return None  # a participant edits their enrollment from their profile
    return _BY_BLUEPRINT.get(blueprint)
