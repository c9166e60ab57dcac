"""Five desks writing at once: the centre's PostgreSQL on loopback beside the single-PC
SQLite, in the same run.

    python -m bench.centre [--desks 5] [--rounds 40]

Each desk does `rounds` times: report a case (a registration) and accept it (a triage
action), each one service call (its own transaction, audit entry and outbox entry).
PostgreSQL: every desk is its own process (as at a real centre), plus an observer desk that
hears the others through LISTEN/NOTIFY and re-reads the rows each notice names.
SQLite: one process (the single-PC app) with the desks as threads; the observer hears the
local commits. Printed: actions/s, p50/p99 latency of one action, p50/p99 from a desk's
commit to the observer having re-read the row (commit-to-refresh).

Needs PostgreSQL's server programs (Debian's `postgresql`): a throwaway cluster is started
and removed (tests/support/postgres.py).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

SENTINEL = "done"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _desk_work(
    ctx: Any, desk: int, rounds: int, start: Any
) -> tuple[list[float], dict[str, float]]:
    """The desk's actions; returns (latencies, {incident id: commit wall time})."""
    from centre_app.demo import DEMO_PASSWORD
    from db.models.incidents import IncidentState
    from tests.support.incidents import hotline_draft

    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    latencies: list[float] = []
    committed: dict[str, float] = {}
    start.wait()
    for i in range(rounds):
        began = time.perf_counter()
        incident = ctx.incidents.report(
            duty,
            hotline_draft(f"第{desk}台 第{i}件"),
        )
        committed[str(incident.id)] = time.time()
        latencies.append(time.perf_counter() - began)
        began = time.perf_counter()
        ctx.incidents.act(duty, incident.id, "accept", seen_state=IncidentState.REPORTED)
        latencies.append(time.perf_counter() - began)
    return latencies, committed


def _observer(ctx: Any, seen: dict[str, float], stop: threading.Event) -> threading.Thread:
    """Subscribes to the notices; a thread re-reads the named incident rows (a refresh)."""
    from sqlalchemy import select

    from centre_app.centre.notice import ChangeNotice
    from db.models.incidents import Incident

    pending: list[ChangeNotice] = []
    wake = threading.Condition()

    def heard(notice: ChangeNotice) -> None:
        if notice.touches("incident"):
            with wake:
                pending.append(notice)
                wake.notify()

    ctx.notices.subscribe(heard)

    def refresh() -> None:
        while not stop.is_set():
            with wake:
                wake.wait_for(lambda: pending or stop.is_set(), timeout=0.5)
                batch, pending[:] = list(pending), []
            ids = {i for notice in batch for i in notice.ids("incident")}
            if not ids:
                continue
            with ctx.session_factory() as session:
                found = session.scalars(
                    select(Incident.id).where(Incident.id.in_([uuid.UUID(i) for i in ids]))
                ).all()
            now = time.time()
            for row_id in found:
                seen.setdefault(str(row_id), now)

    thread = threading.Thread(target=refresh, daemon=True)
    thread.start()
    return thread


def _pg_desk(url: str, desk: int, rounds: int, start: Any, out: Any) -> None:
    from centre_app.app_context import AppContext

    ctx = AppContext.open(url, seed_demo=False)
    latencies, committed = _desk_work(ctx, desk, rounds, start)
    out.put((latencies, committed))
    ctx.close()


def _pg_observer(url: str, start: Any, out: Any, expected: int) -> None:
    from centre_app.app_context import AppContext

    ctx = AppContext.open(url, seed_demo=False)
    seen: dict[str, float] = {}
    stop = threading.Event()
    thread = _observer(ctx, seen, stop)
    assert ctx._listener is not None and ctx._listener.listening.wait(10)
    start.wait()
    deadline = time.monotonic() + 300
    while len(seen) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join()
    out.put(dict(seen))
    ctx.close()


def run_postgres(url: str, desks: int, rounds: int) -> dict[str, Any]:
    spawn = mp.get_context("spawn")
    start = spawn.Barrier(desks + 2)
    out = spawn.Queue()
    seen_q = spawn.Queue()
    workers = [
        spawn.Process(target=_pg_desk, args=(url, n, rounds, start, out)) for n in range(desks)
    ]
    observer = spawn.Process(target=_pg_observer, args=(url, start, seen_q, desks * rounds))
    for process in [*workers, observer]:
        process.start()
    start.wait()
    began = time.perf_counter()
    results = [out.get(timeout=600) for _ in workers]
    elapsed = time.perf_counter() - began
    seen = seen_q.get(timeout=600)
    for process in [*workers, observer]:
        process.join(30)
    return _summary(results, seen, elapsed)


def run_sqlite(path: Path, desks: int, rounds: int) -> dict[str, Any]:
    from centre_app.app_context import AppContext

    ctx = AppContext.open(f"sqlite:///{path}", seed_demo=False)
    seen: dict[str, float] = {}
    stop = threading.Event()
    thread = _observer(ctx, seen, stop)
    start = threading.Barrier(desks + 1)
    results: list[tuple[list[float], dict[str, float]]] = []

    def desk(n: int) -> None:
        results.append(_desk_work(ctx, n, rounds, start))

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(desks)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    deadline = time.monotonic() + 30
    while len(seen) < desks * rounds and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join()
    ctx.close()
    return _summary(results, seen, elapsed)


def _summary(
    results: list[tuple[list[float], dict[str, float]]], seen: dict[str, float], elapsed: float
) -> dict[str, Any]:
    latencies = [x for lat, _ in results for x in lat]
    committed = {k: v for _, c in results for k, v in c.items()}
    refresh = [seen[k] - v for k, v in committed.items() if k in seen]
    return {
        "actions": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": _pct(latencies, 0.5) * 1000,
        "p99": _pct(latencies, 0.99) * 1000,
        "refresh_p50": _pct(refresh, 0.5) * 1000,
        "refresh_p99": _pct(refresh, 0.99) * 1000,
        "heard": len(refresh),
        "written": len(committed),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.centre")
    parser.add_argument("--desks", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args(argv)

    from centre_app.app_context import AppContext
    from tests.support.postgres import start_cluster

    cluster = start_cluster()
    if cluster is None:
        print("PostgreSQL's server programs are not installed (apt-get install postgresql)")
        return 1
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite_path = Path(tmp) / "centre.db"
            AppContext.open(f"sqlite:///{sqlite_path}", demo_scale=0.01).close()
            url = cluster.create_database("bench_centre")
            AppContext.open(url, demo_scale=0.01).close()
            print(f"{args.desks} desks x {args.rounds} rounds (report + accept), same run")
            print(
                f"{'':<26}{'actions':>8}{'act/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
                f"{'refresh p50':>13}{'p99 ms':>8}{'heard':>9}"
            )
            for name, run in (
                ("SQLite, one process", lambda: run_sqlite(sqlite_path, args.desks, args.rounds)),
                ("PostgreSQL, a process each", lambda: run_postgres(url, args.desks, args.rounds)),
            ):
                r = run()
                print(
                    f"{name:<26}{r['actions']:>8}{r['rate']:>8.1f}{r['p50']:>8.1f}"
                    f"{r['p99']:>8.1f}{r['refresh_p50']:>13.1f}{r['refresh_p99']:>8.1f}"
                    f"{r['heard']:>5}/{r['written']}",
                    flush=True,
                )
    finally:
        cluster.stop()
    print(f"(the machine: {mp.cpu_count()} cores shared with other work)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
