"""GUI tests use the X server when there is one (scripts/test.sh starts Xvfb; libVLC needs
it) and Qt's offscreen platform otherwise. One process has one platform, so this is decided
once, before any QApplication exists."""

from __future__ import annotations

import os

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from ui.app import CHINESE_FAMILIES, load_style_sheet


@pytest.fixture
def as_shipped(qapp: QApplication) -> Iterator[None]:
    """The font and style sheets create_application gives the program (sizes depend on them)."""
    font, sheet = qapp.font(), qapp.styleSheet()
    shipped = QFont(font)
    shipped.setFamilies([*CHINESE_FAMILIES, font.family()])
    shipped.setPointSize(max(font.pointSize(), 10))
    qapp.setFont(shipped)
    qapp.setStyleSheet(load_style_sheet())
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
