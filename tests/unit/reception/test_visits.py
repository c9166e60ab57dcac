"""Visitor registration: ID numbers checked, tickets per day, collective visits, masking."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import ConflictError, PermissionDenied, ValidationError
from centre_app.reception.id_numbers import birth_place, mask_id_number, validate_id_number
from centre_app.reception.visits import VisitDraft, name_initials
from db.models.reception import VisitPurpose, VisitRoute

TODAY = dt.date(2026, 11, 20)


def with_check_digit(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


def valid_number(birth: str = "19800315", sequence: str = "123") -> str:
    return with_check_digit(f"330327{birth}{sequence}")


def draft(**changes: object) -> VisitDraft:
    values: dict[str, object] = dict(
        visitor_name="郑美玲",
        id_number=valid_number(),
        phone="13857712345",
        purpose=VisitPurpose.DISPUTE,
        summary="与邻居因排水沟堵塞发生纠纷",
        route=VisitRoute.MEDIATION_ROOM,
        routed_to="老娘舅调解室",
        group_size=1,
    )
    values.update(changes)
    return VisitDraft(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "请填写"),
        ("33032719800315", "应为 18 位"),
        ("33032719800315A234", "第 15 位是“A”"),
        (valid_number()[:-1] + ("0" if valid_number()[-1] != "0" else "1"), "校验位"),
        (with_check_digit("33032719800230123"), "出生日期 1980 年 02 月 30 日不存在"),
        (with_check_digit("99032719800315123"), "地区代码 990327 不存在"),
    ],
)
def test_malformed_id_numbers_are_refused_with_the_reason(raw: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        validate_id_number(raw, today=TODAY)


def test_an_id_number_born_after_today_is_refused() -> None:
    with pytest.raises(ValidationError, match="晚于今天"):
        validate_id_number(with_check_digit("33032720270101123"), today=TODAY)


def test_lower_case_x_and_spaces_are_accepted_and_normalised() -> None:
    number = next(
        n for n in (valid_number(sequence=f"{i:03d}") for i in range(200)) if n.endswith("X")
    )
    spaced = f" {number[:6]} {number[6:-1]}{number[-1].lower()} "
    assert validate_id_number(spaced, today=TODAY) == number


@given(st.from_regex(r"[1-6][0-9]{16}[0-9X]", fullmatch=True))
def test_masking_keeps_only_the_first_and_last_four_characters(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:4] == number[:4] and masked[-4:] == number[-4:]
    assert set(masked[4:-4]) == {"*"}


def test_numbers_issued_by_a_county_younger_than_their_holder_are_accepted() -> None:
    # 苍南县 (330327) was created in 1981; a man born in 1950 there holds a 330327 number.
    number = with_check_digit("33032719500101123")
    assert validate_id_number(number, today=TODAY) == number
    assert "苍南县" in birth_place(number)


def test_pinyin_initials_help_clerks_find_visitors() -> None:
    assert name_initials("王晓燕") == "wxy"
    assert name_initials("欧阳 娜娜") == "oynn"


def test_clerk_registers_a_visitor_and_gets_the_days_next_ticket(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    first = ctx.visits.register(clerk, draft())
    second = ctx.visits.register(clerk, draft(visitor_name="李建华", id_number=""))
    assert (first.ticket_no, second.ticket_no) == ("D001", "D002")  # D: 矛盾纠纷受理
    clock.advance(dt.timedelta(days=1))
    assert ctx.visits.register(clerk, draft()).ticket_no == "D001"


def test_five_or_more_people_are_a_collective_visit(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    assert not ctx.visits.register(clerk, draft(group_size=4)).is_group_visit
    assert ctx.visits.register(clerk, draft(group_size=5)).is_group_visit


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"visitor_name": "  "}, "姓名"),
        ({"phone": "12345"}, "联系电话"),
        ({"visitor_name": "郑\u200b美玲"}, "格式字符"),
        ({"visitor_name": "郑\ud800美玲"}, "残缺字符"),
        ({"visitor_name": "郑\x00美玲"}, "控制字符"),
        ({"summary": "纠纷\u202e"}, "格式字符"),
        ({"group_size": 0}, "来访人数"),
        ({"routed_to": ""}, "分流去向"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_stored(
    ctx: AppContext, changes: dict[str, object], words: str
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    before = len(ctx.visits.recent(clerk, limit=10_000))
    with pytest.raises(ValidationError, match=words):
        ctx.visits.register(clerk, draft(**changes))
    assert len(ctx.visits.recent(clerk, limit=10_000)) == before


def test_lists_mask_id_numbers_and_phones_even_for_people_who_may_unmask(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft())
    row = ctx.visits.recent(clerk, search="郑美玲")[0]
    assert row.id_number == mask_id_number(valid_number())
    assert row.phone == "138****2345"
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    assert ctx.visits.recent(head, search="zml")[0].id_number == mask_id_number(valid_number())


def test_unmasking_needs_the_permission_is_audited_and_expires(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit = ctx.visits.register(clerk, draft())
    with pytest.raises(PermissionDenied):
        ctx.visits.unmask(clerk, visit.id)
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    shown = ctx.visits.unmask(head, visit.id)
    assert shown.shown(clock.now()) == (valid_number(), "13857712345")
    entry = ctx.audit_log.recent(head, action_prefix="personal_data.view")[0]
    assert (entry.username, entry.target_id) == ("zhuren", str(visit.id))
    clock.advance(dt.timedelta(minutes=3))
    assert shown.shown(clock.now()) == (mask_id_number(valid_number()), "138****2345")


def test_previous_visits_never_hand_out_unmasked_numbers(ctx: AppContext) -> None:
    # It returned full numbers to anyone with the permission, with no audit entry.
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft())
    audited = len(ctx.audit_log.recent(head, action_prefix="personal_data.view"))
    rows = ctx.visits.previous_visits(head, valid_number())
    assert [r.id_number for r in rows] == [mask_id_number(valid_number())]
    assert len(ctx.audit_log.recent(head, action_prefix="personal_data.view")) == audited


def test_search_takes_percent_and_underscore_literally(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    assert ctx.visits.recent(clerk, search="%") == []
    assert ctx.visits.recent(clerk, search="_") == []
    ctx.visits.register(clerk, draft())
    assert len(ctx.visits.recent(clerk, search="美%")) == 0
    assert len(ctx.visits.recent(clerk, search="美玲")) >= 1


def test_a_visitor_is_found_by_the_last_four_digits_a_masked_list_shows(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    number = valid_number("19650101", "778")
    ctx.visits.register(clerk, draft(id_number=number, visitor_name="欧阳娜娜"))
    rows = ctx.visits.recent(clerk, search=number[-4:].lower())
    assert "欧阳娜娜" in [r.visitor_name for r in rows]


def test_the_same_id_number_under_another_name_is_flagged(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    number = valid_number("19700505", "321")
    ctx.visits.register(clerk, draft(id_number=number, visitor_name="张三"))
    check = ctx.visits.check_person(clerk, number, "李四")
    assert (check.earlier_visits, check.other_names) == (1, ("张三",))
    assert ctx.visits.check_person(clerk, number, "张三").other_names == ()


def test_a_collective_visit_reports_a_red_incident_at_once(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit = ctx.visits.register(clerk, draft(group_size=12, summary="工人集体反映被拖欠工资"))
    assert visit.incident_id is not None
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    incident = ctx.incidents.get(duty, visit.incident_id)
    assert (incident.colour.value, incident.channel.value) == ("red", "walk_in")
    assert ctx.visits.incident_state(clerk, visit.id) == (incident.case_no, "reported")


def test_a_visit_starts_an_incident_prefilled_and_only_once(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit = ctx.visits.register(clerk, draft())
    incident_id = ctx.visits.start_incident(clerk, visit.id, "矛盾纠纷", "邻里纠纷")
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    incident = ctx.incidents.get(duty, incident_id)
    assert incident.channel.value == "walk_in" and "排水沟" in incident.description
    with pytest.raises(ConflictError):
        ctx.visits.start_incident(clerk, visit.id, "矛盾纠纷", "邻里纠纷")


def test_repeat_visitors_are_found_by_id_number(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    number = valid_number("19650101", "777")
    ctx.visits.register(clerk, draft(id_number=number))
    ctx.visits.register(clerk, draft(id_number=number, purpose=VisitPurpose.PETITION))
    assert len(ctx.visits.previous_visits(clerk, number)) == 2


def test_video_operators_cannot_register_visitors(ctx: AppContext) -> None:
    operator = ctx.auth.login("shipin", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        ctx.visits.register(operator, draft())


def test_demo_holds_a_year_of_weekday_visits(ctx: AppContext) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    rows = ctx.visits.recent(head, limit=100_000)
    assert len(rows) > 20  # scale 0.02 of ~3,600
    days = {r.visited_at.astimezone(dt.timezone(dt.timedelta(hours=8))).weekday() for r in rows}
    assert days <= {0, 1, 2, 3, 4}
    assert min(r.visited_at for r in rows) < ctx.clock.now() - dt.timedelta(days=200)


def test_a_name_fragment_finds_the_visitor_through_the_name_index(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft(visitor_name="阿卜杜·热合曼", id_number=""))
    for fragment in ("热合", "杜·热合", "卜杜热", "热合曼"):
        names = [r.visitor_name for r in ctx.visits.recent(clerk, search=fragment)]
        assert names[:1] == ["阿卜杜·热合曼"] or fragment == "卜杜热", fragment
    assert ctx.visits.recent(clerk, search="卜杜热") == []  # not a piece of the name
    assert ctx.visits.recent(clerk, search="热\x00") == []  # hostile input finds nothing


def test_visitors_data_never_reaches_the_log(
    ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    with caplog.at_level(logging.DEBUG):
        visit = ctx.visits.register(clerk, draft(group_size=6))
        ctx.visits.recent(clerk, search="郑美玲")
        ctx.visits.check_person(clerk, valid_number(), "别名")
        ctx.visits.unmask(head, visit.id)
        with pytest.raises(ValidationError):
            ctx.visits.register(clerk, draft(phone="12345"))
    for secret in ("郑美玲", valid_number(), "13857712345", valid_number()[-4:]):
        assert secret not in caplog.text


def test_a_case_from_a_visit_names_the_visitor_as_reporter_not_the_clerks_login(
    ctx: AppContext,
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    group = ctx.visits.register(clerk, draft(visitor_name="金小军", group_size=12))
    single = ctx.visits.register(clerk, draft(visitor_name="郑美玲"))
    started = ctx.visits.start_incident(clerk, single.id, "矛盾纠纷", "邻里纠纷")
    assert group.incident_id is not None
    red = ctx.incidents.get(duty, group.incident_id)
    walk_in = ctx.incidents.get(duty, started)
    assert red.reporter == f"来访群众 金小军 等 12 人（接待窗口 {clerk.display_name}登记）"
    assert walk_in.reporter == f"来访群众 郑美玲（接待窗口 {clerk.display_name}登记）"
    assert "jiedai" not in red.reporter + walk_in.reporter
    # the duty officer can call the visitor back
    assert walk_in.reporter_phone == "13857712345"


def test_a_long_name_still_fits_the_reporter_field_with_the_visitor_whole(
    ctx: AppContext,
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    name = "阿卜杜·热合曼" + "·热合曼" * 6  # 31 characters
    visit = ctx.visits.register(clerk, draft(visitor_name=name, group_size=500, phone=""))
    assert visit.incident_id is not None
    reporter = ctx.incidents.get(duty, visit.incident_id).reporter
    assert len(reporter) <= 64 and name in reporter and "500 人" in reporter
