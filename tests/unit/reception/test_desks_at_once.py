"""Two desks acting on the same row at the same instant, made to meet on purpose: one desk is
held inside its transaction right after a chosen statement while the other desk acts, then
let go. A desk that takes its lock first makes the other wait (and then refuse in words);
a desk that does not lets both write, which these tests catch. Run on SQLite and on a
real PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, select

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import DomainError
from centre_app.reception.petitions import PetitionDraft
from db.models.reception import PetitionChannel, PetitionState, QueueTicket, TicketState
from tests.unit.reception.test_hall_queue import draft, window

HOLD_S = 1.5  # how long the held desk waits for the other one (which may be blocked)


def meet(
    ctx: AppContext,
    held_after: Callable[[str], bool],
    first: Callable[[], Any],
    second: Callable[[], Any],
) -> tuple[Any, Any]:
    """Run `first` on a desk held right after its first statement matching `held_after`,
    run `second` on another desk meanwhile, let the first go; each desk's result or the
    DomainError it was refused with."""
    held, go = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def hold(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        desk_one = threading.current_thread().name == "desk-1"
        if desk_one and not held.is_set() and held_after(statement):
            held.set()
            go.wait(HOLD_S)

    def desk(name: str, work: Callable[[], Any]) -> threading.Thread:
        def run() -> None:
            try:
                outcome[name] = work()
            except DomainError as error:
                outcome[name] = error

        return threading.Thread(target=run, name=name)

    event.listen(ctx.engine, "after_cursor_execute", hold)
    try:
        one = desk("desk-1", first)
        one.start()
        assert held.wait(10), "the first desk never ran the statement it is held after"
        two = desk("desk-2", second)
        two.start()
        two.join(HOLD_S)  # done, or blocked behind the first desk's lock
        go.set()
        one.join(30)
        two.join(30)
    finally:
        event.remove(ctx.engine, "after_cursor_execute", hold)
    return outcome["desk-1"], outcome["desk-2"]


def called_at(ctx: AppContext, window_id: object) -> list[str]:
    with ctx.session_factory() as session:
        return list(
            session.scalars(
                select(QueueTicket.code).where(
                    QueueTicket.window_id == window_id,
                    QueueTicket.state.in_((TicketState.CALLED, TicketState.SERVING)),
                )
            )
        )


def is_candidate_read(statement: str) -> bool:
    return statement.lstrip().upper().startswith("SELECT") and "ORDER BY CASE" in statement


def test_two_desks_calling_next_at_one_window_at_once_call_one_ticket(
    any_ctx: AppContext,
) -> None:
    ctx = any_ctx
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    for _ in range(3):
        ctx.visits.register(clerk, draft("A"))
    one = window(ctx, 1)
    first, second = meet(
        ctx,
        is_candidate_read,
        lambda: ctx.hall.call_next(clerk, one),  # type: ignore[arg-type]
        lambda: ctx.hall.call_next(clerk, one),  # type: ignore[arg-type]
    )
    assert len(called_at(ctx, one)) == 1
    refused = [r for r in (first, second) if isinstance(r, DomainError)]
    assert len(refused) == 1 and "未办结" in refused[0].message


def test_a_window_closed_while_a_ticket_is_being_called_to_it_is_never_left_with_it(
    any_ctx: AppContext,
) -> None:
    ctx = any_ctx
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft("A"))
    two = window(ctx, 2)
    closed, called = meet(
        ctx,
        lambda s: "queue_ticket.code" in s and "window_id" in s,
        lambda: ctx.hall.close_window(clerk, two, for_break=True),  # type: ignore[arg-type]
        lambda: ctx.hall.call_next(clerk, two),  # type: ignore[arg-type]
    )
    assert not isinstance(closed, DomainError)
    assert isinstance(called, DomainError) and "已关闭或暂停" in called.message
    assert called_at(ctx, two) == []


def test_a_ticket_transferred_while_a_window_calls_it_is_not_called_to_a_window_without_its_service(
    any_ctx: AppContext,
) -> None:
    ctx = any_ctx
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ticket = ctx.visits.register(clerk, draft("A"))
    ticket_id = next(t.id for t in ctx.hall.waiting() if t.code == ticket.ticket_no)
    petitions = next(s.id for s in ctx.hall.services() if s.letter == "B")
    one = window(ctx, 1)  # calls A and E, not B
    meet(
        ctx,
        is_candidate_read,
        lambda: ctx.hall.call_next(clerk, one),  # type: ignore[arg-type]
        lambda: ctx.hall.transfer(clerk, ticket_id, service_id=petitions),
    )
    info = ctx.hall.ticket(ticket_id)
    assert info.service_letter == "B"
    assert info.state is TicketState.WAITING and info.window_number is None


def test_a_petition_decided_at_two_desks_at_once_takes_one_decision(
    any_ctx: AppContext,
) -> None:
    ctx = any_ctx
    manager = ctx.auth.login("jiedai", DEMO_PASSWORD)
    registered = ctx.petitions.register(
        manager,
        PetitionDraft(
            channel=PetitionChannel.HOTLINE,
            petitioner_name="郑美玲",
            id_number="",
            phone="13857712345",
            matter="反映村道路灯长期不亮，夜间出行不便",
        ),
    )
    pid = registered.id
    accepted, refused = meet(
        ctx,
        lambda s: s.lstrip().upper().startswith("SELECT") and "FROM petition" in s,
        lambda: ctx.petitions.decide(
            manager, pid, accept=True, notice="予以受理", handling_body="镇建设办"
        ),
        lambda: ctx.petitions.decide(manager, pid, accept=False, notice="不属于信访事项"),
    )
    assert accepted is None
    assert isinstance(refused, DomainError) and "不能决定是否受理" in refused.message
    assert ctx.petitions.get(manager, pid).state is PetitionState.ACCEPTED


def test_two_desks_registering_the_same_visitor_at_once_get_two_numbers(
    any_ctx: AppContext,
) -> None:
    ctx = any_ctx
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    first, second = meet(
        ctx,
        lambda s: "ticket_counter" in s,
        lambda: ctx.visits.register(clerk, draft("A")).ticket_no,
        lambda: ctx.visits.register(clerk, draft("A")).ticket_no,
    )
    assert sorted([first, second]) == ["A001", "A002"]


def test_two_desks_finishing_one_ticket_at_once_finish_it_once(any_ctx: AppContext) -> None:
    ctx = any_ctx
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    ctx.visits.register(clerk, draft("A"))
    ticket = ctx.hall.call_next(clerk, window(ctx, 1))  # type: ignore[arg-type]
    assert ticket is not None
    ctx.hall.start(clerk, ticket.id)
    first, second = meet(
        ctx,
        lambda s: s.lstrip().upper().startswith("SELECT") and "FROM queue_ticket" in s,
        lambda: ctx.hall.served(clerk, ticket.id),
        lambda: ctx.hall.served(clerk, ticket.id),
    )
    assert not isinstance(first, DomainError)
    assert isinstance(second, DomainError) and "不能办结" in second.message


def test_petitions_registered_at_ten_desks_at_once_get_ten_numbers(any_ctx: AppContext) -> None:
    from tests.unit.reception.test_hall_queue import run_at_once

    clerk = any_ctx.auth.login("jiedai", DEMO_PASSWORD)

    def register(i: int) -> str:
        return any_ctx.petitions.register(
            clerk,
            PetitionDraft(
                channel=PetitionChannel.HOTLINE,
                petitioner_name="郑美玲",
                id_number="",
                phone=f"1385771234{i}",
                matter=f"反映第 {i} 组路灯长期不亮",
            ),
        ).number

    numbers = run_at_once(10, register)
    assert len(set(numbers)) == 10
