"""Removing stored files no row names any more (`python -m centre_app.centre remove-unused-files`).

A file of the centre's store is kept while an incident attachment or a piece of video
evidence names its sha256, and for `grace` after it was stored (a file put in one
transaction and named in the next is never taken). Each file goes in a transaction of its
own, with its audit entry (action `files.remove_unused`, by the system: an administrator
sees what went, when and how large), and never under a desk storing the same content at
that moment:
- PostgreSQL: the desk that finds the content stored already holds a KEY SHARE lock on its
  `centre_file` row until it commits (FileStore._claim); this takes the row FOR UPDATE
  first, so it waits for that desk, and the DELETE that follows (a new snapshot under READ
  COMMITTED) sees the row that desk committed and keeps the file. A desk that comes after
  the delete finds no row and stores the content again.
- SQLite: the desk's claim is a write, so it holds the database's one write lock until it
  commits; the removal is one conditional DELETE, which cannot run in between.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.security import audit
from centre_app.security.actor import SYSTEM_ACTOR
from db.models.files import FileChunk, StoredFile
from db.models.incidents import IncidentAttachment
from db.models.video import Evidence

log = logging.getLogger(__name__)

DEFAULT_GRACE = dt.timedelta(days=7)


@dataclass(frozen=True)
class Removed:
    files: int
    bytes: int


def _unreferenced() -> ColumnElement[bool]:
    sha = StoredFile.sha256
    return ~exists().where(IncidentAttachment.sha256 == sha) & ~exists().where(
        Evidence.sha256 == sha
    )


def remove_unreferenced_files(
    session_factory: sessionmaker[Session], clock: Clock, grace: dt.timedelta = DEFAULT_GRACE
) -> Removed:
    """Remove every stored file no row names that was stored more than `grace` ago."""
    if grace < dt.timedelta(0):
        raise ValueError("grace must not be negative")
    cutoff = clock.now() - grace
    old_and_unused = (StoredFile.stored_at < cutoff) & _unreferenced()
    with session_factory() as session:
        candidates = list(session.scalars(select(StoredFile.sha256).where(old_and_unused)))
    files = size = 0
    for sha in candidates:
        with session_factory.begin() as session:
            if session.get_bind().dialect.name == "postgresql":
                locked = session.scalar(
                    select(StoredFile.sha256).where(StoredFile.sha256 == sha).with_for_update()
                )
                if locked is None:
                    continue
            removed = session.execute(
                delete(StoredFile)
                .where(StoredFile.sha256 == sha, old_and_unused)
                .returning(StoredFile.size)
            ).first()
            if removed is None:
                continue  # named again, or stored again, meanwhile
            session.execute(delete(FileChunk).where(FileChunk.sha256 == sha))
            audit.record(
                session,
                clock,
                SYSTEM_ACTOR,
                "files.remove_unused",
                target_type="centre_file",
                target_id=sha,
                summary=f"删除无引用的存储文件 {sha[:12]}…（{removed.size} 字节）",
                detail={"size": removed.size, "grace_days": grace.days},
            )
            files += 1
            size += removed.size
    if files:
        log.info("removed %d unused files (%d bytes) from the centre file store", files, size)
    return Removed(files, size)
