"""The camera tree (village → site → camera) as a Qt item model; cameras drag onto tiles.

Each camera shows its health (online, offline, cannot play, not known yet) as an icon.
`search(text)` narrows the tree to the cameras whose name, place or national code contains
what the operator types (the villages and sites above a match stay, to show where it is).
The model filters itself: one scan of precomputed lower-case keys and a reset to the
pruned tree. A QSortFilterProxyModel calls Python for every row (filterAcceptsRow, data):
1.4–6.5 s per keystroke over 11,581 cameras (bench/video_tree.py), where this takes
milliseconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from centre_app.video.health import ONLINE_STATES
from centre_app.video.registry import CameraInfo, TreeNode
from ui.video_wall.tile import MIME_CAMERA

CameraRole = Qt.ItemDataRole.UserRole + 1
HealthRole = Qt.ItemDataRole.UserRole + 2  # "online", "offline", "unsupported", "unknown"
SearchRole = Qt.ItemDataRole.UserRole + 3  # the text the search box matches
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

CONTEXT = "CameraTree"
HEALTH_TEXT = {  # marked so that lupdate collects them
    "online": str(QT_TRANSLATE_NOOP("CameraTree", "在线")),
    "offline": str(QT_TRANSLATE_NOOP("CameraTree", "离线")),
    "unsupported": str(QT_TRANSLATE_NOOP("CameraTree", "无法播放")),
    "unknown": str(QT_TRANSLATE_NOOP("CameraTree", "状态未知（尚未探测）")),
}
HEALTH_COLOUR = {
    "online": "#2e7d32",
    "offline": "#c62828",
    "unsupported": "#ef6c00",
    "unknown": "#9e9e9e",
}
_icons: dict[str, QIcon] = {}
FINE_UPDATES_UP_TO = 32  # groups changed at once signalled one by one


def health_of(state: str | None) -> str:
    """The tree's four health states from a stored state."""
    if state in ONLINE_STATES:
        return "online"
    if state in ("offline", "unsupported"):
        return state
    return "unknown"


def health_icon(health: str) -> QIcon:
    """A filled dot in the state's colour (an outlined one while unknown)."""
    icon = _icons.get(health)
    if icon is None:
        pixmap = QPixmap(14, 14)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(HEALTH_COLOUR[health])
        painter.setPen(colour.darker(130))
        if health != "unknown":
            painter.setBrush(colour)
        painter.drawEllipse(2, 2, 10, 10)
        painter.end()
        icon = _icons[health] = QIcon(pixmap)
    return icon


class _Node:
    __slots__ = ("children", "data", "parent", "row")

    def __init__(self, data: TreeNode, parent: _Node | None, row: int) -> None:
        self.data, self.parent, self.row = data, parent, row
        self.children = [_Node(c, self, i) for i, c in enumerate(data.children)]


