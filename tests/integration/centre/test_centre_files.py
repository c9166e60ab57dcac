"""Files for every desk: two desks (two app contexts, two data directories) on one centre
PostgreSQL. A snapshot or attachment saved at one desk opens at the other from the centre's
file store; damaged or truncated bytes are refused; the same content stored at two desks
at once is kept once; files of older versions are moved into the store; the county upload
reads the bytes from the store at a desk that never had the file."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import delete, func, select, update

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import NotFound
from centre_app.files.store import FileDamaged
from centre_app.incidents.service import IncidentDraft
from centre_app.replication.sync import CountyLink, SyncClient
from centre_app.security.actor import Actor
from db.models import Camera, EvidenceKind, FileChunk, StoredFile
from db.models.files import CHUNK_BYTES
from db.models.incidents import Channel, RiskColour
from tests.support.county import CountyServer, start_county
from tests.support.postgres import PostgresCluster
from tests.unit.incidents.test_triage import png

pytestmark = pytest.mark.integration

TOWNSHIP = "330327102"
T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


def open_desk(url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    monkeypatch.setenv("ZONGZHI_DATA_DIR", str(data_dir))
    return AppContext.open(url, clock=ManualClock(T0), demo_scale=0.01, township_code=TOWNSHIP)


@pytest.fixture(scope="module")
def centre_url(postgres: PostgresCluster) -> str:
    return postgres.create_database(f"files_{uuid.uuid4().hex[:8]}")


@pytest.fixture
def desks(
    centre_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[AppContext, AppContext]]:
    one = open_desk(centre_url, tmp_path / "desk-1", monkeypatch)
    two = open_desk(centre_url, tmp_path / "desk-2", monkeypatch)
    yield one, two
    one.close()
    two.close()


def new_case(ctx: AppContext, duty: Actor) -> uuid.UUID:
    return ctx.incidents.report(
        duty,
        IncidentDraft(
            channel=Channel.GRID_WORKER,
            category="矛盾纠纷",
            subcategory="劳资纠纷",
            colour=RiskColour.YELLOW,
            grid_code="330327102001001",
            place="菜市场路口",
            title="路口人员聚集",
            description="见视频截图与录像。",
            reporter="视频巡查员",
            people_involved=8,
        ),
    ).id


def mpeg_ts(path: Path, size: int, seed: int) -> Path:
    """A file that sniffs as MPEG-TS (188-byte packets with the sync byte), `size` bytes."""
    rnd = random.Random(seed)
    packets = size // 188
    with path.open("wb") as fh:
        for _ in range(packets):
            fh.write(b"\x47" + rnd.randbytes(187))
    return path


def test_a_snapshot_saved_at_one_desk_opens_at_the_other(
    desks: tuple[AppContext, AppContext], tmp_path: Path
) -> None:
    one, two = desks
    video = one.auth.login("shipin", DEMO_PASSWORD)
    with one.session_factory() as session:
        camera_id = session.scalars(select(Camera.id)).first()
    assert camera_id is not None
    taken = png(one.video.evidence.new_path("cam", EvidenceKind.SNAPSHOT), seed=31)
    item = one.video.evidence.add(video, camera_id, EvidenceKind.SNAPSHOT, taken, stream="main")
    content = taken.read_bytes()  # with the provenance written into it
    taken.unlink()  # gone from desk 1's evidence folder: the store has it

    seen = two.video.evidence.get(two.auth.login("shipin", DEMO_PASSWORD), item.id)
    assert seen.path.is_relative_to(two.data_dir / "file-cache")  # desk 2's own copy
    assert seen.path.read_bytes() == content
    assert hashlib.sha256(content).hexdigest() == seen.sha256 == item.sha256


def test_a_clip_recorded_at_one_desk_plays_at_the_other_with_its_thumbnail(
    desks: tuple[AppContext, AppContext], tmp_path: Path
) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg is not installed")
    one, two = desks
    video = one.auth.login("shipin", DEMO_PASSWORD)
    with one.session_factory() as session:
        camera_id = session.scalars(select(Camera.id)).first()
    assert camera_id is not None
    clip = one.video.evidence.new_path("cam", EvidenceKind.CLIP)
    subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=320x180:rate=25",
            "-t",
            "2",
            "-c:v",
            "mpeg2video",
            "-f",
            "mpegts",
            str(clip),
        ],
        check=True,
        timeout=60,
    )
    item = one.video.evidence.add(video, camera_id, EvidenceKind.CLIP, clip, stream="main")
    assert item.path == clip  # where it was taken, the file itself
    content = clip.read_bytes()
    clip.unlink()

    seen = two.video.evidence.get(two.auth.login("shipin", DEMO_PASSWORD), item.id)
    assert seen.path.is_relative_to(two.data_dir / "file-cache")
    assert seen.path.read_bytes() == content
    assert seen.thumbnail.is_file() and seen.thumbnail.read_bytes()[:3] == b"\xff\xd8\xff"


def test_a_clip_attached_at_one_desk_streams_in_chunks_and_opens_at_the_other(
    desks: tuple[AppContext, AppContext], tmp_path: Path
) -> None:
    one, two = desks
    duty = one.auth.login("zhiban", DEMO_PASSWORD)
    case = new_case(one, duty)
    clip = mpeg_ts(tmp_path / "录像.ts", int(2.5 * CHUNK_BYTES), seed=1)
    info = one.incidents.attach(duty, case, clip)
    assert info.mime == "video/mp2t"
    with one.session_factory() as session:
        sizes = session.scalars(
            select(func.length(FileChunk.data))
            .where(FileChunk.sha256 == info.sha256)
            .order_by(FileChunk.seq)
        ).all()
    assert sizes == [CHUNK_BYTES, CHUNK_BYTES, clip.stat().st_size - 2 * CHUNK_BYTES]

    other_duty = two.auth.login("zhiban", DEMO_PASSWORD)
    [listed] = two.incidents.attachments(other_duty, case)
    opened = two.incidents.attachment_path(listed)
    assert opened.read_bytes() == clip.read_bytes()
    assert opened.is_relative_to(two.data_dir / "file-cache")


@pytest.mark.parametrize(
    "damage",
    ["a flipped byte", "a truncated chunk", "a missing chunk", "a chunk too many bytes"],
)
def test_damaged_or_truncated_bytes_in_the_centre_store_are_refused(
    desks: tuple[AppContext, AppContext],
    tmp_path: Path,
    damage: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    one, two = desks
    duty = one.auth.login("zhiban", DEMO_PASSWORD)
    case = new_case(one, duty)
    clip = mpeg_ts(tmp_path / "clip.ts", 2 * CHUNK_BYTES + 1000, seed=hash(damage) % 1000)
    info = one.incidents.attach(duty, case, clip)
    chunk = FileChunk.__table__.c
    where = (chunk.sha256 == info.sha256) & (chunk.seq == 1)
    with one.session_factory.begin() as session:
        good = session.scalar(select(chunk.data).where(where))
        assert good is not None
        if damage == "a missing chunk":
            session.execute(delete(FileChunk.__table__).where(where))
        else:
            bad = {
                "a flipped byte": good[:500] + bytes([good[500] ^ 1]) + good[501:],
                "a truncated chunk": good[:-188],
                "a chunk too many bytes": good + b"\x47" * 188,
            }[damage]
            session.execute(update(FileChunk.__table__).where(where).values(data=bad))

    [listed] = two.incidents.attachments(two.auth.login("zhiban", DEMO_PASSWORD), case)
    with pytest.raises(FileDamaged, match="已损坏或不完整"):
        two.incidents.attachment_path(listed)
    logged = [r for r in caplog.records if r.name == "centre_app.files.store"]
    assert [r.levelname for r in logged] == ["ERROR"] and info.sha256 in logged[0].getMessage()
    caplog.clear()  # the damage is logged for the administrator, once
    cache = two.data_dir / "file-cache"
    assert not two.incidents.files.cached_path(info.sha256).exists()
    assert not [p for p in cache.rglob(".incoming-*")]  # nothing half-written left behind


def test_the_same_content_stored_at_two_desks_at_once_is_kept_once(
    desks: tuple[AppContext, AppContext], tmp_path: Path
) -> None:
    one, two = desks
    photo = png(tmp_path / "same.png", seed=77)
    first = one.session_factory()
    first.begin()
    sha_one = one.incidents.files.put(first, photo)  # not committed yet
    got: list[str] = []

    def second_desk() -> None:
        with two.session_factory.begin() as session:
            got.append(two.incidents.files.put(session, photo))

    thread = threading.Thread(target=second_desk)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive()  # waits for desk 1's row: no second copy is written meanwhile
    first.commit()
    first.close()
    thread.join(10)
    assert got == [sha_one]
    with one.session_factory() as session:
        assert session.scalar(select(func.count()).where(StoredFile.sha256 == sha_one)) == 1
        chunks = select(func.count()).where(FileChunk.sha256 == sha_one)
        assert session.scalar(chunks) == 1


def test_files_of_an_older_version_are_moved_into_the_store_once(
    centre_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_dir = tmp_path / "old-desk"
    one = open_desk(centre_url, old_dir, monkeypatch)
    duty = one.auth.login("zhiban", DEMO_PASSWORD)
    case = new_case(one, duty)
    kept = one.incidents.attach(duty, case, png(tmp_path / "kept.png", seed=3))
    altered = one.incidents.attach(duty, case, png(tmp_path / "altered.png", seed=4))
    one.close()
    # As an older version left them: the bytes only under attachments/ on that desk's disk
    # (one of them changed since), nothing in the database, no cache.
    admin = open_desk(centre_url, tmp_path / "admin", monkeypatch)
    with admin.session_factory.begin() as session:
        gone = [kept.sha256, altered.sha256]
        session.execute(delete(StoredFile).where(StoredFile.sha256.in_(gone)))
    admin.close()
    for info, content in (
        (kept, (tmp_path / "kept.png").read_bytes()),
        (altered, b"changed since"),
    ):
        legacy = old_dir / "attachments" / info.sha256[:2] / info.sha256[2:4] / info.sha256
        legacy.parent.mkdir(parents=True, exist_ok=True)
        legacy.write_bytes(content)
        one.incidents.files.cached_path(info.sha256).unlink()
    for marker in (old_dir / "file-cache").glob(".adopted-*"):
        marker.unlink()

    reopened = open_desk(centre_url, old_dir, monkeypatch)  # the new version starts here
    other = open_desk(centre_url, tmp_path / "new-desk", monkeypatch)
    try:
        reader = other.auth.login("zhiban", DEMO_PASSWORD)
        listed = {a.sha256: a for a in other.incidents.attachments(reader, case)}
        assert (
            other.incidents.attachment_path(listed[kept.sha256]).read_bytes()
            == (tmp_path / "kept.png").read_bytes()
        )
        with pytest.raises(NotFound, match="不在中心数据库中"):
            other.incidents.attachment_path(listed[altered.sha256])  # never adopted: wrong bytes
        assert reopened.adopt_legacy_files() == 0  # the sweep ran once
    finally:
        reopened.close()
        other.close()


@pytest.fixture
def county(postgres: PostgresCluster, tmp_path: Path) -> Iterator[CountyServer]:
    server = start_county(postgres.create_database(f"county_{uuid.uuid4().hex[:8]}"), tmp_path)
    yield server
    server.stop()


def test_the_county_upload_reads_the_bytes_from_the_centre_store(
    postgres: PostgresCluster,
    county: CountyServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = postgres.create_database(f"centre_{uuid.uuid4().hex[:8]}")
    window = open_desk(url, tmp_path / "window", monkeypatch)
    leader = open_desk(url, tmp_path / "leader", monkeypatch)
    try:
        duty = window.auth.login("zhiban", DEMO_PASSWORD)
        case = new_case(window, duty)
        clip = mpeg_ts(tmp_path / "clip.ts", CHUNK_BYTES + 5000, seed=9)
        info = window.incidents.attach(duty, case, clip)
        content = clip.read_bytes()
        clip.unlink()
        window.close()
        # The leader desk never had the file; it sends it from the centre's store.
        client = SyncClient(
            leader.session_factory,
            leader.capture,
            CountyLink(county.url, county.issue_token(TOWNSHIP)),
            batch=500,
            data_dir=leader.data_dir,
        )
        while client.backlog():
            client.sync_once()
        assert client.files_unavailable == set()
        reader = {"Authorization": f"Bearer {county.issue_token('county-duty', kind='county')}"}
        got = requests.get(f"{county.url}/api/v1/blobs/{info.sha256}", headers=reader, timeout=10)
        assert got.status_code == 200 and got.content == content
    finally:
        window.close()
        leader.close()
