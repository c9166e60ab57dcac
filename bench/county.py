"""County server benchmark: changes/s accepted with 1, 5 and 20 townships pushing at once
into 1 and 4 workers, beside a bare PostgreSQL COPY of the same rows in the same run.

    python -m bench.county [--changes 6000] [--batch 200]

Starts a throwaway PostgreSQL on loopback and the real county server
(`python -m centre_app.county serve --workers N`, a subprocess). For each configuration
the same total of `--changes` new changes (incidents of each township, as the wire carries
them) is split over the townships, each pushing its share in batches of `--batch` from its
own thread. Prints changes/s, p50/p99 push latency (one batch) and the county's RSS (all its
processes), then the bare COPY of the same rows (node, seq, hlc, table, row id, op, JSON
data) into a plain table of the same shape, and the ratio.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def county_rss(process: Any) -> int:
    import psutil

    parent = psutil.Process(process.pid)
    return sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)])


def run_config(
    url: str, tokens: dict[str, str], codes: list[str], total: int, batch: int
) -> tuple[float, list[float], list[tuple[Any, ...]]]:
    from tests.integration.county.simulated import SimulatedTownship, Statuses

    statuses = Statuses()
    townships = [SimulatedTownship(url, code, tokens[code], statuses) for code in codes]
    for township in townships:
        for _ in range(total // len(codes)):
            township.add_incident()
    rows = [
        (
            t.code,
            c["seq"],
            c["hlc"],
            c["table"],
            c["row_id"],
            c["op"],
            json.dumps(c["data"], ensure_ascii=False),
        )
        for t in townships
        for c in t.outbox
    ]
    started = time.perf_counter()
    threads = [threading.Thread(target=t.push, args=(batch,)) for t in townships]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert all(not t.outbox for t in townships), "a township could not push everything"
    assert statuses.server_errors == 0 and set(statuses.counts) == {200}, statuses.counts
    return elapsed, statuses.latencies, rows


def bare_copy(dsn: str, rows: list[tuple[Any, ...]]) -> float:
    import psycopg

    with psycopg.connect(dsn) as conn:
        conn.execute("DROP TABLE IF EXISTS bare_change")
        conn.execute(
            "CREATE TABLE bare_change (id bigserial PRIMARY KEY, node varchar(16), "
            "seq bigint, hlc varchar(32), table_name varchar(64), row_id varchar(36), "
            "op varchar(8), data json, UNIQUE (node, seq))"
        )
        conn.commit()
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY bare_change (node, seq, hlc, table_name, row_id, op, data) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=6000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()

    from centre_app.clock import SystemClock
    from centre_app.county.store import CountyStore
    from db.engine import make_engine, make_session_factory
    from db.migrate import upgrade_to_head
    from tests.integration.county.simulated import serve
    from tests.support.postgres import start_cluster

    cluster = start_cluster()
    if cluster is None:
        print("PostgreSQL server programs are not installed", file=sys.stderr)
        return 1
    print(f"county bench: {args.changes} changes per configuration, batches of {args.batch}")
    print(
        f"{'workers':>7} {'townships':>9} {'changes/s':>10} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'RSS MB':>7} {'COPY rows/s':>12} {'COPY/push':>9}"
    )
    try:
        with tempfile.TemporaryDirectory() as work:
            for workers in (1, 4):
                db_url = cluster.create_database(f"bench_county_{workers}")
                engine = make_engine(db_url)
                upgrade_to_head(engine)
                store = CountyStore(make_session_factory(engine), SystemClock())
                all_codes = [f"3303{workers}{n:04d}" for n in range(26)]
                tokens = {code: store.issue_token("township", code) for code in all_codes}
                engine.dispose()
                process, url = serve(db_url, workers, Path(work) / f"county{workers}.log")
                bare_dsn = cluster.create_database(f"bench_bare_{workers}").replace(
                    "postgresql+psycopg", "postgresql"
                )
                try:
                    used = 0
                    for count in (1, 5, 20):
                        codes, used = all_codes[used : used + count], used + count
                        elapsed, latencies, rows = run_config(
                            url, tokens, codes, args.changes, args.batch
                        )
                        rss = county_rss(process)
                        copy_time = bare_copy(bare_dsn, rows)
                        latencies.sort()
                        p50 = statistics.median(latencies) * 1000
                        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
                        rate, copy_rate = len(rows) / elapsed, len(rows) / copy_time
                        print(
                            f"{workers:>7} {count:>9} {rate:>10,.0f} {p50:>8.0f} {p99:>8.0f} "
                            f"{rss / 2**20:>7.0f} {copy_rate:>12,.0f} "
                            f"{copy_rate / rate:>8.1f}×",
                            flush=True,
                        )
                finally:
                    process.send_signal(signal.SIGTERM)
                    process.wait(30)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
