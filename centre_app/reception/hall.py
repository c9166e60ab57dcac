"""The hall's queue (排队叫号): services and windows as configured rows, tickets numbered per
service and day, calling per window.

Concurrency rules (several windows and desks write at once):
- a ticket number comes from the per-service-day counter row, incremented by one
  `UPDATE … RETURNING` under the row's lock; `(issued_service_id, day, number)` is unique
  as well, so a number can never be handed out twice;
- "call next" and closing a window lock the window's row first (SQLite: the write lock),
  so one window never calls two tickets and is never closed under a call;
- "call next" picks the first waiting ticket with `FOR UPDATE SKIP LOCKED` on PostgreSQL
  (a second window skips the row the first is taking) and claims it with a conditional
  `UPDATE … WHERE state = 'waiting'`, so two windows never get the same ticket on any
  database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock, to_local
from centre_app.errors import ConflictError, InvalidTransition, NotFound, ValidationError, msg
from centre_app.reception.ticket import TicketSlip
from centre_app.security import audit
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.locks import take_write_lock
from db.models.reception import (
    HallService,
    HallWindow,
    QueueAction,
    QueueEvent,
    QueueTicket,
    TicketCounter,
    TicketPriority,
    TicketState,
    VisitPurpose,
)

RECALLS_BEFORE_NO_SHOW = 2  # called, then recalled twice: then the clerk may mark 过号
CALL_ATTEMPTS = 5

PRIORITY_LABELS = {
    TicketPriority.NORMAL: msg("普通"),
    TicketPriority.APPOINTMENT: msg("预约"),
    TicketPriority.DISABLED: msg("残疾人优先"),
    TicketPriority.ELDERLY: msg("老年人优先"),
}
STATE_LABELS = {
    TicketState.WAITING: msg("等候中"),
    TicketState.CALLED: msg("已叫号"),
    TicketState.SERVING: msg("办理中"),
    TicketState.SERVED: msg("已办结"),
    TicketState.NO_SHOW: msg("过号"),
    TicketState.LEFT: msg("已离开"),
}
OPEN_STATES = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING)


@dataclass(frozen=True)
class ServiceInfo:
    id: uuid.UUID
    letter: str
    name: str
    purpose: VisitPurpose


@dataclass(frozen=True)
class WindowInfo:
    id: uuid.UUID
    number: int
    name: str
    service_letters: str
    opens: dt.time
    closes: dt.time
    clerk: str | None
    active: bool = True  # False: closed (a break, or for the day)


@dataclass(frozen=True)
class TicketInfo:
    id: uuid.UUID
    visit_id: uuid.UUID
    code: str
    service_letter: str
    service_name: str
    state: TicketState
    priority: int
    issued_at: dt.datetime
    queued_at: dt.datetime
    window_number: int | None
    recalls: int
    people_ahead: int = 0


@dataclass(frozen=True)
class CallShown:
    """One call as the hall display shows and says it."""

    code: str
    window_number: int
    at: dt.datetime
    recall: bool


@dataclass(frozen=True)
class ClosedWindow:
    """A window just closed, and who still waits for a service no open window calls now
    (a break: they stay in the queue and are called when a window reopens)."""

    number: int
    still_waiting: list[tuple[str, str, int]]  # (letter, service name, people waiting)


@dataclass(frozen=True)
class HallBoard:
    serving: list[tuple[int, str, str]]  # (window number, window name, ticket code or "")
    last_calls: list[CallShown]
    waiting: list[tuple[str, str, int]]  # (letter, service name, people waiting)


def local_day(at: dt.datetime) -> dt.date:
    return to_local(at).date()


def next_ticket_number(session: Session, service_id: uuid.UUID, day: dt.date) -> int:
    """The next number of `service_id` on `day`: one upsert that creates the day's counter
    at 1 or increments it under the row's lock, returning the number (one statement, one
    round trip; PostgreSQL and SQLite both take INSERT … ON CONFLICT DO UPDATE … RETURNING)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(TicketCounter).values(service_id=service_id, day=day, last_number=1)
    number = session.execute(
        statement.on_conflict_do_update(
            index_elements=[TicketCounter.service_id, TicketCounter.day],
            set_={"last_number": TicketCounter.last_number + 1},
        ).returning(TicketCounter.last_number)
    ).scalar_one()
    return int(number)


