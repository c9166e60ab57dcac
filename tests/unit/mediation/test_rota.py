"""The duty rota: RRULE series checked occurrence by occurrence, clashes reported and skipped
only when agreed, safe edits of one occurrence, this and following, or the whole series."""

from __future__ import annotations

import datetime as dt

import pytest

from centre_app.errors import ConflictError, ValidationError
from centre_app.mediation.rota import EditScope, SeriesDraft, expand
from centre_app.mediation.service import SessionView
from tests.unit.mediation.conftest import MONDAY, Centre, at

TUESDAY_9 = dt.datetime(2026, 11, 24, 9, 0)  # local


def series(
    centre: Centre, rule: str = "FREQ=WEEKLY;BYDAY=TU;COUNT=6", **changes: object
) -> SeriesDraft:
    values: dict[str, object] = dict(
        room_id=centre.rooms["法律援助服务室"],
        mediator_ids=[centre.mediators["黄建平"]],
        rule=rule,
        first_start=TUESDAY_9,
        duration_minutes=180,
        title="律师坐班 黄建平",
    )
    values.update(changes)
    return SeriesDraft(**values)  # type: ignore[arg-type]


def planned(centre: Centre) -> list[SessionView]:
    return centre.svc.sessions_between(
        centre.clerk, at(MONDAY, "00:00"), at(MONDAY + dt.timedelta(days=120), "00:00")
    )


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "没有结束日期或次数"),
        ("FREQ=DAILY;UNTIL=20300101", "超过两年"),
        ("FREQ=WEEKLY;BYDAY=TU;UNTIL=20261120", "没有产生任何日期"),
        ("FREQ=FORTNIGHTLY;COUNT=3", "无法识别"),
        ("FREQ=WEEKLY;COUNT=3\nFREQ=DAILY;COUNT=3", "一行 RRULE"),
    ],
)
def test_rules_that_never_end_run_too_long_or_produce_nothing_are_refused(
    rule: str, words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        expand(rule, TUESDAY_9)


def test_exceptions_and_added_dates_shape_the_occurrences() -> None:
    starts = expand(
        "FREQ=WEEKLY;BYDAY=TU;COUNT=3",
        TUESDAY_9,
        added=[dt.datetime(2026, 11, 26, 14, 0)],
        excluded=[dt.datetime(2026, 12, 1, 9, 0)],
    )
    assert [s.isoformat() for s in starts] == [
        "2026-11-24T09:00:00",
        "2026-11-26T14:00:00",
        "2026-12-08T09:00:00",
    ]


def test_a_series_with_clashes_reports_each_and_books_the_rest_only_when_agreed(
    centre: Centre,
) -> None:
    centre.book("法律援助服务室", "10:00", "11:00", day=dt.date(2026, 12, 1), mediators=("潘丽华",))
    centre.book("劳动争议调解室", "11:00", "11:30", day=dt.date(2026, 12, 15))
    rota = centre.ctx.mediation_rota
    preview = rota.preview(series(centre))
    clashing = {
        o.local_start.date().isoformat(): [c.message for c in o.clashes]
        for o in preview
        if o.clashes
    }
    assert clashing == {
        "2026-12-01": [
            "调解室 法律援助服务室 已有安排：与 10:00–11:00 法律援助服务室 潘丽华 值班冲突"
        ],
        "2026-12-15": ["调解员 黄建平 已有安排：与 11:00–11:30 劳动争议调解室 黄建平 值班冲突"],
    }
    with pytest.raises(ConflictError, match="重复安排中有 2 次冲突，第一次在 2026-12-01"):
        rota.book_series(centre.clerk, series(centre))
    assert len(planned(centre)) == 2
    result = rota.book_series(centre.clerk, series(centre), skip_clashes=True)
    assert (result.booked, len(result.skipped)) == (4, 2)
    assert len(planned(centre)) == 6


def test_the_series_stops_at_a_holiday_like_any_booking(centre: Centre) -> None:
    result = centre.ctx.mediation_rota.book_series(
        centre.clerk,
        series(centre, "FREQ=WEEKLY;BYDAY=TH;COUNT=3", first_start=dt.datetime(2026, 9, 17, 9, 0)),
        skip_clashes=True,
    )
    assert [o.local_start.date().isoformat() for o in result.skipped] == ["2026-10-01"]


def test_editing_the_whole_series_keeps_the_occurrence_edited_on_its_own(centre: Centre) -> None:
    rota = centre.ctx.mediation_rota
    rota.book_series(centre.clerk, series(centre))
    sessions = planned(centre)
    exception = sessions[2]  # 12-08: moved on its own to the afternoon
    centre.svc.move(
        centre.clerk,
        exception.id,
        starts_at=at(dt.date(2026, 12, 8), "14:00"),
        ends_at=at(dt.date(2026, 12, 8), "15:00"),
    )
    rota.cancel_occurrence(centre.clerk, sessions[3].id, "律师出庭")
    moved = rota.edit_series(
        centre.clerk,
        sessions[0].id,
        EditScope.ALL,
        start_time=dt.time(13, 30),
        duration_minutes=120,
    )
    assert moved == 4
    after = {
        v.starts_at.astimezone(at(MONDAY, "00:00").tzinfo).strftime("%m-%d %H:%M")
        for v in planned(centre)
    }
    assert after == {"11-24 13:30", "12-01 13:30", "12-08 14:00", "12-22 13:30", "12-29 13:30"}


def test_editing_this_and_following_splits_the_series_and_leaves_earlier_ones(
    centre: Centre,
) -> None:
    rota = centre.ctx.mediation_rota
    rota.book_series(centre.clerk, series(centre))
    sessions = planned(centre)
    rota.edit_series(
        centre.clerk,
        sessions[3].id,
        EditScope.FOLLOWING,
        start_time=dt.time(14, 0),
        duration_minutes=60,
        room_id=centre.rooms["劳动争议调解室"],
    )
    after = [
        (v.starts_at.astimezone(at(MONDAY, "00:00").tzinfo).strftime("%m-%d %H:%M"), v.room_name)
        for v in planned(centre)
    ]
    assert after == [
        ("11-24 09:00", "法律援助服务室"),
        ("12-01 09:00", "法律援助服务室"),
        ("12-08 09:00", "法律援助服务室"),
        ("12-15 14:00", "劳动争议调解室"),
        ("12-22 14:00", "劳动争议调解室"),
        ("12-29 14:00", "劳动争议调解室"),
    ]
    series_ids = [v.series_id for v in planned(centre)]
    assert series_ids[0] == series_ids[2] != series_ids[3] == series_ids[5]


def test_a_series_edit_that_clashes_changes_nothing(centre: Centre) -> None:
    rota = centre.ctx.mediation_rota
    rota.book_series(centre.clerk, series(centre))
    centre.book(
        "法律援助服务室", "14:00", "15:00", day=dt.date(2026, 12, 22), mediators=("潘丽华",)
    )
    before = [(v.id, v.starts_at) for v in planned(centre)]
    with pytest.raises(ConflictError, match="修改后有 1 次冲突，第一次在 2026-12-22"):
        rota.edit_series(
            centre.clerk,
            planned(centre)[0].id,
            EditScope.ALL,
            start_time=dt.time(14, 0),
            duration_minutes=60,
        )
    assert [(v.id, v.starts_at) for v in planned(centre)] == before
