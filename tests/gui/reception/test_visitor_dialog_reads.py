"""The visitor page reads the person's history on the pool, never on the GUI thread, and
shows only the history asked for last."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.reception.visits import VisitDraft
from db.models.reception import VisitPurpose, VisitRoute
from ui.reception.visitor_dialog import VisitorDialog

pytestmark = pytest.mark.gui


def visit_of(ctx: AppContext, name: str) -> VisitDraft:
    return VisitDraft(
        visitor_name=name,
        id_number="",
        phone="",
        purpose=VisitPurpose.CONSULTATION,
        summary="咨询低保申请材料",
        route=VisitRoute.WINDOW,
    )


def test_the_visitor_history_is_read_off_the_gui_thread(qtbot: QtBot, ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit = ctx.visits.register(clerk, visit_of(ctx, "金小军"))
    threads: list[int] = []

    def before(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM visit" in statement:
            threads.append(threading.get_ident())

    event.listen(ctx.engine, "before_cursor_execute", before)
    try:
        dialog = VisitorDialog(ctx, clerk, visit.id)
        qtbot.addWidget(dialog)
        assert not dialog.start_incident.isEnabled()  # until the history is there
        qtbot.waitUntil(dialog.settled)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", before)
    assert threads and threading.get_ident() not in threads
    assert dialog.visits.count() == 1 and dialog.start_incident.isEnabled()
    assert "金小军" in dialog.heading.text()


def test_a_history_that_arrives_after_a_newer_one_is_dropped(qtbot: QtBot, ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit = ctx.visits.register(clerk, visit_of(ctx, "金小军"))
    other = ctx.visits.history(clerk, ctx.visits.register(clerk, visit_of(ctx, "郑美玲")).id)
    dialog = VisitorDialog(ctx, clerk, visit.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.settled)
    stale = dialog._request
    with qtbot.waitSignal(dialog.loaded):
        dialog.refresh()
    dialog._loaded(stale, other)  # an older read delivered late
    assert "金小军" in dialog.heading.text() and "郑美玲" not in dialog.heading.text()
    assert dialog.settled()