def take_number(session: Session, service: HallService, day: dt.date) -> int:
    """The service's next number of the day; at most 999 a day."""
    number = next_ticket_number(session, service.id, day)
    if number > 999:
        raise ValidationError(
            "今天“{service}”的排队号已用完（999 个），请改用其他服务窗口。", service=service.name
        )
    return number


def issue_ticket(
    session: Session,
    actor: Actor,
    service: HallService,
    visit_id: uuid.UUID,
    at: dt.datetime,
    priority: TicketPriority = TicketPriority.NORMAL,
    state: TicketState = TicketState.WAITING,
    number: int | None = None,
) -> QueueTicket:
    """The ticket of a visit (its number taken now, or `number` taken before by
    `take_number`) and its ISSUE event."""
    day = local_day(at)
    if number is None:
        number = take_number(session, service, day)
    ticket = QueueTicket(
        township_code=service.township_code,
        visit_id=visit_id,
        issued_service_id=service.id,
        service_id=service.id,
        day=day,
        number=number,
        code=f"{service.letter}{number:03d}",
        priority=int(priority),
        state=state,
        issued_at=at,
        queued_at=at,
    )
    session.add(ticket)
    session.flush()  # the ORM orders inserts by relationship(), not by foreign key
    session.add(
        QueueEvent(
            ticket_id=ticket.id, day=day, at=at, action=QueueAction.ISSUE, username=actor.username
        )
    )
    return ticket


def people_ahead(session: Session, ticket: QueueTicket) -> int:
    """Waiting tickets of the same service that will be called before this one."""
    ahead = session.scalar(
        select(func.count())
        .select_from(QueueTicket)
        .where(
            QueueTicket.day == ticket.day,
            QueueTicket.service_id == ticket.service_id,
            QueueTicket.state == TicketState.WAITING,
            QueueTicket.id != ticket.id,
            (QueueTicket.priority > ticket.priority)
            | (
                (QueueTicket.priority == ticket.priority)
                & (
                    (QueueTicket.queued_at < ticket.queued_at)
                    | ((QueueTicket.queued_at == ticket.queued_at) & (QueueTicket.id < ticket.id))
                )
            ),
        )
    )
    return int(ahead or 0)


