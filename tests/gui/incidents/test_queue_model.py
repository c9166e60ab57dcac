"""The queue model over many rows: rowCount is the queue's count, and a row is read with its
window only, so the last row costs one query, not every row before it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThreadPool
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from bench.incidents import generate
from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import Queue, QueueFilter, SortKey
from centre_app.security.actor import Actor
from ui.incidents import queue_model
from ui.incidents.queue_model import MAX_WINDOWS, WINDOW, QueueModel, RowRole

pytestmark = pytest.mark.gui


@pytest.fixture
def duty(ctx: AppContext, clock: ManualClock) -> Actor:
    generate(ctx, 2_300, now=clock.now())
    return ctx.auth.login("zhiban", DEMO_PASSWORD)


def _ids_case(ctx: AppContext, duty: Actor) -> str:
    return ctx.incident_queries.rows(duty, QueueFilter(queue=Queue.ALL), offset=7, limit=1)[
        0
    ].case_no


def _ids(ctx: AppContext, duty: Actor, flt: QueueFilter) -> list[str]:
    return [r.id for r in ctx.incident_queries.rows(duty, flt, offset=0, limit=100_000)]


@pytest.mark.parametrize("sort", [SortKey.PRIORITY, SortKey.CASE_NO])
def test_row_count_is_the_count_and_the_last_row_needs_only_the_last_window(
    qtbot: QtBot, ctx: AppContext, duty: Actor, sort: SortKey
) -> None:
    flt = QueueFilter(queue=Queue.ALL, sort=sort, descending=sort is SortKey.CASE_NO)
    model = QueueModel(ctx, duty)
    model.setFilter(flt)
    whole = _ids(ctx, duty, flt)
    assert (
        model.rowCount()
        == model.total
        == ctx.incident_queries.count(duty, flt)
        == len(whole)
        > 5 * WINDOW
    )
    last = model.rowCount() - 1
    assert model.data(model.index(last, 1)) == model.row_at(last).case_no
    assert model.row_at(last).id == whole[-1]
    assert model.queries_run == 2  # the first window (at reset) and the last one
    assert model.rows_loaded == WINDOW + (len(whole) - 1) % WINDOW + 1
    # Scrolling up from the end seeks backwards from the cached window.
    for row in range(last, last - 3 * WINDOW, -17):
        assert model.row_at(row).id == whole[row]
    assert model.queries_run == 5
    # A jump into the middle, far from any cached window, reads that window only.
    middle = len(whole) // 2
    assert [model.row_at(r).id for r in range(middle - 3, middle + 3)] == whole[
        middle - 3 : middle + 3
    ]
    assert model.rows_loaded < len(whole) // 2


def test_every_row_read_in_any_order_matches_the_queue(
    qtbot: QtBot, ctx: AppContext, duty: Actor
) -> None:
    flt = QueueFilter(queue=Queue.OPEN)
    model = QueueModel(ctx, duty)
    model.setFilter(flt)
    whole = _ids(ctx, duty, flt)
    order = list(range(0, len(whole), 7)) + list(range(len(whole) - 1, -1, -3))
    assert [model.index(r, 0).data(RowRole).id for r in order] == [whole[r] for r in order]
    assert len(model._windows) <= MAX_WINDOWS  # a bounded cache, whatever was read


def test_a_view_scrolled_to_the_bottom_reads_only_what_it_shows(
    qtbot: QtBot, ctx: AppContext, duty: Actor
) -> None:
    model = QueueModel(ctx, duty)
    model.setFilter(QueueFilter(queue=Queue.ALL))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.scrollToBottom()
    qtbot.waitUntil(
        lambda: view.indexAt(view.viewport().rect().bottomLeft()).row() >= model.rowCount() - 30
    )
    bottom = view.indexAt(view.viewport().rect().bottomLeft())
    assert bottom.data(Qt.ItemDataRole.DisplayRole) is not None
    assert model.rows_loaded <= 3 * WINDOW
    assert model.total > 10 * WINDOW


def test_row_of_finds_cached_rows_only(qtbot: QtBot, ctx: AppContext, duty: Actor) -> None:
    model = QueueModel(ctx, duty)
    model.setFilter(QueueFilter(queue=Queue.ALL))
    first = model.row_at(3)
    assert model.row_of(first.id) == 3
    last = model.row_at(model.rowCount() - 1)
    assert model.row_of(last.id) == model.rowCount() - 1
    assert model.row_of("not-an-id") is None


def test_a_new_sort_keeps_the_count_and_reads_one_window(
    qtbot: QtBot, ctx: AppContext, duty: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = QueueModel(ctx, duty)
    model.setFilter(QueueFilter(queue=Queue.OPEN))
    total = model.total
    counted: list[QueueFilter] = []
    real_count = ctx.incident_queries.count
    monkeypatch.setattr(
        ctx.incident_queries,
        "count",
        lambda actor, flt: counted.append(flt) or real_count(actor, flt),
    )
    model.sortBy(SortKey.REPORTED, descending=True)
    assert counted == [] and model.total == total and model.queries_run == 1
    assert model.row_at(0).id == _ids(ctx, duty, model.filter)[0]
    model.refresh()  # after an action the rows may have changed: count again
    assert len(counted) == 1


def test_a_search_with_many_matches_shows_its_first_rows_and_is_counted_on_a_pool_thread(
    qtbot: QtBot, ctx: AppContext, duty: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue_model, "COUNT_LATER_ABOVE", 100)  # 2,300 rows stand for 1M
    flt = QueueFilter(queue=Queue.ALL, search=ctx.township_code)  # in every case number
    whole = _ids(ctx, duty, flt)
    assert len(whole) > WINDOW
    model = QueueModel(ctx, duty)
    totals: list[int] = []
    model.totalChanged.connect(totals.append)
    with qtbot.waitSignal(model.rowsInserted, timeout=10_000):
        model.setFilter(flt)
        assert model.counting and model.rowCount() == WINDOW and totals == [WINDOW]
    assert not model.counting and model.rowCount() == len(whole)
    assert totals == [WINDOW, len(whole)]
    assert [model.row_at(r).id for r in range(len(whole))] == whole
    # A re-sort while counting keeps the count under way; a new filter drops it.
    model.setFilter(flt)
    model.sortBy(SortKey.CASE_NO)
    assert model.counting
    qtbot.waitUntil(lambda: not model.counting)
    assert model.rowCount() == len(whole)
    model.setFilter(flt)
    model.setFilter(QueueFilter(queue=Queue.OPEN))
    assert not model.counting
    QThreadPool.globalInstance().waitForDone()
    QCoreApplication.sendPostedEvents()  # the stale count's queued result: delivered, ignored
    assert model.rowCount() == ctx.incident_queries.count(duty, QueueFilter(queue=Queue.OPEN))


def test_a_search_with_few_matches_is_counted_at_once(
    qtbot: QtBot, ctx: AppContext, duty: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue_model, "COUNT_LATER_ABOVE", 0)
    case_no = _ids_case(ctx, duty)
    model = QueueModel(ctx, duty)
    model.setFilter(QueueFilter(queue=Queue.ALL, search=case_no))
    # The bound (every case number shares its bigrams) is large, but one window holds all.
    assert not model.counting and model.rowCount() == 1


def test_a_count_that_fails_keeps_the_first_rows(
    qtbot: QtBot,
    ctx: AppContext,
    duty: Actor,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(queue_model, "COUNT_LATER_ABOVE", 100)
    model = QueueModel(ctx, duty)
    real_count = ctx.incident_queries.count

    def locked(actor: Actor, flt: QueueFilter) -> int:
        if flt.search:  # the background count only
            raise OperationalError("SELECT count(*)", {}, Exception("database is locked"))
        return real_count(actor, flt)

    monkeypatch.setattr(ctx.incident_queries, "count", locked)
    flt = QueueFilter(queue=Queue.ALL, search=ctx.township_code)
    totals: list[int] = []
    model.totalChanged.connect(totals.append)
    model.setFilter(flt)
    assert model.counting
    qtbot.waitUntil(lambda: not model.counting, timeout=10_000)
    assert model.rowCount() == WINDOW and totals == [WINDOW, WINDOW]  # said, and kept
    assert model.row_at(WINDOW - 1).id == _ids(ctx, duty, flt)[WINDOW - 1]
    failed = [r for r in caplog.records if r.message == "a background read failed"]
    assert len(failed) == 1 and "database is locked" in str(failed[0].exc_info)  # logged
    caplog.clear()
