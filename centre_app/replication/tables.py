"""Which tables replicate, and how their rows become JSON and back.

Tables are found by introspection: every mapped class with `__replicated__ = True` in the
app's registry, plus any registry added with `register_registry` (tests use their own).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import functools
import uuid
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.orm import registry as Registry

_extra_registries: list[Registry] = []
_cache: dict[str, Table] | None = None


def register_registry(reg: Registry) -> None:
    global _cache
    if reg not in _extra_registries:
        _extra_registries.append(reg)
    _cache = None


def replicated_tables() -> dict[str, Table]:
    """table name -> Table for every replicated mapped class."""
    global _cache
    if _cache is None:
        import db.models  # noqa: F401 - registers the app's tables
        from db.base import Base

        found: dict[str, Table] = {}
        for reg in [Base.registry, *_extra_registries]:
            for mapper in reg.mappers:
                cls = mapper.class_
                if getattr(cls, "__replicated__", False) and isinstance(mapper.local_table, Table):
                    found[mapper.local_table.name] = mapper.local_table
        _cache = found
    return _cache


@functools.cache
def replicated_columns(table: Table) -> tuple[Column[Any], ...]:
    """The columns that travel. A column marked `info={"local": True}` is derived on each
    node from the others (e.g. the incident sort keys) and is never sent or compared.
    Cached: asked for every captured, applied and digested row."""
    return tuple(column for column in table.columns if not column.info.get("local"))


def encode_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return value.value if not isinstance(value.value, enum.Enum) else str(value.value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, (dict, list)):
        return value
    return str(value)


def _python_type(column: Any) -> type | None:
    for kind in (column.type, getattr(column.type, "impl", None)):  # TypeDecorators: the impl
        try:
            found = kind.python_type  # type: ignore[union-attr]
        except (NotImplementedError, AttributeError):
            continue
        if found is not object:
            return found  # type: ignore[no-any-return]
    return None


def decode_row(table: Table, data: dict[str, Any]) -> dict[str, Any]:
    """JSON row data back to Python values for `table`; unknown and local keys are dropped."""
    row: dict[str, Any] = {}
    for column in replicated_columns(table):
        if column.name not in data:
            continue
        value = data[column.name]
        kind = _python_type(column)
        if value is not None and kind is not None and not isinstance(value, kind):
            if kind is dt.datetime:
                parsed = dt.datetime.fromisoformat(value)
                value = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
            elif kind is dt.date:
                value = dt.date.fromisoformat(value)
            elif kind is uuid.UUID:
                value = uuid.UUID(value)
            elif kind is decimal.Decimal:
                value = decimal.Decimal(value)
            elif kind is bytes:
                value = base64.b64decode(value)
            elif issubclass(kind, enum.Enum):
                value = kind(value)
        row[column.name] = value
    return row


def encode_object(obj: Any, table: Table) -> dict[str, Any]:
    """Column values of a mapped object (keyed by column name) as JSON-ready values."""
    from sqlalchemy import inspect

    mapper = inspect(obj).mapper
    data: dict[str, Any] = {}
    for column in replicated_columns(table):
        prop = mapper.get_property_by_column(column)
        data[column.name] = encode_value(getattr(obj, prop.key))
    return data


def encode_mapping(row: Any, table: Table) -> dict[str, Any]:
    """A Core result row (mapping keyed by column) as JSON-ready values."""
    return {column.name: encode_value(row[column]) for column in replicated_columns(table)}
