"""Files older versions kept on this desk's disk, moved into the centre's file store once.

Before the store, attachments lived under data_dir/attachments/ab/cd/<sha256> and video
evidence at the path its row recorded, on the one workstation that took them. At start-up
each desk moves what it holds into the centre database (checked by sha256), so every desk
and the sync leader can read it; a marker per database makes this a one-time sweep. Until
then (and for anything the sweep missed) the store still finds the file on this disk.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.files.store import FileStore, is_sha256
from db.models.files import StoredFile
from db.models.video import Evidence

log = logging.getLogger(__name__)


def marker_for(cache_dir: Path, database: str) -> Path:
    """The file saying this desk's old files were moved into the database `database`."""
    return cache_dir / f".adopted-{hashlib.sha256(database.encode()).hexdigest()[:16]}"


def adopt_legacy_files(
    session_factory: sessionmaker[Session], files: FileStore, data_dir: Path, database: str
) -> int:
    """Move this desk's files of older versions into the store; returns how many moved.
    Runs once per database (the marker); a file that no longer holds its hash stays out."""
    marker = marker_for(files.cache_dir, database)
    if marker.exists():
        return 0
    candidates: dict[str, Path] = {}
    attachments = data_dir / "attachments"
    if attachments.is_dir():
        for path in attachments.glob("*/*/*"):
            if path.is_file() and is_sha256(path.name):
                candidates.setdefault(path.name, path)
    with session_factory() as session:
        for sha, recorded in session.execute(select(Evidence.sha256, Evidence.file_path)):
            path = Path(recorded)
            if is_sha256(sha) and path.is_file():
                candidates.setdefault(sha, path)
        stored = set(
            session.scalars(
                select(StoredFile.sha256).where(StoredFile.sha256.in_(list(candidates)))
            )
        )
    moved = sum(
        1
        for sha, path in sorted(candidates.items())
        if sha not in stored and files.adopt(sha, path)
    )
    if moved:
        log.info("moved %d files of older versions into the centre file store", moved)
    files.cache_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text("done\n", encoding="utf-8")
    return moved
