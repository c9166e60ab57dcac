"""Start-up benchmark: a fresh process (cold interpreter, existing database) until the main
window is on screen, then until its first workspace is built (right after the first paint),
median of N runs, with the process's CPU time and resident memory.

    python -m bench.startup [--runs 5] [--db URL] [--user zhiban]

The login dialog is skipped (a person types there); the password check itself is timed as
part of the start-up since it runs the same code, with the password "typed" the instant the
dialog would open: what main.py preloads while a person types (ui/start_up.py) only gets
the time the password check leaves it. The baseline printed next to it is a bare
`python -c "import PySide6.QtWidgets"` process with an empty window, measured in the same run.
CPU time (user + sys) is printed beside wall time because it moves far less when other
programs load the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, sys, time
from PySide6.QtWidgets import QApplication
from ui.app import create_application
from centre_app.app_context import AppContext
from ui.start_up import preload_main_window
app = create_application(sys.argv[:1])
ctx = AppContext.open(os.environ["BENCH_DB"])
preload_main_window()  # as main.py does when the login dialog opens; the password is
actor = ctx.auth.login(os.environ["BENCH_USER"], "Demo2026")  # "typed" at once here
from ui.main_window import MainWindow
window = MainWindow(ctx, actor)
window.show()
while not (window.windowHandle() and window.windowHandle().isExposed()):
    app.processEvents()
shown = time.time()
cpu = sum(os.times()[:2])
while not window.pages:  # the first workspace is built right after the first paint
    app.processEvents()
app.processEvents()
ready = time.time()
import psutil
rss = psutil.Process().memory_info().rss
print(json.dumps({"shown": shown, "rss": rss, "cpu": cpu, "ready": ready}))
"""

BASELINE = r"""
import json, os, sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow(); window.resize(1440, 900); window.show()
while not (window.windowHandle() and window.windowHandle().isExposed()):
    app.processEvents()
import psutil
shown = time.time()
print(json.dumps({"shown": shown, "rss": psutil.Process().memory_info().rss,
                  "cpu": sum(os.times()[:2]), "ready": shown}))
"""


def _run(code: str, env: dict[str, str]) -> tuple[float, int, float, float]:
    """(seconds to the shown window, resident bytes, CPU seconds of the process until then,
    seconds until the first workspace is ready)."""
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["shown"] - start, result["rss"], result["cpu"], result["ready"] - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", help="database URL (default: a new demo database, seeded first)")
    parser.add_argument("--user", default="zhiban")
    args = parser.parse_args()

    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory() as tmp:
        env["ZONGZHI_DATA_DIR"] = tmp
        url = args.db or f"sqlite:///{tmp}/centre.db"
        if not args.db:
            seed = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "from centre_app.app_context import AppContext;"
                    f"AppContext.open({url!r}).close()",
                ],
                cwd=ROOT,
                env=env,
                check=True,
            )
            assert seed.returncode == 0
        env["BENCH_DB"], env["BENCH_USER"] = url, args.user
        app_runs = [_run(CHILD, env) for _ in range(args.runs)]
        base_runs = [_run(BASELINE, env) for _ in range(args.runs)]
    app_s = statistics.median(t for t, _, _, _ in app_runs)
    base_s = statistics.median(t for t, _, _, _ in base_runs)
    app_rss = statistics.median(r for _, r, _, _ in app_runs) / 2**20
    base_rss = statistics.median(r for _, r, _, _ in base_runs) / 2**20
    app_cpu = statistics.median(c for _, _, c, _ in app_runs)
    base_cpu = statistics.median(c for _, _, c, _ in base_runs)
    ready_s = statistics.median(r for _, _, _, r in app_runs)
    print(f"database: {url}")
    print(
        f"start-up to main window (cold process, median of {args.runs}): {app_s * 1000:.0f} ms"
        f"  [runs: {', '.join(f'{t * 1000:.0f}' for t, _, _, _ in app_runs)}]"
    )
    print(
        f"baseline bare PySide6 window:                          {base_s * 1000:.0f} ms"
        f"  → ratio {app_s / base_s:.2f}×"
    )
    print(
        f"first workspace ready (built after the first paint):   {ready_s * 1000:.0f} ms"
        f"  → ratio {ready_s / base_s:.2f}×"
    )
    print(
        f"CPU time of the process (user+sys, steadier on a busy machine): {app_cpu * 1000:.0f} ms"
        f" (baseline {base_cpu * 1000:.0f} ms, ratio {app_cpu / base_cpu:.2f}×)"
    )
    print(
        f"resident memory after start: {app_rss:.0f} MB (baseline {base_rss:.0f} MB,"
        f" ratio {app_rss / base_rss:.2f}×)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
