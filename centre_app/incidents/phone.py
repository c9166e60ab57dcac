"""The reporter's phone, typed by a duty officer or split from an old combined field.

Accepted: a mainland mobile (11 digits, 13x–19x), a landline with its area code
(0577-64281234, optionally an extension), or a short service number such as 12345.
Written as people write them: "+86 138 5771 2345", "138-5771-2345", full-width digits
"１３８５７７１２３４５", brackets around the area code. Stored normalised: a mobile as
11 digits, a landline as area code-number[-extension]."""

from __future__ import annotations

import re
import unicodedata

from centre_app.errors import ValidationError

MAX_LENGTH = 24
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?")
_SERVICE = re.compile(r"1\d{2,4}")
_SEPARATORS = re.compile(r"[ \u3000()（）]")
_COUNTRY = re.compile(r"^(?:\+86|0086)-?")
# A combined "name phone" value (how the reporter field used to hold both).
_TRAILING = re.compile(r"^(?P<name>.*?\S)[\s,，:：/]+(?P<phone>(?:\+86)?[\d\- ]{5,20})$")


def normalise_phone(text: str) -> str:
    """The phone in its stored form; "" when none was given. Anything else is refused in
    words (ValidationError)."""
    value = unicodedata.normalize("NFKC", text).strip()
    value = _SEPARATORS.sub("", value).replace("\u2010", "-").replace("\u2013", "-")
    value = _COUNTRY.sub("", value)
    if not value:
        return ""
    digits = value.replace("-", "")
    if value.replace("-", "").isascii() and _MOBILE.fullmatch(digits):
        return digits
    landline = _LANDLINE.fullmatch(value) if value.isascii() else None
    if landline:
        area, number, extension = landline.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    if value.isascii() and _SERVICE.fullmatch(value):
        return value
    raise ValidationError(
        "联系电话“{phone}”格式不对：请填写 11 位手机号或带区号的固定电话（如 0577-64281234）。",
        phone=_printable(text.strip())[:40],
    )


def split_reporter(combined: str) -> tuple[str, str]:
    """(name, phone) of a reporter field that clearly ends in a phone number
    ("王晓燕 13857712345"); (combined, "") otherwise."""
    found = _TRAILING.match(combined.strip())
    if found is None:
        return combined, ""
    try:
        phone = normalise_phone(found["phone"])
    except ValidationError:
        return combined, ""
    return (found["name"], phone) if phone and not _SERVICE.fullmatch(phone) else (combined, "")


def mask_phone(phone: str) -> str:
    """Shown to people who may not see personal data: 138****2345, 0577-****1234 (an
    extension dropped); a short service number is public and shown as it is."""
    if _MOBILE.fullmatch(phone):
        return phone[:3] + "****" + phone[-4:]
    landline = _LANDLINE.fullmatch(phone)
    if landline:
        area, number, _extension = landline.groups()
        return f"{area}-" + "*" * (len(number) - 4) + number[-4:]
    return phone if not phone or _SERVICE.fullmatch(phone) else "*" * len(phone)


def _printable(text: str) -> str:
    """The typed text as it can be shown: control characters and lone surrogates dropped."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cs", "Cf"))
