"""The case page in English: a state reads as a state (Withdrawn), the button that records
it as a command (Withdraw), and a refused move names the action in a sentence of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from db.models.mediation import CaseState
from tests.unit.mediation.conftest import Centre
from ui.app import install_translations
from ui.mediation.cases_page import CasesPage


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    translators = install_translations(qapp, "en")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def test_states_and_outcome_buttons_read_differently_in_english(
    qtbot: QtBot, centre: Centre, english: None
) -> None:
    case = centre.case("张三", "李四", "劳资纠纷")
    page = CasesPage(centre.ctx, centre.clerk)
    qtbot.addWidget(page)
    page.show()
    states = [page.state.itemText(i) for i in range(page.state.count())]
    assert states[1:] == [
        "Accepted",
        "In mediation",
        "Agreement reached",
        "No agreement",
        "Referred to court",
        "Judicial confirmation applied for",
        "Withdrawn",
    ]
    assert [page.buttons[s].text() for s in page.buttons] == [
        "Record agreement",
        "Record no agreement",
        "Refer to court",
        "Apply for judicial confirmation",
        "Withdraw",
    ]
    page.table.selectRow(0)
    # The button is not offered for an accepted case; the service's refusal still reads
    # in English when the outcome is asked for anyway.
    assert not page.buttons[CaseState.LITIGATION].isEnabled()
    page.recordOutcome(CaseState.LITIGATION)
    case_no = centre.svc.case(centre.clerk, case).case_no
    assert (
        page.error.text()
        == f"Mediation case {case_no} is “Accepted”; it cannot be referred to court"
    )
    QTest.mouseClick(page.buttons[CaseState.WITHDRAWN], Qt.MouseButton.LeftButton)
    assert page.error.text() == ""
    assert page.model.data(page.model.index(0, 3)) == "Withdrawn"
    assert "State: Withdrawn" in page.detail.text()
