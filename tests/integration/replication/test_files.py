"""Files travel with their rows: an incident's photo and a camera snapshot reach the county
before the rows that name them, read from the centre's file store (a snapshot deleted from
the disk still goes); a file no desk has does not hold up replication; the county's file endpoints refuse bad requests in words."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import delete, select

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.service import IncidentDraft
from centre_app.replication import protocol as p
from centre_app.replication.digest import local_digest
from centre_app.replication.sync import CountyLink, SyncClient
from db.models import Camera, EvidenceKind, StoredFile
from db.models.incidents import Channel, RiskColour
from tests.integration.replication.test_two_townships import county_store
from tests.support.county import CountyServer, start_county
from tests.support.postgres import PostgresCluster
from tests.unit.incidents.test_triage import png

pytestmark = pytest.mark.integration

A, B = "330327102", "330327103"
T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def county(postgres: PostgresCluster, tmp_path: Path) -> Iterator[CountyServer]:
    server = start_county(postgres.create_database(f"files_{uuid.uuid4().hex[:8]}"), tmp_path)
    yield server
    server.stop()


def test_files_reach_the_county_before_their_rows(
    county: CountyServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZONGZHI_DATA_DIR", str(tmp_path / "data"))
    ctx = AppContext.open(
        f"sqlite:///{tmp_path / 'centre.db'}",
        clock=ManualClock(T0),
        demo_scale=0.01,
        township_code=A,
    )
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    video = ctx.auth.login("shipin", DEMO_PASSWORD)
    incident = ctx.incidents.report(
        duty,
        IncidentDraft(
            channel=Channel.GRID_WORKER,
            category="矛盾纠纷",
            subcategory="劳资纠纷",
            colour=RiskColour.YELLOW,
            grid_code="330327102001001",
            place="工业区某服装厂",
            title="工人反映被拖欠工资",
            description="现场照片见附件。",
            reporter="网格员李明",
            people_involved=6,
        ),
    )
    photo = ctx.incidents.attach(duty, incident.id, png(tmp_path / "现场.png", seed=7))
    with ctx.session_factory() as session:
        camera_id = session.scalars(select(Camera.id)).first()
    assert camera_id is not None
    kept = png(tmp_path / "snap-kept.png", seed=8)
    deleted = png(tmp_path / "snap-deleted.png", seed=9)
    older = png(tmp_path / "snap-older.png", seed=10)
    ctx.video.evidence.add(video, camera_id, EvidenceKind.SNAPSHOT, kept, note="路口聚集")
    ctx.video.evidence.add(video, camera_id, EvidenceKind.SNAPSHOT, deleted, note="已被删除")
    ctx.video.evidence.add(video, camera_id, EvidenceKind.SNAPSHOT, older, note="旧版本")
    deleted_bytes = deleted.read_bytes()
    deleted.unlink()  # the operator deleted the file: the centre's store still holds it
    # A snapshot an older version recorded before the centre store, then lost from the disk:
    # no desk has it; its rows must still go.
    lost_sha = hashlib.sha256(older.read_bytes()).hexdigest()
    with ctx.session_factory.begin() as session:
        session.execute(delete(StoredFile).where(StoredFile.sha256 == lost_sha))
    ctx.video.evidence.files.cached_path(lost_sha).unlink(missing_ok=True)
    older.unlink()

    client = SyncClient(
        ctx.session_factory,
        ctx.capture,
        CountyLink(county.url, county.issue_token(A)),
        batch=300,
        data_dir=ctx.data_dir,
    )
    while client.backlog():
        client.sync_once()
    with ctx.session_factory() as session:
        assert local_digest(session) == county_store(county).township_digest(A)
    assert client.files_unavailable == {lost_sha}

    reader = {"Authorization": f"Bearer {county.issue_token('county-duty', kind='county')}"}
    photo_bytes = (tmp_path / "现场.png").read_bytes()
    for content in (photo_bytes, kept.read_bytes(), deleted_bytes):
        sha = hashlib.sha256(content).hexdigest()
        got = requests.get(f"{county.url}/api/v1/blobs/{sha}", headers=reader, timeout=10)
        assert got.status_code == 200 and got.content == content
    lost = requests.get(f"{county.url}/api/v1/blobs/{lost_sha}", headers=reader, timeout=10)
    assert lost.status_code == 404 and "没有这个文件" in lost.json()["message"]

    # Refusals in words: another township cannot read A's files, a channel cannot read at
    # all, content that does not match its name is refused and not stored.
    township_b = {
        "Authorization": f"Bearer {county.issue_token(B)}",
        p.SCHEMA_HEADER: str(p.SCHEMA_VERSION),
    }
    other = requests.get(
        f"{county.url}/api/v1/blobs/{photo.sha256}", headers=township_b, timeout=10
    )
    assert other.status_code == 404
    channel = {"Authorization": f"Bearer {county.issue_token('hotline', kind='channel')}"}
    assert (
        requests.get(
            f"{county.url}/api/v1/blobs/{photo.sha256}", headers=channel, timeout=10
        ).status_code
        == 403
    )
    wrong = requests.put(
        f"{county.url}/api/v1/blobs/{'0' * 64}",
        data=b"not that file",
        headers={**township_b, "Content-Type": "application/octet-stream"},
        timeout=10,
    )
    assert wrong.status_code == 422 and "sha256 不符" in wrong.json()["message"]
    missing = requests.post(
        f"{county.url}/api/v1/blobs/missing",
        json={"sha256": ["xyz"]},
        headers=township_b,
        timeout=10,
    )
    assert missing.status_code == 422
    ctx.close()
