"""Reception benchmark: 500,000 visits of 200,000 visitors in a local SQLite file; finding a
visitor (ID number, last four digits, pinyin initials, name fragment), registering a visit
up to the printed-ticket job, and calling the next ticket — each beside the bare SQL.

    python -m bench.reception [--visits 500000] [--people 200000] [--repeat 7]

The database is generated once under bench/out/ (Core bulk inserts) and reused. The bare
SQL is the same indexed statement the app runs, without the service around it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

OUT = Path(__file__).resolve().parent / "out"


def build(path: Path, visits: int, people: int) -> None:
    from sqlalchemy import insert, select
    from stdnum.cn import ric

    from centre_app.app_context import AppContext
    from centre_app.demo.reference import person_name
    from centre_app.reception.visits import name_grams, name_initials
    from db.ids import new_id
    from db.models.reception import HallService, Visit, VisitNameGram, VisitPurpose, VisitRoute

    ctx = AppContext.open(f"sqlite:///{path}", demo_scale=0.001)
    rng = random.Random(7)
    today = dt.date(2026, 11, 20)
    persons = []
    for i in range(people):
        birth = today - dt.timedelta(days=rng.randrange(18 * 365, 85 * 365))
        body = f"330327{birth:%Y%m%d}{i % 1000:03d}"
        name = person_name(rng)
        persons.append((name, name_initials(name), body + ric.calc_check_digit(body + "0")))
    with ctx.session_factory() as session:
        services = list(session.execute(select(HallService.id, HallService.name)).all())
    start = dt.datetime(2023, 11, 20, tzinfo=dt.UTC)
    township = ctx.township_code
    batch: list[dict[str, object]] = []
    grams: list[dict[str, object]] = []
    with ctx.engine.begin() as conn:
        for n in range(visits):
            name, initials, number = persons[rng.randrange(people)]
            service_id, service_name = services[rng.randrange(len(services))]
            at = start + dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            now = dt.datetime.now(dt.UTC)
            visit_id = new_id()
            grams.extend(
                {"gram": g, "visit_id": visit_id, "visited_at": at} for g in name_grams(name)
            )
            batch.append(
                dict(
                    id=visit_id,
                    created_at=now,
                    updated_at=now,
                    township_code=township,
                    ticket_no=f"A{n % 999 + 1:03d}",
                    visited_at=at,
                    visitor_name=name,
                    name_initials=initials,
                    id_number=number,
                    id_last4=number[-4:],
                    phone="13857712345",
                    purpose=VisitPurpose.CONSULTATION,
                    summary="咨询",
                    group_size=1,
                    is_group_visit=False,
                    route=VisitRoute.WINDOW,
                    routed_to=service_name,
                    service_id=service_id,
                    registered_by="bench",
                )
            )
            if len(batch) == 20_000:
                conn.execute(insert(Visit), batch)
                conn.execute(insert(VisitNameGram), grams)
                batch.clear()
                grams.clear()
                print(f"  generated {n + 1:,} visits", flush=True)
        if batch:
            conn.execute(insert(Visit), batch)
            conn.execute(insert(VisitNameGram), grams)
        conn.exec_driver_sql("ANALYZE")
    ctx.close()


def timed(
    work: Callable[[], object], repeat: int, after: Callable[[object], object] = lambda _r: None
) -> float:
    """Median milliseconds of `repeat` runs after one warm-up; `after` (not timed) tidies
    up after each run."""
    after(work())
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        runs.append((time.perf_counter() - started) * 1000)
        after(result)
    return statistics.median(runs)


def run(ctx: AppContext, repeat: int) -> list[tuple[str, float, float, float]]:
    from sqlalchemy import select, text

    from centre_app.clock import SystemClock
    from centre_app.reception.ticket import escpos_bytes
    from centre_app.reception.visits import VisitDraft
    from centre_app.security.actor import SYSTEM_ACTOR
    from centre_app.settings import Key
    from db.models.reception import Visit, VisitPurpose, VisitRoute

    assert isinstance(ctx.clock, SystemClock)
    actor = SYSTEM_ACTOR
    with ctx.session_factory() as session:
        # A generated visitor (not one the registrations below add visits to): a rerun on
        # the same database looks up the same person with the same history.
        number, name = session.execute(
            select(Visit.id_number, Visit.visitor_name)
            .where(Visit.id_number.is_not(None), Visit.registered_by == "bench")
            .order_by(Visit.visited_at.desc())
            .limit(1)
        ).one()
    assert number is not None
    last4, fragment = number[-4:], name[-2:]
    initials = ctx.visits.recent(actor, limit=1)[0].visitor_name
    from centre_app.reception.visits import name_initials

    initials = name_initials(initials)
    township = ctx.township_code

    def bare(sql: str, **params: object) -> Callable[[], object]:
        def go() -> object:
            with ctx.engine.connect() as conn:
                return conn.execute(text(sql), {"t": township, **params}).all()

        return go

    rows: list[tuple[str, float, float, float]] = []

    def measure(
        label: str, target: float, app: Callable[[], object], base: Callable[[], object]
    ) -> None:
        rows.append((label, timed(app, repeat), timed(base, repeat), target))

    cols = "visit.id, ticket_no, visit.visited_at, visitor_name, id_number, purpose, group_size"
    measure(
        "visitor by ID number",
        20,
        lambda: ctx.visits.previous_visits(actor, number),
        bare(
            f"SELECT {cols} FROM visit WHERE township_code = :t AND id_number = :n "
            "ORDER BY visited_at DESC",
            n=number,
        ),
    )
    measure(
        "by last four digits",
        100,
        lambda: ctx.visits.recent(actor, search=last4, limit=500),
        bare(
            f"SELECT {cols} FROM visit WHERE township_code = :t AND id_last4 = :n "
            "ORDER BY visited_at DESC LIMIT 500",
            n=last4,
        ),
    )
    measure(
        "by pinyin initials",
        100,
        lambda: ctx.visits.recent(actor, search=initials, limit=500),
        bare(
            f"SELECT {cols} FROM visit WHERE township_code = :t AND name_initials >= :n "
            "AND name_initials < :m ORDER BY visited_at DESC LIMIT 500",
            n=initials,
            m=initials[:-1] + chr(ord(initials[-1]) + 1),
        ),
    )
    measure(
        "by name fragment",
        100,
        lambda: ctx.visits.recent(actor, search=fragment, limit=500),
        bare(
            f"SELECT {cols} FROM visit JOIN visit_name_gram g ON g.visit_id = visit.id "
            "WHERE g.gram = :g AND township_code = :t AND visitor_name LIKE :n "
            "ORDER BY g.visited_at DESC LIMIT 500",
            g=fragment[:2],
            n=f"%{fragment}%",
        ),
    )
    centre = str(ctx.settings.get(Key.CENTRE_NAME))
    from stdnum.cn import ric

    body = "33032720100101999"  # born 2010: no generated visitor (18 to 85 years old)
    draft = VisitDraft(
        visitor_name="郑美玲",
        id_number=body + ric.calc_check_digit(body + "0"),
        phone="13857712345",
        purpose=VisitPurpose.CONSULTATION,
        summary="咨询",
        route=VisitRoute.WINDOW,
        service_letter="A",
    )

    def register_to_ticket() -> bytes:
        # What the clerk's Ctrl+Enter runs: the check-in (visit, ticket, slip content in
        # one transaction) and the printer's bytes.
        slip = ctx.visits.check_in(actor, draft, centre).slip
        assert slip is not None
        return escpos_bytes(slip)

    def bare_register() -> None:
        with ctx.engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE ticket_counter SET last_number = last_number + 1 "
                    "WHERE service_id = (SELECT service_id FROM ticket_counter LIMIT 1) "
                    "RETURNING last_number"
                )
            ).all()
            conn.execute(
                text(
                    "INSERT INTO visit (id, created_at, updated_at, township_code, ticket_no, "
                    "visited_at, visitor_name, name_initials, id_number, purpose, summary, "
                    "group_size, is_group_visit, route, routed_to, registered_by) VALUES "
                    "(:id, :now, :now, :t, 'A999', :now, '郑美玲', 'zml', :n, 'consultation', "
                    "'', 1, 0, 'window', '咨询', 'bench')"
                ),
                {
                    "id": __import__("uuid").uuid4().hex,
                    "now": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    "t": township,
                    "n": number,
                },
            )

    measure("register → ticket job", 50, register_to_ticket, bare_register)
    window = next(w.id for w in ctx.hall.windows() if "A" in w.service_letters)

    def call() -> object:
        return ctx.hall.call_next(actor, window)

    def leave(ticket: object) -> None:  # outside the timing: frees the window
        if ticket is not None:
            ctx.hall.left(actor, ticket.id)  # type: ignore[attr-defined]

    def bare_call() -> None:
        with ctx.engine.begin() as conn:
            row = conn.execute(
                text(
                    "SELECT id FROM queue_ticket WHERE day = :d AND state = 'waiting' "
                    "ORDER BY priority DESC, queued_at LIMIT 1"
                ),
                {"d": dt.datetime.now(dt.UTC).date()},
            ).first()
            if row is not None:
                conn.execute(
                    text(
                        "UPDATE queue_ticket SET state = 'called' WHERE id = :i "
                        "AND state = 'waiting'"
                    ),
                    {"i": row[0]},
                )

    for _ in range(3 * (repeat + 1)):
        ctx.visits.register(actor, draft)  # people waiting for both the app and the bare SQL
    rows.append(("call next", timed(call, repeat, leave), timed(bare_call, repeat), 50))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=500_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from centre_app.app_context import AppContext

    OUT.mkdir(exist_ok=True)
    path = OUT / f"reception-{args.visits}-{args.people}.db"
    if not path.exists():
        print(f"building {path.name} …", flush=True)
        build(path, args.visits, args.people)
    ctx = AppContext.open(f"sqlite:///{path}", seed_demo=False)
    try:
        rows = run(ctx, args.repeat)
    finally:
        ctx.close()
    print(f"\n{args.visits:,} visits of {args.people:,} visitors, median of {args.repeat} runs")
    print(f"{'':28}{'app ms':>10}{'bare SQL ms':>14}{'target ms':>12}")
    for label, app, bare, target in rows:
        mark = "ok" if app <= target else "OVER"
        print(f"{label:28}{app:10.1f}{bare:14.1f}{target:12.0f}  {mark}")


if __name__ == "__main__":
    main()
