"""All mapped classes; importing this package registers every table on `Base.metadata`.

Each workspace keeps its tables in its own module here and is imported below.
"""

from db.models.incidents import (
    Channel,
    Incident,
    IncidentAttachment,
    IncidentEvent,
    IncidentSlaLimit,
    IncidentState,
    RiskColour,
)
from db.models.mediation import (
    Booking,
    CaseEvent,
    CaseParty,
    CaseState,
    Closure,
    MediationCase,
    MediationSession,
    RotaSeries,
    Selection,
    SessionStatus,
    WorkingDayCorrection,
)
from db.models.mediation_ref import Mediator, MediatorKind, Room
from db.models.reception import Visit, VisitPurpose, VisitRoute
from db.models.reference import Area, AreaLevel, Department, DepartmentKind
from db.models.replication import (
    CountyChange,
    CountyRow,
    CountyToken,
    OutboxEntry,
    ReplicationState,
    Tombstone,
)
from db.models.security import AuditEntry, LoginThrottle, User
from db.models.settings import Setting
from db.models.video import Camera, CameraHealth, Evidence, EvidenceKind, SavedWall, Tour

__all__ = [
    "Area",
    "AreaLevel",
    "AuditEntry",
    "Booking",
    "Camera",
    "CameraHealth",
    "CaseEvent",
    "CaseParty",
    "CaseState",
    "Channel",
    "Closure",
    "CountyChange",
    "CountyRow",
    "CountyToken",
    "Department",
    "DepartmentKind",
    "Evidence",
    "EvidenceKind",
    "Incident",
    "IncidentAttachment",
    "IncidentEvent",
    "IncidentSlaLimit",
    "IncidentState",
    "LoginThrottle",
    "MediationCase",
    "MediationSession",
    "Mediator",
    "MediatorKind",
    "OutboxEntry",
    "ReplicationState",
    "RiskColour",
    "Room",
    "RotaSeries",
    "SavedWall",
    "Selection",
    "SessionStatus",
    "Setting",
    "Tombstone",
    "Tour",
    "User",
    "Visit",
    "VisitPurpose",
    "VisitRoute",
    "WorkingDayCorrection",
]
