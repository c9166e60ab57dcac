"""Evidence from the wall: snapshots and clips, stored in the centre's file store.

The ui takes the picture (libVLC) into `evidence_dir`; this service checks the file,
stores it by sha256 in the centre database (every desk opens it from there) and records
the row in the same transaction. `incident_id` is filled when the item is attached to an
incident; until then the incident form lists unattached items of the operator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import signal
import struct
import subprocess
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app import child_process
from centre_app.clock import Clock, to_local
from centre_app.errors import NotFound, ValidationError, msg
from centre_app.files.store import FileDamaged, FileStore
from centre_app.security.actor import Actor
from centre_app.security.audit import record
from centre_app.security.roles import Permission
from db.models import Area, Camera, Evidence, EvidenceKind

log = logging.getLogger(__name__)


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
    # What the incident form pre-fills (read from the camera and its village at read time).
    camera_name: str = ""
    camera_place: str = ""  # village and site, e.g. "金乡村 菜市场"
    camera_location: str = ""  # address or lon,lat
    area_code: str | None = None  # the village's 12-digit division code when the camera has one
    area_id: uuid.UUID | None = None
    stream: str | None = None  # "main" or "sub": which stream the picture came from
    width: int | None = None
    height: int | None = None

    @property
    def thumbnail(self) -> Path:
        return thumbnail_path(self.path)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def thumbnail_path(path: Path) -> Path:
    """The JPG thumbnail stored next to a snapshot or clip."""
    return path.with_name(path.stem + ".thumb.jpg")


def _local_file(files: FileStore, e: Evidence) -> Path:
    """The evidence file at this desk: the file itself where it was taken, else this desk's
    copy from the centre's store (with a clip's thumbnail made beside it); the recorded
    path when no desk stored it (nothing to show then)."""
    recorded = Path(e.file_path)
    if recorded.is_file():
        return recorded
    try:
        found = files.find(e.sha256)
    except FileDamaged:
        log.warning("evidence %s: the stored file %s is damaged", e.id, e.sha256)
        return files.cached_path(e.sha256)  # absent: nothing damaged is shown
    if found is None:
        return recorded
    if e.kind is EvidenceKind.CLIP and not thumbnail_path(found).is_file():
        make_clip_thumbnail(found)
    return found


def _item(s: Session, e: Evidence, files: FileStore) -> EvidenceItem:
    cam = s.get(Camera, e.camera_id)
    area = s.get(Area, cam.area_id) if cam is not None and cam.area_id else None
    place = " ".join(p for p in ((area.name if area else ""), (cam.site if cam else "")) if p)
    return EvidenceItem(
        e.id,
        e.camera_id,
        e.kind,
        _local_file(files, e),
        e.sha256,
        e.taken_at,
        e.taken_by,
        e.note,
        e.incident_id,
        camera_name=cam.name if cam else "",
        camera_place=place,
        camera_location=cam.location if cam else "",
        area_code=area.code if area else None,
        area_id=area.id if area else None,
        stream=e.stream,
        width=e.width,
        height=e.height,
    )


class EvidenceService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        evidence_dir: Path,
        files: FileStore | None = None,
    ) -> None:
        self._sf = session_factory
        self._clock = clock
        self.evidence_dir = evidence_dir
        self.files = files or FileStore(session_factory, clock, evidence_dir.parent / "file-cache")

    def new_path(self, camera_code: str, kind: EvidenceKind) -> Path:
        """Where the ui should write the next file (directory created)."""
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        stamp = to_local(self._clock.now()).strftime("%Y%m%d-%H%M%S")
        suffix = ".png" if kind is EvidenceKind.SNAPSHOT else ".ts"
        return self.evidence_dir / f"{camera_code}-{stamp}-{uuid.uuid4().hex[:6]}{suffix}"

    def add(
        self,
        actor: Actor,
        camera_id: uuid.UUID,
        kind: EvidenceKind,
        path: Path,
        note: str = "",
        *,
        stream: str | None = None,
    ) -> EvidenceItem:
        """Record a file taken from `stream` ("main"/"sub"). A snapshot's PNG gets its
        provenance written into it first (text chunks: camera, stream, size, time), so the
        file says by itself what it shows; the hash covers that."""
        actor.require(Permission.VIDEO_EVIDENCE)
        if not path.is_file() or path.stat().st_size == 0:
            raise ValidationError("取证文件没有生成（画面可能尚未播放），请等画面出现后重试。")
        width = height = None
        if kind is EvidenceKind.SNAPSHOT:
            width, height = png_size(path)
            with self._sf() as s:
                cam = s.get(Camera, camera_id)
                code = cam.national_code if cam is not None else ""
            add_png_text(
                path,
                {
                    "Camera": code,
                    "Stream": stream or "unknown",
                    "Resolution": f"{width}x{height}",
                    "Taken": self._clock.now().isoformat(timespec="seconds"),
                },
            )
        with self._sf.begin() as s:
            cam = s.get(Camera, camera_id)
            if cam is None:
                raise NotFound("找不到该摄像机，可能已被删除。")
            digest = self.files.put(s, path, cache=False)  # the file stays here
            row = Evidence(
                camera_id=camera_id,
                kind=kind,
                file_path=str(path),
                sha256=digest,
                taken_at=self._clock.now(),
                taken_by=actor.username,
                note=note,
                incident_id=None,
                stream=stream,
                width=width,
                height=height,
            )
            s.add(row)
            s.flush()
            label = "截图" if kind is EvidenceKind.SNAPSHOT else "录像"
            record(
                s,
                self._clock,
                actor,
                f"video.evidence.{kind.value}",
                target_type="camera",
                target_id=camera_id,
                summary=f"{cam.name} {label}取证",
                detail={"sha256": digest, "stream": stream, "width": width, "height": height},
            )
            return _item(s, row, self.files)

    def get(self, actor: Actor, evidence_id: uuid.UUID) -> EvidenceItem:
        """One item with its camera, place and village code (what the incident form needs)."""
        actor.require(Permission.VIDEO_EVIDENCE)
        with self._sf() as s:
            row = s.get(Evidence, evidence_id)
            if row is None:
                raise NotFound("找不到该取证材料，可能已被删除。")
            return _item(s, row, self.files)

    def fetch(self, actor: Actor, evidence_id: uuid.UUID) -> EvidenceItem:
        """As `get`, with the file at hand on this desk (streamed from the centre's store when
        another desk took it: slow for a clip, so never on the GUI thread); a file no desk
        holds any more, or a damaged one, is refused in words."""
        item = self.get(actor, evidence_id)
        if not item.path.is_file():
            raise NotFound(
                "取证材料的文件（{name}）不在中心数据库中，本机也没有，或已损坏；无法附加。",
                name=item.path.name,
            )
        return item

    def unattached(self, actor: Actor) -> list[EvidenceItem]:
        """Items of this operator not yet attached to an incident (for the incident form)."""
        actor.require(Permission.VIDEO_EVIDENCE)
        with self._sf() as s:
            rows = s.scalars(
                select(Evidence)
                .where(Evidence.incident_id.is_(None), Evidence.taken_by == actor.username)
                .order_by(Evidence.taken_at.desc())
            )
            return [_item(s, e, self.files) for e in rows]

    def attach(self, actor: Actor, evidence_id: uuid.UUID, incident_id: uuid.UUID) -> None:
        actor.require(Permission.VIDEO_EVIDENCE)
        with self._sf.begin() as s:
            row = s.get(Evidence, evidence_id)
            if row is None:
                raise NotFound("找不到该取证材料。")
            row.incident_id = incident_id
            record(
                s,
                self._clock,
                actor,
                "video.evidence.attach",
                target_type="video_evidence",
                target_id=row.id,
                summary="取证材料关联到事件",
                detail={"incident_id": str(incident_id)},
            )


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from the PNG header; a file that is not a PNG is refused in words."""
    with path.open("rb") as fh:
        head = fh.read(24)
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        raise ValidationError("截图文件不是有效的 PNG 图片，请重试。")
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def add_png_text(path: Path, entries: dict[str, str]) -> None:
    """Write `entries` into the PNG as iTXt chunks (UTF-8), right after its header."""
    data = path.read_bytes()
    end_of_ihdr = 8 + 4 + 4 + 13 + 4
    chunks = b"".join(
        _chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8"))
        for key, value in entries.items()
    )
    path.write_bytes(data[:end_of_ihdr] + chunks + data[end_of_ihdr:])


