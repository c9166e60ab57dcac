"""What the new-incident form checks before the service sees a draft: the people count
and the reporter's phone typed as text, and the labels of the intake channels. The
service stays the judge of the draft itself (category, grid, title, ranges)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from centre_app.errors import ValidationError
from centre_app.incidents.service import MAX_PEOPLE
from db.models.incidents import Channel

CHANNEL_LABELS = {
    Channel.GRID_WORKER: "网格员上报", Channel.HOTLINE: "电话/热线", Channel.WALK_IN: "来访",
    Channel.VIDEO: "视频巡查", Channel.CITIZEN_APP: "群众APP", Channel.DEPARTMENT: "部门转办",
}

# A mainland mobile (11 digits from 13x–19x), a landline with its area code
# (0577-12345678, optionally an extension), or a short service number such as 12345.
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
_SERVICE = re.compile(r"1\d{2,4}")
_SEPARATORS = re.compile(r"[\s()（）]")


def parse_people(text: str) -> int:
    """The number of people involved typed in the form; a sentence saying what is wrong."""
    value = text.strip()
    if not value:
        return 1
    if not re.fullmatch(r"\d{1,9}", value):
        raise ValidationError("涉及人数请填写整数，例如 1 或 12。")
    people = int(value)
    if not 1 <= people <= MAX_PEOPLE:
        raise ValidationError(f"涉及人数应在 1 到 {MAX_PEOPLE} 之间，请核对。")
    return people


def normalise_phone(text: str) -> str:
    """The phone without spaces or brackets; "" when none was given. Anything that is not
    a mobile, a landline with area code or a short service number is refused."""
    value = _SEPARATORS.sub("", text).removeprefix("+86")
    if not value:
        return ""
    if _MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value) or _SERVICE.fullmatch(value):
        return value
    raise ValidationError(
        f"联系电话“{text.strip()}”格式不对：请填写 11 位手机号或带区号的固定电话（如 0577-64281234）。")


@dataclass(frozen=True)
class Reporter:
    name: str
    phone: str

    @property
    def text(self) -> str:
        """How the case records its reporter: the name, then the phone when known."""
        return f"{self.name} {self.phone}".strip()


def parse_reporter(name: str, phone: str) -> Reporter:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("请填写上报人姓名（匿名来电可写“匿名”）。")
    if len(clean) > 32:
        raise ValidationError("上报人姓名太长（不超过 32 个字）。")
    return Reporter(clean, normalise_phone(phone))
