"""Reverse-mentoring program manager: the application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Locate templates/, static/, migrations/ or translations/: inside the package in a
    built wheel, at the repository root in a checkout."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application, configured from the environment and `config`."""
    from mentoring.config import check_production_safety, load_config

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    app.config.from_mapping(load_config(app.instance_path, config))
    check_production_safety(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from mentoring.web import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    from mentoring.web import register_web

    register_web(app)
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions to the app."""
    from flask_babel import lazy_gettext as _l

    from mentoring.extensions import babel, csrf, db, limiter, login_manager, migrate
    from mentoring.i18n import install_template_elision, select_locale, select_timezone

    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        # Short web queries gain nothing from PostgreSQL's JIT compiler, which costs tens
        # of milliseconds on the report queries whenever the planner thinks them large.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        options.setdefault("connect_args", {}).setdefault("options", "-c jit=off")
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    # Catalogues sit beside templates/: at the repository root, or inside a built wheel.
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(resource_dir("translations")))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_elision(app.jinja_env)

    login_manager.login_view = "auth.login"
    # Flask-Login flashes str(message): the lazy string is translated at that moment.
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from mentoring import (
        models,  # noqa: F401 - every table is known to the metadata
        notifications,
    )

    # Flask-Mailman, the send-notifications command, and the signal receivers that
    # queue emails in the same transaction as the change (every app: web, CLI, tests).
    notifications.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Register each domain's blueprint (importing its views attaches the routes)."""
    from mentoring.audit import bp as audit_bp
    from mentoring.audit import views as _audit_views  # noqa: F401
    from mentoring.auth import bp as auth_bp
    from mentoring.auth import views as _auth_views  # noqa: F401
    from mentoring.cohorts import bp as cohorts_bp
    from mentoring.cohorts import views as _cohorts_views  # noqa: F401
    from mentoring.curriculum import bp as curriculum_bp
    from mentoring.curriculum import views as _curriculum_views  # noqa: F401
    from mentoring.goals import bp as goals_bp
    from mentoring.goals import views as _goals_views  # noqa: F401
    from mentoring.main import bp as main_bp
    from mentoring.main import views as _main_views  # noqa: F401
    from mentoring.matching import bp as matching_bp
    from mentoring.matching import views as _matching_views  # noqa: F401
    from mentoring.meetings import bp as meetings_bp
    from mentoring.meetings import views as _meetings_views  # noqa: F401
    from mentoring.notifications import bp as notifications_bp
    from mentoring.notifications import views as _notifications_views  # noqa: F401
    from mentoring.people import bp as people_bp
    from mentoring.people import views as _people_views  # noqa: F401
    from mentoring.reports import bp as reports_bp
    from mentoring.reports import views as _reports_views  # noqa: F401
    from mentoring.trust import bp as trust_bp
    from mentoring.trust import views as _trust_views  # noqa: F401

    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(cohorts_bp)
    app.register_blueprint(curriculum_bp)
    app.register_blueprint(goals_bp)
    app.register_blueprint(matching_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(trust_bp)


def register_errorhandlers(app: Flask) -> None:
    """Answer errors with generic pages that leak nothing."""
    from mentoring.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    """Add the flask commands (create-admin, seed-demo, ...)."""
    from mentoring.cli import register

    register(app)
