"""Named saved walls: a layout and which camera sits in which tile.

The stored JSON carries a version. Version 1 (the first release) kept a flat list of
camera codes and a tile count; reading it still works, tiles whose camera is gone stay
empty, and an unknown layout falls back to the default one.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.errors import NotFound, ValidationError
from centre_app.security.actor import Actor
from centre_app.security.audit import record
from centre_app.security.roles import Permission
from centre_app.video.layouts import DEFAULT_LAYOUT, LAYOUTS, layout, layout_for_count
from db.models import Camera, SavedWall

log = logging.getLogger(__name__)

WALL_VERSION = 2


@dataclass(frozen=True)
class WallSpec:
    layout: str
    tiles: tuple[uuid.UUID | None, ...]  # camera per tile, len == layout size

    def to_json(self) -> dict[str, Any]:
        return {
            "version": WALL_VERSION,
            "layout": self.layout,
            "tiles": [str(t) if t else None for t in self.tiles],
        }


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def wall_from_json(data: Any, code_to_id: dict[str, uuid.UUID] | None = None) -> WallSpec:
    """Read any version we ever wrote; never raises on odd content (it shows empty tiles)."""
    if not isinstance(data, dict):
        return WallSpec(DEFAULT_LAYOUT, (None,) * layout(DEFAULT_LAYOUT).size)
    version = data.get("version", 1)
    if version == 1:
        codes = data.get("cameras") or []
        ids = [(code_to_id or {}).get(str(c)) for c in codes if isinstance(c, str | int)]
        count = int(data.get("count") or len(ids) or 1)
        lay = layout_for_count(count)
    else:
        lay = layout(str(data.get("layout", DEFAULT_LAYOUT)))
        raw = data.get("tiles")
        ids = [_uuid(t) for t in raw] if isinstance(raw, list) else []
    tiles = (ids + [None] * lay.size)[: lay.size]
    return WallSpec(lay.key, tuple(tiles))


class WallService:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._sf = session_factory
        self._clock = clock

    def names(self, actor: Actor) -> list[str]:
        actor.require(Permission.VIDEO_VIEW)
        with self._sf() as s:
            return list(s.scalars(select(SavedWall.name).order_by(SavedWall.name)))

    def save(self, actor: Actor, name: str, spec: WallSpec) -> None:
        actor.require(Permission.VIDEO_VIEW)  # operators keep their own walls
        name = name.strip()
        if not name or len(name) > 64:
            raise ValidationError("请为墙面起一个 1–64 字的名称。")
        if spec.layout not in LAYOUTS:
            raise ValidationError("未知的分屏方式，请重新选择。")
        with self._sf.begin() as s:
            wall = s.scalar(select(SavedWall).where(SavedWall.name == name))
            if wall is None:
                wall = SavedWall(name=name, owner=actor.username, content=spec.to_json())
                s.add(wall)
                s.flush()
            else:
                wall.content = spec.to_json()
            record(
                s,
                self._clock,
                actor,
                "video.wall.save",
                target_type="video_wall",
                target_id=wall.id,
                summary=f"保存墙面“{name}”（{spec.layout} 分屏）",
            )

    def load(self, actor: Actor, name: str) -> WallSpec:
        actor.require(Permission.VIDEO_VIEW)
        with self._sf() as s:
            wall = s.scalar(select(SavedWall).where(SavedWall.name == name))
            if wall is None:
                raise NotFound("找不到墙面“{name}”，可能已被删除。", name=name)
            codes = {code: cid for code, cid in s.execute(select(Camera.national_code, Camera.id))}
            spec = wall_from_json(wall.content, codes)
            known = set(s.scalars(select(Camera.id)))
        # A camera deleted since the wall was saved leaves its tile empty.
        return WallSpec(spec.layout, tuple(t if t in known else None for t in spec.tiles))
