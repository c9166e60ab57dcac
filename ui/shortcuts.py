"""The F1 list of keyboard shortcuts, read from the actions themselves.

One source of truth: a key is listed because a QAction (or a button) carries it, with that
action's own text, so the list cannot drift from what the keys do. Actions that show their
key after a tab in their text ("受理\tA", the Qt convention for keys handled by the widget
itself) are listed with that key. Workspaces not opened yet have no widgets to read; the
list says so instead of building them (the video wall would start playing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class Shortcut:
    keys: str  # as the platform writes them, e.g. "Ctrl+Shift+A"
    text: str  # the action's text without its mnemonic "&"
    tip: str  # the action's tooltip when it says more than the text


@dataclass(frozen=True)
class ShortcutGroup:
    title: str
    shortcuts: tuple[Shortcut, ...] | None  # None: the workspace has not been opened yet


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _keys(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def action_shortcut(action: QAction) -> Shortcut | None:
    """The shortcut an action carries (its key sequence, or the key written after a tab in
    its text), or None when it has no key or no text to show."""
    label, _, written_key = action.text().partition("\t")
    keys = _keys(action.shortcut()) if not action.shortcut().isEmpty() else written_key.strip()
    label = _plain(label)
    if not keys or not label:
        return None
    return Shortcut(keys, label, _tip_beyond(action.toolTip(), label, keys))


def _tip_beyond(tip: str, label: str, keys: str) -> str:
    """The tooltip, or "" when it only repeats the text and the key ("受理（A）")."""
    rest = _plain(tip.partition("\t")[0]).replace(label, "", 1).replace(keys, "", 1)
    return tip.strip() if rest.strip(" （）()") else ""


def button_shortcut(button: QAbstractButton) -> Shortcut | None:
    label = _plain(button.text())
    if button.shortcut().isEmpty() or not label:
        return None
    keys = _keys(button.shortcut())
    return Shortcut(keys, label, _tip_beyond(button.toolTip(), label, keys))


def _unique(shortcuts: Iterable[Shortcut | None]) -> tuple[Shortcut, ...]:
    seen: dict[tuple[str, str], Shortcut] = {}
    for shortcut in shortcuts:
        if shortcut is not None:
            seen.setdefault((shortcut.keys, shortcut.text), shortcut)
    return tuple(seen.values())


def widget_shortcuts(root: QWidget) -> tuple[Shortcut, ...]:
    """Every shortcut of the actions and buttons inside `root` (its own actions included)."""
    actions = [*root.actions(), *root.findChildren(QAction)]
    for widget in root.findChildren(QWidget):
        actions.extend(widget.actions())
    return _unique(
        [
            *(action_shortcut(a) for a in actions),
            *(button_shortcut(b) for b in root.findChildren(QAbstractButton)),
        ]
    )


def menu_bar_groups(menu_bar: QMenuBar) -> list[ShortcutGroup]:
    """One group per menu of the bar, titled by the menu."""
    groups = []
    for menu_action in menu_bar.actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):
            continue
        shortcuts = _unique(action_shortcut(a) for a in menu.actions())
        if shortcuts:
            groups.append(ShortcutGroup(_plain(menu.title()).split("(")[0], shortcuts))
    return groups


class ShortcutsDialog(QDialog):
    """The list, one branch per group: key, action, what it does."""

    def __init__(self, groups: Sequence[ShortcutGroup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("快捷键"))
        # Wide enough for most descriptions (they were cut at 640 px), never past the screen.
        screen = parent.screen() if parent is not None else QApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen is not None else QSize(1366, 768)
        self.resize(min(900, room.width() - 40), min(720, room.height() - 60))
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutTree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("按键"), self.tr("操作"), self.tr("说明")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        for group in groups:
            top = QTreeWidgetItem(self.tree, [group.title])
            top.setFirstColumnSpanned(True)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            if group.shortcuts is None:
                note = QTreeWidgetItem(top, ["", self.tr("打开该工作区后，这里列出它的快捷键")])
                note.setDisabled(True)
            elif not group.shortcuts:
                note = QTreeWidgetItem(top, ["", self.tr("此工作区没有专用快捷键")])
                note.setDisabled(True)
            for shortcut in group.shortcuts or ():
                row = QTreeWidgetItem(top, [shortcut.keys, shortcut.text, shortcut.tip])
                row.setToolTip(2, shortcut.tip)  # the whole sentence where the column cuts it
            top.setExpanded(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _branches(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def groupTitles(self) -> list[str]:
        return [top.text(0) for top in self._branches()]

    def listed(self) -> list[tuple[str, str, str]]:
        """(group, keys, action) of every row, in order."""
        rows = []
        for top in self._branches():
            for child in (top.child(j) for j in range(top.childCount())):
                if child is not None and child.text(0):
                    rows.append((top.text(0), child.text(0), child.text(1)))
        return rows
