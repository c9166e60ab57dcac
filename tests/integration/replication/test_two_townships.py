"""Two townships and the county on one machine (real PostgreSQL, real county server):
both record while the county is down, the county comes back, everything converges; an
escalation travels up, the county answers, the answer comes down into the history."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.county.store import CountyStore
from centre_app.demo import DEMO_PASSWORD
from centre_app.reception.visits import VisitDraft
from centre_app.replication import protocol as p
from centre_app.replication.digest import local_digest
from centre_app.replication.outbox import collect
from centre_app.replication.sync import CountyLink, SyncClient, SyncFailure
from centre_app.settings import Key
from db.engine import make_engine, make_session_factory
from db.models import Camera, EvidenceKind, VisitPurpose, VisitRoute
from db.models.incidents import Channel, Incident, IncidentState, RiskColour
from db.models.replication import OutboxEntry
from tests.support.convergence import differences
from tests.support.county import CountyServer, start_county
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration

A, B = "330327102", "330327103"
T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def county(postgres: PostgresCluster, tmp_path: Path) -> Iterator[CountyServer]:
    url = postgres.create_database(f"county_{uuid.uuid4().hex[:8]}")
    server = start_county(url, tmp_path, running=False)
    yield server
    server.stop()


def open_township(root: Path, code: str) -> AppContext:
    root.mkdir(parents=True, exist_ok=True)
    return AppContext.open(
        f"sqlite:///{root / 'centre.db'}",
        clock=ManualClock(T0),
        demo_scale=0.01,
        township_code=code,
    )


def client_for(ctx: AppContext, county: CountyServer, token: str) -> SyncClient:
    return SyncClient(ctx.session_factory, ctx.capture, CountyLink(county.url, token), batch=500)


def county_store(county: CountyServer) -> CountyStore:
    return CountyStore(make_session_factory(make_engine(county.db_url)), ManualClock(T0))


def converged(ctx: AppContext, county: CountyServer, code: str) -> bool:
    """Equal digests; on a mismatch the differing rows are printed first."""
    store = county_store(county)
    with ctx.session_factory() as session:
        if local_digest(session) == store.township_digest(code):
            return True
        print("\n".join(differences(session, store, code)[:10]))
    return False


def test_two_townships_converge_and_an_escalation_is_answered(
    county: CountyServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZONGZHI_DATA_DIR", str(tmp_path / "data-a"))
    a = open_township(tmp_path / "a", A)
    b = open_township(tmp_path / "b", B)
    sync_a = client_for(a, county, county.issue_token(A))
    sync_b = client_for(b, county, county.issue_token(B))
    duty_a = a.auth.login("zhiban", DEMO_PASSWORD)
    clerk_b = b.auth.login("jiedai", DEMO_PASSWORD)
    video_b = b.auth.login("shipin", DEMO_PASSWORD)

    # The county is down: both townships keep working and the outbox keeps everything.
    with pytest.raises(SyncFailure, match="无法连接县级中心"):
        sync_a.sync_once()
    from centre_app.incidents.service import IncidentDraft

    incident = a.incidents.report(
        duty_a,
        IncidentDraft(
            channel=Channel.GRID_WORKER,
            category="矛盾纠纷",
            subcategory="劳资纠纷",
            colour=RiskColour.YELLOW,
            grid_code="330327102001001",
            place="工业区某服装厂",
            title="工人反映被拖欠工资",
            description="6 名工人反映被拖欠工资三个月。",
            reporter="网格员李明",
            people_involved=6,
        ),
    )
    a.incidents.act(duty_a, incident.id, "accept", seen_state=IncidentState.REPORTED)
    a.incidents.act(
        duty_a,
        incident.id,
        "escalate",
        seen_state=IncidentState.ACCEPTED,
        note="涉及多家企业，需县人社局协调",
    )
    b.visits.register(
        clerk_b,
        VisitDraft(
            visitor_name="金小军",
            id_number="",
            phone="",
            purpose=VisitPurpose.PETITION,
            summary="集体反映拖欠工资",
            route=VisitRoute.WINDOW,
            routed_to="综合受理窗口1",
        ),
    )
    with b.session_factory() as session:
        camera_id = session.scalars(select(Camera.id)).first()
    assert camera_id is not None
    snapshot = tmp_path / "snap.png"
    snapshot.write_bytes(tiny_png())  # a real picture: evidence reads the PNG header
    b.video.evidence.add(video_b, camera_id, EvidenceKind.SNAPSHOT, snapshot, note="路口聚集")

    county.start()
    for client in (sync_a, sync_b):
        while client.backlog():
            client.sync_once()
    assert converged(a, county, A) and converged(b, county, B)

    # The county answers the escalation; the answer comes down into A's history.
    county_token = county.issue_token("county-duty", kind="county")
    answer = requests.post(
        f"{county.url}/api/v1/county/incidents/{incident.id}/answer",
        json={
            "decision": "退回乡镇处置",
            "comment": "请镇里先行调解，人社局配合",
            "answered_by": "县人社局 张科长",
        },
        headers={"Authorization": f"Bearer {county_token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    _pushed, pulled = sync_a.sync_once()
    assert pulled == 1
    history = a.incidents.history(duty_a, incident.id)
    reply = [e for e in history if e.kind == "county_reply"]
    assert reply and reply[0].note == "请镇里先行调解，人社局配合"
    assert a.incidents.get(duty_a, incident.id).state is IncidentState.ACCEPTED
    sync_a.sync_once()  # the state A derived from the answer goes up like any change
    assert converged(a, county, A)
    # Answering twice is refused in words: the incident is no longer escalated.
    again = requests.post(
        f"{county.url}/api/v1/county/incidents/{incident.id}/answer",
        json={"decision": "县级已办结", "comment": "重复答复"},
        headers={"Authorization": f"Bearer {county_token}"},
        timeout=10,
    )
    assert again.status_code == 409 and "不在待县级答复状态" in again.json()["message"]

    # A hotline report about one of A's grids is routed to A, and only to A.
    hotline = county.issue_token("hotline-12345", kind="channel")
    report = requests.post(
        f"{county.url}/api/v1/reports",
        json={
            "grid_code": "330327102001002",
            "category": "治安隐患",
            "subcategory": "其他",
            "title": "夜间有人在河边烧垃圾",
            "description": "群众来电反映",
            "reporter": "12345热线",
            "phone": "+86 138-0000-0000",
        },
        headers={"Authorization": f"Bearer {hotline}"},
        timeout=10,
    )
    assert report.status_code == 200, report.text
    assert report.json()["township"] == A
    sync_a.sync_once()
    sync_b.sync_once()
    with a.session_factory() as session:
        routed = session.scalar(
            select(Incident).where(Incident.case_no == report.json()["case_no"])
        )
        assert routed is not None and routed.channel is Channel.HOTLINE
        assert routed.state is IncidentState.REPORTED and routed.township_code == A
        # The caller's phone travels in its own field, in the form the township stores.
        assert routed.reporter_phone == "13800000000"
        assert "13800000000" not in routed.description
    with b.session_factory() as session:
        assert (
            session.scalar(select(Incident).where(Incident.case_no == report.json()["case_no"]))
            is None
        )
    assert converged(a, county, A) and converged(b, county, B)
    a.close()
    b.close()


def test_the_api_refuses_bad_requests_in_words(county: CountyServer, tmp_path: Path) -> None:
    county.start()
    token_a, token_b = county.issue_token(A), county.issue_token(B)
    url = county.url

    def push(
        token: str | None,
        body: object,
        schema: str | None = str(p.SCHEMA_VERSION),
        raw: bytes | None = None,
    ) -> requests.Response:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if schema:
            headers[p.SCHEMA_HEADER] = schema
        import json

        data = raw if raw is not None else json.dumps(body).encode()
        return requests.post(url + "/api/v1/push", data=data, headers=headers, timeout=10)

    change = {
        "seq": 1,
        "hlc": "1763604000000-000000",
        "table": "visit",
        "row_id": str(uuid.uuid4()),
        "op": "insert",
        "data": {"township_code": A, "visitor_name": "x"},
    }
    answers = {
        "no token": push(None, {"node": A, "changes": [change]}),
        "bad token": push("x" * 40, {"node": A, "changes": [change]}),
        "other node": push(token_b, {"node": A, "changes": [change]}),
        "foreign row": push(token_b, {"node": B, "changes": [change]}),
        "old schema": push(token_a, {"node": A, "changes": [change]}, schema="0"),
        "no schema": push(token_a, {"node": A, "changes": [change]}, schema=None),
        "malformed": push(token_a, None, raw=b"{not json"),
        "wrong types": push(token_a, {"node": A, "changes": [{**change, "seq": "one"}]}),
        "unknown table": push(token_a, {"node": A, "changes": [{**change, "table": "user"}]}),
        "gap": push(token_a, {"node": A, "changes": [{**change, "seq": 5}]}),
        "too large": push(token_a, None, raw=b" " * (p.MAX_BODY_BYTES + 1)),
    }
    expected = {
        "no token": 401,
        "bad token": 401,
        "other node": 403,
        "foreign row": 403,
        "old schema": 426,
        "no schema": 400,
        "malformed": 422,
        "wrong types": 422,
        "unknown table": 422,
        "gap": 409,
        "too large": 413,
    }
    for name, response in answers.items():
        assert response.status_code == expected[name], (name, response.text)
        body = response.json()
        assert body["message"] and body["error"], name
    assert answers["gap"].json()["expected_seq"] == 1
    assert "版本过旧" in answers["old schema"].json()["message"]
    # Nothing of the refused requests was stored.
    store = county_store(county)
    assert store.township_digest(A) == store.township_digest("nobody")

    # An accepted push is idempotent: the same batch again only counts duplicates.
    first = push(token_a, {"node": A, "changes": [change]})
    second = push(token_a, {"node": A, "changes": [change]})
    assert first.json() == {"acked_through": 1, "accepted": 1, "duplicates": 0}
    assert second.json() == {"acked_through": 1, "accepted": 0, "duplicates": 1}


def test_outbox_sequences_are_never_reused_after_the_outbox_empties(tmp_path: Path) -> None:
    ctx = open_township(tmp_path / "t", A)
    admin = ctx.auth.login("admin", DEMO_PASSWORD)
    collect(ctx.session_factory)
    with ctx.session_factory.begin() as session:
        top = session.scalar(select(OutboxEntry.seq).order_by(OutboxEntry.seq.desc()).limit(1))
        session.query(OutboxEntry).delete()
    ctx.settings.set(admin, Key.SYNC_INTERVAL_S, 17)  # any captured write
    collect(ctx.session_factory)  # the sync leader numbers it
    with ctx.session_factory() as session:
        seqs = list(session.scalars(select(OutboxEntry.seq)))
    assert seqs and min(seqs) > (top or 0)
    ctx.close()


def tiny_png(width: int = 4, height: int = 2) -> bytes:
    """A valid grey PNG, written by hand so the test needs no image library."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_a_county_restored_behind_the_townships_pull_cursor_is_told_in_words(
    county: CountyServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A county restored from an older backup hands out its change numbers again: pulling
    on from the old cursor would silently skip them, so the township stops and says why."""
    from centre_app.replication.sync import CURSOR_KEY
    from db.models.replication import ReplicationState

    monkeypatch.setenv("ZONGZHI_DATA_DIR", str(tmp_path / "data-a"))
    county.start()
    a = open_township(tmp_path / "a", A)
    sync_a = client_for(a, county, county.issue_token(A))
    sync_a.sync_once()
    with a.session_factory.begin() as session:
        session.merge(ReplicationState(key=CURSOR_KEY, value="900000"))
    with pytest.raises(SyncFailure) as stopped:
        sync_a.sync_once()
    assert stopped.value.permanent
    assert "较早的备份恢复" in stopped.value.template
    assert stopped.value.params["cursor"] == 900000
    a.close()
