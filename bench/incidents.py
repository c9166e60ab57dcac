"""Incident queue benchmark: N incidents (default 1,000,000) in a local SQLite file, the
queue model opened, filtered and searched, each next to the bare SQL of the same query.

    python -m bench.incidents [--rows 1000000] [--repeat 5]

The database is generated once under bench/out/ (Core bulk inserts of plausible rows over
the demo township's reference data) and reused by later runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def build(path: Path, rows: int) -> None:
    from sqlalchemy import insert, select

    from centre_app.app_context import AppContext
    from centre_app.incidents.categories import CATEGORIES
    from centre_app.incidents.demo import SITES, TEMPLATES
    from db.ids import new_id
    from db.models import Area, AreaLevel, Department
    from db.models.incidents import Channel, Incident, IncidentState, RiskColour

    ctx = AppContext.open(f"sqlite:///{path}", demo_scale=0.001)
    with ctx.session_factory() as session:
        grids = list(session.execute(select(Area.id, Area.name).where(
            Area.level == AreaLevel.GRID)).all())
        departments = list(session.scalars(select(Department.id)))
    rng = random.Random(1)
    now = dt.datetime.now(dt.UTC)
    states = list(IncidentState)
    weights = [3, 4, 1, 1, 4, 3, 3, 2, 75, 4]
    chunk = 50_000
    number = 0
    with ctx.engine.begin() as conn:
        for start in range(0, rows, chunk):
            batch = []
            for _ in range(min(chunk, rows - start)):
                number += 1
                category = rng.choice(list(CATEGORIES))
                sub = rng.choice(CATEGORIES[category])
                grid_id, grid_name = rng.choice(grids)
                place = grid_name + rng.choice(SITES)
                title = rng.choice(TEMPLATES[sub]).format(place=place, n=rng.randrange(2, 40),
                                                          m=rng.randrange(2, 7))[:60]
                reported = now - dt.timedelta(seconds=rng.randrange(5 * 365 * 86400))
                state = rng.choices(states, weights)[0]
                batch.append(dict(
                    id=new_id(), created_at=reported, updated_at=reported,
                    township_code=ctx.township_code,
                    case_no=f"{ctx.township_code}-{reported.year}-{number:07d}",
                    channel=rng.choice(list(Channel)), category=category, subcategory=sub,
                    colour=rng.choice(list(RiskColour)), grid_id=grid_id, place=place,
                    title=title, description=title + "。请尽快核实处置。", people_involved=1,
                    reporter="网格员", reported_at=reported, state=state,
                    department_id=rng.choice(departments) if state is not IncidentState.REPORTED
                    else None, assignee="zhiban",
                    deadline=reported + dt.timedelta(hours=rng.choice((24, 72, 168)))))
            conn.execute(insert(Incident), batch)
            print(f"  generated {start + len(batch):,} rows", flush=True)
    ctx.close()


def timed(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"incidents-{args.rows}.db"
    os.environ.setdefault("ZONGZHI_DATA_DIR", str(OUT / "data"))
    if not path.exists():
        print(f"building {path} …")
        build(path, args.rows)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import psutil
    from PySide6.QtWidgets import QApplication
    from sqlalchemy.dialects import sqlite

    from centre_app.app_context import AppContext
    from centre_app.incidents.queries import Queue, QueueFilter, SortKey
    from centre_app.security.actor import SYSTEM_ACTOR
    from db.models.incidents import RiskColour
    from ui.incidents.queue_model import WINDOW, QueueModel

    QApplication.instance() or QApplication(sys.argv[:1])
    ctx = AppContext.open(f"sqlite:///{path}")
    queries = ctx.incident_queries
    model = QueueModel(ctx, SYSTEM_ACTOR)
    raw = ctx.engine.raw_connection()

    def bare(flt: QueueFilter) -> Callable[[], object]:
        """The same two statements the model runs, compiled to SQL and run on the driver."""
        def sql(statement: object) -> str:
            return str(statement.compile(dialect=sqlite.dialect(),  # type: ignore[attr-defined]
                                         compile_kwargs={"literal_binds": True}))
        count = sql(queries.count_statement(SYSTEM_ACTOR, flt))
        window = sql(queries.rows_statement(SYSTEM_ACTOR, flt, offset=0, limit=WINDOW))

        def run() -> None:
            cur = raw.cursor()
            cur.execute(count).fetchone()
            cur.execute(window).fetchall()
        return run

    cases = [
        ("open queue 全部在办", QueueFilter(queue=Queue.OPEN)),
        ("open queue 待分流", QueueFilter(queue=Queue.UNTRIAGED)),
        ("filter colour 红 (全部事件)", QueueFilter(queue=Queue.ALL, colour=RiskColour.RED)),
        ("sort 上报时间 newest (全部事件)",
         QueueFilter(queue=Queue.ALL, sort=SortKey.REPORTED, descending=True)),
        ("sort 案件编号 (全部在办)", QueueFilter(queue=Queue.OPEN, sort=SortKey.CASE_NO)),
        ("filter date range, 1 month (全部事件)",
         QueueFilter(queue=Queue.ALL, reported_from=dt.date.today() - dt.timedelta(days=30),
                     reported_to=dt.date.today())),
        ("search 2 chars 纠纷 (全部事件)", QueueFilter(queue=Queue.ALL, search="纠纷")),
        ("search 3 chars 菜市场 (全部事件)", QueueFilter(queue=Queue.ALL, search="菜市场")),
    ]
    print(f"\n{args.rows:,} incidents, median of {args.repeat}")
    print(f"{'case':34} {'model ms':>9} {'bare SQL ms':>12} {'ratio':>6}  rows")
    for label, flt in cases:
        app_ms = timed(lambda f=flt: model.setFilter(f), args.repeat)
        bare_ms = timed(bare(flt), args.repeat)
        print(f"{label:34} {app_ms:9.0f} {bare_ms:12.0f} {app_ms / bare_ms:6.2f}  {model.total:,}")
    model.setFilter(QueueFilter(queue=Queue.ALL))
    began = time.perf_counter()
    for _ in range(10):
        model.fetchMore(model.index(-1, -1))
    print(f"scroll: 10 more windows of {WINDOW} rows: "
          f"{(time.perf_counter() - began) * 1000:.0f} ms; rows loaded {model.rowCount():,} "
          f"of {model.total:,} (never all)")
    print(f"resident memory: {psutil.Process().memory_info().rss / 2**20:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
