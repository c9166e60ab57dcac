"""iCalendar: the export re-imports in the icalendar library and validates; a law firm's
rota with a weekly rule, an exception and a time zone across a DST change is expanded
correctly and its clashes previewed before anything is saved; bad files are refused."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from centre_app.errors import ConflictError, ValidationError
from centre_app.mediation.ical import export_calendar, preview_import, save_import
from tests.unit.mediation.conftest import MONDAY, Centre, at

WEEK = (at(MONDAY, "00:00"), at(MONDAY + dt.timedelta(days=7), "00:00"))


def test_the_export_of_a_room_reimports_and_validates(centre: Centre) -> None:
    case = centre.case("张三", "李四", "劳资纠纷")
    centre.book("劳动争议调解室", "09:00", "10:30", case_id=case)
    centre.book("劳动争议调解室", "14:00", "15:00", mediators=("谢春生",))
    centre.book("法律援助服务室", "09:00", "10:00", mediators=("潘丽华",))
    data = export_calendar(
        centre.svc,
        centre.clerk,
        *WEEK,
        room_id=centre.rooms["劳动争议调解室"],
        name="劳动争议调解室",
    )
    cal = icalendar.Calendar.from_ical(data)
    assert cal.errors == []
    events = list(cal.walk("VEVENT"))
    assert [e.errors for e in events] == [[], []]
    assert {str(e["SUMMARY"]) for e in events} == {"张三诉李四（劳资纠纷）", "谢春生 值班"}
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND"} <= set(event)
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTSTART") == at(MONDAY, "09:00")
    assert str(first["LOCATION"]) == "劳动争议调解室"
    assert icalendar.Calendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()


def test_the_export_of_a_mediator_holds_only_their_sessions(centre: Centre) -> None:
    centre.book("劳动争议调解室", "09:00", "10:30")
    centre.book("法律援助服务室", "09:00", "10:00", mediators=("潘丽华",))
    data = export_calendar(centre.svc, centre.clerk, *WEEK, mediator_id=centre.mediators["潘丽华"])
    assert [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")] == [
        "潘丽华 值班"
    ]


FIRM_ROTA = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Mingjing Law Firm//Rota//ZH
BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:STANDARD
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:duty-huang@mingjing
DTSTAMP:20261001T000000Z
SUMMARY:\xe5\x80\xbc\xe7\x8f\xad\xe5\xbe\x8b\xe5\xb8\x88 \xe9\xbb\x84\xe5\xbb\xba\xe5\xb9\xb3
DTSTART;TZID=Europe/Berlin:20261020T030000
DTEND;TZID=Europe/Berlin:20261020T050000
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Berlin:20261103T030000
END:VEVENT
END:VCALENDAR
"""


def test_a_firms_rota_is_expanded_across_a_dst_change_with_its_exception(centre: Centre) -> None:
    start, end = at(dt.date(2026, 10, 1), "00:00"), at(dt.date(2026, 12, 1), "00:00")
    events = preview_import(
        centre.svc, centre.clerk, FIRM_ROTA, centre.rooms["法律援助服务室"], start, end
    )
    # 03:00 in Berlin is 09:00 in Shanghai in summer time and 10:00 after 25 October.
    assert [e.starts_at.astimezone(start.tzinfo).strftime("%m-%d %H:%M") for e in events] == [
        "10-20 09:00",
        "10-27 10:00",
        "11-10 10:00",
    ]
    assert {e.summary for e in events} == {"值班律师 黄建平"}
    assert all(e.clashes == () for e in events)


def test_clashes_are_previewed_and_only_the_free_events_are_saved(centre: Centre) -> None:
    centre.book(
        "法律援助服务室", "10:30", "11:30", day=dt.date(2026, 10, 27), mediators=("潘丽华",)
    )
    start, end = at(dt.date(2026, 10, 1), "00:00"), at(dt.date(2026, 12, 1), "00:00")
    room = centre.rooms["法律援助服务室"]
    events = preview_import(centre.svc, centre.clerk, FIRM_ROTA, room, start, end)
    assert [[c.message for c in e.clashes] for e in events] == [
        [],
        ["调解室 法律援助服务室 已有安排：与 10:30–11:30 法律援助服务室 潘丽华 值班冲突"],
        [],
    ]
    assert save_import(centre.svc, centre.clerk, room, events) == 2


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"this is not a calendar", "不是有效的 iCalendar 文件"),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:2026XX\nEND:VEVENT\nEND:VCALENDAR\n",
            "不是有效的 iCalendar 文件",
        ),
        (b"X" * 2_000_001, "日历文件太大"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261101T010000Z\r\n"
            b"DTEND:20261101T020000Z\r\nRRULE:FREQ=MINUTELY\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR\r\n",
            "最多 2000 个",
        ),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20261102\r\n"
            b"SUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "全天事件",
        ),
    ],
)
def test_malformed_huge_endless_or_all_day_files_are_refused_in_words(
    centre: Centre, data: bytes, words: str
) -> None:
    start, end = at(dt.date(2026, 11, 1), "00:00"), at(dt.date(2026, 12, 1), "00:00")
    with pytest.raises(ValidationError, match=words):
        preview_import(centre.svc, centre.clerk, data, centre.rooms["法律援助服务室"], start, end)


def test_overlapping_events_in_the_file_are_flagged(centre: Centre) -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        + b"".join(
            b"BEGIN:VEVENT\r\nUID:"
            + uid
            + b"\r\nDTSTART:20261124T010000Z\r\nDTEND:20261124T"
            + end
            + b"Z\r\nSUMMARY:\xe9\xbb\x84\xe5\xbb\xba\xe5\xb9\xb3\r\nEND:VEVENT\r\n"
            for uid, end in ((b"a", b"030000"), (b"b", b"020000"))
        )
        + b"END:VCALENDAR\r\n"
    )
    events = preview_import(centre.svc, centre.clerk, data, centre.rooms["法律援助服务室"], *WEEK)
    assert events[0].clashes == ()
    assert [c.message for c in events[1].clashes] == ["文件中“黄建平”09:00–11:00 与另一事件重叠"]


def test_an_import_whose_slot_was_taken_after_the_preview_saves_nothing(centre: Centre) -> None:
    start, end = at(dt.date(2026, 10, 1), "00:00"), at(dt.date(2026, 12, 1), "00:00")
    room = centre.rooms["法律援助服务室"]
    events = preview_import(centre.svc, centre.clerk, FIRM_ROTA, room, start, end)
    assert all(e.clashes == () for e in events)
    centre.book(  # another desk, after the preview, takes the last date's room
        "法律援助服务室", "10:30", "11:30", day=dt.date(2026, 11, 10), mediators=("潘丽华",)
    )
    with pytest.raises(ConflictError, match="潘丽华 值班"):
        save_import(centre.svc, centre.clerk, room, events)
    booked = centre.svc.sessions_between(centre.clerk, start, end, room_ids=[room])
    assert [s.title for s in booked] == ["潘丽华 值班"]
