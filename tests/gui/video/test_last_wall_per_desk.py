"""上次墙面 is the workstation's: each monitoring desk comes back to the wall its own screens
showed, whatever another desk on the same centre database showed when it closed; a wall an
older version kept in the centre database is still restored until the desk keeps its own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from centre_app.app_context import AppContext
from centre_app.video.walls import WallSpec
from db.models import SavedWall
from tests.gui.video.test_wall import OPERATOR
from tests.support.video import requires_video

pytestmark = [
    pytest.mark.gui,
    pytest.mark.video,
    requires_video,
    pytest.mark.skipif(
        os.environ.get("QT_QPA_PLATFORM") == "offscreen",
        reason="libVLC needs an X server (run under Xvfb)",
    ),
]


@pytest.fixture
def other_desk(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppContext]:
    monkeypatch.setenv("ZONGZHI_DATA_DIR", str(tmp_path / "desk-2"))
    desk = AppContext.open(str(ctx.engine.url), clock=ctx.clock, seed_demo=False)
    yield desk
    desk.close()


def close_with_layout(qtbot: QtBot, desk: AppContext, layout: str) -> None:
    from ui.video_wall.page import VideoWallPage

    page = VideoWallPage(desk, OPERATOR, restore=True, probe=False)
    qtbot.addWidget(page)
    page.wall.set_layout(layout)
    page.shutdown()


def reopened_layout(qtbot: QtBot, desk: AppContext) -> Any:
    from ui.video_wall.page import LAST_WALL, VideoWallPage

    page = VideoWallPage(desk, OPERATOR, restore=True, probe=False)
    qtbot.addWidget(page)
    try:
        assert page.walls_box.findData(LAST_WALL) == 0  # listed first, in the box
        return page.wall.current_layout.key
    finally:
        page.shutdown()


def test_each_desk_comes_back_to_its_own_last_wall(
    qtbot: QtBot, ctx: AppContext, other_desk: AppContext
) -> None:
    close_with_layout(qtbot, ctx, "4")
    close_with_layout(qtbot, other_desk, "9")  # closes last: must not move desk 1's wall
    assert reopened_layout(qtbot, ctx) == "4"
    assert reopened_layout(qtbot, other_desk) == "9"
    with ctx.session_factory() as session:  # nothing of it in the centre database
        assert session.scalar(select(func.count()).select_from(SavedWall)) == 0


def test_a_last_wall_an_older_version_kept_in_the_centre_database_is_still_restored(
    qtbot: QtBot, ctx: AppContext, other_desk: AppContext
) -> None:
    from ui.video_wall.page import LAST_WALL

    ctx.video.walls.save(OPERATOR, LAST_WALL, WallSpec("16", (None,) * 16))
    assert reopened_layout(qtbot, other_desk) == "16"
    close_with_layout(qtbot, other_desk, "1")
    assert reopened_layout(qtbot, other_desk) == "1"  # from now on its own


def test_the_saved_walls_box_says_what_it_opens_and_names_no_wall_as_current(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """It was an empty box beside 保存墙面 on a centre with no saved wall, and showed 上次墙面
    as if that were on the wall when one was kept."""
    from ui.video_wall.page import VideoWallPage

    page = VideoWallPage(ctx, OPERATOR, restore=False, probe=False)
    qtbot.addWidget(page)
    try:
        assert page.walls_box.currentIndex() == -1
        assert page.walls_box.placeholderText() == "打开墙面…"
        ctx.video.walls.save(OPERATOR, "早班", page.wall.spec())
        page._reload_wall_names()
        assert page.walls_box.findData("早班") >= 0
        assert page.walls_box.currentIndex() == -1
    finally:
        page.shutdown()
