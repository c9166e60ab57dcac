"""One sync leader per centre: three desk processes share one PostgreSQL township database;
exactly one talks to the county; SIGKILLed mid-batch, another desk takes over within
seconds, the county converges and holds every change exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from centre_app.app_context import AppContext
from centre_app.centre.leader import LEADER_KEY, shared_status
from centre_app.county.store import CountyStore
from centre_app.demo import DEMO_PASSWORD
from centre_app.replication.digest import local_digest
from centre_app.replication.status import LinkState
from db.engine import make_engine, make_session_factory
from db.models.replication import CountyChange, ReplicationState
from tests.support.convergence import differences
from tests.support.county import ROOT, start_county
from tests.support.incidents import hotline_draft
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration

CODE = "330327102"


def _leader(ctx: AppContext) -> str:
    with ctx.session_factory() as session:
        row = session.get(ReplicationState, LEADER_KEY)
        return row.value if row else ""


def _wait(predicate, timeout: float, what: str) -> float:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"{what} not within {timeout} s")


def _held(county_url: str) -> tuple[int, int]:
    with make_session_factory(make_engine(county_url))() as session:
        count, top = session.execute(
            select(func.count(), func.max(CountyChange.seq)).where(CountyChange.node == CODE)
        ).one()
    return int(count), int(top or 0)


def test_the_leader_killed_mid_batch_is_replaced_within_seconds_and_each_change_arrives_once(
    postgres: PostgresCluster, tmp_path: Path
) -> None:
    county = start_county(postgres.create_database(f"county_{uuid.uuid4().hex[:8]}"), tmp_path)
    centre_url = postgres.create_database(f"centre_{uuid.uuid4().hex[:8]}")
    ctx = AppContext.open(centre_url, demo_scale=0.01)
    token = county.issue_token(CODE)
    desks: dict[int, subprocess.Popen[bytes]] = {}

    def start_desk() -> None:
        log = (tmp_path / f"desk{len(desks)}.log").open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "centre_app.centre",
                "desk-sync",
                "--db",
                centre_url,
                "--county",
                county.url,
                "--token",
                token,
                "--batch",
                "20",
                "--interval",
                "0.5",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        desks[process.pid] = process

    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)

    def work(n: int) -> None:
        ctx.incidents.report(
            duty,
            hotline_draft(f"第{n}件 邻里纠纷", description="来电反映噪音扰民"),
        )

    try:
        for _ in range(3):
            start_desk()
        _wait(
            lambda: (
                _leader(ctx).split(":")[-1].isdigit() and int(_leader(ctx).split(":")[-1]) in desks
            ),
            60,
            "a desk leading",
        )
        first = int(_leader(ctx).split(":")[-1])
        # Mid-batch: the county holds part of the backlog, the rest is still queued.
        _wait(lambda: _held(county.db_url)[0] > 0, 60, "the first batch at the county")
        for n in range(20):
            work(n)
        with ctx.session_factory() as session:
            assert session.scalar(text("SELECT count(*) FROM repl_outbox")) > 0
        os.kill(first, signal.SIGKILL)
        desks.pop(first).wait()
        took = _wait(
            lambda: _leader(ctx) not in ("", f"{_leader(ctx).split(':')[0]}:{first}"),
            10,
            "another desk leading",
        )
        second = int(_leader(ctx).split(":")[-1])
        assert second in desks and second != first
        for n in range(20, 30):  # the centre keeps working under the new leader
            work(n)
        _wait(lambda: shared_status(ctx.session_factory).backlog == 0, 120, "the backlog sent")
        status = shared_status(ctx.session_factory)
        assert status.state is LinkState.ONLINE and status.leader.endswith(f":{second}")

        store = CountyStore(make_session_factory(make_engine(county.db_url)), ctx.clock)
        with ctx.session_factory() as session:
            assert differences(session, store, CODE) == []
            assert local_digest(session) == store.township_digest(CODE)
        count, top = _held(county.db_url)
        assert count == top  # every sequence exactly once, no gap, no duplicate
        with ctx.engine.connect() as conn:  # exactly one desk holds the lock
            assert (
                conn.scalar(
                    text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
                )
                == 1
            )
        print(f"\ntakeover after {took:.1f} s; {count} changes held once each")
    finally:
        for process in desks.values():
            process.send_signal(signal.SIGTERM)
        for process in desks.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        county.stop()
        ctx.close()


def test_one_desk_holds_the_lead_until_it_lets_go_and_then_another_takes_it(
    postgres: PostgresCluster,
) -> None:
    from centre_app.centre.leader import AdvisoryLeader, publish_status
    from centre_app.errors import msg
    from centre_app.replication.status import StatusError, SyncStatus
    from centre_app.replication.sync import SyncFailure

    ctx = AppContext.open(
        postgres.create_database(f"centre_{uuid.uuid4().hex[:8]}"), seed_demo=False
    )
    first, second = AdvisoryLeader(ctx.engine), AdvisoryLeader(ctx.engine)
    try:
        assert first.try_lead() and not second.try_lead()
        assert first.try_lead() and not second.try_lead()  # held, not re-taken
        refused = StatusError.of(
            SyncFailure(msg("县级中心拒绝了本站凭据：{reason}"), reason="凭据无效")
        )
        publish_status(ctx.session_factory, SyncStatus(LinkState.ERROR, error=refused), "desk-a:1")
        shared = shared_status(ctx.session_factory)
        assert (shared.state, shared.error, shared.leader) == (  # template and arguments
            LinkState.ERROR,
            refused,
            "desk-a:1",
        )
        first.release()
        assert second.try_lead() and not first.try_lead()
    finally:
        first.release()
        second.release()
        ctx.close()


def test_a_leader_that_lost_its_lock_mid_round_does_not_sign_the_centre_status(
    postgres: PostgresCluster,
) -> None:
    """A leader frozen (or cut off) during a county call loses the lock meanwhile; when its
    call returns it must not record itself as the centre's leader over the new one."""
    import socket
    import threading

    from centre_app.centre.leader import AdvisoryLeader, publish_status
    from centre_app.replication.status import SyncStatus
    from centre_app.replication.sync import CountyLink, SyncClient, SyncWorker

    ctx = AppContext.open(
        postgres.create_database(f"centre_{uuid.uuid4().hex[:8]}"), seed_demo=False
    )
    county = socket.socket()
    county.bind(("127.0.0.1", 0))
    county.listen(4)
    called, release = threading.Event(), threading.Event()

    def answer_late() -> None:  # a county that takes the call and answers nothing for now
        conn, _ = county.accept()
        called.set()
        release.wait(30)
        conn.close()

    threading.Thread(target=answer_late, daemon=True).start()
    old = SyncWorker(
        SyncClient(
            ctx.session_factory,
            ctx.capture,
            CountyLink(f"http://127.0.0.1:{county.getsockname()[1]}", "t" * 32),
        ),
        ctx.clock,
        leader=AdvisoryLeader(ctx.engine),
    )
    new = AdvisoryLeader(ctx.engine)
    try:
        round_ = threading.Thread(target=old.run_round)
        round_.start()
        assert called.wait(15)  # the old leader is inside its county call, holding the lock
        with ctx.engine.connect() as conn:  # the server drops it (keepalive after a LAN cut)
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted"
                )
            )
        deadline = time.monotonic() + 10
        while not new.try_lead():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        publish_status(ctx.session_factory, SyncStatus(LinkState.ONLINE), "desk-b:2")
        release.set()
        round_.join(30)
        assert not round_.is_alive()
        assert _leader(ctx) == "desk-b:2"
        assert shared_status(ctx.session_factory).state is LinkState.ONLINE
    finally:
        release.set()
        old.stop()
        new.release()
        county.close()
        ctx.close()
