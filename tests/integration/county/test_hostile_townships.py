"""Issue 15: one township (or a buggy hotline) must never be able to harm another through
the county server. A real county server (subprocess) over a real PostgreSQL, attacked
through HTTP as a hostile township would; one regression test per defect."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from centre_app.replication import protocol as p
from centre_app.replication.hlc import format_hlc
from tests.support.county import CountyServer
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration

A, B = "330327102", "330327103"
GRID_A = "330327102001001"
SCHEMA = {p.SCHEMA_HEADER: str(p.SCHEMA_VERSION)}


class Township:
    """A township speaking the wire protocol by hand, keeping its own sequence."""

    def __init__(self, county: CountyServer, code: str, token: str) -> None:
        self.county, self.code, self.token, self.seq = county, code, token, 0

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **SCHEMA}

    def change(
        self, table: str, data: dict[str, Any], *, stamp: str | None = None, op: str = "insert"
    ) -> dict[str, Any]:
        stamp = stamp or format_hlc(int(time.time() * 1000), 0)
        row_id = data.setdefault("id", str(uuid.uuid4()))
        data.setdefault("hlc", stamp)
        data.setdefault("origin", self.code)
        return {
            "seq": self.seq + 1,
            "hlc": stamp,
            "table": table,
            "row_id": row_id,
            "op": op,
            "data": data,
        }

    def push(self, *changes: dict[str, Any]) -> requests.Response:
        answer = requests.post(
            f"{self.county.url}/api/v1/push",
            headers=self.headers(),
            json={"node": self.code, "changes": list(changes)},
            timeout=30,
        )
        if answer.status_code == 200:
            self.seq = answer.json()["acked_through"]
        return answer


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def area(code: str, level: str, name: str = "网格") -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "level": level,
        "parent_id": None,
        "grid_worker": None,
        "grid_worker_phone": None,
        "created_at": now_iso(),
        "updated_at": now_iso(),
    }


def report(county: CountyServer, token: str, **fields: Any) -> requests.Response:
    body = {
        "grid_code": GRID_A,
        "category": "矛盾纠纷",
        "subcategory": "邻里纠纷",
        "title": "楼上漏水",
        "description": "楼上漏水，协商不成。",
        "reporter": "市民",
        "phone": "13800000000",
        **fields,
    }
    return requests.post(
        f"{county.url}/api/v1/reports",
        json=body,
        timeout=30,
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture(scope="module")
def township_a(county: CountyServer, tokens: dict[str, str]) -> Township:
    a = Township(county, A, tokens["a"])
    assert a.push(a.change("area", area(A + "000", "township", "金乡镇"))).status_code == 200
    assert a.push(a.change("area", area(GRID_A, "grid", "城东第1网格"))).status_code == 200
    return a


# --- 1. clock skew ----------------------------------------------------------------------------


def test_a_push_stamped_far_in_the_future_is_refused_in_words_and_not_followed(
    county: CountyServer, tokens: dict[str, str], township_a: Township
) -> None:
    b = Township(county, B, tokens["b"])
    answer = b.push(
        b.change("area", area(B + "000", "township", "炎亭镇"), stamp="9999999999999-999990")
    )
    assert answer.status_code == 409, answer.text
    body = answer.json()
    assert body["error"] == "clock_skew" and body["skew_minutes"] > 10**6
    assert "时钟" in body["message"] and "分钟" in body["message"]
    # The county did not follow it: what it stamps next is near the real time, so A's
    # (normal) pushes and pulls go on working.
    assert report(county, tokens["channel"]).status_code == 200
    pulled = requests.get(
        f"{county.url}/api/v1/pull", headers=township_a.headers(), params={"after": 0}, timeout=30
    ).json()["changes"]
    assert pulled and all(c["hlc"] < "9" for c in pulled)
    assert all(int(c["hlc"][:13]) < time.time() * 1000 + 60_000 for c in pulled)
    assert township_a.push(township_a.change("area", area(A + "001", "village"))).status_code == 200


def test_a_stamp_a_few_minutes_ahead_is_accepted(
    county: CountyServer, tokens: dict[str, str]
) -> None:
    b = Township(county, B, tokens["b"])
    b.seq = _acked(county, b)
    ahead = format_hlc(int(time.time() * 1000) + 3 * 60_000, 0)
    assert (
        b.push(b.change("area", area(B + "000", "township", "炎亭镇"), stamp=ahead)).status_code
        == 200
    )


def _acked(county: CountyServer, township: Township) -> int:
    """The township's acked sequence, learned as a real client does (a 409 with expected)."""
    probe = township.change("area", area(township.code + "999", "village"))
    probe["seq"] = 10**9
    answer = requests.post(
        f"{county.url}/api/v1/push",
        headers=township.headers(),
        json={"node": township.code, "changes": [probe]},
        timeout=30,
    )
    return int(answer.json()["expected_seq"]) - 1