def png_text(path: Path) -> dict[str, str]:
    """The tEXt/iTXt entries of a PNG (what add_png_text wrote, and any others)."""
    data = path.read_bytes()
    out: dict[str, str] = {}
    at = 8
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            rest = rest[2:]  # compression flag and method (never compressed here)
            _lang, _, rest = rest.partition(b"\0")
            _translated, _, value = rest.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("utf-8", "replace")
        elif kind == b"IEND":
            break
        at += 12 + length
    return out


def _reading(ffmpeg: str, url: str) -> list[str]:
    """ffmpeg reading one camera stream, giving up after 5 s without data."""
    return [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-rw_timeout", "5000000", "-i", url]


def grab_snapshot(url: str, target: Path, timeout: float = 15.0) -> tuple[int, int]:
    """One picture of the stream at `url`, at the stream's own size, into `target` (PNG).

    A short-lived ffmpeg reads the stream from its next key frame and writes one picture:
    the tile may be showing a small sub stream, the evidence is taken from the stream the
    caller names (the main stream, the best the camera has). Blocks: run it on a worker.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise ValidationError("本机未安装 ffmpeg，无法从主码流截图。")
    try:
        done = child_process.run(
            [
                *_reading(ffmpeg, url),
                "-frames:v",
                "1",
                "-f",
                "image2",
                "-c:v",
                "png",
                str(target),
            ],
            death_signal=signal.SIGKILL,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        target.unlink(missing_ok=True)
        raise ValidationError(
            "主码流在 {seconds} 秒内没有送来画面，无法截图。", seconds=int(timeout)
        ) from None
    if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        target.unlink(missing_ok=True)
        log.warning(
            "snapshot grab from %s failed: %s",
            url,
            (done.stderr or b"").decode("utf-8", "replace").strip()[-300:],
        )
        raise ValidationError("无法从主码流取得画面。")
    return png_size(target)


CLIP_SECONDS = (10, 30, 60)  # offered on the tile menu; 30 is the default
CLIP_BUSY = msg("该摄像机正在录制片段，请等本段录完。")


def record_clip(url: str, seconds: int, target: Path) -> subprocess.Popen[bytes]:
    """Start ffmpeg copying `seconds` of the stream to `target` (no re-encoding).

    Returns the process; the ui waits for it off the GUI thread, then calls `add`.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise ValidationError("本机未安装 ffmpeg，无法录像，请联系管理员安装。")
    if not 1 <= seconds <= 600:
        raise ValidationError("录像时长应在 1–600 秒之间。")
    return child_process.spawn(
        [
            *_reading(ffmpeg, url),
            "-c",
            "copy",
            "-t",
            str(seconds),
            "-f",
            "mpegts",
            str(target),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@dataclass(frozen=True)
class ClipResult:
    path: Path
    seconds: float  # duration actually recorded
    complete: bool  # False when the stream ended early (the part recorded is kept)


def _probe_seconds(path: Path) -> float:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return 0.0
    try:
        out = child_process.run(
            [
                ffprobe,
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "default=nw=1:nk=1",
                str(path),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        return float(out.stdout.decode().strip())
    except subprocess.TimeoutExpired:
        return 0.0
    except ValueError:
        return 0.0


def make_clip_thumbnail(clip: Path, width: int = 240) -> Path | None:
    """JPG of the clip's first picture next to it (None when ffmpeg cannot decode one)."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    thumb = thumbnail_path(clip)
    try:
        done = child_process.run(
            [
                ffmpeg,
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(clip),
                "-frames:v",
                "1",
                "-vf",
                f"scale={width}:-2",
                str(thumb),
            ],
            death_signal=signal.SIGKILL,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        return None
    return thumb if done.returncode == 0 and thumb.is_file() else None


def capture_clip(url: str, seconds: int, target: Path) -> ClipResult:
    """Record `seconds` of the stream into `target` and its thumbnail; blocks (run on a worker).

    A stream that dies mid-clip keeps what was recorded (complete=False); nothing recorded,
    or no ffmpeg, is a ValidationError in words.
    """
    proc = record_clip(url, seconds, target)
    try:
        _out, err = proc.communicate(timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
    got = _probe_seconds(target) if target.is_file() and target.stat().st_size > 0 else 0.0
    if got <= 0:
        target.unlink(missing_ok=True)
        detail = (err or b"").decode("utf-8", "replace").strip().splitlines()
        log.warning("clip from %s failed: %s", url, detail[-1:] or proc.returncode)
        raise ValidationError(
            "录像失败：摄像机码流无法连接或已中断，没有录到画面。请确认画面正常后重试。"
        )
    make_clip_thumbnail(target)
    return ClipResult(target, got, complete=got >= seconds - 1.5)
