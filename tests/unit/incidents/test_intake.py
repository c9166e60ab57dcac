"""What the new-incident form checks before the service: people count, phone, reporter;
and the service's read helpers the form uses (grids, names, attachment check)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from centre_app.errors import ValidationError
from centre_app.incidents.intake import (
    CHANNEL_LABELS,
    Reporter,
    normalise_phone,
    parse_people,
    parse_reporter,
)
from db.models.incidents import Channel


@pytest.mark.parametrize(("text", "people"), [("", 1), (" 12 ", 12), ("100000", 100_000)])
def test_people_counts_in_range_are_read(text: str, people: int) -> None:
    assert parse_people(text) == people


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "1 到 100000"),
        ("100001", "1 到 100000"),
        ("-3", "整数"),
        ("三十", "整数"),
        ("2.5", "整数"),
        ("9999999999", "整数"),
    ],
)
def test_absurd_people_counts_are_refused_in_words(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_people(text)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("", ""),
        ("139 0577 1234", "13905771234"),
        ("+86 13905771234", "13905771234"),
        ("0577-64281234", "0577-64281234"),
        ("(0577)64281234", "0577-64281234"),
        ("１３９ ０５７７ １２３４", "13905771234"),
        ("139-0577-1234", "13905771234"),
        ("0086 139 0577 1234", "13905771234"),
        ("\u3000139 0577 1234\u3000", "13905771234"),
        ("0577-64281234-802", "0577-64281234-802"),
        ("12345", "12345"),
        ("110", "110"),
    ],
)
def test_mobiles_landlines_and_service_numbers_are_accepted(text: str, phone: str) -> None:
    assert normalise_phone(text) == phone


@pytest.mark.parametrize(
    "text",
    [
        "1390577",
        "23905771234",
        "139057712345",
        "abc",
        "0577-12",
        "139\x000577\x001234",
        "1390577123\ud800",
        "\x07",
        "9" * 10_000,
        "+1 202 555 0100",
        "１２",
    ],
)
def test_malformed_phones_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValidationError, match=r"格式不对.*0577"):
        normalise_phone(text)


def test_the_reporter_name_and_phone_are_kept_apart() -> None:
    assert parse_reporter(" 王  某 ", "139 0577 1234") == Reporter("王 某", "13905771234")
    assert parse_reporter("匿名", "") == Reporter("匿名", "")
    with pytest.raises(ValidationError, match="上报人姓名"):
        parse_reporter("  ", "13905771234")
    with pytest.raises(ValidationError, match="太长"):
        parse_reporter("某" * 33, "")


def test_every_channel_has_a_chinese_label() -> None:
    assert set(CHANNEL_LABELS) == set(Channel)


def test_grid_choices_list_villages_with_their_grids(ctx: Any) -> None:
    choices = ctx.incidents.grid_choices()
    nanmen = next(c for c in choices if c.village_name == "南门村")
    assert nanmen.village_code == "330327102201"
    assert nanmen.grids[2] == ("330327102201003", "南门村第3网格")
    assert all(code.startswith(c.village_code) for c in choices for code, _ in c.grids)


def test_names_of_grid_and_department(ctx: Any) -> None:
    department = ctx.incidents.suggested_department("矛盾纠纷")
    grid, name = ctx.incidents.names(None, department)
    assert grid == "" and name.endswith("司法所")
    assert ctx.incidents.names(None, None) == ("", "")


def test_check_attachment_uses_the_stores_rules(ctx: Any, tmp_path: Path) -> None:
    pdf = tmp_path / "通知.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%")
    assert ctx.incidents.check_attachment(pdf) == (10, "application/pdf")
    fake = tmp_path / "假.pdf"
    fake.write_text("hello")
    with pytest.raises(ValidationError, match="不是可接受的类型"):
        ctx.incidents.check_attachment(fake)
