"""One typed notice of what changed, whoever changed it.

A `ChangeNotice` names the replicated tables and row ids a committed transaction wrote and
where it came from: this desk (`LOCAL`), another desk of the centre (`DESK`, heard through
PostgreSQL's LISTEN/NOTIFY), or the county (`COUNTY`, a pull applied by the sync leader).
Pages refresh from it instead of polling. `NoticeHub` hands notices to subscribers on the
thread that published them (the committing thread, the listener thread): a Qt receiver
goes through `ui.change_notice`, which queues them onto the GUI thread.
"""

from __future__ import annotations

import enum
import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

CHANNEL = "zz_change"
# NOTIFY payloads are limited to 8000 bytes; above this the ids are dropped (tables stay).
MAX_PAYLOAD = 7000


class Origin(enum.StrEnum):
    LOCAL = "local"
    DESK = "desk"
    COUNTY = "county"


@dataclass(frozen=True)
class ChangeNotice:
    origin: Origin
    # table → ids of the rows written; an empty set means "some rows" (too many to name).
    rows: Mapping[str, frozenset[str]] = field(default_factory=dict)
    everything: bool = False  # the listener reconnected: anything may have changed

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(self.rows)

    def touches(self, *tables: str) -> bool:
        return self.everything or any(table in self.rows for table in tables)

    def ids(self, table: str) -> frozenset[str]:
        return self.rows.get(table, frozenset())

    @classmethod
    def of(cls, origin: Origin, pairs: Iterable[tuple[str, str]]) -> ChangeNotice:
        rows: dict[str, set[str]] = {}
        for table, row_id in pairs:
            rows.setdefault(table, set()).add(row_id)
        return cls(origin, {table: frozenset(ids) for table, ids in rows.items()})

    def payload(self, sender: str) -> str:
        """The NOTIFY payload: sender, origin, tables and ids (ids dropped when too long)."""
        body = {
            "s": sender,
            "o": self.origin.value,
            "r": {table: sorted(ids) for table, ids in self.rows.items()},
        }
        text = json.dumps(body, separators=(",", ":"))
        if len(text.encode()) > MAX_PAYLOAD:
            body["r"] = {table: [] for table in self.rows}
            text = json.dumps(body, separators=(",", ":"))
        return text

    @classmethod
    def from_payload(cls, text: str) -> tuple[str, ChangeNotice] | None:
        """(sender, notice) from a payload, or None when it is not one of ours."""
        try:
            body = json.loads(text)
            origin = Origin(body["o"])
            rows = {str(table): frozenset(str(i) for i in ids) for table, ids in body["r"].items()}
            sender = str(body["s"])
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignoring a change notice that is not ours: %.80r", text)
            return None
        # What another desk wrote is, for this desk, another desk's change; a pull the
        # leader applied stays the county's.
        return sender, cls(Origin.COUNTY if origin is Origin.COUNTY else Origin.DESK, rows)


Subscriber = Callable[[ChangeNotice], None]


class NoticeHub:
    """Subscribers of one database's notices. Thread-safe; a failing subscriber is logged
    and never breaks the write that succeeded or the other subscribers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, notice: ChangeNotice) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(notice)
            except Exception:
                log.exception("change notice subscriber failed")
