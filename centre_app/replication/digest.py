"""A content hash of replicated rows that is the same on SQLite and PostgreSQL, township
and county: rows as canonical JSON (sorted keys, values as the wire encodes them), sorted
by table and id. `updated_at` is left out: it is a local bookkeeping time, not content;
so are columns each node derives for itself (`replicated_columns`)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from centre_app.replication.tables import encode_mapping, replicated_columns, replicated_tables

IGNORED = frozenset({"updated_at"})


@functools.cache
def _content_names(table: Table) -> frozenset[str]:
    return frozenset(c.name for c in replicated_columns(table)) - IGNORED


def _canonical(table: str, row_id: str, data: dict[str, Any]) -> str:
    # Only the columns that travel: a county document written before a column became
    # local may still hold it.
    known = replicated_tables().get(table)
    names = _content_names(known) if known is not None else set(data) - IGNORED
    content = {k: v for k, v in data.items() if k in names}
    return json.dumps(
        [table, row_id, content], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def digest_documents(documents: Iterable[tuple[str, str, dict[str, Any]]]) -> str:
    lines = sorted(_canonical(t, r, d) for t, r, d in documents)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def local_documents(session: Session) -> list[tuple[str, str, dict[str, Any]]]:
    docs: list[tuple[str, str, dict[str, Any]]] = []
    for name, table in replicated_tables().items():
        for row in session.execute(select(table)).mappings():
            docs.append((name, str(row["id"]), encode_mapping(row, table)))
    return docs


def local_digest(session: Session) -> str:
    """The digest of every replicated row in this (township) database."""
    return digest_documents(local_documents(session))
