"""The one-line messages under a form or a queue: an error, a success, a warning (done, but
look at this) or a note, each drawn
in its own colour (resources/styles/app.qss, `QLabel[messageKind=…]`), never a success in
the red of an error.

An error is stale once the user changes what caused it: `clear_when_edited` removes it at
the first edit of the form's fields, and the next successful action replaces it.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from centre_app.errors import DomainError
from ui.messages import error_text

PROPERTY = "messageKind"


class MessageKind(enum.Enum):
    ERROR = "error"
    SUCCESS = "success"
    WARNING = "warning"
    INFO = "info"


def show_message(label: QLabel, kind: MessageKind, text: str) -> None:
    label.setProperty(PROPERTY, kind.value)
    label.setText(text)
    _repolish(label)


def show_error(label: QLabel, error: DomainError | str) -> None:
    """A domain error in the interface's language, or an already translated sentence."""
    show_message(
        label, MessageKind.ERROR, error_text(error) if isinstance(error, DomainError) else error
    )


def show_success(label: QLabel, text: str) -> None:
    show_message(label, MessageKind.SUCCESS, text)


def show_warning(label: QLabel, text: str) -> None:
    show_message(label, MessageKind.WARNING, text)


def show_info(label: QLabel, text: str) -> None:
    show_message(label, MessageKind.INFO, text)


def message_kind(label: QLabel) -> MessageKind | None:
    value = label.property(PROPERTY)
    return MessageKind(value) if value and label.text() else None


def clear_message(label: QLabel) -> None:
    label.setProperty(PROPERTY, "")
    label.clear()
    _repolish(label)


def clear_error(label: QLabel) -> None:
    """Remove the message if it is an error (a success stays until the next action)."""
    if message_kind(label) is MessageKind.ERROR:
        clear_message(label)


def clear_when_edited(label: QLabel, *containers: QWidget) -> None:
    """Clear an error in `label` as soon as the user edits any input field inside (or
    being) one of `containers`: the problem is being fixed, the old sentence is stale."""
    fields: list[QWidget] = []
    for container in containers:
        fields.append(container)
        fields.extend(container.findChildren(QWidget))
    seen: set[int] = set()
    for field in fields:
        if id(field) in seen:
            continue
        seen.add(id(field))
        signal = _edit_signal(field)
        if signal is not None:
            signal.connect(lambda *_args: clear_error(label))


def _edit_signal(field: QWidget) -> SignalInstance | None:
    if isinstance(field, QLineEdit):
        if isinstance(field.parent(), (QAbstractSpinBox, QComboBox)):
            return None  # the spin box or combo box reports the change itself
        return field.textEdited
    if isinstance(field, (QPlainTextEdit, QTextEdit)):
        return field.textChanged
    if isinstance(field, QComboBox):
        return field.currentIndexChanged
    if isinstance(field, QSpinBox):
        return field.valueChanged
    if isinstance(field, QDateTimeEdit):
        return field.dateTimeChanged
    if isinstance(field, QAbstractButton) and field.isCheckable():
        return field.toggled
    return None


def _repolish(label: QLabel) -> None:
    style = label.style()
    style.unpolish(label)
    style.polish(label)
