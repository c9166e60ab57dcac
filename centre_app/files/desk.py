"""This desk's one view of the centre's file store: the read cache under its data
directory, with the limit of its own settings, shared by the incidents, the video evidence
and the county upload (one cache, one limit, instead of one store per service)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.files.store import DEFAULT_CACHE_LIMIT, FileStore

MB = 1 << 20


def desk_file_store(
    session_factory: sessionmaker[Session],
    clock: Clock,
    data_dir: Path,
    cache_limit: int = DEFAULT_CACHE_LIMIT,
) -> FileStore:
    """The store reading through `data_dir/file-cache`; attachments older versions kept
    under `data_dir/attachments` are found there."""
    from centre_app.incidents.attachments import legacy_path  # the incidents import files

    return FileStore(
        session_factory,
        clock,
        data_dir / "file-cache",
        lambda sha: legacy_path(data_dir, sha),
        cache_limit=cache_limit,
    )
