"""The same duty officer signs in at a second desk of the centre: the sign-in dialog says
where she already is and since when and lets her go on; the first desk's status bar shows
the second desk within a second (the change notice, nobody pressing anything), and no
longer once she signs out there."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.clock import to_local
from centre_app.demo import DEMO_PASSWORD
from db.models import DeskSession

pytestmark = pytest.mark.integration


def test_a_second_sign_in_is_told_and_the_first_desk_sees_it_at_once(
    qtbot: QtBot, seeded_centre: Callable[[], str]
) -> None:
    from ui.login_dialog import LoginDialog
    from ui.main_window import MainWindow

    url = seeded_centre()
    duty_desk = AppContext.open(url, seed_demo=False)
    hall_desk = AppContext.open(url, seed_demo=False)
    duty_desk.desk, hall_desk.desk = "值班台1", "接待窗口2"
    try:
        actor, first = duty_desk.auth.sign_in("zhiban", DEMO_PASSWORD, duty_desk.desk)
        assert first is not None
        window = MainWindow(duty_desk, actor, desk_session=first.session_id)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        _ = duty_desk.notices  # the window's relay listens from here on
        assert duty_desk._listener is not None and duty_desk._listener.listening.wait(10)
        qtbot.wait(200)  # the first heartbeat read: nobody else yet
        assert not window.elsewhere_label.isVisible()

        dialog = LoginDialog(hall_desk)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.username, "zhiban")
        qtbot.keyClicks(dialog.password, DEMO_PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        signed_in = time.monotonic()

        assert dialog.isVisible()  # told first, not taken straight in
        told = dialog.message.text()
        with duty_desk.session_factory() as session:
            since = session.get(DeskSession, first.session_id).signed_in_at  # type: ignore[union-attr]
        assert "值班台1" in told and to_local(since).strftime("%H:%M") in told
        assert dialog.login_button.text() == "继续"
        qtbot.waitUntil(window.elsewhere_label.isVisible, timeout=5000)
        seen_after = time.monotonic() - signed_in
        assert "接待窗口2" in window.elsewhere_label.text()

        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == LoginDialog.DialogCode.Accepted and dialog.actor is not None
        hall_desk.auth.logout(dialog.actor, dialog.desk_session)
        qtbot.waitUntil(lambda: not window.elsewhere_label.isVisible(), timeout=5000)
        print(f"\nthe first desk saw the second sign-in after {seen_after * 1000:.0f} ms")
        # Within the wait's 5 s, through the change notice; the figure is printed, not
        # asserted (a loaded machine stretches it).
        window.close()
    finally:
        hall_desk.close()
        duty_desk.close()
