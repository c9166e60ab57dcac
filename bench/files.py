"""The centre's file store on PostgreSQL (loopback) beside the bare SQL and a disk copy.

    python -m bench.files [--megabytes 20] [--repeat 3]

For one clip-sized file: storing it at one desk (`FileStore.put`, 1 MiB chunks, one
transaction), reading it at another desk with an empty cache (streamed from the database,
checked, written to the cache), and reading it again (cache hit). Beside them, in the same
run: the bare SQL (one INSERT of the whole file as one bytea, one SELECT of it) and a plain
copy of the file on disk. Peak Python memory (tracemalloc) shows the bytes stream: the
store's peak stays near two chunks, the bare SQL's holds the whole file (more than once).

Needs PostgreSQL's server programs (Debian's `postgresql`): a throwaway cluster is started
and removed (tests/support/postgres.py).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _measure(work: Callable[[], Any]) -> tuple[float, float]:
    """(milliseconds, peak MiB of Python allocations) of one call."""
    tracemalloc.start()
    began = time.perf_counter()
    work()
    elapsed = (time.perf_counter() - began) * 1000
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / (1 << 20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import os

    from sqlalchemy import LargeBinary, text

    from centre_app.clock import SystemClock
    from centre_app.files.store import FileStore
    from db.engine import make_engine, make_session_factory
    from db.migrate import upgrade_to_head
    from tests.support.postgres import start_cluster

    cluster = start_cluster()
    if cluster is None:
        print("PostgreSQL server programs are not installed")
        return 1
    rows: dict[str, list[tuple[float, float]]] = {}
    try:
        url = cluster.create_database("bench_files")
        engine = make_engine(url)
        upgrade_to_head(engine)
        sf = make_session_factory(engine)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE bare_blob (id int PRIMARY KEY, data bytea)"))
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for run in range(args.repeat):
                source = root / f"clip-{run}.ts"
                source.write_bytes(os.urandom(args.megabytes << 20))  # new content each run
                writer = FileStore(sf, SystemClock(), root / f"desk-1-{run}")
                reader = FileStore(sf, SystemClock(), root / f"desk-2-{run}")
                holder: dict[str, str] = {}

                def put(
                    store: FileStore = writer, path: Path = source, out: dict[str, str] = holder
                ) -> None:
                    with sf.begin() as session:
                        out["sha"] = store.put(session, path)

                def bare_insert(path: Path = source, key: int = run) -> None:
                    with engine.begin() as conn:
                        conn.execute(
                            text("INSERT INTO bare_blob VALUES (:id, :data)").bindparams(
                                data=path.read_bytes()
                            ),
                            {"id": key},
                        ).close()

                def bare_select(key: int = run) -> None:
                    with engine.connect() as conn:
                        conn.execute(
                            text("SELECT data FROM bare_blob WHERE id = :id").columns(
                                data=LargeBinary
                            ),
                            {"id": key},
                        ).scalar_one()

                for name, work in (
                    ("store: put at desk 1 (chunks, one transaction)", put),
                    ("bare SQL: one INSERT of the whole file", bare_insert),
                    (
                        "store: read at desk 2, cold cache (stream, check, cache)",
                        lambda r=reader, h=holder: r.local_path(h["sha"]),
                    ),
                    ("bare SQL: one SELECT of the whole file", bare_select),
                    (
                        "store: read at desk 2 again (cache hit)",
                        lambda r=reader, h=holder: r.local_path(h["sha"]),
                    ),
                    (
                        "disk: copy the file",
                        lambda s=source, t=root / f"copy-{run}": shutil.copyfile(s, t),
                    ),
                ):
                    rows.setdefault(name, []).append(_measure(work))
        engine.dispose()
    finally:
        cluster.stop()
    print(f"{args.megabytes} MiB file, PostgreSQL on loopback, {args.repeat} runs")
    print(f"{'':58} {'ms per run':>26}  {'peak Python MiB':>15}")
    for name, figures in rows.items():
        times = " / ".join(f"{ms:.0f}" for ms, _ in figures)
        print(f"{name:58} {times:>26}  {max(p for _, p in figures):>15.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
