"""The page opens before the queues are counted (the counts come from a pool thread), and
the colour chip and deadline countdown are painted by delegates."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import QUEUE_LABELS, Queue
from centre_app.incidents.service import IncidentDraft
from db.models.incidents import Channel, RiskColour
from ui.incidents.delegates import DeadlineDelegate, deadline_text
from ui.incidents.page import IncidentsPage
from ui.incidents.queue_model import COL_DEADLINE, COLOURS, OVERDUE

pytestmark = pytest.mark.gui
NOW = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)


def test_deadline_text() -> None:
    assert deadline_text(None, NOW) == ("", False)
    assert deadline_text(NOW + dt.timedelta(hours=3, minutes=20), NOW) == ("剩 3小时", False)
    assert deadline_text(NOW + dt.timedelta(minutes=25), NOW) == ("剩 25分钟", False)
    assert deadline_text(NOW - dt.timedelta(days=2, hours=5), NOW) == ("超期 2天", True)


def test_page_opens_before_the_counts_and_shows_them_when_they_arrive(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    real_counts = ctx.incident_queries.counts_by_queue
    expected = real_counts(duty)
    release = threading.Event()
    threads: list[threading.Thread] = []

    def slow_counts(actor: object) -> dict[Queue, int]:
        threads.append(threading.current_thread())
        release.wait(10)  # a 1M-row count: the page must not wait for it
        return real_counts(duty)

    monkeypatch.setattr(ctx.incident_queries, "counts_by_queue", slow_counts)
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    # Built and showing its queue while the count is still blocked.
    assert page.queues.item(0).text() == QUEUE_LABELS[Queue.UNTRIAGED]
    assert page.model.rowCount() == expected[Queue.UNTRIAGED]
    with qtbot.waitSignal(page.countsLoaded, timeout=5000):
        release.set()
    assert threads and all(t is not threading.main_thread() for t in threads)
    for row, queue in enumerate(Queue):
        assert page.queues.item(row).text() == f"{QUEUE_LABELS[queue]}  {expected[queue]}"


def test_colour_chip_and_overdue_countdown_are_painted(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock
) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    incident = ctx.incidents.report(
        duty,
        IncidentDraft(
            channel=Channel.HOTLINE,
            category="矛盾纠纷",
            subcategory="劳资纠纷",
            colour=RiskColour.RED,
            grid_code="330327102001002",
            place="金乡镇工业区某服装厂",
            title="工人反映被拖欠工资",
            description="来电反映某服装厂拖欠 6 名工人工资三个月。",
            reporter="来电人王某",
            people_involved=6,
        ),
    )
    incident = ctx.incidents.act(duty, incident.id, "accept", seen_state=incident.state)
    assert incident.deadline is not None
    clock.set(incident.deadline + dt.timedelta(days=2, hours=1))
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    qtbot.waitExposed(page)
    page.queues.setCurrentRow(list(Queue).index(Queue.DUE))
    row = next(
        r for r in range(page.model.rowCount()) if page.model.row_at(r).case_no == incident.case_no
    )
    page.selectRow(row + 1 if row + 1 < page.model.rowCount() else max(row - 1, 0))
    page.table.scrollTo(page.model.index(row, 0))

    chip = page.model.index(row, 0)
    rect = page.table.visualRect(chip)
    image = page.table.viewport().grab().toImage()
    assert image.pixelColor(rect.center()).name() == COLOURS[RiskColour.RED].name()
    # A chip, not a filled cell: the cell's top edge shows the table, not the colour.
    edge = rect.center()
    edge.setY(rect.top() + 1)
    assert image.pixelColor(edge).name() != COLOURS[RiskColour.RED].name()

    delegate = page.table.itemDelegateForColumn(COL_DEADLINE)
    assert isinstance(delegate, DeadlineDelegate)
    option = QStyleOptionViewItem()
    index = page.model.index(row, COL_DEADLINE)
    assert index != QModelIndex()
    delegate.initStyleOption(option, index)
    assert option.text == "超期 2天"
    assert option.palette.color(option.palette.ColorRole.Text) == OVERDUE
    assert option.font.bold()
