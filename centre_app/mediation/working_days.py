"""China's working-day calendar: official holidays and 调休 make-up days from the
`chinese-calendar` library, overridden by the centre's own corrections table (a new year's
schedule is published in November; the library learns it later)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.mediation import WorkingDayCorrection


class WorkingDays:
    def __init__(self, corrections: Mapping[dt.date, bool] | None = None) -> None:
        self._corrections = dict(corrections or {})

    def is_working_day(self, day: dt.date) -> bool:
        """The centre's correction first, then the official calendar; a year the library
        does not know yet counts Monday to Friday."""
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
        return cls({r.day: r.working for r in session.scalars(select(WorkingDayCorrection))})

    def on_or_after(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the first working day after it."""
        for _ in range(60):  # the longest holiday run is about 10 days
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        return day

    def holiday_name(self, day: dt.date) -> str | None:
        """The official holiday's name (e.g. "National Day") when the library knows it."""
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        return str(name) if on_holiday and name else None
