"""Camera health (在线状态) as this workstation sees it: state, offline since, last good play.

Also the view audit: starting to watch a camera is a personal-data access and is
recorded in the audit trail (who, which camera, when).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.security.actor import Actor
from centre_app.security.audit import record
from centre_app.security.roles import Permission
from db.models import Area, Camera, CameraHealth


@dataclass(frozen=True)
class HealthRow:
    camera_id: uuid.UUID
    name: str
    place: str
    state: str
    offline_since: dt.datetime | None
    last_ok_at: dt.datetime | None
    last_error: str


class HealthService:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._sf = session_factory
        self._clock = clock

    def report(self, camera_id: uuid.UUID, state: str, error: str = "") -> None:
        """Store a state change seen by a tile (online keeps last_ok_at fresh)."""
        now = self._clock.now()
        with self._sf.begin() as s:
            if s.get(Camera, camera_id) is None:
                return
            row = s.get(CameraHealth, camera_id)
            if row is None:
                row = CameraHealth(camera_id=camera_id, state=state, last_error="")
                s.add(row)
            if state == "playing":
                row.last_ok_at = now
                row.offline_since = None
                row.last_error = ""
            elif state in ("offline", "unsupported") and row.offline_since is None:
                row.offline_since = now
            if error:
                row.last_error = error[:255]
            row.state = state

    def rows(self, actor: Actor) -> list[HealthRow]:
        """Every camera with its health; offline ones first, longest offline first."""
        actor.require(Permission.VIDEO_VIEW)
        with self._sf() as s:
            stmt = (select(Camera, CameraHealth, Area.name)
                    .outerjoin(CameraHealth, CameraHealth.camera_id == Camera.id)
                    .outerjoin(Area, Area.id == Camera.area_id))
            out = []
            for cam, health, village in s.execute(stmt):
                out.append(HealthRow(
                    cam.id, cam.name, " ".join(p for p in (village or "", cam.site) if p),
                    health.state if health else "unknown",
                    health.offline_since if health else None,
                    health.last_ok_at if health else None,
                    health.last_error if health else ""))
        far_future = dt.datetime.max.replace(tzinfo=dt.UTC)
        return sorted(out, key=lambda r: (r.offline_since is None,
                                          r.offline_since or far_future, r.name))

    def record_view(self, actor: Actor, camera_id: uuid.UUID, camera_name: str,
                    stream: str, *, at: dt.datetime | None = None) -> None:
        """Audit one view start (who watched which camera, when: `at`, for an entry
        written after a retry)."""
        actor.require(Permission.VIDEO_VIEW)
        with self._sf.begin() as s:
            record(s, self._clock, actor, "video.view", target_type="camera",
                   target_id=camera_id, summary=f"查看摄像机 {camera_name}",
                   detail={"stream": stream}, at=at)
