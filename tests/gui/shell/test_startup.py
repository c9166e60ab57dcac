"""Start-up does only what the first window needs: the frame is painted first, its first
workspace right after, and the export, sync and migration libraries wait until used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[3]

PROBE = r"""
import json, os, sys
from PySide6.QtWidgets import QApplication
from ui.app import create_application
from centre_app.app_context import AppContext
from ui.main_window import MainWindow
app = create_application(sys.argv[:1])
ctx = AppContext.open(os.environ["PROBE_DB"])
window = MainWindow(ctx, ctx.auth.login("zhiban", os.environ["PROBE_PASSWORD"]))
built_before_show = sorted(window.pages)
window.show()
started = []
window.startedUp.connect(lambda: started.append(sorted(window.pages)))
while not started:
    app.processEvents()
loaded = sorted({m.split(".")[0] for m in sys.modules} & {
    "openpyxl", "numpy", "requests", "pydantic", "alembic", "mako"})
print(json.dumps({"before_show": built_before_show, "started": started[0], "loaded": loaded}))
window.close()
ctx.close()
"""


def test_the_first_window_loads_no_export_sync_or_migration_library(
    ctx: AppContext, data_dir: Path
) -> None:
    env = dict(
        os.environ,
        PROBE_DB=str(ctx.engine.url),
        PROBE_PASSWORD=DEMO_PASSWORD,
        ZONGZHI_DATA_DIR=str(data_dir),
    )
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["before_show"] == []  # nothing built before the frame is on screen
    assert result["started"] == ["incidents"]
    assert result["loaded"] == []


def test_the_first_workspace_is_built_after_the_window_is_painted(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window = MainWindow(ctx, ctx.auth.login("zhiban", DEMO_PASSWORD))
    qtbot.addWidget(window)
    assert window.pages == {} and window.currentWorkspace() == "incidents"
    with qtbot.waitSignal(window.startedUp, timeout=10_000):
        window.show()
    assert list(window.pages) == ["incidents"]
    assert window.stack.currentWidget() is window.pages["incidents"]


def test_asking_for_a_workspace_before_the_first_paint_builds_it_at_once(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window = MainWindow(ctx, ctx.auth.login("zhiban", DEMO_PASSWORD))
    qtbot.addWidget(window)
    window.showWorkspace("incidents")
    assert window.stack.currentWidget() is window.pages["incidents"]
    window.showWorkspace("dashboard")
    assert window.currentWorkspace() == "dashboard"
    with qtbot.waitSignal(window.startedUp, timeout=10_000):
        window.show()
    assert window.currentWorkspace() == "dashboard"  # the pending first page did not win
    assert window.stack.currentWidget() is window.pages["dashboard"]


def test_the_first_start_notice_is_in_the_middle_of_the_screen(qtbot: QtBot) -> None:
    """It opened in the screen's top-left corner while the demo was filled (over a minute)."""
    from PySide6.QtWidgets import QApplication

    from ui.app import show_preparing_notice

    notice = show_preparing_notice("首次启动：正在创建数据库并生成演示数据，请稍候…")
    qtbot.addWidget(notice)
    screen = QApplication.primaryScreen()
    assert screen is not None
    centre = screen.availableGeometry().center()
    assert (notice.frameGeometry().center() - centre).manhattanLength() <= 4
