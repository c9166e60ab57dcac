"""Petitions: the procedure and the time limits of the 信访工作条例 under a manual clock."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import InvalidTransition, ValidationError
from centre_app.reception.petitions import TIME_LIMITS, Limit, PetitionDraft, PetitionService
from db.models.reception import Petition, PetitionChannel, PetitionState

DAY = dt.timedelta(days=1)


def register(ctx: AppContext, received_on: dt.date | None = None) -> uuid.UUID:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    return ctx.petitions.register(
        clerk,
        PetitionDraft(
            channel=PetitionChannel.LETTER,
            petitioner_name="阿卜杜·热合曼",
            id_number="",
            phone="+86 138-5771-2345",
            matter="反映村集体土地征收补偿款分配不公",
            received_on=received_on,
        ),
    ).id


def test_the_limits_are_those_of_the_regulation() -> None:
    assert {k: v.days for k, v in TIME_LIMITS.items()} == {
        Limit.ACCEPTANCE: 15,
        Limit.HANDLING: 60,
        Limit.REVIEW_REQUEST: 30,
        Limit.REVIEW: 30,
        Limit.RECHECK_REQUEST: 30,
        Limit.RECHECK: 30,
    }
    assert all(
        v.article.startswith("第") and v.article.endswith("条") for v in TIME_LIMITS.values()
    )
    # The published 2022 text: art. 22 (the petition offices, 15 days) and art. 23 (the
    # bodies a petition is sent to, 15 days); art. 34 (60 days, one extension of at most
    # 30); art. 35 (复查: request and opinion, 30 days each); art. 36 (复核, likewise).
    # The repealed 2005 《信访条例》 numbered them 33, 34, 35: a common misquotation.
    articles = {limit: v.article for limit, v in TIME_LIMITS.items()}
    assert articles == {
        Limit.ACCEPTANCE: "第二十二条、第二十三条",
        Limit.HANDLING: "第三十四条",
        Limit.REVIEW_REQUEST: "第三十五条",
        Limit.REVIEW: "第三十五条",
        Limit.RECHECK_REQUEST: "第三十六条",
        Limit.RECHECK: "第三十六条",
    }


def test_acceptance_is_due_fifteen_days_after_receipt_moved_past_the_weekend_then_overdue(
    ctx: AppContext, clock: ManualClock
) -> None:
    # Received Friday 2026-11-20: the 15th day is Saturday 12-05, so the limit ends on
    # Monday 12-07 (Civil Code art. 203), 17 days away.
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx)
    [row] = [r for r in ctx.petitions.open_list(clerk) if r.id == pid]
    assert row.running is not None and row.running.limit is Limit.ACCEPTANCE
    assert (row.running.due_on, row.running.days, row.running.moved) == (
        dt.date(2026, 12, 7),
        15,
        True,
    )
    assert row.days_left == 17
    clock.advance(13 * DAY)
    assert pid in [r.id for r in ctx.petitions.open_list(clerk, due_within=5)]
    assert pid not in [r.id for r in ctx.petitions.open_list(clerk, overdue_only=True)]
    clock.advance(5 * DAY)
    [late] = [r for r in ctx.petitions.open_list(clerk, overdue_only=True) if r.id == pid]
    assert late.days_left == -1


def test_handling_runs_sixty_days_from_acceptance_with_one_extension_of_at_most_thirty(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx)
    clock.advance(3 * DAY)
    ctx.petitions.decide(clerk, pid, accept=True, notice="予以受理", handling_body="镇信访办")
    accepted = clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    handling = next(d for d in ctx.petitions.deadlines(clerk, pid) if d.limit is Limit.HANDLING)
    assert handling.due_on == accepted + 60 * DAY
    with pytest.raises(ValidationError, match="不得超过 30 日"):
        ctx.petitions.extend(clerk, pid, 31, "情况复杂", "王主任")
    with pytest.raises(ValidationError, match="负责人批准"):
        ctx.petitions.extend(clerk, pid, 30, "情况复杂", "  ")
    with pytest.raises(ValidationError, match="批准人"):
        ctx.petitions.extend(clerk, pid, 30, "情况复杂", "王\u202e主任")
    ctx.petitions.extend(clerk, pid, 30, "情况复杂，需要现场勘查", " 镇信访办 王主任 ")
    with pytest.raises(InvalidTransition, match="只能延长一次"):
        ctx.petitions.extend(clerk, pid, 5, "再延", "王主任")
    with ctx.session_factory() as session:
        stored = session.get(Petition, pid)
        assert stored is not None
        assert (stored.extension_days, stored.extension_approved_by) == (30, "镇信访办 王主任")
    handling = next(d for d in ctx.petitions.deadlines(clerk, pid) if d.limit is Limit.HANDLING)
    assert handling.days == 90
    # Accepted Monday 11-23: day 90 is Sunday 2027-02-21, the limit ends on Monday.
    assert handling.due_on == accepted + 91 * DAY == dt.date(2027, 2, 22)


def test_review_must_be_requested_within_thirty_days_of_the_reply(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx)
    ctx.petitions.decide(clerk, pid, accept=True, notice="予以受理", handling_body="镇信访办")
    ctx.petitions.reply(clerk, pid, "经调查，补偿款按村民会议决议分配。")
    # Replied Friday 11-20: the 30th day is Sunday 12-20, the request may come until
    # Monday 12-21; on Tuesday it is too late.
    clock.advance(32 * DAY)
    with pytest.raises(ValidationError, match="超过期限") as refused:
        ctx.petitions.request_review(clerk, pid)
    assert refused.value.params["due"] == "2026-12-21"
    assert ctx.petitions.get(clerk, pid).state is PetitionState.REPLIED


def test_review_and_recheck_each_decided_within_thirty_days_hearing_days_not_counted(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx)
    ctx.petitions.decide(clerk, pid, accept=True, notice="予以受理", handling_body="镇信访办")
    ctx.petitions.reply(clerk, pid, "处理意见")
    clock.advance(30 * DAY)
    ctx.petitions.request_review(clerk, pid)  # the 30th day still counts
    review = ctx.petitions.deadlines(clerk, pid)[-1]
    assert (review.limit, (review.due_on - review.started_on).days) == (Limit.REVIEW, 30)
    clock.advance(10 * DAY)
    ctx.petitions.review(clerk, pid, "维持原处理意见")
    ctx.petitions.request_recheck(clerk, pid)
    ctx.petitions.record_hearing(clerk, pid, 7)
    recheck = ctx.petitions.deadlines(clerk, pid)[-1]
    assert (recheck.limit, (recheck.due_on - recheck.started_on).days) == (Limit.RECHECK, 37)
    ctx.petitions.recheck(clerk, pid, "维持复查意见")
    ctx.petitions.close(clerk, pid)
    assert pid not in [r.id for r in ctx.petitions.open_list(clerk)]


def test_not_accepted_needs_a_written_notice_and_stops_the_clock(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx)
    with pytest.raises(ValidationError, match="书面告知"):
        ctx.petitions.decide(clerk, pid, accept=False, notice=" ")
    ctx.petitions.decide(clerk, pid, accept=False, notice="属于诉讼程序解决的事项，不予受理")
    assert pid not in [r.id for r in ctx.petitions.open_list(clerk)]
    with pytest.raises(InvalidTransition):
        ctx.petitions.reply(clerk, pid, "答复")


def test_a_letter_received_in_the_future_is_refused(ctx: AppContext, clock: ManualClock) -> None:
    tomorrow = (clock.now() + 2 * DAY).date()
    with pytest.raises(ValidationError, match="晚于今天"):
        register(ctx, tomorrow)


def test_a_limit_ending_in_the_national_day_holiday_ends_on_the_first_working_day_after(
    ctx: AppContext,
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx, dt.date(2026, 9, 20))  # the 15th day, 10-05, is a holiday
    [acceptance] = ctx.petitions.deadlines(clerk, pid)
    assert acceptance.due_on == dt.date(2026, 10, 8)  # Oct 1-7 off, Thursday 8th works
    assert acceptance.moved and acceptance.days == 15


def test_a_limit_ending_on_a_make_up_working_saturday_is_not_moved(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx, dt.date(2026, 9, 25))  # the 15th day, Saturday 10-10, is 调休
    [acceptance] = ctx.petitions.deadlines(clerk, pid)
    assert acceptance.due_on == dt.date(2026, 10, 10) and not acceptance.moved


def test_a_limit_ending_on_a_plain_weekday_is_exactly_the_calendar_days(
    ctx: AppContext,
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx, dt.date(2026, 11, 18))  # + 15 = Thursday 12-03
    [acceptance] = ctx.petitions.deadlines(clerk, pid)
    assert acceptance.due_on == dt.date(2026, 12, 3) and not acceptance.moved


def test_the_centres_own_calendar_correction_moves_a_limit_too(ctx: AppContext) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx)  # due Monday 12-07 (the 15th day is a Saturday)
    ctx.mediation.set_working_day(head, dt.date(2026, 12, 7), False, "本地调休")
    [acceptance] = ctx.petitions.deadlines(clerk, pid)
    assert acceptance.due_on == dt.date(2026, 12, 8)
    [row] = [r for r in ctx.petitions.open_list(clerk) if r.id == pid]
    assert row.running is not None and row.running.due_on == dt.date(2026, 12, 8)


def test_a_review_may_still_be_requested_on_the_day_its_period_was_moved_to(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx)
    ctx.petitions.decide(clerk, pid, accept=True, notice="予以受理", handling_body="镇信访办")
    ctx.petitions.reply(clerk, pid, "处理意见")
    clock.advance(31 * DAY)  # Monday 12-21: the 30 days ended on Sunday 12-20
    ctx.petitions.request_review(clerk, pid)
    assert ctx.petitions.get(clerk, pid).state is PetitionState.REVIEW_REQUESTED


def test_a_visits_petition_takes_the_visitor_and_refuses_another_centres_visit(
    ctx: AppContext, clock: ManualClock
) -> None:
    from centre_app.errors import NotFound
    from centre_app.reception.petitions import PetitionService
    from centre_app.reception.visits import VisitDraft
    from db.models.reception import VisitPurpose, VisitRoute

    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit = ctx.visits.register(
        clerk,
        VisitDraft("吴海燕", "", "13957700123", VisitPurpose.PETITION, "宅基地", VisitRoute.WINDOW),
    )
    from_visit = PetitionDraft(PetitionChannel.VISIT, "", "", "", "请求重新划界", visit_id=visit.id)
    pid = ctx.petitions.register(clerk, from_visit).id
    petition = ctx.petitions.get(clerk, pid)
    assert (petition.petitioner_name, petition.phone, petition.visit_id) == (
        "吴海燕",
        "13957700123",
        visit.id,
    )
    elsewhere = PetitionService(ctx.session_factory, clock, "330328101")
    with pytest.raises(NotFound):
        elsewhere.register(clerk, from_visit)


def test_the_list_of_all_petitions_reads_window_after_window_newest_first(
    ctx: AppContext,
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    for _ in range(5):
        register(ctx)
    everything = ctx.petitions.window(clerk, limit=1000)
    seen = []
    after = None
    while True:
        page = ctx.petitions.window(clerk, after=after, limit=2)
        if not page:
            break
        seen += page
        after = (page[-1].received_on, page[-1].number)
    assert [r.id for r in seen] == [r.id for r in everything]
    keys = [(r.received_on, r.number) for r in seen]
    assert keys == sorted(keys, reverse=True) and len(keys) == len(set(keys))


def petition_of(
    ctx: AppContext, matter: str, *, id_number: str = "", name: str = "郑美玲", phone: str = ""
) -> PetitionDraft:
    return PetitionDraft(PetitionChannel.LETTER, name, id_number, phone, matter)


def test_a_reworded_petition_of_the_same_person_on_the_same_matter_is_flagged_as_a_repeat(
    ctx: AppContext,
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    number = "330327198001011238"
    first = ctx.petitions.register(
        clerk, petition_of(ctx, "反映村委会收回本人土地承包经营权，要求恢复承包", id_number=number)
    )
    assert first.repeat_of is None
    wages = ctx.petitions.register(
        clerk, petition_of(ctx, "反映某建筑公司拖欠工资三个月未付", id_number=number)
    )
    assert wages.repeat_of is None  # the same person, another matter
    again = ctx.petitions.register(
        clerk, petition_of(ctx, "再次反映土地承包经营权被村委会收回的问题", id_number=number)
    )
    assert again.repeat_of is not None
    assert (again.repeat_of.id, again.repeat_of.number) == (first.id, first.number)
    assert not again.repeat_of.rechecked
    assert ctx.petitions.view(clerk, again.id).repeat_of == again.repeat_of
    assert ctx.petitions.view(clerk, first.id).repeat_of is None
    # Someone else on the same matter is not a repeat of this person's petition.
    other = ctx.petitions.register(
        clerk,
        petition_of(
            ctx, "再次反映土地承包经营权被村委会收回的问题", id_number="11010519491231002X"
        ),
    )
    assert other.repeat_of is None


def test_without_an_id_number_the_same_name_and_phone_make_the_same_person(
    ctx: AppContext,
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    matter = "反映邻居违章搭建遮挡采光，要求拆除"
    first = ctx.petitions.register(clerk, petition_of(ctx, matter, phone="13857712345"))
    same = ctx.petitions.register(clerk, petition_of(ctx, matter, phone="138 5771 2345"))
    assert same.repeat_of is not None and same.repeat_of.id == first.id
    namesake = ctx.petitions.register(clerk, petition_of(ctx, matter, phone="13957700123"))
    assert namesake.repeat_of is None
    anonymous = ctx.petitions.register(clerk, petition_of(ctx, matter))
    assert anonymous.repeat_of is None  # nothing to know the person by


def test_a_repeat_of_a_matter_already_through_recheck_says_so(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    pid = register(ctx)
    ctx.petitions.decide(clerk, pid, accept=True, notice="予以受理", handling_body="镇信访办")
    ctx.petitions.reply(clerk, pid, "处理意见")
    ctx.petitions.request_review(clerk, pid)
    ctx.petitions.review(clerk, pid, "维持原处理意见")
    ctx.petitions.request_recheck(clerk, pid)
    ctx.petitions.recheck(clerk, pid, "维持复查意见")
    clock.advance(40 * DAY)
    again = ctx.petitions.register(
        clerk,
        PetitionDraft(
            PetitionChannel.VISIT,
            "阿卜杜·热合曼",
            "",
            "13857712345",
            "对村集体土地征收补偿款分配不公的复核意见不服，再次反映",
        ),
    )
    assert again.repeat_of is not None
    assert (again.repeat_of.id, again.repeat_of.state) == (pid, PetitionState.RECHECKED)
    assert again.repeat_of.rechecked


def test_another_centres_petitions_are_never_taken_for_a_repeat(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    draft = petition_of(ctx, "反映村道路灯损坏无人维修", id_number="330327198001011238")
    elsewhere = PetitionService(ctx.session_factory, clock, "330328101")
    elsewhere.register(clerk, draft)
    assert ctx.petitions.register(clerk, draft).repeat_of is None
