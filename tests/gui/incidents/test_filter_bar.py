"""The filter bar narrows the queue exactly as the SQL says, refuses a reversed date range
in words, searches from two characters on, and header clicks sort in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import ColumnElement, select

from centre_app.app_context import AppContext
from centre_app.clock import to_local
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import Queue, local_day_start
from db.models import Area, Department, DepartmentKind
from db.models.incidents import Channel, Incident, IncidentState, RiskColour
from ui.incidents.filter_bar import NO_DATE
from ui.incidents.page import IncidentsPage
from ui.incidents.queue_model import COL_REPORTED, COL_TITLE

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> Iterator[IncidentsPage]:
    page = IncidentsPage(ctx, ctx.auth.login("zhiban", DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.resize(1500, 800)
    page.show()
    page.queues.setCurrentRow(list(Queue).index(Queue.ALL))
    yield page


def shown(page: IncidentsPage) -> list[str]:
    while page.model.canFetchMore(page.model.index(-1, -1)):
        page.model.fetchMore(page.model.index(-1, -1))
    return [page.model.row_at(r).case_no for r in range(page.model.rowCount())]


def expected(ctx: AppContext, *where: ColumnElement[bool]) -> set[str]:
    with ctx.session_factory() as session:
        return set(
            session.scalars(
                select(Incident.case_no).where(Incident.township_code == ctx.township_code, *where)
            )
        )


def choose(combo: QComboBox, data: object) -> None:
    # Not findData: it cannot compare Python objects such as UUIDs held in a QVariant.
    index = next(i for i in range(1, combo.count()) if combo.itemData(i) == data)
    combo.setCurrentIndex(index)


def test_each_filter_narrows_the_queue_as_the_sql_says(
    page: IncidentsPage, ctx: AppContext
) -> None:
    bar = page.filter_bar
    everything = shown(page)
    assert set(everything) == expected(ctx) and len(everything) > 20

    choose(bar.category, "矛盾纠纷")
    rows = shown(page)
    assert set(rows) == expected(ctx, Incident.category == "矛盾纠纷")
    assert 0 < len(rows) < len(everything)

    choose(bar.colour, RiskColour.RED)
    assert set(shown(page)) == expected(
        ctx, Incident.category == "矛盾纠纷", Incident.colour == RiskColour.RED
    )
    bar.clear.click()
    assert shown(page) == everything

    choose(bar.channel, Channel.GRID_WORKER)
    rows = shown(page)
    assert set(rows) == expected(ctx, Incident.channel == Channel.GRID_WORKER)
    assert 0 < len(rows) < len(everything)
    bar.clearFilters()

    choose(bar.state, IncidentState.CLOSED)
    rows = shown(page)
    assert set(rows) == expected(ctx, Incident.state == IncidentState.CLOSED) and rows
    bar.clearFilters()

    # Village → all its grids; then one grid of it.
    village_id = bar.village.itemData(1)
    with ctx.session_factory() as session:
        grids = list(session.scalars(select(Area.id).where(Area.parent_id == village_id)))
    assert not bar.grid.isEnabled()
    choose(bar.village, village_id)
    assert bar.grid.isEnabled() and bar.grid.count() == len(grids) + 1
    assert set(shown(page)) == expected(ctx, Incident.grid_id.in_(grids))
    bar.grid.setCurrentIndex(1)
    one_grid = bar.grid.currentData()
    assert set(shown(page)) == expected(ctx, Incident.grid_id == one_grid)
    bar.clearFilters()
    assert not bar.grid.isEnabled()

    # Date range in local days, both ends inclusive.
    days = sorted(
        {to_local(page.model.row_at(r).reported_at).date() for r in range(page.model.rowCount())}
    )
    first, last = days[len(days) // 3], days[2 * len(days) // 3]
    bar.date_from.setDate(QDate(first.year, first.month, first.day))
    bar.date_to.setDate(QDate(last.year, last.month, last.day))
    rows = shown(page)
    assert set(rows) == expected(
        ctx,
        Incident.reported_at >= local_day_start(first),
        Incident.reported_at < local_day_start(last + dt.timedelta(days=1)),
    )
    assert 0 < len(rows) < len(everything)
    assert bar.hint.text() == ""
    bar.clear.click()
    assert bar.date_from.date() == NO_DATE and bar.date_from.text() == "不限"
    assert shown(page) == everything


def test_a_reversed_date_range_is_refused_in_words(page: IncidentsPage) -> None:
    bar = page.filter_bar
    before = shown(page)
    bar.date_to.setDate(QDate(2026, 3, 1))
    bar.date_from.setDate(QDate(2026, 4, 1))
    assert "起始日期晚于结束日期" in bar.hint.text()
    assert bar.currentFilter().reported_from is None  # the table keeps the last valid filter
    assert bar.currentFilter().reported_to == dt.date(2026, 3, 1)
    bar.date_from.setDate(QDate(2026, 2, 1))
    assert bar.hint.text() == ""
    assert bar.currentFilter().reported_from == dt.date(2026, 2, 1)
    assert len(shown(page)) <= len(before)


def test_search_needs_two_characters_and_waits_for_the_typing_to_stop(
    qtbot: QtBot, page: IncidentsPage, ctx: AppContext
) -> None:
    bar = page.filter_bar
    everything = shown(page)
    bar.search.setText("纠")
    qtbot.waitUntil(lambda: bar.hint.text() == "至少输入两个字", timeout=2000)
    assert bar.currentFilter().search == "" and shown(page) == everything
    with qtbot.waitSignal(bar.filterChanged, timeout=2000):
        bar.search.setText("纠纷")
    assert bar.hint.text() == ""
    rows = shown(page)
    like = "%纠纷%"
    assert set(rows) == expected(
        ctx,
        Incident.title.like(like)
        | Incident.place.like(like)
        | Incident.description.like(like)
        | Incident.case_no.like(like),
    )
    assert 0 < len(rows) < len(everything)


def click_header(qtbot: QtBot, page: IncidentsPage, column: int) -> None:
    header = page.table.horizontalHeader()
    if page.model.rowCount():
        page.table.scrollTo(page.model.index(0, column))  # the column in view, as a user would
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_header_clicks_sort_the_queue_in_sql(qtbot: QtBot, page: IncidentsPage) -> None:
    click_header(qtbot, page, COL_REPORTED)  # 上报时间
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert [r.reported_at for r in rows] == sorted(r.reported_at for r in rows)
    click_header(qtbot, page, COL_REPORTED)
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert [r.reported_at for r in rows] == sorted((r.reported_at for r in rows), reverse=True)
    assert page.filter_bar.currentFilter().descending

    click_header(qtbot, page, 1)  # 案件编号
    numbers = [page.model.row_at(r).case_no for r in range(page.model.rowCount())]
    assert numbers == sorted(numbers)

    click_header(qtbot, page, COL_TITLE)  # 标题: not an SQL sort; the case-number order stays
    assert [page.model.row_at(r).case_no for r in range(page.model.rowCount())] == numbers
    header = page.table.horizontalHeader()
    assert header.sortIndicatorSection() == 1


def test_a_header_click_reads_one_window_and_keeps_the_counts(
    qtbot: QtBot, page: IncidentsPage, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted: list[object] = []
    real_count = ctx.incident_queries.count
    monkeypatch.setattr(
        ctx.incident_queries,
        "count",
        lambda actor, flt: counted.append(flt) or real_count(actor, flt),
    )
    total = page.model.total
    click_header(qtbot, page, COL_REPORTED)  # 上报时间: the same rows in another order
    assert counted == [] and page.model.total == total
    # Return in the search box reads again, count included: a colleague may have acted.
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert counted and page.model.total == total


def test_the_department_queue_chooses_its_department(page: IncidentsPage, ctx: AppContext) -> None:
    bar = page.filter_bar
    assert bar.department.isHidden()
    page.queues.setCurrentRow(list(Queue).index(Queue.DEPARTMENT))
    assert not bar.department.isHidden()
    with ctx.session_factory() as session:
        dept_id = session.scalar(
            select(Incident.department_id)
            .join(Department, Department.id == Incident.department_id)
            .where(
                Department.kind != DepartmentKind.COUNTY_DEPARTMENT,
                Incident.state.in_((IncidentState.DISPATCHED, IncidentState.IN_PROGRESS)),
            )
            .limit(1)
        )
    choose(bar.department, dept_id)
    rows = shown(page)
    assert rows and set(rows) == expected(
        ctx,
        Incident.department_id == dept_id,
        Incident.state.not_in((IncidentState.REJECTED, IncidentState.MERGED, IncidentState.CLOSED)),
    )


def test_an_open_date_range_opens_its_calendar_on_this_month_of_the_apps_clock(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """It opened on the machine's month (QDate.currentDate: the wall clock in the
    machine's zone), not the app's month in Shanghai."""
    from centre_app.clock import ManualClock

    assert isinstance(ctx.clock, ManualClock)
    ctx.clock.set(dt.datetime(2026, 3, 31, 20, 0, tzinfo=dt.UTC))  # 1 April, 04:00 in Shanghai
    page = IncidentsPage(ctx, ctx.auth.login("zhiban", DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.show()
    edit = page.filter_bar.date_from
    calendar = edit.calendarWidget()
    qtbot.mouseClick(
        edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 8, edit.height() // 2)
    )
    qtbot.waitUntil(calendar.isVisible)
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 4)
    qtbot.keyClick(calendar, Qt.Key.Key_Escape)
