"""Settings from the environment, with development defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production


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
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # argon2id parameters: argon2-cffi's RFC 9106 "low memory" profile by default.
        "ARGON2_TIME_COST": int(env.get("ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_COST": int(env.get("ARGON2_MEMORY_COST", str(64 * 1024))),
        "ARGON2_PARALLELISM": int(env.get("ARGON2_PARALLELISM", "4")),
        "DEFAULT_TIMEZONE": env.get("DEFAULT_TIMEZONE", "Europe/Paris"),
        "PER_PAGE": 25,
        # How many proxies (load balancer, reverse proxy) sit in front of the app: their
        # X-Forwarded-* headers are trusted so links built for emails and calendars use
        # the public https address. 0 when clients reach the app directly.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        # Host names the app answers to (comma-separated); others get 400, so links
        # built from the Host header (invitations, calendars) cannot be poisoned.
        "TRUSTED_HOSTS": [h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
        or None,
    }
    if config["ENV_NAME"] == "production":
        config["SESSION_COOKIE_SECURE"] = _bool(env.get("SESSION_COOKIE_SECURE"), default=True)
        config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    if overrides:
        config.update(overrides)
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    return config


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
