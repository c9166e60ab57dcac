"""Roles and what each may do. The one place that maps roles to permissions."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from centre_app.errors import msg


class Role(enum.Enum):
    DUTY = "duty"  # 值班员
    RECEPTION = "reception"  # 接待员
    VIDEO = "video"  # 视频巡查员
    HEAD = "head"  # 中心主任
    ADMIN = "admin"  # 系统管理员


ROLE_LABELS: dict[Role, str] = {
    Role.DUTY: msg("值班员"),
    Role.RECEPTION: msg("接待员"),
    Role.VIDEO: msg("视频巡查员"),
    Role.HEAD: msg("中心主任"),
    Role.ADMIN: msg("系统管理员"),
}


class Permission(enum.Enum):
    INCIDENT_VIEW = "incident.view"
    INCIDENT_CREATE = "incident.create"
    INCIDENT_TRIAGE = "incident.triage"  # accept / reject / merge / colour
    INCIDENT_DISPATCH = "incident.dispatch"
    INCIDENT_HANDLE = "incident.handle"  # record progress and handling on behalf of a department
    INCIDENT_VERIFY = "incident.verify"
    INCIDENT_CLOSE = "incident.close"
    INCIDENT_ESCALATE = "incident.escalate"
    INCIDENT_EXPORT = "incident.export"
    VIDEO_VIEW = "video.view"
    VIDEO_MANAGE = "video.manage"  # camera registry, walls, tours
    VIDEO_EVIDENCE = "video.evidence"
    MEDIATION_VIEW = "mediation.view"
    MEDIATION_BOOK = "mediation.book"
    MEDIATION_MANAGE = "mediation.manage"
    RECEPTION_REGISTER = "reception.register"
    PERSONAL_DATA_VIEW = "personal_data.view"  # see unmasked ID numbers (audited)
    PETITION_MANAGE = "petition.manage"
    STATS_VIEW = "stats.view"
    SETTINGS_MANAGE = "settings.manage"
    USERS_MANAGE = "users.manage"
    SYNC_MANAGE = "sync.manage"
    AUDIT_VIEW = "audit.view"


P = Permission
_INCIDENT_WORK = {
    P.INCIDENT_VIEW, P.INCIDENT_CREATE, P.INCIDENT_TRIAGE, P.INCIDENT_DISPATCH,
    P.INCIDENT_HANDLE, P.INCIDENT_VERIFY, P.INCIDENT_CLOSE, P.INCIDENT_ESCALATE,
    P.INCIDENT_EXPORT,
}  # fmt: skip

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.DUTY: frozenset(
        _INCIDENT_WORK
        | {
            P.VIDEO_VIEW,
            P.VIDEO_EVIDENCE,
            P.MEDIATION_VIEW,
            P.MEDIATION_BOOK,
            P.STATS_VIEW,
            P.SYNC_MANAGE,
        }
    ),
    Role.RECEPTION: frozenset(
        {
            P.RECEPTION_REGISTER,
            P.PETITION_MANAGE,
            P.INCIDENT_VIEW,
            P.INCIDENT_CREATE,
            P.MEDIATION_VIEW,
            P.MEDIATION_BOOK,
        }
    ),
    Role.VIDEO: frozenset(
        {P.VIDEO_VIEW, P.VIDEO_MANAGE, P.VIDEO_EVIDENCE, P.INCIDENT_VIEW, P.INCIDENT_CREATE}
    ),
    Role.HEAD: frozenset(
        _INCIDENT_WORK
        | {
            P.VIDEO_VIEW,
            P.VIDEO_EVIDENCE,
            P.MEDIATION_VIEW,
            P.MEDIATION_BOOK,
            P.MEDIATION_MANAGE,
            P.RECEPTION_REGISTER,
            P.PETITION_MANAGE,
            P.PERSONAL_DATA_VIEW,
            P.STATS_VIEW,
            P.SETTINGS_MANAGE,
            P.SYNC_MANAGE,
            P.AUDIT_VIEW,
        }
    ),
    Role.ADMIN: frozenset(
        {
            P.SETTINGS_MANAGE,
            P.USERS_MANAGE,
            P.SYNC_MANAGE,
            P.AUDIT_VIEW,
            P.VIDEO_MANAGE,
            P.VIDEO_VIEW,
            P.MEDIATION_MANAGE,
            P.STATS_VIEW,
        }
    ),
}


def permissions_for(roles: Iterable[Role]) -> frozenset[Permission]:
    result: set[Permission] = set()
    for role in roles:
        result |= ROLE_PERMISSIONS[role]
    return frozenset(result)


def parse_roles(stored: str) -> tuple[Role, ...]:
    return tuple(Role(value) for value in stored.split(",") if value)


def store_roles(roles: Iterable[Role]) -> str:
    return ",".join(role.value for role in roles)
