"""The local working-day table: the installed chinese-calendar knows 2004–2026; a 2027 day
counts by its weekday with a note in words (never an error) until the centre head imports
the published schedule, after which holidays close the rooms, 调休 Sundays open them, the
rota skips the holidays, and removing a correction restores the weekday."""

from __future__ import annotations

import datetime as dt

import pytest

from centre_app.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from centre_app.mediation.rota import SeriesDraft
from centre_app.mediation.working_day_table import WorkingDayTable
from centre_app.mediation.working_days import WorkingDays, library_covers, parse_schedule
from tests.unit.mediation.conftest import Centre

SCHEDULE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知（节选，示例）
2027-01-01 休 元旦
２０２７-０２-０６～2027-02-13 休 春节
2027-02-14 班 春节调休
"""
FEB_8 = dt.date(2027, 2, 8)  # a Monday in the 2027 Spring Festival break
FEB_14 = dt.date(2027, 2, 14)  # a Sunday worked in lieu


def test_a_year_the_library_does_not_know_counts_by_weekday_with_a_note() -> None:
    assert library_covers(2026) and not library_covers(2027)
    calendar = WorkingDays()
    assert calendar.is_working_day(FEB_8)  # no exception: Monday
    assert not calendar.is_working_day(FEB_14)  # Sunday
    assert calendar.holiday_name(FEB_8) is None
    template, params = calendar.unknown_note(FEB_8) or ("", {})
    assert template.format(**params) == (
        "2027 年的法定节假日和调休安排还没有录入，2027-02-08 暂按星期计算"
        "（周一至周五上班），请中心主任在“工作日”中录入"
    )
    assert calendar.unknown_note(dt.date(2026, 10, 1)) is None
    assert calendar.unknown_years([FEB_8, dt.date(2031, 1, 1), dt.date(2026, 5, 1)]) == [
        2027,
        2031,
    ]
    assert WorkingDays().is_working_day(dt.date(1999, 3, 1))  # before 2004: by weekday too


def test_a_published_schedule_is_read_line_by_line_with_ranges_and_full_width_digits() -> None:
    entries = parse_schedule(SCHEDULE_2027)
    assert len(entries) == 10
    assert (entries[0].day, entries[0].working, entries[0].note) == (
        dt.date(2027, 1, 1),
        False,
        "元旦",
    )
    assert (entries[-1].day, entries[-1].working) == (FEB_14, True)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2027-02-30 休", "第 1 行的日期“2027-02-30”不存在"),
        ("\n2027-01-01", "第 2 行“2027-01-01”看不懂"),
        ("2027-01-01 maybe", "第 1 行“2027-01-01 maybe”看不懂"),
        ("2027-03-01~2027-02-01 休", "第 1 行的日期范围应从早到晚"),
        ("2027-01-01~2027-03-01 休", "不超过 31 天"),
        ("2027-01-01 休 元\x00旦", "第 1 行含有不可见的控制字符"),
        ("2027-01-01 休 \ud800", "控制字符"),
        ("9999-01-01 休", "不在 2000–2100 年之间"),
        ("# only a comment", "没有读到任何日期"),
        ("2027-01-01 休\n" * 1001, "一次最多导入 1000 行"),
    ],
)
def test_a_line_that_cannot_be_read_is_refused_naming_it(text: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        parse_schedule(text)


def test_the_imported_schedule_closes_holidays_and_opens_the_sunday_worked_in_lieu(
    centre: Centre,
) -> None:
    table = WorkingDayTable(centre.svc)
    # a session booked on the Monday before the schedule was known
    centre.book("劳动争议调解室", "09:00", "10:00", day=FEB_8)
    with pytest.raises(ConflictError, match="不开放"):
        centre.book("劳动争议调解室", "09:00", "10:00", day=FEB_14)
    result = table.import_schedule(centre.head, SCHEDULE_2027)
    assert (result.added, result.changed) == (10, 0)
    assert result.sessions_on_rest_days == "02-08 09:00–10:00 劳动争议调解室 黄建平 值班"
    assert centre.svc.working_days().unknown_note(FEB_8) is None  # the year is known now
    with pytest.raises(ConflictError, match="2027-02-09 是法定节假日，劳动争议调解室 不开放"):
        centre.book("劳动争议调解室", "09:00", "10:00", day=FEB_8 + dt.timedelta(days=1))
    centre.book("劳动争议调解室", "09:00", "10:00", day=FEB_14)  # Monday's hours
    again = table.import_schedule(centre.head, "2027-02-14 班 春节调休（补班）")
    assert (again.added, again.changed) == (0, 1)
    assert [e.note for e in table.entries(2027) if e.day == FEB_14] == ["春节调休(补班)"]  # NFKC


def test_the_rota_skips_the_imported_holidays(centre: Centre) -> None:
    WorkingDayTable(centre.svc).import_schedule(centre.head, SCHEDULE_2027)
    preview = centre.ctx.mediation_rota.preview(
        SeriesDraft(
            centre.rooms["法律援助服务室"],
            [centre.mediators["黄建平"]],
            "FREQ=WEEKLY;BYDAY=MO;COUNT=3",
            dt.datetime(2027, 2, 1, 9, 0),
            120,
        )
    )
    assert [(o.local_start.date().isoformat(), bool(o.clashes)) for o in preview] == [
        ("2027-02-01", False),
        ("2027-02-08", True),
        ("2027-02-15", False),
    ]


def test_removing_a_correction_restores_the_weekday_and_only_the_head_may(
    centre: Centre,
) -> None:
    table = WorkingDayTable(centre.svc)
    with pytest.raises(PermissionDenied):
        table.import_schedule(centre.clerk, SCHEDULE_2027)
    table.import_schedule(centre.head, SCHEDULE_2027)
    table.remove(centre.head, FEB_8)
    assert centre.svc.working_days().is_working_day(FEB_8)
    with pytest.raises(NotFound, match="本地工作日表中没有 2027-02-08"):
        table.remove(centre.head, FEB_8)
    assert len(table.entries(2027)) == 9
