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
# After NFKC (which folds ･ U+FF65 into ・ and ． U+FF0E, ﹒ U+FE52 into a full stop); a full
# stop between Chinese characters is the dot typed on a keyboard without one.
_MIDDLE_DOTS = "\u00b7\u2022\u2027\u30fb\u2219\u22c5\u2e31\ua78f\u16eb"
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}")
_FOREIGN = re.compile(r"\+[1-9]\d{6,14}")
# An extension after a landline: 转 8001, 分机 8001, ext. 8001, x8001, #8001.
_EXTENSION = re.compile(r"^(?P<number>.*?)\s*(?:转|分机|ext\.?|x|#)\s*(?P<ext>\d{1,6})$", re.I)
_HYPHEN_EXTENSION = re.compile(r"(?P<number>0\d{2,3}-\d{7,8})-(?P<ext>\d{1,6})")


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
        if category == "Cc" and char not in "\n\r\t":  # a line end pasted from Excel: \r\n
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
    """A person's name: spaces trimmed, full-width letters folded (NFKC), every form of the
    middle dot stored as ·, rare characters beyond the BMP kept."""
    name = unicodedata.normalize("NFKC", check_text(raw, "姓名"))
    cjk = _is_cjk_name(name)
    name = "".join(name.split()) if cjk else " ".join(name.split())
    for dot in _MIDDLE_DOTS + ("." if cjk else ""):
        name = name.replace(dot, "\u00b7")
    if cjk:
        name = name.replace(" \u00b7", "\u00b7").replace("\u00b7 ", "\u00b7")
    if not name:
        raise ValidationError("请填写姓名。")
    if len(name) > MAX_NAME:
        raise ValidationError(
            "姓名不能超过 {most} 个字（现在 {length} 个）。", most=MAX_NAME, length=len(name)
        )
    for char in name:
        if not (char.isalpha() or char in "\u00b7 .-'"):
            raise ValidationError(
                "姓名中的“{char}”不是文字，姓名只能包含文字、间隔号（·）、空格和连字符，请核对。",
                char=char,
            )
    if not any(c.isalpha() for c in name):
        raise ValidationError("姓名“{name}”里没有文字，请填写姓名。", name=name)
    if name[0] in "\u00b7.-'" or name[-1] in "\u00b7-'" or "\u00b7\u00b7" in name:
        raise ValidationError(
            "姓名“{name}”的间隔号（·）或连字符只能写在两部分姓名之间，请核对。", name=name
        )
    return name


def name_search_form(term: str) -> str:
    """A searched name fragment as `normalise_name` stores names (any middle dot as ·, no
    spaces inside a Chinese name), without refusing anything: 阿卜杜・热合曼 finds
    阿卜杜·热合曼, 王 五 finds 王五."""
    cjk = _is_cjk_name(term)
    if cjk:
        term = "".join(term.split())
    for dot in _MIDDLE_DOTS + ("." if cjk else ""):
        term = term.replace(dot, "\u00b7")
    return term


def _is_cjk_name(name: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or ord(c) >= 0x20000 for c in name)


def normalise_phone(raw: str) -> str | None:
    """11-digit mobile, landline with area code (an extension kept after a hyphen:
    057764781234-8001), or an international number with +; +86/0086/86, spaces,
    hyphens, parentheses and full-width digits are cleaned, and a landline written
    internationally (+86 577 6478 1234) gets its leading 0 back."""
    text = unicodedata.normalize("NFKC", check_text(raw, "联系电话")).strip()
    if not text:
        return None
    number, extension = text, ""
    marked = _EXTENSION.fullmatch(text)
    if marked:
        number, extension = marked["number"], marked["ext"]
    compact = re.sub(r"[\s()（）.]", "", number)
    hyphened = _HYPHEN_EXTENSION.fullmatch(compact)
    if hyphened and not extension:
        compact, extension = hyphened["number"], hyphened["ext"]
    compact = compact.replace("-", "")
    if compact.startswith("0086"):
        compact = "+86" + compact[4:]
    elif compact.startswith("86") and _MOBILE.fullmatch(compact[2:]):
        compact = compact[2:]
    if compact.startswith("+86"):
        compact = compact[3:]
        if compact[:1] in tuple("23456789"):  # +86 577 …: the area code without its 0
            compact = "0" + compact
    if _MOBILE.fullmatch(compact) or _FOREIGN.fullmatch(compact):
        if extension:
            raise ValidationError(
                "联系电话“{phone}”不是固定电话，不能带分机号，请去掉分机号。", phone=text[:24]
            )
        return compact
    if _LANDLINE.fullmatch(compact):
        return compact + (f"-{extension}" if extension else "")
    _explain_phone(text, compact)
    raise AssertionError("unreachable")


def _explain_phone(text: str, compact: str) -> None:
    """Refuse a phone saying what is wrong with it."""
    odd = next((c for c in compact if not (c.isascii() and (c.isdigit() or c == "+"))), None)
    if odd is not None:
        raise ValidationError(
            "联系电话“{phone}”中有“{char}”：电话只能由数字组成"
            "（可带 +86、空格、横线、括号或分机号），请核对。",
            phone=text[:24],
            char=odd,
        )
    if compact.startswith("1"):
        raise ValidationError(
            "联系电话“{phone}”是 {length} 位：手机号应为 11 位，请核对。",
            phone=text[:24],
            length=len(compact),
        )
    if compact.startswith("0"):
        raise ValidationError(
            "联系电话“{phone}”共 {length} 位：固定电话应为区号加 7 到 8 位号码（如 0577-64781234），请核对。",
            phone=text[:24],
            length=len(compact),
        )
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
