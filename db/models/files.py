"""The centre's file store: every attachment, snapshot and clip, by sha256, in chunks.

A file is one `centre_file` row (its size and chunk count) and its `centre_file_chunk`
rows, written in one transaction, so a committed `centre_file` row names a complete file.
Every desk of the centre reads the same bytes from here (each keeps a local cache). Not
replicated: the county receives the files through its own blob upload.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

CHUNK_BYTES = 1 << 20  # 1 MiB: a clip streams through memory one chunk at a time


class StoredFile(Base):
    __tablename__ = "centre_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    chunks: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[dt.datetime]
    stored_by: Mapped[str] = mapped_column(String(64))  # the desk (host) that stored it


class FileChunk(Base):
    __tablename__ = "centre_file_chunk"

    sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("centre_file.sha256", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
