"""Resident ID numbers (GB 11643): validation through python-stdnum, masking for lists."""

from __future__ import annotations

import datetime as dt
import unicodedata

from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric

from centre_app.errors import ValidationError
from centre_app.reception.people import check_text


def validate_id_number(raw: str, *, today: dt.date) -> str:
    """The 18-character number in canonical form, or a ValidationError saying what is wrong.

    python-stdnum checks the check digit, the birth date and the region code. Its region
    check also requires the county to have existed in the birth year, which refuses real
    numbers (苍南县 330327 dates from 1981, yet people born before 1981 hold 330327 numbers
    issued later), so a known region code is accepted whatever the birth year.
    """
    text = unicodedata.normalize("NFKC", check_text(raw, "身份证号码"))  # full-width → ASCII
    number = "".join(text.split()).replace("-", "").upper()
    if not number:
        raise ValidationError("请填写身份证号码。")
    for position, char in enumerate(number, start=1):
        if not (char.isdigit() and char.isascii()) and not (char == "X" and position == 18):
            raise ValidationError(
                "身份证号码第 {position} 位是“{char}”，应为数字（只有第 18 位可以是 X），请核对。",
                position=position,
                char=char,
            )
    if len(number) == 15:  # the legacy form: 2-digit year, no check digit
        number = number[:6] + "19" + number[6:]
        number += ric.calc_check_digit(number + "0")
    if len(number) != 18:
        raise ValidationError(
            "身份证号码应为 18 位（或旧式 15 位），现在是 {length} 位，请核对。", length=len(number)
        )
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError("身份证号码校验位不正确，可能有数字输错，请核对。")
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            "身份证号码中的出生日期 {year} 年 {month} 月 {day} 日不存在，请核对。",
            year=number[6:10],
            month=number[10:12],
            day=number[12:14],
        ) from None
    if born > today:
        raise ValidationError(
            "身份证号码中的出生日期 {born} 晚于今天，请核对。", born=born.isoformat()
        )
    if born.year < today.year - 120:
        raise ValidationError(
            "身份证号码中的出生日期 {born} 早于 120 年前，请核对。", born=born.isoformat()
        )
    if not _region_known(number):
        raise ValidationError(
            "身份证号码前 6 位的地区代码 {code} 不存在，请核对。", code=number[:6]
        )
    return number


def _region_known(number: str) -> bool:
    info = {k: v for _part, props in numdb.get("cn/loc").info(number[:6]) for k, v in props.items()}
    return "county" in info


def mask_id_number(number: str | None) -> str:
    """Shown in lists to people who may not see personal data: 3303**********1234."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def birth_place(number: str) -> str:
    """'浙江省苍南县' for a number from Cangnan, '' when the region code is unknown."""
    info = {k: v for _part, props in numdb.get("cn/loc").info(number[:6]) for k, v in props.items()}
    county = info.get("county", "").split(",")[-1].split("]")[-1]
    return info.get("province", "") + info.get("prefecture", "") + county if county else ""
