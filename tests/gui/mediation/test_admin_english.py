"""The management screens in English show no Chinese that is not data: rooms, mediators,
the duty rota (with a previewed and a booked series on screen), the booking rules and the
working days (a known and an unknown year)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from centre_app.clock import ManualClock
from centre_app.mediation.rota import SeriesDraft
from tests.gui.test_english import chinese_left, english
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.admin_mediators import MediatorsDialog
from ui.mediation.admin_rooms import RoomsDialog
from ui.mediation.admin_rota import RotaDialog
from ui.mediation.admin_rules import RulesDialog
from ui.mediation.admin_working_days import WorkingDaysDialog
from ui.mediation.page import MediationPage

__all__ = ["english"]


def test_the_management_screens_in_english_show_only_data_in_chinese(
    qtbot: QtBot, centre: Centre, clock: ManualClock, english: None
) -> None:
    clock.set(at(MONDAY, "08:00"))
    centre.book("法律援助服务室", "10:00", "11:00", day=dt.date(2026, 12, 1), mediators=("潘丽华",))
    centre.ctx.mediation_rota.book_series(
        centre.clerk,
        SeriesDraft(
            centre.rooms["劳动争议调解室"],
            [centre.mediators["黄建平"]],
            "FREQ=WEEKLY;BYDAY=TU;COUNT=3",
            dt.datetime(2026, 11, 24, 9, 0),
            60,
            "Duty",
        ),
    )
    found: set[tuple[str, str]] = set()
    ctx = centre.ctx
    page = MediationPage(ctx, centre.head)
    qtbot.addWidget(page)
    found |= chinese_left("admin button", page.admin, ctx)
    for cls in (RoomsDialog, MediatorsDialog, RulesDialog, WorkingDaysDialog, RotaDialog):
        dialog = cls(ctx, centre.head)
        qtbot.addWidget(dialog)
        dialog.show()
        if isinstance(dialog, RotaDialog):
            dialog.room.setCurrentIndex(dialog.room.findText("法律援助服务室"))
            dialog.mediators.item(0).setCheckState(Qt.CheckState.Checked)
            dialog.first_day.setDate(QDate(2026, 11, 24))
            dialog.weekdays[1].setChecked(True)
            dialog.until.setDate(QDate(2027, 1, 5))
            with qtbot.waitSignal(dialog.previewed, timeout=10000):
                dialog.previewSeries()
        found |= chinese_left(cls.__name__, dialog, ctx)
        if isinstance(dialog, WorkingDaysDialog):
            dialog.year.setValue(2027)
            found |= chinese_left("WorkingDaysDialog 2027", dialog, ctx)
    remaining = sorted(found)
    assert remaining == [], "\n".join(f"{where}: {text!r}" for where, text in remaining)
