"""The outbox commit-order trap on PostgreSQL: two desks' transactions take their outbox ids
in one order and commit in the other. Numbering at collection (the sync leader's step) must
send every change exactly once, gap-free, whatever the commit order."""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest
from sqlalchemy import select

from centre_app.app_context import AppContext
from centre_app.replication.outbox import collect
from db.models.mediation_ref import Room
from db.models.replication import OutboxEntry
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration


def _centre(postgres: PostgresCluster) -> AppContext:
    url = postgres.create_database(f"centre_{uuid.uuid4().hex[:8]}")
    return AppContext.open(url, seed_demo=False)


def _numbered_after(ctx: AppContext, last_sent: int) -> list[tuple[int, str]]:
    """What the push sends: numbered entries after the last number sent."""
    with ctx.session_factory() as session:
        return [
            (seq, row_id)
            for seq, row_id in session.execute(
                select(OutboxEntry.seq, OutboxEntry.row_id)
                .where(OutboxEntry.seq > last_sent)
                .order_by(OutboxEntry.seq)
            )
        ]


def test_a_change_that_took_its_id_first_but_committed_last_is_sent_after_the_others(
    postgres: PostgresCluster,
) -> None:
    ctx = _centre(postgres)
    try:
        with ctx.session_factory() as base:
            start = len(base.scalars(select(OutboxEntry.id)).all())
        early = ctx.session_factory()  # desk 1: takes its outbox id, then dawdles
        early.add(Room(name="早开始的调解室", kind="法律援助"))
        early.flush()
        late = ctx.session_factory()  # desk 2: takes a higher id and commits first
        late.add(Room(name="晚开始的调解室", kind="法律援助"))
        late.flush()
        ids = [
            early.scalar(select(OutboxEntry.id).where(OutboxEntry.table_name == "mediation_room")),
            late.scalar(select(OutboxEntry.id).where(OutboxEntry.table_name == "mediation_room")),
        ]
        assert ids[0] is not None and ids[1] is not None and ids[0] < ids[1]
        late.commit()

        collect(ctx.session_factory)
        first = _numbered_after(ctx, 0)
        assert len(first) == start + 1
        last_sent = first[-1][0]  # "acknowledged" by the county
        early.commit()  # the lower id commits after the higher one was sent

        collect(ctx.session_factory)
        second = _numbered_after(ctx, last_sent)
        # Sequence-at-insert would have given it a number below last_sent: skipped forever.
        assert len(second) == 1 and second[0][0] == last_sent + 1
        with ctx.session_factory() as session:
            assert (
                session.scalar(select(OutboxEntry.seq).where(OutboxEntry.id == ids[0]))
                == last_sent + 1
            )
        early.close()
        late.close()
    finally:
        ctx.close()


def test_desks_committing_in_random_order_while_the_leader_collects_send_each_change_once(
    postgres: PostgresCluster,
) -> None:
    ctx = _centre(postgres)
    rng = random.Random(20261201)
    delays = [[rng.uniform(0, 0.02) for _ in range(30)] for _ in range(4)]
    written: list[str] = []
    lock = threading.Lock()

    def desk(number: int) -> None:
        for i, delay in enumerate(delays[number]):
            with ctx.session_factory() as session:
                room = Room(name=f"第{number}台第{i}间", kind="法律援助")
                session.add(room)
                session.flush()  # the id is taken here ...
                time.sleep(delay)  # ... and the commit comes whenever it comes
                session.commit()
                with lock:
                    written.append(str(room.id))

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(4)]
    sent: list[tuple[int, str]] = []
    try:
        with ctx.session_factory() as session:
            baseline = {row_id for (row_id,) in session.execute(select(OutboxEntry.row_id))}
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            collect(ctx.session_factory)
            sent += _numbered_after(ctx, sent[-1][0] if sent else 0)
            time.sleep(rng.uniform(0, 0.01))
        collect(ctx.session_factory)
        sent += _numbered_after(ctx, sent[-1][0] if sent else 0)

        numbers = [seq for seq, _ in sent]
        assert numbers == list(range(1, len(numbers) + 1))  # gap-free, none twice
        rooms = [row_id for _, row_id in sent if row_id not in baseline]
        assert sorted(rooms) == sorted(written) and len(written) == 120  # each exactly once
    finally:
        ctx.close()
