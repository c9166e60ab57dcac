"""The county's side of replication, without HTTP: tokens, push, pull and county actions.

The county keeps every township's replicated rows as JSON documents in `county_row`,
partitioned by township (the owner), merged by the same rules as the townships: last writer
by (hlc, origin) for plain rows, union for append-only tables, deletes as tombstones. Every
accepted change is logged in `county_change`; the log's id is the pull cursor. County-side
actions (answering an escalation, assigning a task, outside reports) write documents and log
changes addressed to the township, which pulls them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import func, insert, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.county.validation import COUNTY_CASE_NUMBER, RowProblem, check_row
from centre_app.incidents import workflow
from centre_app.incidents.history import apply_events
from centre_app.replication.hlc import ClockSkew, HybridLogicalClock
from centre_app.replication.policies import MergePolicy, policy_for
from centre_app.replication.protocol import (
    COUNTY_NODE,
    PulledChange,
    PullResponse,
    PushRequest,
    PushResponse,
)
from centre_app.replication.tables import (
    decode_row,
    encode_value,
    replicated_columns,
    replicated_tables,
)
from db.ids import new_id
from db.models.incidents import Incident, IncidentEvent, IncidentState
from db.models.replication import (
    CountyBlob,
    CountyBlobHolder,
    CountyChange,
    CountyCounter,
    CountyRequest,
    CountyRow,
    CountyToken,
)

TOKEN_KINDS = ("township", "county", "channel")
_CHUNK = 500


class CountyError(Exception):
    """A refusal the API turns into a 4xx answer with `code` and a Chinese `message`."""

    status = 400

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.extra = code, message, extra


class Unauthorized(CountyError):
    status = 401


class Forbidden(CountyError):
    status = 403


class NotFoundError(CountyError):
    status = 404


class SequenceGap(CountyError):
    status = 409


class Unprocessable(CountyError):
    status = 422


@dataclass(frozen=True)
class Credential:
    kind: str
    subject: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CountyStore:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        max_skew: dt.timedelta | None = None,
    ) -> None:
        self._sf = session_factory
        self._clock = clock
        with session_factory() as session:
            last = session.scalar(select(func.max(CountyChange.hlc)))
        if last is not None:
            try:  # a stamp stored before skew was bounded must not stop the county's clock
                HybridLogicalClock(clock, max_skew=max_skew).check(last)
            except (ClockSkew, ValueError):
                last = None
        self._hlc = HybridLogicalClock(clock, last, max_skew)

    # --- numbering shared by every worker ---------------------------------------------------

    @staticmethod
    def _next_number(session: Session, name: str, start: int = 0) -> int:
        """The next value of counter `name` (created at `start`); the UPDATE holds the row
        lock until the transaction ends, so concurrent workers never hand out one twice."""
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(
            dialect.insert(CountyCounter)
            .values(name=name, value=start)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        value = session.scalar(
            update(CountyCounter)
            .where(CountyCounter.name == name)
            .values(value=CountyCounter.value + 1)
            .returning(CountyCounter.value)
        )
        assert value is not None
        return int(value)

    # --- credentials --------------------------------------------------------------------

    def issue_token(self, kind: str, subject: str) -> str:
        """A new secret for `subject`; only its hash is stored, so it is shown once."""
        if kind not in TOKEN_KINDS:
            raise ValueError(f"kind must be one of {TOKEN_KINDS}")
        if not subject.strip():
            raise ValueError("subject must not be empty")
        token = secrets.token_urlsafe(32)
        with self._sf.begin() as session:
            session.add(
                CountyToken(
                    token_hash=_hash(token),
                    kind=kind,
                    subject=subject.strip(),
                    issued_at=self._clock.now(),
                    revoked=False,
                )
            )
        return token

    def revoke_subject(self, subject: str) -> int:
        with self._sf.begin() as session:
            tokens = session.scalars(select(CountyToken).where(CountyToken.subject == subject))
            count = 0
            for token in tokens:
                token.revoked, count = True, count + 1
            return count

    def authenticate(self, token: str | None) -> Credential:
        if not token:
            raise Unauthorized("no_token", "缺少访问凭据（Authorization: Bearer …）。")
        with self._sf() as session:
            row = session.get(CountyToken, _hash(token))
        if row is None or row.revoked:
            raise Unauthorized("bad_token", "访问凭据无效或已被吊销，请向县级中心申请新的凭据。")
        return Credential(row.kind, row.subject)

    # --- push -----------------------------------------------------------------------------

    def acked_through(self, session: Session, node: str) -> int:
        """Highest sequence of `node` held without a gap (sequences start at 1)."""
        seqs = session.scalars(
            select(CountyChange.seq)
            .where(CountyChange.node == node)
            .order_by(CountyChange.seq.desc())
            .limit(1)
        )
        top = next(iter(seqs), 0)
        if top == 0:
            return 0
        count = (
            session.scalar(
                select(func.count()).select_from(CountyChange).where(CountyChange.node == node)
            )
            or 0
        )
        # Sequences are only ever accepted contiguously, so count == top unless the outbox
        # started later (a township whose first sequences were never needed).
        return top if count == top else self._first_gap(session, node)

    def _first_gap(self, session: Session, node: str) -> int:
        held = session.scalars(
            select(CountyChange.seq).where(CountyChange.node == node).order_by(CountyChange.seq)
        )
        expected = None
        for seq in held:
            if expected is not None and seq != expected:
                return expected - 1
            expected = seq + 1
        return (expected or 1) - 1

    def push(self, credential: Credential, request: PushRequest) -> PushResponse:
        if credential.kind != "township":
            raise Forbidden("not_township", "只有乡镇凭据可以推送数据。")
        if request.node != credential.subject:
            raise Forbidden(
                "foreign_node", f"凭据属于 {credential.subject}，不能以 {request.node} 的名义推送。"
            )
        tables = replicated_tables()
        for change in request.changes:
            if change.table not in tables:
                raise Unprocessable("unknown_table", f"未知的数据表“{change.table}”。")
            if change.op != "delete" and change.data is None:
                raise Unprocessable("missing_data", f"第 {change.seq} 条变更缺少行数据。")
            self._check_stamp(change.seq, change.hlc)
            if change.data is not None:
                try:
                    check_row(tables[change.table], change.row_id, change.data, request.node)
                    if change.data.get("hlc") is not None:
                        self._check_stamp(change.seq, str(change.data["hlc"]))
                except RowProblem as problem:
                    raise Unprocessable(
                        "bad_row",
                        f"第 {change.seq} 条变更（{change.table} {change.row_id}）"
                        f"的字段 {problem.field} {problem.reason}。",
                        field=problem.field,
                    ) from None
        changes = sorted(request.changes, key=lambda c: c.seq)
        with self._sf.begin() as session:
            # One township's pushes one at a time, whichever worker takes them.
            self._next_number(session, "push:" + request.node)
            acked = self.acked_through(session, request.node)
            fresh = [c for c in changes if c.seq > acked]
            duplicates = len(changes) - len(fresh)
            if fresh and fresh[0].seq != acked + 1:
                raise SequenceGap(
                    "sequence_gap",
                    f"缺少序号 {acked + 1} 起的变更，请从该序号重新推送。",
                    expected_seq=acked + 1,
                )
            for before, after in pairwise(fresh):
                if after.seq != before.seq + 1:
                    raise Unprocessable("sequence_not_contiguous", "同一批变更的序号必须连续。")
            self._check_ownership(session, request.node, fresh)
            self._check_county_numbers(session, fresh)
            for change in fresh:
                self._hlc.observe(change.hlc)
            self._merge(
                session,
                request.node,
                [(c.table, c.row_id, c.op, c.hlc, request.node, c.data) for c in fresh],
            )
            if fresh:
                try:
                    session.execute(
                        insert(CountyChange),
                        [
                            {
                                "node": request.node,
                                "seq": c.seq,
                                "address": request.node,
                                "origin": request.node,
                                "hlc": c.hlc,
                                "table_name": c.table,
                                "row_id": c.row_id,
                                "op": c.op,
                                "data": c.data,
                                "received_at": self._clock.now(),
                            }
                            for c in fresh
                        ],
                    )
                    session.flush()
                except IntegrityError as exc:  # a concurrent push of the same batch won
                    raise SequenceGap(
                        "sequence_race",
                        "同一批变更正在被重复推送，请稍后重试。",
                        expected_seq=acked + 1,
                    ) from exc
            return PushResponse(
                acked_through=acked + len(fresh), accepted=len(fresh), duplicates=duplicates
            )

    def _check_stamp(self, seq: int, stamp: str) -> None:
        try:
            self._hlc.check(stamp)
        except ClockSkew as skew:
            raise SequenceGap(
                "clock_skew",
                f"第 {seq} 条变更的时间戳比县级服务器时钟快 {skew.ahead_minutes} "
                f"分钟（允许 {self._hlc.max_skew.total_seconds() / 60:g} 分钟），"
                "请校准乡镇电脑的系统时间。",
                skew_minutes=skew.ahead_minutes,
            ) from None
        except ValueError:
            raise Unprocessable(
                "bad_hlc", f"第 {seq} 条变更的时间戳格式不对。", field="hlc"
            ) from None

    def _check_ownership(self, session: Session, node: str, changes: Sequence[Any]) -> None:
        """A township may write only its own rows: rows carrying a township code must carry
        its code, and a row another township (or the county) owns cannot be overwritten."""
        for change in changes:
            code = (change.data or {}).get("township_code")
            if code is not None and code != node:
                raise Forbidden(
                    "foreign_row",
                    f"第 {change.seq} 条变更（{change.table} "
                    f"{change.row_id}）属于乡镇 {code}，不能由 {node} 推送。",
                )
        keys = list({(c.table, c.row_id) for c in changes})
        for start in range(0, len(keys), _CHUNK):
            part = keys[start : start + _CHUNK]
            rows = session.execute(
                select(
                    CountyRow.table_name, CountyRow.row_id, CountyRow.township, CountyRow.origin
                ).where(tuple_(CountyRow.table_name, CountyRow.row_id).in_(part))
            )
            for table, row_id, township, _origin in rows:
                if township != node:
                    raise Forbidden(
                        "foreign_row",
                        f"记录 {table} {row_id} 属于 {township}，不能由 {node} 修改。",
                    )

    @staticmethod
    def _check_county_numbers(session: Session, changes: Sequence[Any]) -> None:
        """The C series of case numbers is the county's: a township may carry such a number
        only on the incident the county gave it to. Otherwise the county would later give
        the same number to a report of its own, and the township, whose case numbers are
        unique, could not take that report in."""
        for change in changes:
            case_no = (change.data or {}).get("case_no") if change.table == "incident" else None
            if not isinstance(case_no, str) or not COUNTY_CASE_NUMBER.match(case_no):
                continue
            held = session.get(CountyRow, ("incident", change.row_id))
            if held is None or (held.data or {}).get("case_no") != case_no:
                raise Unprocessable(
                    "county_case_no",
                    f"第 {change.seq} 条变更（incident {change.row_id}）的案件编号 {case_no} "
                    "属于县级中心的编号序列，乡镇不能使用。",
                    field="case_no",
                )

    def _merge(
        self,
        session: Session,
        township: str,
        changes: Sequence[tuple[str, str, str, str, str, dict[str, Any] | None]],
    ) -> None:
        """(table, row_id, op, hlc, origin, data) into county_row by the merge rules."""
        if not changes:
            return
        keys = list({(c[0], c[1]) for c in changes})
        stored: dict[tuple[str, str], CountyRow] = {}
        for start in range(0, len(keys), _CHUNK):
            part = keys[start : start + _CHUNK]
            for row in session.scalars(
                select(CountyRow).where(tuple_(CountyRow.table_name, CountyRow.row_id).in_(part))
            ):
                stored[(row.table_name, row.row_id)] = row
        for table, row_id, op, hlc, origin, data in changes:
            current = stored.get((table, row_id))
            if policy_for(table) is MergePolicy.UNION:
                if current is None and op == "insert":
                    stored[(table, row_id)] = self._add_row(
                        session, table, row_id, township, hlc, origin, data
                    )
                continue
            if current is None:
                stored[(table, row_id)] = self._add_row(
                    session, table, row_id, township, hlc, origin, None if op == "delete" else data
                )
                if op == "delete":
                    stored[(table, row_id)].deleted = True
            elif (hlc, origin) > (current.hlc, current.origin):
                current.hlc, current.origin = hlc, origin
                current.deleted = op == "delete"
                current.data = None if op == "delete" else data

    @staticmethod
    def _add_row(
        session: Session,
        table: str,
        row_id: str,
        township: str,
        hlc: str,
        origin: str,
        data: dict[str, Any] | None,
    ) -> CountyRow:
        row = CountyRow(
            table_name=table,
            row_id=row_id,
            township=township,
            hlc=hlc,
            origin=origin,
            deleted=data is None,
            data=data,
        )
        session.add(row)
        return row

    # --- pull -----------------------------------------------------------------------------

    def pull(self, credential: Credential, after: int, limit: int) -> PullResponse:
        if credential.kind != "township":
            raise Forbidden("not_township", "只有乡镇凭据可以拉取数据。")
        node = credential.subject
        with self._sf() as session:
            rows = session.scalars(
                select(CountyChange)
                .where(
                    CountyChange.address == node,
                    CountyChange.origin != node,
                    CountyChange.id > after,
                )
                .order_by(CountyChange.id)
                .limit(limit + 1)
            ).all()
            if not rows and after > 0:
                end = session.scalar(select(func.max(CountyChange.id))) or 0
                if after > end:  # never handed out: a county restored from an older backup
                    raise SequenceGap(
                        "cursor_ahead",
                        f"拉取位置 {after} 超出了县级中心的变更记录（共到 {end}）：县级中心的"
                        "数据可能从较早的备份恢复过，请联系县级管理员重新同步。",
                        expected_seq=end,
                    )
        more = len(rows) > limit
        rows = rows[:limit]
        return PullResponse(
            changes=[
                PulledChange(
                    cursor=r.id,
                    origin=r.origin,
                    hlc=r.hlc,
                    table=r.table_name,
                    row_id=r.row_id,
                    op=r.op,  # type: ignore[arg-type]
                    data=r.data,
                )
                for r in rows
            ],
            next_cursor=rows[-1].id if rows else after,
            more=more,
        )

    # --- county actions -----------------------------------------------------------------

    def _county_write(
        self, session: Session, township: str, table: str, data: dict[str, Any], op: str = "insert"
    ) -> None:
        """A row the county itself writes: stamped, merged and logged for `township`."""
        stamp = self._hlc.now()
        # Every column, as a township row would have it: columns this code does not name
        # (added by later migrations) are null, exactly what the township stores.
        columns = {column.name: None for column in replicated_columns(replicated_tables()[table])}
        data = {**columns, **data, "hlc": stamp, "origin": COUNTY_NODE}
        self._merge(session, township, [(table, data["id"], op, stamp, COUNTY_NODE, data)])
        seq = self._next_number(
            session,
            "seq:" + COUNTY_NODE,
            start=session.scalar(
                select(func.coalesce(func.max(CountyChange.seq), 0)).where(
                    CountyChange.node == COUNTY_NODE
                )
            )
            or 0,
        )
        session.add(
            CountyChange(
                node=COUNTY_NODE,
                seq=seq,
                address=township,
                origin=COUNTY_NODE,
                hlc=stamp,
                table_name=table,
                row_id=data["id"],
                op=op,
                data=data,
                received_at=self._clock.now(),
            )
        )
        session.flush()

    def _documents(
        self,
        session: Session,
        table: str,
        township: str | None = None,
    ) -> list[CountyRow]:
        query = select(CountyRow).where(CountyRow.table_name == table, CountyRow.deleted.is_(False))
        if township is not None:
            query = query.where(CountyRow.township == township)
        return list(session.scalars(query))

    def incident_view(
        self, session: Session, incident_id: str, *, lock: bool = False
    ) -> tuple[CountyRow, Incident]:
        """The incident document and its state derived from its events, as on a township.
        With `lock`, the document's row stays locked until the transaction ends: county
        actions on one incident (answers from several workers) then run one at a time."""
        doc = session.get(CountyRow, ("incident", incident_id), with_for_update=lock)
        if doc is None or doc.deleted or doc.data is None:
            raise NotFoundError("no_incident", "县级中心没有该事件，可能乡镇尚未同步。")
        tables = replicated_tables()
        incident = Incident(**decode_row(tables["incident"], doc.data))
        events = [
            IncidentEvent(**decode_row(tables["incident_event"], e.data or {}))
            for e in session.scalars(
                select(CountyRow).where(
                    CountyRow.table_name == "incident_event",
                    CountyRow.township == doc.township,
                    CountyRow.deleted.is_(False),
                    CountyRow.data["incident_id"].as_string() == incident_id,
                )
            )
            if (e.data or {}).get("incident_id") == incident_id
        ]
        events.sort(key=lambda e: (e.hlc or "", e.origin or "", str(e.id)))
        apply_events(incident, events)
        # What the county writes about this incident next must sort after every event it
        # has seen, whichever worker received them (each worker has its own clock).
        for stamp in [doc.hlc, *(e.hlc for e in events[-1:])]:
            if stamp:
                with contextlib.suppress(ValueError):  # stored before skew was bounded
                    self._hlc.observe(stamp)
        return doc, incident

    def answer_escalation(
        self,
        credential: Credential,
        incident_id: str,
        decision: str,
        comment: str,
        answered_by: str = "",
    ) -> dict[str, Any]:
        """The county's answer to an escalated incident; the township pulls it."""
        if credential.kind != "county":
            raise Forbidden("not_county", "只有县级中心的凭据可以答复上报事件。")
        target = workflow.COUNTY_DECISIONS.get(decision)
        if target is None:
            raise Unprocessable(
                "bad_decision", "县级答复只能是：" + "、".join(workflow.COUNTY_DECISIONS)
            )
        if not comment.strip():
            raise Unprocessable("empty_comment", "请填写答复意见。")
        with self._sf.begin() as session:
            doc, incident = self.incident_view(session, incident_id, lock=True)
            if incident.state is not IncidentState.ESCALATED:
                raise SequenceGap(
                    "not_escalated",
                    f"事件 {incident.case_no} 当前为“"
                    f"{workflow.STATE_LABELS[incident.state]}”，不在待县级答复状态。",
                )
            event_id = str(new_id())
            now = self._clock.now()
            self._county_write(
                session,
                doc.township,
                "incident_event",
                {
                    "id": event_id,
                    "incident_id": incident_id,
                    "at": encode_value(now),
                    "actor": credential.subject,
                    "actor_name": answered_by or "县级中心",
                    "kind": "county_reply",
                    "from_state": IncidentState.ESCALATED.value,
                    "to_state": target.value,
                    "note": comment.strip(),
                    "data": {"decision": decision},
                    "created_at": encode_value(now),
                    "updated_at": encode_value(now),
                },
            )
            return {
                "incident_id": incident_id,
                "event_id": event_id,
                "state": target.value,
                "township": doc.township,
                "case_no": incident.case_no,
            }

    def create_incident(
        self,
        credential: Credential,
        *,
        grid_code: str | None,
        township: str | None,
        channel: str,
        category: str,
        subcategory: str,
        title: str,
        description: str,
        reporter: str,
        place: str = "",
        people_involved: int = 1,
        colour: str = "green",
        reporter_phone: str = "",
        idempotency_key: str | None = None,
        request_hash: str = "",
    ) -> dict[str, Any]:
        """A task assigned by the county or a report from an outside channel, routed to the
        township that owns the grid (or the township named). With `idempotency_key`, the
        same caller sending the same key again gets the first answer, never a second case."""
        if credential.kind not in ("county", "channel"):
            raise Forbidden("not_allowed", "只有县级中心或外部渠道的凭据可以提交事件。")
        with self._sf.begin() as session:
            if idempotency_key:
                earlier = self._take_request(
                    session, credential.subject, idempotency_key, request_hash
                )
                if earlier is not None:
                    return earlier
            grid_id = None
            if grid_code:
                grid = self._grid(session, grid_code)
                if grid is None:
                    raise Unprocessable(
                        "unknown_grid", f"网格“{grid_code}”不存在于任何已同步的乡镇。"
                    )
                grid_id = grid.row_id
                owner = grid.township if grid.township != COUNTY_NODE else grid_code[:9]
                if township and township != owner:
                    raise Unprocessable(
                        "grid_township_mismatch",
                        f"网格 {grid_code} 属于乡镇 {owner}，不属于 {township}。",
                    )
                township = owner
            if not township:
                raise Unprocessable("no_route", "请给出网格编码或乡镇代码，以便转交。")
            if not self._documents(session, "area", township):
                raise Unprocessable("unknown_township", f"乡镇 {township} 尚未与县级中心同步。")
            now = self._clock.now()
            year = now.astimezone(dt.timezone(dt.timedelta(hours=8))).year
            prefix = f"{township}-{year}C-"
            # Numbers are zero-padded, so the greatest string is the greatest number; the
            # database finds it once, when the counter of this prefix is created.
            case_nos = CountyRow.data["case_no"].as_string()
            last = session.scalar(
                select(func.max(case_nos)).where(
                    CountyRow.table_name == "incident",
                    CountyRow.township == township,
                    case_nos.like(prefix + "%"),
                )
            )
            number = self._next_number(
                session, "case:" + prefix, start=int(last.rsplit("-", 1)[1]) if last else 0
            )
            case_no = f"{prefix}{number:06d}"
            incident_id = str(new_id())
            stamp_now = encode_value(now)
            self._county_write(
                session,
                township,
                "incident",
                {
                    "id": incident_id,
                    "township_code": township,
                    "case_no": case_no,
                    "channel": channel,
                    "category": category,
                    "subcategory": subcategory,
                    "colour": colour,
                    "grid_id": grid_id,
                    "place": place.strip(),
                    "title": title.strip(),
                    "description": description.strip(),
                    "people_involved": people_involved,
                    "reporter": reporter.strip(),
                    "reporter_phone": reporter_phone,
                    "reported_at": stamp_now,
                    "state": IncidentState.REPORTED.value,
                    "department_id": None,
                    "assignee": None,
                    "deadline": None,
                    "closed_at": None,
                    "merged_into_id": None,
                    "created_at": stamp_now,
                    "updated_at": stamp_now,
                },
            )
            self._county_write(
                session,
                township,
                "incident_event",
                {
                    "id": str(new_id()),
                    "incident_id": incident_id,
                    "at": stamp_now,
                    "actor": credential.subject,
                    "actor_name": "县级中心"
                    if credential.kind == "county"
                    else f"外部渠道 {credential.subject}",
                    "kind": "report",
                    "from_state": None,
                    "to_state": IncidentState.REPORTED.value,
                    "note": "",
                    "data": {"colour": colour, "via": credential.kind},
                    "created_at": stamp_now,
                    "updated_at": stamp_now,
                },
            )
            result = {"incident_id": incident_id, "case_no": case_no, "township": township}
            if idempotency_key:
                session.execute(
                    update(CountyRequest)
                    .where(
                        CountyRequest.subject == credential.subject,
                        CountyRequest.key == idempotency_key,
                    )
                    .values(**result)
                )
            return result

    def _take_request(
        self, session: Session, subject: str, key: str, request_hash: str
    ) -> dict[str, Any] | None:
        """Claim (subject, key) for this transaction, or the answer of the request that took
        it first. A concurrent retry waits on the key's unique index until the first commits
        (or rolls back, when it takes the key itself)."""
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        claimed = session.scalar(
            dialect.insert(CountyRequest)
            .values(subject=subject, key=key, body_hash=request_hash, received_at=self._clock.now())
            .on_conflict_do_nothing(index_elements=["subject", "key"])
            .returning(CountyRequest.key)
        )
        if claimed is not None:
            return None
        earlier = session.get(CountyRequest, (subject, key), populate_existing=True)
        assert earlier is not None
        if earlier.body_hash != request_hash:
            raise Unprocessable(
                "idempotency_key_reused",
                "该 Idempotency-Key 已用于另一份内容不同的请求，请为新请求使用新的键。",
                field="Idempotency-Key",
            )
        return {
            "incident_id": earlier.incident_id,
            "case_no": earlier.case_no,
            "township": earlier.township,
        }

    def _grid(self, session: Session, grid_code: str) -> CountyRow | None:
        """The grid of that code: the county's own reference row first, else the row of
        the township whose code the grid code starts with — never another township's."""
        codes = CountyRow.data["code"].as_string()
        found = {
            row.township: row
            for row in session.scalars(
                select(CountyRow).where(
                    CountyRow.table_name == "area",
                    CountyRow.deleted.is_(False),
                    codes == grid_code,
                    CountyRow.township.in_((COUNTY_NODE, grid_code[:9])),
                )
            )
            if (row.data or {}).get("level") == "grid"
        }
        return found.get(COUNTY_NODE) or found.get(grid_code[:9])

    # --- files ----------------------------------------------------------------------------

    def missing_blobs(self, credential: Credential, sha256s: Sequence[str]) -> list[str]:
        self._require_township(credential)
        wanted = list(dict.fromkeys(sha256s))
        with self._sf() as session:  # only the caller's own files: no oracle on another's
            held = set(
                session.scalars(
                    select(CountyBlobHolder.sha256).where(
                        CountyBlobHolder.township == credential.subject,
                        CountyBlobHolder.sha256.in_(wanted),
                    )
                )
            )
        return [sha for sha in wanted if sha not in held]

    def put_blob(self, credential: Credential, sha256: str, content: bytes) -> int:
        """Store a file under its sha256 (idempotent); the content must match the name."""
        self._require_township(credential)
        if hashlib.sha256(content).hexdigest() != sha256:
            raise Unprocessable(
                "blob_mismatch", "文件内容与其 sha256 不符，可能在传输中损坏，请重传。"
            )
        with self._sf.begin() as session:
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            if session.get(CountyBlob, sha256) is None:  # the same file stored once
                session.execute(
                    dialect.insert(CountyBlob)
                    .values(
                        sha256=sha256,
                        township=credential.subject,
                        size=len(content),
                        data=content,
                        received_at=self._clock.now(),
                    )
                    .on_conflict_do_nothing()
                )
            session.execute(
                dialect.insert(CountyBlobHolder)
                .values(sha256=sha256, township=credential.subject)
                .on_conflict_do_nothing()
            )
        return len(content)

    def get_blob(self, credential: Credential, sha256: str) -> bytes:
        """County users read any file; a township only the files it uploaded."""
        if credential.kind == "channel":
            raise Forbidden("not_allowed", "外部渠道的凭据不能读取文件。")
        with self._sf() as session:
            blob = session.get(CountyBlob, sha256)
            if blob is None or (
                credential.kind == "township"
                and session.get(CountyBlobHolder, (sha256, credential.subject)) is None
            ):
                raise NotFoundError("no_blob", "县级中心没有这个文件。")
            return blob.data

    @staticmethod
    def _require_township(credential: Credential) -> None:
        if credential.kind != "township":
            raise Forbidden("not_township", "只有乡镇凭据可以上传文件。")

    # --- inspection -----------------------------------------------------------------------

    def township_documents(self, township: str) -> dict[tuple[str, str], dict[str, Any]]:
        """(table, row id) -> row data of every live row the county holds for `township`."""
        with self._sf() as session:
            docs = session.execute(
                select(CountyRow.table_name, CountyRow.row_id, CountyRow.data).where(
                    CountyRow.township == township, CountyRow.deleted.is_(False)
                )
            )
            return {(t, r): d or {} for t, r, d in docs}

    def township_digest(self, township: str) -> str:
        from centre_app.replication.digest import digest_documents

        return digest_documents(
            (t, r, d) for (t, r), d in self.township_documents(township).items()
        )


def parse_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise Unprocessable("bad_id", f"“{value}”不是有效的编号。") from exc
