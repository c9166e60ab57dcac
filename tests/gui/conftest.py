"""GUI tests use the X server when there is one (scripts/test.sh starts Xvfb; libVLC needs
it) and Qt's offscreen platform otherwise. One process has one platform, so this is decided
once, before any QApplication exists."""

from __future__ import annotations

import os

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
