"""The centre's file store: content-addressed, in the centre database, cached on each desk.

Rules it enforces:
- A file is stored once per content (its sha256), in chunks of `CHUNK_BYTES`, in the
  caller's transaction: the row that names the file and the file commit together. Two
  desks storing the same content at once both succeed; the database keeps one copy (the
  insert of the `centre_file` row is the claim; the loser waits for the winner's commit).
- Bytes stream through memory one chunk at a time, both ways; a clip is never read whole.
- Every read from the database is checked: chunk numbering, total size and sha256. A
  damaged or truncated file is refused in words (`FileDamaged`), never shown or sent.
- Each desk keeps what it read or wrote in a local cache (`cache_dir`, by sha256). A file
  enters the cache only after its hash was checked, under its final name by rename.
- The cache holds at most `cache_limit` bytes (default 2 GiB): each file installed evicts
  the least recently used others (a read touches its file) until the cache fits again. A
  file still being written (`.incoming-*`) and the one just installed are never evicted.
- Files written by older versions on this desk's disk (`legacy`: paths by sha256) are
  still found: checked, moved into the store and cached, so nothing is lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.errors import DomainError, NotFound, ValidationError, msg
from db.models.files import CHUNK_BYTES, FileChunk, StoredFile

log = logging.getLogger(__name__)

SHA256_HEX = frozenset("0123456789abcdef")
# A legacy locator names where an older version kept the file with this sha256 (or None).
LegacyLocator = Callable[[str], Path | None]
DEFAULT_CACHE_LIMIT = 2 << 30  # bytes of this desk's read cache: 2 GiB


class FileDamaged(DomainError):
    """The bytes the centre database holds do not match their sha256 (or are incomplete)."""


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= SHA256_HEX


def sha256_file(path: Path) -> tuple[str, int]:
    """(sha256, size) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(CHUNK_BYTES):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def fan_out(root: Path, sha256: str) -> Path:
    """root/ab/cd/<sha256>: two levels, so no directory grows huge."""
    return root / sha256[:2] / sha256[2:4] / sha256


