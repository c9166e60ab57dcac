"""The new-incident form: bad input refused inline in words with nothing lost, attachments
checked when picked, duplicates offered for merging, and the video wall's evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from centre_app.incidents.queries import Queue
from centre_app.incidents.service import IncidentDraft
from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from db.models import EvidenceKind
from db.models.incidents import Channel, Incident, IncidentState, RiskColour
from ui.incidents.form import EvidencePicker, IncidentForm
from ui.incidents.page import IncidentsPage

pytestmark = pytest.mark.gui
GRID = "330327102201003"  # 南门村第3网格


def png(path: Path, size: int = 64) -> Path:
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    assert image.save(str(path))
    return path


def incident_count(ctx: Any) -> int:
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Incident)) or 0


def fill(form: IncidentForm, **overrides: str) -> None:
    values = {
        "title": "南门村菜场门口占道经营",
        "place": "南门村菜场东门",
        "description": "早市摊贩占用消防通道，车辆无法通行。",
        "people": "2",
        "reporter": "李网格",
        "phone": "13905771234",
        "grid": GRID,
    }
    values.update(overrides)
    form.setChannel(Channel.GRID_WORKER)
    form.setColour(RiskColour.GREEN)
    form.setCategory("消防安全", "消防通道堵塞")
    form.title_edit.setText(values["title"])
    form.place.setText(values["place"])
    form.description.setPlainText(values["description"])
    form.people.setText(values["people"])
    form.reporter.setText(values["reporter"])
    form.phone.setText(values["phone"])
    if values["grid"] == GRID:
        assert form.grid.setGridCode(GRID)
    else:
        form.grid.grid.setEditText(values["grid"])


@pytest.fixture
def form(qtbot: QtBot, ctx: Any, duty: Actor) -> IncidentForm:
    dialog = IncidentForm(ctx, duty)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "请填写事件标题"),
        ("grid", "330327999999001", "网格“330327999999001”不存在"),
        ("people", "0", "涉及人数应在 1 到"),
        ("people", "1000000", "涉及人数应在 1 到"),
        ("people", "十个", "涉及人数请填写整数"),
        ("phone", "1390577", "格式不对"),
        ("description", "占道", "事件描述太短"),
        ("reporter", " ", "请填写上报人姓名"),
        ("place", "", "请填写事发地点"),
    ],
)
def test_bad_input_is_refused_inline_in_words_and_nothing_typed_is_lost(
    form: IncidentForm, ctx: Any, field: str, value: str, message: str
) -> None:
    before = incident_count(ctx)
    fill(form, **{field: value})
    form.save()
    assert message in form.error.text()
    assert form.isVisible() and incident_count(ctx) == before
    assert form.title_edit.text() == (value if field == "title" else "南门村菜场门口占道经营")
    assert form.description.toPlainText().startswith("早市" if field != "description" else "占道")
    assert form.phone.text() == (value if field == "phone" else "13905771234")
    focused = {
        "title": form.title_edit,
        "grid": form.grid.grid,
        "people": form.people,
        "phone": form.phone,
        "description": form.description,
        "reporter": form.reporter,
        "place": form.place,
    }[field]
    assert form.focusWidget() is focused  # the cursor waits in the field to correct


def test_a_good_form_reports_the_case_with_grid_reporter_phone_and_suggested_department(
    form: IncidentForm, ctx: Any, duty: Actor
) -> None:
    assert form.suggested.text() == ""  # nothing chosen, nothing suggested
    fill(form)
    assert form.suggested.text().startswith("建议承办") and "消防" in form.suggested.text()
    form.setColour(RiskColour.YELLOW)
    form.setChannel(Channel.GRID_WORKER)
    form.save()
    assert form.error.text() == "" and not form.isVisible()
    incident = ctx.incidents.get(duty, form.created_id)
    assert (incident.state, incident.colour, incident.channel) == (
        IncidentState.REPORTED,
        RiskColour.YELLOW,
        Channel.GRID_WORKER,
    )
    assert (incident.reporter, incident.reporter_phone) == ("李网格", "13905771234")
    assert incident.people_involved == 2
    assert ctx.incidents.names(incident.grid_id, None)[0] == f"南门村第3网格（{GRID}）"
    assert form.summary() == f"已新建事件 {incident.case_no}"


def test_the_service_permission_refusal_is_shown_in_its_words(qtbot: QtBot, ctx: Any) -> None:
    admin = Actor.for_roles(None, "admin", "系统管理员", (Role.ADMIN,))
    form = IncidentForm(ctx, admin)
    qtbot.addWidget(form)
    fill(form)
    form.save()
    assert "没有“" in form.error.text() and "权限" in form.error.text()
    assert incident_count(ctx) > 0 and form.created_id is None


def test_attachments_are_checked_when_picked_and_only_good_files_are_stored(
    form: IncidentForm, ctx: Any, duty: Actor, tmp_path: Path
) -> None:
    photo = png(tmp_path / "现场.png")
    empty = tmp_path / "空.jpg"
    empty.write_bytes(b"")
    disguised = tmp_path / "照片.jpg"
    disguised.write_text("这其实是一段文字，不是照片。", encoding="utf-8")
    missing = tmp_path / "不存在.png"
    form.addFiles([photo, missing, empty, disguised])
    rows = [form.attachments.item(i) for i in range(form.attachments.count())]
    assert len(rows) == 4
    assert not rows[0].icon().isNull() and "未添加" not in rows[0].text()
    assert "找不到文件" in rows[1].text()
    assert "是空的" in rows[2].text()
    assert "不是可接受的类型" in rows[3].text()
    assert "不是可接受的类型" in form.error.text()  # the last refusal also under the form
    fill(form)
    form.save()
    stored = ctx.incidents.attachments(duty, form.created_id)
    assert [(a.original_name, a.mime) for a in stored] == [("现场.png", "image/png")]
    assert ctx.incidents.attachment_path(stored[0]).read_bytes() == photo.read_bytes()


def test_the_delete_key_removes_a_picked_file(
    qtbot: QtBot, form: IncidentForm, tmp_path: Path
) -> None:
    form.addFiles([png(tmp_path / "a.png"), png(tmp_path / "b.png", 32)])
    form.attachments.setCurrentRow(0)
    qtbot.keyClick(form.attachments, Qt.Key.Key_Delete)
    assert [p.path.name for p in form.attachments.pending()] == ["b.png"]


def report_existing(ctx: Any, duty: Actor) -> Incident:
    incident: Incident = ctx.incidents.report(
        duty,
        IncidentDraft(
            channel=Channel.HOTLINE,
            category="消防安全",
            subcategory="消防通道堵塞",
            colour=RiskColour.GREEN,
            grid_code=GRID,
            place="南门村菜场东门",
            title="菜场门口摊贩占道堵消防通道",
            description="早市摊贩占用消防通道，救护车进不去。",
            reporter="来电人",
        ),
    )
    return incident


def test_duplicates_are_shown_with_score_and_reason_and_can_be_merged_into_one(
    form: IncidentForm, ctx: Any, duty: Actor, tmp_path: Path
) -> None:
    existing = report_existing(ctx, duty)
    form.addFiles([png(tmp_path / "现场.png")])
    fill(form)
    before = incident_count(ctx)
    form.save()
    assert form.isVisible() and incident_count(ctx) == before
    assert form.duplicate_box.isVisible() and form.duplicates.count() == 1
    text = form.duplicates.item(0).text()
    assert existing.case_no in text and "相似度" in text and "同一地点" in text
    form.mergeIntoSelected()
    assert not form.isVisible()
    dup = ctx.incidents.get(duty, form.created_id)
    assert dup.state is IncidentState.MERGED and dup.merged_into_id == existing.id
    kinds = [e.kind for e in ctx.incidents.history(duty, existing.id)]
    assert kinds[-1] == "merged_in"
    assert [a.original_name for a in ctx.incidents.attachments(duty, existing.id)] == ["现场.png"]
    assert form.summary().endswith(f"合并到 {existing.case_no}")


def test_create_anyway_keeps_a_separate_case_after_the_duplicates_were_shown(
    form: IncidentForm, ctx: Any, duty: Actor
) -> None:
    existing = report_existing(ctx, duty)
    fill(form)
    form.save()
    assert form.duplicates.count() == 1
    form.createAnyway()
    assert ctx.incidents.get(duty, form.created_id).state is IncidentState.REPORTED
    assert form.created_id != existing.id


def test_saving_twice_does_not_ask_again_about_the_same_draft(
    form: IncidentForm, ctx: Any, duty: Actor
) -> None:
    report_existing(ctx, duty)
    fill(form)
    form.save()
    form.save()  # the officer looked at the list and saves again: a separate case
    assert form.created_id is not None


def snapshot(ctx: Any, actor: Actor) -> Any:
    cam = next(c for c in ctx.video.cameras.cameras(actor) if c.area_id is not None)
    path = png(ctx.video.evidence.new_path(cam.national_code, EvidenceKind.SNAPSHOT), 120)
    return ctx.video.evidence.add(actor, cam.id, EvidenceKind.SNAPSHOT, path, "占道")


def test_new_incident_from_evidence_prefills_video_patrol_and_marks_the_evidence_attached(
    qtbot: QtBot, ctx: Any, duty: Actor
) -> None:
    item = snapshot(ctx, duty)
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    page.show()
    form = page.new_incident_from_evidence(item.id)
    assert form is not None and form.isVisible()
    qtbot.waitUntil(lambda: form.attachments.pending() != [])
    assert form.channel.currentData() is Channel.VIDEO
    assert form.place.text() == item.camera_place
    assert form.grid.village.currentData() == item.area_code
    pending = form.attachments.pending()
    assert [(p.path, p.evidence_id) for p in pending] == [(item.path, item.id)]
    form.title_edit.setText("菜场门口摊位占道")
    form.description.setPlainText(form.description.toPlainText() + "摊位占道，行人绕行。")
    form.reporter.setText("视频巡查员")
    form.save()  # the category was never chosen: nothing is guessed for the officer
    assert "请选择事件类别和小类" in form.error.text() and form.created_id is None
    form.setCategory("环境卫生", "违章搭建")
    form.setColour(RiskColour.YELLOW)
    form.save()
    incident = ctx.incidents.get(duty, form.created_id)
    assert (incident.category, incident.subcategory) == ("环境卫生", "违章搭建")
    assert incident.channel is Channel.VIDEO
    stored = ctx.incidents.attachments(duty, incident.id)
    assert [a.sha256 for a in stored] == [item.sha256]
    assert ctx.video.evidence.get(duty, item.id).incident_id == incident.id
    assert ctx.video.evidence.unattached(duty) == []
    assert incident.case_no in page.message.text()
    assert page.selectedId() == str(incident.id)


def test_a_tile_from_a_camera_placed_in_a_grid_fills_that_grid(
    qtbot: QtBot, ctx: Any, duty: Actor
) -> None:
    from centre_app.security.actor import SYSTEM_ACTOR
    from centre_app.video.codes import make_camera_code
    from centre_app.video.registry import CameraDraft

    cam = ctx.video.cameras.add(
        SYSTEM_ACTOR,
        CameraDraft(
            national_code=make_camera_code("33032710", 9001),
            name="南门村菜场东门",
            main_url="rtsp://192.0.2.30/main",
            village=GRID,
            site="菜场东门",
        ),
    )
    path = png(ctx.video.evidence.new_path(cam.national_code, EvidenceKind.SNAPSHOT), 120)
    item = ctx.video.evidence.add(duty, cam.id, EvidenceKind.SNAPSHOT, path, "占道")
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    form = page.new_incident_from_evidence(item.id)
    assert form is not None
    qtbot.waitUntil(lambda: form.attachments.pending() != [])
    assert form.grid.gridCode() == GRID and form.grid.village.currentData() == GRID[:12]
    assert form.category.currentIndex() == -1 and form.colour.currentIndex() == -1


def test_a_new_form_presets_nothing_the_officer_did_not_choose(
    form: IncidentForm, ctx: Any
) -> None:
    boxes = (form.channel, form.category, form.subcategory, form.colour)
    assert [b.currentIndex() for b in boxes] == [-1, -1, -1, -1]
    assert form.reporter.text() == "" and form.suggested.text() == ""
    before = incident_count(ctx)
    for choose, message in (
        (lambda: None, "请选择来源渠道"),
        (lambda: form.setChannel(Channel.HOTLINE), "请选择事件类别和小类"),
        (
            lambda: form.category.setCurrentIndex(form.category.findData("矛盾纠纷")),
            "请选择事件类别和小类",
        ),  # the subcategory is not picked for the officer
        (lambda: form.subcategory.setCurrentIndex(0), "请选择风险等级"),
    ):
        choose()
        form.save()
        assert message in form.error.text()
    assert incident_count(ctx) == before


@pytest.mark.parametrize(
    ("category", "subcategory"),
    [
        ("矛盾纠纷", "劳资纠纷"),
        ("矛盾纠纷", "邻里纠纷"),
        ("消防安全", "消防通道堵塞"),
        ("环境卫生", "违章搭建"),
        ("信访问题", "社会保障"),
    ],
)
def test_the_suggested_department_is_the_dispatch_preset(
    qtbot: QtBot, form: IncidentForm, ctx: Any, duty: Actor, category: str, subcategory: str
) -> None:
    fill(form)
    form.setCategory(category, subcategory)
    form.save()
    assert form.created_id is not None, form.error.text()
    suggested_name = form.suggested.text().removeprefix("建议承办：")
    incident = ctx.incidents.act(duty, form.created_id, "accept", seen_state=IncidentState.REPORTED)
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    page.show()
    page.queues.setCurrentRow(list(Queue).index(Queue.OPEN))
    page.refreshQueue()
    row = next(
        r for r in range(page.model.rowCount()) if page.model.row_at(r).case_no == incident.case_no
    )
    page.table.selectRow(row)
    assert page.department.currentText() == suggested_name != ""


def test_the_evidence_picker_lists_the_operators_unattached_items(
    qtbot: QtBot, ctx: Any, duty: Actor
) -> None:
    first, second = snapshot(ctx, duty), snapshot(ctx, duty)
    picker = EvidencePicker(ctx.video.evidence.unattached(duty))
    qtbot.addWidget(picker)
    assert picker.list.count() == 2 and not picker.list.item(0).icon().isNull()
    picker.list.selectAll()
    assert {i.id for i in picker.chosen()} == {first.id, second.id}


def test_an_unknown_evidence_id_is_explained_in_the_form(
    qtbot: QtBot, ctx: Any, duty: Actor
) -> None:
    import uuid

    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    form = page.new_incident_from_evidence(uuid.uuid4())
    assert form is not None
    qtbot.waitUntil(lambda: "找不到该取证材料" in form.error.text())
    assert form.attachments.pending(include_refused=True) == []


class WatchedReads:
    """The store's read, watched: which thread asked, and slow like a clip over the LAN."""

    def __init__(self, files: Any, seconds: float) -> None:
        import threading

        self.threads: list[threading.Thread] = []
        self._find, self._seconds = files.find, seconds
        files.find = self

    def __call__(self, sha256: str, **kwargs: Any) -> Any:
        import threading
        import time

        self.threads.append(threading.current_thread())
        time.sleep(self._seconds)
        return self._find(sha256, **kwargs)


