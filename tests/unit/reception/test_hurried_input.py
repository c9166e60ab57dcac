"""What hurried clerks paste and type: each input is normalised or refused with a message
saying exactly what is wrong (found probing issue 18's "Bad input" list)."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import ValidationError
from centre_app.reception.id_numbers import validate_id_number
from centre_app.reception.people import normalise_name, normalise_phone
from centre_app.reception.visits import VisitDraft, mask_phone
from db.models.reception import VisitPurpose, VisitRoute

TODAY = dt.date(2026, 11, 20)


def id_number(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def refusal(work: object) -> str:
    with pytest.raises(ValidationError) as caught:
        assert callable(work)
        work()
    return caught.value.message


def test_an_id_number_pasted_from_a_spreadsheet_cell_with_its_line_end_is_accepted() -> None:
    number = id_number("33032719800315001")
    assert validate_id_number(number + "\r\n", today=TODAY) == number
    assert normalise_phone("13857712345\r\n") == "13857712345"
    assert normalise_name("郑美玲\r\n") == "郑美玲"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("33032719800230001", "出生日期 1980 年 02 月 30 日不存在"),
        ("33032719801315001", "出生日期 1980 年 13 月 15 日不存在"),
        ("33032720300101001", "出生日期 2030-01-01 晚于今天"),
        ("33032718760101001", "出生日期 1876-01-01 早于 120 年前"),
        ("99999919800315001", "地区代码 999999 不存在"),
    ],
)
def test_an_id_number_with_an_impossible_date_or_region_names_it(body: str, says: str) -> None:
    assert says in refusal(lambda: validate_id_number(id_number(body), today=TODAY))


def test_a_legacy_number_with_an_impossible_date_names_the_date() -> None:
    message = refusal(lambda: validate_id_number("330327800230001", today=TODAY))
    assert "1980 年 02 月 30 日不存在" in message


@pytest.mark.parametrize(
    "typed",
    ["阿卜杜.热合曼", "阿卜杜．热合曼", "阿卜杜﹒热合曼", "阿卜杜⸱热合曼", "阿卜杜 ・ 热合曼"],
)
def test_a_full_stop_or_any_dot_between_chinese_names_is_stored_as_the_middle_dot(
    typed: str,
) -> None:
    assert normalise_name(typed) == "阿卜杜·热合曼"


def test_full_width_latin_letters_of_a_name_are_folded() -> None:
    assert normalise_name("Ｊｏｈｎ Ｓｍｉｔｈ") == "John Smith"


@pytest.mark.parametrize("typed", ["·", "··", "·王", "王··五", "阿卜杜·热合曼·", "-"])
def test_a_name_of_dots_or_with_a_dot_at_an_end_is_refused_in_words(typed: str) -> None:
    message = refusal(lambda: normalise_name(typed))
    assert "间隔号" in message or "没有文字" in message


def test_a_character_that_is_no_letter_in_a_name_is_named() -> None:
    assert "“1”不是文字" in refusal(lambda: normalise_name("王五1"))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+86 577 6478 1234", "057764781234"),
        ("0086 577 64781234", "057764781234"),
        ("86 138 5771 2345", "13857712345"),
        ("0577-6478 1234 转 8001", "057764781234-8001"),
        ("0577-64781234-8001", "057764781234-8001"),
        ("(0577) 64781234 ext. 12", "057764781234-12"),
        ("０５７７－６４７８１２３４", "057764781234"),
    ],
)
def test_landlines_written_internationally_or_with_an_extension_are_kept(
    typed: str, stored: str
) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1385771234", "“1385771234”是 10 位：手机号应为 11 位"),
        ("138577123456", "是 12 位"),
        ("1385771234a", "中有“a”"),
        ("0577-64781", "固定电话应为区号加 7 到 8 位号码"),
        ("13857712345 转 8001", "不能带分机号"),
    ],
)
def test_a_wrong_phone_is_refused_saying_what_is_wrong(typed: str, says: str) -> None:
    assert says in refusal(lambda: normalise_phone(typed))


def draft(name: str) -> VisitDraft:
    return VisitDraft(
        visitor_name=name,
        id_number="",
        phone="",
        purpose=VisitPurpose.CONSULTATION,
        summary="咨询",
        route=VisitRoute.WINDOW,
    )


@pytest.mark.parametrize("typed", ["阿卜杜・热合曼", "阿卜杜•热合曼", "卜杜.热合", "王 晓 燕"])
def test_a_search_finds_a_name_typed_with_another_dot_or_spaces(
    ctx: AppContext, typed: str
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    for name in ("阿卜杜·热合曼", "王晓燕"):
        ctx.visits.register(clerk, draft(name))
    found = {r.visitor_name for r in ctx.visits.recent(clerk, search=typed)}
    assert found & {"阿卜杜·热合曼", "王晓燕"}


def test_a_search_with_wildcards_quotes_nul_or_a_thousand_characters_answers_calmly(
    any_ctx: AppContext,
) -> None:
    clerk = any_ctx.auth.login("jiedai", DEMO_PASSWORD)
    any_ctx.visits.register(clerk, draft("王五"))
    for typed in ["%", "_", "\\", "'", '"', "王%", "王_", "x" * 1000, "王\x00", "\ud800", "' OR 1"]:
        assert any_ctx.visits.recent(clerk, search=typed) == [], typed


def test_a_service_letter_that_is_no_letter_is_refused_in_words(any_ctx: AppContext) -> None:
    clerk = any_ctx.auth.login("jiedai", DEMO_PASSWORD)
    for letter in ("\x00", "%", "AB"):
        bad = VisitDraft(
            visitor_name="王五",
            id_number="",
            phone="",
            purpose=VisitPurpose.CONSULTATION,
            summary="咨询",
            route=VisitRoute.WINDOW,
            service_letter=letter,
        )
        assert "不存在或已停用" in refusal(lambda: any_ctx.visits.register(clerk, bad))  # noqa: B023


def test_a_landline_with_an_extension_is_masked_on_its_number_not_its_extension() -> None:
    assert mask_phone("057764781234-8001") == "057*****1234-8001"
    assert mask_phone("13857712345") == "138****2345"