# --- 2. reference rows have an owner ----------------------------------------------------------


def test_a_township_cannot_push_a_grid_under_another_townships_code(
    county: CountyServer, tokens: dict[str, str], township_a: Township
) -> None:
    b = Township(county, B, tokens["b"])
    b.seq = _acked(county, b)
    answer = b.push(b.change("area", area(GRID_A, "grid", "冒充的网格")))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "code" and A in answer.json()["message"]
    answer = b.push(b.change("area", area(B + "001001", "grid", "炎亭第1网格")))
    assert answer.status_code == 200, answer.text


def test_hotline_reports_for_a_grid_go_to_its_owner_even_if_another_holds_the_code(
    county: CountyServer, tokens: dict[str, str], township_a: Township, postgres: PostgresCluster
) -> None:
    # A row stored before the fix: B's partition holds an area with A's grid code.
    import psycopg

    with psycopg.connect(county.db_url.replace("postgresql+psycopg", "postgresql")) as db:
        db.execute(
            "INSERT INTO county_row (table_name, row_id, township, hlc, origin, deleted,"
            " data) VALUES ('area', %s, %s, '0000000000001-000000', %s, false, %s)",
            (str(uuid.uuid4()), B, B, f'{{"code": "{GRID_A}", "level": "grid", "name": "hijack"}}'),
        )
    for _ in range(3):
        answer = report(county, tokens["channel"])
        assert answer.status_code == 200, answer.text
        assert answer.json()["township"] == A


# --- 3. strict validation at the edge ---------------------------------------------------------


@pytest.mark.parametrize("title", ["漏水\x00", "漏水\ud800", "漏\x1b[31m水", "漏\x7f水"])
def test_a_report_with_nul_surrogate_or_control_characters_is_refused_and_intake_goes_on(
    county: CountyServer, tokens: dict[str, str], township_a: Township, title: str
) -> None:
    answer = requests.post(
        f"{county.url}/api/v1/reports",
        timeout=30,
        headers={
            "Authorization": f"Bearer {tokens['channel']}",
            "Content-Type": "application/json",
        },
        data=(
            f'{{"grid_code": "{GRID_A}", "category": "c", "subcategory": "s", "title": {_json_str(title)}, '
            '"description": "d", "reporter": "r"}'
        ).encode(),
    )
    assert answer.status_code == 422, answer.text
    assert "title" in answer.json()["message"]
    assert report(county, tokens["channel"]).status_code == 200


def _json_str(value: str) -> str:
    return (
        '"'
        + "".join(
            c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else f"\\u{ord(c):04x}" for c in value
        )
        + '"'
    )


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("row_id", '"0\\u0000"'),
        ("data", '{"name": "x\\ud800"}'),
        ("data", '{"people": NaN}'),
        ("data", '{"people": Infinity}'),
        ("data", '{"n": 1e400}'),
        ("data", '{"n": 99999999999999999999999}'),
        ("hlc", '"000000000000\\u0661-000000"'),
    ],
)
def test_a_push_with_nul_surrogates_or_non_finite_numbers_is_refused(
    county: CountyServer, tokens: dict[str, str], field: str, raw: str
) -> None:
    b = Township(county, B, tokens["b"])
    base = {
        "seq": _acked(county, b) + 1,
        "hlc": f'"{format_hlc(int(time.time() * 1000), 0)}"',
        "table": '"area"',
        "row_id": f'"{uuid.uuid4()}"',
        "op": '"insert"',
        "data": '{"name": "x"}',
    }
    base[field] = raw
    body = '{{"node": "{}", "changes": [{{{}}}]}}'.format(
        B, ", ".join(f'"{k}": {v}' for k, v in base.items())
    )
    answer = requests.post(
        f"{county.url}/api/v1/push",
        data=body.encode(),
        timeout=30,
        headers={**b.headers(), "Content-Type": "application/json"},
    )
    assert answer.status_code == 422, answer.text


