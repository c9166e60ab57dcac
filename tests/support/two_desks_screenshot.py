"""The README's picture of two desks side by side showing the same case.

    python -m tests.support.two_desks_screenshot docs/screenshots/centre_two_desks.png

Starts a throwaway PostgreSQL cluster, seeds a centre, runs the reception desk and the duty
desk as two processes of the real application (tests.support.desk_driver), registers a
group visit at reception, waits until the duty desk's queue shows its case, opens it
there, and puts both windows side by side in one PNG. Needs an X display (Xvfb).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from tests.support.county import ROOT
from tests.support.postgres import start_cluster

CAPTIONS = (
    "接待窗口1 · 林小红（接待员）登记 6 人集体访",
    "值班台1 · 王晓燕（值班员）：同一事件已在待分流队列，无人刷新",
)


def _desk(url: str, user: str, desk: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.desk_driver", url, user, desk],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )


def _ask(process: subprocess.Popen[str], line: str | None = None) -> list[str]:
    assert process.stdin is not None and process.stdout is not None
    if line is not None:
        process.stdin.write(line + "\n")
        process.stdin.flush()
    return process.stdout.readline().split()


def main(target: str) -> int:
    from PySide6.QtGui import QGuiApplication

    from centre_app.app_context import AppContext

    cluster = start_cluster()
    if cluster is None:
        print("PostgreSQL server programs are not installed", file=sys.stderr)
        return 1
    processes: list[subprocess.Popen[str]] = []
    try:
        url = cluster.create_database("centre")
        AppContext.open(url, demo_scale=0.01).close()
        reception, duty = _desk(url, "jiedai", "接待窗口1"), _desk(url, "zhiban", "值班台1")
        processes += [reception, duty]
        assert _ask(reception)[0] == "ready" and _ask(duty)[0] == "ready"
        summary = "某服装厂工人集体反映被拖欠三个月工资"
        duty.stdin.write(f"watch {summary}\n")  # type: ignore[union-attr]
        duty.stdin.flush()  # type: ignore[union-attr]
        registered = _ask(reception, f"group 6 {summary}")
        seen = _ask(duty)
        assert seen[0] == "seen" and seen[1] == registered[2], (registered, seen)
        assert _ask(duty, f"open {seen[1]}") == ["opened"]
        with tempfile.TemporaryDirectory() as folder:
            shots = [Path(folder) / "reception.png", Path(folder) / "duty.png"]
            for process, shot in zip((reception, duty), shots, strict=True):
                assert _ask(process, f"shot {shot}") == ["shot"]
            _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
            images = [QImage(str(shot)) for shot in shots]
        from ui.app import chinese_font

        gap, caption = 16, 44
        width = sum(image.width() for image in images) + gap
        height = max(image.height() for image in images) + caption
        canvas = QImage(width, height, QImage.Format.Format_RGB32)
        canvas.fill(QColor("#2b2b2b"))
        painter = QPainter(canvas)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(chinese_font(22, bold=True))
        x = 0
        for image, title in zip(images, CAPTIONS, strict=True):
            painter.drawText(
                x + 12, 0, image.width(), caption, Qt.AlignmentFlag.AlignVCenter, title
            )
            painter.drawImage(x, caption, image)
            x += image.width() + gap
        painter.end()
        scaled = canvas.scaledToWidth(min(width, 2200), Qt.TransformationMode.SmoothTransformation)
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        assert scaled.save(target)
        print(target)
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                try:
                    _ask(process, "quit")
                    process.wait(15)
                except (OSError, subprocess.TimeoutExpired, AssertionError):
                    process.kill()
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/centre_two_desks.png"))