class CameraTreeModel(QAbstractItemModel):
    def __init__(self, tree: TreeNode, parent: Any = None) -> None:
        super().__init__(parent)
        self._tree = tree
        self._full = self._root = _Node(tree, None, 0)
        self._health: dict[uuid.UUID, str] = {}
        self._keys = self._search_keys()
        self.query = ""
        self._by_camera = self._full_index = self._index_cameras()

    def reset_tree(self, tree: TreeNode) -> None:
        self._tree = tree
        self._full = self._root = _Node(tree, None, 0)
        self._full_index = self._index_cameras()
        self._keys = self._search_keys()
        self.search(self.query)

    def _search_keys(self) -> list[tuple[str, tuple[TreeNode, ...]]]:
        """Per camera, in tree order: its lower-case search text and its path of nodes."""
        out: list[tuple[str, tuple[TreeNode, ...]]] = []
        stack: list[tuple[TreeNode, tuple[TreeNode, ...]]] = [(self._tree, ())]
        while stack:
            node, path = stack.pop()
            cam = node.camera
            if cam is not None:
                out.append(
                    (f"{cam.name} {cam.place} {cam.national_code}".casefold(), (*path, node))
                )
            stack.extend((child, (*path, node)) for child in reversed(node.children))
        return out

    def search(self, text: str) -> int:
        """Show only the cameras matching `text` (all when blank); returns how many."""
        # Control characters and surrounding blanks never come from a camera's name.
        query = "".join(ch for ch in text if ch.isprintable()).strip().casefold()
        self.beginResetModel()
        self.query = query
        if not query:
            self._root = self._full
            count = len(self._keys)
            self._by_camera = self._full_index
        else:
            paths = [path for key, path in self._keys if query in key]
            count = len(paths)
            self._root = _Node(_pruned(paths), None, 0)
            self._by_camera = self._index_cameras()
        self.endResetModel()
        return count

    def _index_cameras(self) -> dict[uuid.UUID, _Node]:
        out: dict[uuid.UUID, _Node] = {}
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.data.camera is not None:
                out[node.data.camera.id] = node
            stack.extend(node.children)
        return out

    def health(self, camera_id: uuid.UUID) -> str:
        return self._health.get(camera_id, "unknown")

    def set_health(self, states: Mapping[uuid.UUID, str]) -> None:
        """New states (stored or probed); one dataChanged per run of changed siblings."""
        changed: dict[int, tuple[_Node, list[int]]] = {}
        for camera_id, state in states.items():
            health = health_of(state)
            node = self._by_camera.get(camera_id)
            if node is None or self._health.get(camera_id) == health:
                continue
            self._health[camera_id] = health
            parent = node.parent or self._root
            changed.setdefault(id(parent), (parent, []))[1].append(node.row)
        roles = [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, HealthRole]
        if len(changed) > FINE_UPDATES_UP_TO and self._root.children:
            # A probe round that changes thousands of cameras: one signal over the top
            # level (the tree view repaints what it shows and reads the rest when opened)
            # instead of hundreds, each of which cost the view ~1 ms (bench/video_tree.py).
            end = len(self._root.children) - 1
            self.dataChanged.emit(
                self.createIndex(0, 0, self._root.children[0]),
                self.createIndex(end, 0, self._root.children[end]),
                roles,
            )
            return
        for parent, rows in changed.values():
            first = self.createIndex(min(rows), 0, parent.children[min(rows)])
            last = self.createIndex(max(rows), 0, parent.children[max(rows)])
            self.dataChanged.emit(first, last, roles)

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
            if cam is None or cam.enabled:
                return node.data.label
            return QCoreApplication.translate("CameraTree", "{0}（停用）").format(node.data.label)
        if cam is None:
            return node.data.label if role == SearchRole else None
        health = self._health.get(cam.id, "unknown")
        if role == Qt.ItemDataRole.DecorationRole:
            return health_icon(health)
        if role == Qt.ItemDataRole.ToolTipRole:
            state = QCoreApplication.translate(CONTEXT, HEALTH_TEXT[health])
            return f"{cam.national_code}\n{cam.place}\n{cam.main_url}\n{state}"
        if role == CameraRole:
            return cam
        if role == HealthRole:
            return health
        if role == SearchRole:
            return f"{cam.name} {cam.place} {cam.national_code}"
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
        """Every camera of the tree, shown or filtered out."""
        out: list[CameraInfo] = []
        stack = [self._full]
        while stack:
            node = stack.pop()
            if node.data.camera is not None:
                out.append(node.data.camera)
            stack.extend(reversed(node.children))
        return out


def _pruned(paths: list[tuple[TreeNode, ...]]) -> TreeNode:
    """The tree of only these cameras (paths from the root, in tree order) and the groups
    above them: work in proportion to the matches, not to the registry."""
    copies: dict[int, TreeNode] = {}
    root = TreeNode(paths[0][0].label if paths else "")
    for path in paths:
        parent = root
        for node in path[1:-1]:
            copy = copies.get(id(node))
            if copy is None:
                copy = copies[id(node)] = TreeNode(node.label)
                parent.children.append(copy)
            parent = copy
        parent.children.append(path[-1])
    return root
