"""The visitor page: this visit with its real waiting and serving times, and the full ID
number and phone shown for a few minutes to someone allowed (audited), masked again after."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.reception.visits import UNMASK_MINUTES, VisitDraft
from db.models import AuditEntry
from db.models.reception import VisitPurpose, VisitRoute
from ui.reception.visitor_dialog import VisitorDialog

pytestmark = pytest.mark.gui

ID_NUMBER = "330327198001011238"
PHONE = "13957700123"


def served_group_visit(ctx: AppContext, clock: ManualClock) -> object:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit = ctx.visits.register(
        clerk,
        VisitDraft(
            visitor_name="金小军",
            id_number=ID_NUMBER,
            phone=PHONE,
            purpose=VisitPurpose.CONSULTATION,
            summary="反映村道施工堵塞出行",
            route=VisitRoute.WINDOW,
            group_size=6,
            service_letter="A",
        ),
    )
    window = next(w.id for w in ctx.hall.windows() if w.number == 1)
    clock.advance(dt.timedelta(minutes=7))
    called = ctx.hall.call_next(clerk, window)
    assert called is not None
    ctx.hall.start(clerk, called.id)
    clock.advance(dt.timedelta(minutes=12))
    ctx.hall.served(clerk, called.id)
    return visit.id


def open_page(qtbot: QtBot, ctx: AppContext, username: str, visit_id: object) -> VisitorDialog:
    dialog = VisitorDialog(ctx, ctx.auth.login(username, DEMO_PASSWORD), visit_id)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.settled)
    return dialog


def test_the_visit_shows_who_came_with_how_many_and_its_real_waiting_and_serving_times(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock
) -> None:
    dialog = open_page(qtbot, ctx, "jiedai", served_group_visit(ctx, clock))
    text = dialog.this_visit.text()
    assert "A001" in text and "已办结" in text and "1 号窗口" in text
    assert "等候 7 分钟" in text and "办理 12 分钟" in text
    assert "一行 6 人（集体访）" in text and "村道施工" in text
    assert ID_NUMBER not in dialog.heading.text() and PHONE not in dialog.heading.text()
    assert not dialog.unmask_button.isVisible()  # a clerk may not see personal data


def test_the_full_numbers_show_for_a_few_minutes_audited_then_masked_again(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock
) -> None:
    dialog = open_page(qtbot, ctx, "zhuren", served_group_visit(ctx, clock))
    masked = dialog.heading.text()
    assert ID_NUMBER not in masked and "1238" in masked
    assert dialog.unmask_button.isVisible()
    qtbot.mouseClick(dialog.unmask_button, Qt.MouseButton.LeftButton)
    shown = dialog.heading.text()
    assert ID_NUMBER in shown and PHONE in shown and "完整号码显示至" in shown
    assert not dialog.unmask_button.isEnabled()
    with ctx.session_factory() as session:
        viewed = session.scalars(
            select(AuditEntry.username).where(AuditEntry.action == "personal_data.view")
        ).all()
    assert viewed == ["zhuren"]
    clock.advance(dt.timedelta(minutes=UNMASK_MINUTES) - dt.timedelta(seconds=5))
    qtbot.wait(1200)  # a tick of the countdown: still shown just before the time is up
    assert ID_NUMBER in dialog.heading.text()
    clock.advance(dt.timedelta(seconds=5))
    qtbot.waitUntil(lambda: ID_NUMBER not in dialog.heading.text(), timeout=3000)
    assert dialog.heading.text() == masked and dialog.unmask_button.isEnabled()
