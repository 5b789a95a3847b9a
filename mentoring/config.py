"""Settings from the environment, with development defaults."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production
MIN_REPORT_GROUP = 3
# The languages the app is translated into (a new one is a new catalogue in translations/).
LOCALES = ("en", "fr")


def _bool(value: str | None, default: bool = False) -> bool:
    """Read a boolean environment variable (1/true/yes/on)."""
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver SQLAlchemy should use."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the configuration mapping from environment variables and overrides."""
    env = os.environ
    production = env.get("MENTORING_ENV", "development") == "production"
    database_url = env.get("DATABASE_URL") or "sqlite:///" + str(
        Path(instance_path) / "mentoring.sqlite3"
    )
    config: dict[str, Any] = {
        "ENV_NAME": env.get("MENTORING_ENV", "development"),
        "SECRET_KEY": env.get("SECRET_KEY", DEFAULT_SECRET_KEY),
        "DEBUG": _bool(env.get("FLASK_DEBUG")),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_BYTES", str(5 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE")),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE")),
        # "Keep me signed in" lasts this many days; signing out everywhere or changing the
        # password ends it sooner (the cookie carries the session token).
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(env.get("REMEMBER_DAYS", "30"))),
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Throttling counters: a store all processes share (redis://host:6379/0) whenever
        # more than one process serves; memory:// counts per process. Production must name
        # it. If the store stops answering, each process counts alone until it is back.
        "RATELIMIT_STORAGE_URI": env.get(
            "RATELIMIT_STORAGE_URI", "" if production else "memory://"
        ),
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "mentoring"),
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Failed sign-ins allowed per client address, and per account (whether or not the
        # account exists, so the limit reveals nothing); successful ones are not counted.
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_ACCOUNT_RATE_LIMIT": env.get(
            "LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute; 20 per hour"
        ),
        # Forgot-password requests per client address; each account also gets at most one
        # reset email per 10 minutes, whatever the form receives.
        "FORGOT_PASSWORD_RATE_LIMIT": env.get("FORGOT_PASSWORD_RATE_LIMIT", "5 per 15 minutes"),
        # argon2id parameters: argon2-cffi's RFC 9106 "low memory" profile by default.
        "ARGON2_TIME_COST": int(env.get("ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_COST": int(env.get("ARGON2_MEMORY_COST", str(64 * 1024))),
        "ARGON2_PARALLELISM": int(env.get("ARGON2_PARALLELISM", "4")),
        "DEFAULT_TIMEZONE": env.get("DEFAULT_TIMEZONE", "Europe/Paris"),
        # Language of people who have not chosen one and whose browser asks for neither
        # English nor French: en or fr.
        "DEFAULT_LOCALE": env.get("DEFAULT_LOCALE", "en"),
        # Private notes, feedback text and private agendas are deleted this many months
        # after their cohort closes (`flask apply-retention`); 0 keeps them.
        "NOTES_RETENTION_MONTHS": int(env.get("NOTES_RETENTION_MONTHS", "12")),
        "PER_PAGE": 25,
        # Leaders' reports show a count of fewer people than this as "fewer than N"
        # (and hide shares and means of such groups); never below 3.
        "REPORT_MIN_GROUP": int(env.get("REPORT_MIN_GROUP", "5")),
        # Each process keeps a computed program report or comparison (per filters,
        # language and reader's threshold) this many seconds; 0 computes every view.
        # CSV exports are always computed at download time.
        "REPORT_CACHE_SECONDS": env.get("REPORT_CACHE_SECONDS") or "60",
        # How many proxies (load balancer, reverse proxy) sit in front of the app: their
        # X-Forwarded-* headers are trusted so links built for emails and calendars use
        # the public https address. 0 when clients reach the app directly.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        # Host names the app answers to (comma-separated); others get 400, so links
        # built from the Host header (invitations, calendars) cannot be poisoned.
        "TRUSTED_HOSTS": [h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
        or None,
        # Email (Flask-Mailman's names). Links in emails are built from EXTERNAL_URL, never
        # from a request's Host header. The console backend prints emails in development.
        # Every absolute link (emails, calendar feeds, invitation links) starts with it.
        "EXTERNAL_URL": env.get(
            "EXTERNAL_URL", "" if production else "http://localhost:5000"
        ).rstrip("/"),
        "MAIL_BACKEND": env.get("MAIL_BACKEND")
        or ("smtp" if env.get("MENTORING_ENV") == "production" else "console"),
        "MAIL_SERVER": env.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(env.get("MAIL_USE_SSL")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env.get(
            "MAIL_DEFAULT_SENDER", "Reverse Mentoring <no-reply@localhost>"
        ),
        "MAIL_TIMEOUT": int(env.get("MAIL_TIMEOUT", "20")),
        # Send right after the commit that queued an email (small installations), still
        # through the outbox; otherwise `flask send-notifications` from cron sends.
        "MAIL_SEND_IMMEDIATELY": _bool(env.get("MAIL_SEND_IMMEDIATELY")),
    }
    if config["ENV_NAME"] == "production":
        config["SESSION_COOKIE_SECURE"] = _bool(env.get("SESSION_COOKIE_SECURE"), default=True)
        config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    if overrides:
        config.update(overrides)
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if config["DEFAULT_LOCALE"] not in LOCALES:
        raise ValueError(
            f"DEFAULT_LOCALE is {config['DEFAULT_LOCALE']!r}: it must be one of "
            f"{', '.join(LOCALES)}."
        )
    config["BABEL_DEFAULT_LOCALE"] = config["DEFAULT_LOCALE"]
    if int(config["REPORT_MIN_GROUP"]) < MIN_REPORT_GROUP:
        raise ValueError(
            f"REPORT_MIN_GROUP is {config['REPORT_MIN_GROUP']}: it must be at least "
            f"{MIN_REPORT_GROUP}, or small groups in the reports could be told apart."
        )
    config["REPORT_CACHE_SECONDS"] = _report_cache_seconds(config["REPORT_CACHE_SECONDS"])
    return config


def _report_cache_seconds(value: Any) -> int:
    """REPORT_CACHE_SECONDS as a whole number of seconds, 0 or more; else a clear error."""
    if isinstance(value, int) and not isinstance(value, bool):
        valid = value >= 0
    else:
        text = str(value).strip()
        valid = text.isascii() and text.isdigit()
    if not valid:
        raise ValueError(
            f"REPORT_CACHE_SECONDS is {value!r}: it must be a whole number of seconds, 0 or "
            "more (0 computes the report pages on every view)."
        )
    return int(value)


def check_production_safety(config: dict[str, Any]) -> None:
    """Refuse to start a production app with a default secret or with debug on."""
    if config.get("ENV_NAME") != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET_KEY or len(secret) < 32:
        raise RuntimeError(
            "Refusing to start in production: set SECRET_KEY to a random value of at least "
            "32 characters (python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    if config.get("DEBUG"):
        raise RuntimeError("Refusing to start in production with FLASK_DEBUG on.")
    external = urlsplit(config.get("EXTERNAL_URL") or "")
    if external.scheme != "https" or not external.netloc:
        raise RuntimeError(
            "Refusing to start in production: set EXTERNAL_URL to the public https address "
            "people use (e.g. https://mentoring.example.com); links in pages, emails and "
            "calendar feeds are built from it, never from a request's Host header."
        )
    if not config.get("RATELIMIT_STORAGE_URI"):
        raise RuntimeError(
            "Refusing to start in production: set RATELIMIT_STORAGE_URI to the Redis all app "
            "processes share (e.g. redis://127.0.0.1:6379/0), so sign-in throttling holds "
            "across them; memory:// only if exactly one process serves."
        )
