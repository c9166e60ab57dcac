"""libVLC needs a real X server: use DISPLAY, or start Xvfb before any QApplication exists."""

from __future__ import annotations

import os

from tests.support.xvfb import start_xvfb

if os.environ.get("QT_QPA_PLATFORM") == "offscreen" and not os.environ.get("DISPLAY"):
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None and start_xvfb() is not None:
        os.environ["QT_QPA_PLATFORM"] = "xcb"
