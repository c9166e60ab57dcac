"""The camera-view audit: who watched which camera, when. Personal-data audit, so an entry
is never dropped: a failed write is logged, retried with backoff, and reported (the page
shows it); entries still unwritten when the app closes are kept in a spool file beside the
data and written first at the next start.

One writer thread keeps the entries in order and off the GUI thread; each entry keeps the
time the view started, whenever it is finally written.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from centre_app.clock import Clock
from centre_app.security.actor import Actor
from centre_app.video.health import HealthService

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 30.0


@dataclass(frozen=True)
class ViewEntry:
    camera_id: uuid.UUID
    camera_name: str
    stream: str
    at: dt.datetime

    def to_json(self) -> str:
        return json.dumps(
            {
                "camera_id": str(self.camera_id),
                "camera_name": self.camera_name,
                "stream": self.stream,
                "at": self.at.isoformat(),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, line: str) -> ViewEntry:
        raw = json.loads(line)
        return cls(
            uuid.UUID(raw["camera_id"]),
            str(raw["camera_name"]),
            str(raw["stream"]),
            dt.datetime.fromisoformat(raw["at"]),
        )


@dataclass(frozen=True)
class AuditBacklog:
    """What the operator is told: entries not yet written and the last failure."""

    pending: int
    failures: int  # consecutive failed attempts (0: writing works)
    error: Exception | None


class ViewAuditWriter:
    def __init__(
        self,
        health: HealthService,
        clock: Clock,
        actor: Actor,
        spool: Path,
        on_backlog: Callable[[AuditBacklog], object] = lambda _b: None,
    ) -> None:
        self._health, self._clock, self._actor = health, clock, actor
        self._spool = spool
        self._on_backlog = on_backlog
        self._queue: deque[ViewEntry] = deque(self._read_spool())
        self._wake = threading.Condition()
        self._closing = False
        self._failures = 0
        self._thread = threading.Thread(target=self._run, name="view-audit", daemon=True)
        self._thread.start()

    # --- the GUI thread ----------------------------------------------------------------

    def submit(self, camera_id: uuid.UUID, camera_name: str, stream: str) -> None:
        entry = ViewEntry(camera_id, camera_name, stream, self._clock.now())
        with self._wake:
            if self._closing:
                self._append_spool([entry])
                return
            self._queue.append(entry)
            self._wake.notify()

    def pending(self) -> int:
        with self._wake:
            return len(self._queue)

    def close(self, timeout: float = 3.0) -> None:
        """Write what can be written within `timeout`; spool the rest for the next start."""
        with self._wake:
            self._closing = True
            self._wake.notify()
        self._thread.join(timeout)
        with self._wake:
            left = list(self._queue)
            self._queue.clear()
        if left:
            self._append_spool(left)
            log.error(
                "%d camera-view audit entries could not be written; kept in %s and "
                "written at the next start",
                len(left),
                self._spool,
            )

    # --- the writer thread ---------------------------------------------------------------

    def _run(self) -> None:
        delay = FIRST_RETRY_SECONDS
        while True:
            with self._wake:
                while not self._queue and not self._closing:
                    self._wake.wait()
                if not self._queue:
                    return
                entry = self._queue[0]
            try:
                self._health.record_view(
                    self._actor, entry.camera_id, entry.camera_name, entry.stream, at=entry.at
                )
            except Exception as exc:  # any failure: keep the entry, say so, try again
                self._failures += 1
                log.warning(
                    "camera-view audit write failed (attempt %d, %d pending): %s",
                    self._failures,
                    self.pending(),
                    exc,
                    exc_info=self._failures == 1,
                )
                self._tell(AuditBacklog(self.pending(), self._failures, exc))
                with self._wake:
                    if self._closing:
                        return  # close() spools what is left
                    self._wake.wait(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)
                continue
            with self._wake:
                self._queue.popleft()
                left = len(self._queue)
            delay = FIRST_RETRY_SECONDS
            if self._failures:
                log.info("camera-view audit writes work again (%d pending)", left)
                self._failures = 0 if not left else self._failures
                if not left:
                    self._tell(AuditBacklog(0, 0, None))

    def _tell(self, backlog: AuditBacklog) -> None:
        try:
            self._on_backlog(backlog)
        except RuntimeError:  # the page that listened is gone (logout): the log has it
            log.debug("nobody listens to the view-audit backlog any more")

    # --- the spool -----------------------------------------------------------------------

    def _read_spool(self) -> list[ViewEntry]:
        if not self._spool.exists():
            return []
        entries = []
        for line in self._spool.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(ViewEntry.from_json(line))
            except (ValueError, KeyError, TypeError):
                log.error("unreadable line in %s kept aside: %r", self._spool, line[:200])
                with self._spool.with_suffix(".bad").open("a", encoding="utf-8") as bad:
                    bad.write(line + "\n")
        self._spool.unlink()
        if entries:
            log.info("writing %d camera-view audit entries kept from the last run", len(entries))
        return entries

    def _append_spool(self, entries: list[ViewEntry]) -> None:
        self._spool.parent.mkdir(parents=True, exist_ok=True)
        with self._spool.open("a", encoding="utf-8") as fh:
            for entry in entries:
                fh.write(entry.to_json() + "\n")