class FileStore:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        cache_dir: Path,
        legacy: LegacyLocator | None = None,
        cache_limit: int = DEFAULT_CACHE_LIMIT,
    ) -> None:
        if cache_limit < 0:
            raise ValueError("cache_limit must not be negative")
        self._sf = session_factory
        self._clock = clock
        self.cache_dir = cache_dir
        self.cache_limit = cache_limit
        self._legacy = legacy

    # --- writing ------------------------------------------------------------------------

    def put(self, session: Session, source: Path, *, cache: bool = True) -> str:
        """Store `source` (once per content) in `session`'s transaction and (unless the
        caller keeps the file itself) cache it here; returns its sha256. A file changed
        while it is being stored is refused."""
        sha, size = sha256_file(source)
        if self._claim(session, sha, size):
            digest = hashlib.sha256()
            written = 0
            chunks = FileChunk.__table__
            assert isinstance(chunks, Table)
            with source.open("rb") as fh:
                for seq, block in enumerate(iter(lambda: fh.read(CHUNK_BYTES), b"")):
                    digest.update(block)
                    written += len(block)
                    session.execute(chunks.insert().values(sha256=sha, seq=seq, data=block))
            if digest.hexdigest() != sha or written != size:
                raise ValidationError(
                    "文件“{name}”在保存过程中被改动了，请等它写完后重新添加。", name=source.name
                )
        if cache:
            self._cache_copy(source, sha)
        return sha

    def _claim(self, session: Session, sha: str, size: int) -> bool:
        """Insert the file's row; False when the content is stored already (or a concurrent
        desk stored it first: its uncommitted row makes this insert wait for its commit)."""
        table = StoredFile.__table__
        assert isinstance(table, Table)
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        # RETURNING, not rowcount: a row comes back only when this insert made it (the
        # rowcount of an upsert is -1 on some drivers).
        statement = dialect.insert(table).on_conflict_do_nothing(index_elements=["sha256"])
        values = statement.values(
            sha256=sha,
            size=size,
            chunks=-(-size // CHUNK_BYTES),
            stored_at=self._clock.now(),
            stored_by=socket.gethostname()[:64],
        ).returning(table.c.sha256)
        while True:
            if session.execute(values).first() is not None:
                return True
            if dialect is sqlite:  # the insert took the write lock: held until commit
                return False
            # Stored already: hold it (KEY SHARE, until this transaction ends) so that the
            # removal of unused files (centre_app/files/maintenance.py) waits for this
            # desk's row naming it; removed just now: store it again.
            held = session.execute(
                select(table.c.sha256)
                .where(table.c.sha256 == sha)
                .with_for_update(read=True, key_share=True)
            ).first()
            if held is not None:
                return False

    # --- reading ------------------------------------------------------------------------

    def cached_path(self, sha256: str) -> Path:
        """Where this desk keeps (or will keep) its copy of the file."""
        return fan_out(self.cache_dir, sha256)

    def local_path(self, sha256: str, *, fallback: Path | None = None) -> Path:
        """A checked local copy of the file: from this desk's cache, else streamed from the
        centre database, else (files of older versions) from `fallback` or the legacy
        place, moved into the store on the way. NotFound / FileDamaged in words."""
        found = self.find(sha256, fallback=fallback)
        if found is None:
            raise NotFound(
                "文件 {sha} 不在中心数据库中，本机也没有；请从原始来源重新添加。",
                sha=sha256[:12],
            )
        return found

    def find(self, sha256: str, *, fallback: Path | None = None) -> Path | None:
        """As `local_path`, but None when no desk stored the file (FileDamaged still raised)."""
        if not is_sha256(sha256):
            return None
        cached = self.cached_path(sha256)
        if cached.is_file():
            _touch(cached)  # recently used: evicted last
            return cached
        with self._sf() as session:
            row = session.get(StoredFile, sha256)
            if row is not None:
                size, count = row.size, row.chunks
                with self._incoming() as (fh, tmp):
                    for block in self._verified(session, sha256, size, count):
                        fh.write(block)
                    fh.close()
                    return self._install(tmp, sha256)
        return self._adopt(sha256, fallback)

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """The file's bytes from the centre database, chunk by chunk, checked as they come
        (FileDamaged at the first sign of damage, before the rest is read)."""
        with self._sf() as session:
            row = session.get(StoredFile, sha256)
            if row is None:
                raise NotFound("文件 {sha} 不在中心数据库中。", sha=sha256[:12])
            yield from self._verified(session, sha256, row.size, row.chunks)

    def _verified(self, session: Session, sha: str, size: int, count: int) -> Iterator[bytes]:
        digest = hashlib.sha256()
        total = 0
        table = FileChunk.__table__.c
        for seq in range(count):
            block = session.scalar(select(table.data).where(table.sha256 == sha, table.seq == seq))
            if block is None:
                log.error("file %s: chunk %d of %d is missing", sha, seq, count)
                raise FileDamaged(_DAMAGED, sha=sha[:12])
            block = bytes(block)
            total += len(block)
            if total > size or (seq < count - 1 and len(block) != CHUNK_BYTES):
                log.error("file %s: chunk %d has %d bytes", sha, seq, len(block))
                raise FileDamaged(_DAMAGED, sha=sha[:12])
            digest.update(block)
            if seq == count - 1 and (total != size or digest.hexdigest() != sha):
                log.error("file %s: %d bytes, hash %s", sha, total, digest.hexdigest())
                raise FileDamaged(_DAMAGED, sha=sha[:12])
            yield block
        if count == 0 and (size != 0 or digest.hexdigest() != sha):
            raise FileDamaged(_DAMAGED, sha=sha[:12])

    # --- files of older versions --------------------------------------------------------

    def adopt(self, sha256: str, path: Path) -> bool:
        """Move a file an older version kept on this disk into the store (once, in its own
        transaction) when it still holds `sha256`; False when it does not or is gone."""
        try:
            actual, _size = sha256_file(path)
        except OSError:
            return False
        if actual != sha256:
            log.warning("file %s no longer holds %s; not adopted", path, sha256)
            return False
        with self._sf.begin() as session:
            self.put(session, path)
        log.info("adopted %s from %s into the centre file store", sha256, path)
        return True

    def _adopt(self, sha256: str, fallback: Path | None) -> Path | None:
        candidates = [fallback, self._legacy(sha256) if self._legacy else None]
        for path in candidates:
            if path is not None and path.is_file() and self.adopt(sha256, path):
                return self.cached_path(sha256)
        return None

    # --- the local cache ----------------------------------------------------------------

    def _cache_copy(self, source: Path, sha: str) -> None:
        target = self.cached_path(sha)
        if target.is_file():
            return
        with self._incoming() as (fh, tmp), source.open("rb") as src:
            shutil.copyfileobj(src, fh, CHUNK_BYTES)
            fh.close()
            self._install(tmp, sha)

    def _incoming(self) -> _Incoming:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        return _Incoming(self.cache_dir)

    def _install(self, tmp: Path, sha: str) -> Path:
        target = self.cached_path(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)  # atomic: a reader never sees a half-written file
        self.evict(keep=sha)
        return target

    def cache_bytes(self) -> int:
        return sum(size for _used, _path, size in self._cached_files())

    def evict(self, *, keep: str = "") -> int:
        """Remove the least recently used cached files until the cache fits `cache_limit`;
        `keep` (the file just installed) and files still being written stay. Returns the
        bytes removed. Another desk process evicting at once only removes what is there."""
        files = self._cached_files()
        total = sum(size for _used, _path, size in files)
        removed = 0
        for _used, path, size in sorted(files):
            if total - removed <= self.cache_limit:
                break
            if path.name == keep:
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:  # e.g. held open on a file system that refuses
                log.warning("file cache: could not evict %s: %s", path, exc)
                continue
            removed += size
        if removed:
            log.info("file cache: evicted %d bytes (limit %d)", removed, self.cache_limit)
        return removed

    def _cached_files(self) -> list[tuple[int, Path, int]]:
        """(last used, path, size) of each complete file in the cache (never `.incoming-*`)."""
        found: list[tuple[int, Path, int]] = []
        if not self.cache_dir.is_dir():
            return found
        for path in self.cache_dir.glob("??/??/*"):
            if not is_sha256(path.name):
                continue
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            found.append((st.st_mtime_ns, path, st.st_size))
        return found


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):  # evicted meanwhile by another process
        os.utime(path)


_DAMAGED = msg("中心数据库中的文件 {sha} 已损坏或不完整，不能使用；请从原始来源重新添加。")


class _Incoming:
    """A temporary file in the cache directory, removed unless it was installed."""

    def __init__(self, root: Path) -> None:
        fd, name = tempfile.mkstemp(dir=root, prefix=".incoming-")
        self.path = Path(name)
        self.fh: BinaryIO = os.fdopen(fd, "wb")

    def __enter__(self) -> tuple[BinaryIO, Path]:
        return self.fh, self.path

    def __exit__(self, *exc: object) -> None:
        self.fh.close()
        self.path.unlink(missing_ok=True)
