"""The county server's HTTP API (FastAPI; the OpenAPI schema is at /openapi.json).

Stateless: every request opens its own session, so several uvicorn workers can serve one
database. Every refusal is a 4xx with an `ErrorBody`; see centre_app/replication/protocol.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Response
from fastapi import Path as FastPath
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from centre_app.clock import Clock, SystemClock
from centre_app.county.store import (
    CountyError,
    CountyStore,
    Credential,
    Forbidden,
    Unauthorized,
    Unprocessable,
    parse_uuid,
)
from centre_app.errors import DomainError
from centre_app.incidents import workflow
from centre_app.incidents.phone import normalise_phone
from centre_app.replication import protocol as p
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade_to_head

log = logging.getLogger(__name__)

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": p.ErrorBody} for code in (400, 401, 403, 404, 408, 409, 413, 415, 422, 426, 429)
}


class AnswerRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: p.Line = Field(max_length=32, description="、".join(workflow.COUNTY_DECISIONS))
    comment: p.Text = Field(min_length=1, max_length=2000)
    answered_by: p.Line = Field(default="", max_length=32)


class AnswerResponse(BaseModel):
    incident_id: str
    event_id: str
    state: str
    township: str
    case_no: str


class IncidentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grid_code: str | None = Field(default=None, pattern=r"^[0-9]{12,15}$")
    township: str | None = Field(default=None, pattern=r"^[0-9]{9}$")
    category: p.Line = Field(min_length=1, max_length=16)
    subcategory: p.Line = Field(min_length=1, max_length=16)
    title: p.Line = Field(min_length=1, max_length=128)
    description: p.Text = Field(min_length=1, max_length=4000)
    reporter: p.Line = Field(min_length=1, max_length=64)
    place: p.Line = Field(default="", max_length=128)
    phone: str | None = Field(default=None, pattern=r"^[0-9+() -]{3,32}$")
    people_involved: int = Field(default=1, ge=1, le=100000)
    colour: str = Field(default="green", pattern="^(red|yellow|green)$")

    @field_validator("category", "subcategory", "title", "description", "reporter")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        """Stored stripped: a value of blanks only would be stored empty."""
        if not value.strip():
            raise ValueError("不能只有空白")
        return value.strip()

    def digest(self) -> str:
        """The request's content, to tell a retry from another request under one key."""
        text = json.dumps(self.model_dump(), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()


IDEMPOTENCY_HEADER = "Idempotency-Key"
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(
            description="a key of the caller's choosing (UUID): the same key sent again "
            "answers with the first request's case instead of creating a second"
        ),
    ] = None,
) -> str | None:
    if idempotency_key is not None and not _IDEMPOTENCY_KEY.fullmatch(idempotency_key):
        raise CountyError(
            "bad_idempotency_key",
            f"{IDEMPOTENCY_HEADER} 头应为 1–64 个字母、数字或 ._:- 字符。",
        )
    return idempotency_key


IdempotencyKey = Annotated[str | None, Depends(_idempotency_key)]


class IncidentCreated(BaseModel):
    incident_id: str
    case_no: str
    township: str


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    body = p.ErrorBody(error=code, message=message, **extra)
    return JSONResponse(status_code=status, content=body.model_dump(exclude_none=True))


_DIGITS = re.compile(rb"[0-9]{1,19}")
_SINGLE_HEADERS = (
    b"authorization",
    b"x-replication-schema",
    b"idempotency-key",
    b"content-type",
    b"content-encoding",
)


def body_limit(method: str, path: str) -> int:
    """Each endpoint's own limit on the request body, in bytes."""
    if path == "/api/v1/push":
        return p.MAX_BODY_BYTES
    if path == "/api/v1/blobs/missing":
        return p.MAX_QUERY_BYTES
    if method == "PUT" and path.startswith("/api/v1/blobs/"):
        return p.MAX_BLOB_BYTES
    return p.MAX_FORM_BYTES


