"""Registry, CSV import, saved walls, tours, health, audit and evidence on a real database."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from centre_app.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from centre_app.video.codes import make_camera_code
from centre_app.video.csv_import import import_cameras
from centre_app.video.demo import demo_camera_count
from centre_app.video.registry import CameraDraft
from centre_app.video.walls import WallSpec
from db.models import AuditEntry, EvidenceKind, SavedWall

OPERATOR = Actor.for_roles(None, "shipin", "视频员", (Role.VIDEO,))
RECEPTION = Actor.for_roles(None, "jiedai", "接待员", (Role.RECEPTION,))


def test_demo_cameras_sit_in_the_village_tree_with_two_broken_ones(ctx: Any) -> None:
    cams = ctx.video.cameras.cameras(OPERATOR)
    assert len(cams) == demo_camera_count(0.02) + 2
    assert sum(c.main_url.startswith("rtsp://") for c in cams) == 1
    tree = ctx.video.cameras.tree(OPERATOR)
    assert all(v.label.endswith(("村", "社区")) for v in tree.children)
    assert tree.children[0].children[0].children[0].camera is not None


def test_registry_refuses_duplicates_bad_input_and_unauthorised_users(ctx: Any) -> None:
    code = make_camera_code("33032710", 5555)
    draft = CameraDraft(code, "测试点", "http://127.0.0.1:19999/main.ts")
    ctx.video.cameras.add(OPERATOR, draft)
    with pytest.raises(ConflictError):
        ctx.video.cameras.add(OPERATOR, draft)
    with pytest.raises(ValidationError, match="20 位"):
        ctx.video.cameras.add(OPERATOR, CameraDraft("12", "x", "http://h/x"))
    with pytest.raises(PermissionDenied):
        ctx.video.cameras.cameras(RECEPTION)


def test_csv_import_adds_good_lines_and_reports_each_bad_one(ctx: Any) -> None:
    village = ctx.video.cameras.cameras(OPERATOR)[0].village
    good1 = make_camera_code("33032710", 7001)
    good2 = make_camera_code("33032710", 7002)
    text = (
        "国标编码,名称,主码流,子码流,村,点位\n"
        f"{good1},桥头一,http://127.0.0.1:1/main.ts,,{village},桥头\n"
        f"{good2},桥头二,rtp://@127.0.0.1:5004,,,桥头\n"
        "123,短编码,http://h/x,,,\n"
        f"{good1},重复,http://h/x,,,\n"
        f"{make_camera_code('33032710', 7003)},坏村,http://h/x,,不存在村,\n"
        f"{make_camera_code('33032710', 7004)},缺列\n"
        f'{make_camera_code("33032710", 7005)},"未闭合引号,http://h/x,,,\n'
    )
    report = import_cameras(ctx.video.cameras, OPERATOR, text)
    assert report.imported == 2
    reasons = {r.line: r.reason for r in report.rejected}
    assert set(reasons) >= {4, 5, 6, 7}
    assert "20 位" in reasons[4] and "重复" in reasons[5] and "不存在村" in reasons[6]
    assert "列数" in reasons[7]
    with pytest.raises(ValidationError, match="表头"):
        import_cameras(ctx.video.cameras, OPERATOR, "a,b\n1,2\n")


def test_saved_walls_round_trip_and_forget_deleted_cameras(ctx: Any) -> None:
    cams = ctx.video.cameras.cameras(OPERATOR)
    spec = WallSpec("4", (cams[0].id, None, cams[1].id, uuid.uuid4()))
    ctx.video.walls.save(OPERATOR, "早班", spec)
    ctx.video.walls.save(OPERATOR, "早班", spec)  # saving again replaces
    assert ctx.video.walls.names(OPERATOR) == ["早班"]
    loaded = ctx.video.walls.load(OPERATOR, "早班")
    assert loaded.tiles == (cams[0].id, None, cams[1].id, None)
    with ctx.session_factory.begin() as s:
        s.add(
            SavedWall(
                name="旧版", owner="x", content={"cameras": [cams[2].national_code], "count": 1}
            )
        )
    assert ctx.video.walls.load(OPERATOR, "旧版").tiles == (cams[2].id,)


def test_views_are_audited_and_health_lists_offline_cameras_first(ctx: Any) -> None:
    cams = ctx.video.cameras.cameras(OPERATOR)
    ctx.video.health.record_view(OPERATOR, cams[0].id, cams[0].name, "sub")
    ctx.video.health.report(cams[1].id, "playing")
    ctx.video.health.report(cams[2].id, "offline", "连接被拒绝")
    rows = ctx.video.health.rows(OPERATOR)
    assert rows[0].camera_id == cams[2].id and rows[0].offline_since is not None
    assert next(r for r in rows if r.camera_id == cams[1].id).last_ok_at is not None
    with ctx.session_factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "video.view")).one()
    assert entry.username == "shipin" and entry.target_id == str(cams[0].id)


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A real PNG (grey pixels) built by hand: signature, IHDR, IDAT, IEND."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_evidence_is_hashed_recorded_and_attachable(ctx: Any, tmp_path: Path) -> None:
    from centre_app.video.evidence import png_text, sha256_of

    cam = ctx.video.cameras.cameras(OPERATOR)[0]
    path = ctx.video.evidence.new_path(cam.national_code, EvidenceKind.SNAPSHOT)
    with pytest.raises(ValidationError):
        ctx.video.evidence.add(OPERATOR, cam.id, EvidenceKind.SNAPSHOT, path)
    path.write_bytes(b"png bytes")  # not a picture: refused in words, nothing recorded
    with pytest.raises(ValidationError, match="PNG"):
        ctx.video.evidence.add(OPERATOR, cam.id, EvidenceKind.SNAPSHOT, path, stream="main")
    assert ctx.video.evidence.unattached(OPERATOR) == []
    path.write_bytes(tiny_png(4, 3))
    item = ctx.video.evidence.add(
        OPERATOR, cam.id, EvidenceKind.SNAPSHOT, path, "占道", stream="main"
    )
    assert len(item.sha256) == 64 and item.sha256 == sha256_of(path)  # hash covers the text
    assert (item.stream, item.width, item.height) == ("main", 4, 3)
    meta = png_text(path)
    assert meta["Stream"] == "main" and meta["Resolution"] == "4x3"
    assert meta["Camera"] == cam.national_code and meta["Taken"].startswith("2026-11-20")
    from PySide6.QtGui import QImage

    assert QImage(str(path)).size().width() == 4  # still a valid PNG for every reader
    assert [e.id for e in ctx.video.evidence.unattached(OPERATOR)] == [item.id]
    ctx.video.evidence.attach(OPERATOR, item.id, uuid.uuid4())
    assert ctx.video.evidence.unattached(OPERATOR) == []


def test_evidence_carries_camera_place_and_village_code_for_the_incident_form(ctx: Any) -> None:
    cam = next(c for c in ctx.video.cameras.cameras(OPERATOR) if c.area_id is not None)
    path = ctx.video.evidence.new_path(cam.national_code, EvidenceKind.SNAPSHOT)
    path.write_bytes(tiny_png())
    added = ctx.video.evidence.add(OPERATOR, cam.id, EvidenceKind.SNAPSHOT, path)
    item = ctx.video.evidence.get(OPERATOR, added.id)
    assert item == added
    assert (item.camera_name, item.camera_place, item.camera_location) == (
        cam.name,
        cam.place,
        cam.location,
    )
    assert item.area_id == cam.area_id and item.area_code is not None
    assert len(item.area_code) == 12 and item.thumbnail.name.endswith(".thumb.jpg")
    with pytest.raises(NotFound):
        ctx.video.evidence.get(OPERATOR, uuid.uuid4())


def test_tours_are_created_renamed_and_deleted_with_validation_in_chinese(ctx: Any) -> None:
    from centre_app.video.tours import TourPlan, TourStep, group_key

    manager = OPERATOR  # the video operator manages cameras and tours
    cams = ctx.video.cameras.cameras(manager)
    steps = (TourStep.camera(cams[0].id, 10), TourStep.group(group_key(cams[1].village), 20))
    ctx.video.tours.save(manager, TourPlan("夜间巡查", "9", 10, steps=steps))
    plan = ctx.video.tours.get(manager, "夜间巡查")
    assert plan.steps == steps and plan.layout == "9"
    ctx.video.tours.save(manager, TourPlan("夜巡", "4", 10, steps=steps[::-1]), old_name="夜间巡查")
    names = [p.name for p in ctx.video.tours.plans(manager)]
    assert "夜巡" in names and "夜间巡查" not in names
    assert ctx.video.tours.get(manager, "夜巡").steps == steps[::-1]
    bad = [
        (TourPlan(" ", "4", 10, steps=steps), "名称"),
        (TourPlan("x", "4", 10, steps=(TourStep.camera(cams[0].id, 2),)), "停留时间"),
        (TourPlan("x", "4", 10, steps=(TourStep.camera(uuid.uuid4(), 10),)), "不在目录"),
        (TourPlan("x", "4", 10), "为空"),
        (TourPlan("全镇轮巡", "4", 10, steps=steps), "已有名为"),
    ]
    for tour, words in bad:
        with pytest.raises(ValidationError, match=words):
            ctx.video.tours.save(manager, tour, old_name="夜巡" if words == "已有名为" else None)
    with pytest.raises(PermissionDenied):
        ctx.video.tours.delete(RECEPTION, "夜巡")
    ctx.video.tours.delete(manager, "夜巡")
    with pytest.raises(NotFound):
        ctx.video.tours.get(manager, "夜巡")


def test_tours_saved_before_steps_load_as_camera_steps(ctx: Any) -> None:
    from centre_app.video.tours import StepKind
    from db.models import Tour

    cam = ctx.video.cameras.cameras(OPERATOR)[0]
    with ctx.session_factory.begin() as s:
        s.add(Tour(name="旧方案", layout="4", dwell_seconds=25, camera_ids=[str(cam.id)]))
    plan = ctx.video.tours.get(OPERATOR, "旧方案")
    assert [(st.kind, st.ref, st.dwell_seconds) for st in plan.effective_steps()] == [
        (StepKind.CAMERA, str(cam.id), 25)
    ]
