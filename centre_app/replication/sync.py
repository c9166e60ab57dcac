"""The township's sync with the county: push the outbox, pull what is addressed to us.

`SyncClient.sync_once()` does one round and raises `SyncFailure` (a Chinese sentence) on
anything that went wrong; nothing is lost either way, because the outbox is trimmed only up
to the county's acknowledgement and the pull cursor moves only in the transaction that
applied the pulled batch. `SyncWorker` runs rounds on its own thread (never the GUI's): on
a timer, on `sync_now()`, with exponential backoff and jitter while the county is down.
"""

from __future__ import annotations

import json
import logging
import os
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import requests
from pydantic import ValidationError
from sqlalchemy import Text, cast, delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from centre_app.centre.connection import CentreDatabaseDown
from centre_app.centre.leader import (
    LeaderLock,
    SoleDesk,
    desk_name,
    publish_status,
    shared_status,
)
from centre_app.centre.notice import Origin
from centre_app.clock import Clock, SystemClock
from centre_app.errors import DomainError, msg
from centre_app.files.store import FileDamaged, FileStore, sha256_file
from centre_app.replication import protocol as p
from centre_app.replication.apply import Change, apply_changes
from centre_app.replication.capture import ChangeCapture, note_changes
from centre_app.replication.hlc import ClockSkew
from centre_app.replication.outbox import backlog as outbox_backlog
from centre_app.replication.outbox import collect
from centre_app.replication.policies import BlobLocator, blob_locator
from centre_app.replication.status import LinkState, StatusError, SyncStatus
from db.models.replication import OutboxEntry, ReplicationState

log = logging.getLogger(__name__)

CURSOR_KEY = "pull_cursor"
# The centre's server gone: the driver's error, or (on a desk's hooked engine) ours.
_CENTRE_DOWN = (OperationalError, CentreDatabaseDown)
CENTRE_DATABASE_DOWN = msg("无法连接中心数据库服务器，正在自动重试；已保存的数据不受影响。")
INTERNAL_ERROR = msg("同步时发生内部错误，详情见日志，稍后自动重试。")
WORKER_NICENESS = 10
CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 15.0


class SyncFailure(DomainError):
    """A round that did not complete: a template with arguments (msg-marked), like every
    domain error, so `ui/` can say it in the interface's language."""

    def __init__(self, template: str, /, *, permanent: bool = False, **params: object) -> None:
        super().__init__(template, **params)
        self.permanent = permanent  # retrying will not help until someone acts


@dataclass(frozen=True)
class CountyLink:
    url: str
    token: str
    verify: bool | str = True  # True, False or a CA bundle path


