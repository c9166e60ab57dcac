"""Snapshot evidence from a tile: libVLC writes the PNG off the GUI thread, then the
evidence service hashes and records it and a thumbnail is saved next to it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from centre_app.errors import DomainError
from centre_app.video.evidence import thumbnail_path
from centre_app.video.stream_state import TileState
from db.models import EvidenceKind

if TYPE_CHECKING:
    from ui.video_wall.page import VideoWallPage
    from ui.video_wall.wall import VideoWall

log = logging.getLogger(__name__)
THUMB_WIDTH = 240


def take_snapshot(page: VideoWallPage, wall: VideoWall, index: int, *,
                  for_incident: bool = False) -> None:
    """Snapshot the tile; with `for_incident` the item is marked for the incident form."""
    tile = wall.tiles[index] if index < len(wall.tiles) else None
    if tile is None or tile.camera is None or tile.state is not TileState.PLAYING:
        QMessageBox.information(page, page.tr("截图"), page.tr("请先选中一个正在播放的画面再截图。"))
        return
    camera = tile.camera
    services = page.services
    path = services.evidence.new_path(camera.national_code, EvidenceKind.SNAPSHOT)
    player = wall.player(index)

    def done(written: str, ok: bool) -> None:
        if written != str(path):
            return
        player.snapshotDone.disconnect(done)
        try:
            if not ok:
                raise DomainError("截图失败（画面可能尚未出现），请稍后重试。")
            image = QImage(str(path))
            if not image.isNull():
                image.scaledToWidth(THUMB_WIDTH, Qt.TransformationMode.SmoothTransformation
                                    ).save(str(thumbnail_path(path)))  # format from the .jpg suffix
            note = f"从画面创建事件：{camera.place}" if for_incident else camera.place
            item = services.evidence.add(page.current_actor, camera.id, EvidenceKind.SNAPSHOT,
                                         path, note=note)
        except DomainError as exc:
            QMessageBox.warning(page, page.tr("截图"), exc.message)
            return
        page.snapshotSaved.emit(str(path))
        if for_incident:
            # The main window opens the incident form with this item (camera, place and
            # snapshot pre-filled); the item also stays listed as unattached evidence.
            page.createIncidentRequested.emit(item.id)

    player.snapshotDone.connect(done)
    player.snapshot(str(path))
