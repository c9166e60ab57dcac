"""The hall display: a call at a window shows on the board, flashes and is announced."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.reception.visits import VisitDraft
from db.models.reception import VisitPurpose, VisitRoute
from ui.reception.hall_display import HallDisplay

SHOTS = Path("/tmp/h4")


def test_a_call_from_another_window_shows_flashes_and_is_announced(
    qtbot: QtBot, ctx: AppContext
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    for name in ("郑美玲", "李建华", "王晓燕"):
        ctx.visits.register(
            clerk,
            VisitDraft(
                visitor_name=name,
                id_number="",
                phone="",
                purpose=VisitPurpose.PETITION,
                summary="反映征地补偿",
                route=VisitRoute.WINDOW,
                service_letter="B",
            ),
        )
    display = HallDisplay(ctx, speak_calls=False)
    qtbot.addWidget(display)
    display.resize(1600, 900)
    display.show()
    third = next(w.id for w in ctx.hall.windows() if w.number == 3)
    with qtbot.waitSignal(display.callAnnounced, timeout=5000) as announced:
        ctx.hall.call_next(clerk, third)
        display.refresh()
    assert announced.args == ["请 B 零 零 一 号到 3 号窗口"]
    assert display.banner.text() == "请 B001 号到 3 号窗口"
    assert display.banner.property("flash") == "true"
    qtbot.waitUntil(lambda: "B001" in display._window_labels[3].text())
    assert "B 信访接待：2 人" in display.waiting.text()
    SHOTS.mkdir(exist_ok=True)
    display.grab().save(str(SHOTS / "hall_display.png"))
    display.close()
    qtbot.waitUntil(lambda: not display._reading)  # no read left to land on a closed widget


def test_the_reception_page_opens_the_hall_display_full_screen(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from PySide6.QtCore import Qt

    from ui.reception.page import ReceptionPage

    page = ReceptionPage(ctx, ctx.auth.login("jiedai", DEMO_PASSWORD))
    qtbot.addWidget(page)
    qtbot.mouseClick(page.display_button, Qt.MouseButton.LeftButton)
    display = page.hall_display
    assert display is not None
    qtbot.addWidget(display)
    qtbot.waitUntil(display.isVisible)
    assert display.isFullScreen()
    display.close()
    qtbot.waitUntil(lambda: not display._reading)