class SyncClient:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        capture: ChangeCapture,
        link: CountyLink,
        *,
        batch: int = p.MAX_BATCH,
        http: requests.Session | None = None,
        data_dir: Path | None = None,
        files: FileStore | None = None,
    ) -> None:
        self._sf = session_factory
        self._data_dir = data_dir
        self._files = files  # this desk's store; made on first use when not given
        self.files_unavailable: set[str] = set()  # named by rows, but gone from this disk
        self._capture = capture
        self.link = link
        self._batch = batch
        self._http = http or requests.Session()
        self._http.headers.update(
            {"Authorization": f"Bearer {link.token}", p.SCHEMA_HEADER: str(p.SCHEMA_VERSION)}
        )

    @property
    def session_factory(self) -> sessionmaker[Session]:
        return self._sf

    @property
    def capture(self) -> ChangeCapture:
        return self._capture

    @property
    def node(self) -> str:
        return self._capture.node_id

    def backlog(self) -> int:
        with self._sf() as session:
            return outbox_backlog(session)

    # --- HTTP ---------------------------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        url = self.link.url.rstrip("/") + path
        try:
            response = self._http.request(
                method,
                url,
                timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
                verify=self.link.verify,
                **kwargs,
            )
        except requests.exceptions.SSLError as exc:
            raise SyncFailure(
                msg("县级中心的证书无法验证，请检查证书设置。"), permanent=True
            ) from exc
        except requests.exceptions.Timeout as exc:
            raise SyncFailure(msg("县级中心响应超时，稍后自动重试。")) from exc
        except requests.exceptions.RequestException as exc:
            raise SyncFailure(msg("无法连接县级中心，数据已保存在本机，恢复后自动同步。")) from exc
        try:
            body = response.json()
        except ValueError as exc:
            raise SyncFailure(
                msg("县级中心返回了无法识别的数据（HTTP {status}）。"), status=response.status_code
            ) from exc
        if response.status_code >= 400:
            return self._refusal(response.status_code, body)
        return body

    def _refusal(self, status: int, body: Any) -> Any:
        try:
            error = p.ErrorBody.model_validate(body)
        except ValidationError:
            raise SyncFailure(
                msg("县级中心返回了无法识别的错误（HTTP {status}）。"), status=status
            ) from None
        if status == 409 and error.expected_seq is not None:
            return error
        if error.error == "clock_skew":  # our stamps lie ahead of the county's clock
            if error.skew_minutes:
                raise SyncFailure(
                    msg("本机时钟比县级服务器快 {minutes} 分钟，请校准系统时间。"),
                    minutes=error.skew_minutes,
                    permanent=True,
                )
            raise SyncFailure(msg("本机时钟比县级服务器快，请校准系统时间。"), permanent=True)
        if status == 401:
            raise SyncFailure(
                msg("县级中心拒绝了本站凭据：{reason}"), reason=error.message, permanent=True
            )
        if status == 426:
            raise SyncFailure(
                msg("版本过旧，请升级客户端：{reason}"), reason=error.message, permanent=True
            )
        if status in (408, 429, 503):  # busy: too many files at once, a slow upload
            raise SyncFailure(msg("县级中心繁忙（HTTP {status}），稍后自动重试。"), status=status)
        if status >= 500:
            raise SyncFailure(
                msg("县级中心内部错误（HTTP {status}），稍后自动重试。"), status=status
            )
        raise SyncFailure(
            msg("县级中心拒绝了同步（HTTP {status}）：{reason}"),
            status=status,
            reason=error.message,
            permanent=status in (403, 413, 422),
        )

    # --- one round ----------------------------------------------------------------------

    def push(self) -> int:
        """Push the whole outbox in batches; returns how many changes the county took."""
        sent = 0
        collect(self._sf)
        while True:
            body, last_seq, files = self._next_batch()
            if body is None:
                return sent
            if files:
                self._send_files(files)
            answer = self._call(
                "POST", "/api/v1/push", data=body, headers={"Content-Type": "application/json"}
            )
            if isinstance(answer, p.ErrorBody):
                # The county misses earlier changes we no longer hold: nothing we can resend.
                raise SyncFailure(
                    msg("县级中心缺少序号 {seq} 起的变更，而本机已不再保存它们，请联系县级中心。"),
                    seq=answer.expected_seq,
                    permanent=True,
                )
            try:
                ack = p.PushResponse.model_validate(answer)
            except ValidationError as exc:
                raise SyncFailure(msg("县级中心返回了无法识别的数据。")) from exc
            if ack.acked_through > last_seq:
                raise SyncFailure(
                    msg("县级中心确认了本机尚未发送的序号，数据不一致，请联系县级中心。"),
                    permanent=True,
                )
            with self._sf.begin() as session:
                session.execute(delete(OutboxEntry).where(OutboxEntry.seq <= ack.acked_through))
            sent += ack.accepted
            if ack.acked_through < last_seq:
                raise SyncFailure(msg("县级中心只确认了部分变更，稍后继续。"))

    def _next_batch(
        self,
    ) -> tuple[bytes | None, int, dict[str, tuple[BlobLocator, dict[str, Any]]]]:
        """The next push body and its last sequence number, built from the outbox's stored
        JSON text without decoding it: a batch is ~1 MB, and decoding and re-encoding it in
        a few large calls holds the GIL long enough to make the GUI thread stutter."""
        outbox = OutboxEntry.__table__.c
        with self._sf() as session:
            rows = session.execute(
                select(
                    outbox.seq,
                    outbox.hlc,
                    outbox.table_name,
                    outbox.row_id,
                    outbox.op,
                    cast(outbox.data, Text),
                )
                .where(outbox.seq.is_not(None))
                .order_by(outbox.seq)
                .limit(self._batch)
            ).all()
        if not rows:
            return None, 0, {}
        files: dict[str, tuple[BlobLocator, dict[str, Any]]] = {}
        for _seq, _hlc, table, _row_id, op, data in rows:
            locate = blob_locator(table)
            if locate is not None and op != "delete" and data:
                values = json.loads(data)
                if values.get("sha256"):
                    files[values["sha256"]] = (locate, values)
        # %-formatting (not f-strings) keeps the JSON braces readable.
        changes = [
            '{"seq":%d,"hlc":%s,"table":%s,"row_id":%s,"op":%s,"data":%s}'  # noqa: UP031
            % (
                seq,
                json.dumps(hlc),
                json.dumps(table),
                json.dumps(row_id),
                json.dumps(op),
                data if data is not None else "null",
            )
            for seq, hlc, table, row_id, op, data in rows
        ]
        body = '{"node":%s,"changes":[%s]}' % (  # noqa: UP031
            json.dumps(self.node),
            ",".join(changes),
        )
        return body.encode(), int(rows[-1][0]), files

    def _file_store(self) -> FileStore:
        if self._files is None:
            from centre_app import paths
            from centre_app.files.desk import desk_file_store

            self._files = desk_file_store(
                self._sf, SystemClock(), self._data_dir or paths.data_dir()
            )
        return self._files

    def _locate(self, locate: BlobLocator, values: dict[str, Any]) -> Path | None:
        """The file a row names, from the centre's store; a damaged one is not sent."""
        try:
            return locate(values, self._file_store())
        except FileDamaged:
            log.warning("file %s is damaged in the centre store; not sent", values["sha256"])
            return None

    def _send_files(self, files: dict[str, tuple[BlobLocator, dict[str, Any]]]) -> None:
        """Upload the files the next batch names and the county lacks, before the rows.
        Each is read from the centre's file store (through this desk's cache) only when the
        county lacks it. A file no desk stored, or a damaged one, cannot be sent: it is
        logged and the rows still go, so one lost photo never holds up replication."""
        answer = self._call(
            "POST", "/api/v1/blobs/missing", json=p.BlobQuery(sha256=list(files)).model_dump()
        )
        try:
            missing = p.BlobMissing.model_validate(answer).missing
        except ValidationError as exc:
            raise SyncFailure(msg("县级中心返回了无法识别的数据。")) from exc
        for sha in missing:
            named = files.get(sha)
            path = self._locate(*named) if named is not None else None
            if path is None or not _holds(path, sha):
                if sha not in self.files_unavailable:
                    log.warning(
                        "file %s (%s) is in neither the centre store nor this disk; rows go without it",
                        sha,
                        path,
                    )
                self.files_unavailable.add(sha)
                continue
            with path.open("rb") as content:  # streamed from the disk, never read whole
                self._call(
                    "PUT",
                    f"/api/v1/blobs/{sha}",
                    data=content,
                    headers={"Content-Type": "application/octet-stream"},
                )

    def pull(self) -> int:
        """Apply every change the county holds for us; returns how many arrived."""
        received = 0
        while True:
            with self._sf() as session:
                state = session.get(ReplicationState, CURSOR_KEY)
                cursor = int(state.value) if state else 0
            answer = self._call(
                "GET", "/api/v1/pull", params={"after": cursor, "limit": self._batch}
            )
            if isinstance(answer, p.ErrorBody):  # 409 cursor_ahead: the county lost changes
                raise SyncFailure(
                    msg(
                        "县级中心的变更记录只到 {end}，本机已拉取到 {cursor}：县级中心可能从"
                        "较早的备份恢复过。本机数据完好，请联系县级管理员处理后再同步。"
                    ),
                    end=answer.expected_seq,
                    cursor=cursor,
                    permanent=True,
                )
            try:
                page = p.PullResponse.model_validate(answer)
            except ValidationError as exc:
                raise SyncFailure(msg("县级中心返回了无法识别的数据。")) from exc
            if page.changes:
                with self._sf.begin() as session:
                    apply_changes(
                        session,
                        [
                            Change(c.origin, c.hlc, c.table, c.row_id, c.op, c.data)
                            for c in page.changes
                        ],
                    )
                    session.merge(ReplicationState(key=CURSOR_KEY, value=str(page.next_cursor)))
                    # Pages at every desk refresh from this (the county's changes).
                    note_changes(
                        session, [(c.table, c.row_id) for c in page.changes], Origin.COUNTY
                    )
                for change in page.changes:
                    try:
                        self._capture.hlc.observe(change.hlc)
                    except ClockSkew as skew:  # never follow a stamp far ahead of our clock
                        log.warning(
                            "本机时钟比县级中心的时间戳慢 %d 分钟，请校准系统时间",
                            skew.ahead_minutes,
                        )
                received += len(page.changes)
            if not page.more:
                return received

    def sync_once(self) -> tuple[int, int]:
        return self.push(), self.pull()


