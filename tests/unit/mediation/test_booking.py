"""One conflict check for room, mediators and parties together, buffers, opening hours on
China's working-day calendar, availability, capacity; clashes named in the refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from centre_app.errors import ConflictError, ValidationError
from centre_app.mediation.rules import RuleMode, RulePolicy
from centre_app.mediation.service import NeedsConfirmation, PartyDraft, SessionDraft
from db.models.mediation import Booking, CaseState, MediationSession, SessionStatus
from tests.unit.mediation.conftest import MONDAY, Centre, at


def session_count(centre: Centre) -> int:
    with centre.ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(MediationSession)) or 0


def test_a_room_booked_twice_is_refused_naming_the_first_booking(centre: Centre) -> None:
    case = centre.case("张三", "李四", "劳资纠纷")
    centre.book("老娘舅调解室", "14:00", "15:30", case_id=case, mediators=("林阿土",))
    with pytest.raises(ConflictError) as refused:
        centre.book("老娘舅调解室", "15:00", "16:00", mediators=("黄建平",))
    assert refused.value.message == (
        "调解室 老娘舅调解室 已有安排：与 14:00–15:30 老娘舅调解室 张三诉李四（劳资纠纷）冲突"
    )
    assert session_count(centre) == 1


def test_a_mediator_cannot_sit_in_two_rooms_at_once(centre: Centre) -> None:
    centre.book("劳动争议调解室", "09:00", "10:00", mediators=("黄建平",))
    with pytest.raises(
        ConflictError, match="调解员 黄建平 已有安排：与 09:00–10:00 劳动争议调解室"
    ):
        centre.book("法律援助服务室", "09:30", "10:30", mediators=("黄建平", "潘丽华"))


def test_the_same_party_in_two_cases_cannot_attend_two_sessions_at_once(centre: Centre) -> None:
    first = centre.case(
        parties=[PartyDraft("王五", "申请人", "13857712345"), PartyDraft("赵六", "被申请人")]
    )
    second = centre.case(
        category="邻里纠纷",
        parties=[PartyDraft("王五", "被申请人", "138 5771 2345"), PartyDraft("钱七", "申请人")],
    )
    centre.book("劳动争议调解室", "09:00", "10:00", case_id=first)
    with pytest.raises(ConflictError, match="当事人 王五 已有安排：与 09:00–10:00"):
        centre.book("老娘舅调解室", "09:30", "10:30", case_id=second, mediators=("林阿土",))


def test_namesakes_in_different_cases_without_contact_data_are_different_people(
    centre: Centre,
) -> None:
    first, second = centre.case("王五", "赵六"), centre.case("王五", "孙八")
    centre.book("劳动争议调解室", "09:00", "10:00", case_id=first)
    centre.book("老娘舅调解室", "09:00", "10:00", case_id=second, mediators=("林阿土",))


def test_the_rooms_buffer_keeps_sessions_apart_and_says_how_long(centre: Centre) -> None:
    centre.book("劳动争议调解室", "09:00", "10:00")  # demo rooms keep 10 minutes
    with pytest.raises(ConflictError, match="两场之间要留 10 分钟：与 09:00–10:00"):
        centre.book("劳动争议调解室", "10:05", "11:00", mediators=("潘丽华",))
    centre.book("劳动争议调解室", "10:10", "11:00", mediators=("潘丽华",))


def test_a_session_may_start_where_another_mediators_session_ends(centre: Centre) -> None:
    centre.book("劳动争议调解室", "09:00", "10:00")
    centre.book("法律援助服务室", "10:00", "11:00")  # same mediator, back to back


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("07:30", "09:00", "开放时间是 08:30–17:30"),
        ("17:00", "18:00", "超出了开放时间"),
    ],
)
def test_outside_opening_hours_is_refused(centre: Centre, start: str, end: str, words: str) -> None:
    with pytest.raises(ConflictError, match=words):
        centre.book("劳动争议调解室", start, end)


def test_national_day_is_a_holiday_and_its_make_up_saturday_a_working_day(centre: Centre) -> None:
    with pytest.raises(ConflictError, match="2026-10-01 是法定节假日"):
        centre.book("劳动争议调解室", "09:00", "10:00", day=dt.date(2026, 10, 1))
    # 2026-09-20 (Sunday) is a 调休 working day; an ordinary Sunday is closed.
    assert (
        centre.svc.check(centre.draft("劳动争议调解室", "09:00", "10:00", day=dt.date(2026, 9, 20)))
        == []
    )
    clashes = centre.svc.check(
        centre.draft("劳动争议调解室", "09:00", "10:00", day=dt.date(2026, 11, 22))
    )
    assert [c.message for c in clashes] == ["劳动争议调解室 周日（2026-11-22）不开放"]


def test_the_centre_head_corrects_a_year_the_library_does_not_know(centre: Centre) -> None:
    new_year = dt.date(2027, 1, 1)  # a Friday; chinese-calendar knows years up to 2026
    assert centre.svc.check(centre.draft("劳动争议调解室", "09:00", "10:00", day=new_year)) == []
    centre.svc.set_working_day(centre.head, new_year, False, "元旦")
    clashes = centre.svc.check(centre.draft("劳动争议调解室", "09:00", "10:00", day=new_year))
    assert [c.message for c in clashes] == ["2027-01-01 是法定节假日，劳动争议调解室 不开放"]


def test_a_closed_room_is_refused_with_the_reason(centre: Centre) -> None:
    centre.svc.add_closure(
        centre.head,
        MONDAY,
        MONDAY + dt.timedelta(days=2),
        "墙面翻新",
        centre.rooms["劳动争议调解室"],
    )
    with pytest.raises(ConflictError, match="暂停使用（墙面翻新）"):
        centre.book("劳动争议调解室", "09:00", "10:00")
    centre.book("法律援助服务室", "09:00", "10:00")


def test_a_mediators_availability_refuses_or_warns_as_the_centre_decides(centre: Centre) -> None:
    from db.models.mediation_ref import Mediator

    with centre.ctx.session_factory.begin() as s:
        mediator = s.get(Mediator, centre.mediators["黄建平"])
        assert mediator is not None
        mediator.availability = {"1": [["09:00", "12:00"]]}
    with pytest.raises(
        ConflictError, match="调解员 黄建平 周一可约时间为 09:00–12:00，14:00–15:00 不在其中"
    ):
        centre.book("劳动争议调解室", "14:00", "15:00")
    centre.svc.policy = RulePolicy(availability=RuleMode.WARN)
    with pytest.raises(NeedsConfirmation, match="14:00–15:00 不在其中"):
        centre.book("劳动争议调解室", "14:00", "15:00")
    result = centre.svc.book(
        centre.clerk, centre.draft("劳动争议调解室", "14:00", "15:00"), accept_warnings=True
    )
    assert [w.blocking for w in result.warnings] == [False]


def test_a_room_too_small_for_the_parties_and_mediators_is_refused(centre: Centre) -> None:
    many = [PartyDraft(f"工人{i}", "申请人") for i in range(9)] + [PartyDraft("某厂", "被申请人")]
    case = centre.case(parties=many)
    with pytest.raises(ConflictError, match="只能容纳 10 人，本场有 11 人"):
        centre.book("劳动争议调解室", "09:00", "10:00", case_id=case)


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (at(MONDAY, "10:00"), at(MONDAY, "09:00"), "结束时间 09:00 早于开始时间 10:00"),
        (at(MONDAY, "10:00"), at(MONDAY, "10:00"), "调解时长为零"),
        (at(MONDAY, "16:00"), at(MONDAY + dt.timedelta(days=1), "10:00"), "不能跨天"),
        (at(MONDAY, "23:00"), at(MONDAY + dt.timedelta(days=1), "01:00"), "不能跨天"),
        (dt.datetime(2026, 11, 23, 9), dt.datetime(2026, 11, 23, 10), "缺少时区"),
    ],
)
def test_impossible_times_are_refused_and_nothing_is_stored(
    centre: Centre, start: dt.datetime, end: dt.datetime, words: str
) -> None:
    draft = SessionDraft(centre.rooms["劳动争议调解室"], start, end, [centre.mediators["黄建平"]])
    with pytest.raises(ValidationError, match=words):
        centre.svc.book(centre.clerk, draft)
    assert session_count(centre) == 0


def test_a_time_typed_in_another_time_zone_is_the_same_instant(centre: Centre) -> None:
    utc = dt.UTC
    centre.svc.book(
        centre.clerk,
        SessionDraft(
            centre.rooms["劳动争议调解室"],
            dt.datetime(2026, 11, 23, 1, 0, tzinfo=utc),
            dt.datetime(2026, 11, 23, 2, 0, tzinfo=utc),
            [centre.mediators["黄建平"]],
        ),
    )
    with pytest.raises(ConflictError, match="与 09:00–10:00"):
        centre.book("劳动争议调解室", "09:30", "10:30", mediators=("潘丽华",))


def test_moving_a_session_to_another_room_checks_everything_but_itself(centre: Centre) -> None:
    first = centre.book("劳动争议调解室", "09:00", "10:00")
    centre.book("法律援助服务室", "11:00", "12:00", mediators=("潘丽华",))
    centre.svc.move(
        centre.clerk, first, starts_at=at(MONDAY, "09:30"), ends_at=at(MONDAY, "10:30")
    )  # overlaps only itself
    with pytest.raises(ConflictError, match="调解室 法律援助服务室 已有安排：与 11:00–12:00"):
        centre.svc.move(
            centre.clerk,
            first,
            room_id=centre.rooms["法律援助服务室"],
            starts_at=at(MONDAY, "10:30"),
            ends_at=at(MONDAY, "11:30"),
        )
    centre.svc.move(
        centre.clerk,
        first,
        room_id=centre.rooms["法律援助服务室"],
        starts_at=at(MONDAY, "09:00"),
        ends_at=at(MONDAY, "10:50"),
    )
    [moved] = [
        v
        for v in centre.svc.sessions_between(centre.clerk, at(MONDAY, "00:00"), at(MONDAY, "23:59"))
        if v.id == first
    ]
    assert (moved.room_name, moved.ends_at) == ("法律援助服务室", at(MONDAY, "10:50"))


def test_a_cancelled_session_frees_its_slot_and_keeps_its_reason(centre: Centre) -> None:
    first = centre.book("劳动争议调解室", "09:00", "10:00")
    with pytest.raises(ValidationError, match="取消原因"):
        centre.svc.set_status(centre.clerk, first, SessionStatus.CANCELLED)
    centre.svc.set_status(centre.clerk, first, SessionStatus.CANCELLED, reason="当事人改期")
    centre.book("劳动争议调解室", "09:00", "10:00")
    with centre.ctx.session_factory() as s:
        row = s.get(MediationSession, first)
        assert row is not None and row.cancel_reason == "当事人改期"
        assert (
            s.scalar(select(func.count()).select_from(Booking).where(Booking.session_id == first))
            == 0
        )


def test_a_session_ahead_cannot_be_marked_held(centre: Centre) -> None:
    first = centre.book("劳动争议调解室", "09:00", "10:00")
    with pytest.raises(ValidationError, match="还不能登记为“已举行”"):
        centre.svc.set_status(centre.clerk, first, SessionStatus.HELD)


def test_a_mediator_with_sessions_ahead_cannot_be_deactivated(centre: Centre) -> None:
    centre.book("劳动争议调解室", "09:00", "10:00")
    with pytest.raises(ConflictError, match="调解员 黄建平 还有 1 场未开始的调解"):
        centre.svc.set_mediator_active(centre.head, centre.mediators["黄建平"], False)
    centre.svc.set_mediator_active(centre.head, centre.mediators["潘丽华"], False)
    with pytest.raises(ValidationError, match="调解员 潘丽华 已停用"):
        centre.book("法律援助服务室", "09:00", "10:00", mediators=("潘丽华",))


def test_booking_a_case_puts_it_in_mediation(centre: Centre) -> None:
    case = centre.case()
    centre.book("劳动争议调解室", "09:00", "10:00", case_id=case)
    assert centre.svc.case(centre.clerk, case).state is CaseState.IN_MEDIATION
