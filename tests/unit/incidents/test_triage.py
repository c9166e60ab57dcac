"""Attachments, duplicates and merge, group-event warning, configurable SLA, queue filters
and sort, tray alert query, export round-trip."""

from __future__ import annotations

import csv
import datetime as dt
import struct
import uuid
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock, to_local
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import InvalidTransition, PermissionDenied, ValidationError
from centre_app.incidents import attachments, sla
from centre_app.incidents.export import ExportCancelled, export_queue
from centre_app.incidents.queries import Queue, QueueFilter, SortKey
from centre_app.incidents.service import IncidentDraft
from centre_app.security.actor import Actor
from db.models import Area, AreaLevel, Department, IncidentSlaLimit, StoredFile
from db.models.incidents import Channel, IncidentState, RiskColour
from tests.unit.incidents.test_workflow import department, draft, drive_to, duty, new_incident

S = IncidentState
__all__ = ["duty"]


def png(path: Path, seed: int = 0) -> Path:
    """A real 1×1 PNG (valid chunks and CRCs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"\x00" + bytes([seed % 256, 0, 0])
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


# --- attachments -------------------------------------------------------------------------


def test_attach_stores_by_content_once_and_records_history(
    ctx: AppContext, duty: Actor, tmp_path: Path
) -> None:
    incident = new_incident(ctx, duty)
    photo = png(tmp_path / "现场.png")
    first = ctx.incidents.attach(duty, incident.id, photo, note="现场照片")
    again = ctx.incidents.attach(duty, incident.id, png(tmp_path / "copy.jpg"))  # same bytes
    assert again.id == first.id and first.mime == "image/png" and first.is_image
    stored = ctx.incidents.attachment_path(first)
    assert stored.read_bytes() == photo.read_bytes()
    assert stored.parent.parent.parent == ctx.data_dir / "file-cache"  # this desk's cache
    assert stored.parent.name == first.sha256[2:4]
    with ctx.session_factory() as session:  # the bytes themselves: once, in the centre DB
        assert session.scalars(select(StoredFile.sha256)).all() == [first.sha256]
    assert [a.original_name for a in ctx.incidents.attachments(duty, incident.id)] == ["现场.png"]
    kinds = [e.kind for e in ctx.incidents.history(duty, incident.id)]
    assert kinds.count("attach") == 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "找不到文件"),
        (b"", "是空的"),
        (b"MZ\x90\x00 this is an exe renamed to .jpg", "不是可接受的类型"),
        (b"PK\x03\x04 not really a zip", "不是可接受的类型"),
    ],
)
def test_bad_attachments_are_refused_in_chinese(
    ctx: AppContext, duty: Actor, tmp_path: Path, content: bytes | None, words: str
) -> None:
    incident = new_incident(ctx, duty)
    path = tmp_path / "photo.jpg"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValidationError, match=words):
        ctx.incidents.attach(duty, incident.id, path)
    assert ctx.incidents.attachments(duty, incident.id) == []


def test_huge_attachment_is_refused(ctx: AppContext, duty: Actor, tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    with path.open("wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.truncate(attachments.MAX_BYTES + 1)
    with pytest.raises(ValidationError, match="超过 20 MB"):
        ctx.incidents.attach(duty, new_incident(ctx, duty).id, path)


def test_types_are_sniffed_from_the_bytes(tmp_path: Path) -> None:
    docx = tmp_path / "report.bin"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    plain_zip = tmp_path / "a.docx"
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("readme.txt", "hello")
    ts = tmp_path / "clip"
    ts.write_bytes((b"\x47" + bytes(187)) * 4)
    mp4 = tmp_path / "clip2"
    mp4.write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(32))
    pdf = tmp_path / "x"
    pdf.write_bytes(b"%PDF-1.7\n...")
    assert attachments.sniff(docx) == attachments._OOXML["word/"]
    assert attachments.sniff(plain_zip) is None
    assert attachments.sniff(ts) == "video/mp2t"
    assert attachments.sniff(mp4) == "video/mp4"
    assert attachments.sniff(pdf) == "application/pdf"


# --- duplicates and merge ----------------------------------------------------------------


def test_duplicates_found_with_score_and_reason(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    first = new_incident(ctx, duty)
    unrelated = new_incident(
        ctx,
        duty,
        category="安全生产",
        subcategory="危化品",
        place="龙港大道 18 号",
        title="仓库堆放油漆桶",
        description="仓库内堆放大量油漆桶，无人看管。",
    )
    clock.advance(dt.timedelta(hours=5))
    found = ctx.incidents.find_duplicates(duty, draft(title="服装厂拖欠工人工资"))
    assert [c.id for c in found] == [first.id]
    assert found[0].score >= 0.5 and "同一地点" in found[0].reason
    assert "劳资纠纷" in found[0].reason and "5 小时" in found[0].reason
    assert unrelated.id not in {c.id for c in found}
    clock.advance(dt.timedelta(hours=80))  # outside the 72 h window
    assert ctx.incidents.find_duplicates(duty, draft()) == []
    assert ctx.incidents.find_duplicates(duty, draft(), window=dt.timedelta(days=5))


def test_merge_moves_attachments_and_records_both_histories(
    ctx: AppContext, duty: Actor, tmp_path: Path
) -> None:
    into = new_incident(ctx, duty, people_involved=6)
    dup = new_incident(ctx, duty, people_involved=8, channel=Channel.HOTLINE)
    ctx.incidents.attach(duty, dup.id, png(tmp_path / "a.png", 1))
    ctx.incidents.attach(duty, dup.id, png(tmp_path / "b.png", 2))
    ctx.incidents.attach(duty, into.id, png(tmp_path / "c.png", 2))  # same content as b
    merged = ctx.incidents.merge(duty, dup.id, into.id, "同一服装厂欠薪，热线重复来电")
    assert merged.state is S.MERGED and merged.merged_into_id == into.id
    kept = ctx.incidents.get(duty, into.id)
    assert kept.people_involved == 8
    assert len(ctx.incidents.attachments(duty, into.id)) == 2
    into_events = ctx.incidents.history(duty, into.id)
    assert (
        into_events[-1].kind == "merged_in" and into_events[-1].data["from_case_no"] == dup.case_no
    )
    assert ctx.incidents.history(duty, dup.id)[-1].data["into"] == str(into.id)


def test_illegal_merges_are_refused_in_words(ctx: AppContext, duty: Actor) -> None:
    a = new_incident(ctx, duty)
    with pytest.raises(ValidationError, match="自己"):
        ctx.incidents.merge(duty, a.id, a.id, "重复")
    with pytest.raises(ValidationError, match="不存在"):
        ctx.incidents.merge(duty, a.id, uuid.uuid4(), "重复")
    closed = drive_to(ctx, duty, S.CLOSED)
    with pytest.raises(ValidationError, match="只能合并到在办的事件"):
        ctx.incidents.merge(duty, a.id, closed.id, "重复")
    dispatched = drive_to(ctx, duty, S.DISPATCHED)
    with pytest.raises(InvalidTransition, match="不能“合并重复”"):
        ctx.incidents.merge(duty, dispatched.id, a.id, "重复")
    with pytest.raises(ValidationError, match="理由"):
        ctx.incidents.merge(duty, a.id, dispatched.id, " ")
    assert ctx.incidents.get(duty, a.id).state is S.REPORTED


# --- group-event warning -----------------------------------------------------------------


def test_several_reports_about_one_place_raise_a_group_warning(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    since = clock.now()
    place = "金乡镇某鞋厂"
    clock.advance(dt.timedelta(minutes=1))
    first = new_incident(ctx, duty, place=place, people_involved=2)
    second = new_incident(ctx, duty, place=place, people_involved=3)
    assert ctx.incidents.get(duty, second.id).colour is RiskColour.GREEN
    assert ctx.incident_queries.new_red_since(duty, since) == []
    third = new_incident(ctx, duty, place=place, people_involved=2)
    raised = ctx.incidents.get(duty, third.id)
    assert raised.colour is RiskColour.RED and raised.group_warning is not None
    assert "3 起" in raised.group_warning and place in raised.group_warning
    alerts = ctx.incident_queries.new_red_since(duty, since)
    assert [r.id for r in alerts] == [str(third.id)]
    assert alerts[0].group_warning == raised.group_warning
    assert ctx.incident_queries.new_red_since(duty, clock.now()) == []
    assert first.id != third.id


def test_raising_to_red_shows_in_the_tray_query(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    incident = new_incident(ctx, duty, place="灵溪镇某小区")
    since = clock.now()
    clock.advance(dt.timedelta(minutes=3))
    ctx.incidents.set_colour(duty, incident.id, RiskColour.RED, "现场有人聚集")
    assert [r.id for r in ctx.incident_queries.new_red_since(duty, since)] == [str(incident.id)]


# --- SLA ---------------------------------------------------------------------------------


def test_limits_come_from_the_configurable_table(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    with ctx.session_factory() as session:
        limits = sla.load_limits(session)
    assert limits[("*", RiskColour.GREEN)] == 168 and limits[("安全生产", RiskColour.RED)] == 8
    assert sla.limit_hours("矛盾纠纷", RiskColour.YELLOW, limits) == 72
    with ctx.session_factory.begin() as session:
        session.add(IncidentSlaLimit(category="矛盾纠纷", colour=RiskColour.GREEN, hours=48))
    incident = drive_to(ctx, duty, S.ACCEPTED)
    assert incident.colour is RiskColour.GREEN
    assert incident.deadline == clock.now() + dt.timedelta(hours=48)
    with ctx.session_factory.begin() as session:
        session.execute(
            update(IncidentSlaLimit)
            .where(IncidentSlaLimit.category == "*", IncidentSlaLimit.colour == RiskColour.YELLOW)
            .values(hours=10)
        )
    ctx.incidents.set_colour(duty, incident.id, RiskColour.YELLOW, "")
    assert ctx.incidents.get(duty, incident.id).deadline == clock.now() + dt.timedelta(hours=10)


def test_the_clock_stays_suspended_while_the_county_keeps_the_case(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    incident = drive_to(ctx, duty, S.ACCEPTED)
    assert incident.deadline is not None
    left = incident.deadline - clock.now()
    ctx.incidents.act(duty, incident.id, "escalate", seen_state=S.ACCEPTED, note="需县级协调")
    county = ctx.auth.login("zhuren", DEMO_PASSWORD)
    clock.advance(dt.timedelta(days=2))
    still = ctx.incidents.record_county_reply(county, incident.id, "县级部门承办", "县人社局承办")
    assert sla.clock_state(still.state, still.deadline, clock.now(), 24) is sla.Clock.SUSPENDED
    rows = ctx.incident_queries.rows(duty, QueueFilter(queue=Queue.DUE), offset=0, limit=100)
    assert str(incident.id) not in {r.id for r in rows}
    clock.advance(dt.timedelta(days=3))
    back = ctx.incidents.record_county_reply(county, incident.id, "退回乡镇处置", "请乡镇跟进")
    assert back.deadline == clock.now() + left


def test_a_deadline_in_the_past_is_refused(
    ctx: AppContext, duty: Actor, clock: ManualClock
) -> None:
    incident = drive_to(ctx, duty, S.DISPATCHED)
    with pytest.raises(ValidationError, match="不能早于现在"):
        ctx.incidents.set_deadline(duty, incident.id, clock.now() - dt.timedelta(hours=1), "x")
    with pytest.raises(ValidationError, match="理由"):
        ctx.incidents.set_deadline(duty, incident.id, clock.now() + dt.timedelta(hours=1), "")
    later = clock.now() + dt.timedelta(days=10)
    moved = ctx.incidents.set_deadline(duty, incident.id, later, "部门申请延期，已同意")
    assert moved.deadline == later
    with pytest.raises(ValidationError, match="不能调整处置时限"):
        ctx.incidents.set_deadline(duty, new_incident(ctx, duty).id, later, "x")


# --- queue filters, sort -----------------------------------------------------------------


def test_queue_filters_and_sort(ctx: AppContext, duty: Actor, clock: ManualClock) -> None:
    with ctx.session_factory() as session:
        grid = session.execute(
            select(Area.id, Area.parent_id).where(
                Area.code == "330327102001001", Area.level == AreaLevel.GRID
            )
        ).one()
    a = new_incident(ctx, duty, place="甲地", channel=Channel.HOTLINE)
    clock.advance(dt.timedelta(days=1))
    b = new_incident(ctx, duty, place="乙地", grid_code=None)
    dispatched = drive_to(ctx, duty, S.DISPATCHED)
    mine = {str(a.id), str(b.id), str(dispatched.id)}

    def ids(**kw: object) -> list[str]:
        flt = QueueFilter(**kw)  # type: ignore[arg-type]
        rows = ctx.incident_queries.rows(duty, flt, offset=0, limit=10_000)
        assert ctx.incident_queries.count(duty, flt) == len(rows)
        return [r.id for r in rows if r.id in mine]

    assert ids(queue=Queue.ALL, channel=Channel.HOTLINE) == [str(a.id)]
    assert set(ids(queue=Queue.ALL, grid_id=grid.id)) == {str(a.id), str(dispatched.id)}
    assert set(ids(queue=Queue.ALL, grid_id=grid.parent_id)) == {str(a.id), str(dispatched.id)}
    assert ids(queue=Queue.ALL, state=S.DISPATCHED) == [str(dispatched.id)]
    assert ids(queue=Queue.DEPARTMENT, department_id=department(ctx)) == [str(dispatched.id)]
    today = clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert str(a.id) not in ids(queue=Queue.ALL, reported_from=today, reported_to=today)
    assert str(b.id) in ids(queue=Queue.ALL, reported_from=today, reported_to=today)
    assert str(a.id) in ids(queue=Queue.ALL, reported_to=today - dt.timedelta(days=1))
    by_case = ids(queue=Queue.ALL, sort=SortKey.CASE_NO)
    assert by_case == sorted(by_case, key=lambda i: {str(a.id): 0, str(b.id): 1}.get(i, 2))
    newest = ids(queue=Queue.ALL, sort=SortKey.REPORTED, descending=True)
    assert newest.index(str(b.id)) < newest.index(str(a.id))
    for key in SortKey:
        for desc in (False, True):
            assert len(ids(queue=Queue.ALL, sort=key, descending=desc)) == 3


# --- export ------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_round_trip(ctx: AppContext, duty: Actor, tmp_path: Path, suffix: str) -> None:
    incident = new_incident(ctx, duty, title="工人反映被拖欠工资，涉及\u201c逗号,引号\u201d")
    flt = QueueFilter(queue=Queue.UNTRIAGED)
    expected = ctx.incident_queries.rows(duty, flt, offset=0, limit=100_000)
    seen: list[tuple[int, int]] = []
    path = tmp_path / f"待分流{suffix}"
    written = export_queue(
        ctx.incident_queries,
        duty,
        flt,
        path,
        lambda done, total: seen.append((done, total)) is None,
    )
    assert written == len(expected) and seen[-1] == (written, written)
    if suffix == ".csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    else:
        sheet = load_workbook(path, read_only=True).active
        assert sheet is not None
        rows = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "案件编号" and len(rows) == len(expected) + 1
    assert [r[0] for r in rows[1:]] == [e.case_no for e in expected]
    row = next(r for r in rows if r[0] == incident.case_no)
    assert row[4] == incident.title and row[2] == "待分流"


@pytest.mark.parametrize(
    ("username", "phone"), [("zhiban", "138****2345"), ("zhuren", "13857712345")]
)
def test_export_has_description_channel_reporter_phone_people_department_and_closing(
    ctx: AppContext, tmp_path: Path, username: str, phone: str
) -> None:
    """The phone is masked unless the viewer may see personal data (the centre's head)."""
    viewer = ctx.auth.login(username, DEMO_PASSWORD)
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    incident = ctx.incidents.report(
        duty,
        IncidentDraft(
            channel=Channel.HOTLINE,
            category="矛盾纠纷",
            subcategory="劳资纠纷",
            colour=RiskColour.YELLOW,
            grid_code=None,
            place="工业区某服装厂",
            title="工人反映被拖欠工资",
            description="6 名工人反映被拖欠工资三个月。",
            reporter="王晓燕",
            reporter_phone="+86 138-5771-2345",
            people_involved=6,
        ),
    )
    with ctx.session_factory() as session:
        station = session.scalar(select(Department.id).where(Department.code == "ST-LBS"))
    for action in ("accept", "dispatch", "handle", "verify", "close"):
        incident = ctx.incidents.act(
            duty,
            incident.id,
            action,
            seen_state=incident.state,
            note="已处置完毕",
            department_id=station,
        )
    path = tmp_path / "结案.csv"
    export_queue(ctx.incident_queries, viewer, QueueFilter(queue=Queue.ALL), path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    row = next(r for r in rows if r["案件编号"] == incident.case_no)
    closed = ctx.incidents.get(duty, incident.id).closed_at
    assert closed is not None
    assert {
        k: row[k]
        for k in ("描述", "来源", "上报人", "联系电话", "涉及人数", "承办部门", "结案时间", "状态")
    } == {
        "描述": "6 名工人反映被拖欠工资三个月。",
        "来源": "电话/热线",
        "上报人": "王晓燕",
        "联系电话": phone,
        "涉及人数": "6",
        "承办部门": "金乡劳动保障所",
        "结案时间": f"{to_local(closed):%Y-%m-%d %H:%M}",
        "状态": "已结案",
    }


def test_export_cancel_leaves_no_file(ctx: AppContext, duty: Actor, tmp_path: Path) -> None:
    new_incident(ctx, duty)
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("out.xlsx", "out.csv"):
        with pytest.raises(ExportCancelled):
            export_queue(
                ctx.incident_queries,
                duty,
                QueueFilter(queue=Queue.ALL),
                folder / name,
                lambda done, total: False,
            )
    assert list(folder.iterdir()) == []
    with pytest.raises(ValidationError, match="CSV"):
        export_queue(ctx.incident_queries, duty, QueueFilter(), folder / "out.txt")
    with pytest.raises(ValidationError, match="不存在"):
        export_queue(ctx.incident_queries, duty, QueueFilter(), folder / "no" / "out.csv")
    with pytest.raises(PermissionDenied):  # reception may view incidents, not export them
        export_queue(
            ctx.incident_queries,
            ctx.auth.login("jiedai", DEMO_PASSWORD),
            QueueFilter(),
            folder / "out.csv",
        )
