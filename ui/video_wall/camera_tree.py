"""The camera tree (village → site → camera) as a Qt item model; cameras drag onto tiles."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from centre_app.video.registry import CameraInfo, TreeNode
from ui.video_wall.tile import MIME_CAMERA

CameraRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class _Node:
    __slots__ = ("children", "data", "parent", "row")

    def __init__(self, data: TreeNode, parent: _Node | None, row: int) -> None:
        self.data, self.parent, self.row = data, parent, row
        self.children = [_Node(c, self, i) for i, c in enumerate(data.children)]


class CameraTreeModel(QAbstractItemModel):
    def __init__(self, tree: TreeNode, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node(tree, None, 0)

    def reset_tree(self, tree: TreeNode) -> None:
        self.beginResetModel()
        self._root = _Node(tree, None, 0)
        self.endResetModel()

    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        node = self._node(parent)
        if 0 <= row < len(node.children) and column == 0:
            return self.createIndex(row, 0, node.children[row])
        return QModelIndex()

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self._node(index).parent
        if node is None or node is self._root:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        cam = node.data.camera
        if role == Qt.ItemDataRole.DisplayRole:
            return node.data.label if cam is None or cam.enabled else f"{node.data.label}（停用）"
        if role == Qt.ItemDataRole.ToolTipRole and cam is not None:
            return f"{cam.national_code}\n{cam.place}\n{cam.main_url}"
        if role == CameraRole:
            return cam
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self._node(index).data.camera is not None:
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [MIME_CAMERA]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        mime = QMimeData()
        for index in indexes:
            cam = self.data(index, CameraRole)
            if isinstance(cam, CameraInfo):
                mime.setData(MIME_CAMERA, QByteArray(str(cam.id).encode()))
                break
        return mime

    def cameras(self) -> list[CameraInfo]:
        out: list[CameraInfo] = []
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.data.camera is not None:
                out.append(node.data.camera)
            stack.extend(reversed(node.children))
        return out
