"""Incident queue benchmark: N incidents (default 1,000,000) in a local SQLite file, the
queue model opened, filtered and searched, each next to the bare SQL of the same query.

    python -m bench.incidents [--rows 1000000] [--repeat 5]

Every measured row is printed twice: as it is measured, and at the end as a Markdown table
with its target and ✓/✗ (the README's table is that output pasted whole, so a figure that
misses its target is never left out).

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
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

OUT = Path(__file__).resolve().parent / "out"


def build(path: Path, rows: int) -> None:
    from centre_app.app_context import AppContext

    ctx = AppContext.open(f"sqlite:///{path}", demo_scale=0.001)
    generate(ctx, rows, progress=lambda n: print(f"  generated {n:,} rows", flush=True))
    with ctx.engine.begin() as conn:  # the planner's statistics, as the migration leaves them
        conn.exec_driver_sql("ANALYZE incident")
    ctx.close()


def generate(
    ctx: AppContext,
    rows: int,
    *,
    seed: int = 1,
    now: dt.datetime | None = None,
    progress: Callable[[int], object] = lambda _n: None,
) -> None:
    """`rows` plausible incidents over the township's grids and departments, written with
    Core bulk inserts (the search index triggers and the sort keys included)."""
    from sqlalchemy import insert, select

    from centre_app.incidents.categories import CATEGORIES
    from centre_app.incidents.demo import SITES, TEMPLATES
    from db.ids import new_id
    from db.models import Area, AreaLevel, Department
    from db.models.incidents import Channel, Incident, IncidentState, RiskColour, sort_keys

    with ctx.session_factory() as session:
        grids = list(
            session.execute(select(Area.id, Area.name).where(Area.level == AreaLevel.GRID)).all()
        )
        departments = list(session.scalars(select(Department.id)))
        first = session.scalar(select(func.count()).select_from(Incident)) or 0
    rng = random.Random(seed)
    now = now or dt.datetime.now(dt.UTC)
    states = list(IncidentState)
    weights = [3, 4, 1, 1, 4, 3, 3, 2, 75, 4]
    chunk = 50_000
    number = first
    with ctx.engine.begin() as conn:
        for start in range(0, rows, chunk):
            batch = []
            for _ in range(min(chunk, rows - start)):
                number += 1
                category = rng.choice(list(CATEGORIES))
                sub = rng.choice(CATEGORIES[category])
                grid_id, grid_name = rng.choice(grids)
                place = grid_name + rng.choice(SITES)
                title = rng.choice(TEMPLATES[sub]).format(
                    place=place, n=rng.randrange(2, 40), m=rng.randrange(2, 7)
                )[:60]
                reported = now - dt.timedelta(seconds=rng.randrange(5 * 365 * 86400))
                state = rng.choices(states, weights)[0]
                colour = rng.choice(list(RiskColour))
                # Some cases have no deadline yet (untriaged), as in the real queues.
                deadline = (
                    None
                    if state is IncidentState.REPORTED
                    else (reported + dt.timedelta(hours=rng.choice((24, 72, 168))))
                )
                priority_key, due_key = sort_keys(colour, deadline)
                batch.append(
                    dict(
                        id=new_id(),
                        created_at=reported,
                        updated_at=reported,
                        township_code=ctx.township_code,
                        case_no=f"{ctx.township_code}-{reported.year}-{number:07d}",
                        channel=rng.choice(list(Channel)),
                        category=category,
                        subcategory=sub,
                        colour=colour,
                        grid_id=grid_id,
                        place=place,
                        title=title,
                        description=title + "。请尽快核实处置。",
                        people_involved=1,
                        reporter="网格员",
                        reported_at=reported,
                        state=state,
                        department_id=rng.choice(departments)
                        if state is not IncidentState.REPORTED
                        else None,
                        assignee=rng.choice(("zhiban", "zhiban2", None)),
                        deadline=deadline,
                        red_at=reported if colour is RiskColour.RED else None,
                        priority_key=priority_key,
                        due_key=due_key,
                    )
                )
            conn.execute(insert(Incident), batch)
            progress(start + len(batch))


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
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select
    from sqlalchemy.dialects import sqlite

    from centre_app.app_context import AppContext
    from centre_app.demo import DEMO_PASSWORD
    from centre_app.errors import DomainError
    from centre_app.incidents.queries import Queue, QueueFilter, SortKey
    from centre_app.incidents.workflow import OPEN_STATES
    from centre_app.security.actor import SYSTEM_ACTOR, Actor
    from db.models import Area, AreaLevel, Department
    from db.models.incidents import Incident, RiskColour
    from ui.incidents.queue_model import WINDOW, QueueModel

    QApplication.instance() or QApplication(sys.argv[:1])
    ctx = AppContext.open(f"sqlite:///{path}")
    queries = ctx.incident_queries
    actor: Actor
    try:
        actor = ctx.auth.login("zhiban", DEMO_PASSWORD)  # 我的 is the duty officer's queue
    except DomainError:
        actor = SYSTEM_ACTOR
    model = QueueModel(ctx, actor)
    raw = ctx.engine.raw_connection()

    def sql(statement: object) -> str:
        return str(
            statement.compile(
                dialect=sqlite.dialect(),  # type: ignore[attr-defined]
                compile_kwargs={"literal_binds": True},
            )
        )

    def bare(flt: QueueFilter) -> Callable[[], object]:
        """The same two statements the model runs, compiled to SQL and run on the driver."""
        total = queries.count(actor, flt)
        count = sql(queries.count_statement(actor, flt))
        window = sql(queries.rows_statement(actor, flt, offset=0, limit=WINDOW, total=total))

        def run() -> None:
            cur = raw.cursor()
            cur.execute(count).fetchone()
            cur.execute(window).fetchall()

        return run

    with ctx.session_factory() as session:
        village = session.scalar(select(Area.id).where(Area.level == AreaLevel.VILLAGE))
        # The department with the most open cases: the biggest 按部门 queue.
        busiest = session.execute(
            select(Incident.department_id, Department.name)
            .join(Department, Department.id == Incident.department_id)
            .where(Incident.state.in_(OPEN_STATES))
            .group_by(Incident.department_id, Department.name)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
    today = dt.date.today()
    cases: list[tuple[str, QueueFilter]] = [
        *((f"open queue {q.value}", QueueFilter(queue=q)) for q in Queue),
        *(
            (
                (
                    f"open queue department {busiest[1]}",
                    QueueFilter(queue=Queue.DEPARTMENT, department_id=busiest[0]),
                ),
            )
            if busiest
            else ()
        ),
        ("filter colour 红 (全部事件)", QueueFilter(queue=Queue.ALL, colour=RiskColour.RED)),
        ("filter category 安全生产 (全部事件)", QueueFilter(queue=Queue.ALL, category="安全生产")),
        ("filter village grids (全部在办)", QueueFilter(queue=Queue.OPEN, grid_id=village)),
        (
            "filter 1 month (全部事件)",
            QueueFilter(
                queue=Queue.ALL, reported_from=today - dt.timedelta(days=30), reported_to=today
            ),
        ),
        ("search 2 chars 纠纷 (全部事件)", QueueFilter(queue=Queue.ALL, search="纠纷")),
        ("search 2 chars 工资 (全部在办)", QueueFilter(queue=Queue.OPEN, search="工资")),
        ("search 3 chars 菜市场 (全部事件)", QueueFilter(queue=Queue.ALL, search="菜市场")),
        ("search 4 chars 拖欠工资 (全部事件)", QueueFilter(queue=Queue.ALL, search="拖欠工资")),
        ("search 4 chars 拖欠工资 (全部在办)", QueueFilter(queue=Queue.OPEN, search="拖欠工资")),
    ]
    load = os.getloadavg()
    print(
        f"\n{args.rows:,} incidents, median of {args.repeat}; load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"
    )
    print(f"{'case':36} {'model ms':>9} {'bare SQL ms':>12} {'ratio':>6}  rows")
    app = QApplication.instance()

    def counted() -> None:
        """A big search shows its first window, then is counted on a pool thread."""
        while model.counting:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

    later: list[str] = []
    table: list[tuple[str, float, float | None, str, float | None]] = []  # for the Markdown

    def target(label: str) -> float | None:
        """The target (ms) of a row, by its kind (README: queues and filters ≤ 300/150 ms,
        sorts ≤ 150, searches ≤ 200)."""
        for prefix, ms in (
            ("open queue", 300.0),
            ("filter", 150.0),
            ("re-sort", 150.0),
            ("search", 200.0),
            ("scroll", 150.0),
            ("jump", 300.0),
        ):
            if label.startswith(prefix):
                return ms
        return None

    for label, flt in cases:
        app_ms = timed(lambda f=flt: model.setFilter(f), args.repeat)  # type: ignore[misc]
        note = " (counted on a pool thread)" if model.counting else ""
        if model.counting:
            count_ms = timed(
                lambda f=flt: (model.setFilter(f), counted()),  # type: ignore[misc]
                args.repeat,
            )
            later.append(
                f"{label}: first {WINDOW} rows shown in {app_ms:.0f} ms, "
                f"count of {model.total:,} complete at {count_ms:.0f} ms"
            )
        bare_ms = timed(bare(flt), args.repeat)
        print(
            f"{label:36} {app_ms:9.1f} {bare_ms:12.1f} {app_ms / bare_ms:6.2f}  "
            f"{model.total:,}{note}"
        )
        table.append((label, app_ms, bare_ms, f"{model.total:,} rows{note}", target(label)))
    for line in later:
        print(line)

    # A header click re-sorts the rows on screen: one window query, the count is kept.
    sorts: list[tuple[str, QueueFilter]] = [
        (
            "re-sort 上报时间 newest (全部在办)",
            QueueFilter(queue=Queue.OPEN, sort=SortKey.REPORTED, descending=True),
        ),
        ("re-sort 处置时限 (全部在办)", QueueFilter(queue=Queue.OPEN, sort=SortKey.DEADLINE)),
        ("re-sort 案件编号 (全部在办)", QueueFilter(queue=Queue.OPEN, sort=SortKey.CASE_NO)),
        ("re-sort 优先级 reversed (全部事件)", QueueFilter(queue=Queue.ALL, descending=True)),
    ]
    for label, flt in sorts:
        model.setFilter(replace(flt, sort=SortKey.PRIORITY, descending=False))
        app_ms = timed(
            lambda f=flt: model.sortBy(f.sort, f.descending),  # type: ignore[misc]
            args.repeat,
        )
        window = sql(queries.rows_statement(actor, flt, offset=0, limit=WINDOW, total=model.total))
        bare_ms = timed(
            lambda s=window: raw.cursor().execute(s).fetchall(),  # type: ignore[misc]
            args.repeat,
        )
        print(f"{label:36} {app_ms:9.1f} {bare_ms:12.1f} {app_ms / bare_ms:6.2f}  {model.total:,}")
        table.append((label, app_ms, bare_ms, f"{model.total:,} rows", target(label)))

    # Scrolling: the view asks for rows by number; only their windows are read.
    scroll = QueueFilter(queue=Queue.ALL)
    total = queries.count(actor, scroll)
    last_sql = sql(
        queries.rows_statement(actor, scroll, offset=0, limit=WINDOW, from_end=True, total=total)
    )
    middle = total // 2
    middle_sql = sql(
        queries.rows_statement(
            actor, scroll, offset=middle // WINDOW * WINDOW, limit=WINDOW, total=total
        )
    )

    def to_row(row: int) -> Callable[[], object]:
        def run() -> None:
            model.setFilter(scroll)
            began = time.perf_counter()
            model.data(model.index(row, 1))
            samples.append(time.perf_counter() - began)

        return run

    for label, row, statement in (
        ("scroll to the last row (全部事件)", total - 1, last_sql),
        ("jump to the middle row (OFFSET)", middle, middle_sql),
    ):
        samples: list[float] = []
        timed(to_row(row), args.repeat)
        app_ms = statistics.median(samples) * 1000
        bare_ms = timed(
            lambda s=statement: raw.cursor().execute(s).fetchall(),  # type: ignore[misc]
            args.repeat,
        )
        print(
            f"{label:36} {app_ms:9.1f} {bare_ms:12.1f} {app_ms / bare_ms:6.2f}  "
            f"rowCount {model.rowCount():,}; rows read {model.rows_loaded:,} in "
            f"{model.queries_run} queries"
        )
        table.append((label, app_ms, bare_ms, f"rows read {model.rows_loaded:,}", target(label)))
    began = time.perf_counter()
    for row in range(total - 1, total - 1 - 20 * WINDOW, -WINDOW // 4):  # scroll up from the end
        model.data(model.index(row, 1))
    print(
        f"scroll up 20 windows from the end: {(time.perf_counter() - began) * 1000:.0f} ms "
        f"(keyset, one indexed query per window); rows cached {model.rows_loaded:,}"
    )
    rss = psutil.Process().memory_info().rss / 2**20
    print(f"resident memory: {rss:.0f} MB")
    print(
        f"\n| case ({args.rows:,} incidents, median of {args.repeat}) | model ms | "
        "bare SQL ms | ratio | notes | target |"
    )
    print("|---|---|---|---|---|---|")
    for case, model_ms, sql_ms, notes, goal in table:
        verdict = "" if goal is None else f"≤ {goal:.0f} ms {'✓' if model_ms <= goal else '✗'}"
        ratio = f"{model_ms / sql_ms:.2f}" if sql_ms else ""
        sql_text = f"{sql_ms:,.1f}" if sql_ms is not None else ""
        print(f"| {case} | {model_ms:,.1f} | {sql_text} | {ratio} | {notes} | {verdict} |")
    print(
        f"| resident memory, queues open | {rss:.0f} MB | | | | ≤ 400 MB "
        f"{'✓' if rss <= 400 else '✗'} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
