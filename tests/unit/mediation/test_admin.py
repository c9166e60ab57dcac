"""The centre head's reference data: rooms with buffers before and after, opening hours and
closures; mediators with availability; taking a room or mediator out of use with sessions
ahead refused (the sessions listed) or, for a mediator, handed over in one step."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from centre_app.errors import ConflictError, PermissionDenied, ValidationError
from centre_app.mediation.admin import MediationAdmin, MediatorDraft, RoomDraft, parse_spans
from db.models.mediation_ref import MediatorKind
from db.models.security import AuditEntry
from tests.unit.mediation.conftest import MONDAY, Centre, at


@pytest.fixture
def admin(centre: Centre) -> MediationAdmin:
    return MediationAdmin(centre.svc)


def room(**changes: object) -> RoomDraft:
    values: dict[str, object] = dict(name="婚姻家庭调解室", kind="品牌调解室", capacity="6")
    values.update(changes)
    return RoomDraft(**values)  # type: ignore[arg-type]


def audits(centre: Centre, action: str) -> list[str]:
    with centre.ctx.session_factory() as s:
        return list(s.scalars(select(AuditEntry.summary).where(AuditEntry.action == action)))


def test_a_new_room_is_saved_with_one_audit_entry_and_booked_by_its_hours(
    centre: Centre, admin: MediationAdmin
) -> None:
    room_id = admin.save_room(
        centre.head,
        room(capacity="８", opening_hours={"1": ["０９:００", "12:00"]}, equipment="录音设备"),
    )
    saved = next(r for r in admin.all_rooms() if r.id == room_id)
    assert (saved.capacity, saved.opening_hours, saved.equipment) == (
        8,
        {"1": ["09:00", "12:00"]},
        "录音设备",
    )
    assert audits(centre, "mediation.room_add") == [
        "婚姻家庭调解室（品牌调解室）容纳 8 人，前 0 分钟，后 10 分钟"
    ]
    centre.rooms["婚姻家庭调解室"] = room_id
    with pytest.raises(ConflictError, match="开放时间是 09:00–12:00，13:00–14:00 超出了开放时间"):
        centre.book("婚姻家庭调解室", "13:00", "14:00")
    centre.book("婚姻家庭调解室", "09:00", "10:00")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": "  "}, "请填写调解室名称"),
        ({"name": "室\x00"}, "控制字符"),
        ({"name": "室\ud800"}, "控制字符"),
        ({"capacity": "0"}, "容纳人数应为 1 到 200 的整数，“0”不行"),
        ({"capacity": "99999999999999"}, "容纳人数应为 1 到 200"),
        ({"capacity": "六"}, "容纳人数应为"),
        ({"buffer_before_minutes": "-5"}, "开始前预留应为 0 到 120"),
        ({"buffer_after_minutes": "121"}, "结束后预留应为 0 到 120"),
        ({"opening_hours": {"1": ["17:00", "09:00"]}}, "关门时间 09:00 不晚于开门时间 17:00"),
        ({"opening_hours": {"8": ["09:00", "12:00"]}}, "星期应为 1 到 7"),
        ({"opening_hours": {"1": ["9点", "12:00"]}}, "应写成 时:分"),
        ({"name": "老娘舅调解室"}, "已有名为“老娘舅调解室”的调解室"),
    ],
)
def test_bad_room_input_is_refused_in_words_and_nothing_is_saved(
    centre: Centre, admin: MediationAdmin, changes: dict[str, object], words: str
) -> None:
    before = len(admin.all_rooms())
    with pytest.raises((ValidationError, ConflictError), match=words):
        admin.save_room(centre.head, room(**changes))
    assert len(admin.all_rooms()) == before


def test_a_clerk_may_not_edit_rooms(centre: Centre, admin: MediationAdmin) -> None:
    with pytest.raises(PermissionDenied):
        admin.save_room(centre.clerk, room())


def test_a_buffer_before_keeps_the_room_free_ahead_of_a_session(
    centre: Centre, admin: MediationAdmin
) -> None:
    name = "劳动争议调解室"
    current = next(r for r in admin.all_rooms() if r.name == name)
    admin.save_room(
        centre.head,
        room(name=name, kind=current.kind, capacity=10, buffer_before_minutes=30),
        current.id,
    )
    centre.book(name, "10:00", "11:00")
    # 10 minutes after the earlier session, 30 before the later one
    with pytest.raises(ConflictError, match="两场之间要留 40 分钟：与 10:00–11:00"):
        centre.book(name, "11:10", "12:00", mediators=("潘丽华",))
    with pytest.raises(ConflictError, match="两场之间要留 40 分钟：与 10:00–11:00"):
        centre.book(name, "08:30", "09:40", mediators=("潘丽华",))
    centre.book(name, "11:40", "12:00", mediators=("潘丽华",))
    centre.book(name, "08:30", "09:20", mediators=("潘丽华",))


def test_a_closure_is_refused_while_sessions_are_booked_in_its_days_naming_them(
    centre: Centre, admin: MediationAdmin
) -> None:
    centre.book("劳动争议调解室", "09:00", "10:00")
    room_id = centre.rooms["劳动争议调解室"]
    with pytest.raises(
        ConflictError,
        match="这几天还有 1 场调解，请先改期或取消：11-23 09:00–10:00 劳动争议调解室 黄建平 值班",
    ):
        admin.add_closure(centre.head, MONDAY, MONDAY, "装修", room_id)
    tuesday = MONDAY + dt.timedelta(days=1)
    closure = admin.add_closure(centre.head, tuesday, tuesday, "装修", room_id)
    assert [c.reason for c in admin.closures(room_id)] == ["装修"]
    with pytest.raises(ConflictError, match="暂停使用"):
        centre.book("劳动争议调解室", "09:00", "10:00", day=tuesday)
    admin.remove_closure(centre.head, closure)
    assert admin.closures(room_id) == []
    centre.book("劳动争议调解室", "09:00", "10:00", day=tuesday)


def test_availability_is_typed_as_spans_and_checked(centre: Centre, admin: MediationAdmin) -> None:
    assert parse_spans("14:00-17:30，０９：００～12:00") == [
        ["09:00", "12:00"],
        ["14:00", "17:30"],
    ]
    with pytest.raises(ValidationError, match="时段 09:00-12:00 和 11:00-13:00 重叠"):
        parse_spans("09:00-12:00 11:00-13:00")
    with pytest.raises(ValidationError, match="时段 12:00-09:00 的结束不晚于开始"):
        parse_spans("12:00-09:00")
    with pytest.raises(ValidationError, match="应写成 开始-结束"):
        parse_spans("09:00")
    mediator = admin.save_mediator(
        centre.head,
        MediatorDraft(
            "陈律师",
            MediatorKind.LAWYER,
            "劳资纠纷、合同纠纷 劳资纠纷",
            "浙江某律师事务所",
            "138 0000 0000",
            availability={"1": parse_spans("09:00-12:00")},
        ),
    )
    saved = next(m for m in admin.all_mediators() if m.id == mediator)
    assert (saved.specialties, saved.phone) == ("劳资纠纷,合同纠纷", "13800000000")
    centre.mediators["陈律师"] = mediator
    with pytest.raises(ConflictError, match="调解员 陈律师 周一可约时间为 09:00–12:00"):
        centre.book("劳动争议调解室", "14:00", "15:00", mediators=("陈律师",))
    centre.book("劳动争议调解室", "09:00", "10:00", mediators=("陈律师",))


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": ""}, "请填写调解员姓名"),
        ({"phone": "12345"}, "电话“12345”应为 11 位手机号"),
        ({"specialties": "劳资\x07纠纷"}, "控制字符"),
        ({"availability": {"0": [["09:00", "10:00"]]}}, "星期应为 1 到 7"),
    ],
)
def test_bad_mediator_input_is_refused_in_words(
    centre: Centre, admin: MediationAdmin, changes: dict[str, object], words: str
) -> None:
    values: dict[str, object] = dict(name="王", kind=MediatorKind.EXPERT)
    values.update(changes)
    with pytest.raises(ValidationError, match=words):
        admin.save_mediator(centre.head, MediatorDraft(**values))  # type: ignore[arg-type]


def test_deactivating_a_mediator_with_sessions_ahead_lists_them_then_hands_them_over(
    centre: Centre, admin: MediationAdmin
) -> None:
    case = centre.case()
    centre.book("劳动争议调解室", "09:00", "10:00", case_id=case)
    centre.book("法律援助服务室", "14:00", "15:00")
    centre.book("法律援助服务室", "09:30", "10:30", mediators=("潘丽华",))
    leaving = centre.mediators["黄建平"]
    with pytest.raises(
        ConflictError,
        match="调解员 黄建平 还有 2 场未开始的调解，请先改派或取消："
        "11-23 09:00–10:00 劳动争议调解室 张三诉李四（劳资纠纷）；"
        "11-23 14:00–15:00 法律援助服务室 黄建平 值班",
    ):
        admin.set_mediator_active(centre.head, leaving, False)
    # 潘丽华 is busy at 09:30: nothing is handed over, the mediator stays active
    with pytest.raises(ConflictError, match="改由 潘丽华 调解不行：调解员 潘丽华 已有安排"):
        admin.set_mediator_active(
            centre.head, leaving, False, reassign_to=centre.mediators["潘丽华"]
        )
    assert next(m for m in admin.all_mediators() if m.id == leaving).active
    other = "吴晓东"
    moved = admin.set_mediator_active(
        centre.head, leaving, False, reassign_to=centre.mediators[other]
    )
    assert moved == 2
    assert not next(m for m in admin.all_mediators() if m.id == leaving).active
    names = {
        s.title: s.mediator_names
        for s in centre.svc.sessions_between(centre.clerk, at(MONDAY, "00:00"), at(MONDAY, "23:59"))
    }
    assert names["张三诉李四（劳资纠纷）"] == (other,)
    with pytest.raises(ConflictError, match=f"调解员 {other} 已有安排"):
        centre.book("心理咨询服务室", "09:00", "10:00", mediators=(other,))


def test_a_room_with_sessions_ahead_is_not_taken_out_of_use(
    centre: Centre, admin: MediationAdmin
) -> None:
    centre.book("劳动争议调解室", "09:00", "10:00")
    room_id = centre.rooms["劳动争议调解室"]
    with pytest.raises(ConflictError, match="调解室 劳动争议调解室 还有 1 场未开始的调解"):
        admin.set_room_active(centre.head, room_id, False)
    admin.set_room_active(centre.head, centre.rooms["心理咨询服务室"], False)
    assert "心理咨询服务室" not in {r.name for r in centre.svc.rooms()}


def test_new_hours_never_move_a_booking_but_the_sessions_left_outside_are_named(
    centre: Centre, admin: MediationAdmin
) -> None:
    centre.book("劳动争议调解室", "15:00", "16:00")
    room_id = centre.rooms["劳动争议调解室"]
    assert admin.ahead_outside_hours(room_id=room_id) == ""
    admin.save_room(
        centre.head,
        room(name="劳动争议调解室", kind="劳动争议", opening_hours={"1": ["08:30", "12:00"]}),
        room_id,
    )
    assert admin.ahead_outside_hours(room_id=room_id) == (
        "11-23 15:00–16:00 劳动争议调解室 黄建平 值班"
    )
    mediator = centre.mediators["黄建平"]
    current = next(m for m in admin.all_mediators() if m.id == mediator)
    admin.save_mediator(
        centre.head,
        MediatorDraft(
            current.name,
            current.kind,
            current.specialties,
            availability={"1": [["09:00", "12:00"]]},
        ),
        mediator,
    )
    assert admin.ahead_outside_hours(mediator_id=mediator) == (
        "11-23 15:00–16:00 劳动争议调解室 黄建平 值班"
    )
    assert (
        len(centre.svc.sessions_between(centre.clerk, at(MONDAY, "00:00"), at(MONDAY, "23:59")))
        == 1
    )
