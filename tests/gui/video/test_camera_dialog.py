"""The camera form shows the registry's refusal in words and saves a valid camera."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget

from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from centre_app.video.codes import make_camera_code
from centre_app.video.csv_import import ImportReport, RejectedLine
from ui.video_wall.camera_dialog import CameraDialog, ImportReportDialog

pytestmark = pytest.mark.gui
OPERATOR = Actor.for_roles(None, "shipin", "视频员", (Role.VIDEO,))


def test_invalid_camera_stays_open_with_the_reason_then_saves(qtbot: Any, ctx: Any) -> None:
    village = ctx.video.cameras.cameras(OPERATOR)[0].village
    dialog = CameraDialog(ctx.video.cameras, OPERATOR, [village])
    qtbot.addWidget(dialog)
    dialog.code.setText("123")
    dialog.name.setText("桥头新装")
    dialog.main_url.setText("http://127.0.0.1:19000/main.ts")
    dialog.save()
    assert dialog.saved is None and "20 位" in dialog.error.text()
    dialog.code.setText(make_camera_code("33032710", 4242))
    dialog.village.setCurrentText(village)
    dialog.save()
    assert dialog.saved is not None and dialog.saved.village == village
    edit = CameraDialog(ctx.video.cameras, OPERATOR, [village], dialog.saved)
    qtbot.addWidget(edit)
    edit.name.setText("桥头新装（改）")
    edit.save()
    assert ctx.video.cameras.get(OPERATOR, dialog.saved.id).name == "桥头新装（改）"


def test_import_report_lists_rejected_lines(qtbot: Any) -> None:
    from centre_app.video.codes import camera_code_problem
    from centre_app.video.csv_import import ValidationError

    problems = (
        camera_code_problem("1"),
        ValidationError("国标编码 {code} 在文件中重复。", code="1"),
    )
    report = ImportReport(3, [RejectedLine(4, "1,2", tuple(p for p in problems if p))])
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    grid = dialog.findChild(QTableWidget)
    assert grid.rowCount() == 1 and grid.item(0, 0).text() == "4"
    assert "20 位" in grid.item(0, 1).text() and "国标编码 1 在文件中重复" in grid.item(0, 1).text()
    assert "导入 3 台摄像机，1 行被拒绝" in dialog.findChild(QLabel).text()
