"""The township ↔ county wire protocol: one source of truth for both sides.

All bodies are JSON (UTF-8). Every request but `GET /api/v1/health` carries
`Authorization: Bearer <token>`; the token names the township (tokens are issued by the
county admin command). Every request from a township also carries
`X-Replication-Schema: <SCHEMA_VERSION>`.

    GET  /api/v1/health                -> Health
    POST /api/v1/push    PushRequest   -> PushResponse
    GET  /api/v1/pull?after=<cursor>&limit=<n>  -> PullResponse

Push is idempotent by (node, seq): the county stores each (node, seq) once and answers
with the highest sequence it holds without a gap (`acked_through`); the township deletes
its outbox up to that sequence and nothing else. A push whose first sequence lies beyond
`acked_through + 1` is refused with 409 and `expected_seq`, so a lost batch is re-sent,
never skipped. The pushing node must be the token's township (403 otherwise) and every
row must belong to that township (403 with the offending row).

Pull returns, in cursor order, the county's changes addressed to the token's township (or
to everyone) that did not originate from it; `next_cursor` is stored by the township only
after the batch is applied in one local transaction, so a cut pull is simply re-read.

Errors are `ErrorBody` with a 4xx status: 400 malformed, 401 no/unknown token, 403
foreign rows or another township's node, 409 sequence gap, 413 batch too large,
426 schema too old (the body says which versions the county accepts), 422 validation.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

# Bump when a replicated table changes shape; the county accepts MIN..CURRENT.
SCHEMA_VERSION = 1
MIN_SCHEMA_VERSION = 1
SCHEMA_HEADER = "X-Replication-Schema"

MAX_BATCH = 2000  # changes per push or pull
MAX_BODY_BYTES = 16 * 1024 * 1024
MAX_BLOB_BYTES = 64 * 1024 * 1024  # one file: a photo, a document or a video clip
SHA256 = r"^[0-9a-f]{64}$"

COUNTY_NODE = "county"

Op = Literal["insert", "update", "delete"]


class WireChange(BaseModel):
    seq: int = Field(ge=1, description="the origin node's outbox sequence")
    hlc: str = Field(pattern=r"^\d{13}-\d{6}$")
    table: str = Field(min_length=1, max_length=64)
    row_id: str = Field(min_length=1, max_length=36)
    op: Op
    data: dict[str, Any] | None = Field(default=None, description="row values; null for delete")


class PushRequest(BaseModel):
    node: str = Field(min_length=1, max_length=16, description="the pushing township's code")
    changes: list[WireChange] = Field(max_length=MAX_BATCH)


class PushResponse(BaseModel):
    acked_through: int = Field(description="highest sequence of this node held without a gap")
    accepted: int
    duplicates: int


class PulledChange(BaseModel):
    cursor: int
    origin: str
    hlc: str
    table: str
    row_id: str
    op: Op
    data: dict[str, Any] | None = None


class PullResponse(BaseModel):
    changes: list[PulledChange]
    next_cursor: int
    more: bool


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    schema_min: int = MIN_SCHEMA_VERSION
    schema_current: int = SCHEMA_VERSION
    server_time: str


class ErrorBody(BaseModel):
    error: str = Field(description="machine-readable code, e.g. sequence_gap")
    message: str = Field(description="one plain sentence (Chinese) saying what is wrong")
    expected_seq: int | None = None
    schema_min: int | None = None


class BlobQuery(BaseModel):
    sha256: list[Annotated[str, Field(pattern=SHA256)]] = Field(max_length=MAX_BATCH,
                              description="files the next push refers to (hex sha256)")


class BlobMissing(BaseModel):
    missing: list[str] = Field(description="those the county does not hold yet")


class BlobStored(BaseModel):
    sha256: str
    size: int
