"""Issue 15, second round: the county API attacked again from the outside (a real county
server over a real PostgreSQL) with probes the first round did not cover; one regression
test per defect found."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
import socket
import threading
import time
import uuid
import zlib
from typing import Any

import psycopg
import pytest
import requests

from centre_app.clock import SystemClock
from centre_app.county.store import CountyStore, Credential, SequenceGap
from centre_app.replication import protocol as p
from centre_app.replication.hlc import format_hlc
from db.engine import make_engine, make_session_factory
from tests.integration.county.test_hostile_townships import (
    GRID_A,
    Township,
    _acked,
    area,
    incident_row,
    now_iso,
)
from tests.support.county import CountyServer, start_county
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration

A = "330327102"
SCHEMA = {p.SCHEMA_HEADER: str(p.SCHEMA_VERSION)}


@pytest.fixture(scope="module")
def township_a(county: CountyServer, tokens: dict[str, str]) -> Township:
    a = Township(county, A, tokens["a"])
    assert a.push(a.change("area", area(A + "000", "township", "金乡镇"))).status_code == 200
    assert a.push(a.change("area", area(GRID_A, "grid", "城东第1网格"))).status_code == 200
    return a


def _escalated_incident(township: Township, *, ahead_ms: int = 0) -> str:
    """An incident of the township, reported and escalated (the escalation stamped
    `ahead_ms` after the township's wall clock)."""
    row = incident_row(township.code)
    assert township.push(township.change("incident", row)).status_code == 200
    incident_id = row["id"]
    stamp = format_hlc(int(time.time() * 1000) + ahead_ms, 0)
    event = {
        "incident_id": incident_id,
        "at": now_iso(),
        "actor": "duty",
        "actor_name": "值班员",
        "kind": "escalate",
        "from_state": "reported",
        "to_state": "escalated",
        "note": "上报县级",
        "data": {},
        "created_at": now_iso(),
        "updated_at": now_iso(),
    }
    answer = township.push(township.change("incident_event", event, stamp=stamp))
    assert answer.status_code == 200, answer.text
    return str(incident_id)


def _county_replies(county: CountyServer, incident_id: str) -> list[tuple[str, Any]]:
    with psycopg.connect(county.db_url.replace("postgresql+psycopg", "postgresql")) as db:
        return list(
            db.execute(
                "SELECT hlc, data FROM county_row WHERE table_name = 'incident_event'"
                " AND data->>'incident_id' = %s AND data->>'kind' = 'county_reply'",
                (incident_id,),
            )
        )


# --- county answers ---------------------------------------------------------------------------


def test_two_answers_to_one_escalation_at_the_same_instant_store_exactly_one(
    county: CountyServer, tokens: dict[str, str], township_a: Township
) -> None:
    incident_id = _escalated_incident(township_a)
    start = threading.Barrier(8)
    statuses: list[int] = []

    def answer() -> None:
        start.wait()
        statuses.append(
            requests.post(
                f"{county.url}/api/v1/county/incidents/{incident_id}/answer",
                json={"decision": "县级已办结", "comment": "已办结"},
                headers={"Authorization": f"Bearer {tokens['county']}"},
                timeout=30,
            ).status_code
        )

    threads = [threading.Thread(target=answer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 7
    assert len(_county_replies(county, incident_id)) == 1


def test_an_answer_from_a_worker_that_never_saw_the_escalation_sorts_after_it(
    postgres: PostgresCluster, county: CountyServer, township_a: Township
) -> None:
    """Each worker has its own clock. The township's clock runs 5 minutes ahead (within the
    tolerance): worker 1 received the escalation, worker 2 answers it. The answer must sort
    after the escalation, or the township replays it first and the case stays escalated."""
    worker_2 = CountyStore(  # started before the escalation arrived at worker 1
        make_session_factory(make_engine(county.db_url)), SystemClock(), dt.timedelta(minutes=10)
    )
    incident_id = _escalated_incident(township_a, ahead_ms=5 * 60_000)
    county_user = Credential("county", "county-duty")
    worker_2.answer_escalation(county_user, incident_id, "县级已办结", "已办结")
    with psycopg.connect(county.db_url.replace("postgresql+psycopg", "postgresql")) as db:
        escalation = db.execute(
            "SELECT hlc FROM county_row WHERE table_name = 'incident_event'"
            " AND data->>'incident_id' = %s AND data->>'kind' = 'escalate'",
            (incident_id,),
        ).fetchone()
    assert escalation is not None
    ((reply_hlc, _data),) = _county_replies(county, incident_id)
    assert reply_hlc > escalation[0]
    with pytest.raises(SequenceGap):  # answered: the case is no longer escalated
        worker_2.answer_escalation(county_user, incident_id, "县级已办结", "再答")


# --- hotline and app reports ------------------------------------------------------------------

REPORT = {
    "grid_code": GRID_A,
    "category": "矛盾纠纷",
    "subcategory": "邻里纠纷",
    "title": "楼上漏水",
    "description": "楼上漏水，协商不成。",
    "reporter": "市民",
    "phone": "13800000000",
}


def _report(
    county: CountyServer, token: str, key: str | bytes | None = None, **fields: Any
) -> requests.Response:
    headers: dict[str, str | bytes] = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return requests.post(
        f"{county.url}/api/v1/reports", json={**REPORT, **fields}, headers=headers, timeout=30
    )


def test_a_retried_report_with_its_idempotency_key_is_one_case_even_when_sent_at_once(
    county: CountyServer, tokens: dict[str, str], township_a: Township
) -> None:
    key = str(uuid.uuid4())
    first = _report(county, tokens["channel"], key)
    assert first.status_code == 200, first.text
    assert _report(county, tokens["channel"], key).json() == first.json()
    # Six retries racing each other (the hotline's answer was lost): one case.
    key = str(uuid.uuid4())
    start = threading.Barrier(6)
    answers: list[requests.Response] = []

    def retry() -> None:
        start.wait()
        answers.append(_report(county, tokens["channel"], key, title="同时重试"))

    threads = [threading.Thread(target=retry) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["case_no"] for a in answers}) == 1
    with psycopg.connect(county.db_url.replace("postgresql+psycopg", "postgresql")) as db:
        cases = db.execute(
            "SELECT count(*) FROM county_row WHERE table_name = 'incident'"
            " AND data->>'title' = '同时重试'"
        ).fetchone()
    assert cases == (1,)


def test_an_idempotency_key_reused_for_a_different_report_or_malformed_is_refused(
    county: CountyServer, tokens: dict[str, str], township_a: Township
) -> None:
    key = str(uuid.uuid4())
    assert _report(county, tokens["channel"], key).status_code == 200
    reused = _report(county, tokens["channel"], key, title="另一件事")
    assert reused.status_code == 422 and reused.json()["error"] == "idempotency_key_reused"
    for bad in ("", "键".encode(), "a" * 65, "a b", "a\tb"):
        answer = _report(county, tokens["channel"], bad)
        assert answer.status_code == 400, (bad, answer.text)
    # Keys belong to their caller: the county's own task under the same key is its own.
    task = requests.post(
        f"{county.url}/api/v1/county/tasks",
        json={k: v for k, v in REPORT.items() if k != "phone"},
        headers={"Authorization": f"Bearer {tokens['county']}", "Idempotency-Key": key},
        timeout=30,
    )
    assert task.status_code == 200 and "C-" in task.json()["case_no"]


@pytest.mark.parametrize("field", ["category", "subcategory", "title", "description", "reporter"])
@pytest.mark.parametrize("blank", ["   ", "\n\n", "\u3000"])
def test_a_report_whose_required_field_is_only_blanks_is_refused_naming_the_field(
    county: CountyServer, tokens: dict[str, str], township_a: Township, field: str, blank: str
) -> None:
    if field != "description" and "\n" in blank:
        blank = " \u3000 "  # line breaks are refused in one-line fields anyway
    answer = _report(county, tokens["channel"], **{field: blank})
    assert answer.status_code == 422, answer.text
    assert field in answer.json()["message"]


# --- JSON bombs -------------------------------------------------------------------------------


def _push_raw(county: CountyServer, token: str, body: bytes) -> requests.Response:
    return requests.post(
        f"{county.url}/api/v1/push",
        data=body,
        timeout=120,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **SCHEMA},
    )


def _push_of_values(node: str, values: bytes) -> bytes:
    return (
        b'{"node": "%s", "changes": [{"seq": 1, "hlc": "0000000000000-000000", "table": "area",'
        b' "row_id": "%s", "op": "insert", "data": {"x": [%s]}}]}'
        % (node.encode(), str(uuid.uuid4()).encode(), values)
    )


def test_a_push_of_millions_of_tiny_values_is_413_before_it_is_decoded(
    county: CountyServer, tokens: dict[str, str], township_a: Township
) -> None:
    """Decoded, 14 MB of `0,` is seven million objects (~500 MB): four such pushes at once
    took the county to 1.7 GB. Counted without decoding, refused."""
    token_b = county.issue_token("330327103")
    for values in (b",".join([b"0"] * (7 << 20)), b",".join([b"{}"] * (5 << 20))):
        answer = _push_raw(county, token_b, _push_of_values("330327103", values))
        assert answer.status_code == 413, answer.text[:300]
        assert answer.json()["error"] == "too_many_values"
    # Commas inside strings are text, not values: a long text full of them is fine.
    text = b'"' + b"a,[{" * (p.MAX_JSON_VALUES // 2) + b'"'
    answer = _push_raw(county, token_b, _push_of_values("330327103", text))
    assert answer.status_code == 422 and answer.json()["error"] == "bad_row", answer.text[:300]


def test_one_townships_push_being_decoded_does_not_stall_another_townships_pull(
    county: CountyServer, tokens: dict[str, str], township_a: Township
) -> None:
    """Half a million values (under the limit) take most of a second to decode and check;
    other townships' requests on the same worker go on meanwhile. On the event loop, a pull
    waited for the push being decoded: a few got through between such pushes."""
    bomb = _push_of_values(
        "330327103", b",".join([b'"' + b"x" * 28 + b'"'] * (p.MAX_JSON_VALUES - 10_000))
    )
    token_b = county.issue_token("330327103")
    done = threading.Event()
    answers: list[int] = []
    bombs = 4

    def push_bombs() -> None:
        for _ in range(bombs):
            answers.append(_push_raw(county, token_b, bomb).status_code)
        done.set()

    thread = threading.Thread(target=push_bombs)
    thread.start()
    time.sleep(0.2)  # the first is on its way and being decoded
    pulls_meanwhile = 0
    while not done.is_set():
        pulled = requests.get(
            f"{county.url}/api/v1/pull", headers=township_a.headers(), timeout=120
        )
        assert pulled.status_code == 200
        pulls_meanwhile += not done.is_set()
    thread.join()
    assert answers == [422] * bombs
    assert pulls_meanwhile >= 3 * bombs


def _raw_request(county: CountyServer, head: list[tuple[str, str]], body: bytes = b"") -> bytes:
    """One request as bytes on the wire (requests cannot send a header twice)."""
    method = "POST" if body else "GET"
    path = "/api/v1/push" if body else "/api/v1/pull"
    lines = [f"{method} {path} HTTP/1.1", "Host: county", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in head]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection(("127.0.0.1", county.port), timeout=30) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    "doubled",
    [
        [("Authorization", "Bearer {a}"), ("Authorization", "Bearer {b}")],
        [("Authorization", "Bearer {a}"), ("Authorization", "Bearer nonsense")],
        [(p.SCHEMA_HEADER, "1"), (p.SCHEMA_HEADER, "999")],
        [("Idempotency-Key", "k1"), ("Idempotency-Key", "k2")],
        [("Content-Type", "application/json"), ("Content-Type", "text/plain")],
    ],
)
def test_a_request_with_a_header_that_decides_something_twice_is_400(
    county: CountyServer, tokens: dict[str, str], doubled: list[tuple[str, str]]
) -> None:
    """Two credentials (or schema versions, keys): the county took the first, a proxy in
    front of it may check the last. Ambiguous requests are refused."""
    values = {"a": tokens["a"], "b": tokens["channel"]}
    head = [(name, value.format(**values)) for name, value in doubled]
    names = {name for name, _value in head}
    if "Authorization" not in names:
        head.append(("Authorization", f"Bearer {tokens['a']}"))
    if p.SCHEMA_HEADER not in names:
        head.append((p.SCHEMA_HEADER, "1"))
    answer = _raw_request(county, head)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:300]
    assert b"duplicate_header" in answer