class HallQueue:
    """Services, windows and the calling at each window."""

    def __init__(
        self, session_factory: sessionmaker[Session], clock: Clock, township_code: str
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    # --- configuration ----------------------------------------------------------------

    def services(self) -> list[ServiceInfo]:
        with self._session_factory() as session:
            rows = session.scalars(
                select(HallService)
                .where(HallService.township_code == self._township_code, HallService.active)
                .order_by(HallService.sort_order, HallService.letter)
            )
            return [ServiceInfo(s.id, s.letter, s.name, s.purpose) for s in rows]

    def windows(self, *, include_closed: bool = False) -> list[WindowInfo]:
        """The open windows; with `include_closed`, the closed ones too (to reopen)."""
        today = local_day(self._clock.now())
        with self._session_factory() as session:
            query = select(HallWindow).where(HallWindow.township_code == self._township_code)
            if not include_closed:
                query = query.where(HallWindow.active)
            rows = session.scalars(query.order_by(HallWindow.number))
            return [
                WindowInfo(
                    w.id,
                    w.number,
                    w.name,
                    w.service_letters,
                    w.opens,
                    w.closes,
                    w.clerk if w.clerk_day == today else None,
                    w.active,
                )
                for w in rows
            ]

    def add_service(
        self, actor: Actor, letter: str, name: str, purpose: VisitPurpose, sort_order: int = 0
    ) -> uuid.UUID:
        actor.require(Permission.SETTINGS_MANAGE)
        letter = letter.strip().upper()
        if len(letter) != 1 or not ("A" <= letter <= "Z"):
            raise ValidationError(
                "服务代号应为一个英文字母（A–Z），现在是“{letter}”。", letter=letter
            )
        with self._session_factory.begin() as session:
            service = HallService(
                township_code=self._township_code,
                letter=letter,
                name=name.strip(),
                purpose=purpose,
                sort_order=sort_order,
            )
            session.add(service)
            session.flush()
            audit.record(
                session,
                self._clock,
                actor,
                "reception.service_add",
                target_type="hall_service",
                target_id=service.id,
                summary=f"{letter} {service.name}",
            )
            return service.id

    def add_window(
        self,
        actor: Actor,
        number: int,
        name: str,
        service_letters: str,
        opens: dt.time = dt.time(8, 30),
        closes: dt.time = dt.time(17, 0),
    ) -> uuid.UUID:
        actor.require(Permission.SETTINGS_MANAGE)
        letters = service_letters.strip().upper()
        if not 1 <= number <= 99:
            raise ValidationError("窗口号应在 1 到 99 之间，现在是 {number}。", number=number)
        if not letters or not letters.isalpha() or not letters.isascii():
            raise ValidationError("请为窗口选择至少一项服务。")
        if opens >= closes:
            raise ValidationError("窗口的开放时间应早于关闭时间。")
        with self._session_factory.begin() as session:
            known = set(
                session.scalars(
                    select(HallService.letter).where(
                        HallService.township_code == self._township_code
                    )
                )
            )
            missing = sorted(set(letters) - known)
            if missing:
                raise ValidationError("服务代号 {letters} 不存在。", letters="".join(missing))
            window = HallWindow(
                township_code=self._township_code,
                number=number,
                name=name.strip(),
                service_letters=letters,
                opens=opens,
                closes=closes,
            )
            session.add(window)
            session.flush()
            audit.record(
                session,
                self._clock,
                actor,
                "reception.window_add",
                target_type="hall_window",
                target_id=window.id,
                summary=f"{number} {window.name} {letters}",
            )
            return window.id

    def close_window(
        self, actor: Actor, window_id: uuid.UUID, *, for_break: bool = False
    ) -> ClosedWindow:
        """Close a window. Refused while it still has a called ticket. Tickets sent to this
        window go back to the service's common queue (another window of the service calls
        them). For good (end of day, a clerk called away) it is also refused while people
        wait for a service no other open window calls; for a break (午休) it closes and
        names them instead: they keep their place and their waiting time, and are called
        when a window of their service reopens."""
        actor.require(Permission.RECEPTION_REGISTER)
        day = local_day(self._clock.now())
        with self._session_factory.begin() as session:
            window = self._locked_window(session, window_id)
            current = session.scalar(
                select(QueueTicket.code).where(
                    QueueTicket.window_id == window.id,
                    QueueTicket.state.in_((TicketState.CALLED, TicketState.SERVING)),
                )
            )
            if current is not None:
                raise ConflictError(
                    "{window} 号窗口还有 {code} 号未办结，请先办结、过号或转移。",
                    window=window.number,
                    code=current,
                )
            others = set(
                "".join(
                    session.scalars(
                        select(HallWindow.service_letters).where(
                            HallWindow.township_code == self._township_code,
                            HallWindow.active,
                            HallWindow.id != window.id,
                        )
                    )
                )
            )
            stranded = session.execute(
                select(HallService.letter, HallService.name, func.count(QueueTicket.id))
                .join(QueueTicket, QueueTicket.service_id == HallService.id)
                .where(
                    QueueTicket.day == day,
                    QueueTicket.state == TicketState.WAITING,
                    HallService.township_code == self._township_code,
                    HallService.letter.in_(sorted(set(window.service_letters) - others)),
                )
                .group_by(HallService.letter, HallService.name)
            ).all()
            if stranded and not for_break:
                raise ConflictError(
                    "还有人在等候只有 {window} 号窗口办理的服务（{services}），请先转移或办结再关闭。",
                    window=window.number,
                    services="、".join(f"{letter} {name} {n} 人" for letter, name, n in stranded),
                )
            session.execute(
                update(QueueTicket)
                .where(
                    QueueTicket.target_window_id == window.id,
                    QueueTicket.state == TicketState.WAITING,
                )
                .values(target_window_id=None)
                .execution_options(synchronize_session=False)
            )
            window.active = False
            audit.record(
                session,
                self._clock,
                actor,
                "reception.window_close",
                target_type="hall_window",
                target_id=window.id,
                summary=f"{window.number} 号窗口" + ("（暂停）" if for_break else ""),
            )
            return ClosedWindow(
                window.number,
                sorted((letter, name, int(n)) for letter, name, n in stranded),
            )

    def open_window(self, actor: Actor, window_id: uuid.UUID) -> None:
        actor.require(Permission.RECEPTION_REGISTER)
        with self._session_factory.begin() as session:
            window = self._window(session, window_id)
            window.active = True
            audit.record(
                session,
                self._clock,
                actor,
                "reception.window_open",
                target_type="hall_window",
                target_id=window.id,
                summary=f"{window.number} 号窗口",
            )

    def sit_at(self, actor: Actor, window_id: uuid.UUID) -> None:
        """The clerk takes this window for today (窗口今日值守)."""
        actor.require(Permission.RECEPTION_REGISTER)
        with self._session_factory.begin() as session:
            window = self._window(session, window_id)
            window.clerk, window.clerk_day = actor.username, local_day(self._clock.now())
            audit.record(
                session,
                self._clock,
                actor,
                "reception.window_sit",
                target_type="hall_window",
                target_id=window.id,
                summary=f"{window.number} 号窗口",
            )

    # --- calling ----------------------------------------------------------------------

    def call_next(self, actor: Actor, window_id: uuid.UUID) -> TicketInfo | None:
        """Call the next ticket for this window: its services in their order, then
        priority (elderly, disabled, appointment), then waiting time. None when nobody
        waits. A window with a called or serving ticket finishes that one first."""
        actor.require(Permission.RECEPTION_REGISTER)
        for _attempt in range(CALL_ATTEMPTS):
            with self._session_factory.begin() as session:
                window = self._locked_window(session, window_id)
                if not window.active:
                    raise ConflictError(
                        "{window} 号窗口已关闭或暂停，请先恢复开放再叫号。", window=window.number
                    )
                current = session.scalar(
                    select(QueueTicket.code).where(
                        QueueTicket.window_id == window.id,
                        QueueTicket.state.in_((TicketState.CALLED, TicketState.SERVING)),
                    )
                )
                if current is not None:
                    raise ConflictError(
                        "{window} 号窗口还有 {code} 号未办结，请先办结、过号或转移。",
                        window=window.number,
                        code=current,
                    )
                now = self._clock.now()
                candidate = self._first_waiting(session, window, local_day(now))
                if candidate is None:
                    return None
                result = session.execute(
                    update(QueueTicket)
                    .where(QueueTicket.id == candidate, QueueTicket.state == TicketState.WAITING)
                    .values(
                        state=TicketState.CALLED,
                        window_id=window.id,
                        first_called_at=now,
                        last_called_at=now,
                        target_window_id=None,
                    )
                    .execution_options(synchronize_session=False)
                )
                if getattr(result, "rowcount", 0) != 1:
                    continue  # another window took it between our read and our write
                ticket = session.get_one(QueueTicket, candidate, populate_existing=True)
                self._step(session, actor, ticket, QueueAction.CALL, window, now)
                return self._info(session, ticket)
        raise ConflictError("叫号繁忙，请再按一次“叫下一位”。")

    def _first_waiting(
        self, session: Session, window: HallWindow, day: dt.date
    ) -> uuid.UUID | None:
        services = list(
            session.execute(
                select(HallService.letter, HallService.id).where(
                    HallService.township_code == self._township_code,
                    HallService.letter.in_(list(window.service_letters)),
                )
            )
        )
        if not services:
            return None
        rank = {letter: window.service_letters.index(letter) for letter, _ in services}
        order = case({sid: rank[letter] for letter, sid in services}, value=QueueTicket.service_id)
        query = (
            select(QueueTicket.id)
            .where(
                QueueTicket.day == day,
                QueueTicket.state == TicketState.WAITING,
                QueueTicket.service_id.in_([sid for _, sid in services]),
                (QueueTicket.target_window_id.is_(None))
                | (QueueTicket.target_window_id == window.id),
            )
            .order_by(order, QueueTicket.priority.desc(), QueueTicket.queued_at, QueueTicket.id)
            .limit(1)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return session.scalar(query)

    def recall(
        self, actor: Actor, ticket_id: uuid.UUID, *, at_window: uuid.UUID | None = None
    ) -> TicketInfo:
        """Call the same number again (重呼)."""
        return self._change(actor, ticket_id, QueueAction.RECALL, at_window=at_window)

    def start(
        self, actor: Actor, ticket_id: uuid.UUID, *, at_window: uuid.UUID | None = None
    ) -> TicketInfo:
        """The person came to the window: serving starts."""
        return self._change(actor, ticket_id, QueueAction.START, at_window=at_window)

    def served(
        self, actor: Actor, ticket_id: uuid.UUID, *, at_window: uuid.UUID | None = None
    ) -> TicketInfo:
        return self._change(actor, ticket_id, QueueAction.SERVED, at_window=at_window)

    def no_show(
        self, actor: Actor, ticket_id: uuid.UUID, *, at_window: uuid.UUID | None = None
    ) -> TicketInfo:
        """过号: allowed once the number was recalled RECALLS_BEFORE_NO_SHOW times."""
        return self._change(actor, ticket_id, QueueAction.NO_SHOW, at_window=at_window)

    def left(
        self, actor: Actor, ticket_id: uuid.UUID, *, at_window: uuid.UUID | None = None
    ) -> TicketInfo:
        """The person left before being served."""
        return self._change(actor, ticket_id, QueueAction.LEFT, at_window=at_window)

    def transfer(
        self,
        actor: Actor,
        ticket_id: uuid.UUID,
        *,
        service_id: uuid.UUID | None = None,
        window_id: uuid.UUID | None = None,
        at_window: uuid.UUID | None = None,
    ) -> TicketInfo:
        """Send the ticket to another service or window; it keeps its original place in
        time (queued_at), so the person does not queue again from the back."""
        if service_id is None and window_id is None:
            raise ValidationError("请选择转往的服务或窗口。")
        return self._change(
            actor,
            ticket_id,
            QueueAction.TRANSFER,
            service_id=service_id,
            window_id=window_id,
            at_window=at_window,
        )

    def _change(
        self,
        actor: Actor,
        ticket_id: uuid.UUID,
        action: QueueAction,
        *,
        service_id: uuid.UUID | None = None,
        window_id: uuid.UUID | None = None,
        at_window: uuid.UUID | None = None,
    ) -> TicketInfo:
        """One step on a ticket; `at_window`: the step is taken at that window, on the
        ticket it called (a window whose screen still shows a ticket another desk has
        moved on must not act on it)."""
        actor.require(Permission.RECEPTION_REGISTER)
        with self._session_factory.begin() as session:
            take_write_lock(session)
            ticket = session.scalar(
                select(QueueTicket)
                .where(
                    QueueTicket.id == ticket_id, QueueTicket.township_code == self._township_code
                )
                .with_for_update()
            )
            if ticket is None:
                raise NotFound("排队号不存在或不属于本中心。")
            if at_window is not None and ticket.window_id != at_window:
                raise ConflictError(
                    "{code} 号已不在 {window} 号窗口（其他窗口已转移或处理），请看刷新后的当前号。",
                    code=ticket.code,
                    window=self._window(session, at_window).number,
                )
            now = self._clock.now()
            state = ticket.state
            window = self._window(session, ticket.window_id) if ticket.window_id else None
            if action is QueueAction.RECALL:
                self._require(ticket, state is TicketState.CALLED, msg("重呼"))
                ticket.recalls += 1
                ticket.last_called_at = now
            elif action is QueueAction.START:
                self._require(ticket, state is TicketState.CALLED, msg("开始办理"))
                ticket.state, ticket.serving_at = TicketState.SERVING, now
            elif action is QueueAction.SERVED:
                self._require(ticket, state is TicketState.SERVING, msg("办结"))
                ticket.state, ticket.finished_at = TicketState.SERVED, now
            elif action is QueueAction.NO_SHOW:
                self._require(ticket, state is TicketState.CALLED, msg("过号"))
                if ticket.recalls < RECALLS_BEFORE_NO_SHOW:
                    raise InvalidTransition(
                        "{code} 号只重呼了 {recalls} 次，重呼 {needed} 次后才能过号。",
                        code=ticket.code,
                        recalls=ticket.recalls,
                        needed=RECALLS_BEFORE_NO_SHOW,
                    )
                ticket.state, ticket.finished_at = TicketState.NO_SHOW, now
            elif action is QueueAction.LEFT:
                self._require(
                    ticket, state in (TicketState.WAITING, TicketState.CALLED), msg("离开")
                )
                ticket.state, ticket.finished_at = TicketState.LEFT, now
            else:  # transfer
                self._require(ticket, state in OPEN_STATES, msg("转移"))
                if service_id is not None:
                    service = session.get(HallService, service_id)
                    if service is None or service.township_code != self._township_code:
                        raise NotFound("要转往的服务不存在。")
                    ticket.service_id = service.id
                if window_id is not None:
                    self._check_target(session, ticket, self._window(session, window_id))
                ticket.target_window_id = window_id
                ticket.state, ticket.window_id = TicketState.WAITING, None
                ticket.first_called_at = ticket.last_called_at = ticket.serving_at = None
                ticket.recalls = 0
            self._step(session, actor, ticket, action, window, now)
            return self._info(session, ticket)

    @staticmethod
    def _check_target(session: Session, ticket: QueueTicket, target: HallWindow) -> None:
        """A ticket is sent only to an open window that calls its service: anywhere else
        it would wait and never be called."""
        if not target.active:
            raise ValidationError("{window} 号窗口已关闭，请转往开放的窗口。", window=target.number)
        service = session.get_one(HallService, ticket.service_id)
        if service.letter not in target.service_letters:
            raise ValidationError(
                "{window} 号窗口不办理“{service}”，请转往办理该服务的窗口，或同时转服务。",
                window=target.number,
                service=service.name,
            )

    @staticmethod
    def _require(ticket: QueueTicket, allowed: bool, step: str) -> None:
        if not allowed:
            raise InvalidTransition(
                "{code} 号现在是“{state}”，不能{step}。",
                code=ticket.code,
                state=STATE_LABELS[ticket.state],
                step=step,
            )

    def _step(
        self,
        session: Session,
        actor: Actor,
        ticket: QueueTicket,
        action: QueueAction,
        window: HallWindow | None,
        now: dt.datetime,
    ) -> None:
        session.add(
            QueueEvent(
                ticket_id=ticket.id,
                day=ticket.day,
                at=now,
                action=action,
                window_id=window.id if window else None,
                username=actor.username,
            )
        )
        where = f" {window.number} 号窗口" if window else ""
        audit.record(
            session,
            self._clock,
            actor,
            f"reception.queue_{action.value}",
            target_type="queue_ticket",
            target_id=ticket.id,
            summary=f"{ticket.code}{where}",
        )

    def _locked_window(self, session: Session, window_id: uuid.UUID) -> HallWindow:
        """The window, locked until the transaction ends: a second desk calling at the
        same window, or closing it, waits for this one and then sees what it did (on
        SQLite, whose reads take no row locks, the one write lock is taken up front)."""
        take_write_lock(session)
        window = session.scalar(
            select(HallWindow)
            .where(HallWindow.id == window_id, HallWindow.township_code == self._township_code)
            .with_for_update()
        )
        if window is None:
            raise NotFound("窗口不存在或不属于本中心。")
        return window

    def _window(self, session: Session, window_id: uuid.UUID) -> HallWindow:
        window = session.get(HallWindow, window_id)
        if window is None or window.township_code != self._township_code:
            raise NotFound("窗口不存在或不属于本中心。")
        return window

    def _info(self, session: Session, ticket: QueueTicket) -> TicketInfo:
        service = session.get_one(HallService, ticket.service_id)
        window = session.get(HallWindow, ticket.window_id) if ticket.window_id else None
        ahead = people_ahead(session, ticket) if ticket.state is TicketState.WAITING else 0
        return TicketInfo(
            ticket.id,
            ticket.visit_id,
            ticket.code,
            service.letter,
            service.name,
            ticket.state,
            ticket.priority,
            ticket.issued_at,
            ticket.queued_at,
            window.number if window else None,
            ticket.recalls,
            ahead,
        )

    # --- reading ----------------------------------------------------------------------

    def ticket(self, ticket_id: uuid.UUID) -> TicketInfo:
        with self._session_factory() as session:
            ticket = session.get(QueueTicket, ticket_id)
            if ticket is None or ticket.township_code != self._township_code:
                raise NotFound("排队号不存在或不属于本中心。")
            return self._info(session, ticket)

    def slip(self, visit_id: uuid.UUID, centre_name: str) -> TicketSlip:
        """What the printed ticket of this visit says (people ahead counted now)."""
        with self._session_factory() as session:
            ticket = session.scalar(
                select(QueueTicket).where(
                    QueueTicket.visit_id == visit_id,
                    QueueTicket.township_code == self._township_code,
                )
            )
            if ticket is None:
                raise NotFound("排队号不存在或不属于本中心。")
            info = self._info(session, ticket)
        return TicketSlip(
            centre_name, info.code, info.service_name, info.issued_at, info.people_ahead, visit_id
        )

    def current(self, window_id: uuid.UUID) -> TicketInfo | None:
        """The ticket this window has called or is serving."""
        with self._session_factory() as session:
            ticket = session.scalar(
                select(QueueTicket).where(
                    QueueTicket.window_id == window_id,
                    QueueTicket.state.in_((TicketState.CALLED, TicketState.SERVING)),
                )
            )
            return self._info(session, ticket) if ticket else None

    def waiting(self, service_letters: Sequence[str] | None = None) -> list[TicketInfo]:
        day = local_day(self._clock.now())
        with self._session_factory() as session:
            query = (
                select(QueueTicket)
                .join(HallService, HallService.id == QueueTicket.service_id)
                .where(
                    QueueTicket.township_code == self._township_code,
                    QueueTicket.day == day,
                    QueueTicket.state == TicketState.WAITING,
                )
                .order_by(
                    HallService.sort_order,
                    QueueTicket.priority.desc(),
                    QueueTicket.queued_at,
                    QueueTicket.id,
                )
            )
            if service_letters:
                query = query.where(HallService.letter.in_(list(service_letters)))
            return [self._info(session, t) for t in session.scalars(query)]

    def board(self, last: int = 6) -> HallBoard:
        """What the hall display shows: each window's number being served, the last calls,
        people waiting per service."""
        day = local_day(self._clock.now())
        with self._session_factory() as session:
            windows = list(
                session.scalars(
                    select(HallWindow)
                    .where(HallWindow.township_code == self._township_code, HallWindow.active)
                    .order_by(HallWindow.number)
                )
            )
            serving = {
                window_id: code
                for window_id, code in session.execute(
                    select(QueueTicket.window_id, QueueTicket.code).where(
                        QueueTicket.day == day,
                        QueueTicket.state.in_((TicketState.CALLED, TicketState.SERVING)),
                    )
                )
            }
            calls = session.execute(
                select(QueueTicket.code, HallWindow.number, QueueEvent.at, QueueEvent.action)
                .join(QueueTicket, QueueTicket.id == QueueEvent.ticket_id)
                .join(HallWindow, HallWindow.id == QueueEvent.window_id)
                .where(
                    QueueEvent.day == day,
                    QueueEvent.action.in_((QueueAction.CALL, QueueAction.RECALL)),
                    HallWindow.township_code == self._township_code,
                )
                .order_by(QueueEvent.at.desc(), QueueEvent.id.desc())
                .limit(last)
            ).all()
            waiting = session.execute(
                select(HallService.letter, HallService.name, func.count(QueueTicket.id))
                .outerjoin(
                    QueueTicket,
                    (QueueTicket.service_id == HallService.id)
                    & (QueueTicket.day == day)
                    & (QueueTicket.state == TicketState.WAITING),
                )
                .where(HallService.township_code == self._township_code, HallService.active)
                .group_by(HallService.letter, HallService.name, HallService.sort_order)
                .order_by(HallService.sort_order, HallService.letter)
            ).all()
        return HallBoard(
            serving=[(w.number, w.name, serving.get(w.id, "")) for w in windows],
            last_calls=[
                CallShown(code, number, at, action is QueueAction.RECALL)
                for code, number, at, action in calls
            ],
            waiting=[(letter, name, int(n)) for letter, name, n in waiting],
        )