class BodyLimit:
    """Read the request body whole before the app sees it, refusing it with 413 as soon as
    it passes the endpoint's limit — whatever the transfer encoding (a chunked body has no
    Content-Length to trust). A request with both Content-Length and chunked encoding, or a
    Content-Length that is not plain ASCII digits, is 400 (request smuggling); so is a
    request with two credentials, schema versions, keys or content types (which counts?).
    A compressed body (Content-Encoding) is 415: never inflated, so never a bomb."""

    def __init__(self, app: ASGIApp, store: CountyStore, idle_seconds: float | None = None) -> None:
        self.app, self.store = app, store
        self.uploads: dict[Credential, int] = {}  # files being taken, per caller
        self.idle_seconds = body_idle_seconds() if idle_seconds is None else idle_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(str(scope.get("method", "")), str(scope.get("path", "")))
        headers = list(scope.get("headers") or [])
        names = [key for key, _value in headers]
        for name in _SINGLE_HEADERS:
            if names.count(name) > 1:  # which one counts? a proxy may read the other
                await _error(
                    400, "duplicate_header", f"请求头 {name.decode()} 出现了多次，只能有一个。"
                )(scope, receive, send)
                return
        encoding = next((value for key, value in headers if key == b"content-encoding"), None)
        if encoding is not None and encoding.strip().lower() != b"identity":
            await _error(
                415, "unsupported_encoding", "县级中心不接受压缩的请求体（Content-Encoding）。"
            )(scope, receive, send)
            return
        lengths = [value for key, value in headers if key == b"content-length"]
        encodings = [value for key, value in headers if key == b"transfer-encoding"]
        if lengths and encodings:
            await _error(
                400,
                "ambiguous_length",
                "请求同时带有 Content-Length 和分块传输编码，无法确定长度。",
            )(scope, receive, send)
            return
        if len(lengths) > 1 or (lengths and not _DIGITS.fullmatch(lengths[0].strip())):
            await _error(400, "bad_length", "Content-Length 不是一个十进制数。")(
                scope, receive, send
            )
            return
        too_big = _error(413, "too_large", f"请求过大（此接口上限 {_size(limit)}），请分批推送。")
        if lengths and int(lengths[0]) > limit:
            await too_big(scope, receive, send)
            return
        caller = None
        if scope.get("method") in ("POST", "PUT", "PATCH") and str(scope.get("path")).startswith(
            "/api/v1/"
        ):
            # Who is sending, before a byte of the body is read: a caller without a valid
            # token made the county hold up to 64 MB per connection (8 at once: 576 MB).
            authorization = next((v for k, v in headers if k == b"authorization"), None)
            try:
                caller = await run_in_threadpool(
                    self.store.authenticate,
                    bearer_token(authorization.decode("latin-1") if authorization else None),
                )
            except CountyError as refused:
                await _error(refused.status, refused.code, refused.message)(scope, receive, send)
                return
        if caller is None or limit != p.MAX_BLOB_BYTES:
            await self._take(scope, receive, send, limit)
            return
        if self.uploads.get(caller, 0) >= MAX_UPLOADS_PER_CALLER:
            # A file costs the county about twice its size while it is taken: one township
            # sending many at once (six 60 MB files: 1.2 GB) must not take the memory.
            await _error(
                429,
                "too_many_uploads",
                f"同时上传的文件过多（每个乡镇最多 {MAX_UPLOADS_PER_CALLER} 个），请稍后再传。",
            )(scope, receive, send)
            return
        self.uploads[caller] = self.uploads.get(caller, 0) + 1
        try:
            await self._take(scope, receive, send, limit)
        finally:
            self.uploads[caller] -= 1
            if not self.uploads[caller]:
                del self.uploads[caller]

    async def _take(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Read the body whole (within `limit`), then hand the request on."""
        too_big = _error(413, "too_large", f"请求过大（此接口上限 {_size(limit)}），请分批推送。")
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            try:  # a body that stops coming must not hold the connection for good
                message = await asyncio.wait_for(receive(), self.idle_seconds)
            except TimeoutError:
                await _error(
                    408, "body_timeout", f"请求体 {self.idle_seconds:g} 秒内没有新数据，已断开。"
                )(scope, receive, send)
                return
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = bool(message.get("more_body", False))
            if size > limit:
                await too_big(scope, receive, send)
                return
        body = b"".join(chunks)  # held once: the pieces go now
        chunks.clear()
        if scope.get("path") == "/api/v1/push" and (
            await run_in_threadpool(json_values, body) > p.MAX_JSON_VALUES
        ):
            await _error(
                413,
                "too_many_values",
                f"请求中的 JSON 值过多（上限 {p.MAX_JSON_VALUES} 个），请分批推送。",
            )(scope, receive, send)
            return
        pending: list[bytes] = [body]
        del body

        async def replay() -> Message:
            if pending:
                return {"type": "http.request", "body": pending.pop(), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


_JSON_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"')


def json_values(body: bytes) -> int:
    """How many values (at most) a JSON text holds, counted without decoding it: decoded,
    16 MB of `0,` is eight million Python objects (~500 MB), and a few such pushes at once
    would take the county's memory. Commas and brackets inside strings are not counted."""
    quick = body.count(b",") + body.count(b"[") + body.count(b"{") + 1
    if quick <= p.MAX_JSON_VALUES:
        return quick
    bare = _JSON_STRING.sub(b'""', body)
    return bare.count(b",") + bare.count(b"[") + bare.count(b"{") + 1


BODY_IDLE_ENV = "ZONGZHI_COUNTY_BODY_IDLE_SECONDS"
MAX_UPLOADS_PER_CALLER = 2  # files one caller may be sending at once, per worker


def body_idle_seconds() -> float:
    """How long the county waits for the next piece of a request body (env, default 60)."""
    try:
        seconds = float(os.environ.get(BODY_IDLE_ENV, "60"))
    except ValueError:
        return 60.0
    return seconds if 0 < seconds < 3600 else 60.0


def _size(limit: int) -> str:
    return f"{limit // 1048576} MB" if limit >= 1048576 else f"{limit // 1024} KB"


class OffLoopRoute(APIRoute):
    """A route whose request is decoded and checked on a worker thread, on an event loop of
    its own. FastAPI parses and validates the body on the server's event loop: a 16 MB push
    of tiny values takes seconds to decode and check, and every other township's requests
    on this worker waited that long (a pull stalled 16 s behind three such pushes)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def off_loop(request: Request) -> Response:
            return await run_in_threadpool(asyncio.run, handler(request))

        return off_loop


class _SchemaTooOld(Exception):
    pass


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header (None without one)."""
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
        if not token.isascii() or not token.isprintable():
            raise Unauthorized("bad_token", "访问凭据无效或已被吊销，请向县级中心申请新的凭据。")
    return token


def _credential(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Credential:
    store: CountyStore = request.app.state.store
    return store.authenticate(bearer_token(authorization))


_SCHEMA = re.compile(p.SCHEMA_HEADER_PATTERN)


def _schema(
    _cred: Annotated[Credential, Depends(_credential)],
    x_replication_schema: Annotated[str | None, Header()] = None,
) -> None:
    """After the credential (401 first), the schema header: ASCII digits only."""
    if x_replication_schema is None:
        raise CountyError("no_schema", f"请求缺少 {p.SCHEMA_HEADER} 头。")
    if not _SCHEMA.fullmatch(x_replication_schema):
        raise CountyError("bad_schema", f"{p.SCHEMA_HEADER} 头应为十进制数字（0–9）。")
    version = int(x_replication_schema)
    if version < p.MIN_SCHEMA_VERSION:
        raise _SchemaTooOld()
    if version > p.SCHEMA_VERSION:
        raise CountyError("schema_too_new", "乡镇客户端的数据版本比县级中心新，请先升级县级中心。")


Cred = Annotated[Credential, Depends(_credential)]


DB_ENV = "ZONGZHI_COUNTY_DB"


def app_from_env() -> FastAPI:
    """The app of one worker when the county runs several (`serve --workers N`): the
    database comes from ZONGZHI_COUNTY_DB, already migrated by the parent process."""
    return create_app(os.environ[DB_ENV], migrate=False)


def create_app(
    db_url: str,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    max_skew: dt.timedelta | None = None,
) -> FastAPI:
    engine = make_engine(db_url)
    if migrate:
        upgrade_to_head(engine)
    store = CountyStore(make_session_factory(engine), clock or SystemClock(), max_skew)
    app = FastAPI(
        title="综治中心 县级同步服务 (county replication API)", version="1", description=p.__doc__
    )
    app.state.store = store

    @app.exception_handler(CountyError)
    async def county_error(_request: Request, exc: CountyError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return _error(422, "invalid", f"请求内容不合格：{where} {first.get('msg', '')}".strip())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {
            400: "请求体不是合格的 JSON（应为 UTF-8 编码、嵌套不过深的 JSON 对象）。",
            404: "没有这个接口。",
            405: "该接口不支持这种请求方法。",
        }
        return _error(
            exc.status_code,
            "http_" + str(exc.status_code),
            messages.get(exc.status_code, str(exc.detail)),
        )

    @app.get("/api/v1/health", response_model=p.Health)
    def health() -> p.Health:
        return p.Health(server_time=SystemClock().now().isoformat())

    heavy = APIRouter(route_class=OffLoopRoute)

    @heavy.post(
        "/api/v1/push",
        response_model=p.PushResponse,
        responses=_ERRORS,
        dependencies=[Depends(_schema)],
    )
    def push(body: p.PushRequest, cred: Cred) -> p.PushResponse:
        return store.push(cred, body)

    @app.get(
        "/api/v1/pull",
        response_model=p.PullResponse,
        responses=_ERRORS,
        dependencies=[Depends(_schema)],
    )
    def pull(
        cred: Cred,
        after: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=p.MAX_BATCH)] = 500,
    ) -> p.PullResponse:
        return store.pull(cred, after, limit)

    @app.post(
        "/api/v1/county/incidents/{incident_id}/answer",
        response_model=AnswerResponse,
        responses=_ERRORS,
    )
    def answer(incident_id: str, body: AnswerRequest, cred: Cred) -> AnswerResponse:
        result = store.answer_escalation(
            cred, parse_uuid(incident_id), body.decision, body.comment, body.answered_by
        )
        return AnswerResponse(**result)

    @app.post("/api/v1/county/tasks", response_model=IncidentCreated, responses=_ERRORS)
    def assign_task(body: IncidentRequest, cred: Cred, key: IdempotencyKey) -> IncidentCreated:
        if cred.kind != "county":
            raise Forbidden("not_county", "只有县级中心的凭据可以交办任务。")
        return IncidentCreated(
            **store.create_incident(
                cred,
                channel="department",
                idempotency_key=key,
                request_hash=body.digest(),
                **body.model_dump(exclude={"phone"}),
            )
        )

    @app.post("/api/v1/reports", response_model=IncidentCreated, responses=_ERRORS)
    def outside_report(body: IncidentRequest, cred: Cred, key: IdempotencyKey) -> IncidentCreated:
        if cred.kind not in ("channel", "county"):
            raise Forbidden("not_channel", "只有外部渠道（热线、网格员APP）的凭据可以提交报告。")
        channel = "grid_worker" if "app" in cred.subject.lower() else "hotline"
        try:  # the caller's phone in its own field, in the form the townships store
            phone = normalise_phone(body.phone or "")
        except DomainError as refused:
            raise Unprocessable("bad_phone", refused.message, field="phone") from refused
        fields = body.model_dump(exclude={"phone"})
        return IncidentCreated(
            **store.create_incident(
                cred,
                channel=channel,
                reporter_phone=phone,
                idempotency_key=key,
                request_hash=body.digest(),
                **fields,
            )
        )

    @heavy.post(
        "/api/v1/blobs/missing",
        response_model=p.BlobMissing,
        responses=_ERRORS,
        dependencies=[Depends(_schema)],
    )
    def missing_blobs(body: p.BlobQuery, cred: Cred) -> p.BlobMissing:
        return p.BlobMissing(missing=store.missing_blobs(cred, body.sha256))

    @app.put(
        "/api/v1/blobs/{sha256}",
        response_model=p.BlobStored,
        responses=_ERRORS,
        dependencies=[Depends(_schema)],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        },
    )
    async def put_blob(
        sha256: Annotated[str, FastPath(pattern=p.SHA256)], request: Request, cred: Cred
    ) -> p.BlobStored:
        content = await request.body()
        size = await run_in_threadpool(store.put_blob, cred, sha256, content)
        return p.BlobStored(sha256=sha256, size=size)

    @app.get(
        "/api/v1/blobs/{sha256}",
        responses={
            **_ERRORS,
            200: {
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                }
            },
        },
        response_class=Response,
    )
    def get_blob(sha256: Annotated[str, FastPath(pattern=p.SHA256)], cred: Cred) -> Response:
        return Response(store.get_blob(cred, sha256), media_type="application/octet-stream")

    app.include_router(heavy)
    app.add_exception_handler(_SchemaTooOld, _schema_too_old)
    app.add_middleware(BodyLimit, store=store)
    return app


async def _schema_too_old(_request: Request, _exc: Exception) -> JSONResponse:
    return _error(
        426,
        "schema_too_old",
        f"乡镇客户端的数据版本过旧，县级中心只接受版本 {p.MIN_SCHEMA_VERSION}–"
        f"{p.SCHEMA_VERSION}，请升级客户端后再同步。",
        schema_min=p.MIN_SCHEMA_VERSION,
    )
