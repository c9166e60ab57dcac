"""Evidence from the wall: snapshots and clips, stored as files with their sha256.

The ui takes the picture (libVLC) into `evidence_dir`; this service checks the file,
hashes it and records the row. `incident_id` is filled when the item is attached to an
incident; until then the incident form lists unattached items of the operator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock, to_local
from centre_app.errors import NotFound, ValidationError
from centre_app.security.actor import Actor
from centre_app.security.audit import record
from centre_app.security.roles import Permission
from db.models import Camera, Evidence, EvidenceKind


@dataclass(frozen=True)
class EvidenceItem:
    id: uuid.UUID
    camera_id: uuid.UUID
    kind: EvidenceKind
    path: Path
    sha256: str
    taken_at: dt.datetime
    taken_by: str
    note: str
    incident_id: uuid.UUID | None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _item(e: Evidence) -> EvidenceItem:
    return EvidenceItem(e.id, e.camera_id, e.kind, Path(e.file_path), e.sha256, e.taken_at,
                        e.taken_by, e.note, e.incident_id)


class EvidenceService:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock,
                 evidence_dir: Path) -> None:
        self._sf = session_factory
        self._clock = clock
        self.evidence_dir = evidence_dir

    def new_path(self, camera_code: str, kind: EvidenceKind) -> Path:
        """Where the ui should write the next file (directory created)."""
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        stamp = to_local(self._clock.now()).strftime("%Y%m%d-%H%M%S")
        suffix = ".png" if kind is EvidenceKind.SNAPSHOT else ".ts"
        return self.evidence_dir / f"{camera_code}-{stamp}-{uuid.uuid4().hex[:6]}{suffix}"

    def add(self, actor: Actor, camera_id: uuid.UUID, kind: EvidenceKind, path: Path,
            note: str = "") -> EvidenceItem:
        actor.require(Permission.VIDEO_EVIDENCE)
        if not path.is_file() or path.stat().st_size == 0:
            raise ValidationError("取证文件没有生成（画面可能尚未播放），请等画面出现后重试。")
        digest = sha256_of(path)
        with self._sf.begin() as s:
            cam = s.get(Camera, camera_id)
            if cam is None:
                raise NotFound("找不到该摄像机，可能已被删除。")
            row = Evidence(camera_id=camera_id, kind=kind, file_path=str(path), sha256=digest,
                           taken_at=self._clock.now(), taken_by=actor.username, note=note,
                           incident_id=None)
            s.add(row)
            s.flush()
            label = "截图" if kind is EvidenceKind.SNAPSHOT else "录像"
            record(s, self._clock, actor, f"video.evidence.{kind.value}",
                   target_type="camera", target_id=camera_id,
                   summary=f"{cam.name} {label}取证", detail={"sha256": digest})
            return _item(row)

    def unattached(self, actor: Actor) -> list[EvidenceItem]:
        """Items of this operator not yet attached to an incident (for the incident form)."""
        actor.require(Permission.VIDEO_EVIDENCE)
        with self._sf() as s:
            rows = s.scalars(select(Evidence).where(Evidence.incident_id.is_(None),
                                                    Evidence.taken_by == actor.username)
                             .order_by(Evidence.taken_at.desc()))
            return [_item(e) for e in rows]

    def attach(self, actor: Actor, evidence_id: uuid.UUID, incident_id: uuid.UUID) -> None:
        actor.require(Permission.VIDEO_EVIDENCE)
        with self._sf.begin() as s:
            row = s.get(Evidence, evidence_id)
            if row is None:
                raise NotFound("找不到该取证材料。")
            row.incident_id = incident_id
            record(s, self._clock, actor, "video.evidence.attach", target_type="video_evidence",
                   target_id=row.id, summary="取证材料关联到事件",
                   detail={"incident_id": str(incident_id)})


def record_clip(url: str, seconds: int, target: Path) -> subprocess.Popen[bytes]:
    """Start ffmpeg copying `seconds` of the stream to `target` (no re-encoding).

    Returns the process; the ui waits for it off the GUI thread, then calls `add`.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise ValidationError("本机未安装 ffmpeg，无法录像，请联系管理员安装。")
    if not 1 <= seconds <= 600:
        raise ValidationError("录像时长应在 1–600 秒之间。")
    return subprocess.Popen(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-rw_timeout", "5000000",
         "-i", url, "-c", "copy", "-t", str(seconds), "-f", "mpegts", str(target)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
