"""A township's row, checked column by column before the county stores it (issue 15,
defect 3): a value that does not fit its column (a date that is not a date, a number out of
range, text too long, a malformed case number) is refused at push time with the field named,
so nothing malformed is stored to break a later request.

And the ownership of reference rows (defect 2): an `area` row a township pushes must lie
under its own code; the routing of outside reports reads only the owner's rows.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import re
import uuid
from typing import Any

from sqlalchemy import Table

from centre_app.replication.hlc import HLC_PATTERN
from centre_app.replication.tables import _python_type

_HLC = re.compile(HLC_PATTERN)
TOWNSHIP_CODE = re.compile(r"^[0-9]{9}$")


class RowProblem(ValueError):
    """`field` of the row cannot be stored: `reason` says why (Chinese)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def case_number_pattern(township: str) -> re.Pattern[str]:
    """A township's own numbers (`T-2026-000001`) and the county's (`T-2026C-000001`)."""
    return re.compile(rf"^{re.escape(township)}-[0-9]{{4}}C?-[0-9]{{6}}$")


COUNTY_CASE_NUMBER = re.compile(r"^[0-9]{9}-[0-9]{4}C-[0-9]{6}$")
"""The county's series (`T-2026C-000001`): numbers it gives the reports and tasks it routes."""


def _int_bound(kind: Any) -> int:
    name = type(getattr(kind, "impl", kind)).__name__.lower()
    return 2**63 if "big" in name else 2**15 if "small" in name else 2**31


@functools.cache
def _column_kind(column: Any) -> tuple[type | None, int | None]:
    return _python_type(column), getattr(column.type, "length", None)


def _check_value(column: Any, value: Any) -> None:
    name = column.name
    if value is None:
        if not column.nullable and not column.primary_key:
            raise RowProblem(name, "不能为空")
        return
    kind, length = _column_kind(column)
    try:
        if kind is str:
            if not isinstance(value, str):
                raise RowProblem(name, "应为文本")
            if length is not None and len(value) > length:
                raise RowProblem(name, f"超过 {length} 个字符")
        elif kind is bool:
            if not isinstance(value, bool):
                raise RowProblem(name, "应为真或假")
        elif kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise RowProblem(name, "应为整数")
            bound = _int_bound(column.type)
            if not -bound <= value < bound:
                raise RowProblem(name, "数值超出范围")
        elif kind is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise RowProblem(name, "应为数值")
        elif kind is dt.datetime:
            if not isinstance(value, str):
                raise RowProblem(name, "应为日期时间（ISO 8601 文本）")
            dt.datetime.fromisoformat(value)
        elif kind is dt.date:
            if not isinstance(value, str):
                raise RowProblem(name, "应为日期（ISO 8601 文本）")
            dt.date.fromisoformat(value)
        elif kind is uuid.UUID:
            if not isinstance(value, str):
                raise RowProblem(name, "应为编号（UUID 文本）")
            uuid.UUID(value)
        elif kind is decimal.Decimal:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise RowProblem(name, "应为数值")
            if not decimal.Decimal(value).is_finite():
                raise RowProblem(name, "应为有限数")
        elif kind is not None and issubclass(kind, enum.Enum):
            kind(value)
            if length is not None and isinstance(value, str) and len(value) > length:
                raise RowProblem(name, f"超过 {length} 个字符")
    except RowProblem:
        raise
    except (ValueError, TypeError, ArithmeticError):
        raise RowProblem(name, "取值不合格") from None


def check_row(table: Table, row_id: str, data: dict[str, Any], township: str) -> None:
    """Refuse (RowProblem) a row of `table` from `township` that could not be stored as is."""
    columns = {column.name: column for column in table.columns}
    for key in data:
        if key not in columns:
            raise RowProblem(key, "不是该表的字段")
    if "id" in data and data["id"] != row_id:
        raise RowProblem("id", "与变更的 row_id 不一致")
    for name, value in data.items():
        _check_value(columns[name], value)
    if data.get("hlc") is not None and not _HLC.match(str(data["hlc"])):
        raise RowProblem("hlc", "不是有效的时间戳")
    if table.name == "incident" and "case_no" in data:
        code = data.get("township_code") or township
        if not case_number_pattern(code).match(str(data["case_no"])):
            raise RowProblem("case_no", "案件编号格式不对（应为 乡镇代码-年份-六位序号）")
    if table.name == "area":
        check_area_owner(data, township)


def check_area_owner(data: dict[str, Any], township: str) -> None:
    """A township may hold only areas under its own code (and a copy of its county's row:
    level `county` with the first six digits of its code); routing never reads those."""
    code = data.get("code")
    if not isinstance(code, str):
        return
    level = data.get("level")
    if code.startswith(township) and TOWNSHIP_CODE.match(township):
        return
    if level == "county" and code[:6] == township[:6] and not code[6:].strip("0"):
        return
    raise RowProblem("code", f"区域编码 {code} 不在乡镇 {township} 的编码之下")
