"""A case from intake through two sessions to its outcome, the state table refusing every
move it does not list, and the figures on a hand-computed fixture."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools

import pytest

from centre_app.clock import ManualClock
from centre_app.errors import InvalidTransition, PermissionDenied, ValidationError
from centre_app.mediation.service import PartyDraft
from centre_app.mediation.workflow import TRANSITIONS, CaseAction, next_state
from db.models.mediation import CaseState, SessionStatus
from tests.unit.mediation.conftest import MONDAY, Centre, at

TUESDAY = MONDAY + dt.timedelta(days=1)
NOVEMBER = (at(dt.date(2026, 11, 1), "00:00"), at(dt.date(2026, 12, 1), "00:00"))


@pytest.mark.parametrize(
    ("state", "action"),
    [(s, a) for s, a in itertools.product(CaseState, CaseAction) if (s, a) not in TRANSITIONS],
)
def test_every_move_the_table_does_not_list_is_refused_in_words(
    state: CaseState, action: CaseAction
) -> None:
    with pytest.raises(InvalidTransition, match=r"调解案件 X-1 当前为“.+”，不能"):
        next_state("X-1", state, action)


def test_a_case_goes_from_intake_through_two_sessions_to_an_agreement(
    centre: Centre, clock: ManualClock
) -> None:
    case = centre.case("张三", "李四", "劳资纠纷", amount="８,５００元")  # full-width digits
    view = centre.svc.case(centre.clerk, case)
    assert (view.state, view.amount, view.title) == (
        CaseState.ACCEPTED,
        decimal.Decimal("8500.00"),
        "张三诉李四（劳资纠纷）",
    )
    assert view.case_no.endswith("-T2026-00001")
    first = centre.book("劳动争议调解室", "09:00", "10:30", case_id=case)
    second = centre.book("劳动争议调解室", "09:00", "10:30", case_id=case, day=TUESDAY)
    with pytest.raises(ValidationError, match="还没有已举行的调解"):
        centre.svc.record_outcome(
            centre.clerk, case, CaseState.SUCCEEDED, agreement_text="分两期支付"
        )
    clock.set(at(TUESDAY, "11:00"))
    centre.svc.set_status(centre.clerk, first, SessionStatus.HELD)
    centre.svc.set_status(centre.clerk, second, SessionStatus.HELD)
    with pytest.raises(ValidationError, match="须填写调解协议内容"):
        centre.svc.record_outcome(centre.clerk, case, CaseState.SUCCEEDED)
    centre.svc.record_outcome(
        centre.clerk,
        case,
        CaseState.SUCCEEDED,
        agreement_text="李四于 12 月底前支付工资 8000 元",
        agreed_amount="8000",
    )
    centre.svc.record_outcome(centre.clerk, case, CaseState.JUDICIAL_CONFIRMATION)
    view = centre.svc.case(centre.clerk, case)
    assert view.state is CaseState.JUDICIAL_CONFIRMATION
    assert [s.status for s in view.sessions] == [SessionStatus.HELD, SessionStatus.HELD]
    assert [h[1] for h in view.history] == ["accept", "book", "succeed", "confirm"]
    assert view.outcome_at == at(TUESDAY, "11:00")
    total = centre.ctx.mediation_stats.total(centre.head, *NOVEMBER)
    assert (total.accepted, total.resolved, total.success_rate) == (1, 1, 1.0)
    with pytest.raises(InvalidTransition, match="当前为“申请司法确认”，不能撤回"):
        centre.svc.record_outcome(centre.clerk, case, CaseState.WITHDRAWN)


def test_withdrawing_a_case_cancels_its_sessions_ahead(centre: Centre) -> None:
    case = centre.case()
    session = centre.book("劳动争议调解室", "09:00", "10:00", case_id=case)
    centre.svc.record_outcome(centre.clerk, case, CaseState.WITHDRAWN, note="双方已和解")
    [view] = centre.svc.case(centre.clerk, case).sessions
    assert (view.id, view.status, view.cancel_reason) == (
        session,
        SessionStatus.CANCELLED,
        "案件撤回",
    )
    centre.book("劳动争议调解室", "09:00", "10:00")  # the room is free again


def test_contact_data_is_masked_for_clerks_and_shown_to_the_head(centre: Centre) -> None:
    case = centre.case(parties=[PartyDraft("王五", "申请人", "13857712345")])
    [clerk_sees] = centre.svc.case(centre.clerk, case).parties
    [head_sees] = centre.svc.case(centre.head, case).parties
    assert (clerk_sees.phone, head_sees.phone) == ("138****2345", "13857712345")


@pytest.mark.parametrize(
    ("party", "words"),
    [
        (PartyDraft(""), "请填写当事人姓名"),
        (PartyDraft("王\x00五"), "控制字符"),
        (PartyDraft("王\ud800五"), "控制字符"),
        (PartyDraft("王五", phone="12345"), "电话“12345”"),
        (PartyDraft("王五", id_number="330327198003151235"), "校验位"),
        (PartyDraft("王" * 33), "不能超过 32 个字"),
    ],
)
def test_bad_parties_are_refused_and_nothing_is_stored(
    centre: Centre, party: PartyDraft, words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        centre.case(parties=[party])
    assert centre.ctx.mediation_stats.total(centre.head, *NOVEMBER).accepted == 0


@pytest.mark.parametrize(
    ("amount", "words"),
    [("abc", "不是数字"), ("-5", "0 到 10 亿"), ("NaN", "0 到 10 亿"), ("1e30", "0 到 10 亿")],
)
def test_impossible_amounts_are_refused(centre: Centre, amount: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        centre.case(amount=amount)


def test_a_video_operator_may_not_book(centre: Centre) -> None:
    from centre_app.demo import DEMO_PASSWORD

    operator = centre.ctx.auth.login("shipin", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        centre.svc.book(operator, centre.draft("劳动争议调解室", "09:00", "10:00"))


def test_figures_match_a_hand_computed_month(centre: Centre, clock: ManualClock) -> None:
    """A: 劳资纠纷, two held sessions (黄建平; 黄建平 + 谢春生), success after 5 days.
    B: 邻里纠纷 in 老娘舅调解室 with 林阿土: a no-show, then held, no agreement after 5 days.
    C: 劳资纠纷, never booked, withdrawn after 1 day."""
    a, b, c = centre.case(), centre.case("王五", "赵六", "邻里纠纷"), centre.case("孙八", "周九")
    a1 = centre.book("劳动争议调解室", "09:00", "10:00", case_id=a)
    a2 = centre.book(
        "劳动争议调解室", "09:00", "10:00", case_id=a, day=TUESDAY, mediators=("黄建平", "谢春生")
    )
    b1 = centre.book("老娘舅调解室", "14:00", "15:00", case_id=b, mediators=("林阿土",))
    b2 = centre.book(
        "老娘舅调解室", "14:00", "15:00", case_id=b, mediators=("林阿土",), day=TUESDAY
    )
    clock.set(at(dt.date(2026, 11, 21), "10:00"))
    centre.svc.record_outcome(centre.clerk, c, CaseState.WITHDRAWN)
    clock.set(at(dt.date(2026, 11, 25), "10:00"))
    for held in (a1, a2, b2):
        centre.svc.set_status(centre.clerk, held, SessionStatus.HELD)
    centre.svc.set_status(centre.clerk, b1, SessionStatus.NO_SHOW)
    centre.svc.record_outcome(centre.clerk, a, CaseState.SUCCEEDED, agreement_text="付清")
    centre.svc.record_outcome(centre.clerk, b, CaseState.FAILED)
    stats, head = centre.ctx.mediation_stats, centre.head

    def table(figures: list) -> dict:  # type: ignore[type-arg]
        return {f.key: (f.accepted, f.resolved, f.no_shows, f.days_to_outcome) for f in figures}

    total = stats.total(head, *NOVEMBER)
    assert (total.accepted, total.resolved, total.no_shows) == (3, 1, 1)
    assert total.success_rate == pytest.approx(1 / 3)
    assert total.days_to_outcome == pytest.approx(11 / 3, abs=0.01)
    assert table(stats.by_room(head, *NOVEMBER)) == {
        "劳动争议调解室": (1, 1, 0, 5.0),
        "老娘舅调解室": (1, 0, 1, 5.0),
        "未安排": (1, 0, 0, 1.0),
    }
    assert table(stats.by_mediator(head, *NOVEMBER)) == {
        "黄建平": (1, 1, 0, 5.0),
        "谢春生": (1, 1, 0, 5.0),
        "林阿土": (1, 0, 1, 5.0),
    }
    assert table(stats.by_category(head, *NOVEMBER)) == {
        "劳资纠纷": (2, 1, 0, 3.0),
        "邻里纠纷": (1, 0, 1, 5.0),
    }
    assert table(stats.by_month(head, *NOVEMBER)) == {"2026-11": (3, 1, 1, 3.67)}
    december = (NOVEMBER[1], at(dt.date(2027, 1, 1), "00:00"))
    assert stats.total(head, *december).accepted == 0
