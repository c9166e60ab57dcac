"""China's working-day calendar: official holidays and 调休 make-up days from the
`chinese-calendar` library, overridden by the centre's own table (a new year's schedule is
published by the State Council's General Office in November; the library learns it later,
and the one installed here knows 2004–2026).

A year is *known* when the library covers it or the centre's table holds any day of it (the
published schedule lists only the exceptions; every other day follows the weekday). A day
of an unknown year is never an error: it counts Monday to Friday, and `unknown_note` says
so in words for the screens to show.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from centre_app.errors import ValidationError, msg
from db.models.mediation import WorkingDayCorrection

# The library names holidays in English; shown through these labels (translated by ui/).
HOLIDAY_LABELS = {
    "New Year's Day": msg("元旦"),
    "Spring Festival": msg("春节"),
    "Tomb-sweeping Day": msg("清明节"),
    "Labour Day": msg("劳动节"),
    "Dragon Boat Festival": msg("端午节"),
    "National Day": msg("国庆节"),
    "Mid-autumn Festival": msg("中秋节"),
    "Anti-Fascist 70th Day": msg("抗战胜利 70 周年纪念日"),
}
MAX_IMPORT_LINES = 1000
MAX_RANGE_DAYS = 31
_WORDS = {
    "休": False,
    "休息": False,
    "放假": False,
    "假": False,
    "off": False,
    "holiday": False,
    "0": False,
    "班": True,
    "上班": True,
    "调休上班": True,
    "补班": True,
    "work": True,
    "workday": True,
    "1": True,
}
_LINE = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:~|至|到|--|—|–)\s*(\d{4}-\d{1,2}-\d{1,2}))?"
    r"[\s,，;；]+(\S+)(?:[\s,，;；]+(.*))?$"
)


def library_covers(year: int) -> bool:
    """Whether the installed chinese-calendar knows the official schedule of `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkingDays:
    def __init__(
        self,
        corrections: Mapping[dt.date, bool] | None = None,
        notes: Mapping[dt.date, str] | None = None,
    ) -> None:
        self._corrections = dict(corrections or {})
        self._notes = dict(notes or {})
        self._table_years = {day.year for day in self._corrections}

    def is_working_day(self, day: dt.date) -> bool:
        """The centre's correction first, then the official calendar; a year neither
        knows counts Monday to Friday (see `unknown_note`)."""
        if day in self._corrections:
            return self._corrections[day]
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5

    @classmethod
    def of_centre(cls, session: Session) -> WorkingDays:
        """The official calendar with the centre's corrections (one table for mediation's
        opening hours and the petitions' time limits)."""
        rows = list(session.scalars(select(WorkingDayCorrection)))
        return cls({r.day: r.working for r in rows}, {r.day: r.note for r in rows})

    def on_or_after(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the first working day after it."""
        for _ in range(60):  # the longest holiday run is about 10 days
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        return day

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday's name (e.g. "National Day", or the note of the centre's table)
        when the day is an official rest day; None otherwise."""
        if day in self._corrections:
            if self._corrections[day]:
                return None
            return self._notes.get(day) or "holiday"
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        return str(name) if on_holiday and name else None

    def known(self, day: dt.date) -> bool:
        return day.year in self._table_years or library_covers(day.year)

    def unknown_note(self, day: dt.date) -> tuple[str, dict[str, object]] | None:
        """A message template and its arguments when `day`'s year is unknown: the day is
        counted by its weekday until the centre head enters that year's schedule."""
        if self.known(day):
            return None
        return (
            msg(
                "{year} 年的法定节假日和调休安排还没有录入，{day} 暂按星期计算"
                "（周一至周五上班），请中心主任在“工作日”中录入"
            ),
            {"year": day.year, "day": day.isoformat()},
        )

    def unknown_years(self, days: Iterable[dt.date]) -> list[int]:
        return sorted({d.year for d in days if not self.known(d)})


def official_days(year: int) -> list[tuple[dt.date, bool, str]]:
    """The library's holidays and make-up working days of `year` (empty when it does not
    know the year), for the centre head to compare with the published schedule; the name
    is a label of HOLIDAY_LABELS (or the library's own name)."""
    result: list[tuple[dt.date, bool, str]] = []
    for day, name in chinese_calendar.holidays.items():
        if day.year == year and day.weekday() < 5:
            result.append((day, False, HOLIDAY_LABELS.get(str(name), str(name))))
    for day, name in chinese_calendar.workdays.items():
        if day.year == year and day.weekday() >= 5:
            result.append((day, True, HOLIDAY_LABELS.get(str(name), str(name))))
    return sorted(result)


@dataclass(frozen=True)
class TableEntry:
    day: dt.date
    working: bool
    note: str


def _date(text: str, line: int) -> dt.date:
    try:
        day = dt.date.fromisoformat("-".join(f"{int(p):02d}" for p in text.split("-")))
    except ValueError:
        raise ValidationError("第 {line} 行的日期“{text}”不存在", line=line, text=text) from None
    if not 2000 <= day.year <= 2100:
        raise ValidationError(
            "第 {line} 行的日期“{text}”不在 2000–2100 年之间", line=line, text=text
        )
    return day


def parse_schedule(text: str) -> list[TableEntry]:
    """A simple list, one line each (blank lines and # comments skipped):

        2027-01-01 休 元旦
        2027-02-06~2027-02-13 休 春节
        2027-02-14 班 春节调休

    休/放假/off/0 is a rest day, 班/上班/work/1 a working day; full-width digits and Chinese
    punctuation are accepted. A line that cannot be read is refused, naming its number."""
    entries: dict[dt.date, TableEntry] = {}
    lines = unicodedata.normalize("NFKC", text).splitlines()
    if len(lines) > MAX_IMPORT_LINES:
        raise ValidationError("一次最多导入 {limit} 行", limit=MAX_IMPORT_LINES)
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip().replace("/", "-").replace(".", "-")
        if not line:
            continue
        if re.search(r"[\x00-\x1f\x7f\ud800-\udfff]", line.replace("\t", " ")):
            raise ValidationError("第 {line} 行含有不可见的控制字符", line=number)
        match = _LINE.match(line)
        if match is None or match.group(3).lower() not in _WORDS:
            raise ValidationError(
                "第 {line} 行“{text}”看不懂：应为 日期 休/班 说明，例如 2027-02-14 班 春节调休",
                line=number,
                text=line[:40],
            )
        first = _date(match.group(1), number)
        last = _date(match.group(2), number) if match.group(2) else first
        if last < first or (last - first).days >= MAX_RANGE_DAYS:
            raise ValidationError(
                "第 {line} 行的日期范围应从早到晚、不超过 {limit} 天",
                line=number,
                limit=MAX_RANGE_DAYS,
            )
        working = _WORDS[match.group(3).lower()]
        note = (match.group(4) or "").strip()[:64]
        day = first
        while day <= last:
            entries[day] = TableEntry(day, working, note)
            day += dt.timedelta(days=1)
    if not entries:
        raise ValidationError("没有读到任何日期，每行应为 日期 休/班 说明")
    return sorted(entries.values(), key=lambda e: e.day)
