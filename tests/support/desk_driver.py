"""One desk of a centre as a process of its own: the real main window on the centre's
PostgreSQL database, signed in as USER at desk DESK, driven by lines on stdin.

    python -m tests.support.desk_driver URL USER DESK

stdin                      stdout
                           ready <pid>            (window on screen, listening to the others)
group <people> <summary>   registered <visit id> <incident id> <commit time>
                           (the reception form filled and 登记并取号 pressed by key)
watch <summary>            seen <incident id> <time>   (a row with it appears in the queue)
open <incident id>         opened                 (the case selected in the incidents page)
shot <path>                shot                   (the window grabbed to a PNG)
quit                       (the window closes, the desk signs out)

Times are time.time() of this machine: the commit time is when the local change notice of
the visit was published (after COMMIT), the seen time when the row entered the model.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from centre_app.app_context import AppContext
from centre_app.centre.notice import ChangeNotice, Origin
from centre_app.demo import DEMO_PASSWORD
from db.models.reception import Visit
from ui.app import create_application
from ui.main_window import MainWindow
from ui.navigation import Workspace
from ui.reception.page import ReceptionPage


class _Lines(QObject):
    line = Signal(str)


def say(*words: object) -> None:
    print(*words, flush=True)


class Desk:
    def __init__(self, ctx: AppContext, window: MainWindow) -> None:
        self.ctx = ctx
        self.window = window
        self.watching: str | None = None
        self.commits: list[float] = []
        ctx.notices.subscribe(self._heard)

    def _heard(self, notice: ChangeNotice) -> None:  # the committing thread
        if notice.origin is Origin.LOCAL and notice.touches("visit"):
            self.commits.append(time.time())

    def handle(self, line: str) -> None:
        try:
            self._handle(line)
        except Exception as exc:  # answered, so the test fails at once instead of waiting
            logging.exception("desk driver: %r failed", line)
            say("error", type(exc).__name__, str(exc).replace("\n", " "))

    def _handle(self, line: str) -> None:
        word, _, rest = line.strip().partition(" ")
        if word == "group":
            people, _, summary = rest.partition(" ")
            self.register_group(int(people), summary)
        elif word == "watch":
            self.watch(rest)
        elif word == "open":
            self.window.openIncident(rest)
            say("opened")
        elif word == "shot":
            self.window.grab().save(rest)
            say("shot")
        elif word == "quit":
            self.window.close()
            QApplication.instance().quit()  # type: ignore[union-attr]

    def register_group(self, people: int, summary: str) -> None:
        self.window.showWorkspace(Workspace.RECEPTION)
        # The workspace is a tab widget (registration, petitions); registration is a child.
        page = self.window.pages[Workspace.RECEPTION].findChild(ReceptionPage)
        page.name.setText("金小军")  # type: ignore[attr-defined]  # QTest types ASCII only
        spin = page.group_size  # type: ignore[attr-defined]
        spin.lineEdit().selectAll()
        QTest.keyClicks(spin, str(people))
        page.summary.setPlainText(summary)  # type: ignore[attr-defined]
        self.commits.clear()
        QTest.keyClick(
            page.register_button,  # type: ignore[attr-defined]
            Qt.Key.Key_Return,
            Qt.KeyboardModifier.ControlModifier,
        )
        visit_id = page.last_visit_id  # type: ignore[attr-defined]
        with self.ctx.session_factory() as session:
            incident_id = session.scalar(select(Visit.incident_id).where(Visit.id == visit_id))
        say("registered", visit_id, incident_id, self.commits[0] if self.commits else 0.0)

    def watch(self, summary: str) -> None:
        self.window.showWorkspace(Workspace.INCIDENTS)
        model = self.window.pages[Workspace.INCIDENTS].model  # type: ignore[attr-defined]
        self.watching = summary

        def look(*_args: object) -> None:
            if self.watching is None:
                return
            for row in range(model.rowCount()):
                found = model.row_at(row)
                if self.watching in found.title:
                    self.watching = None
                    say("seen", found.id, time.time())
                    return

        for signal in (model.rowsInserted, model.modelReset, model.layoutChanged):
            signal.connect(look)
        look()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("user")
    parser.add_argument("desk")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    app = create_application(sys.argv[:1])
    ctx = AppContext.open(args.url, seed_demo=False)
    ctx.desk = args.desk
    actor, signed_in = ctx.auth.sign_in(args.user, DEMO_PASSWORD, args.desk)
    window = MainWindow(ctx, actor, desk_session=signed_in.session_id if signed_in else None)
    desk = Desk(ctx, window)
    lines = _Lines()
    lines.line.connect(desk.handle, Qt.ConnectionType.QueuedConnection)

    def read() -> None:
        for line in sys.stdin:
            lines.line.emit(line)
        lines.line.emit("quit")

    def started() -> None:
        listener = ctx._listener
        if listener is not None:
            listener.listening.wait(10)
        threading.Thread(target=read, daemon=True).start()
        say("ready", os.getpid())

    window.startedUp.connect(lambda: QTimer.singleShot(0, started))
    window.resize(1280, 800)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
