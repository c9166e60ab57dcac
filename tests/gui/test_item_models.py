"""Every item model in ui/ passes Qt's model tester (pytest-qt's qtmodeltester) with demo data
loaded, and keeps passing while it changes (the tester stays attached and checks the
signals of each later reset, insertion and removal)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from PySide6.QtCore import QAbstractItemModel, QThreadPool
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

import ui
from bench.incidents import generate
from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import Queue, QueueFilter, SortKey
from ui.incidents import queue_model
from ui.incidents.queue_model import WINDOW, QueueModel
from ui.mediation.cases_page import CasesModel
from ui.reception.petitions_model import DeadlinesModel, PetitionsModel
from ui.reception.visits_model import VisitsModel
from ui.rows_model import RowsModel
from ui.video_wall.camera_tree import CameraTreeModel

pytestmark = pytest.mark.gui

CHECKED: set[type[QAbstractItemModel]] = {
    QueueModel,
    VisitsModel,
    CameraTreeModel,
    CasesModel,
    PetitionsModel,
    DeadlinesModel,
}
BASES: set[type[QAbstractItemModel]] = {RowsModel}  # abstract: checked through its subclasses


def test_every_item_model_in_ui_is_checked_here() -> None:
    found: set[type[QAbstractItemModel]] = set()
    for module in pkgutil.walk_packages(ui.__path__, "ui."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, QAbstractItemModel) and cls.__module__.startswith("ui."):
                found.add(cls)
    assert found - BASES == CHECKED, "add a qtmodeltester test for each new model"


def test_the_incident_queue_model(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    ctx: AppContext,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    generate(ctx, 2 * WINDOW + 50, now=clock.now())  # more rows than one window
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    model = QueueModel(ctx, duty)
    model.setFilter(QueueFilter(queue=Queue.ALL))
    assert model.rowCount() > 2 * WINDOW
    qtmodeltester.check(model, force_py=True)  # Python's tester reads every row and role
    # From here on the tester checks the model after each change.
    model.sortBy(SortKey.CASE_NO, descending=True)
    model.setFilter(QueueFilter(queue=Queue.OPEN))
    # A count that arrives later inserts rows.
    monkeypatch.setattr(queue_model, "COUNT_LATER_ABOVE", 100)
    with qtbot.waitSignal(model.rowsInserted, timeout=20_000):
        model.setFilter(QueueFilter(queue=Queue.ALL, search=ctx.township_code))
    QThreadPool.globalInstance().waitForDone()
    model.setFilter(QueueFilter(queue=Queue.ALL, search="没有这样的案件"))
    assert model.rowCount() == 0


def test_the_visit_register_model(qtmodeltester: ModelTester, ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    rows = ctx.visits.recent(clerk, limit=500)
    assert rows
    model = VisitsModel()
    model.setRows(rows)
    qtmodeltester.check(model, force_py=True)
    model.setRows(rows[:1])
    model.setRows([])
    model.setRows(rows)


def test_the_camera_tree_model(qtmodeltester: ModelTester, ctx: AppContext) -> None:
    viewer = ctx.auth.login("shipin", DEMO_PASSWORD)
    tree = ctx.video.cameras.tree(viewer)
    model = CameraTreeModel(tree)
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    model.reset_tree(type(tree)("全部摄像机"))  # nothing left
    assert model.rowCount() == 0
    model.reset_tree(tree)


def test_the_mediation_case_list_model(
    qtmodeltester: ModelTester, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from centre_app.mediation.cases import CaseFilter
    from ui.mediation import cases_page

    monkeypatch.setattr(cases_page, "WINDOW", 2)  # several windows of the demo's cases
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    where = [CaseFilter()]
    model = CasesModel(
        lambda after: ctx.mediation_cases.window(head, where[0], after=after, limit=2)
    )
    total = len(ctx.mediation_cases.window(head, CaseFilter(), limit=10_000))
    assert total >= 2
    model.reload()
    assert model.rowCount() == 2 and model.canFetchMore()
    while model.canFetchMore():  # before the tester connects: it fetches more itself on
        model.fetchMore()  # every insert, nesting an insert inside this one's signal
    assert model.rowCount() == total
    qtmodeltester.check(model, force_py=True)
    where[0] = CaseFilter(month="1999-01")  # nothing
    model.reload()
    assert model.rowCount() == 0


def test_the_petition_list_and_deadline_models(
    qtmodeltester: ModelTester,
    ctx: AppContext,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime as dt

    from centre_app.clock import to_local
    from centre_app.reception.petitions import (
        PetitionDraft,
        PetitionRow,
        deadlines,
        running_deadline,
    )
    from db.models.reception import PetitionChannel
    from ui.reception import petitions_model

    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    for n in range(5):
        pid = ctx.petitions.register(
            clerk,
            PetitionDraft(PetitionChannel.LETTER, "王李张刘陈"[n] + "晓燕", "", "", "反映问题"),
        ).id
        if n % 2:
            ctx.petitions.decide(clerk, pid, accept=True, notice="受理", handling_body="信访办")
    clock.advance(dt.timedelta(days=20))
    monkeypatch.setattr(petitions_model, "WINDOW", 2)  # several windows of petitions
    model = PetitionsModel()

    def fetch(after: tuple[dt.date, str] | None) -> list[PetitionRow]:
        return ctx.petitions.window(clerk, after=after, limit=2)

    model.reload(fetch(None), fetch)
    assert model.canFetchMore()
    while model.canFetchMore():  # before the tester connects (see the case list above)
        model.fetchMore()
    assert model.rowCount() == len(ctx.petitions.window(clerk, limit=10_000)) >= 5
    qtmodeltester.check(model, force_py=True)
    model.reload(ctx.petitions.open_list(clerk, overdue_only=True))
    model.reload([])
    petition = ctx.petitions.get(clerk, pid)
    today = to_local(clock.now()).date()
    deadlines_model = DeadlinesModel()
    deadlines_model.setRows(deadlines(petition), today, running_deadline(petition))
    qtmodeltester.check(deadlines_model, force_py=True)
    deadlines_model.setRows([], today, None)
