"""Files waiting to go with a new case: thumbnails for pictures, and each refused file
listed inline with the service's reason so the officer sees why it will not be stored."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QImageReader, QKeyEvent, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from centre_app.errors import DomainError
from ui.messages import error_text

THUMB = QSize(96, 72)
REFUSED = QColor("#b91c1c")
PendingRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Pending:
    """One file for the case; `error` says why the store will not take it."""

    path: Path
    mime: str = ""
    error: str | None = None
    evidence_id: uuid.UUID | None = None  # a snapshot or clip from the video wall
    thumbnail: Path | None = None  # a picture standing for a clip


def thumbnail(path: Path, size: QSize = THUMB) -> QPixmap:
    """A small picture of an image file, decoded at the small size (a 20 MB photo is not
    decoded whole); a null pixmap when the bytes are not a picture Qt can read."""
    reader = QImageReader(str(path))
    original = reader.size()
    if original.isValid():
        reader.setScaledSize(original.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return QPixmap.fromImage(image) if not image.isNull() else QPixmap()


class AttachmentList(QListWidget):
    """`check` is the service's check: (size, mime) or a DomainError in words."""

    def __init__(
        self, check: Callable[[Path], tuple[int, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._check = check
        self.setObjectName("attachmentList")
        self.setIconSize(THUMB)
        self.setWordWrap(True)
        self.setToolTip(self.tr("Delete 键移除所选附件"))

    def addPath(
        self, path: Path, evidence_id: uuid.UUID | None = None, picture: Path | None = None
    ) -> Pending:
        """Check and list one file; a refused file is listed in red with the reason."""
        for existing in self.pending(include_refused=True):
            if existing.path == path:
                return existing
        try:
            _size, mime = self._check(path)
            pending = Pending(path, mime, None, evidence_id, picture)
        except DomainError as error:
            pending = Pending(path, "", error_text(error), evidence_id, picture)
        item = QListWidgetItem(self)
        item.setData(PendingRole, pending)
        if pending.error is not None:
            item.setText(self.tr("{0}\n未添加：{1}").format(path.name, pending.error))
            item.setForeground(QBrush(REFUSED))
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        else:
            label = path.name if evidence_id is None else self.tr("视频取证 {0}").format(path.name)
            item.setText(label)
            item.setToolTip(str(path))
            picture_path = picture if picture is not None and picture.is_file() else path
            pixmap = (
                thumbnail(picture_path) if (mime.startswith("image/") or picture) else QPixmap()
            )
            item.setIcon(
                QIcon(pixmap)
                if not pixmap.isNull()
                else self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
            )
        return pending

    def pending(self, include_refused: bool = False) -> list[Pending]:
        items = [self.item(row).data(PendingRole) for row in range(self.count())]
        return [p for p in items if include_refused or p.error is None]

    def refused(self) -> list[Pending]:
        return [p for p in self.pending(include_refused=True) if p.error is not None]

    def removeSelected(self) -> None:
        for item in self.selectedItems():
            self.takeItem(self.row(item))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.removeSelected()
            return
        super().keyPressEvent(event)
