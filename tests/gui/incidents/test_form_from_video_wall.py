"""The main window routes the video wall's 从画面创建事件 to the incident form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from centre_app.demo import DEMO_PASSWORD
from db.models import EvidenceKind
from db.models.incidents import Channel
from ui.incidents.page import IncidentsPage
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_the_walls_create_incident_request_opens_the_prefilled_form_on_the_incidents_page(
    qtbot: QtBot, ctx: Any
) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    cam = next(c for c in ctx.video.cameras.cameras(duty) if c.area_id is not None)
    path: Path = ctx.video.evidence.new_path(cam.national_code, EvidenceKind.SNAPSHOT)
    image = QImage(80, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#888888"))
    assert image.save(str(path))
    item = ctx.video.evidence.add(duty, cam.id, EvidenceKind.SNAPSHOT, path)

    window = MainWindow(ctx, duty)
    qtbot.addWidget(window)
    window.show()
    window.showWorkspace("video_wall")
    wall = window.pages["video_wall"]
    assert hasattr(wall, "createIncidentRequested"), "the video wall page did not open"
    wall.createIncidentRequested.emit(item.id)

    assert window.currentWorkspace() == "incidents"
    page = window.pages["incidents"]
    assert isinstance(page, IncidentsPage)
    form = page.form
    assert form.isVisible()  # at once; filled when the evidence has been read
    qtbot.waitUntil(lambda: form.attachments.pending() != [])
    assert form.channel.currentData() is Channel.VIDEO
    assert form.place.text() == item.camera_place
    assert [p.evidence_id for p in form.attachments.pending()] == [item.id]
    form.close()
    window.close()
