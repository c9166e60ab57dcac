"""Visitor registration: ID numbers checked, tickets per day, collective visits, masking."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import PermissionDenied, ValidationError
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
        visitor_name="郑美玲", id_number=valid_number(), phone="13857712345",
        purpose=VisitPurpose.DISPUTE, summary="与邻居因排水沟堵塞发生纠纷",
        route=VisitRoute.MEDIATION_ROOM, routed_to="老娘舅调解室", group_size=1)
    values.update(changes)
    return VisitDraft(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("raw", "words"), [
    ("", "请填写"),
    ("33032719800315", "应为 18 位"),
    ("33032719800315A234", "前 17 位应为数字"),
    (valid_number()[:-1] + ("0" if valid_number()[-1] != "0" else "1"), "校验位"),
    (with_check_digit("33032719800230123"), "出生日期不存在"),
    (with_check_digit("99032719800315123"), "地区代码不存在"),
])
def test_malformed_id_numbers_are_refused_with_the_reason(raw: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        validate_id_number(raw, today=TODAY)


def test_an_id_number_born_after_today_is_refused() -> None:
    with pytest.raises(ValidationError, match="晚于今天"):
        validate_id_number(with_check_digit("33032720270101123"), today=TODAY)


def test_lower_case_x_and_spaces_are_accepted_and_normalised() -> None:
    number = next(n for n in (valid_number(sequence=f"{i:03d}") for i in range(200))
                  if n.endswith("X"))
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
    assert (first.ticket_no, second.ticket_no) == ("A001", "A002")
    clock.advance(dt.timedelta(days=1))
    assert ctx.visits.register(clerk, draft()).ticket_no == "A001"


def test_five_or_more_people_are_a_collective_visit(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    assert not ctx.visits.register(clerk, draft(group_size=4)).is_group_visit
    assert ctx.visits.register(clerk, draft(group_size=5)).is_group_visit


@pytest.mark.parametrize(("changes", "words"), [
    ({"visitor_name": "  "}, "姓名"),
    ({"phone": "12345"}, "联系电话"),
    ({"group_size": 0}, "来访人数"),
    ({"routed_to": ""}, "分流去向"),
])
def test_bad_registrations_are_refused_and_nothing_is_stored(
    ctx: AppContext, changes: dict[str, object], words: str
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    before = len(ctx.visits.recent(clerk, limit=10_000))
    with pytest.raises(ValidationError, match=words):
        ctx.visits.register(clerk, draft(**changes))
    assert len(ctx.visits.recent(clerk, limit=10_000)) == before


def test_lists_mask_id_numbers_for_clerks_and_audit_unmasked_views(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft())
    row = ctx.visits.recent(clerk, search="郑美玲")[0]
    assert row.id_number == mask_id_number(valid_number())
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    assert ctx.visits.recent(head, search="zml")[0].id_number == valid_number()
    assert ctx.audit_log.recent(head, action_prefix="personal_data.view")[0].username == "zhuren"


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
