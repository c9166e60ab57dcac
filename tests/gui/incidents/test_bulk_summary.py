"""The one-sentence outcome of a bulk action (plain functions, no widgets)."""

from __future__ import annotations

import datetime as dt

import pytest

from centre_app.errors import ConflictError, ValidationError
from centre_app.incidents.queries import QueueRow
from db.models.incidents import IncidentState, RiskColour
from ui.incidents.bulk import apply_to_rows, summary


def row(n: int) -> QueueRow:
    return QueueRow(
        str(n),
        f"ZZ-{n}",
        RiskColour.GREEN,
        IncidentState.ACCEPTED,
        "矛盾纠纷/邻里纠纷",
        "标题",
        "地点",
        "网格",
        "",
        dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        None,
    )


def test_refusals_are_collected_and_the_rest_applied() -> None:
    applied: list[str] = []

    def one(r: QueueRow) -> None:
        if r.case_no == "ZZ-2":
            raise ConflictError(
                "事件 ZZ-2 已被 张三（zhangsan） 处理为“已派遣”，不能再派遣。请刷新后再操作。"
            )
        applied.append(r.case_no)

    result = apply_to_rows([row(1), row(2), row(3), row(4)], one)
    assert applied == ["ZZ-1", "ZZ-3", "ZZ-4"]
    assert summary(result, "派遣") == (
        "批量派遣：3 件已处理，1 件未处理：事件 ZZ-2 已被 张三（zhangsan） 处理为“已派遣”，不能再派遣。"
    )


def test_one_reason_for_several_rows_names_them_once() -> None:
    def one(r: QueueRow) -> None:
        raise ValidationError("请选择派遣的部门或站所。")

    assert summary(apply_to_rows([row(1), row(2)], one), "派遣") == (
        "批量派遣：0 件已处理，2 件未处理：ZZ-1、ZZ-2：请选择派遣的部门或站所。"
    )


def test_anything_but_a_refusal_is_a_bug_and_not_swallowed() -> None:
    def one(r: QueueRow) -> None:
        raise RuntimeError("database is locked")

    with pytest.raises(RuntimeError):
        apply_to_rows([row(1)], one)