BAD_BODIES = [
    ("gzip", gzip.compress(b'{"node": "330327102", "changes": []}'), 415),
    ("deflate bomb", zlib.compress(b" " * (32 << 20)), 415),
    ("nested 100000 deep", b'{"node": "330327102", "changes": ' + b"[" * 100_000, 400),
    (
        "5000-digit number",
        b'{"node": "330327102", "changes": [], "n": ' + b"9" * 5000 + b"}",
        400,
    ),
    ("invalid UTF-8", b'{"node": "330327102\xff", "changes": []}', 400),
]


@pytest.mark.parametrize(
    ("name", "body", "status"), BAD_BODIES, ids=[case[0] for case in BAD_BODIES]
)
def test_compressed_bodies_and_json_the_parser_refuses_are_refused_in_chinese(
    county: CountyServer, tokens: dict[str, str], name: str, body: bytes, status: int
) -> None:
    encoding = {"gzip": "gzip", "deflate bomb": "deflate"}.get(name)
    answer = requests.post(
        f"{county.url}/api/v1/push",
        data=body,
        timeout=30,
        headers={
            "Authorization": f"Bearer {tokens['a']}",
            "Content-Type": "application/json",
            **SCHEMA,
            **({"Content-Encoding": encoding} if encoding else {}),
        },
    )
    assert answer.status_code == status, answer.text
    message = answer.json()["message"]
    assert re.search("[\u4e00-\u9fff]", message), message  # the county's own words


