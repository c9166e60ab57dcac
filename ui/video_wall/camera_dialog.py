"""Add or edit one camera, and import cameras from CSV with a report of rejected lines."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from centre_app.errors import DomainError
from centre_app.security.actor import Actor
from centre_app.video.csv_import import ImportReport, decode, import_cameras
from centre_app.video.registry import CameraDraft, CameraInfo, CameraRegistry, DraftProblems
from ui.messages import error_text


class CameraDialog(QDialog):
    """The registry's edit form; the service validates, the dialog shows its message."""

    def __init__(
        self,
        registry: CameraRegistry,
        actor: Actor,
        villages: list[str],
        camera: CameraInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._registry, self._actor, self._camera = registry, actor, camera
        self.saved: CameraInfo | None = None
        self.setWindowTitle(self.tr("编辑摄像机") if camera else self.tr("新增摄像机"))
        self.code = QLineEdit(camera.national_code if camera else "", self)
        self.code.setPlaceholderText(self.tr("20 位国标编码"))
        self.name = QLineEdit(camera.name if camera else "", self)
        self.village = QComboBox(self)
        self.village.setEditable(True)
        self.village.addItems(["", *villages])
        self.village.setCurrentText(camera.village if camera else "")
        self.site = QLineEdit(camera.site if camera else "", self)
        self.main_url = QLineEdit(camera.main_url if camera else "", self)
        self.main_url.setPlaceholderText("http://… / rtp://@…")
        self.sub_url = QLineEdit((camera.sub_url or "") if camera else "", self)
        self.location = QLineEdit(camera.location if camera else "", self)
        self.notes = QPlainTextEdit(camera.notes if camera else "", self)
        self.notes.setMaximumHeight(60)
        self.enabled = QCheckBox(self.tr("启用"), self)
        self.enabled.setChecked(camera.enabled if camera else True)
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, field in (
            (self.tr("国标编码"), self.code),
            (self.tr("名称"), self.name),
            (self.tr("村（社区）"), self.village),
            (self.tr("点位"), self.site),
            (self.tr("主码流"), self.main_url),
            (self.tr("子码流"), self.sub_url),
            (self.tr("位置"), self.location),
            (self.tr("备注"), self.notes),
            ("", self.enabled),
        ):
            form.addRow(label, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(buttons)
        self.resize(520, 0)

    def draft(self) -> CameraDraft:
        return CameraDraft(
            self.code.text(),
            self.name.text(),
            self.main_url.text(),
            self.sub_url.text() or None,
            self.village.currentText(),
            self.site.text(),
            self.location.text(),
            self.notes.toPlainText(),
            self.enabled.isChecked(),
        )

    def save(self) -> None:
        try:
            if self._camera is None:
                self.saved = self._registry.add(self._actor, self.draft())
            else:
                self.saved = self._registry.update(self._actor, self._camera.id, self.draft())
        except DraftProblems as exc:
            self.error.setText(self.tr("；").join(error_text(p) for p in exc.problems))
            return
        except DomainError as exc:
            self.error.setText(error_text(exc))
            return
        self.accept()


class ImportReportDialog(QDialog):
    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("摄像机导入结果"))
        table = QTableWidget(len(report.rejected), 3, self)
        table.setHorizontalHeaderLabels([self.tr("行号"), self.tr("原因"), self.tr("内容")])
        for r, line in enumerate(report.rejected):
            reason = self.tr("；").join(error_text(p) for p in line.problems)
            for c, text in enumerate((str(line.line), reason, line.text)):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(QLabel(error_text(report.summary()), self))
        box.addWidget(table)
        box.addWidget(buttons)
        self.resize(820, 420)


def import_csv(registry: CameraRegistry, actor: Actor, parent: QWidget) -> ImportReport | None:
    """Ask for a file, import it, show the report. None when cancelled or refused."""
    name, _ = QFileDialog.getOpenFileName(
        parent, QCoreApplication.translate("CameraImport", "导入摄像机 CSV"), "", "CSV (*.csv)"
    )
    if not name:
        return None
    try:
        report = import_cameras(registry, actor, decode(Path(name).read_bytes()))
    except (DomainError, OSError) as exc:
        from PySide6.QtWidgets import QMessageBox

        message = (
            error_text(exc)
            if isinstance(exc, DomainError)
            else QCoreApplication.translate("CameraImport", "无法读取该文件，请检查文件是否存在。")
        )
        QMessageBox.warning(
            parent, QCoreApplication.translate("CameraImport", "导入摄像机"), message
        )
        return None
    ImportReportDialog(report, parent).exec()
    return report
