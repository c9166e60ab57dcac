"""Two desks booking the same slot at the same moment on the centre's PostgreSQL: the
exclusion constraint lets exactly one through and the other is told which booking won.
The same on SQLite, where the check and the write share the database's write lock."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.demo.reference import seed_reference
from centre_app.errors import ConflictError
from centre_app.mediation.rules import validate_slot
from centre_app.mediation.service import SessionDraft
from db.models.mediation import Booking, MediationSession
from tests.support.postgres import PostgresCluster
from tests.unit.mediation.conftest import MONDAY, at


def two_desks(url: str, clock: ManualClock) -> tuple[AppContext, AppContext]:
    first = AppContext.open(url, clock=clock, seed_demo=False)
    if first.created_fresh:
        seed_reference(first, random.Random(7), 1.0)
    return first, AppContext.open(url, clock=clock, seed_demo=False)


@pytest.fixture
def pg_desks(
    postgres: PostgresCluster, clock: ManualClock, data_dir: Path
) -> Iterator[tuple[AppContext, AppContext]]:
    desks = two_desks(postgres.create_database("mediation_desks"), clock)
    yield desks
    for desk in desks:
        desk.close()


def draft(
    desk: AppContext,
    room: str = "劳动争议调解室",
    mediator: str = "黄建平",
    start: str = "09:00",
    end: str = "10:00",
) -> SessionDraft:
    rooms = {r.name: r.id for r in desk.mediation.rooms()}
    mediators = {m.name: m.id for m in desk.mediation.mediators()}
    return SessionDraft(rooms[room], at(MONDAY, start), at(MONDAY, end), [mediators[mediator]])


def sessions(desk: AppContext) -> int:
    with desk.session_factory() as s:
        return s.scalar(select(func.count()).select_from(MediationSession)) or 0


@pytest.mark.integration
def test_the_database_refuses_the_second_desk_even_when_its_check_saw_nothing(
    pg_desks: tuple[AppContext, AppContext],
) -> None:
    """Desk A has written its booking but not committed; desk B's check cannot see it,
    so only the exclusion constraint stands between B and a double booking."""
    a, b = pg_desks
    clerk_a = a.auth.login("jiedai", DEMO_PASSWORD)
    clerk_b = b.auth.login("zhiban", DEMO_PASSWORD)
    outcome: list[BaseException | None] = []

    def desk_b() -> None:
        try:
            b.mediation.book(
                clerk_b,
                draft(b, room="劳动争议调解室", mediator="潘丽华", start="09:30", end="10:30"),
            )
            outcome.append(None)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    wanted = draft(a)
    with a.mediation._writing() as session:
        a.mediation._book_in(
            session, clerk_a, wanted, validate_slot(wanted.starts_at, wanted.ends_at), False
        )
        session.flush()
        thread = threading.Thread(target=desk_b)
        thread.start()
        thread.join(timeout=2.0)
        assert thread.is_alive(), "desk B should wait on desk A's uncommitted booking"
    thread.join(timeout=20)
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError)
    assert outcome[0].message == (
        "调解室 劳动争议调解室 已有安排：与 09:00–10:00 劳动争议调解室 黄建平 值班冲突"
    )
    assert sessions(a) == 1


@pytest.mark.integration
def test_eight_desks_racing_for_one_slot_book_it_once(
    pg_desks: tuple[AppContext, AppContext],
) -> None:
    a, b = pg_desks
    clerks = [
        (desk, desk.auth.login(user, DEMO_PASSWORD))
        for desk, user in [(a, "jiedai"), (b, "zhiban")]
    ]
    names = ["黄建平", "潘丽华", "吴晓东", "陈国华", "郑美玲", "谢春生", "林阿土", "蔡文斌"]
    barrier = threading.Barrier(len(names))
    results: list[str] = []

    def race(i: int) -> None:
        desk, clerk = clerks[i % 2]
        barrier.wait()
        try:
            desk.mediation.book(clerk, draft(desk, mediator=names[i]))
            results.append("booked")
        except ConflictError as exc:
            results.append(exc.message)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(names))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results.count("booked") == 1
    assert all("已有安排：与 09:00–10:00 劳动争议调解室" in r for r in results if r != "booked")
    with a.session_factory() as s:
        overlapping = s.scalar(
            text(
                "select count(*) from mediation_booking x join mediation_booking y "
                "on x.resource = y.resource and x.id < y.id "
                "and x.starts_at < y.ends_at and y.starts_at < x.ends_at"
            )
        )
        assert overlapping == 0
        assert s.scalar(select(func.count()).select_from(Booking)) == 2  # room + mediator


def test_on_sqlite_racing_desks_book_the_slot_once(data_dir: Path, clock: ManualClock) -> None:
    a, b = two_desks(f"sqlite:///{data_dir / 'centre.db'}", clock)
    try:
        clerks = [
            (a, a.auth.login("jiedai", DEMO_PASSWORD)),
            (b, b.auth.login("zhiban", DEMO_PASSWORD)),
        ]
        names = ["黄建平", "潘丽华", "吴晓东", "陈国华"]
        barrier = threading.Barrier(len(names))
        results: list[str] = []

        def race(i: int) -> None:
            desk, clerk = clerks[i % 2]
            barrier.wait()
            try:
                desk.mediation.book(clerk, draft(desk, mediator=names[i]))
                results.append("booked")
            except ConflictError as exc:
                results.append(exc.message)

        threads = [threading.Thread(target=race, args=(i,)) for i in range(len(names))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results)[0] == "booked" and results.count("booked") == 1
        assert sessions(a) == 1
    finally:
        a.close()
        b.close()
