"""Three desks of one centre, each the real application in its own process on the centre's
PostgreSQL: a group visit (集体访) registered at the reception desk is in the duty desk's
queue through the change notice (≈0.1 s, the figure printed), with nobody pressing refresh; the desk
leading the sync loses the LAN and another desk leads within seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from centre_app.app_context import AppContext
from centre_app.centre.leader import LEADER_KEY
from centre_app.security.actor import SYSTEM_ACTOR
from centre_app.settings import Key
from db.models.replication import ReplicationState
from tests.support.county import ROOT
from tests.support.postgres import free_port

pytestmark = pytest.mark.integration

DESKS = (("jiedai", "接待窗口1"), ("zhiban", "值班台1"), ("zhuren", "主任室"))


class DeskProcess:
    def __init__(self, url: str, user: str, desk: str, log: Path) -> None:
        self.desk = desk
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.desk_driver", url, user, desk],
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def read(self) -> list[str]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, f"desk {self.desk} ended; see its log"
        assert not line.startswith("error "), f"desk {self.desk}: {line}"
        return line.split()

    def ask(self, line: str) -> list[str]:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.read()

    def tell(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def end(self) -> None:
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGCONT)
            try:
                self.tell("quit")
                self.process.wait(15)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


@pytest.fixture
def centre(seeded_centre: Callable[[], str]) -> Iterator[tuple[str, AppContext]]:
    url = seeded_centre()
    ctx = AppContext.open(url, seed_demo=False)
    # A county address nobody answers: every desk runs its sync worker, one of them leads.
    ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_URL, f"http://127.0.0.1:{free_port()}")
    ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_TOKEN, "t" * 32)
    yield url, ctx
    ctx.close()


def _leader(ctx: AppContext) -> int | None:
    with ctx.session_factory() as session:
        row = session.get(ReplicationState, LEADER_KEY)
    tail = row.value.rpartition(":")[2] if row else ""
    return int(tail) if tail.isdigit() else None


def _wait(predicate: Callable[[], object], timeout: float, what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"{what} not within {timeout} s")


def test_a_group_visit_reaches_the_duty_queue_in_a_second_and_a_lost_leader_is_replaced(
    centre: tuple[str, AppContext], tmp_path: Path
) -> None:
    url, ctx = centre
    desks = [DeskProcess(url, user, desk, tmp_path / f"{user}.log") for user, desk in DESKS]
    try:
        for desk in desks:
            assert desk.read()[0] == "ready"
        reception, duty, _head = desks

        duty.tell("watch 集体反映拖欠工资T3")
        registered = reception.ask("group 6 集体反映拖欠工资T3")
        assert registered[0] == "registered" and registered[2] != "None"
        seen = duty.read()
        assert seen[0] == "seen" and seen[1] == registered[2]  # the 集体访's red case
        delay = float(seen[2]) - float(registered[3])

        by_pid = {desk.pid: desk for desk in desks}
        _wait(lambda: _leader(ctx) in by_pid, 30, "a desk leading the sync")
        first = _leader(ctx)
        assert first is not None
        os.kill(first, signal.SIGSTOP)  # its machine off the LAN: frozen, silent
        with ctx.engine.connect() as conn:  # what the server's keepalive would do
            cut = conn.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'zongzhi-sync-leader' AND pid IN "
                    "(SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)"
                )
            )
        assert cut == 1
        took = _wait(
            lambda: _leader(ctx) not in (None, first) and _leader(ctx) in by_pid,
            10,
            "another desk leading",
        )
        os.kill(first, signal.SIGCONT)  # back on the LAN: it follows now
        time.sleep(1.5)
        with ctx.engine.connect() as conn:
            held = conn.scalar(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
            )
        assert held == 1
        print(
            f"\nqueue after {delay * 1000:.0f} ms; leader {by_pid[first].desk} → "
            f"{by_pid[_leader(ctx) or 0].desk} after {took:.1f} s"
        )
        # Heard through the change notice, not found by a poll (the red alert polls every
        # 60 s): the figure itself (~0.1 s) is measured by bench.centre, not asserted here,
        # where a loaded machine stretches it (1.8 s once with the whole suite beside it).
        assert delay < 10.0
    finally:
        for desk in desks:
            desk.end()
