"""The case list filters by state; a case goes from intake through two held sessions to an
agreement recorded on its page, and a refusal is shown in words."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTabWidget
from pytestqt.qtbot import QtBot

from centre_app.clock import ManualClock
from db.models.mediation import CaseState, SessionStatus
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.cases_page import CasesPage
from ui.mediation.page import build_mediation_page


def test_a_case_goes_through_two_sessions_to_an_agreement_on_its_page(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    case = centre.case("张三", "李四", "劳资纠纷")
    other = centre.case("王五", "赵六", "邻里纠纷")
    first = centre.book("劳动争议调解室", "09:00", "10:00", case_id=case)
    second = centre.book(
        "劳动争议调解室", "09:00", "10:00", case_id=case, day=MONDAY + dt.timedelta(days=1)
    )
    clock.set(at(MONDAY + dt.timedelta(days=1), "11:00"))
    page = CasesPage(centre.ctx, centre.clerk)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    assert page.model.rowCount() == 2
    page.state.setCurrentIndex(page.state.findData(CaseState.IN_MEDIATION))
    assert page.model.rowCount() == 1 and page.model.row_at(0).id == case
    page.table.selectRow(0)
    assert "张三诉李四（劳资纠纷）" in page.detail.text()
    QTest.mouseClick(page.buttons[CaseState.SUCCEEDED], Qt.MouseButton.LeftButton)
    assert page.error.text() == "调解成功须填写调解协议内容"
    for held in (first, second):
        centre.svc.set_status(centre.clerk, held, SessionStatus.HELD)
    page.agreement.insertPlainText("李四于月底前支付工资 8000 元")  # QTest types ASCII only
    QTest.keyClicks(page.amount, "8000")
    QTest.mouseClick(page.buttons[CaseState.SUCCEEDED], Qt.MouseButton.LeftButton)
    assert page.error.text() == ""
    assert centre.svc.case(centre.clerk, case).state is CaseState.SUCCEEDED
    assert "支付工资 8000 元" in page.detail.text()
    assert [page.sessions.item(i).text().endswith("已举行") for i in range(2)] == [True, True]
    assert page.model.rowCount() == 0  # no longer 调解中
    assert other


def test_the_workspace_holds_the_calendar_and_the_cases(qtbot: QtBot, centre: Centre) -> None:
    tabs = build_mediation_page(centre.ctx, centre.clerk, None)
    qtbot.addWidget(tabs)
    assert isinstance(tabs, QTabWidget) and tabs.count() == 2


def test_only_the_outcomes_the_cases_state_allows_can_be_pressed(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    """Every outcome button was enabled: with no case chosen it did nothing, and on a case
    already settled it only led to a refusal."""
    case = centre.case("张三", "李四", "劳资纠纷")
    held = centre.book("劳动争议调解室", "09:00", "10:00", case_id=case)
    clock.set(at(MONDAY, "11:00"))
    centre.svc.set_status(centre.clerk, held, SessionStatus.HELD)
    page = CasesPage(centre.ctx, centre.clerk)
    qtbot.addWidget(page)
    page.show()
    assert not any(b.isEnabled() for b in page.buttons.values())
    assert not page.agreement.isEnabled()
    page.table.selectRow(0)
    assert all(b.isEnabled() for b in page.buttons.values()) is False
    enabled = {s for s, b in page.buttons.items() if b.isEnabled()}
    assert enabled == {
        CaseState.SUCCEEDED,
        CaseState.FAILED,
        CaseState.LITIGATION,
        CaseState.WITHDRAWN,
    }
    page.agreement.insertPlainText("李四于月底前支付工资")
    QTest.mouseClick(page.buttons[CaseState.SUCCEEDED], Qt.MouseButton.LeftButton)
    assert centre.svc.case(centre.clerk, case).state is CaseState.SUCCEEDED
    enabled = {s for s, b in page.buttons.items() if b.isEnabled()}
    assert enabled == {CaseState.JUDICIAL_CONFIRMATION}
    assert not page.agreement.isEnabled()
