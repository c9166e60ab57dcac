"""Users, login throttling and the append-only audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Replicated, utcnow
from db.ids import new_id


class User(Base):
    """A person who signs in to this centre's client. Local to the township: not replicated."""

    __tablename__ = "app_user"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    # Role values (centre_app.security.roles.Role), comma separated, stored by value.
    roles: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LoginThrottle(Base):
    """Failed sign-ins per user name, so repeated guessing gets slower."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(32), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[dt.datetime | None]
    blocked_until: Mapped[dt.datetime | None]


class AuditEntry(Replicated, Base):
    """Who did what, when. Rows are only ever inserted (enforced by triggers and a session guard)."""

    __tablename__ = "audit_entry"

    at: Mapped[dt.datetime] = mapped_column(index=True)
    user_id: Mapped[uuid.UUID | None]
    username: Mapped[str] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class DeskSession(Base):
    """One sign-in at one desk (workstation) of the centre, until its sign-out. The same
    user signed in at two desks is told at the second and seen at the first; a desk that
    died without signing out stops being seen once `last_seen_at` is old. Local to the
    centre: not replicated."""

    __tablename__ = "desk_session"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    desk: Mapped[str] = mapped_column(String(128))
    signed_in_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]
    signed_out_at: Mapped[dt.datetime | None]
