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

import math
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from centre_app.replication.hlc import HLC_PATTERN

# Bump when a replicated table changes shape; the county accepts MIN..CURRENT.
SCHEMA_VERSION = 1
MIN_SCHEMA_VERSION = 1
SCHEMA_HEADER = "X-Replication-Schema"

MAX_BATCH = 2000  # changes per push or pull
MAX_BODY_BYTES = 16 * 1024 * 1024  # one push
MAX_BLOB_BYTES = 64 * 1024 * 1024  # one file: a photo, a document or a video clip
MAX_QUERY_BYTES = 256 * 1024  # /blobs/missing: MAX_BATCH hashes of 64 hex digits, quoted
MAX_FORM_BYTES = 64 * 1024  # a report, a task, an answer
SHA256 = r"^[0-9a-f]{64}$"
SCHEMA_HEADER_PATTERN = r"^[0-9]{1,4}$"  # ASCII digits only: `²`.isdigit() but int() refuses
MAX_JSON_DEPTH = 16
MAX_JSON_VALUES = MAX_BATCH * 250  # values in one push: a full batch of wide rows holds ~80,000
MAX_JSON_INT = 2**63 - 1
MAX_JSON_FLOAT = 1e15


_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str, *, multiline: bool = True) -> str | None:
    """Why `value` cannot be stored as text (NUL, a lone surrogate, a control character),
    or None. PostgreSQL refuses NUL in text and UTF-8 cannot encode a lone surrogate."""
    found = (_BAD_TEXT if multiline else _BAD_LINE).search(value)
    if found is None:
        return None
    char = found.group()
    if char == "\0":
        return "含有 NUL 字符"
    if unicodedata.category(char) == "Cs":
        return "含有不成对的代理字符"
    return f"含有控制字符 U+{ord(char):04X}"


def _line(value: str) -> str:
    problem = text_problem(value, multiline=False)
    if problem:
        raise ValueError(problem)
    return value


def _text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def json_problem(value: Any, where: str = "", depth: int = 0) -> str | None:
    """The first value in a JSON document that cannot be stored faithfully: bad text,
    a non-finite or huge number, nesting too deep. Returns "path: reason" or None."""
    if depth > MAX_JSON_DEPTH:
        return f"{where}: 嵌套过深"
    if isinstance(value, str):
        problem = text_problem(value)
        return f"{where}: {problem}" if problem else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if abs(value) <= MAX_JSON_INT else f"{where}: 数值超出范围"
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_JSON_FLOAT:
            return f"{where}: 数值不是有限数或超出范围"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{where}: 键不是文本"
            problem = text_problem(key, multiline=False)
            if problem:
                return f"{where}.{key!r}: 键{problem}"
            found = json_problem(item, f"{where}.{key}" if where else key, depth + 1)
            if found:
                return found
        return None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = json_problem(item, f"{where}[{index}]", depth + 1)
            if found:
                return found
        return None
    return f"{where}: 不是 JSON 值"


def _json_object(value: dict[str, Any] | None) -> dict[str, Any] | None:
    problem = json_problem(value) if value is not None else None
    if problem:
        raise ValueError(problem)
    return value


Line = Annotated[str, AfterValidator(_line)]
"""One line of text: no NUL, lone surrogate or control character."""
Text = Annotated[str, AfterValidator(_text)]
"""Free text: as Line, but tabs and line breaks are allowed."""
RowData = Annotated[dict[str, Any] | None, AfterValidator(_json_object)]

COUNTY_NODE = "county"

Op = Literal["insert", "update", "delete"]


class WireChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=1, le=MAX_JSON_INT, description="the origin node's outbox sequence")
    hlc: str = Field(pattern=HLC_PATTERN)
    table: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    row_id: str = Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    op: Op
    data: RowData = Field(default=None, description="row values; null for delete")


class PushRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    node: str = Field(pattern=r"^[0-9A-Za-z_-]{1,16}$", description="the pushing township's code")
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
    field: str | None = Field(default=None, description="the offending field, when one is")
    skew_minutes: int | None = Field(
        default=None, description="clock_skew: how many minutes the stamp is ahead"
    )


class BlobQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sha256: list[Annotated[str, Field(pattern=SHA256)]] = Field(
        max_length=MAX_BATCH, description="files the next push refers to (hex sha256)"
    )


class BlobMissing(BaseModel):
    missing: list[str] = Field(description="those the county does not hold yet")


class BlobStored(BaseModel):
    sha256: str
    size: int
