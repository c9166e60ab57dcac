"""Mediation benchmark: ten years of sessions (default 100,000) in a local SQLite file, then
the four figures of the issue, each beside the bare SQL of the same read in the same run:

- a conflict check (room with buffer, mediator, parties; rules included)   target ≤ 5 ms
- the week view of all rooms: read the window and paint the grid offscreen target ≤ 100 ms
- the free-slot finder: next free 90 minutes for a labour-dispute mediator target ≤ 50 ms
- a weekly series of two years checked occurrence by occurrence           target ≤ 200 ms

    python -m bench.mediation [--sessions 100000] [--repeat 7]

The database is generated once under bench/out/ (Core bulk inserts of sessions and their
booking rows that never overlap) and reused by later runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
FIRST_DAY = dt.date(2017, 1, 2)
SLOTS = [("08:30", 90), ("10:15", 90), ("13:30", 90), ("15:15", 90)]


def build(path: Path, sessions: int) -> None:
    from sqlalchemy import insert

    from centre_app.app_context import AppContext
    from centre_app.clock import LOCAL_TZ
    from centre_app.mediation.working_days import WorkingDays
    from db.ids import new_id
    from db.models.mediation import Booking, MediationSession, SessionStatus

    ctx = AppContext.open(f"sqlite:///{path}", seed_demo=False)
    from centre_app.demo.reference import seed_reference

    seed_reference(ctx, random.Random(7), 1.0)
    rooms = ctx.mediation.rooms()
    mediators = ctx.mediation.mediators()
    rng = random.Random(11)
    calendar = WorkingDays()
    made = 0
    day = FIRST_DAY
    rows: list[dict[str, object]] = []
    bookings: list[dict[str, object]] = []
    now = dt.datetime.now(dt.UTC)
    while made < sessions:
        if calendar.is_working_day(day):
            for start, minutes in SLOTS:
                free = list(mediators)
                rng.shuffle(free)
                for room in rooms:
                    if made >= sessions or not free or rng.random() < 0.3:
                        continue
                    mediator = free.pop()
                    h, m = start.split(":")
                    begin = dt.datetime.combine(day, dt.time(int(h), int(m)), LOCAL_TZ).astimezone(
                        dt.UTC
                    )
                    end = begin + dt.timedelta(minutes=minutes)
                    sid = new_id()
                    party = [f"tel:{made}a", f"tel:{made}b"]
                    rows.append(
                        dict(
                            id=sid,
                            title=f"案件{made}",
                            room_id=room.id,
                            mediator_ids=[str(mediator.id)],
                            party_keys=party,
                            party_names=["甲", "乙"],
                            starts_at=begin,
                            ends_at=end,
                            buffer_minutes=room.buffer_minutes,
                            detached=False,
                            status=SessionStatus.HELD if begin < now else SessionStatus.PLANNED,
                            booked_by="bench",
                            created_at=now,
                            updated_at=now,
                        )
                    )
                    bookings.append(
                        dict(
                            id=new_id(),
                            session_id=sid,
                            resource=f"room:{room.id}",
                            starts_at=begin,
                            ends_at=end + dt.timedelta(minutes=room.buffer_minutes),
                        )
                    )
                    for res in [f"mediator:{mediator.id}", *(f"party:{p}" for p in party)]:
                        bookings.append(
                            dict(
                                id=new_id(),
                                session_id=sid,
                                resource=res,
                                starts_at=begin,
                                ends_at=end,
                            )
                        )
                    made += 1
        day += dt.timedelta(days=1)
        if len(rows) >= 5000 or made >= sessions:
            with ctx.engine.begin() as conn:
                conn.execute(insert(MediationSession), rows)
                conn.execute(insert(Booking), bookings)
            rows, bookings = [], []
            print(f"  generated {made:,} sessions up to {day}", flush=True)
    with ctx.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    ctx.close()


def timed(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    OUT.mkdir(exist_ok=True)
    path = OUT / f"mediation-{args.sessions}.db"
    if not path.exists():
        print(f"building {path} …")
        build(path, args.sessions)

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import and_, func, or_, select

    from centre_app.app_context import AppContext
    from centre_app.clock import LOCAL_TZ, ManualClock
    from centre_app.demo import DEMO_PASSWORD
    from centre_app.mediation.free_slots import find_free
    from centre_app.mediation.rota import SeriesDraft
    from centre_app.mediation.rules import MAX_SPAN
    from centre_app.mediation.service import SessionDraft
    from db.models.mediation import Booking, MediationSession
    from ui.mediation.grid import CalendarGrid, Column

    app = QApplication.instance() or QApplication(sys.argv)
    ctx = AppContext.open(
        f"sqlite:///{path}",
        seed_demo=False,
        clock=ManualClock(dt.datetime(2021, 6, 1, tzinfo=dt.UTC)),
    )
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    svc = ctx.mediation
    with ctx.session_factory() as s:
        total = s.scalar(select(func.count()).select_from(MediationSession))
        booking_rows = s.scalar(select(func.count()).select_from(Booking))
    rooms = svc.rooms()
    mediators = {m.name: m for m in svc.mediators()}
    day = dt.date(2021, 6, 8)  # a Tuesday in the middle of the ten years
    begin = dt.datetime.combine(day, dt.time(10, 15), LOCAL_TZ)
    draft = SessionDraft(
        rooms[0].id, begin, begin + dt.timedelta(minutes=60), [mediators["黄建平"].id]
    )

    def bare_check() -> object:
        start, end = begin.astimezone(dt.UTC), (begin + dt.timedelta(minutes=70)).astimezone(dt.UTC)
        with ctx.session_factory() as s:
            return s.execute(
                select(Booking.resource, MediationSession.title)
                .join(MediationSession, MediationSession.id == Booking.session_id)
                .where(
                    or_(
                        *[
                            and_(
                                Booking.resource == r,
                                Booking.starts_at < end,
                                Booking.starts_at > start - MAX_SPAN,
                                Booking.ends_at > start,
                            )
                            for r in (f"room:{rooms[0].id}", f"mediator:{mediators['黄建平'].id}")
                        ]
                    )
                )
            ).all()

    monday = day - dt.timedelta(days=day.weekday())
    week_start = dt.datetime.combine(monday, dt.time(0), LOCAL_TZ)
    week_end = week_start + dt.timedelta(days=7)
    grid = CalendarGrid()
    grid.resize(1800, 900)
    columns = [Column(monday + dt.timedelta(days=d), r.id, r.name) for d in range(5) for r in rooms]

    def week_view() -> object:
        views = svc.sessions_between(clerk, week_start, week_end)
        grid.set_content(columns, views)
        return grid.grab()

    def bare_week() -> object:
        with ctx.session_factory() as s:
            return s.execute(
                select(MediationSession).where(
                    MediationSession.starts_at >= week_start, MediationSession.starts_at < week_end
                )
            ).all()

    def free() -> object:
        return find_free(svc, clerk, 90, start=week_start, end=week_end, speciality="劳资纠纷")

    labour = [f"mediator:{m.id}" for m in mediators.values() if "劳资纠纷" in m.specialties]

    def bare_free() -> object:
        with ctx.session_factory() as s:
            return s.execute(
                select(Booking.resource, Booking.starts_at, Booking.ends_at).where(
                    Booking.resource.in_([f"room:{r.id}" for r in rooms] + labour),
                    Booking.starts_at > week_start - MAX_SPAN,
                    Booking.starts_at < week_end + MAX_SPAN,
                )
            ).all()

    series = SeriesDraft(
        rooms[1].id,
        [mediators["谢春生"].id],
        "FREQ=WEEKLY;BYDAY=TH;COUNT=104",
        dt.datetime(2021, 6, 10, 12, 15),
        60,
    )

    def series_check() -> object:
        return ctx.mediation_rota.preview(series)

    def bare_series() -> object:
        with ctx.session_factory() as s:
            for week in range(104):
                at = dt.datetime(2021, 6, 10, 12, 15, tzinfo=LOCAL_TZ) + dt.timedelta(weeks=week)
                s.execute(
                    select(Booking.id).where(
                        or_(
                            *[
                                and_(
                                    Booking.resource == r,
                                    Booking.starts_at < at + dt.timedelta(minutes=70),
                                    Booking.starts_at > at - MAX_SPAN,
                                    Booking.ends_at > at,
                                )
                                for r in (
                                    f"room:{rooms[1].id}",
                                    f"mediator:{mediators['谢春生'].id}",
                                )
                            ]
                        )
                    )
                ).all()
        return None

    print(
        f"\n{total:,} sessions ({booking_rows:,} booking rows), median of {args.repeat}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'case':44} {'app ms':>8} {'bare SQL ms':>12} {'target':>7}")
    for label, work, bare, target in (
        ("conflict check (room+buffer, mediator, rules)", lambda: svc.check(draft), bare_check, 5),
        ("week view, all rooms (read + paint)", week_view, bare_week, 100),
        (
            "  of which the read of the window",
            lambda: svc.sessions_between(clerk, week_start, week_end),
            bare_week,
            100,
        ),
        ("free-slot finder (90 min, 劳资纠纷, a week)", free, bare_free, 50),
        ("2-year weekly series checked (104 dates)", series_check, bare_series, 200),
    ):
        work(), bare()  # warm caches
        app_ms, bare_ms = timed(work, args.repeat), timed(bare, args.repeat)
        print(f"{label:44} {app_ms:8.1f} {bare_ms:12.1f} {target:7d}")
    ctx.close()
    del app
    _ = uuid
    return 0


if __name__ == "__main__":
    sys.exit(main())
