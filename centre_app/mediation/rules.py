"""The booking rules that need no database: a slot's shape, opening hours on the
working-day calendar, closures, a mediator's availability, a room's capacity.

Each broken rule is a `Clash`: a message template with its arguments (translated by `ui/`)
and whether it blocks the booking or is only a warning (the centre's `RulePolicy`).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from centre_app.clock import LOCAL_TZ
from centre_app.errors import ValidationError, msg
from centre_app.mediation.working_days import WorkingDays

DEFAULT_HOURS: dict[str, list[str]] = {str(d): ["08:30", "17:30"] for d in range(1, 6)}
MAX_BUFFER_MINUTES = 120
# A session never crosses midnight, so a booking row is at most a day plus the buffers
# before and after long; the overlap query bounds its index range with this.
MAX_SPAN = dt.timedelta(days=1, minutes=2 * MAX_BUFFER_MINUTES)
WEEKDAY_NAMES = (
    msg("周一"),
    msg("周二"),
    msg("周三"),
    msg("周四"),
    msg("周五"),
    msg("周六"),
    msg("周日"),
)


class RuleMode(enum.Enum):
    REFUSE = "refuse"
    WARN = "warn"


def policy_mode(value: Any) -> RuleMode:
    """The centre setting for the soft rules, typed or stored: refuse (拒绝) or warn
    (提醒, the clerk confirms)."""
    text = str(value).strip().lower()
    aliases = {"拒绝": "refuse", "提醒": "warn", "警告": "warn"}
    try:
        return RuleMode(aliases.get(text, text))
    except ValueError:
        raise ValidationError(
            "只能选“拒绝”（refuse）或“提醒”（warn），“{value}”不行", value=str(value)[:20]
        ) from None


@dataclass(frozen=True)
class RulePolicy:
    """What the centre does when a booking breaks a soft rule. Overlaps always refuse."""

    hours: RuleMode = RuleMode.REFUSE  # opening hours, holidays, closures
    availability: RuleMode = RuleMode.REFUSE  # the mediator's own hours
    capacity: RuleMode = RuleMode.REFUSE


@dataclass(frozen=True)
class Clash:
    """One reason a booking cannot (or should not) be made."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    blocking: bool = True
    session_id: uuid.UUID | None = None  # the session clashed with, when there is one

    @property
    def message(self) -> str:
        return self.template.format(**self.params)


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime

    @property
    def local_day(self) -> dt.date:
        return self.starts_at.astimezone(LOCAL_TZ).date()


def hm(instant: dt.datetime) -> str:
    return instant.astimezone(LOCAL_TZ).strftime("%H:%M")


def validate_slot(starts_at: dt.datetime, ends_at: dt.datetime) -> Slot:
    """A session's times as typed or dragged: aware, positive, within one local day."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValidationError("调解时间缺少时区，请按北京时间填写")
    start, end = starts_at.astimezone(dt.UTC), ends_at.astimezone(dt.UTC)
    if end < start:
        raise ValidationError("结束时间 {end} 早于开始时间 {start}", start=hm(start), end=hm(end))
    if end == start:
        raise ValidationError(
            "调解时长为零（{start} 开始也在 {start} 结束），请填写结束时间", start=hm(start)
        )
    local_start, local_end = start.astimezone(LOCAL_TZ), end.astimezone(LOCAL_TZ)
    last_moment = (end - dt.timedelta(microseconds=1)).astimezone(LOCAL_TZ)
    if last_moment.date() != local_start.date():
        raise ValidationError(
            "调解安排不能跨天：{start_day} {start} 开始，{end_day} {end} 结束，请分成每天一场",
            start_day=local_start.date().isoformat(),
            start=hm(start),
            end_day=local_end.date().isoformat(),
            end=hm(end),
        )
    return Slot(start, end)


def parse_hhmm(text: str) -> dt.time:
    try:
        hours, minutes = text.split(":")
        if not (hours.isascii() and minutes.isascii()):
            raise ValueError(text)
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ValidationError("时间“{text}”应写成 时:分，例如 08:30", text=text) from None


def validate_hours(hours: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Opening hours {"1": ["08:30", "17:30"], ...} checked and normalised."""
    result: dict[str, list[str]] = {}
    for key, span in hours.items():
        if key not in {str(d) for d in range(1, 8)}:
            raise ValidationError("星期应为 1 到 7，“{key}”不对", key=key)
        if len(span) != 2:
            raise ValidationError("开放时间应为开始和结束两个时间")
        opens, closes = parse_hhmm(span[0]), parse_hhmm(span[1])
        if closes <= opens:
            raise ValidationError(
                "关门时间 {closes} 不晚于开门时间 {opens}", opens=span[0], closes=span[1]
            )
        result[key] = [opens.strftime("%H:%M"), closes.strftime("%H:%M")]
    return result


