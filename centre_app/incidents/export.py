"""Export a filtered queue (the same QueueFilter the table shows) to CSV or XLSX.

Rows are streamed from the database in windows and written as they come (openpyxl's
write-only mode for XLSX), so a queue of 10^6 rows never sits in memory at once. The
progress callback may return False to cancel; a cancelled or failed export leaves no
partial file behind."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from centre_app.clock import to_local
from centre_app.errors import DomainError, ValidationError
from centre_app.incidents.choices import CHANNEL_LABELS
from centre_app.incidents.queries import IncidentQueries, QueueFilter
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission

HEADERS = (
    "案件编号",
    "风险等级",
    "状态",
    "类别",
    "标题",
    "描述",
    "来源",
    "上报人",
    "联系电话",
    "涉及人数",
    "地点",
    "网格",
    "承办部门",
    "上报时间",
    "处置时限",
    "结案时间",
    "群体性事件预警",
)
COLOUR_TEXT = {"red": "红", "yellow": "黄", "green": "绿"}
BATCH = 5000

# progress(done, total) -> False to cancel
Progress = Callable[[int, int], bool | None]


def _local(moment: dt.datetime | None) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class ExportCancelled(DomainError):
    """The user cancelled; nothing was written."""


def _rows(
    queries: IncidentQueries, actor: Actor, flt: QueueFilter, total: int, progress: Progress | None
) -> Iterator[Sequence[Any]]:
    from centre_app.incidents.workflow import STATE_LABELS

    done = 0
    for batch in queries.iter_export_rows(actor, flt, batch=BATCH):
        for r, more in batch:
            yield (
                r.case_no,
                COLOUR_TEXT[r.colour.value],
                STATE_LABELS[r.state],
                r.category,
                r.title,
                more.description,
                CHANNEL_LABELS[more.channel],
                more.reporter,
                more.reporter_phone,
                more.people_involved,
                r.place,
                r.grid,
                r.department,
                _local(r.reported_at),
                _local(r.deadline),
                _local(more.closed_at),
                r.group_warning or "",
            )
        done += len(batch)
        if progress is not None and progress(done, total) is False:
            raise ExportCancelled("导出已取消，未生成文件。")


def export_queue(
    queries: IncidentQueries,
    actor: Actor,
    flt: QueueFilter,
    path: Path | str,
    progress: Progress | None = None,
) -> int:
    """Write the queue to `path` (.csv: UTF-8 with BOM so Excel opens it; .xlsx) and
    return the number of rows written."""
    actor.require(Permission.INCIDENT_EXPORT)
    target = Path(path)
    kind = target.suffix.lower()
    if kind not in (".csv", ".xlsx"):
        raise ValidationError("只能导出为 CSV（.csv）或 Excel（.xlsx）文件。")
    if not target.parent.is_dir():
        raise ValidationError(
            "文件夹“{folder}”不存在，请重新选择保存位置。", folder=str(target.parent)
        )
    total = queries.count(actor, flt)
    partial = target.with_name(f".{target.name}.part")
    written = 0
    try:
        if kind == ".csv":
            with partial.open("w", encoding="utf-8-sig", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(HEADERS)
                for row in _rows(queries, actor, flt, total, progress):
                    writer.writerow(row)
                    written += 1
        else:
            from openpyxl import Workbook  # ~0.5 s with numpy: paid by the export, not start-up

            book = Workbook(write_only=True)
            sheet = book.create_sheet("事件")
            try:
                sheet.append(HEADERS)
                for row in _rows(queries, actor, flt, total, progress):
                    sheet.append(list(row))
                    written += 1
            except BaseException:
                # Finish the sheet's temporary file now; left to the garbage collector its
                # writer fails later, at a random place in the program.
                sheet.close()
                raise
            book.save(partial)
        os.replace(partial, target)  # only a complete export gets the user's file name
    finally:
        if partial.exists():
            partial.unlink()
    if progress is not None:
        progress(written, total)
    return written
