"""What the new-incident form checks before the service sees a draft: the people count
and the reporter's phone typed as text, and the labels of the intake channels. The
service stays the judge of the draft itself (category, grid, title, ranges)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from centre_app.errors import ValidationError
from centre_app.incidents.phone import normalise_phone
from centre_app.incidents.service import MAX_PEOPLE

__all__ = [
    "CHANNEL_LABELS",
    "Reporter",
    "normalise_phone",
    "parse_people",
    "parse_reporter",
    "require_choices",
]
from db.models.incidents import Channel, RiskColour

CHANNEL_LABELS = {
    Channel.GRID_WORKER: "网格员上报",
    Channel.HOTLINE: "电话/热线",
    Channel.WALK_IN: "来访",
    Channel.VIDEO: "视频巡查",
    Channel.CITIZEN_APP: "群众APP",
    Channel.DEPARTMENT: "部门转办",
}


def require_choices(
    channel: Channel | None,
    category: str | None,
    subcategory: str | None,
    colour: RiskColour | None,
) -> tuple[Channel, str, str, RiskColour]:
    """The form presets nothing: each of these must have been chosen by the officer."""
    if channel is None:
        raise ValidationError("请选择来源渠道。")
    if not category or not subcategory:
        raise ValidationError("请选择事件类别和小类。")
    if colour is None:
        raise ValidationError("请选择风险等级。")
    return channel, category, subcategory, colour


def parse_people(text: str) -> int:
    """The number of people involved typed in the form; a sentence saying what is wrong."""
    value = text.strip()
    if not value:
        return 1
    if not re.fullmatch(r"\d{1,9}", value):
        raise ValidationError("涉及人数请填写整数，例如 1 或 12。")
    people = int(value)
    if not 1 <= people <= MAX_PEOPLE:
        raise ValidationError("涉及人数应在 1 到 {most} 之间，请核对。", most=MAX_PEOPLE)
    return people


@dataclass(frozen=True)
class Reporter:
    """The reporter's name and phone, kept in separate fields of the case."""

    name: str
    phone: str


def parse_reporter(name: str, phone: str) -> Reporter:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("请填写上报人姓名（匿名来电可写“匿名”）。")
    if len(clean) > 32:
        raise ValidationError("上报人姓名太长（不超过 32 个字）。")
    return Reporter(clean, normalise_phone(phone))