def opening_hours_on(
    day: dt.date, hours: Mapping[str, Sequence[str]] | None, calendar: WorkingDays
) -> tuple[dt.time, dt.time] | None:
    """The room's local hours on `day`, or None when it is closed (holiday, rest day).

    A 调休 make-up weekend day opens with Monday's hours unless the room names that day."""
    table = hours if hours is not None else DEFAULT_HOURS
    iso = day.isoweekday()
    working = calendar.is_working_day(day)
    if working:
        span = table.get(str(iso)) or (table.get("1") if iso >= 6 else None)
    elif iso <= 5 or calendar.holiday_name(day):
        return None  # an official holiday
    else:
        span = table.get(str(iso))
    if not span:
        return None
    return parse_hhmm(span[0]), parse_hhmm(span[1])


def hours_clashes(
    room_name: str,
    slot: Slot,
    hours: Mapping[str, Sequence[str]] | None,
    calendar: WorkingDays,
    closures: Sequence[tuple[dt.date, dt.date, str]],
    policy: RulePolicy,
) -> list[Clash]:
    blocking = policy.hours is RuleMode.REFUSE
    day = slot.local_day
    found: list[Clash] = []
    for first, last, reason in closures:
        if first <= day <= last:
            found.append(
                Clash(
                    msg("{room} 在 {first} 至 {last} 暂停使用（{reason}）"),
                    {
                        "room": room_name,
                        "first": first.isoformat(),
                        "last": last.isoformat(),
                        "reason": reason,
                    },
                    blocking,
                )
            )
    span = opening_hours_on(day, hours, calendar)
    if span is None:
        if not calendar.is_working_day(day) and (
            day.isoweekday() <= 5 or calendar.holiday_name(day)
        ):
            found.append(
                Clash(
                    msg("{day} 是法定节假日，{room} 不开放"),
                    {"day": day.isoformat(), "room": room_name},
                    blocking,
                )
            )
        else:
            found.append(
                Clash(
                    msg("{room} {weekday}（{day}）不开放"),
                    {
                        "room": room_name,
                        "day": day.isoformat(),
                        "weekday": WEEKDAY_NAMES[day.weekday()],
                    },
                    blocking,
                )
            )
        return found
    opens, closes = span
    local_start = slot.starts_at.astimezone(LOCAL_TZ).time()
    local_end = slot.ends_at.astimezone(LOCAL_TZ).time()
    ends_at_midnight = local_end == dt.time(0, 0)
    if local_start < opens or ends_at_midnight or local_end > closes:
        found.append(
            Clash(
                msg("{room} 的开放时间是 {opens}–{closes}，{start}–{end} 超出了开放时间"),
                {
                    "room": room_name,
                    "opens": opens.strftime("%H:%M"),
                    "closes": closes.strftime("%H:%M"),
                    "start": hm(slot.starts_at),
                    "end": hm(slot.ends_at),
                },
                blocking,
            )
        )
    return found


def availability_clash(
    mediator_name: str,
    slot: Slot,
    availability: Mapping[str, Sequence[Sequence[str]]] | None,
    policy: RulePolicy,
) -> Clash | None:
    """None when the mediator may sit then (no availability recorded: any opening hour)."""
    if availability is None:
        return None
    day = slot.local_day
    spans = availability.get(str(day.isoweekday())) or []
    start = slot.starts_at.astimezone(LOCAL_TZ).time()
    end = slot.ends_at.astimezone(LOCAL_TZ).time()
    for span in spans:
        if parse_hhmm(span[0]) <= start and end <= parse_hhmm(span[1]) and end != dt.time(0):
            return None
    shown = "、".join(f"{a}–{b}" for a, b in spans) or "—"
    return Clash(
        msg("调解员 {name} {weekday}可约时间为 {hours}，{start}–{end} 不在其中"),
        {
            "name": mediator_name,
            "weekday": WEEKDAY_NAMES[day.weekday()],
            "hours": shown,
            "start": hm(slot.starts_at),
            "end": hm(slot.ends_at),
        },
        policy.availability is RuleMode.REFUSE,
    )


def capacity_clash(room_name: str, capacity: int, people: int, policy: RulePolicy) -> Clash | None:
    if people <= capacity:
        return None
    return Clash(
        msg("{room} 只能容纳 {capacity} 人，本场有 {people} 人（当事人和调解员）"),
        {"room": room_name, "capacity": capacity, "people": people},
        policy.capacity is RuleMode.REFUSE,
    )
