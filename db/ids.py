"""Globally unique, time-ordered row ids (UUIDv7) for replicated rows."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    """A UUIDv7: sorts by creation time, unique across townships without coordination."""
    return uuid.UUID(int=uuid6.uuid7().int)
