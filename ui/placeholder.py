"""A page that names what a workspace will hold until its issue lands."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.workspaces import WorkspaceSpec


class PlaceholderPage(QWidget):
    def __init__(self, spec: WorkspaceSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"placeholder_{spec.key}")
        title = QLabel(spec.label, self)
        title.setObjectName("placeholderTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QLabel(QCoreApplication.translate("Workspaces", spec.description), self)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setObjectName("placeholderBody")
        note = QLabel(self.tr("此工作区正在建设中。"), self)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addWidget(note)
        layout.addStretch(2)
