"""Snapshot evidence from a tile, taken from the camera's best stream.

A small tile plays the sub stream (320×180); evidence is taken from the main stream: a
short-lived ffmpeg reads one picture of it off the GUI thread. Only when the main stream
gives no picture is the tile's own picture used (libVLC's snapshot, at the size it plays).
Which stream and size it was is written into the PNG and the evidence row, and the operator
sees a confirmation with the thumbnail.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QMessageBox

from centre_app.errors import DomainError
from centre_app.video.evidence import grab_snapshot, thumbnail_path
from centre_app.video.registry import CameraInfo
from centre_app.video.stream_state import TileState
from centre_app.video.streams import UrlVerdict, check_url
from db.models import EvidenceKind
from ui.messages import error_text
from ui.pool_task import run_in_pool

if TYPE_CHECKING:
    from ui.video_wall.page import VideoWallPage
    from ui.video_wall.wall import VideoWall

log = logging.getLogger(__name__)
THUMB_WIDTH = 240


def take_snapshot(
    page: VideoWallPage, wall: VideoWall, index: int, *, for_incident: bool = False
) -> None:
    """Snapshot the tile; with `for_incident` the item is marked for the incident form."""
    tile = wall.tiles[index] if 0 <= index < len(wall.tiles) else None
    if tile is None or tile.camera is None or tile.state is not TileState.PLAYING:
        QMessageBox.information(
            page,
            QCoreApplication.translate("EvidenceActions", "截图"),
            QCoreApplication.translate("EvidenceActions", "请先选中一个正在播放的画面再截图。"),
        )
        return
    camera = tile.camera
    path = page.services.evidence.new_path(camera.national_code, EvidenceKind.SNAPSHOT)
    tile_stream = "main" if wall.playing_url(index) == camera.main_url else "sub"

    def from_tile(why: Exception | None = None) -> None:
        if why is not None:
            log.warning(
                "snapshot of %s from the main stream failed (%s): using the tile's "
                "picture (%s stream)",
                camera.national_code,
                why,
                tile_stream,
            )
        player = wall.player(index)

        def done(written: str, ok: bool) -> None:
            if written != str(path):
                return
            player.snapshotDone.disconnect(done)
            if not ok:
                QMessageBox.warning(
                    page,
                    QCoreApplication.translate("EvidenceActions", "截图"),
                    QCoreApplication.translate(
                        "EvidenceActions", "截图失败（画面可能尚未出现），请稍后重试。"
                    ),
                )
                return
            _store(page, camera, path, tile_stream, for_incident)

        player.snapshotDone.connect(done)
        player.snapshot(str(path))

    if check_url(camera.main_url)[0] is not UrlVerdict.OK:
        from_tile()
        return
    run_in_pool(
        QThreadPool.globalInstance(),
        lambda: grab_snapshot(camera.main_url, path),
        lambda _size: _store(page, camera, path, "main", for_incident),
        from_tile,
        owner=page,
    )


def _store(
    page: VideoWallPage, camera: CameraInfo, path: Path, stream: str, for_incident: bool
) -> None:
    image = QImage(str(path))
    if not image.isNull():
        image.scaledToWidth(THUMB_WIDTH, Qt.TransformationMode.SmoothTransformation).save(
            str(thumbnail_path(path))
        )  # format from the .jpg suffix
    note = f"从画面创建事件：{camera.place}" if for_incident else camera.place  # stored data
    try:
        item = page.services.evidence.add(
            page.current_actor, camera.id, EvidenceKind.SNAPSHOT, path, note=note, stream=stream
        )
    except DomainError as exc:
        QMessageBox.warning(
            page, QCoreApplication.translate("EvidenceActions", "截图"), error_text(exc)
        )
        return
    page.snapshotSaved.emit(str(path))
    if for_incident:
        # The main window opens the incident form with this item (camera, place and
        # snapshot pre-filled); the item also stays listed as unattached evidence.
        page.createIncidentRequested.emit(item.id)
        return
    stream_name = (
        QCoreApplication.translate("EvidenceActions", "主码流")
        if stream == "main"
        else QCoreApplication.translate("EvidenceActions", "子码流")
    )
    notice = QMessageBox(
        QMessageBox.Icon.NoIcon,
        QCoreApplication.translate("EvidenceActions", "截图已保存"),
        QCoreApplication.translate(
            "EvidenceActions", "已保存“{0}”的截图（{1} {2}×{3}），已列入取证材料。"
        ).format(camera.name, stream_name, item.width, item.height),
        QMessageBox.StandardButton.Ok,
        page,
    )
    notice.setObjectName("snapshotNotice")
    notice.setIconPixmap(QPixmap(str(item.thumbnail)))
    notice.setInformativeText(str(path))
    notice.setModal(False)
    notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    page.snapshot_notice = notice
    notice.show()
