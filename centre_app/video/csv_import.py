"""CSV import of cameras with a report of every rejected line and why.

Columns (header row required, UTF-8 with or without BOM, or GB18030 from Excel):
国标编码, 名称, 主码流, 子码流, 村, 点位, 位置, 备注 (English headers code, name, main_url,
sub_url, village, site, location, notes are accepted too).
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from centre_app.errors import ValidationError
from centre_app.security.actor import Actor
from centre_app.video.registry import CameraDraft, CameraRegistry, draft_problems
from db.models import Area, Camera

log = logging.getLogger(__name__)

HEADERS = {
    "国标编码": "national_code",
    "code": "national_code",
    "national_code": "national_code",
    "名称": "name",
    "name": "name",
    "主码流": "main_url",
    "main_url": "main_url",
    "子码流": "sub_url",
    "sub_url": "sub_url",
    "村": "village",
    "village": "village",
    "点位": "site",
    "site": "site",
    "位置": "location",
    "location": "location",
    "备注": "notes",
    "notes": "notes",
}
REQUIRED = ("national_code", "name", "main_url")


@dataclass(frozen=True)
class RejectedLine:
    line: int  # 1-based line number in the file (header is line 1)
    text: str
    problems: tuple[ValidationError, ...]  # messages with arguments (ui translates them)

    @property
    def reason(self) -> str:
        """The problems in Chinese (logs, command line)."""
        return "；".join(p.message for p in self.problems)


@dataclass
class ImportReport:
    imported: int = 0
    rejected: list[RejectedLine] = field(default_factory=list)

    def summary(self) -> ValidationError:
        """The outcome as a message with its arguments (not an error: ui shows it)."""
        if self.rejected:
            return ValidationError(
                "导入 {imported} 台摄像机，{rejected} 行被拒绝（见下表原因，改正后可再次导入）。",
                imported=self.imported,
                rejected=len(self.rejected),
            )
        return ValidationError("导入 {imported} 台摄像机。", imported=self.imported)


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("文件编码无法识别，请另存为 UTF-8 编码的 CSV 后再导入。")


def import_cameras(registry: CameraRegistry, actor: Actor, text: str) -> ImportReport:
    """Validate every line; add all valid ones in one transaction; report the rest."""
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError("文件是空的，请选择含表头的摄像机 CSV 文件。") from None
    columns = [HEADERS.get(h.strip().lower(), HEADERS.get(h.strip(), "")) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationError("表头缺少必填列：国标编码、名称、主码流。请按模板修改表头后再导入。")

    report = ImportReport()
    drafts: list[CameraDraft] = []
    seen: set[str] = set()
    existing, villages = _known(registry)
    for row in reader:
        line_no = reader.line_num
        raw = lines[line_no - 1] if 0 < line_no <= len(lines) else ",".join(row)
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            report.rejected.append(
                RejectedLine(
                    line_no,
                    raw,
                    (
                        ValidationError(
                            "列数为 {found}，表头为 {expected} 列，请检查逗号或引号。",
                            found=len(row),
                            expected=len(header),
                        ),
                    ),
                )
            )
            continue
        values = {col: cell.strip() for col, cell in zip(columns, row, strict=True) if col}
        draft = CameraDraft(
            national_code=values.get("national_code", ""),
            name=values.get("name", ""),
            main_url=values.get("main_url", ""),
            sub_url=values.get("sub_url") or None,
            village=values.get("village", ""),
            site=values.get("site", ""),
            location=values.get("location", ""),
            notes=values.get("notes", ""),
        )
        problems = draft_problems(draft)
        if draft.national_code in existing:
            problems.append(
                ValidationError("国标编码 {code} 已在目录中。", code=draft.national_code)
            )
        elif draft.national_code in seen:
            problems.append(
                ValidationError("国标编码 {code} 在文件中重复。", code=draft.national_code)
            )
        if draft.village and draft.village not in villages:
            problems.append(
                ValidationError("找不到村（社区）“{village}”。", village=draft.village[:64])
            )
        if problems:
            report.rejected.append(RejectedLine(line_no, raw, tuple(problems)))
            continue
        seen.add(draft.national_code)
        drafts.append(draft)
    if drafts:
        registry.add_many(actor, drafts)
    report.imported = len(drafts)
    log.info("camera CSV import: %d imported, %d rejected", report.imported, len(report.rejected))
    return report


def _known(registry: CameraRegistry) -> tuple[set[str], set[str]]:
    with registry._sf() as s:  # read-only lookups for validation
        codes = set(s.scalars(select(Camera.national_code)))
        names = set(s.scalars(select(Area.name))) | set(s.scalars(select(Area.code)))
    return codes, names
