"""导出 from the queue page: the filtered rows to a file that reads back, written on a pool
thread behind a progress dialog; cancel leaves no file, not even a partial one."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents import export
from centre_app.incidents.queries import (
    ExportDetails,
    IncidentQueries,
    Queue,
    QueueFilter,
    QueueRow,
)
from centre_app.security.actor import Actor
from db.models.incidents import RiskColour
from ui.incidents.export_dialog import ExportRun
from ui.incidents.page import IncidentsPage

pytestmark = pytest.mark.gui


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"  # tmp_path also holds the test's database
    folder.mkdir()
    return folder


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> IncidentsPage:
    page = IncidentsPage(ctx, ctx.auth.login("zhiban", DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.show()
    page.queues.setCurrentRow(list(Queue).index(Queue.ALL))
    return page


def filtered_case_numbers(page: IncidentsPage) -> list[str]:
    while page.model.canFetchMore(page.model.index(-1, -1)):
        page.model.fetchMore(page.model.index(-1, -1))
    return [page.model.row_at(r).case_no for r in range(page.model.rowCount())]


def finish(qtbot: QtBot, run: ExportRun | None) -> ExportRun:
    assert run is not None
    with qtbot.waitSignal(run.finished, timeout=10_000):
        pass
    return run


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_writes_the_filtered_queue_to_a_file_that_reads_back(
    qtbot: QtBot, page: IncidentsPage, out: Path, suffix: str
) -> None:
    colour = page.filter_bar.colour
    colour.setCurrentIndex(
        next(i for i in range(colour.count()) if colour.itemData(i) is RiskColour.YELLOW)
    )
    expected = filtered_case_numbers(page)
    assert 0 < len(expected) < page.model.total + 1
    target = out / f"黄色事件{suffix}"
    run = finish(qtbot, page.exportQueue(target))
    assert run.message == f"已导出 {len(expected)} 件事件到 {target}"
    assert run.message_box is not None and run.message_box.text() == run.message
    run.message_box.close()
    if suffix == ".csv":
        with target.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    else:
        sheet = load_workbook(target, read_only=True)["事件"]
        rows = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["案件编号", "风险等级"]
    assert [r[0] for r in rows[1:]] == expected  # the same rows, in the table's order
    assert {r[1] for r in rows[1:]} == {"黄"}
    assert sorted(p.name for p in out.iterdir()) == [target.name]


class GatedQueries(IncidentQueries):
    """The real queries, holding after each window of rows until the test lets go."""

    def __init__(self, inner: IncidentQueries, gate: threading.Event) -> None:
        self.__dict__.update(inner.__dict__)
        self.gate = gate

    def iter_export_rows(
        self, actor: Actor, flt: QueueFilter, *, batch: int = 5000
    ) -> Iterator[list[tuple[QueueRow, ExportDetails]]]:
        for rows in super().iter_export_rows(actor, flt, batch=batch):
            yield rows
            assert self.gate.wait(10)


def test_cancel_stops_the_export_and_leaves_no_file(
    qtbot: QtBot, ctx: AppContext, page: IncidentsPage, monkeypatch: pytest.MonkeyPatch, out: Path
) -> None:
    monkeypatch.setattr(export, "BATCH", 10)
    gate = threading.Event()
    target = out / "全部事件.xlsx"
    run = ExportRun(
        page,
        GatedQueries(ctx.incident_queries, gate),
        page._actor,
        page.filter_bar.currentFilter(),
        target,
    )
    with qtbot.waitSignal(run.progressed, timeout=10_000) as first:
        run.start()
    assert first.args is not None and first.args[0] == 10 and first.args[1] > 10
    cancel = next(b for b in run.progress.findChildren(QPushButton) if b.text() == "取消")
    cancel.click()
    gate.set()
    finish(qtbot, run)
    assert run.message == "导出已取消，未生成文件。"
    assert list(out.iterdir()) == []


def test_a_missing_folder_is_refused_in_words(qtbot: QtBot, page: IncidentsPage, out: Path) -> None:
    run = finish(qtbot, page.exportQueue(out / "没有这个文件夹" / "x.csv"))
    assert "不存在，请重新选择保存位置" in run.message
    assert list(out.iterdir()) == []
