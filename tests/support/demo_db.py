"""A migrated, demo-seeded data directory built once per test process and copied per test.

Building one (Alembic to head, then every demo seeder through `AppContext.open`) takes
seconds; copying it takes milliseconds. Each test still opens its own copy through
`AppContext.open` (the reopen path: schema check, change capture resuming from the
outbox), so it gets a fresh database with the same content as a freshly seeded one —
including whatever a workspace's seeder adds later, since the template is built by the
same call the application makes. Files the seeders leave in the data directory are copied
too. Under xdist every worker has its own base temporary directory, hence its own template.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from centre_app.clock import ManualClock

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

DB_NAME = "centre.db"


@dataclass
class DemoTemplates:
    """Templates by (scale, seed, clock time), built on first use."""

    root: Path
    _built: dict[tuple[float, int, dt.datetime], Path] = field(default_factory=dict)

    def template(self, *, scale: float, seed: int, now: dt.datetime) -> Path:
        key = (scale, seed, now)
        if key not in self._built:
            self._built[key] = self._build(len(self._built), scale=scale, seed=seed, now=now)
        return self._built[key]

    def _build(self, index: int, *, scale: float, seed: int, now: dt.datetime) -> Path:
        from centre_app.app_context import AppContext

        data = self.root / f"template-{index}" / "data"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("ZONGZHI_DATA_DIR", str(data))
            context = AppContext.open(
                f"sqlite:///{data / DB_NAME}",
                clock=ManualClock(now),
                demo_seed=seed,
                demo_scale=scale,
            )
            context.close()
        # Fold the write-ahead log into the file, so the file alone is the whole database.
        connection = sqlite3.connect(data / DB_NAME)
        try:
            busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            assert busy == 0, "the template database is still in use"
        finally:
            connection.close()
        leftovers = [p.name for p in data.iterdir() if p.name.endswith(("-wal", "-shm"))]
        assert not leftovers or all((data / n).stat().st_size == 0 for n in leftovers), leftovers
        return data

    def open_copy(
        self, data_dir: Path, clock: ManualClock, *, scale: float, seed: int = 20261122
    ) -> AppContext:
        """A fresh copy of the template in `data_dir`, opened as the ctx fixture opens it."""
        from centre_app.app_context import AppContext

        template = self.template(scale=scale, seed=seed, now=clock.now())
        shutil.copytree(
            template, data_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*-wal", "*-shm")
        )
        context = AppContext.open(
            f"sqlite:///{data_dir / DB_NAME}", clock=clock, demo_seed=seed, demo_scale=scale
        )
        context.created_fresh = True  # as it was for the template: this copy is new to the test
        return context
