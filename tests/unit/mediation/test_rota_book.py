"""The rota screen's service calls: a weekly rule built from weekdays and an end, dates
added to and removed from a series (each checked, each one transaction and audit entry),
removed dates kept out of later series edits."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from centre_app.errors import ConflictError, ValidationError
from centre_app.mediation.rota import (
    EditScope,
    RotaBook,
    SeriesDraft,
    expand,
    rule_parts,
    weekly_rule,
)
from db.models.mediation import SessionStatus
from db.models.security import AuditEntry
from tests.unit.mediation.conftest import MONDAY, Centre, at

TUESDAY_9 = dt.datetime(2026, 11, 24, 9, 0)


def book_weekly(centre: Centre, rule: str) -> tuple[RotaBook, object]:
    rota = centre.ctx.mediation_rota
    result = rota.book_series(
        centre.clerk,
        SeriesDraft(
            centre.rooms["法律援助服务室"],
            [centre.mediators["黄建平"]],
            rule,
            TUESDAY_9,
            180,
            "律师坐班 黄建平",
        ),
    )
    return RotaBook(centre.svc), result.series_id


def test_a_weekly_rule_is_built_from_weekdays_and_an_end_and_read_back() -> None:
    rule = weekly_rule([4, 2, 2], until=dt.date(2026, 12, 10))
    assert rule == "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261210T235959"
    assert [d.date().isoformat() for d in expand(rule, TUESDAY_9)] == [
        "2026-11-24",
        "2026-11-26",
        "2026-12-01",
        "2026-12-03",
        "2026-12-08",
        "2026-12-10",
    ]
    parts = rule_parts(rule)
    assert (parts.weekdays, parts.until, parts.count) == ((2, 4), dt.date(2026, 12, 10), None)
    assert weekly_rule([1], count="１２") == "FREQ=WEEKLY;BYDAY=MO;COUNT=12"


@pytest.mark.parametrize(
    ("weekdays", "until", "count", "words"),
    [
        ([], None, 3, "请至少选择一个星期几"),
        ([2], None, None, "请填写结束日期或次数"),
        ([2], dt.date(2027, 1, 1), 3, "请填写结束日期或次数"),
        ([2], None, "0", "次数应为 1 到 800 的整数，“0”不行"),
        ([2], None, "10\x00", "次数应为 1 到 800"),
        ([2], None, "99999999999999999999", "次数应为 1 到 800"),
        ([9], None, 3, "星期应为 1 到 7"),
    ],
)
def test_a_weekly_rule_without_days_or_a_sane_end_is_refused(
    weekdays: list[int], until: dt.date | None, count: object, words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        weekly_rule(weekdays, until=until, count=count)  # type: ignore[arg-type]


def test_a_date_is_removed_and_added_back_each_in_one_audited_step(centre: Centre) -> None:
    book, series_id = book_weekly(centre, "FREQ=WEEKLY;BYDAY=TU;COUNT=4")
    [view] = book.series(centre.clerk)
    assert (view.planned, view.room_name, view.mediator_names) == (4, "法律援助服务室", ("黄建平",))
    second = book.occurrences(centre.clerk, series_id)[1]  # type: ignore[arg-type]
    book.remove_date(centre.clerk, second.id, "律师出庭")
    [view] = book.series(centre.clerk)
    assert (view.planned, view.exdates) == (3, ("2026-12-01T09:00:00",))
    # the freed slot can be booked by someone else
    centre.book("法律援助服务室", "09:00", "10:00", day=dt.date(2026, 12, 1), mediators=("潘丽华",))
    with pytest.raises(ConflictError, match="调解室 法律援助服务室 已有安排：与 09:00–10:00"):
        book.add_date(centre.clerk, series_id, dt.datetime(2026, 12, 1, 9, 0))  # type: ignore[arg-type]
    book.add_date(centre.clerk, series_id, dt.datetime(2026, 12, 3, 14, 0))  # type: ignore[arg-type]
    with pytest.raises(ConflictError, match="2026-12-03 14:00 已在这个轮值中"):
        book.add_date(centre.clerk, series_id, dt.datetime(2026, 12, 3, 14, 0))  # type: ignore[arg-type]
    [view] = book.series(centre.clerk)
    assert (view.planned, view.rdates) == (4, ("2026-12-03T14:00:00",))
    with centre.ctx.session_factory() as s:
        actions = list(
            s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("mediation.series_%")))
        )
    assert sorted(actions) == ["mediation.series_add_date", "mediation.series_remove_date"]


def test_a_removed_date_stays_out_when_the_whole_series_is_edited(centre: Centre) -> None:
    book, series_id = book_weekly(centre, "FREQ=WEEKLY;BYDAY=TU;COUNT=4")
    occurrences = book.occurrences(centre.clerk, series_id)  # type: ignore[arg-type]
    book.remove_date(centre.clerk, occurrences[1].id, "律师出庭")
    centre.ctx.mediation_rota.edit_series(
        centre.clerk,
        occurrences[0].id,
        EditScope.ALL,
        start_time=dt.time(14, 0),
        duration_minutes=60,
    )
    after = [
        (o.starts_at.astimezone(at(MONDAY, "00:00").tzinfo).strftime("%m-%d %H:%M"), o.status)
        for o in book.occurrences(centre.clerk, series_id)  # type: ignore[arg-type]
    ]
    assert after == [
        ("11-24 14:00", SessionStatus.PLANNED),
        ("12-01 09:00", SessionStatus.CANCELLED),
        ("12-08 14:00", SessionStatus.PLANNED),
        ("12-15 14:00", SessionStatus.PLANNED),
    ]


def test_removing_a_date_needs_a_reason_and_a_planned_session(centre: Centre) -> None:
    book, series_id = book_weekly(centre, "FREQ=WEEKLY;BYDAY=TU;COUNT=2")
    first = book.occurrences(centre.clerk, series_id)[0]  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="请填写取消原因"):
        book.remove_date(centre.clerk, first.id, "  ")
    book.remove_date(centre.clerk, first.id, "出庭")
    with pytest.raises(ValidationError, match="已是“已取消”"):
        book.remove_date(centre.clerk, first.id, "出庭")
    single = centre.book("劳动争议调解室", "09:00", "10:00")
    with pytest.raises(ValidationError, match="不属于重复安排"):
        book.remove_date(centre.clerk, single, "出庭")


def test_cancelling_this_and_the_following_keeps_earlier_dates_and_moved_exceptions(
    centre: Centre,
) -> None:
    book, series_id = book_weekly(centre, "FREQ=WEEKLY;BYDAY=TU;COUNT=5")
    rota = centre.ctx.mediation_rota
    occurrences = book.occurrences(centre.clerk, series_id)  # type: ignore[arg-type]
    # the fourth was moved on its own earlier: an exception, kept by a series cancel
    centre.svc.move(
        centre.clerk,
        occurrences[3].id,
        starts_at=at(dt.date(2026, 12, 15), "14:00"),
        ends_at=at(dt.date(2026, 12, 15), "15:00"),
    )
    with pytest.raises(ValidationError, match="控制字符"):
        rota.cancel_series(centre.clerk, occurrences[1].id, EditScope.FOLLOWING, "\x00 ")
    with pytest.raises(ValidationError, match="请填写取消原因"):
        rota.cancel_series(centre.clerk, occurrences[1].id, EditScope.ALL, "  ")
    assert rota.cancel_series(centre.clerk, occurrences[1].id, EditScope.FOLLOWING, "律师调离") == 3
    statuses = [o.status for o in book.occurrences(centre.clerk, series_id)]  # type: ignore[arg-type]
    assert statuses == [
        SessionStatus.PLANNED,
        SessionStatus.CANCELLED,
        SessionStatus.CANCELLED,
        SessionStatus.PLANNED,  # the moved exception
        SessionStatus.CANCELLED,
    ]
    # the freed Tuesday can be booked by someone else
    centre.book("法律援助服务室", "09:00", "10:00", day=dt.date(2026, 12, 8), mediators=("潘丽华",))
    assert rota.cancel_series(centre.clerk, occurrences[0].id, EditScope.ALL, "停止坐班") == 1
    with centre.ctx.session_factory() as s:
        actions = list(
            s.scalars(
                select(AuditEntry.action).where(AuditEntry.action == "mediation.series_cancel")
            )
        )
    assert len(actions) == 2