@pytest.mark.parametrize(
    "value", [b"\xb2", b"1\xb2", "١".encode(), b"0x1", b"1.0", b"-1", b"99999"]
)
def test_a_schema_header_that_is_not_ascii_digits_is_a_4xx(
    county: CountyServer, tokens: dict[str, str], value: bytes
) -> None:
    # b"\xb2" arrives as "²" (HTTP headers are Latin-1): isdigit() says yes, int() refuses.
    answer = requests.get(
        f"{county.url}/api/v1/pull",
        timeout=30,
        headers={"Authorization": f"Bearer {tokens['a']}", p.SCHEMA_HEADER: value},
    )
    assert 400 <= answer.status_code < 500, answer.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reported_at", "not-a-date"),
        ("case_no", "330327103-2026-00000\ud800"),
        ("case_no", "bogus"),
        ("case_no", "330327102-2026-000001"),
        ("people_involved", 1e10),
        ("people_involved", "七"),
        ("title", "x" * 129),
        ("colour", "purple"),
    ],
)
def test_a_malformed_row_of_a_townships_own_is_refused_at_push_time_naming_the_field(
    county: CountyServer, tokens: dict[str, str], field: str, value: Any
) -> None:
    b = Township(county, B, tokens["b"])
    b.seq = _acked(county, b)
    row = incident_row(B)
    row[field] = value
    answer = requests.post(
        f"{county.url}/api/v1/push",
        timeout=30,
        headers={**b.headers(), "Content-Type": "application/json"},
        data=_dumps({"node": B, "changes": [b.change("incident", row)]}),
    )
    assert answer.status_code == 422, answer.text
    assert field in answer.json()["message"] or field in str(answer.json().get("field"))
    # Nothing was stored: the same township's next good row is accepted, and pulling works.
    assert b.push(b.change("incident", incident_row(B))).status_code == 200
    assert (
        requests.get(f"{county.url}/api/v1/pull", headers=b.headers(), timeout=30).status_code
        == 200
    )


def _dumps(value: Any) -> bytes:
    import json

    return json.dumps(value, ensure_ascii=True).encode()


def incident_row(township: str) -> dict[str, Any]:
    now = now_iso()
    return {
        "township_code": township,
        "case_no": f"{township}-2026-{uuid.uuid4().int % 10**6:06d}",
        "channel": "walk_in",
        "category": "矛盾纠纷",
        "subcategory": "邻里纠纷",
        "colour": "green",
        "grid_id": None,
        "place": "",
        "title": "纠纷",
        "description": "描述",
        "people_involved": 2,
        "reporter": "张三",
        "reported_at": now,
        "state": "reported",
        "department_id": None,
        "assignee": None,
        "deadline": None,
        "closed_at": None,
        "merged_into_id": None,
        "created_at": now,
        "updated_at": now,
    }


# --- 4. limits, enforced while reading --------------------------------------------------------


def _raw(county: CountyServer, request: bytes, timeout: float = 20) -> bytes:
    with socket.create_connection(("127.0.0.1", county.port), timeout=timeout) as conn:
        conn.sendall(request)
        conn.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
        return answer


def test_a_chunked_push_over_16_mb_is_413(county: CountyServer, tokens: dict[str, str]) -> None:
    piece = b"x" * (1 << 20)

    def chunks() -> Iterator[bytes]:
        yield b'{"node": "%s", "changes": [], "pad": "' % B.encode()
        for _ in range(17):
            yield piece
        yield b'"}'

    answer = requests.post(
        f"{county.url}/api/v1/push",
        data=chunks(),
        timeout=60,
        headers={"Authorization": f"Bearer {tokens['b']}", **SCHEMA},
    )
    assert answer.status_code == 413, answer.text[:200]


def test_blobs_missing_has_its_own_small_limit(
    county: CountyServer, tokens: dict[str, str]
) -> None:
    body = b'{"sha256": [' + b",".join([b'"' + b"0" * 64 + b'"'] * 20000) + b"]}"
    answer = requests.post(
        f"{county.url}/api/v1/blobs/missing",
        data=body,
        timeout=30,
        headers={
            "Authorization": f"Bearer {tokens['b']}",
            **SCHEMA,
            "Content-Type": "application/json",
        },
    )
    assert answer.status_code == 413 and len(body) < p.MAX_BODY_BYTES


def test_content_length_together_with_chunked_is_400_never_a_hang(
    county: CountyServer, tokens: dict[str, str]
) -> None:
    answer = _raw(
        county,
        (
            "POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n"
            "X-Replication-Schema: 1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
            'Transfer-Encoding: chunked\r\n\r\n5\r\n{{"a":\r\n0\r\n\r\n'.format(tokens["b"])
        ).encode(),
    )
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]


# --- 5. no existence oracle on files ----------------------------------------------------------


