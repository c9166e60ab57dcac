"""`QComboBox.findData` compares Python objects (a `uuid.UUID`) by identity, so an id read
in another query is never found and the first item gets chosen silently. Look it up by
value instead."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def index_of(combo: QComboBox, value: object) -> int:
    """The index of the item whose data equals `value`, or -1."""
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)
