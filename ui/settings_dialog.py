"""设置: the centre's settings and this workstation's, in two groups (the scope is the
settings table's, centre_app/settings.py). The centre's are read-only without
SETTINGS_MANAGE; the workstation's are the user's own. The SettingsService validates,
stores each where it belongs and audits the centre's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from centre_app.errors import DomainError
from centre_app.security.roles import Permission
from centre_app.settings import CENTRE_KEYS, DESK_KEYS, Key
from ui.messages import error_text, translate_template
from ui.status_message import clear_when_edited, show_error, show_info

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

_INT_RANGES = {
    Key.SYNC_INTERVAL_S: (1, 3600),
    Key.DUE_SOON_HOURS: (1, 240),
    Key.FILE_CACHE_MB: (1, 1 << 20),
}


def shown_url(url: str) -> str:
    """A database URL without its password (for labels and logs)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@")[-1]


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.setWindowTitle(self.tr("设置"))
        self.setObjectName("settingsDialog")
        self.setMinimumWidth(560)
        self.editable = actor.can(Permission.SETTINGS_MANAGE)
        self._values = ctx.settings.all()
        self.fields: dict[Key, QWidget] = {}
        self.restart_needed = False  # the database URL changed: it applies at the next start

        self.centre_group = QGroupBox(self.tr("本中心（所有工作站共用，存于中心数据库）"), self)
        self.centre_group.setObjectName("centreSettings")
        centre_form = QFormLayout(self.centre_group)
        for key in CENTRE_KEYS:
            field = self._add_field(centre_form, key)
            field.setEnabled(self.editable)
        self.desk_group = QGroupBox(self.tr("本工作站（仅本机的当前用户，存于本机）"), self)
        self.desk_group.setObjectName("deskSettings")
        desk_form = QFormLayout(self.desk_group)
        for key in (k for k in DESK_KEYS if k.value.shown):
            self._add_field(desk_form, key)
            if key is Key.DATABASE_URL:
                self.database_note = QLabel(self._database_note(), self.desk_group)
                self.database_note.setObjectName("databaseNote")
                self.database_note.setWordWrap(True)
                desk_form.addRow("", self.database_note)

        self.error = QLabel(self)
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        if not self.editable:
            show_info(
                self.error,
                self.tr("只有中心主任或系统管理员可以修改本中心的设置；本工作站的设置可以修改。"),
            )
        clear_when_edited(self.error, *self.fields.values())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.saveSettings)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.centre_group)
        layout.addWidget(self.desk_group)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _add_field(self, form: QFormLayout, key: Key) -> QWidget:
        field = self._field_for(key, self._values[key])
        field.setObjectName(key.value.key)
        self.fields[key] = field
        form.addRow(translate_template(key.value.label), field)
        return field

    def _database_note(self) -> str:
        current = shown_url(self._ctx.engine.url.render_as_string(hide_password=False))
        return self.tr(
            "正在使用：{0}。修改后重新启动程序生效；启动参数 --db 优先于此设置。"
        ).format(current)

    def _field_for(self, key: Key, value: Any) -> QWidget:
        if key is Key.LANGUAGE:
            combo = QComboBox(self)
            combo.addItem("中文（简体）", "zh_CN")
            combo.addItem("English", "en")
            combo.setCurrentIndex(max(combo.findData(value), 0))
            return combo
        if key is Key.MEDIATION_SOFT_RULES:  # it showed its stored word, "refuse"
            combo = QComboBox(self)
            combo.addItem(self.tr("拒绝预约"), "refuse")
            combo.addItem(self.tr("提醒，由接待员确认"), "warn")
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
        if key is Key.DATABASE_URL:  # it holds a password: readable only while edited
            line.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
            line.setPlaceholderText("postgresql+psycopg://zongzhi:…@192.168.1.10:5432/zongzhi")
        if key is Key.TICKET_PRINTER:
            line.setPlaceholderText(self.tr("打印机名称、escpos:主机:9100 或 pdf:/路径.pdf"))
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
        """Check every changed value first, then save: a refused value saves nothing. The
        centre's settings are only saved by someone who may change them."""
        keys = [k for k in self.fields if self.editable or k in DESK_KEYS]
        changed = {key: self.value_of(key) for key in keys}
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
            try:
                self._values[key] = self._ctx.settings.set(self._actor, key, value)
            except DomainError as error:
                show_error(self.error, error_text(error))
                return
            except OSError as error:  # the user's config directory cannot be written
                show_error(
                    self.error,
                    self.tr("无法保存本工作站的设置：{0}").format(error.strerror or error),
                )
                return
        self.restart_needed = Key.DATABASE_URL in changed
        self.accept()
