"""What the sync worker reports (kept free of HTTP imports: the status bar loads it at start)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class LinkState(enum.StrEnum):
    UNCONFIGURED = "unconfigured"
    OFFLINE = "offline"
    SYNCING = "syncing"
    ONLINE = "online"
    ERROR = "error"  # the county answered but refused: needs a person (token, version)


@dataclass(frozen=True)
class SyncStatus:
    state: LinkState
    backlog: int = 0
    last_success: dt.datetime | None = None
    last_error: str = ""
    pushed: int = 0  # totals since start
    pulled: int = 0
    leader: str = ""  # the desk that talks to the county ("host:pid"), "" when unknown
