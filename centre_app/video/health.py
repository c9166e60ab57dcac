"""Camera health (在线状态) as this workstation sees it: state, offline since, last good play.

Also the view audit: starting to watch a camera is a personal-data access and is
recorded in the audit trail (who, which camera, when).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.security.actor import Actor
from centre_app.security.audit import record
from centre_app.security.roles import Permission
from db.models import Area, Camera, CameraHealth

ONLINE_STATES = ("playing", "online")  # a tile plays it / a probe got its first packet


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
        self.report_many([(camera_id, state, error)])

    def report_many(self, reports: Sequence[tuple[uuid.UUID, str, str]]) -> None:
        """Store many (camera, state, error) at once, in one transaction (the prober's
        batches). `playing` (a tile shows it) and `online` (a probe got its first packet)
        both keep last_ok_at fresh; an error is a message template."""
        if not reports:
            return
        now = self._clock.now()
        ids = list({camera_id for camera_id, _s, _e in reports})
        with self._sf.begin() as s:
            known = set(s.scalars(select(Camera.id).where(Camera.id.in_(ids))))
            if not known:
                return
            # Several desks may report the same camera at once (PostgreSQL): create the
            # missing rows with ON CONFLICT DO NOTHING, then update them under row locks.
            insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
            s.execute(
                insert(CameraHealth)
                .values([{"camera_id": cid, "state": "unknown", "last_error": ""} for cid in known])
                .on_conflict_do_nothing()
            )
            rows = {
                r.camera_id: r
                for r in s.scalars(
                    select(CameraHealth)
                    .where(CameraHealth.camera_id.in_(known))
                    .order_by(CameraHealth.camera_id)
                    .with_for_update()
                )
            }
            for camera_id, state, error in reports:
                row = rows.get(camera_id)
                if row is None:
                    continue
                if state in ONLINE_STATES:
                    row.last_ok_at = now
                    row.offline_since = None
                    row.last_error = ""
                elif state in ("offline", "unsupported") and row.offline_since is None:
                    row.offline_since = now
                if error:
                    row.last_error = error[:255]
                if row.state != state:
                    row.state = state

    def states(self, actor: Actor) -> dict[uuid.UUID, str]:
        """Camera id → last known state (cameras never seen are absent)."""
        actor.require(Permission.VIDEO_VIEW)
        with self._sf() as s:
            return {
                cid: state
                for cid, state in s.execute(select(CameraHealth.camera_id, CameraHealth.state))
            }

    def rows(self, actor: Actor) -> list[HealthRow]:
        """Every camera with its health; offline ones first, longest offline first."""
        actor.require(Permission.VIDEO_VIEW)
        with self._sf() as s:
            stmt = (
                select(Camera, CameraHealth, Area.name)
                .outerjoin(CameraHealth, CameraHealth.camera_id == Camera.id)
                .outerjoin(Area, Area.id == Camera.area_id)
            )
            out = []
            for cam, health, village in s.execute(stmt):
                out.append(
                    HealthRow(
                        cam.id,
                        cam.name,
                        " ".join(p for p in (village or "", cam.site) if p),
                        health.state if health else "unknown",
                        health.offline_since if health else None,
                        health.last_ok_at if health else None,
                        health.last_error if health else "",
                    )
                )
        far_future = dt.datetime.max.replace(tzinfo=dt.UTC)
        return sorted(
            out, key=lambda r: (r.offline_since is None, r.offline_since or far_future, r.name)
        )

    def record_view(
        self,
        actor: Actor,
        camera_id: uuid.UUID,
        camera_name: str,
        stream: str,
        *,
        at: dt.datetime | None = None,
    ) -> None:
        """Audit one view start (who watched which camera, when: `at`, for an entry
        written after a retry)."""
        actor.require(Permission.VIDEO_VIEW)
        with self._sf.begin() as s:
            record(
                s,
                self._clock,
                actor,
                "video.view",
                target_type="camera",
                target_id=camera_id,
                summary=f"查看摄像机 {camera_name}",
                detail={"stream": stream},
                at=at,
            )
