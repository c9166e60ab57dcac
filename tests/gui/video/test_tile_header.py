"""A tile's header on a small screen: the camera's name before the reason it is not playing."""

from __future__ import annotations

import uuid

import pytest
from pytestqt.qtbot import QtBot

from centre_app.errors import DomainError
from centre_app.video.registry import CameraInfo
from centre_app.video.stream_state import CONNECT_TIMEOUT, TileState
from ui.video_wall.tile import VideoTile

pytestmark = pytest.mark.gui


def test_a_narrow_tile_gives_the_camera_name_more_room_than_the_reason(qtbot: QtBot) -> None:
    """16 tiles at 1366 px are ~230 px wide: the reason took three fifths and cut the name
    to 城东社区学."""
    tile = VideoTile(0)
    qtbot.addWidget(tile)
    tile.resize(230, 170)
    camera = CameraInfo(
        uuid.uuid4(), "33032710211310000001", "城东社区学校路口", "城东社区", "学校路口",
        "rtsp://127.0.0.1/x", None, "", "", True,
    )  # fmt: skip
    tile.set_camera(camera)
    tile.show_state(TileState.OFFLINE, DomainError(CONNECT_TIMEOUT))
    tile.show()
    qtbot.waitExposed(tile)
    assert tile._title.width() > tile._reason.width()
