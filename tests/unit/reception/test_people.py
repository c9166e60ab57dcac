"""What clerks type about people: ID numbers, names and phones, normalised or refused."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric

from centre_app.errors import ValidationError
from centre_app.reception.id_numbers import validate_id_number
from centre_app.reception.people import normalise_document, normalise_name, normalise_phone

TODAY = dt.date(2026, 11, 20)
NUMBER = "33032719800315123" + ric.calc_check_digit("330327198003151230")
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_full_width_digits_and_pasted_spaces_are_normalised_never_a_check_digit_error() -> None:
    pasted = "\u3000" + NUMBER[:6].translate(FULL_WIDTH) + " " + NUMBER[6:] + "\u00a0"
    assert validate_id_number(pasted, today=TODAY) == NUMBER


def test_a_full_width_letter_in_the_body_is_named_with_its_position() -> None:
    with pytest.raises(ValidationError, match="第 7 位是“A”"):
        validate_id_number(NUMBER[:6] + "Ａ" + NUMBER[7:], today=TODAY)


def test_the_fifteen_digit_legacy_form_becomes_eighteen_digits() -> None:
    legacy = "330327800315123"
    assert validate_id_number(legacy, today=TODAY) == NUMBER


def test_an_implausible_birth_date_is_refused() -> None:
    body = "33032718800315123"
    with pytest.raises(ValidationError, match="120 年前"):
        validate_id_number(body + ric.calc_check_digit(body + "0"), today=TODAY)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (NUMBER[:5] + "\u200b" + NUMBER[5:], "格式字符"),
        (NUMBER[:5] + "\ud800" + NUMBER[5:], "残缺字符"),
        (NUMBER + "\x00", "控制字符"),
    ],
)
def test_hidden_characters_in_an_id_number_are_refused_in_words(raw: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        validate_id_number(raw, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("阿卜杜・热合曼", "阿卜杜·热合曼"),
        ("阿卜杜•热合曼", "阿卜杜·热合曼"),
        (" 王 晓燕 ", "王晓燕"),
        ("𠮷野", "𠮷野"),  # beyond the BMP: kept
        ("John  Smith", "John Smith"),
    ],
)
def test_names_keep_their_letters_and_one_middle_dot(raw: str, clean: str) -> None:
    assert normalise_name(raw) == clean


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("王\u202e晓燕", "格式字符"),
        ("王\u200d晓燕", "格式字符"),
        ("王\ud83d晓燕", "残缺字符"),
        ("王\x07晓燕", "控制字符"),
        ("王晓燕1", "只能包含"),
        ("王" * 33, "不能超过"),
    ],
)
def test_bad_names_are_refused_in_words(raw: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        normalise_name(raw)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("+86 138-5771-2345", "13857712345"),
        ("0086 13857712345", "13857712345"),
        ("（0577）6471 2345", "057764712345"),
        ("１３８５７７１２３４５", "13857712345"),
        ("+44 20 7946 0958", "+442079460958"),
        ("", None),
    ],
)
def test_phones_are_cleaned(raw: str, clean: str | None) -> None:
    assert normalise_phone(raw) == clean


def test_a_foreign_visitor_gives_a_passport_instead_of_an_id_number() -> None:
    assert normalise_document(" 护照  E１２３４５６７８ ") == "护照 E12345678"
    with pytest.raises(ValidationError, match="联系电话"):
        normalise_phone("12345")
