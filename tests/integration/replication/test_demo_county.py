"""The demo county `main.py` starts: the township's changes reach it, it stops with the
app, a second start reuses its credential, and a real county in the settings is left alone."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from centre_app.app_context import AppContext
from centre_app.county.demo import start_demo_county
from centre_app.county.store import CountyStore
from centre_app.replication.digest import local_digest
from centre_app.replication.status import LinkState
from centre_app.security.actor import SYSTEM_ACTOR
from centre_app.settings import Key
from db.engine import make_engine, make_session_factory

pytestmark = pytest.mark.integration


def _sync_until_empty(ctx: AppContext) -> None:
    worker = ctx.sync_worker()
    assert worker is not None
    deadline = time.monotonic() + 60
    while not (worker.run_round() and worker.client.backlog() == 0):
        assert time.monotonic() < deadline, worker.status.last_error
        time.sleep(0.2)
    assert worker.status.state is LinkState.ONLINE


def test_demo_county_receives_the_township_and_stops(tmp_path: Path) -> None:
    ctx = AppContext.open(f"sqlite:///{tmp_path / 'centre.db'}", demo_scale=0.01)
    county = start_demo_county(ctx, tmp_path)
    assert county is not None
    try:
        assert ctx.settings.get(Key.COUNTY_URL) == county.url
        _sync_until_empty(ctx)
        store = CountyStore(
            make_session_factory(make_engine(f"sqlite:///{tmp_path / 'demo-county.db'}")), ctx.clock
        )
        with ctx.session_factory() as session:
            assert store.township_digest(ctx.township_code) == local_digest(session)
    finally:
        county.stop()
    assert county.process.poll() is not None

    # The next start serves the same county with the same credential.
    token = ctx.settings.get(Key.COUNTY_TOKEN)
    again = start_demo_county(ctx, tmp_path)
    assert again is not None
    try:
        assert ctx.settings.get(Key.COUNTY_TOKEN) == token
        ctx.settings.set(SYSTEM_ACTOR, Key.DUE_SOON_HOURS, 12)  # a write after the restart
        _sync_until_empty(ctx)
    finally:
        again.stop()
    ctx.close()


def test_a_real_county_in_the_settings_is_left_alone(tmp_path: Path) -> None:
    ctx = AppContext.open(f"sqlite:///{tmp_path / 'centre.db'}", demo_scale=0.01)
    ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_URL, "https://county.example.gov.cn")
    assert start_demo_county(ctx, tmp_path) is None
    assert ctx.settings.get(Key.COUNTY_URL) == "https://county.example.gov.cn"
    assert not (tmp_path / "demo-county.db").exists()
    ctx.close()