# --- row identity: case numbers ---------------------------------------------------------------


def test_a_township_cannot_take_a_number_of_the_countys_series_for_a_case_of_its_own(
    county: CountyServer, tokens: dict[str, str], township_a: Township
) -> None:
    """The county numbers the reports it routes `T-2026C-000001`…; a (buggy) township that
    used the next such number for its own case made the county hand it out twice, and the
    township (case numbers unique) could no longer take the county's report in."""
    given = _report(county, tokens["channel"]).json()
    prefix, number = given["case_no"].rsplit("-", 1)
    forged = incident_row(A)
    forged["case_no"] = f"{prefix}-{int(number) + 1:06d}"
    township_a.seq = _acked(county, township_a)
    answer = township_a.push(township_a.change("incident", forged))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "case_no" and "县级" in answer.json()["message"]
    following = _report(county, tokens["channel"]).json()["case_no"]
    assert following == forged["case_no"]  # still free: the county's own
    # The township may still change the county's case, number and all.
    pulled = requests.get(
        f"{county.url}/api/v1/pull",
        headers=township_a.headers(),
        params={"after": 0, "limit": 2000},
        timeout=30,
    ).json()["changes"]
    (row,) = [c["data"] for c in pulled if c["row_id"] == given["incident_id"]]
    row = {**row, "title": "乡镇补充了标题"}
    del row["hlc"], row["origin"]  # stamped again by this township
    answer = township_a.push(township_a.change("incident", row, op="update"))
    assert answer.status_code == 200, answer.text


