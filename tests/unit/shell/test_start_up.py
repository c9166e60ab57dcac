"""The main window's modules are imported while the password is typed, on a thread, and
importing them there starts nothing that needs the GUI thread."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_main_window_modules_load_on_a_thread_before_any_window() -> None:
    code = (
        "import sys, warnings\n"
        "warnings.simplefilter('error')\n"
        "from ui.start_up import MODULES, preload_main_window\n"
        "assert not any(m in sys.modules for m in MODULES)\n"
        "preload_main_window().join(60)\n"
        "missing = [m for m in MODULES if m not in sys.modules]\n"
        "assert not missing, missing\n"
        "from PySide6.QtWidgets import QApplication\n"
        "assert QApplication.instance() is None  # nothing was built\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert "preloading" not in result.stderr  # no import failed on the thread
