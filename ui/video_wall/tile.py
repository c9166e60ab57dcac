"""One tile of the wall: a header with camera name and state, and a native video surface.

The surface is a native child window that libVLC draws into (Qt paints only its black
letterbox bands).
Drops: a camera from the tree (MIME_CAMERA) or another tile (MIME_TILE, swap).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDropEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from centre_app.errors import DomainError
from centre_app.video.registry import CameraInfo
from centre_app.video.stream_state import TileState
from ui.messages import error_text
from ui.video_wall.labels import state_text

MIME_CAMERA = "application/x-zz-camera-id"
MIME_TILE = "application/x-zz-tile-index"


class VideoSurface(QWidget):
    """A native window for libVLC, painted black by Qt.

    libVLC's X11 output draws the picture into a child window of its own, sized to the
    picture; the letterbox bands around it are this window. Left unpainted, Qt flushed
    whatever its backing store held there (seen: the incident form of the page shown
    before). X clips drawing on this window by its children, so the black never covers
    the picture.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setObjectName("videoSurface")
        self.setMouseTracking(False)

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).fillRect(event.rect(), Qt.GlobalColor.black)


class VideoTile(QFrame):
    cameraDropped = Signal(int, uuid.UUID)  # tile index, camera id
    tileDropped = Signal(int, int)  # source tile, target tile
    doubleClicked = Signal(int)
    selected = Signal(int)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.camera: CameraInfo | None = None
        self.state = TileState.EMPTY
        self.reason: DomainError | None = None
        self.setObjectName("videoTile")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.Box)
        # The header has one fixed height and the reason sits in it: showing or hiding a
        # reason must never move the native video surface (a moved surface left the old
        # label's pixels, e.g. a stale "连接超时", visible under X11, and made libVLC
        # reconfigure its output).
        header = QWidget(self)
        header.setObjectName("tileHeader")
        self._title = QLabel(header)
        self._title.setObjectName("tileTitle")
        self._title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._reason = QLabel(header)
        self._reason.setObjectName("tileReason")
        self._reason.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._reason.hide()
        self._recording = QLabel(header)
        self._recording.setObjectName("tileRecording")
        self._recording.hide()
        self._state = QLabel(header)
        self._state.setObjectName("tileState")
        head = QHBoxLayout(header)
        head.setContentsMargins(4, 1, 4, 1)
        head.setSpacing(4)
        # The camera's name has the larger share: on 16 tiles at 1366 px the reason (it has
        # its tooltip, and the state badge says offline) cut the name to 城东社区学.
        head.addWidget(self._title, 3)
        head.addWidget(self._reason, 2)
        head.addWidget(self._recording)
        head.addWidget(self._state)
        header.setFixedHeight(max(18, self.fontMetrics().height() + 6))
        box = QVBoxLayout(self)
        box.setContentsMargins(1, 1, 1, 1)
        box.setSpacing(0)
        box.addWidget(header)
        self.surface = VideoSurface(self)
        box.addWidget(self.surface, 1)
        self._press: QPoint | None = None
        self.show_state(TileState.EMPTY, None)

    # --- display ---------------------------------------------------------------------

    def set_camera(self, camera: CameraInfo | None) -> None:
        self.camera = camera
        self._title.setText(camera.name if camera else self.tr("拖入摄像机"))
        self._title.setToolTip(camera.place if camera else "")

    def show_state(self, state: TileState, reason: DomainError | None) -> None:
        self.state = state
        self.reason = reason
        self._state.setText(state_text(state))
        self._state.setProperty("state", state.value)
        text = error_text(reason) if reason is not None else ""
        self._reason.setText(text)
        self._reason.setToolTip(text)
        self._reason.setVisible(bool(text))
        # Re-polish only the label: re-polishing the tile (parent of libVLC's native
        # window) sent the GUI thread into a busy loop under X11 (measured: +1 core).
        self._state.style().unpolish(self._state)
        self._state.style().polish(self._state)

    def state_text(self) -> str:
        return self._state.text()

    def reason_text(self) -> str:
        return self._reason.text() if self._reason.isVisibleTo(self) else ""

    def show_recording(self, seconds_left: int | None) -> None:
        """The recording mark in the header: seconds left, or hidden (None)."""
        if seconds_left is None:
            self._recording.hide()
            return
        self._recording.setText(self.tr("● 录制 {0} 秒").format(max(0, seconds_left)))
        self._recording.show()

    def recording_text(self) -> str:
        return self._recording.text() if self._recording.isVisibleTo(self) else ""

    # --- mouse and drag ----------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self.selected.emit(self.index)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (
            self._press is not None
            and self.camera is not None
            and (event.position().toPoint() - self._press).manhattanLength()
            >= QApplication.startDragDistance()
        ):
            self._press = None
            mime = QMimeData()
            mime.setData(MIME_TILE, QByteArray(str(self.index).encode()))
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.exec(Qt.DropAction.MoveAction)
            return
        super().mouseMoveEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.doubleClicked.emit(self.index)
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME_CAMERA) or event.mimeData().hasFormat(MIME_TILE):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        try:
            if mime.hasFormat(MIME_CAMERA):
                raw = bytes(mime.data(MIME_CAMERA).data()).decode()
                self.cameraDropped.emit(self.index, uuid.UUID(raw))
            elif mime.hasFormat(MIME_TILE):
                source = int(bytes(mime.data(MIME_TILE).data()).decode())
                if source != self.index:
                    self.tileDropped.emit(source, self.index)
        except ValueError:  # foreign or damaged drag data: ignore the drop
            event.ignore()
            return
        event.acceptProposedAction()
