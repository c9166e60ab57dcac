"""Centre settings, one field per setting; the SettingsService validates and audits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from centre_app.errors import DomainError
from centre_app.security.roles import Permission
from centre_app.settings import Key
from ui.messages import error_text, translate_template
from ui.status_message import clear_when_edited, show_error, show_info

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

_INT_RANGES = {Key.SYNC_INTERVAL_S: (1, 3600), Key.DUE_SOON_HOURS: (1, 240)}


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.setWindowTitle(self.tr("设置"))
        self.setObjectName("settingsDialog")
        self.setMinimumWidth(460)
        self.editable = actor.can(Permission.SETTINGS_MANAGE)
        self._values = ctx.settings.all()
        self.fields: dict[Key, QWidget] = {}

        form = QFormLayout()
        for key, value in self._values.items():
            field = self._field_for(key, value)
            field.setEnabled(self.editable)
            field.setObjectName(key.value.key)
            self.fields[key] = field
            form.addRow(translate_template(key.value.label), field)
        self.error = QLabel(self)
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        if not self.editable:
            show_info(self.error, self.tr("只有中心主任或系统管理员可以修改设置。"))
        else:
            clear_when_edited(self.error, *self.fields.values())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.editable)
        buttons.accepted.connect(self.saveSettings)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _field_for(self, key: Key, value: Any) -> QWidget:
        if key is Key.LANGUAGE:
            combo = QComboBox(self)
            combo.addItem("中文（简体）", "zh_CN")
            combo.addItem("English", "en")
            combo.setCurrentIndex(max(combo.findData(value), 0))
            return combo
        if key in _INT_RANGES:
            spin = QSpinBox(self)
            spin.setRange(*_INT_RANGES[key])
            spin.setValue(int(value))
            return spin
        line = QLineEdit(str(value), self)
        if key is Key.COUNTY_URL:
            line.setPlaceholderText("https://county.example")
        if key is Key.COUNTY_TOKEN:
            line.setEchoMode(QLineEdit.EchoMode.Password)
        return line

    def value_of(self, key: Key) -> Any:
        field = self.fields[key]
        if isinstance(field, QComboBox):
            return field.currentData()
        if isinstance(field, QSpinBox):
            return field.value()
        assert isinstance(field, QLineEdit)
        return field.text().strip()

    def saveSettings(self) -> None:
        """Check every changed value first, then save: a refused value saves nothing."""
        changed = {key: self.value_of(key) for key in self.fields}
        changed = {key: value for key, value in changed.items() if value != self._values[key]}
        for key, value in changed.items():
            try:
                key.value.validate(value)
            except DomainError as error:
                show_error(
                    self.error,
                    self.tr("{0}：{1}").format(
                        translate_template(key.value.label), error_text(error)
                    ),
                )
                self.fields[key].setFocus()
                return
        for key, value in changed.items():
            self._values[key] = self._ctx.settings.set(self._actor, key, value)
        self.accept()
