"""The hall's queue: tickets per service and day, calling per window, concurrency."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from stdnum.cn import ric

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import ConflictError, InvalidTransition
from centre_app.reception.hall import RECALLS_BEFORE_NO_SHOW, TicketInfo
from centre_app.reception.visits import VisitDraft
from db.models.reception import TicketPriority, TicketState, VisitPurpose, VisitRoute
from tests.support.postgres import PostgresCluster


def draft(
    letter: str, priority: TicketPriority = TicketPriority.NORMAL, name: str = "郑美玲"
) -> VisitDraft:
    return VisitDraft(
        visitor_name=name,
        id_number="",
        phone="",
        purpose=VisitPurpose.CONSULTATION,
        summary="咨询",
        route=VisitRoute.WINDOW,
        service_letter=letter,
        priority=priority,
    )


def window(ctx: AppContext, number: int) -> object:
    return next(w.id for w in ctx.hall.windows() if w.number == number)


def test_tickets_are_numbered_per_service_and_day(ctx: AppContext, clock: ManualClock) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    codes = [ctx.visits.register(clerk, draft(x)).ticket_no for x in "AABA"]
    assert codes == ["A001", "A002", "B001", "A003"]
    clock.advance(dt.timedelta(days=1))
    assert ctx.visits.register(clerk, draft("B")).ticket_no == "B001"


def test_window_calls_its_services_in_order_then_priority_then_waiting_time(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    for letter, priority in (
        ("E", TicketPriority.NORMAL),
        ("A", TicketPriority.NORMAL),
        ("A", TicketPriority.APPOINTMENT),
        ("A", TicketPriority.ELDERLY),
    ):
        ctx.visits.register(clerk, draft(letter, priority))
        clock.advance(dt.timedelta(minutes=1))
    first = window(ctx, 1)  # serves A then E
    called = []
    for _ in range(4):
        ticket = ctx.hall.call_next(clerk, first)  # type: ignore[arg-type]
        assert ticket is not None
        called.append(ticket.code)
        ctx.hall.start(clerk, ticket.id)
        ctx.hall.served(clerk, ticket.id)
    assert called == ["A003", "A002", "A001", "E001"]
    assert ctx.hall.call_next(clerk, first) is None  # type: ignore[arg-type]


def test_a_window_finishes_its_current_ticket_before_calling_the_next(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft("A"))
    ctx.visits.register(clerk, draft("A"))
    first = window(ctx, 1)
    ctx.hall.call_next(clerk, first)  # type: ignore[arg-type]
    with pytest.raises(ConflictError, match="未办结"):
        ctx.hall.call_next(clerk, first)  # type: ignore[arg-type]


def test_no_show_only_after_the_recalls(ctx: AppContext, clock: ManualClock) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft("A"))
    ticket = ctx.hall.call_next(clerk, window(ctx, 1))  # type: ignore[arg-type]
    assert ticket is not None
    with pytest.raises(InvalidTransition, match="重呼"):
        ctx.hall.no_show(clerk, ticket.id)
    for _ in range(RECALLS_BEFORE_NO_SHOW):
        clock.advance(dt.timedelta(minutes=1))
        ctx.hall.recall(clerk, ticket.id)
    assert ctx.hall.no_show(clerk, ticket.id).state is TicketState.NO_SHOW
    board = ctx.hall.board()
    assert [c.recall for c in board.last_calls] == [True, True, False]


def test_a_transfer_keeps_the_original_waiting_time(ctx: AppContext, clock: ManualClock) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    early = ctx.visits.register(clerk, draft("A"))
    clock.advance(dt.timedelta(minutes=10))
    ctx.visits.register(clerk, draft("D", name="李建华"))  # D waits, registered later
    ticket = ctx.hall.call_next(clerk, window(ctx, 1))  # type: ignore[arg-type]
    assert ticket is not None and ticket.code == early.ticket_no
    legal = next(s.id for s in ctx.hall.services() if s.letter == "D")
    moved = ctx.hall.transfer(clerk, ticket.id, service_id=legal)
    assert (moved.state, moved.service_letter, moved.queued_at) == (
        TicketState.WAITING,
        "D",
        ticket.queued_at,
    )
    fourth = ctx.hall.call_next(clerk, window(ctx, 4))  # type: ignore[arg-type]
    assert fourth is not None and fourth.code == "A001"  # ahead of D001, who came later


def test_board_shows_serving_numbers_last_calls_and_waiting(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    for letter in "AAB":
        ctx.visits.register(clerk, draft(letter))
    ctx.hall.call_next(clerk, window(ctx, 3))  # type: ignore[arg-type]
    board = ctx.hall.board()
    assert (3, "信访接待窗口", "B001") in board.serving
    assert [(c.code, c.window_number) for c in board.last_calls] == [("B001", 3)]
    assert ("A", "咨询", 2) in board.waiting and ("B", "信访接待", 0) in board.waiting


def test_people_ahead_count_the_waiting_before_this_ticket(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    for _ in range(3):
        ctx.visits.register(clerk, draft("C"))
    assert [t.people_ahead for t in ctx.hall.waiting("C")] == [0, 1, 2]


# --- concurrency: real threads, a session each -------------------------------------------


def run_at_once(count: int, work: object) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count
    errors: list[BaseException] = []

    def one(i: int) -> None:
        try:
            barrier.wait()
            assert callable(work)
            results[i] = work(i)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


@pytest.fixture
def pg_ctx(
    postgres: PostgresCluster, clock: ManualClock, data_dir: Path, request: pytest.FixtureRequest
) -> Iterator[AppContext]:
    url = postgres.create_database(f"hall_{request.node.name[:40].lower()}")
    context = AppContext.open(url, clock=clock, demo_scale=0.01)
    yield context
    context.close()


def concurrent_registrations_get_distinct_numbers(ctx: AppContext, count: int) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ids = [ric.calc_check_digit(f"33032719800315{i:03d}0") for i in range(count)]
    assert ids  # valid numbers are not needed: anonymous visits queue the same way
    codes = run_at_once(count, lambda i: ctx.visits.register(clerk, draft("B")).ticket_no)
    assert sorted(codes) == [f"B{n:03d}" for n in range(1, count + 1)]  # type: ignore[type-var]


def concurrent_calls_never_share_a_ticket(ctx: AppContext, tickets: int) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    for _ in range(tickets):
        ctx.visits.register(clerk, draft("A"))
    windows = [window(ctx, 1), window(ctx, 2)]

    def drain(i: int) -> list[str]:
        got = []
        while True:
            ticket = ctx.hall.call_next(clerk, windows[i])  # type: ignore[arg-type]
            if ticket is None:
                return got
            assert isinstance(ticket, TicketInfo)
            got.append(ticket.code)
            ctx.hall.start(clerk, ticket.id)
            ctx.hall.served(clerk, ticket.id)

    first, second = run_at_once(2, drain)
    assert isinstance(first, list) and isinstance(second, list)
    assert not set(first) & set(second)
    assert sorted(first + second) == [f"A{n:03d}" for n in range(1, tickets + 1)]


def test_concurrent_registrations_on_sqlite_get_distinct_numbers(ctx: AppContext) -> None:
    concurrent_registrations_get_distinct_numbers(ctx, 6)


def test_two_windows_calling_at_once_on_sqlite_never_share_a_ticket(ctx: AppContext) -> None:
    concurrent_calls_never_share_a_ticket(ctx, 10)


@pytest.mark.integration
def test_concurrent_registrations_on_postgresql_get_distinct_numbers(pg_ctx: AppContext) -> None:
    concurrent_registrations_get_distinct_numbers(pg_ctx, 12)


@pytest.mark.integration
def test_two_windows_calling_at_once_on_postgresql_never_share_a_ticket(
    pg_ctx: AppContext,
) -> None:
    concurrent_calls_never_share_a_ticket(pg_ctx, 20)


def test_a_window_cannot_close_while_people_wait_for_a_service_only_it_calls(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft("B"))  # B is called at window 3 only
    with pytest.raises(ConflictError, match="B 信访接待 1 人"):
        ctx.hall.close_window(clerk, window(ctx, 3))  # type: ignore[arg-type]
    ctx.hall.close_window(clerk, window(ctx, 2))  # A and E are also called at window 1
    assert [w.number for w in ctx.hall.windows()] == [1, 3, 4]
    clock.advance(dt.timedelta(hours=2))  # a lunch break: the queue is still there
    ticket = ctx.hall.call_next(clerk, window(ctx, 3))  # type: ignore[arg-type]
    assert ticket is not None and ticket.code == "B001"


def test_a_check_in_returns_the_printed_tickets_content_from_its_own_transaction(
    ctx: AppContext,
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft("C"))
    ctx.visits.register(clerk, draft("C"))
    checked = ctx.visits.check_in(clerk, draft("C"), "龙港镇综治中心")
    assert checked.slip is not None
    again = ctx.hall.slip(checked.visit.id, "龙港镇综治中心")  # the reprint path
    assert checked.slip == again
    assert (checked.slip.code, checked.slip.people_ahead) == ("C003", 2)
    assert checked.visit.ticket_no == "C003"


def test_a_registration_inserts_the_visit_with_its_number_and_never_updates_it(
    ctx: AppContext,
) -> None:
    from sqlalchemy import select

    from db.models.replication import OutboxEntry

    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit = ctx.visits.register(clerk, draft("A"))
    with ctx.session_factory() as session:
        changes = session.execute(
            select(OutboxEntry.op, OutboxEntry.data).where(
                OutboxEntry.table_name == "visit", OutboxEntry.row_id == str(visit.id)
            )
        ).all()
    assert [op for op, _ in changes] == ["insert"]  # one change replicated, not two
    assert changes[0][1]["ticket_no"] == visit.ticket_no


def test_a_queue_is_carried_over_the_lunch_break_with_its_waiting_time_counted(
    ctx: AppContext, clock: ManualClock
) -> None:
    from centre_app.reception.hall_stats import HallStats

    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    petition = ctx.visits.register(clerk, draft("B"))  # B is called at window 3 only
    consult = ctx.visits.register(clerk, draft("A", name="金小军"))
    # Every window closes for lunch; the people still waiting are named, not refused.
    assert ctx.hall.close_window(clerk, window(ctx, 1), for_break=True).still_waiting == []  # type: ignore[arg-type]
    closed = ctx.hall.close_window(clerk, window(ctx, 3), for_break=True)  # type: ignore[arg-type]
    assert (closed.number, closed.still_waiting) == (3, [("B", "信访接待", 1)])
    ctx.hall.close_window(clerk, window(ctx, 4), for_break=True)  # type: ignore[arg-type]
    last = ctx.hall.close_window(clerk, window(ctx, 2), for_break=True)  # type: ignore[arg-type]
    assert last.still_waiting == [("A", "咨询", 1)]
    assert ctx.hall.windows() == []
    with pytest.raises(ConflictError, match="3 号窗口已关闭或暂停"):
        ctx.hall.call_next(clerk, closed_id := window_of(ctx, 3))
    assert [w.number for w in ctx.hall.windows(include_closed=True) if not w.active] == [1, 2, 3, 4]
    ctx.hall.open_window(clerk, closed_id)
    assert ("B", "信访接待", 1) in ctx.hall.board().waiting
    clock.advance(dt.timedelta(hours=2))  # back from lunch
    for number in (1, 2, 4):
        ctx.hall.open_window(clerk, window_of(ctx, number))
    called = ctx.hall.call_next(clerk, window(ctx, 3))  # type: ignore[arg-type]
    assert called is not None and called.code == petition.ticket_no
    other = ctx.hall.call_next(clerk, window(ctx, 1))  # type: ignore[arg-type]
    assert other is not None and other.code == consult.ticket_no
    day = clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    figures = HallStats(ctx.session_factory, clock, ctx.township_code).figures(
        ctx.auth.login("zhuren", DEMO_PASSWORD), day, day
    )
    assert figures.waiting.count == 2 and figures.waiting.median == 120


def test_a_window_closed_for_good_still_refuses_to_strand_people(
    ctx: AppContext,
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft("B"))
    with pytest.raises(ConflictError, match="B 信访接待 1 人"):
        ctx.hall.close_window(clerk, window(ctx, 3))  # type: ignore[arg-type]
    assert [w.number for w in ctx.hall.windows()] == [1, 2, 3, 4]


def test_a_ticket_sent_to_a_window_closed_for_good_goes_to_another_window_of_its_service(
    ctx: AppContext,
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft("A"))
    ticket = ctx.hall.call_next(clerk, window(ctx, 1))  # type: ignore[arg-type]
    assert ticket is not None
    ctx.hall.transfer(clerk, ticket.id, window_id=window(ctx, 2))  # type: ignore[arg-type]
    ctx.hall.close_window(clerk, window(ctx, 2))  # type: ignore[arg-type]
    again = ctx.hall.call_next(clerk, window(ctx, 1))  # type: ignore[arg-type]
    assert again is not None and again.id == ticket.id


def test_a_ticket_is_never_sent_to_a_closed_window_or_one_that_does_not_serve_it(
    ctx: AppContext,
) -> None:
    from centre_app.errors import ValidationError

    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft("A"))
    ticket = ctx.hall.call_next(clerk, window(ctx, 1))  # type: ignore[arg-type]
    assert ticket is not None
    with pytest.raises(ValidationError, match="3 号窗口不办理“咨询”"):
        ctx.hall.transfer(clerk, ticket.id, window_id=window(ctx, 3))  # type: ignore[arg-type]
    closed = window(ctx, 2)
    ctx.hall.close_window(clerk, closed)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="2 号窗口已关闭"):
        ctx.hall.transfer(clerk, ticket.id, window_id=closed)  # type: ignore[arg-type]
    assert ctx.hall.current(window(ctx, 1)).id == ticket.id  # type: ignore[arg-type,union-attr]
    # sent to the petitions service at its own window: allowed
    petitions = next(s.id for s in ctx.hall.services() if s.letter == "B")
    moved = ctx.hall.transfer(clerk, ticket.id, service_id=petitions, window_id=window(ctx, 3))  # type: ignore[arg-type]
    assert moved.service_letter == "B"


def window_of(ctx: AppContext, number: int) -> uuid.UUID:
    """A window by its number, closed or open."""
    return next(w.id for w in ctx.hall.windows(include_closed=True) if w.number == number)


def test_a_visits_page_shows_its_real_waiting_and_serving_times(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit = ctx.visits.register(
        clerk,
        VisitDraft(
            visitor_name="John Smith",
            id_number="",
            phone="+86 139 5770 0123",
            purpose=VisitPurpose.CONSULTATION,
            summary="咨询居住证办理",
            route=VisitRoute.WINDOW,
            group_size=2,
            service_letter="A",
            document="护照 E12345678",
        ),
    )
    waiting = ctx.visits.history(clerk, visit.id).this_visit
    assert waiting is not None
    assert (waiting.ticket_code, waiting.ticket_state) == ("A001", TicketState.WAITING)
    assert (waiting.waited, waiting.served) == (None, None)  # still running
    assert waiting.group_size == 2 and "E12345678" in waiting.summary
    assert "0123" in waiting.phone and "5770" not in waiting.phone  # masked
    clock.advance(dt.timedelta(minutes=7))
    called = ctx.hall.call_next(clerk, window(ctx, 1))  # type: ignore[arg-type]
    assert called is not None
    clock.advance(dt.timedelta(minutes=1))
    ctx.hall.start(clerk, called.id)
    clock.advance(dt.timedelta(minutes=12))
    ctx.hall.served(clerk, called.id)
    done = ctx.visits.history(clerk, visit.id).this_visit
    assert done is not None and done.ticket_state is TicketState.SERVED
    assert (done.waited, done.served) == (dt.timedelta(minutes=7), dt.timedelta(minutes=12))
    assert done.window_number == 1 and done.service_name
