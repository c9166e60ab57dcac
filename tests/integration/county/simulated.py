"""Simulated townships speaking the wire protocol (for the county load test and
bench/county.py): each keeps its rows, an outbox with contiguous sequences, an HLC and a
pull cursor, as a real township does, and retries what a dropped connection cut off."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
import requests

from centre_app.clock import SystemClock
from centre_app.replication import protocol as p
from centre_app.replication.digest import digest_documents
from centre_app.replication.hlc import HybridLogicalClock
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[3]


class Statuses:
    """Every HTTP status seen (thread-safe), plus connection errors as status 0."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Counter[int] = Counter()
        self.latencies: list[float] = []

    def add(self, status: int, seconds: float | None = None) -> None:
        with self._lock:
            self.counts[status] += 1
            if seconds is not None:
                self.latencies.append(seconds)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.counts.items() if status >= 500)


class SimulatedTownship:
    def __init__(self, url: str, code: str, token: str, statuses: Statuses) -> None:
        self.url, self.code, self.statuses = url, code, statuses
        self.http = requests.Session()
        self.http.headers.update(
            {"Authorization": f"Bearer {token}", p.SCHEMA_HEADER: str(p.SCHEMA_VERSION)}
        )
        self.hlc = HybridLogicalClock(SystemClock())
        self.docs: dict[tuple[str, str], dict[str, Any]] = {}
        self.outbox: list[dict[str, Any]] = []
        self.next_seq = 1
        self.cursor = 0
        self.grids: list[str] = []
        self.incidents: list[str] = []
        self.escalating: list[str] = []  # escalated here, not yet acknowledged by the county
        self.escalated: list[str] = []  # escalated and held by the county: may be answered
        self._case = 0

    # --- local writes ---------------------------------------------------------------------

    def write(self, table: str, data: dict[str, Any], op: str = "insert") -> None:
        stamp = self.hlc.now()
        data = {**data, "hlc": stamp, "origin": self.code}
        self.docs[(table, data["id"])] = data
        self.outbox.append(
            {
                "seq": self.next_seq,
                "hlc": stamp,
                "table": table,
                "row_id": data["id"],
                "op": op,
                "data": data,
            }
        )
        self.next_seq += 1

    def add_grid(self) -> str:
        code = f"{self.code}{len(self.grids) + 1:06d}"
        now = dt.datetime.now(dt.UTC).isoformat()
        self.write(
            "area",
            {
                "id": str(uuid.uuid4()),
                "code": code,
                "name": f"网格{code[-3:]}",
                "level": "grid",
                "parent_id": None,
                "grid_worker": None,
                "grid_worker_phone": None,
                "created_at": now,
                "updated_at": now,
            },
        )
        self.grids.append(code)
        return code

    def add_incident(self, *, escalate: bool = False) -> None:
        """A case reported here (with its report event), escalated to the county if asked."""
        self._case += 1
        now = dt.datetime.now(dt.UTC).isoformat()
        row_id = str(uuid.uuid4())
        self.write(
            "incident",
            {
                "id": row_id,
                "township_code": self.code,
                "case_no": f"{self.code}-2026-{self._case:06d}",
                "channel": "walk_in",
                "category": "矛盾纠纷",
                "subcategory": "邻里纠纷",
                "colour": "green",
                "grid_id": None,
                "place": "村口",
                "title": f"纠纷 {self._case}",
                "description": "双方因宅基地边界发生争执。",
                "people_involved": 2,
                "reporter": "张三",
                "reported_at": now,
                "state": "reported",
                "department_id": None,
                "assignee": None,
                "deadline": None,
                "closed_at": None,
                "merged_into_id": None,
                "created_at": now,
                "updated_at": now,
            },
        )
        self.incidents.append(row_id)
        self._event(row_id, "report", None, "reported", now)
        if escalate:
            self._event(row_id, "escalate", "reported", "escalated", now)
            self.escalating.append(row_id)

    def _event(
        self, incident_id: str, kind: str, from_state: str | None, to_state: str, at: str
    ) -> None:
        self.write(
            "incident_event",
            {
                "id": str(uuid.uuid4()),
                "incident_id": incident_id,
                "at": at,
                "actor": "zhiban",
                "actor_name": "值班员",
                "kind": kind,
                "from_state": from_state,
                "to_state": to_state,
                "note": "",
                "data": {},
                "created_at": at,
                "updated_at": at,
            },
        )

    def touch_incident(self) -> None:
        if self.incidents:
            row_id = self.incidents[len(self.outbox) % len(self.incidents)]
            data = dict(self.docs[("incident", row_id)])
            data["title"] = data["title"] + "（续）"
            self.write("incident", data, op="update")

    # --- sync -----------------------------------------------------------------------------

    def push(self, batch: int = 500) -> bool:
        """Send the outbox from its start; True when it is empty."""
        while self.outbox:
            started = time.perf_counter()
            try:
                answer = self.http.post(
                    f"{self.url}/api/v1/push",
                    timeout=60,
                    json={"node": self.code, "changes": self.outbox[:batch]},
                )
            except requests.RequestException:
                self.statuses.add(0)
                return False
            self.statuses.add(answer.status_code, time.perf_counter() - started)
            if answer.status_code == 200:
                acked = answer.json()["acked_through"]
            elif answer.status_code == 409 and "expected_seq" in answer.json():
                acked = answer.json()["expected_seq"] - 1
            else:
                raise AssertionError(
                    f"{self.code}: push answered {answer.status_code}: {answer.text[:300]}"
                )
            self.outbox = [c for c in self.outbox if c["seq"] > acked]
            if not self.outbox:
                self.escalated += self.escalating
                self.escalating = []
            if answer.status_code != 200:
                return False
        return True

    def pull(self) -> bool:
        """Apply every change the county holds for us; False if the connection dropped."""
        while True:
            try:
                answer = self.http.get(
                    f"{self.url}/api/v1/pull",
                    timeout=60,
                    params={"after": self.cursor, "limit": 500},
                )
            except requests.RequestException:
                self.statuses.add(0)
                return False
            self.statuses.add(answer.status_code)
            if answer.status_code != 200:
                raise AssertionError(f"{self.code}: pull answered {answer.status_code}")
            page = answer.json()
            for change in page["changes"]:
                key = (change["table"], change["row_id"])
                current = self.docs.get(key)
                if current is None or (change["hlc"], change["origin"]) > (
                    current["hlc"],
                    current["origin"],
                ):
                    self.docs[key] = change["data"]
                self.hlc.observe(change["hlc"])
            self.cursor = page["next_cursor"]
            if not page["more"]:
                return True

    def digest(self) -> str:
        return digest_documents((t, r, d) for (t, r), d in self.docs.items())


def serve(db_url: str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m centre_app.county serve --workers N`, once it answers."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "centre_app.county",
                "serve",
                "--db",
                db_url,
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if requests.get(url + "/api/v1/health", timeout=1).ok and (
                workers == 1 or len(workers_of(process)) >= workers
            ):
                return process, url
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError("the county did not start:\n" + log.read_text())


def workers_of(process: subprocess.Popen[bytes]) -> list[psutil.Process]:
    """The uvicorn worker processes (not multiprocessing's resource tracker)."""
    return [
        child
        for child in psutil.Process(process.pid).children()
        if "resource_tracker" not in " ".join(child.cmdline())
    ]
