"""Randomised rounds of faults between a township and the county (real PostgreSQL, real
county server, a misbehaving proxy, the server killed and restarted, the client process
killed mid-batch). Afterwards both sides hold the same rows with equal content hashes:
nothing lost, nothing duplicated."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.county.store import CountyStore
from centre_app.demo import DEMO_PASSWORD
from centre_app.replication.digest import local_digest
from centre_app.replication.sync import CountyLink, SyncClient, SyncFailure
from db.engine import make_engine, make_session_factory
from db.models.incidents import IncidentState
from db.models.replication import CountyChange
from tests.support.convergence import differences
from tests.support.county import ROOT, start_county
from tests.support.fault_proxy import FaultProxy
from tests.support.incidents import hotline_draft
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration

CODE = "330327102"
ROUNDS = int(os.environ.get("ZZ_FAULT_ROUNDS", "30"))
SEED = int(os.environ.get("ZZ_FAULT_SEED", "20261123"))


def test_randomised_faults_converge(postgres: PostgresCluster, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    county = start_county(postgres.create_database(f"county_{uuid.uuid4().hex[:8]}"), tmp_path)
    proxy = FaultProxy(county.port, seed=SEED, fault_rate=0.5)
    db_url = f"sqlite:///{tmp_path / 'centre.db'}"
    clock = ManualClock(dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC))
    ctx = AppContext.open(db_url, clock=clock, demo_scale=0.01)
    token = county.issue_token(CODE)
    hotline = county.issue_token("hotline-12345", kind="channel")
    client = SyncClient(ctx.session_factory, ctx.capture, CountyLink(proxy.url, token), batch=40)
    client._http.headers["Connection"] = "close"  # one request per connection: per-request faults
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    events: Counter[str] = Counter()
    try:
        for round_no in range(ROUNDS):
            clock.advance(dt.timedelta(minutes=7))
            for _ in range(rng.randrange(1, 4)):  # the township keeps working
                incident = ctx.incidents.report(
                    duty,
                    hotline_draft(f"第{round_no}轮 邻里纠纷", description="来电反映噪音扰民"),
                )
                if rng.random() < 0.5:
                    ctx.incidents.act(
                        duty, incident.id, "accept", seen_state=IncidentState.REPORTED
                    )
            if county.process is not None and rng.random() < 0.3:  # the county acts too
                requests.post(
                    county.url + "/api/v1/reports",
                    json={
                        "grid_code": "330327102001002",
                        "category": "治安隐患",
                        "subcategory": "其他",
                        "title": f"第{round_no}轮 热线报告",
                        "description": "群众来电",
                        "reporter": "12345",
                    },
                    headers={"Authorization": f"Bearer {hotline}"},
                    timeout=10,
                )
            action = rng.random()
            if action < 0.1 and county.process is not None:
                county.kill()
                events["county killed"] += 1
            elif county.process is None and action < 0.6:
                county.start()
                events["county restarted"] += 1
            if rng.random() < 0.25:
                events["client killed mid-batch"] += 1
                worker = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "centre_app.replication",
                        "--db",
                        db_url,
                        "--county",
                        proxy.url,
                        "--token",
                        token,
                        "--batch",
                        "20",
                        "--loop",
                    ],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                time.sleep(rng.uniform(1.5, 4.0))
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait()
            else:
                try:
                    client.sync_once()
                    events["rounds synced"] += 1
                except SyncFailure:
                    events["rounds failed"] += 1

        # The link heals: everything must arrive exactly once, in both directions.
        county.start()
        proxy.enabled = False
        time.sleep(2)  # late duplicates still in flight land before the final check
        for _ in range(20):
            try:
                client.sync_once()
                if client.backlog() == 0:
                    client.sync_once()  # what the pull made us derive goes up too
                    if client.backlog() == 0:
                        break
            except SyncFailure:
                time.sleep(0.5)
        assert client.backlog() == 0
        store = CountyStore(make_session_factory(make_engine(county.db_url)), clock)
        with ctx.session_factory() as session:
            assert differences(session, store, CODE) == []
            assert local_digest(session) == store.township_digest(CODE)
        with make_session_factory(make_engine(county.db_url))() as session:
            held = session.execute(
                select(func.count(), func.max(CountyChange.seq)).where(CountyChange.node == CODE)
            ).one()
        assert held[0] == held[1]  # every sequence exactly once, no gap, no duplicate
        print(
            f"\n{ROUNDS} rounds, seed {SEED}: faults {dict(proxy.counts)}, {dict(events)}, "
            f"{held[0]} changes held once each"
        )
    finally:
        proxy.close()
        county.stop()
        ctx.close()
