"""People: everyone who takes part in or runs a program, with their roles."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON

from mentoring.db import UTCDateTime, utcnow
from mentoring.extensions import db


class Role(StrEnum):
    """What a person may do; one person can hold several."""

    ADMIN = "admin"
    MENTOR = "mentor"
    MENTEE = "mentee"
    LEADER = "leader"

    @property
    def label(self) -> str:
        """The role's name as people read it, in the current language."""
        return str(ROLE_LABELS[self])


# Lazy: each is read in the language of the page that shows it.
ROLE_LABELS = {
    Role.ADMIN: _l("HR program manager"),
    Role.MENTOR: _l("Mentor"),
    Role.MENTEE: _l("Mentee"),
    Role.LEADER: _l("Leadership"),
}

ROLE_VALUES = tuple(role.value for role in Role)


def new_session_token() -> str:
    """Return a fresh random token; changing it signs the person out everywhere."""
    return secrets.token_urlsafe(32)


class Person(db.Model):
    """A person: employee data from HR, an account, and the roles they hold."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("seniority_level BETWEEN 1 AND 10", name="seniority_level_range"),
        CheckConstraint("manager_id IS NULL OR manager_id <> id", name="not_own_manager"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("locale IS NULL OR locale IN ('en', 'fr')", name="locale_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    department: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(String(160), default="")
    seniority_level: Mapped[int] = mapped_column(default=1)
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    languages: Mapped[list[str]] = mapped_column(MutableList.as_mutable(JSON), default=list)
    site: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    # The app's language for this person (en, fr); None follows their browser.
    locale: Mapped[str | None] = mapped_column(String(8))

    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    manager: Mapped[Person | None] = relationship(remote_side=[id], back_populates="reports")
    reports: Mapped[list[Person]] = relationship(back_populates="manager")
    role_links: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )

    def __init__(self, **kwargs: Any) -> None:
        roles = kwargs.pop("roles", ())
        super().__init__(**kwargs)
        for role in roles:
            self.add_role(role)

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.email}>"

    @property
    def roles(self) -> frozenset[Role]:
        """The roles this person holds."""
        return frozenset(Role(link.role) for link in self.role_links)

    def has_role(self, *roles: Role | str) -> bool:
        """Whether this person holds at least one of the given roles."""
        held = {link.role for link in self.role_links}
        return any(str(role) in held for role in roles)

    def add_role(self, role: Role | str) -> None:
        """Grant a role (no-op when already held)."""
        role = Role(role)
        if not self.has_role(role):
            self.role_links.append(PersonRole(role=role.value))

    def remove_role(self, role: Role | str) -> None:
        """Withdraw a role (no-op when not held)."""
        self.role_links = [link for link in self.role_links if link.role != Role(role).value]

    @property
    def first_name(self) -> str:
        """The first word of the name, for greetings."""
        return self.name.split()[0] if self.name else self.email

    # Flask-Login protocol, written out rather than inherited from UserMixin because
    # is_active is a real column here.
    @property
    def is_authenticated(self) -> bool:
        """Flask-Login: a loaded person is always authenticated."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Flask-Login: a loaded person is never anonymous."""
        return False

    def get_id(self) -> str:
        """Flask-Login: the id and the session token, so a new token signs out everywhere."""
        return f"{self.id}:{self.session_token}"


class PersonRole(db.Model):
    """One role held by one person."""

    __tablename__ = "person_role"
    __table_args__ = (
        CheckConstraint(
            "role IN ({})".format(", ".join(f"'{value}'" for value in ROLE_VALUES)),
            name="role_known",
        ),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    person: Mapped[Person] = relationship(back_populates="role_links")