def taken_at_another_desk(ctx: Any, duty: Actor) -> Any:
    """Evidence whose file is only in the centre's store (this desk did not take it)."""
    item = snapshot(ctx, duty)
    item.path.unlink()
    assert not ctx.video.evidence.files.cached_path(item.sha256).exists()
    return item


def test_evidence_another_desk_took_is_read_off_the_gui_thread_while_the_form_stays_usable(
    qtbot: QtBot, ctx: Any, duty: Actor
) -> None:
    import threading

    item = taken_at_another_desk(ctx, duty)
    reads = WatchedReads(ctx.video.evidence.files, 0.5)
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    page.show()
    form = page.new_incident_from_evidence(item.id)
    assert form is not None and form.isVisible()
    assert "正在读取" in form.error.text() and form.attachments.pending() == []
    qtbot.keyClicks(form.title_edit, "A12 stall")  # typing while the file streams in
    save = form.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # now it would lose the evidence
    assert "读完后再保存" in form.error.text() and form.created_id is None
    qtbot.waitUntil(lambda: form.attachments.pending() != [], timeout=5000)
    assert reads.threads and threading.main_thread() not in reads.threads
    assert form.title_edit.text() == "A12 stall" and form.error.text() == ""
    [pending] = form.attachments.pending()
    assert pending.evidence_id == item.id and pending.path.read_bytes() != b""
    assert pending.path == ctx.video.evidence.files.cached_path(item.sha256)


