"""The signed-in person as services see it, and the permission check every service uses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from centre_app.errors import PermissionDenied, msg
from centre_app.security.roles import ROLE_LABELS, Permission, Role, permissions_for

PERMISSION_LABELS: dict[Permission, str] = {
    Permission.INCIDENT_VIEW: msg("查看事件"),
    Permission.INCIDENT_CREATE: msg("登记事件"),
    Permission.INCIDENT_TRIAGE: msg("事件分流"),
    Permission.INCIDENT_DISPATCH: msg("派遣事件"),
    Permission.INCIDENT_HANDLE: msg("登记处置情况"),
    Permission.INCIDENT_VERIFY: msg("核实事件"),
    Permission.INCIDENT_CLOSE: msg("事件结案"),
    Permission.INCIDENT_ESCALATE: msg("上报县级"),
    Permission.INCIDENT_EXPORT: msg("导出事件"),
    Permission.VIDEO_VIEW: msg("查看视频"),
    Permission.VIDEO_MANAGE: msg("管理摄像机"),
    Permission.VIDEO_EVIDENCE: msg("截图取证"),
    Permission.MEDIATION_VIEW: msg("查看调解日历"),
    Permission.MEDIATION_BOOK: msg("预约调解室"),
    Permission.MEDIATION_MANAGE: msg("管理调解室"),
    Permission.RECEPTION_REGISTER: msg("来访登记"),
    Permission.PERSONAL_DATA_VIEW: msg("查看完整身份证号"),
    Permission.PETITION_MANAGE: msg("办理信访事项"),
    Permission.STATS_VIEW: msg("查看统计"),
    Permission.SETTINGS_MANAGE: msg("修改系统设置"),
    Permission.USERS_MANAGE: msg("管理用户"),
    Permission.SYNC_MANAGE: msg("管理县级同步"),
    Permission.AUDIT_VIEW: msg("查看审计日志"),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting. Services receive it explicitly; there is no global current user."""

    user_id: uuid.UUID | None
    username: str
    display_name: str
    roles: tuple[Role, ...]
    permissions: frozenset[Permission] = field(default=frozenset())

    @classmethod
    def for_roles(
        cls, user_id: uuid.UUID | None, username: str, display_name: str, roles: tuple[Role, ...]
    ) -> Actor:
        return cls(user_id, username, display_name, roles, permissions_for(roles))

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        """Raise PermissionDenied (with a Chinese sentence) unless the actor holds `permission`."""
        if permission not in self.permissions:
            raise PermissionDenied(
                "您（{name}，{roles}）没有“{permission}”的权限，请联系中心主任或系统管理员。",
                name=self.display_name,
                roles=self.role_labels or msg("无角色"),
                permission=PERMISSION_LABELS[permission],
            )

    @property
    def role_labels(self) -> str:
        return "、".join(ROLE_LABELS[r] for r in self.roles)


# The replication worker and migrations act as the system, not as a person.
SYSTEM_ACTOR = Actor(None, "system", "系统", (Role.ADMIN,), frozenset(Permission))
