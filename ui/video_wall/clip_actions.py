"""Clip recording from a tile: ffmpeg copies N seconds of the camera's main stream on a
worker thread; the tile header counts the seconds down; the clip and its first-picture
thumbnail are stored as evidence. Results come back to the GUI thread as queued signals."""

from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from centre_app.errors import DomainError
from centre_app.video.evidence import CLIP_BUSY, capture_clip
from db.models import EvidenceKind
from ui.messages import error_text

if TYPE_CHECKING:
    from centre_app.security.actor import Actor
    from centre_app.video.evidence import EvidenceService
    from centre_app.video.registry import CameraInfo
    from ui.video_wall.wall import VideoWall

log = logging.getLogger(__name__)


@dataclass
class _Recording:
    camera: CameraInfo
    seconds: int
    started: float  # time.monotonic()


class ClipRecorder(QObject):
    """One recording per camera at a time; several cameras may record together."""

    clipSaved = Signal(object)  # EvidenceItem
    clipFailed = Signal(str, str)  # camera name, reason in words
    _finished = Signal(object, object, object)  # camera id, EvidenceItem | None, error | None

    def __init__(
        self,
        wall: VideoWall,
        evidence: EvidenceService,
        actor: Actor,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._wall, self._evidence, self._actor = wall, evidence, actor
        # ffmpeg runs as its own process; a worker only waits for it (two at once is plenty).
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="video-clip")
        self._active: dict[uuid.UUID, _Recording] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self._update_headers)
        self._finished.connect(self._on_finished)

    def is_recording(self, camera_id: uuid.UUID) -> bool:
        return camera_id in self._active

    def start(self, camera: CameraInfo, seconds: int) -> None:
        """Record `seconds` of `camera`'s main stream (raises DomainError when it cannot)."""
        if camera.id in self._active:
            raise DomainError(CLIP_BUSY)
        target = self._evidence.new_path(camera.national_code, EvidenceKind.CLIP)
        url = camera.main_url  # evidence keeps the best picture, whatever the tile shows
        actor, evidence = self._actor, self._evidence

        def work() -> None:
            try:
                clip = capture_clip(url, seconds, target)
                note = (
                    camera.place
                    if clip.complete
                    else (f"{camera.place} 码流中断，仅录到约 {clip.seconds:.0f} 秒")
                )
                item = evidence.add(actor, camera.id, EvidenceKind.CLIP, clip.path, note=note)
            except DomainError as exc:
                self._finished.emit(camera.id, None, exc)
                return
            except Exception:  # reported in words; the traceback goes to the log
                log.exception("clip recording of %s failed", camera.name)
                self._finished.emit(camera.id, None, self.tr("录像失败（内部错误，详见日志）。"))
                return
            self._finished.emit(camera.id, item, None)

        self._active[camera.id] = _Recording(camera, seconds, time.monotonic())
        self._pool.submit(work)
        self._timer.start()
        self._update_headers()

    def _update_headers(self) -> None:
        now = time.monotonic()
        for tile in self._wall.tiles:
            rec = self._active.get(tile.camera.id) if tile.camera is not None else None
            left = None if rec is None else int(rec.seconds - (now - rec.started) + 0.999)
            if tile.recording_text() or left is not None:
                tile.show_recording(left)
        if not self._active:
            self._timer.stop()

    def _on_finished(self, camera_id: uuid.UUID, item: object, error: object) -> None:
        rec = self._active.pop(camera_id, None)
        self._update_headers()
        if error is not None:
            why = error_text(error) if isinstance(error, DomainError) else str(error)
            self.clipFailed.emit(rec.camera.name if rec else "", why)
        else:
            self.clipSaved.emit(item)

    def shutdown(self) -> None:
        self._timer.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)
