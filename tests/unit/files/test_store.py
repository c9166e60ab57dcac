"""The centre file store on SQLite (the one-PC centre): bytes by sha256 in chunks, read back
through a fresh desk cache, hostile names refused before they reach the disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import NotFound
from centre_app.files.store import FileStore
from db.models import Camera, EvidenceKind, FileChunk, StoredFile
from db.models.files import CHUNK_BYTES
from tests.unit.incidents.test_triage import png


def other_desk(ctx: AppContext, tmp_path: Path) -> FileStore:
    return FileStore(ctx.session_factory, ctx.clock, tmp_path / "other-desk-cache")


def test_a_file_read_at_a_desk_without_it_comes_from_the_database_in_chunks(
    ctx: AppContext, tmp_path: Path
) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(bytes(range(256)) * (CHUNK_BYTES // 256) * 2 + b"tail")
    with ctx.session_factory.begin() as session:
        sha = ctx.incidents.files.put(session, source)
    assert sha == hashlib.sha256(source.read_bytes()).hexdigest()
    with ctx.session_factory() as session:
        assert session.scalar(select(func.count()).where(FileChunk.sha256 == sha)) == 3
        assert session.get(StoredFile, sha) is not None
    desk = other_desk(ctx, tmp_path)
    assert b"".join(desk.chunks(sha)) == source.read_bytes()
    local = desk.local_path(sha)
    assert local.read_bytes() == source.read_bytes() and local.is_relative_to(desk.cache_dir)


def test_storing_the_same_content_twice_keeps_one_copy(ctx: AppContext, tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(b"same")
    second.write_bytes(b"same")
    with ctx.session_factory.begin() as session:
        shas = {ctx.incidents.files.put(session, first), ctx.incidents.files.put(session, second)}
    with ctx.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 1
    assert len(shas) == 1


@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd", "A" * 64, "0" * 63, "0" * 63 + "\x00", "０" * 64, "\udc80" * 64, ""],
)
def test_a_name_that_is_not_a_sha256_never_reaches_the_disk(
    ctx: AppContext, tmp_path: Path, name: str
) -> None:
    desk = other_desk(ctx, tmp_path)
    assert desk.find(name) is None
    with pytest.raises(NotFound, match="不在中心数据库中"):
        desk.local_path(name)
    assert not desk.cache_dir.exists()


def test_evidence_an_older_version_kept_only_on_this_disk_is_moved_into_the_store_once(
    ctx: AppContext, tmp_path: Path
) -> None:
    video = ctx.auth.login("shipin", DEMO_PASSWORD)
    with ctx.session_factory() as session:
        camera_id = session.scalars(select(Camera.id)).first()
    assert camera_id is not None
    taken = png(ctx.video.evidence.new_path("cam", EvidenceKind.SNAPSHOT), seed=5)
    item = ctx.video.evidence.add(video, camera_id, EvidenceKind.SNAPSHOT, taken)
    with ctx.session_factory.begin() as session:  # as before the store: on this disk only
        session.execute(delete(StoredFile).where(StoredFile.sha256 == item.sha256))
    for marker in ctx.incidents.files.cache_dir.glob(".adopted-*"):
        marker.unlink()

    assert ctx.adopt_legacy_files() == 1
    assert other_desk(ctx, tmp_path).local_path(item.sha256).read_bytes() == taken.read_bytes()
    assert ctx.adopt_legacy_files() == 0  # once per database


def _stored(ctx: AppContext, tmp_path: Path, desk: FileStore, name: str, size: int) -> str:
    source = tmp_path / name
    source.write_bytes(name.encode() * size)
    with ctx.session_factory.begin() as session:
        return desk.put(session, source)


def test_the_desk_cache_evicts_the_least_recently_used_file_when_it_outgrows_its_limit(
    ctx: AppContext, tmp_path: Path
) -> None:
    import os

    desk = FileStore(ctx.session_factory, ctx.clock, tmp_path / "cache", cache_limit=2500)
    first = _stored(ctx, tmp_path, desk, "a", 1000)
    second = _stored(ctx, tmp_path, desk, "b", 1000)
    os.utime(desk.cached_path(first), ns=(1_000_000_000, 1_000_000_000))
    os.utime(desk.cached_path(second), ns=(2_000_000_000, 2_000_000_000))
    assert desk.find(first) == desk.cached_path(first)  # read again: now the most recent
    third = _stored(ctx, tmp_path, desk, "c", 1000)
    assert desk.cached_path(first).is_file() and desk.cached_path(third).is_file()
    assert not desk.cached_path(second).exists() and desk.cache_bytes() == 2000
    # evicted from the cache, not from the centre: read again from the database
    assert desk.local_path(second).read_bytes() == b"b" * 1000


def test_the_file_just_written_and_files_still_being_written_are_never_evicted(
    ctx: AppContext, tmp_path: Path
) -> None:
    desk = FileStore(ctx.session_factory, ctx.clock, tmp_path / "cache", cache_limit=10)
    old = _stored(ctx, tmp_path, desk, "o", 500)
    with desk._incoming() as (fh, tmp):  # another read streaming in right now
        fh.write(b"x" * 5000)
        fh.flush()
        big = _stored(ctx, tmp_path, desk, "b", 2000)
        assert tmp.is_file() and tmp.stat().st_size == 5000
    assert desk.cached_path(big).is_file() and not desk.cached_path(old).exists()
    assert desk.cache_bytes() == 2000  # over the limit by the one file in use only


def test_a_cache_without_a_limit_of_its_own_keeps_two_gib(ctx: AppContext) -> None:
    from centre_app.files.store import DEFAULT_CACHE_LIMIT

    assert ctx.incidents.files.cache_limit == DEFAULT_CACHE_LIMIT == 2 * 1024**3
    with pytest.raises(ValueError):
        FileStore(ctx.session_factory, ctx.clock, Path("x"), cache_limit=-1)
