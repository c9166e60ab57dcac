"""Issue 15, defects 2 and 3 without HTTP: a township's row is checked column by column and
its reference rows must lie under its own code; text is refused for NUL, lone surrogates
and control characters, numbers for being non-finite or huge."""

from __future__ import annotations

import math
import uuid
from typing import Any

import pytest

from centre_app.county.validation import RowProblem, check_row
from centre_app.replication.protocol import json_problem, text_problem
from centre_app.replication.tables import replicated_tables

A = "330327102"


def incident(**changes: Any) -> dict[str, Any]:
    row = {
        "id": str(uuid.uuid4()),
        "township_code": A,
        "case_no": f"{A}-2026-000001",
        "channel": "walk_in",
        "category": "矛盾纠纷",
        "subcategory": "邻里纠纷",
        "colour": "green",
        "title": "纠纷",
        "description": "描述\n第二行",
        "people_involved": 2,
        "reporter": "张三",
        "state": "reported",
        "reported_at": "2026-12-01T08:00:00+00:00",
        "hlc": "1796137682033-000000",
    }
    return {**row, **changes}


def check(table: str, data: dict[str, Any], township: str = A) -> None:
    check_row(replicated_tables()[table], data["id"], data, township)


def test_a_well_formed_incident_and_a_county_numbered_one_pass() -> None:
    check("incident", incident())
    check("incident", incident(case_no=f"{A}-2026C-000042"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reported_at", "not-a-date"),
        ("case_no", "bogus"),
        ("case_no", "330327103-2026-000001"),
        ("case_no", f"{A}-２０２６-000001"),
        ("people_involved", 2**40),
        ("people_involved", True),
        ("people_involved", "2"),
        ("title", "x" * 129),
        ("colour", "purple"),
        ("grid_id", "nope"),
        ("hlc", "9"),
        ("not_a_column", 1),
        # A fixed id, not uuid4(): xdist workers must collect the same test ids.
        ("id", "0193a0b2-7c1e-7000-8000-000000000001"),
    ],
)
def test_a_malformed_column_is_refused_naming_it(field: str, value: Any) -> None:
    data = incident()
    row_id = data["id"]
    data[field] = value
    with pytest.raises(RowProblem) as refused:
        check_row(replicated_tables()["incident"], row_id, data, A)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("code", "level", "ok"),
    [
        ("330327102001001", "grid", True),
        ("330327102001", "village", True),
        ("330327000000", "county", True),
        ("330327103001001", "grid", False),
        ("330327000000", "grid", False),
        ("330328000000", "county", False),
    ],
)
def test_a_township_holds_only_areas_under_its_own_code(code: str, level: str, ok: bool) -> None:
    data = {"id": str(uuid.uuid4()), "code": code, "name": "区域", "level": level}
    if ok:
        check("area", data)
    else:
        with pytest.raises(RowProblem, match="区域编码"):
            check("area", data)


@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800", "\udfff", "a\x1bb", "\x7f", "\x85"])
def test_text_with_nul_surrogates_or_control_characters_is_refused(bad: str) -> None:
    assert text_problem(bad) is not None
    assert text_problem(bad, multiline=False) is not None


def test_tabs_and_line_breaks_are_text_but_not_a_line() -> None:
    assert text_problem("第一行\r\n\t第二行") is None
    assert text_problem("第一行\n", multiline=False) is not None
    assert text_problem("全角２０２６与²") is None


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1e300, 2**64, -(2**64)])
def test_non_finite_or_huge_numbers_anywhere_in_row_data_are_refused(bad: Any) -> None:
    assert json_problem({"a": [{"b": bad}]}) is not None
    assert json_problem({"a": [{"b": 1.5, "c": -(2**62)}]}) is None


def test_deeply_nested_data_is_refused() -> None:
    value: Any = 1
    for _ in range(40):
        value = [value]
    assert json_problem({"a": value}) == json_problem({"a": value}) is not None
