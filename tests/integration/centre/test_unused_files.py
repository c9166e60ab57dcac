"""Stored files no row names any more are removed after a grace period, one transaction per
file, on SQLite and on the centre's PostgreSQL; a desk storing the same content at that
moment keeps it (the removal waits for that desk's commit and then sees its row)."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from centre_app.app_context import AppContext
from centre_app.centre.__main__ import main as centre_main
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.files.maintenance import Removed, remove_unreferenced_files
from centre_app.files.store import FileStore
from db.models import FileChunk, StoredFile
from db.models.incidents import Incident, IncidentAttachment
from db.models.security import AuditEntry
from tests.support.postgres import PostgresCluster
from tests.unit.incidents.test_triage import png

pytestmark = pytest.mark.integration

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


@pytest.fixture(params=["sqlite", "postgresql"])
def centre(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppContext]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'centre.db'}"
    else:
        postgres: PostgresCluster = request.getfixturevalue("postgres")
        url = postgres.create_database(f"unused_{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("ZONGZHI_DATA_DIR", str(tmp_path / "data"))
    ctx = AppContext.open(url, clock=ManualClock(T0), demo_scale=0.01)
    yield ctx
    ctx.close()


def stored(ctx: AppContext, path: Path, content: bytes) -> str:
    path.write_bytes(content)
    with ctx.session_factory.begin() as session:
        return ctx.incidents.files.put(session, path)


def present(ctx: AppContext, sha: str) -> tuple[bool, int]:
    with ctx.session_factory() as s:
        chunks = s.scalar(select(func.count()).where(FileChunk.sha256 == sha)) or 0
        return s.get(StoredFile, sha) is not None, chunks


def test_only_files_no_row_names_and_older_than_the_grace_period_are_removed(
    centre: AppContext, tmp_path: Path
) -> None:
    clock = centre.clock
    assert isinstance(clock, ManualClock)
    duty = centre.auth.login("zhiban", DEMO_PASSWORD)
    with centre.session_factory() as s:
        incident_id = s.scalars(select(Incident.id)).first()
    assert incident_id is not None
    named = centre.incidents.attach(duty, incident_id, png(tmp_path / "现场.png", seed=7)).sha256
    old = stored(centre, tmp_path / "old.bin", b"left over" * 200_000)
    clock.advance(dt.timedelta(days=6))
    recent = stored(centre, tmp_path / "recent.bin", b"stored yesterday")
    clock.advance(dt.timedelta(days=2))
    assert remove_unreferenced_files(centre.session_factory, clock, WEEK) == Removed(1, 1_800_000)
    assert present(centre, old) == (False, 0)
    assert present(centre, named) == (True, 1) and present(centre, recent) == (True, 1)
    with centre.session_factory() as s:
        trail = s.execute(
            select(AuditEntry.username, AuditEntry.target_id, AuditEntry.detail).where(
                AuditEntry.action == "files.remove_unused"
            )
        ).all()
    assert trail == [("system", old, {"size": 1_800_000, "grace_days": 7})]
    assert remove_unreferenced_files(centre.session_factory, clock, WEEK) == Removed(0, 0)
    with pytest.raises(ValueError):
        remove_unreferenced_files(centre.session_factory, clock, -WEEK)


def test_the_command_removes_unused_files_and_refuses_a_bad_grace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'centre.db'}"
    monkeypatch.setenv("ZONGZHI_DATA_DIR", str(tmp_path / "data"))
    ctx = AppContext.open(url, clock=ManualClock(T0), demo_scale=0.01)
    sha = stored(ctx, tmp_path / "old.bin", b"x" * 10)
    ctx.close()
    assert centre_main(["remove-unused-files", "--db", url, "--grace-days", "-1"]) == 2
    assert "grace-days" in capsys.readouterr().err
    assert centre_main(["remove-unused-files", "--db", url, "--grace-days", "0"]) == 0
    assert "removed 1 files, 10 bytes" in capsys.readouterr().out
    ctx = AppContext.open(url, clock=ManualClock(T0), seed_demo=False)
    try:
        assert present(ctx, sha) == (False, 0)
    finally:
        ctx.close()


def test_a_desk_storing_the_same_content_while_it_is_removed_keeps_it(
    postgres: PostgresCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZONGZHI_DATA_DIR", str(tmp_path / "data"))
    url = postgres.create_database(f"unused_{uuid.uuid4().hex[:8]}")
    clock = ManualClock(T0)
    ctx = AppContext.open(url, clock=clock, demo_scale=0.01)
    try:
        content = b"a clip nobody names yet" * 100_000
        sha = stored(ctx, tmp_path / "old.bin", content)
        clock.advance(dt.timedelta(days=30))
        with ctx.session_factory() as s:
            incident_id = s.scalars(select(Incident.id)).first()
        outcome: list[Removed] = []
        remover = threading.Thread(
            target=lambda: outcome.append(
                remove_unreferenced_files(ctx.session_factory, clock, WEEK)
            )
        )
        again = tmp_path / "again.bin"
        again.write_bytes(content)
        with ctx.session_factory.begin() as s:  # the desk: the content is stored already
            assert ctx.incidents.files.put(s, again, cache=False) == sha
            remover.start()
            time.sleep(1.0)
            assert remover.is_alive()  # waiting for this desk's transaction
            s.add(
                IncidentAttachment(
                    incident_id=incident_id,
                    sha256=sha,
                    original_name="again.bin",
                    mime="application/octet-stream",
                    size=len(content),
                    added_by="zhiban",
                    added_at=clock.now(),
                )
            )
        remover.join(30)
        assert outcome == [Removed(0, 0)]
        other = FileStore(ctx.session_factory, clock, tmp_path / "other-desk")
        assert other.local_path(sha).read_bytes() == content
    finally:
        ctx.close()
