"""A case's attachments at a desk that did not add them: the pane opens at once, the picture
arrives from the centre's file store on a worker, a document is fetched when opened; a
file the store no longer has is explained, not raised."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QDesktopServices
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.security.actor import Actor
from db.models import StoredFile
from tests.gui.incidents.test_detail import Opened, png, report
from ui.incidents.attachment_list import THUMB
from ui.incidents.detail import IncidentDetail

pytestmark = pytest.mark.gui


@pytest.fixture
def other_desk(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppContext]:
    """A second desk on the same centre database, with its own data directory (no cache)."""
    monkeypatch.setenv("ZONGZHI_DATA_DIR", str(tmp_path / "desk-2"))
    desk = AppContext.open(str(ctx.engine.url), clock=ctx.clock, seed_demo=False)
    yield desk
    desk.close()


def double_click(qtbot: QtBot, pane: IncidentDetail, row: int) -> None:
    rect = pane.attachments.visualItemRect(pane.attachments.item(row))
    viewport = pane.attachments.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_photo_and_a_document_added_at_one_desk_open_at_another(
    qtbot: QtBot, ctx: Any, other_desk: AppContext, duty: Actor, tmp_path: Path
) -> None:
    incident = report(ctx, duty)
    ctx.incidents.attach(duty, incident.id, png(tmp_path / "现场.png", "#22aa44"))
    document = tmp_path / "笔录.pdf"
    document.write_bytes(b"%PDF-1.4\n% a short statement\n%%EOF\n")
    ctx.incidents.attach(duty, incident.id, document)

    pane = IncidentDetail(other_desk, other_desk.auth.login("zhiban", DEMO_PASSWORD))
    qtbot.addWidget(pane)
    pane.resize(520, 800)
    pane.show()
    pane.showIncident(incident.id)
    assert [pane.attachments.item(i).text() for i in range(2)] == ["现场.png", "笔录.pdf"]

    def photo_shown() -> bool:
        picture = pane.attachments.item(0).icon().pixmap(THUMB).toImage()
        return picture.pixelColor(picture.width() // 2, picture.height() // 2) == QColor("#22aa44")

    qtbot.waitUntil(photo_shown, timeout=5000)  # fetched on a worker, then drawn

    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        double_click(qtbot, pane, 1)
        assert "正在从中心数据库取出" in pane.message.text()
        qtbot.waitUntil(lambda: len(opened.urls) == 1, timeout=5000)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    fetched = Path(opened.urls[0].toLocalFile())
    assert fetched.read_bytes() == document.read_bytes()
    assert fetched.is_relative_to(other_desk.data_dir / "file-cache")
    assert pane.message.text() == ""


def test_a_file_no_desk_has_any_more_is_explained_in_the_pane(
    qtbot: QtBot,
    ctx: Any,
    other_desk: AppContext,
    duty: Actor,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    incident = report(ctx, duty)
    info = ctx.incidents.attach(duty, incident.id, png(tmp_path / "丢失.png"))
    with ctx.session_factory.begin() as session:  # as if stored by an older version, lost
        session.execute(delete(StoredFile).where(StoredFile.sha256 == info.sha256))

    pane = IncidentDetail(other_desk, other_desk.auth.login("zhiban", DEMO_PASSWORD))
    qtbot.addWidget(pane)
    pane.show()
    pane.showIncident(incident.id)  # does not raise: the pane shows the case
    item = pane.attachments.item(0)
    qtbot.waitUntil(lambda: "不在中心数据库中" in item.toolTip(), timeout=5000)
    double_click(qtbot, pane, 0)
    qtbot.waitUntil(lambda: "不在中心数据库中" in pane.message.text(), timeout=5000)
    # A refusal in words is logged as one warning line, not as a failure with a traceback.
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    refused = {r.getMessage() for r in caplog.records if r.levelname == "WARNING"}
    assert any("不在中心数据库中" in m for m in refused), refused
    caplog.clear()
