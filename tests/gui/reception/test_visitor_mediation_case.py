"""From the visitor page a clerk starts a mediation case for the visit with one click; the
page then lists the case with its state, and the button cannot start a second one."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.reception.visits import VisitDraft
from db.models.mediation import CaseState
from db.models.reception import VisitPurpose, VisitRoute
from ui.reception.visitor_dialog import VisitorDialog

pytestmark = pytest.mark.gui


def test_a_clerk_starts_a_mediation_case_from_the_visitor_page(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    visit = ctx.visits.register(
        clerk,
        VisitDraft(
            visitor_name="吴海燕",
            id_number="",
            phone="13957700123",
            purpose=VisitPurpose.DISPUTE,
            summary="邻居加建围墙占用通道",
            route=VisitRoute.WINDOW,
        ),
    )
    dialog = VisitorDialog(ctx, clerk, visit.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.settled)  # the history is read on the pool
    assert dialog.cases.count() == 0 and dialog.start_case.isEnabled()
    dialog.case_category.setFocus()
    qtbot.keyClick(dialog.case_category, Qt.Key.Key_Home)
    qtbot.keyClick(dialog.case_category, Qt.Key.Key_Down)  # 劳资纠纷 → 邻里纠纷
    assert dialog.case_category.currentText() == "邻里纠纷"
    with qtbot.waitSignal(dialog.loaded):
        qtbot.mouseClick(dialog.start_case, Qt.MouseButton.LeftButton)
    assert "已受理调解案件" in dialog.message.text()
    assert dialog.cases.count() == 1
    assert "已受理" in dialog.cases.item(0).text()
    assert not dialog.start_case.isEnabled()
    number, _state = ctx.visits.mediation_state(clerk, visit.id) or ("", None)
    assert dialog.cases.item(0).text().startswith(number)
    # The case moves on at the mediation desk; the visitor page shows its new state.
    with ctx.session_factory() as session:
        from sqlalchemy import select

        from db.models.reception import Visit

        case_id = session.scalar(select(Visit.mediation_case_id).where(Visit.id == visit.id))
    assert case_id is not None
    ctx.mediation.record_outcome(head, case_id, CaseState.WITHDRAWN, note="当事人撤回申请")
    with qtbot.waitSignal(dialog.loaded):
        dialog.refresh()
    assert "撤回" in dialog.cases.item(0).text()
    dialog.grab().save(str(tmp_path / "visitor-mediation-case.png"))
