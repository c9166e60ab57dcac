"""The centre's database server stopped while a duty officer fills in a new case: saving
says so in words and keeps the form open with everything typed, nothing is half-saved, the
status bar says the server is gone and clears by itself once it is back, and the same
save then works once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from db.models.incidents import Channel, Incident, RiskColour
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration

GRID = "330327102201003"
TITLE = "南门村菜场门口占道经营"


def _cases_titled(ctx: AppContext, title: str) -> int:
    with ctx.session_factory() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Incident).where(Incident.title == title)
            )
            or 0
        )


def test_a_save_while_the_server_is_down_keeps_the_form_and_works_once_it_is_back(
    qtbot: QtBot, postgres: PostgresCluster, seeded_centre: Callable[[], str]
) -> None:
    from ui.incidents.form import IncidentForm
    from ui.main_window import MainWindow

    ctx = AppContext.open(seeded_centre(), seed_demo=False)
    halted = False
    try:
        duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
        window = MainWindow(ctx, duty)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        banner = window.centre_link
        assert not banner.isVisible()

        form = IncidentForm(ctx, duty, window)
        qtbot.addWidget(form)
        form.show()
        form.setChannel(Channel.GRID_WORKER)
        form.setColour(RiskColour.GREEN)
        form.setCategory("消防安全", "消防通道堵塞")
        assert form.grid.setGridCode(GRID)
        typed = {
            form.title_edit: TITLE,
            form.place: "南门村菜场东门",
            form.people: "2",
            form.reporter: "李网格",
            form.phone: "13905771234",
        }
        for field, value in typed.items():
            field.clear()
            if value.isascii():
                qtbot.keyClicks(field, value)
            else:  # QTest types ASCII only; the Chinese comes as an input method commits it
                field.insert(value)
        form.description.insertPlainText("早市摊贩占用消防通道，车辆无法通行。")
        save = form.buttons.button(QDialogButtonBox.StandardButton.Save)

        postgres.halt()
        halted = True
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

        assert form.isVisible()  # refused, not closed
        assert "无法连接中心数据库服务器" in form.error.text()
        assert "未保存" in form.error.text()
        assert {field: field.text() for field in typed} == typed
        assert form.description.toPlainText() == "早市摊贩占用消防通道，车辆无法通行。"
        qtbot.waitUntil(banner.isVisible, timeout=5000)
        assert "中心数据库服务器连接中断" in banner.text()
        assert not ctx.connection.up

        postgres.resume()
        halted = False
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=15_000)
        assert ctx.connection.up
        assert _cases_titled(ctx, TITLE) == 0  # nothing of the refused save was kept

        with qtbot.waitSignal(form.incidentCreated, timeout=10_000):
            qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        assert _cases_titled(ctx, TITLE) == 1
        window.close()
    finally:
        if halted:  # the session's cluster: the next tests find it running
            postgres.resume()
        ctx.close()
