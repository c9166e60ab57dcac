"""Cross-workspace navigation through the typed interface (ui/navigation.py)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from centre_app.demo import DEMO_PASSWORD
from db.models.incidents import Incident
from ui.incidents.page import IncidentsPage
from ui.main_window import MainWindow
from ui.navigation import EvidenceSource, IncidentDesk, Navigator, Workspace

pytestmark = pytest.mark.gui


def test_opening_a_case_from_anywhere_brings_up_the_incidents_page_with_it_selected(
    qtbot: QtBot, ctx: Any
) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    with ctx.session_factory() as session:
        case = session.scalars(select(Incident).order_by(Incident.id).limit(1)).one()
    window = MainWindow(ctx, duty)
    qtbot.addWidget(window)
    window.show()
    window.showWorkspace(Workspace.DASHBOARD)
    assert isinstance(window, Navigator)
    window.openIncident(str(case.id))
    assert window.currentWorkspace() == Workspace.INCIDENTS
    page = window.pages[Workspace.INCIDENTS]
    assert isinstance(page, IncidentsPage) and isinstance(page, IncidentDesk)
    assert page.selectedId() == str(case.id)
    window.close()


def test_a_case_that_is_not_here_is_said_in_the_status_bar_not_raised(
    qtbot: QtBot, ctx: Any
) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    window = MainWindow(ctx, duty)
    qtbot.addWidget(window)
    window.show()
    window.openIncident(str(uuid.uuid4()))  # deleted, or not yet synced from the county
    assert "找不到该事件" in window.statusBar().currentMessage()
    window.close()


def test_the_video_wall_declares_itself_an_evidence_source() -> None:
    from ui.video_wall.page import VideoWallPage

    assert issubclass(VideoWallPage, EvidenceSource)
    assert issubclass(IncidentsPage, IncidentDesk) and issubclass(MainWindow, Navigator)
