"""Video-wall tables: cameras (雪亮工程 registry), saved walls, tours, evidence, view health."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Replicated


class EvidenceKind(enum.Enum):
    SNAPSHOT = "snapshot"  # 截图
    CLIP = "clip"  # 录像片段


class Camera(Replicated, Base):
    """One camera of the public camera network, hung under a village (area) and a site.

    `national_code` is the 20-digit GB/T 28181 device id; `main_url`/`sub_url` are what
    the player opens (the sub stream on small tiles, the main stream when maximised).
    """

    __tablename__ = "video_camera"
    __table_args__ = (Index("ix_video_camera_area_site", "area_id", "site"),)

    national_code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    area_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("area.id"))
    site: Mapped[str] = mapped_column(String(64), default="")  # 村委会门口, 菜市场 …
    main_url: Mapped[str] = mapped_column(String(512))
    sub_url: Mapped[str | None] = mapped_column(String(512))
    location: Mapped[str] = mapped_column(String(128), default="")  # address or lon,lat
    notes: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(default=True)


class CameraHealth(Base):
    """Local, per-workstation play health of a camera (not replicated: each wall sees its own)."""

    __tablename__ = "video_camera_health"

    camera_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("video_camera.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(16), default="unknown")
    offline_since: Mapped[dt.datetime | None]
    last_ok_at: Mapped[dt.datetime | None]
    last_error: Mapped[str] = mapped_column(String(255), default="")


class SavedWall(Replicated, Base):
    """A named wall: its layout and which camera sits in which tile (JSON, versioned)."""

    __tablename__ = "video_wall"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    owner: Mapped[str] = mapped_column(String(32), default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)


class Tour(Replicated, Base):
    """A tour (轮巡): ordered steps (cameras or village/site groups), each with a dwell time."""

    __tablename__ = "video_tour"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    layout: Mapped[str] = mapped_column(String(16), default="4")
    dwell_seconds: Mapped[int] = mapped_column(default=20)
    camera_ids: Mapped[list[str]] = mapped_column(JSON)
    # Ordered steps [{"kind": "camera"|"group", "ref": id or "村[/点位]", "dwell": s}];
    # NULL for tours saved before steps existed (camera_ids + dwell_seconds then).
    steps: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class Evidence(Replicated, Base):
    """A snapshot or clip taken from a tile; `incident_id` is filled when attached."""

    __tablename__ = "video_evidence"

    camera_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("video_camera.id"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(
        Enum(
            EvidenceKind,
            values_callable=lambda e: [m.value for m in e],
            native_enum=False,
            length=16,
        )
    )
    file_path: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[dt.datetime]
    taken_by: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    # No foreign key: incidents live in another workspace's branch of the schema.
    incident_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # Which stream the picture came from ("main"/"sub") and its size; NULL before video_0003.
    stream: Mapped[str | None] = mapped_column(String(8))
    width: Mapped[int | None]
    height: Mapped[int | None]