def test_blobs_missing_answers_only_about_the_callers_own_files(
    county: CountyServer, tokens: dict[str, str]
) -> None:
    content = uuid.uuid4().bytes * 8
    sha = hashlib.sha256(content).hexdigest()
    put = requests.put(
        f"{county.url}/api/v1/blobs/{sha}",
        data=content,
        timeout=30,
        headers={"Authorization": f"Bearer {tokens['a']}", **SCHEMA},
    )
    assert put.status_code == 200, put.text

    def missing(token: str) -> list[str]:
        answer = requests.post(
            f"{county.url}/api/v1/blobs/missing",
            json={"sha256": [sha]},
            headers={"Authorization": f"Bearer {token}", **SCHEMA},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return list(answer.json()["missing"])

    assert missing(tokens["a"]) == []
    assert missing(tokens["b"]) == [sha]
    assert (
        requests.get(
            f"{county.url}/api/v1/blobs/{sha}",
            timeout=30,
            headers={"Authorization": f"Bearer {tokens['b']}", **SCHEMA},
        ).status_code
        == 404
    )
    # B holds the file too once B uploads it itself.
    requests.put(
        f"{county.url}/api/v1/blobs/{sha}",
        data=content,
        timeout=30,
        headers={"Authorization": f"Bearer {tokens['b']}", **SCHEMA},
    )
    assert missing(tokens["b"]) == []


# --- 6. 401 without a token, 403 with a token of the wrong kind --------------------------------

ZERO = "0" * 64
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None, set[str]]] = [
    ("POST", "/api/v1/push", {"node": A, "changes": []}, {"township"}),
    ("GET", "/api/v1/pull", None, {"township"}),
    (
        "POST",
        "/api/v1/county/incidents/0193a0b2-7c1e-7000-8000-0000000000aa/answer",
        {"decision": "县级已办结", "comment": "好"},
        {"county"},
    ),
    (
        "POST",
        "/api/v1/county/tasks",
        {
            "grid_code": GRID_A,
            "category": "c",
            "subcategory": "s",
            "title": "t",
            "description": "d",
            "reporter": "r",
        },
        {"county"},
    ),
    (
        "POST",
        "/api/v1/reports",
        {
            "grid_code": GRID_A,
            "category": "c",
            "subcategory": "s",
            "title": "t",
            "description": "d",
            "reporter": "r",
        },
        {"county", "channel"},
    ),
    ("POST", "/api/v1/blobs/missing", {"sha256": [ZERO]}, {"township"}),
    ("PUT", f"/api/v1/blobs/{ZERO}", None, {"township"}),
    ("GET", f"/api/v1/blobs/{ZERO}", None, {"township", "county"}),
]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ENDPOINTS)
def test_every_endpoint_is_401_without_a_token_and_403_for_a_token_of_the_wrong_kind(
    county: CountyServer,
    tokens: dict[str, str],
    method: str,
    path: str,
    body: dict[str, Any] | None,
    allowed: set[str],
) -> None:
    def call(headers: dict[str, str]) -> requests.Response:
        return requests.request(
            method, county.url + path, json=body, timeout=30, headers={**SCHEMA, **headers}
        )

    assert call({}).status_code == 401
    assert call({"Authorization": "Bearer nonsense"}).status_code == 401
    kinds = {"township": tokens["a"], "county": tokens["county"], "channel": tokens["channel"]}
    for kind, token in kinds.items():
        status = call({"Authorization": f"Bearer {token}"}).status_code
        if kind in allowed:
            assert status not in (401, 403), (kind, status)
        else:
            assert status == 403, (kind, status)


def test_a_township_whose_clock_runs_two_hours_ahead_is_told_so_in_chinese(
    county: CountyServer, tmp_path: Path
) -> None:
    from centre_app.clock import ManualClock
    from centre_app.replication.capture import install_change_capture
    from centre_app.replication.sync import CountyLink, SyncClient, SyncFailure
    from db.engine import make_engine, make_session_factory
    from db.migrate import upgrade_to_head
    from db.models.mediation_ref import Room

    code = "330327120"
    engine = make_engine(f"sqlite:///{tmp_path / 'fast.db'}")
    upgrade_to_head(engine)
    factory = make_session_factory(engine)
    clock = ManualClock(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
    capture = install_change_capture(factory, code, clock)
    with factory.begin() as session:
        session.add(Room(name="调解室", kind="人民调解", capacity=4))
    client = SyncClient(factory, capture, CountyLink(county.url, county.issue_token(code)))
    with pytest.raises(SyncFailure) as refused:
        client.push()
    assert refused.value.permanent
    assert refused.value.message.startswith("本机时钟比县级服务器快 12")  # 120 minutes
    assert "请校准系统时间" in refused.value.message
    assert client.backlog() == 1  # nothing lost: it goes once the clock is right
    engine.dispose()


@pytest.mark.parametrize("phone", ["1380000000", "0577-1", "138000000000000"])
def test_a_report_with_a_malformed_phone_is_refused_naming_the_field(
    county: CountyServer, tokens: dict[str, str], township_a: Township, phone: str
) -> None:
    answer = report(county, tokens["channel"], phone=phone)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "phone" and "联系电话" in answer.json()["message"]
    # Letters or full-width digits never reach that check: the schema refuses them.
    assert report(county, tokens["channel"], phone="138-ab-0000").status_code == 422
    assert report(county, tokens["channel"]).status_code == 200
