"""The visitor page reads the person's history on the pool, never on the GUI thread, and
shows only the history asked for last."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot
from sqlalchemy import event
from stdnum.cn import ric

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.reception.visits import VisitDraft
from db.models.reception import VisitPurpose, VisitRoute
from ui.pool_task import _in_flight
from ui.reception.visitor_dialog import VisitorDialog

pytestmark = pytest.mark.gui


def visit_of(ctx: AppContext, name: str, id_number: str = "") -> VisitDraft:
    return VisitDraft(
        visitor_name=name,
        id_number=id_number,
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


def test_a_history_that_arrives_after_a_newer_one_is_dropped(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The person came again while their page was being read: the first, slow read (one
    visit) comes back after the newer one (two visits) and is not shown over it."""
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    body = "33032719800315123"
    id_number = body + ric.calc_check_digit(body + "0")
    visit = ctx.visits.register(clerk, visit_of(ctx, "金小军", id_number))
    history, read = ctx.visits.history, threading.Event()
    release_first = threading.Event()

    def first_read_slow(actor: object, visit_id: object) -> object:
        found = history(actor, visit_id)  # type: ignore[arg-type]
        if not read.is_set():
            read.set()
            assert release_first.wait(5)
        return found

    monkeypatch.setattr(ctx.visits, "history", first_read_slow)
    dialog = VisitorDialog(ctx, clerk, visit.id)
    qtbot.addWidget(dialog)
    assert read.wait(5)  # the first read has the one visit, and waits
    ctx.visits.register(clerk, visit_of(ctx, "金小军", id_number))  # came again
    with qtbot.waitSignal(dialog.loaded):
        dialog.refresh()
    assert dialog.visits.count() == 2 and dialog.settled()
    release_first.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.waitUntil(lambda: not _in_flight)  # the first read came back: dropped
    assert dialog.visits.count() == 2 and dialog.settled()
    assert "金小军" in dialog.heading.text()
