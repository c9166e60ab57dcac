"""Attachments (photos, snapshots, documents, short clips): the bytes live once in the
centre's file store (centre_app/files, by sha256), the rows in incident_attachment point
at them. The type is sniffed from the bytes, never the name. Older versions kept the bytes
under data_dir/attachments/ab/cd/<sha256>; `legacy_path` still finds them there."""

from __future__ import annotations

import datetime as dt
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from centre_app.errors import ValidationError, msg
from centre_app.files.store import fan_out

MAX_BYTES = 20 * 1024 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt
_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ALLOWED_TEXT = msg("照片（JPEG/PNG/GIF/WebP/BMP）、PDF、Office 文档、MPEG-TS/MP4 视频片段")


@dataclass(frozen=True)
class AttachmentInfo:
    id: uuid.UUID
    incident_id: uuid.UUID
    sha256: str
    original_name: str
    mime: str
    size: int
    added_by: str
    added_at: dt.datetime
    note: str

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


def sniff(path: Path) -> str | None:
    """The MIME type the file's bytes show, or None for anything not accepted."""
    with path.open("rb") as f:
        head = f.read(512)
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:2] == b"BM" and len(head) >= 26:
        return "image/bmp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(_OLE2):
        return "application/x-ole-storage"  # .doc/.xls/.ppt share one container
    if head.startswith(b"PK\x03\x04"):
        return _ooxml(path)
    if head[4:8] == b"ftyp":
        return "video/mp4"
    # MPEG-TS: 188-byte packets, each starting with the 0x47 sync byte.
    if len(head) >= 377 and head[0] == head[188] == head[376] == 0x47:
        return "video/mp2t"
    return None


def _ooxml(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None  # a plain zip archive is not an office document
    for prefix, mime in _OOXML.items():
        if any(n.startswith(prefix) for n in names):
            return mime
    return None


def legacy_path(data_dir: Path, sha256: str) -> Path:
    """Where versions before the centre file store kept an attachment on this desk's disk."""
    return fan_out(data_dir / "attachments", sha256)


class AttachmentCheck:
    """What an attachment may be: a non-empty file of an accepted type, ≤ 20 MB."""

    def check(self, source: Path) -> tuple[int, str]:
        """(size, mime) of an acceptable file; ValidationError in words otherwise."""
        if not source.exists():
            raise ValidationError("找不到文件“{path}”，可能已被移动或删除。", path=str(source))
        if not source.is_file():
            raise ValidationError("“{name}”不是文件，请选择一个文件。", name=source.name)
        size = source.stat().st_size
        if size == 0:
            raise ValidationError("文件“{name}”是空的，请重新选择。", name=source.name)
        if size > MAX_BYTES:
            raise ValidationError(
                "文件“{name}”有 {megabytes} MB，超过 20 MB 的上限，请压缩或截取后再添加。",
                name=source.name,
                megabytes=f"{size / 1024 / 1024:.1f}",
            )
        mime = sniff(source)
        if mime is None:
            raise ValidationError(
                "文件“{name}”的内容不是可接受的类型（只接受{allowed}），即使扩展名看起来正确。",
                name=source.name,
                allowed=ALLOWED_TEXT,
            )
        return size, mime
