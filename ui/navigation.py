"""What workspaces ask of each other, as types instead of attributes looked up by name.

The main window is a `Navigator`; a page that opens cases on request is an `IncidentDesk`;
a page that asks for a case made from a piece of evidence is an `EvidenceSource`. Pages
inherit the role they play (plain mixins: Qt's metaclass rules out `typing.Protocol`), and
the main window connects them by `isinstance`, so a renamed method is a type error, not a
request silently dropped.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable

from PySide6.QtWidgets import QWidget


class Workspace(enum.StrEnum):
    INCIDENTS = "incidents"
    VIDEO_WALL = "video_wall"
    MEDIATION = "mediation"
    RECEPTION = "reception"
    DASHBOARD = "dashboard"


class Navigator:
    """The window holding the pages."""

    def showWorkspace(self, key: str) -> None:
        raise NotImplementedError

    def openIncident(self, incident_id: str) -> None:
        """Bring the incidents workspace up with this case selected."""
        raise NotImplementedError


class IncidentDesk:
    """The incidents workspace, as other workspaces reach it."""

    def openIncident(self, incident_id: str) -> None:
        raise NotImplementedError

    def new_incident_from_evidence(self, evidence_id: uuid.UUID) -> object:
        raise NotImplementedError


class EvidenceSource:
    """A workspace that asks for a case made from one of its evidence items."""

    def connectIncidentRequests(self, handler: Callable[[uuid.UUID], None]) -> None:
        raise NotImplementedError


def navigator_of(widget: QWidget) -> Navigator | None:
    window = widget.window()
    return window if isinstance(window, Navigator) else None
