"""Mediator menu benchmark: on the ten years of sessions of `bench.mediation` (built there
once under bench/out/), the menu a party picks from — every active mediator with the last
year's figures and three free slots of 60 minutes — beside the bare SQL it cannot do
without (the bookings of every room and mediator over the two weeks searched, and the last
year's cases with their sessions), in the same run.

    python -m bench.mediation_menu [--sessions 100000] [--repeat 5]

The menu is read on the thread pool; the figure says how long the party waits for the cards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable

from bench.mediation import OUT, build


def timed(work: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    OUT.mkdir(exist_ok=True)
    path = OUT / f"mediation-{args.sessions}.db"
    if not path.exists():
        print(f"building {path} …")
        build(path, args.sessions)

    from sqlalchemy import func, select

    from centre_app.app_context import AppContext
    from centre_app.clock import ManualClock
    from centre_app.demo import DEMO_PASSWORD
    from centre_app.mediation.menu import RATE_PERIOD, SEARCH_DAYS, mediator_menu
    from centre_app.mediation.rules import MAX_SPAN
    from db.models.mediation import Booking, MediationCase, MediationSession

    now = dt.datetime(2021, 6, 8, 1, 0, tzinfo=dt.UTC)  # a Tuesday, 09:00 in Shanghai
    ctx = AppContext.open(f"sqlite:///{path}", seed_demo=False, clock=ManualClock(now))
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    with ctx.session_factory() as s:
        total = s.scalar(select(func.count()).select_from(MediationSession))
    resources = [f"room:{r.id}" for r in ctx.mediation.rooms()] + [
        f"mediator:{m.id}" for m in ctx.mediation.mediators()
    ]
    end = now + dt.timedelta(days=SEARCH_DAYS)

    def menu() -> object:
        entries = mediator_menu(ctx.mediation, ctx.mediation_stats, clerk, speciality="劳资纠纷")
        assert all(len(e.next_slots) == 3 for e in entries), "a mediator without three slots"
        return entries

    def bare() -> object:
        with ctx.session_factory() as s:
            spans = s.execute(
                select(Booking.resource, Booking.starts_at, Booking.ends_at).where(
                    Booking.resource.in_(resources),
                    Booking.starts_at > now - MAX_SPAN,
                    Booking.starts_at < end + MAX_SPAN,
                )
            ).all()
            cases = s.execute(
                select(MediationCase.id, MediationCase.state).where(
                    MediationCase.accepted_at >= now - RATE_PERIOD, MediationCase.accepted_at < now
                )
            ).all()
            return spans, cases

    print(
        f"{total:,} sessions, {len(ctx.mediation.mediators())} mediators, median of {args.repeat}"
    )
    menu()  # warm the caches once, as the first open of the page does
    app_ms, bare_ms = timed(menu, args.repeat), timed(bare, args.repeat)
    print("| case | app ms | bare SQL ms |")
    print("|---|---|---|")
    print(
        f"| mediator menu (10 mediators × 3 free 60-minute slots, last year's 化解率) "
        f"| {statistics.median(app_ms):.1f} | {statistics.median(bare_ms):.1f} |"
    )
    ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
