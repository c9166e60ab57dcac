"""What a clerk types about a person, checked into clean values: names, phones, documents.

Text pasted from documents or chat carries full-width digits, ideographic spaces,
zero-width and direction-override characters; these are normalised (NFKC for digits and
spaces) or refused with a message saying what is wrong, never stored.
"""

from __future__ import annotations

import re
import unicodedata

from centre_app.errors import ValidationError

MAX_NAME = 32
MAX_DOCUMENT = 40
# Middle dots people type in minority and foreign names (阿卜杜·热合曼): one form stored.
_MIDDLE_DOTS = "\u00b7\u2022\u2027\u30fb\uff65\u2219\u22c5\u0387"
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}")
_FOREIGN = re.compile(r"\+[1-9]\d{6,14}")


def check_text(text: str, field: str) -> str:
    """Refuse characters that must never be stored: lone surrogates, control characters,
    zero-width and direction-override characters. Returns the text NFC-normalised."""
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if category == "Cs":
            raise ValidationError(
                "{field}第 {position} 个字符是无法识别的残缺字符，请重新输入。",
                field=field,
                position=position,
            )
        if category == "Cc" and char not in "\n\t":
            raise ValidationError(
                "{field}第 {position} 个字符是控制字符，请删除后重新输入。",
                field=field,
                position=position,
            )
        if category == "Cf":
            raise ValidationError(
                "{field}第 {position} 个字符是看不见的格式字符（零宽或方向控制），"
                "多半是复制粘贴带来的，请删除后重新输入。",
                field=field,
                position=position,
            )
    return unicodedata.normalize("NFC", text)


def normalise_name(raw: str) -> str:
    """A person's name: spaces trimmed, one middle dot, rare characters beyond the BMP kept."""
    name = check_text(raw, "姓名")
    name = "".join(name.split()) if _is_cjk_name(name) else " ".join(name.split())
    for dot in _MIDDLE_DOTS:
        name = name.replace(dot, "\u00b7")
    if not name:
        raise ValidationError("请填写姓名。")
    if len(name) > MAX_NAME:
        raise ValidationError(
            "姓名不能超过 {most} 个字（现在 {length} 个）。", most=MAX_NAME, length=len(name)
        )
    if any(not (c.isalpha() or c in "\u00b7 .-'") for c in name):
        raise ValidationError("姓名只能包含文字、间隔号（·）、空格和连字符，请核对。")
    return name


def _is_cjk_name(name: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or ord(c) >= 0x20000 for c in name)


def normalise_phone(raw: str) -> str | None:
    """11-digit mobile, landline with area code, or an international number with +;
    +86/0086, spaces, hyphens, parentheses and full-width digits are cleaned."""
    text = unicodedata.normalize("NFKC", check_text(raw, "联系电话")).strip()
    if not text:
        return None
    compact = re.sub(r"[\s\-()（）.]", "", text)
    if compact.startswith("0086"):
        compact = "+86" + compact[4:]
    if compact.startswith("+86"):
        compact = compact[3:]
    if _MOBILE.fullmatch(compact) or _LANDLINE.fullmatch(compact) or _FOREIGN.fullmatch(compact):
        return compact
    raise ValidationError(
        "联系电话“{phone}”不像 11 位手机号、带区号的固定电话或以 + 开头的国际号码，请核对。",
        phone=text[:24],
    )


def normalise_document(raw: str) -> str | None:
    """A passport or other document (foreign visitors), or the reason there is none."""
    text = " ".join(unicodedata.normalize("NFKC", check_text(raw, "证件说明")).split())
    if not text:
        return None
    if len(text) > MAX_DOCUMENT:
        raise ValidationError("证件说明不能超过 {most} 个字。", most=MAX_DOCUMENT)
    return text
