"""Fixtures shared by every suite: an application context on a fresh SQLite file with demo
reference data and a manual clock, and (session-wide) a real PostgreSQL cluster."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from centre_app.clock import ManualClock
from tests.support.demo_db import DemoTemplates
from tests.support.postgres import PostgresCluster, start_cluster

# An unexpected logged error fails the test; pytester runs the tests of that rule.
pytest_plugins = ["tests.support.logfail", "pytester"]

# Two xdist workers on one X server steal each other's window activation (a test waiting
# for its window to be active timed out in CI): each worker gets a screen of its own,
# before any QApplication exists.
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("DISPLAY"):
    from tests.support.xvfb import start_xvfb

    start_xvfb("1920x1080x24")

# Keep every test away from the real user's data directory.
os.environ.setdefault("ZONGZHI_DATA_DIR", str(Path("/tmp") / f"zz-test-{os.getpid()}"))

DEMO_NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(DEMO_NOW)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("ZONGZHI_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where tests save the pictures they draw: a temporary folder, so a test run leaves the
    checkout as it was, or the folder named by ZONGZHI_SCREENSHOTS (`docs/screenshots` to
    refresh the README's pictures)."""
    named = os.environ.get("ZONGZHI_SCREENSHOTS")
    folder = Path(named) if named else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> DemoTemplates:
    """Seeded data directories built once per test process (per xdist worker)."""
    return DemoTemplates(tmp_path_factory.mktemp("demo-templates"))


@pytest.fixture
def ctx(data_dir: Path, clock: ManualClock, demo_templates: DemoTemplates) -> Iterator[object]:
    """AppContext on a new SQLite file, demo data at a small scale (reference data in full):
    a copy of a template seeded once per process through the same AppContext.open."""
    context = demo_templates.open_copy(data_dir, clock, scale=0.02)
    yield context
    context.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    cluster = start_cluster()
    if cluster is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server programs are missing; .ci/run must install them")
        pytest.skip("PostgreSQL server programs are not installed")
    yield cluster
    cluster.stop()
