"""The wall in its own window, fullscreen on a second screen when there is one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ui.video_wall.page import VideoWallPage
    from ui.video_wall.wall import VideoWall


class SecondScreenWindow(QWidget):
    def __init__(self, page: VideoWallPage) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("视频墙（副屏）"))
        self.wall: VideoWall = page._new_wall(self)
        self.wall.apply(page.wall.spec(), {c.id: c for c in page.model.cameras()})
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.wall)
        QShortcut(QKeySequence("Esc"), self, self.close)

    def closeEvent(self, event: object) -> None:
        self.wall.shutdown()


def open_second_screen(page: VideoWallPage) -> SecondScreenWindow:
    window = SecondScreenWindow(page)
    screens = QGuiApplication.screens()
    target = screens[1] if len(screens) > 1 else screens[0]
    window.setGeometry(target.geometry())
    if len(screens) > 1:
        window.showFullScreen()
    else:
        window.resize(960, 540)
        window.show()
    return window
