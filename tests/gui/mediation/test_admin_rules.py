"""The refuse-or-warn setting from the screen, and a drag past closing time in warn mode:
the clerk is asked and the move happens only on yes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from centre_app.clock import ManualClock
from centre_app.settings import Key
from tests.gui.mediation.test_calendar import column_of, drag, open_page, view_of
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.admin_rules import RulesDialog
from ui.mediation.page import ViewMode


def answer_box(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Answer the confirmation box once it is up (it runs its own event loop)."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(20, answer)


def test_the_head_switches_to_warn_on_the_rules_screen(qtbot: QtBot, centre: Centre) -> None:
    dialog = RulesDialog(centre.ctx, centre.head)
    qtbot.addWidget(dialog)
    dialog.mode.setCurrentIndex(1)
    dialog.saveRules()
    assert centre.ctx.settings.get(Key.MEDIATION_SOFT_RULES) == "warn"
    clerk_view = RulesDialog(centre.ctx, centre.clerk)
    qtbot.addWidget(clerk_view)
    assert not clerk_view.mode.isEnabled()
    assert clerk_view.mode.currentIndex() == 1


def test_in_warn_mode_a_drag_past_closing_time_is_asked_and_moved_only_on_yes(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    centre.ctx.settings.set(centre.head, Key.MEDIATION_SOFT_RULES, "warn")
    moving = centre.book("劳动争议调解室", "09:00", "10:00")
    page = open_page(qtbot, centre, clock, ViewMode.DAY)
    grid = page.grid
    target = grid.point_for(column_of(grid, "劳动争议调解室"), dt.time(17, 15))
    seen: list[str] = []
    answer_box(QMessageBox.StandardButton.No, seen)
    block = grid.block_rects(view_of(page, "黄建平"))[0]
    drag(qtbot, page, block.center().toPoint(), target)
    assert seen == [
        "劳动争议调解室 的开放时间是 08:30–17:30，16:45–17:45 超出了开放时间\n\n仍然预约吗？"
    ]
    assert page.status.text() == "未调整"
    [kept] = [s for s in page.sessions if s.id == moving]
    assert kept.starts_at == at(MONDAY, "09:00")
    answer_box(QMessageBox.StandardButton.Yes, seen)
    block = grid.block_rects(view_of(page, "黄建平"))[0]
    drag(qtbot, page, block.center().toPoint(), target)
    qtbot.waitUntil(lambda: any(s.starts_at == at(MONDAY, "16:45") for s in page.sessions))
    assert len(seen) == 2