def test_evidence_whose_file_no_desk_holds_is_refused_in_words(
    qtbot: QtBot, ctx: Any, duty: Actor
) -> None:
    from db.models.files import FileChunk, StoredFile

    item = taken_at_another_desk(ctx, duty)
    with ctx.session_factory.begin() as s:  # the store lost it (a restore from old backup)
        s.query(FileChunk).filter_by(sha256=item.sha256).delete()
        s.query(StoredFile).filter_by(sha256=item.sha256).delete()
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    form = page.new_incident_from_evidence(item.id)
    assert form is not None
    qtbot.waitUntil(lambda: "不在中心数据库中" in form.error.text(), timeout=5000)
    assert item.path.name in form.error.text()
    assert form.attachments.pending(include_refused=True) == []


def test_the_evidence_picker_is_filled_off_the_gui_thread(
    qtbot: QtBot, ctx: Any, duty: Actor
) -> None:
    import threading

    item = taken_at_another_desk(ctx, duty)
    reads = WatchedReads(ctx.video.evidence.files, 0.3)
    form = IncidentForm(ctx, duty)
    qtbot.addWidget(form)
    form.show()
    qtbot.mouseClick(form.add_evidence, Qt.MouseButton.LeftButton)
    assert "正在读取" in form.error.text() and not form.add_evidence.isEnabled()
    qtbot.waitUntil(lambda: form.findChild(EvidencePicker, "evidencePicker") is not None)
    picker = form.findChild(EvidencePicker, "evidencePicker")
    assert reads.threads and threading.main_thread() not in reads.threads
    assert picker.list.count() == 1 and form.add_evidence.isEnabled()
    picker.list.selectAll()
    picker.accept()
    assert [p.evidence_id for p in form.attachments.pending()] == [item.id]