# --- callers that never finish their request ---------------------------------------------------


def _headers_only(county: CountyServer, token: str, length: int) -> socket.socket:
    conn = socket.create_connection(("127.0.0.1", county.port), timeout=10)
    conn.sendall(
        (
            f"PUT /api/v1/blobs/{'0' * 64} HTTP/1.1\r\nHost: county\r\n"
            f"Authorization: Bearer {token}\r\n{p.SCHEMA_HEADER}: 1\r\n"
            f"Content-Length: {length}\r\n\r\n"
        ).encode()
    )
    return conn


def _answer(conn: socket.socket) -> bytes:
    """The county's answer: read until it closes or the body of the answer is whole."""
    answer = b""
    while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
        chunk = conn.recv(4096)
        if not chunk:
            break
        answer += chunk
    return answer


def test_a_caller_without_a_valid_token_is_refused_before_its_body_is_read(
    county: CountyServer,
) -> None:
    """The county read (and held) up to 64 MB per connection before it looked at the token:
    eight 60 MB uploads by nobody took 576 MB. Now the 401 comes before the body."""
    with _headers_only(county, "nonsense", 60_000_000) as conn:
        answer = _answer(conn)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    assert b"bad_token" in answer


def test_a_body_that_stops_coming_is_cut_off_and_the_county_goes_on(
    postgres: PostgresCluster,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A township that sends half a body and then nothing held its connection for good (1,500
    such connections: none closed after 30 s). Now 408 after the idle time (60 s; 2 here)."""
    monkeypatch.setenv("ZONGZHI_COUNTY_BODY_IDLE_SECONDS", "2")
    server = start_county(
        postgres.create_database(f"idle_{uuid.uuid4().hex[:8]}"),
        tmp_path_factory.mktemp("county-idle"),
    )
    try:
        token = server.issue_token(A)
        with _headers_only(server, token, 1000) as conn:
            conn.sendall(b"x" * 10)
            conn.settimeout(20)
            answer = _answer(conn)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"body_timeout" in answer
        pulled = requests.get(
            f"{server.url}/api/v1/pull",
            headers={"Authorization": f"Bearer {token}", **SCHEMA},
            timeout=30,
        )
        assert pulled.status_code == 200
    finally:
        server.stop()


def _put_blob(county: CountyServer, token: str, content: bytes) -> requests.Response:
    return requests.put(
        f"{county.url}/api/v1/blobs/{hashlib.sha256(content).hexdigest()}",
        data=content,
        headers={"Authorization": f"Bearer {token}", **SCHEMA},
        timeout=30,
    )


def test_one_township_sends_at_most_two_files_at_once_and_another_is_not_held_up(
    county: CountyServer, tokens: dict[str, str]
) -> None:
    """A file costs the county about twice its size while it is taken; a township sending
    six 60 MB files at once took the county to 1.2 GB. The third at once is 429 (the
    township's sync retries it later), and other townships' files go on."""
    token_b = county.issue_token("330327104")
    open_uploads = [_headers_only(county, tokens["a"], 50_000_000) for _ in range(2)]
    try:
        time.sleep(0.5)  # both are being taken
        third = _put_blob(county, tokens["a"], b"third file " + uuid.uuid4().bytes)
        assert third.status_code == 429, third.text
        assert third.json()["error"] == "too_many_uploads"
        assert _put_blob(county, token_b, b"another township " + uuid.uuid4().bytes).ok
    finally:
        for conn in open_uploads:
            conn.close()
    time.sleep(0.5)  # the county notices they are gone
    assert _put_blob(county, tokens["a"], b"later " + uuid.uuid4().bytes).status_code == 200


# --- pull past the end --------------------------------------------------------------------------


def test_a_pull_cursor_past_the_end_of_the_countys_log_is_refused_not_answered_empty(
    county: CountyServer, tokens: dict[str, str], township_a: Township
) -> None:
    """A cursor the county never handed out (its database restored from an older backup, or
    a township's bug) was answered empty with that cursor, and every change the county
    logged below it was silently never pulled. Now 409 `cursor_ahead` with the log's end."""
    assert _report(county, tokens["channel"]).status_code == 200
    pulled = requests.get(
        f"{county.url}/api/v1/pull",
        headers=township_a.headers(),
        params={"after": 0, "limit": 2000},
        timeout=30,
    ).json()
    end = pulled["next_cursor"]
    assert end > 0
    at_end = requests.get(
        f"{county.url}/api/v1/pull",
        headers=township_a.headers(),
        params={"after": end},
        timeout=30,
    )
    assert at_end.status_code == 200 and at_end.json()["changes"] == []
    for cursor in (end + 10_000, 2**62):
        ahead = requests.get(
            f"{county.url}/api/v1/pull",
            headers=township_a.headers(),
            params={"after": cursor},
            timeout=30,
        )
        assert ahead.status_code == 409, ahead.text
        assert ahead.json()["error"] == "cursor_ahead"
        assert ahead.json()["expected_seq"] >= end