def _holds(path: Path, sha256: str) -> bool:
    """True when the file still holds what its rows name (and is not too big to send)."""
    try:
        if path.stat().st_size > p.MAX_BLOB_BYTES:
            return False
        actual, _size = sha256_file(path)
    except OSError:
        return False
    return actual == sha256


class SyncWorker:
    """Runs sync rounds on its own thread and reports `SyncStatus` through `on_status`
    (called on the worker thread: a Qt receiver must use a queued connection)."""

    def __init__(
        self,
        client: SyncClient,
        clock: Clock,
        *,
        interval_s: float = 5.0,
        max_backoff_s: float = 300.0,
        on_status: Callable[[SyncStatus], None] | None = None,
        leader: LeaderLock | None = None,
        follow_interval_s: float = 1.0,
    ) -> None:
        self.client = client
        # Every desk runs a worker; only the holder of the leader lock talks to the county,
        # the others try the lock every `follow_interval_s` and show the shared link state.
        self._leader: LeaderLock = leader or SoleDesk()
        self._follow_interval = follow_interval_s
        self.leading = False
        self._clock = clock
        self._interval = interval_s
        self._max_backoff = max_backoff_s
        self._on_status = on_status
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        try:
            backlog = client.backlog()
        except _CENTRE_DOWN:  # the centre database is down: the first round says so
            backlog = 0
        self.status = SyncStatus(LinkState.OFFLINE, backlog=backlog)

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self.client.capture.commit_listeners.append(self.local_change)
            self._thread = threading.Thread(target=self._run, name="county-sync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        if self.local_change in self.client.capture.commit_listeners:
            self.client.capture.commit_listeners.remove(self.local_change)
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._leader.release()
        self.leading = False

    def sync_now(self) -> None:
        self._failures = 0
        self._wake.set()

    def local_change(self) -> None:
        """A local commit queued changes: send them now — unless the county is failing,
        where the backoff decides (a busy clerk must not hammer a county that is down)."""
        if self._failures == 0:
            self._wake.set()

    def _publish(self, status: SyncStatus) -> None:
        self.status = status
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # a broken listener must not stop replication
                log.exception("sync status listener failed")

    def run_round(self) -> bool:
        """One round with status reports; True when it succeeded (or another desk leads)."""
        try:
            self.leading = self._leader.try_lead()
            if not self.leading:
                self._publish(shared_status(self.client.session_factory))
                self._failures = 0
                return True
            ok = self._lead_round()
        except _CENTRE_DOWN:  # the centre's database server is down or restarting
            log.warning("centre database unreachable", exc_info=True)
            self._failures += 1
            self._publish(
                replace(
                    self.status, state=LinkState.OFFLINE, error=StatusError(CENTRE_DATABASE_DOWN)
                )
            )
            return False
        try:
            # Still the leader? A desk frozen or cut off during the county call lost the
            # lock meanwhile; it must not sign the centre's status over the new leader's.
            self.leading = self._leader.try_lead()
            if self.leading:
                publish_status(self.client.session_factory, self.status, desk_name())
        except Exception:  # the centre database is down: the round said so already
            log.warning("could not record the link state for the other desks", exc_info=True)
        return ok

    def _lead_round(self) -> bool:
        backlog = self.client.backlog()
        if backlog or self.status.state is not LinkState.ONLINE:
            # An idle poll while online is not shown as 同步中 (the label would blink).
            self._publish(
                replace(self.status, state=LinkState.SYNCING, backlog=backlog, leader=desk_name())
            )
        try:
            pushed, pulled = self.client.sync_once()
        except SyncFailure as failure:
            self._failures += 1
            state = LinkState.ERROR if failure.permanent else LinkState.OFFLINE
            self._publish(
                replace(
                    self.status,
                    state=state,
                    error=StatusError.of(failure),
                    backlog=self.client.backlog(),
                )
            )
            return False
        except _CENTRE_DOWN:
            raise  # the centre database, not the county: said as such by run_round
        except Exception:  # a bug must not kill the thread; the log has the traceback
            log.exception("sync round failed")
            self._failures += 1
            self._publish(
                replace(
                    self.status,
                    state=LinkState.OFFLINE,
                    error=StatusError(INTERNAL_ERROR),
                    backlog=self.client.backlog(),
                )
            )
            return False
        self._failures = 0
        self._publish(
            SyncStatus(
                LinkState.ONLINE,
                backlog=self.client.backlog(),
                last_success=self._clock.now(),
                pushed=self.status.pushed + pushed,
                pulled=self.status.pulled + pulled,
                leader=desk_name(),
            )
        )
        return True

    def next_delay(self) -> float:
        if not self.leading:
            return self._follow_interval
        if self._failures == 0:
            return self._interval
        backoff = min(self._max_backoff, self._interval * float(2 ** min(self._failures, 16)))
        return backoff * random.uniform(0.5, 1.0)

    def _run(self) -> None:
        # Below the GUI thread's priority (Linux nice is per thread): on a busy two-core
        # workstation the scheduler then lets the GUI run first, so sync never makes it stutter.
        if hasattr(os, "setpriority"):
            try:
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)
            except OSError:
                log.debug("could not lower the sync thread's priority", exc_info=True)
        while not self._stop.is_set():
            self.run_round()
            self._wake.wait(self.next_delay())
            self._wake.clear()
