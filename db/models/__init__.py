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
from db.models.mediation_ref import Mediator, MediatorKind, Room
from db.models.reception import (
    HallService,
    HallWindow,
    Petition,
    PetitionChannel,
    PetitionState,
    QueueAction,
    QueueEvent,
    QueueTicket,
    TicketCounter,
    TicketPriority,
    TicketState,
    Visit,
    VisitNameGram,
    VisitPurpose,
    VisitRoute,
)
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
    "Camera",
    "CameraHealth",
    "Channel",
    "CountyChange",
    "CountyRow",
    "CountyToken",
    "Department",
    "DepartmentKind",
    "Evidence",
    "EvidenceKind",
    "HallService",
    "HallWindow",
    "Incident",
    "IncidentAttachment",
    "IncidentEvent",
    "IncidentSlaLimit",
    "IncidentState",
    "LoginThrottle",
    "Mediator",
    "MediatorKind",
    "OutboxEntry",
    "Petition",
    "PetitionChannel",
    "PetitionState",
    "QueueAction",
    "QueueEvent",
    "QueueTicket",
    "ReplicationState",
    "RiskColour",
    "Room",
    "SavedWall",
    "Setting",
    "TicketCounter",
    "TicketPriority",
    "TicketState",
    "Tombstone",
    "Tour",
    "User",
    "Visit",
    "VisitNameGram",
    "VisitPurpose",
    "VisitRoute",
]
