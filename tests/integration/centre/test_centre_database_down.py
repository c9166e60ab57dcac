"""The centre's database server unreachable: every desk's sync worker keeps running, says
so in words in the status it reports, and carries on once the server is back."""

from __future__ import annotations

import uuid

import pytest

from centre_app.app_context import AppContext
from centre_app.centre.leader import AdvisoryLeader
from centre_app.replication.status import LinkState
from centre_app.replication.sync import (
    CENTRE_DATABASE_DOWN,
    CountyLink,
    SyncClient,
    SyncWorker,
)
from db.engine import make_engine, make_session_factory
from tests.support.postgres import PostgresCluster, free_port

pytestmark = pytest.mark.integration


def test_a_desk_whose_centre_database_is_unreachable_says_so_and_keeps_trying(
    postgres: PostgresCluster,
) -> None:
    ctx = AppContext.open(
        postgres.create_database(f"centre_{uuid.uuid4().hex[:8]}"), seed_demo=False
    )
    gone = make_engine(
        f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/centre",
        connect_args={"connect_timeout": 2},
    )
    try:
        client = SyncClient(
            make_session_factory(gone),
            ctx.capture,
            CountyLink(f"http://127.0.0.1:{free_port()}", "t"),
        )
        for leader in (AdvisoryLeader(gone), None):  # a follower trying the lock; the leader
            worker = SyncWorker(client, ctx.clock, leader=leader)
            assert worker.run_round() is False
            assert worker.status.state is LinkState.OFFLINE
            assert worker.status.last_error == CENTRE_DATABASE_DOWN
            assert worker.run_round() is False  # the worker is still there to retry
        # Back: the same worker on a reachable database reports the county instead.
        worker = SyncWorker(
            SyncClient(
                ctx.session_factory, ctx.capture, CountyLink(f"http://127.0.0.1:{free_port()}", "t")
            ),
            ctx.clock,
            leader=AdvisoryLeader(ctx.engine),
        )
        assert worker.run_round() is False
        assert worker.status.last_error != CENTRE_DATABASE_DOWN and "县级" in (
            worker.status.last_error
        )
        worker.stop()
    finally:
        gone.dispose()
        ctx.close()


def test_a_desk_started_while_the_centre_server_is_down_is_told_so_in_words() -> None:
    from db.errors import DatabaseUnreachable
    from ui.error_reporting import database_error_message

    shown = f"127.0.0.1:{free_port()}/centre"
    with pytest.raises(DatabaseUnreachable) as refused:
        AppContext.open(f"postgresql+psycopg://zongzhi:secret@{shown}", seed_demo=False)
    words = database_error_message(refused.value, shown)
    assert words.startswith(f"无法连接中心数据库服务器 {shown}。") and "未作任何修改" in words


def test_a_link_lost_during_commit_says_the_outcome_is_unknown_not_unsaved(
    postgres: PostgresCluster,
) -> None:
    from sqlalchemy import event, text

    from centre_app.centre.connection import (
        CentreCommitUnknown,
        CentreConnection,
        CentreDatabaseDown,
        watch_engine,
    )

    url = postgres.create_database(f"commit_{uuid.uuid4().hex[:8]}")
    engine, killer = make_engine(url), make_engine(url)
    link = CentreConnection()
    watch_engine(engine, link)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE note (body text)"))
    victim: list[int] = []

    def cut_before_the_commit_reaches_the_server(conn: object) -> None:
        if victim:
            with killer.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": victim[0]})

    event.listen(engine, "commit", cut_before_the_commit_reaches_the_server)
    try:
        with pytest.raises(CentreCommitUnknown) as unknown, engine.begin() as conn:
            victim.append(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
            conn.execute(text("INSERT INTO note VALUES ('登记')"))
        assert "无法确认是否已保存" in str(unknown.value.template)
        assert not link.up
        victim.clear()
        # The next action on a fresh connection works; a failure before COMMIT is "not saved".
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM note")).scalar_one() == 0
        assert link.up
        with pytest.raises(CentreDatabaseDown), engine.begin() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with killer.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            conn.execute(text("INSERT INTO note VALUES ('再登记')"))
    finally:
        engine.dispose()
        killer.dispose()
