"""The detail pane: header and countdown, readable history, attachments, warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QImage
from pytestqt.qtbot import QtBot

from centre_app.clock import ManualClock
from centre_app.incidents.service import IncidentDraft
from centre_app.security.actor import Actor
from db.models.incidents import Channel, Incident, RiskColour
from ui.incidents.detail import IncidentDetail

pytestmark = pytest.mark.gui


@pytest.fixture
def pane(qtbot: QtBot, ctx: Any, duty: Actor) -> IncidentDetail:
    widget = IncidentDetail(ctx, duty)
    qtbot.addWidget(widget)
    widget.resize(520, 800)
    widget.show()
    return widget


def report(
    ctx: Any,
    actor: Actor,
    title: str = "菜场门口摊贩占道堵消防通道",
    colour: RiskColour = RiskColour.RED,
    people: int = 1,
) -> Incident:
    incident: Incident = ctx.incidents.report(
        actor,
        IncidentDraft(
            channel=Channel.GRID_WORKER,
            category="消防安全",
            subcategory="消防通道堵塞",
            colour=colour,
            grid_code="330327102201003",
            place="南门村菜场东门",
            title=title,
            description="早市摊贩占用消防通道，救护车进不去。",
            reporter="李网格",
            people_involved=people,
        ),
    )
    return incident


def png(path: Path, colour: str = "#aa3333") -> Path:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


def test_the_header_counts_down_and_turns_red_when_overdue(
    pane: IncidentDetail, ctx: Any, duty: Actor, clock: ManualClock
) -> None:
    incident = report(ctx, duty)  # 消防安全 red: 8 hours from acceptance
    pane.showIncident(incident.id)
    assert (pane.case_no.text(), pane.chip.text(), pane.state.text()) == (
        incident.case_no,
        "红",
        "待分流",
    )
    assert pane.chip.property("colour") == "red"
    assert pane.countdown.text() == "未开始计时"
    ctx.incidents.act(duty, incident.id, "accept", seen_state=incident.state)
    clock.advance(dt.timedelta(hours=5))
    pane.showIncident(incident.id)
    assert pane.countdown.text() == "剩 3小时" and pane.countdown.property("overdue") is False
    clock.advance(dt.timedelta(days=2, hours=4))
    pane.showIncident(incident.id)
    assert pane.countdown.text() == "超期 2天" and pane.countdown.property("overdue") is True


def test_fields_show_grid_department_and_people_in_words(
    pane: IncidentDetail, ctx: Any, duty: Actor
) -> None:
    incident = report(ctx, duty, people=3)
    pane.showIncident(incident.id)
    assert pane.title.text() == incident.title
    assert pane.fields["channel"].text() == "网格员上报"
    assert pane.fields["category"].text() == "消防安全 / 消防通道堵塞"
    assert pane.fields["grid"].text() == "南门村第3网格（330327102201003）"
    assert pane.fields["people"].text() == "3"
    assert pane.fields["department"].text() == "未派遣"


def test_the_history_reads_as_who_did_what_and_why_oldest_first(
    pane: IncidentDetail, ctx: Any, duty: Actor
) -> None:
    incident = report(ctx, duty, colour=RiskColour.GREEN)
    ctx.incidents.set_colour(duty, incident.id, RiskColour.YELLOW, "涉及消防通道")
    ctx.incidents.act(
        duty, incident.id, "reject", seen_state=incident.state, note="已由城管当场处理"
    )
    pane.showIncident(incident.id)
    lines = [pane.history.item(i).text() for i in range(pane.history.count())]
    assert "王晓燕  上报（绿色）" in lines[0]
    assert "调整风险等级 → 黄色" in lines[1] and "涉及消防通道" in lines[1]
    assert "不予受理（转为“不予受理”）" in lines[2] and "已由城管当场处理" in lines[2]
    assert pane.countdown.text() == ""


def test_merges_show_in_both_histories_with_case_numbers(
    pane: IncidentDetail, ctx: Any, duty: Actor
) -> None:
    first = report(ctx, duty)
    second = report(ctx, duty, title="菜场东门摊位堵住消防通道")
    ctx.incidents.merge(duty, second.id, first.id, "同一摊位")
    pane.showIncident(first.id)
    assert f"合并了重复上报 {second.case_no}" in pane.history.item(pane.history.count() - 1).text()
    pane.showIncident(second.id)
    last = pane.history.item(pane.history.count() - 1).text()
    assert f"合并到 {first.case_no}（转为“已合并”）" in last and "同一摊位" in last


def test_possible_duplicates_show_in_an_amber_banner_with_the_reason(
    pane: IncidentDetail, ctx: Any, duty: Actor
) -> None:
    first = report(ctx, duty)
    second = report(ctx, duty, title="菜场东门摊位堵住消防通道")
    pane.showIncident(second.id)
    assert pane.banner.isVisible() and pane.banner.property("kind") == "duplicate"
    text = pane.banner.text()
    assert f"可能重复：{first.case_no}" in text and "同一地点" in text and "相似度" in text


def test_a_group_event_warning_shows_in_a_red_banner(
    pane: IncidentDetail, ctx: Any, duty: Actor
) -> None:
    incident = report(ctx, duty, colour=RiskColour.GREEN, people=25)
    pane.showIncident(incident.id)
    assert pane.banner.property("kind") == "group"
    assert "群体性事件预警：涉及 25 人" in pane.banner.text()
    assert pane.chip.text() == "红"


class Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_attachments_show_thumbnails_open_on_double_click_and_can_be_added(
    qtbot: QtBot, pane: IncidentDetail, ctx: Any, duty: Actor, tmp_path: Path
) -> None:
    incident = report(ctx, duty)
    ctx.incidents.attach(duty, incident.id, png(tmp_path / "现场.png"))
    pane.showIncident(incident.id)
    assert pane.attachments.count() == 1
    item = pane.attachments.item(0)
    assert item.text() == "现场.png" and not item.icon().isNull()

    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        rect = pane.attachments.visualItemRect(item)
        # QTest's double click carries no press of its own: press first, as a mouse does.
        qtbot.mouseClick(pane.attachments.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(pane.attachments.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    finally:
        QDesktopServices.unsetUrlHandler("file")
    stored = ctx.incidents.attachment_path(ctx.incidents.attachments(duty, incident.id)[0])
    assert [u.toLocalFile() for u in opened.urls] == [str(stored)]

    bad = tmp_path / "伪装.png"
    bad.write_text("not a picture")
    with qtbot.waitSignal(pane.attachmentAdded):
        pane.addAttachments([png(tmp_path / "补拍.png", "#3333aa"), bad])
    assert [pane.attachments.item(i).text() for i in range(pane.attachments.count())] == [
        "现场.png",
        "补拍.png",
    ]
    assert "不是可接受的类型" in pane.message.text()
    assert "添加附件 补拍.png" in pane.history.item(pane.history.count() - 1).text()


def test_an_empty_queue_leaves_the_pane_blank(pane: IncidentDetail) -> None:
    pane.showIncident(None)
    assert pane.title.text() == "此队列中没有事件"
    assert pane.history.count() == 0 and not pane.add_button.isEnabled()
