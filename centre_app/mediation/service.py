"""Mediation cases and their sessions: one service call per clerk's action, one
transaction, one audit entry.

Every booking, move and resize runs the same check (`_clashes`): the room (with its buffer),
each mediator and each party must be free, the room open (working-day calendar, closures),
the mediators available and the room large enough. Overlaps always refuse; the soft rules
refuse or warn as the centre's `RulePolicy` says. The check and the write share one
transaction that holds the database's write lock on SQLite (BEGIN IMMEDIATE); on PostgreSQL
the booking table's exclusion constraint refuses the second of two desks booking the same
slot at once, and the refusal names the booking that won.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import datetime as dt
import decimal
import hashlib
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import LOCAL_TZ, Clock, to_local
from centre_app.errors import ConflictError, NotFound, ValidationError, msg
from centre_app.mediation.rules import (
    MAX_SPAN,
    Clash,
    RulePolicy,
    Slot,
    availability_clash,
    capacity_clash,
    hm,
    hours_clashes,
    policy_mode,
    validate_slot,
)
from centre_app.mediation.workflow import OUTCOME_ACTIONS, OUTCOMES, CaseAction, next_state
from centre_app.mediation.working_days import WorkingDays
from centre_app.reception.id_numbers import mask_id_number, validate_id_number
from centre_app.security import audit
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from centre_app.settings import Key
from db.locks import take_write_lock
from db.models.mediation import (
    Booking,
    CaseEvent,
    CaseParty,
    CaseState,
    Closure,
    MediationCase,
    MediationSession,
    Selection,
    SessionStatus,
    WorkingDayCorrection,
)
from db.models.mediation_ref import Mediator, Room
from db.models.settings import Setting

_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
MAX_AMOUNT = decimal.Decimal("1000000000")
PARTY_ROLES = ("申请人", "被申请人", "第三人")


@dataclass(frozen=True)
class PartyDraft:
    name: str
    role: str = "申请人"
    phone: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class CaseDraft:
    category: str
    parties: Sequence[PartyDraft]
    selection: Selection = Selection.APPOINTMENT
    title: str = ""
    amount: str = ""
    summary: str = ""
    incident_id: uuid.UUID | None = None
    visit_id: uuid.UUID | None = None


@dataclass(frozen=True)
class SessionDraft:
    """A session to book: a case's (or a duty slot's when `case_id` is None)."""

    room_id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    mediator_ids: Sequence[uuid.UUID] = ()
    case_id: uuid.UUID | None = None
    title: str = ""
    # The case's parties that attend (person keys); None: all of them.
    party_keys: Sequence[str] | None = None


@dataclass(frozen=True)
class BookingResult:
    session_id: uuid.UUID
    warnings: tuple[Clash, ...] = ()


class NeedsConfirmation(ConflictError):
    """Only warnings stand in the way: the clerk may confirm and book anyway."""

    def __init__(self, warnings: Sequence[Clash], template: str, /, **params: object) -> None:
        super().__init__(template, **params)
        self.warnings = tuple(warnings)


_Work = Callable[[Session], BookingResult]


@dataclass(frozen=True)
class SessionView:
    id: uuid.UUID
    case_id: uuid.UUID | None
    title: str
    room_id: uuid.UUID
    room_name: str
    mediator_ids: tuple[uuid.UUID, ...]
    mediator_names: tuple[str, ...]
    party_names: tuple[str, ...]
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: SessionStatus
    cancel_reason: str | None
    series_id: uuid.UUID | None
    detached: bool


@dataclass(frozen=True)
class PartyView:
    name: str
    role: str
    phone: str  # masked unless the viewer may see personal data
    id_number: str
    person_key: str


@dataclass(frozen=True)
class CaseView:
    id: uuid.UUID
    case_no: str
    title: str
    category: str
    amount: decimal.Decimal | None
    selection: Selection
    state: CaseState
    accepted_at: dt.datetime
    outcome_at: dt.datetime | None
    agreement_text: str | None
    agreed_amount: decimal.Decimal | None
    parties: tuple[PartyView, ...]
    sessions: tuple[SessionView, ...] = ()
    history: tuple[tuple[dt.datetime, str, str, str], ...] = field(default=())


def party_phone_ok(phone: str) -> bool:
    """Whether a party's phone is one the case accepts (a mobile or a landline)."""
    return bool(_PHONE.match(phone))


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) >= 8 else "****"


def clean_text(value: str, what: str, limit: int, *, required: bool = True) -> str:
    """Text typed by a clerk: NFKC (full-width digits become ASCII), trimmed, no control
    characters or lone surrogates, at most `limit` characters."""
    text_ = unicodedata.normalize("NFKC", value).strip()
    if _CONTROL.search(text_.replace("\n", "").replace("\t", "")):
        raise ValidationError("{what}含有不可见的控制字符，请重新输入", what=what)
    if required and not text_:
        raise ValidationError("请填写{what}", what=what)
    if len(text_) > limit:
        raise ValidationError("{what}不能超过 {limit} 个字", what=what, limit=limit)
    return text_


def parse_amount(raw: str, what: str = msg("争议金额")) -> decimal.Decimal | None:
    cleaned = unicodedata.normalize("NFKC", raw).replace(",", "").replace("元", "").strip()
    if not cleaned:
        return None
    try:
        amount = decimal.Decimal(cleaned)
    except decimal.InvalidOperation:
        raise ValidationError("{what}“{raw}”不是数字", what=what, raw=raw[:20]) from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise ValidationError("{what}应在 0 到 10 亿元之间", what=what)
    return amount.quantize(decimal.Decimal("0.01"))


class MediationService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        township_code: str,
        policy: RulePolicy | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code
        self._policy = policy  # None: the centre's setting, read at every check

    @property
    def policy(self) -> RulePolicy:
        """What the soft rules do: fixed when given, else the centre head's setting
        (Key.MEDIATION_SOFT_RULES: refuse, or warn and let the clerk confirm)."""
        if self._policy is not None:
            return self._policy
        with self._session_factory() as session:
            return self._policy_in(session)

    @policy.setter
    def policy(self, value: RulePolicy | None) -> None:
        self._policy = value

    def _policy_in(self, session: Session) -> RulePolicy:
        if self._policy is not None:
            return self._policy
        row = session.get(Setting, Key.MEDIATION_SOFT_RULES.value.key)
        mode = policy_mode(row.value if row is not None else Key.MEDIATION_SOFT_RULES.value.default)
        return RulePolicy(hours=mode, availability=mode)

    # --- transactions -------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Session]:
        """A transaction whose first statement takes SQLite's write lock, so the check and
        the write of a booking cannot interleave with another desk's."""
        with self._session_factory.begin() as session:
            take_write_lock(session)
            yield session

    # --- cases --------------------------------------------------------------------------

    def open_case(
        self, actor: Actor, draft: CaseDraft, *, at: dt.datetime | None = None
    ) -> uuid.UUID:
        """Accept a dispute (受理): parties validated, a case number of the year."""
        with self._writing() as session:
            return self.open_case_in(session, actor, draft, at=at)

    def open_case_in(
        self, session: Session, actor: Actor, draft: CaseDraft, *, at: dt.datetime | None = None
    ) -> uuid.UUID:
        """`open_case` inside the caller's transaction (a visit that starts a case and
        records the link in the same commit)."""
        actor.require(Permission.MEDIATION_BOOK)
        accepted_at = at or self._clock.now()
        category = clean_text(draft.category, msg("纠纷类别"), 32)
        if not draft.parties:
            raise ValidationError("请至少填写一方当事人")
        if len(draft.parties) > 50:
            raise ValidationError("当事人不能超过 {limit} 人，集体纠纷请登记代表", limit=50)
        amount = parse_amount(draft.amount)
        summary = clean_text(draft.summary, msg("纠纷概要"), 4000, required=False)
        today = to_local(accepted_at).date()
        parties = [self._party(p, today) for p in draft.parties]
        title = clean_text(draft.title, msg("案件名称"), 128, required=False) or default_title(
            [(p.name, p.role) for p in parties], category
        )
        case = MediationCase(
            township_code=self._township_code,
            case_no=self._next_case_no(session, accepted_at),
            title=title[:128],
            category=category,
            amount=amount,
            summary=summary,
            incident_id=draft.incident_id,
            visit_id=draft.visit_id,
            selection=draft.selection,
            state=CaseState.ACCEPTED,
            accepted_at=accepted_at,
            created_by=actor.username,
        )
        session.add(case)
        session.flush()
        for position, party in enumerate(parties):
            party.case_id, party.position = case.id, position
            if not party.person_key:
                party.person_key = f"case:{case.id}:{party.name}"[:64]
            session.add(party)
        session.add(
            CaseEvent(
                case_id=case.id,
                at=accepted_at,
                action="accept",
                from_state=None,
                to_state=CaseState.ACCEPTED.value,
                actor=actor.username,
                note="",
            )
        )
        audit.record(
            session,
            self._clock,
            actor,
            "mediation.accept",
            target_type="mediation_case",
            target_id=case.id,
            summary=f"{case.case_no} {title}",
            at=at,
        )
        return case.id

    def _party(self, draft: PartyDraft, today: dt.date) -> CaseParty:
        name = clean_text(draft.name, msg("当事人姓名"), 32)
        role = draft.role if draft.role in PARTY_ROLES else "申请人"
        phone = unicodedata.normalize("NFKC", draft.phone).replace(" ", "").replace("-", "")
        if phone and not _PHONE.match(phone):
            raise ValidationError(
                "当事人 {name} 的电话“{phone}”应为 11 位手机号或带区号的固定电话",
                name=name,
                phone=phone[:20],
            )
        id_number = (
            validate_id_number(draft.id_number, today=today) if draft.id_number.strip() else None
        )
        key = ""
        if id_number:
            key = "id:" + hashlib.sha256(id_number.encode()).hexdigest()[:40]
        elif phone:
            key = "tel:" + hashlib.sha256(phone.encode()).hexdigest()[:40]
        return CaseParty(
            name=name, role=role, phone=phone or None, id_number=id_number, person_key=key
        )

    def _next_case_no(self, session: Session, at: dt.datetime) -> str:
        year = to_local(at).year
        prefix = f"{self._township_code}-T{year}-"
        last = session.scalar(
            select(func.max(MediationCase.case_no)).where(
                MediationCase.township_code == self._township_code,
                MediationCase.case_no.startswith(prefix),
            )
        )
        sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        return f"{prefix}{sequence:05d}"

    def case(self, actor: Actor, case_id: uuid.UUID) -> CaseView:
        """The case page: parties (contact data masked unless allowed), sessions, history."""
        actor.require(Permission.MEDIATION_VIEW)
        unmasked = actor.can(Permission.PERSONAL_DATA_VIEW)
        with self._session_factory.begin() as session:
            case = session.get(MediationCase, case_id)
            if case is None:
                raise NotFound("调解案件不存在（可能已被删除）")
            parties = session.scalars(
                select(CaseParty).where(CaseParty.case_id == case_id).order_by(CaseParty.position)
            ).all()
            sessions = session.scalars(
                select(MediationSession)
                .where(MediationSession.case_id == case_id)
                .order_by(MediationSession.starts_at)
            ).all()
            events = session.scalars(
                select(CaseEvent)
                .where(CaseEvent.case_id == case_id)
                .order_by(CaseEvent.at, CaseEvent.id)
            ).all()
            if unmasked and any(p.phone or p.id_number for p in parties):
                audit.record(
                    session,
                    self._clock,
                    actor,
                    "personal_data.view",
                    target_type="mediation_case",
                    target_id=case_id,
                    summary=f"查看调解案件 {case.case_no} 当事人联系方式",
                )
            return CaseView(
                case.id,
                case.case_no,
                case.title,
                case.category,
                case.amount,
                case.selection,
                case.state,
                case.accepted_at,
                case.outcome_at,
                case.agreement_text,
                case.agreed_amount,
                tuple(
                    PartyView(
                        p.name,
                        p.role,
                        (p.phone or "") if unmasked else mask_phone(p.phone),
                        (p.id_number or "") if unmasked else mask_id_number(p.id_number or ""),
                        p.person_key,
                    )
                    for p in parties
                ),
                tuple(_views(session, sessions)),
                tuple((e.at, e.action, e.to_state, e.actor) for e in events),
            )

    def record_outcome(
        self,
        actor: Actor,
        case_id: uuid.UUID,
        outcome: CaseState,
        *,
        agreement_text: str = "",
        agreed_amount: str = "",
        note: str = "",
        at: dt.datetime | None = None,
    ) -> CaseState:
        """调解成功 (needs the agreement), 调解不成, 转诉讼, 申请司法确认 or 撤回."""
        actor.require(Permission.MEDIATION_BOOK)
        action = OUTCOME_ACTIONS.get(outcome)
        if action is None:
            raise ValidationError("请选择调解结果")
        agreement = clean_text(agreement_text, msg("调解协议内容"), 20000, required=False)
        amount = parse_amount(agreed_amount, msg("协议金额"))
        note_ = clean_text(note, msg("说明"), 2000, required=False)
        when = at or self._clock.now()
        with self._writing() as session:
            case = session.get(MediationCase, case_id)
            if case is None:
                raise NotFound("调解案件不存在（可能已被删除）")
            target = next_state(case.case_no, case.state, action)
            if action is CaseAction.SUCCEED:
                if not agreement:
                    raise ValidationError("调解成功须填写调解协议内容")
                if not self._held_any(session, case_id):
                    raise ValidationError(
                        "案件 {case_no} 还没有已举行的调解，不能记录调解成功", case_no=case.case_no
                    )
            if action is CaseAction.FAIL and not self._held_any(session, case_id):
                raise ValidationError(
                    "案件 {case_no} 还没有已举行的调解，不能记录调解不成", case_no=case.case_no
                )
            if action is CaseAction.WITHDRAW:  # sessions ahead free their rooms
                for planned in session.scalars(
                    select(MediationSession).where(
                        MediationSession.case_id == case_id,
                        MediationSession.status == SessionStatus.PLANNED,
                    )
                ):
                    planned.status, planned.cancel_reason = SessionStatus.CANCELLED, "案件撤回"
                    session.execute(delete(Booking).where(Booking.session_id == planned.id))
            previous = case.state
            case.state = target
            if target in OUTCOMES and action is not CaseAction.CONFIRM:
                case.outcome_at = when
            if action is CaseAction.SUCCEED:
                case.agreement_text, case.agreed_amount = agreement, amount
            session.add(
                CaseEvent(
                    case_id=case.id,
                    at=when,
                    action=action.value,
                    from_state=previous.value,
                    to_state=target.value,
                    actor=actor.username,
                    note=note_,
                )
            )
            audit.record(
                session,
                self._clock,
                actor,
                f"mediation.{action.value}",
                target_type="mediation_case",
                target_id=case.id,
                summary=f"{case.case_no} → {target.value}",
                at=at,
            )
            return target

    @staticmethod
    def _held_any(session: Session, case_id: uuid.UUID) -> bool:
        return (
            session.scalar(
                select(func.count())
                .select_from(MediationSession)
                .where(
                    MediationSession.case_id == case_id,
                    MediationSession.status == SessionStatus.HELD,
                )
            )
            != 0
        )

    # --- sessions -----------------------------------------------------------------------

    def check(self, draft: SessionDraft, *, moving: uuid.UUID | None = None) -> list[Clash]:
        """Every reason the session could not be booked as drafted (a preview for forms,
        drags and series); nothing is written."""
        slot = validate_slot(draft.starts_at, draft.ends_at)
        with self._session_factory() as session:
            plan = self._plan(session, draft, slot)
            return self._clashes(session, plan, moving)

    def check_many(self, drafts: Sequence[SessionDraft]) -> list[list[Clash]]:
        """`check` for many slots of one room, mediators and case (a series): the rules
        and the bookings of the whole span are read once, each slot checked in memory."""
        if not drafts:
            return []
        slots = [validate_slot(d.starts_at, d.ends_at) for d in drafts]
        with self._session_factory() as session:
            base = self._plan(session, drafts[0], slots[0])
            days = [slot.local_day for slot in slots]
            closures = [
                (c.first_day, c.last_day, c.reason)
                for c in session.scalars(
                    select(Closure).where(
                        or_(Closure.room_id.is_(None), Closure.room_id == base.room.id),
                        Closure.first_day <= max(days),
                        Closure.last_day >= min(days),
                    )
                )
            ]
            calendar = self.working_days(session)
            policy = self._policy_in(session)
            keys = [resource for resource, _name, _from, _until in base.resources()]
            before = dt.timedelta(minutes=base.room.buffer_before_minutes)
            after = dt.timedelta(minutes=base.room.buffer_minutes)
            query = (
                select(
                    Booking.resource,
                    Booking.starts_at,
                    Booking.ends_at,
                    MediationSession.id,
                    MediationSession.title,
                    MediationSession.starts_at,
                    MediationSession.ends_at,
                    MediationSession.buffer_minutes,
                    MediationSession.buffer_before_minutes,
                    Room.name,
                )
                .join(MediationSession, MediationSession.id == Booking.session_id)
                .join(Room, Room.id == MediationSession.room_id)
                .where(
                    Booking.resource.in_(keys),
                    Booking.starts_at > min(s.starts_at for s in slots) - before - MAX_SPAN,
                    Booking.starts_at < max(s.ends_at for s in slots) + after,
                )
                .order_by(Booking.starts_at)
            )
            held: dict[str, list[tuple[dt.datetime, dt.datetime, _Other, str]]] = {}
            for row in session.execute(query):
                resource, b_start, b_end, sid, title, s_start, s_end, s_buf, s_pre, room = row
                held.setdefault(resource, []).append(
                    (b_start, b_end, _Other(sid, title, s_start, s_end, s_buf, s_pre), room)
                )
        result = []
        starts_of: dict[str, list[dt.datetime]] = {}
        for slot, day in zip(slots, days, strict=True):
            plan = dataclasses.replace(
                base, slot=slot, closures=[c for c in closures if c[0] <= day <= c[1]]
            )
            rows = []
            for resource, _name, since, until in plan.resources():
                spans = held.get(resource, [])
                starts = starts_of.setdefault(resource, [b[0] for b in spans])
                first = bisect.bisect_right(starts, since - MAX_SPAN)
                last = bisect.bisect_left(starts, until)
                rows += [
                    (resource, other, room)
                    for _b, b_end, other, room in spans[first:last]
                    if b_end > since
                ]
            found = name_clashes(plan, rows)
            found += hours_clashes(
                plan.room.name, slot, plan.room.opening_hours, calendar, plan.closures, policy
            )
            for m in plan.mediators:
                clash = availability_clash(m.name, slot, m.availability, policy)
                if clash is not None:
                    found.append(clash)
            clash = capacity_clash(
                plan.room.name,
                plan.room.capacity,
                len(plan.party_keys) + len(plan.mediators),
                policy,
            )
            if clash is not None:
                found.append(clash)
            result.append(found)
        return result

    def book(
        self,
        actor: Actor,
        draft: SessionDraft,
        *,
        accept_warnings: bool = False,
        selection: Selection | None = None,
    ) -> BookingResult:
        """Book a session; refused (ConflictError naming the clash) when anything blocks.
        Warnings (soft rules the centre lets pass) need `accept_warnings`. `selection`
        records, in the same transaction, how the case's mediator was chosen (a party
        picking from the mediator menu books with `Selection.MENU`)."""
        actor.require(Permission.MEDIATION_BOOK)
        slot = validate_slot(draft.starts_at, draft.ends_at)
        if selection is not None and draft.case_id is None:
            raise ValidationError("从调解菜单选择调解员须先选定调解案件")
        return self._write_guarded(
            lambda session: self._book_in(
                session, actor, draft, slot, accept_warnings, selection=selection
            ),
            draft,
            slot,
            None,
        )

    def _book_in(
        self,
        session: Session,
        actor: Actor,
        draft: SessionDraft,
        slot: Slot,
        accept_warnings: bool,
        *,
        series_id: uuid.UUID | None = None,
        occurrence: str | None = None,
        selection: Selection | None = None,
    ) -> BookingResult:
        plan = self._plan(session, draft, slot)
        warnings = self._refuse_or_warn(self._clashes(session, plan, None), accept_warnings)
        if selection is not None and plan.case is not None:
            plan.case.selection = selection
        row = MediationSession(
            case_id=draft.case_id,
            series_id=series_id,
            occurrence=occurrence,
            title=plan.title,
            room_id=plan.room.id,
            mediator_ids=[str(m.id) for m in plan.mediators],
            party_keys=list(plan.party_keys),
            party_names=list(plan.party_names),
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            buffer_minutes=plan.room.buffer_minutes,
            buffer_before_minutes=plan.room.buffer_before_minutes,
            status=SessionStatus.PLANNED,
            booked_by=actor.username,
        )
        session.add(row)
        session.flush()
        write_bookings(session, row)
        if plan.case is not None:
            previous = plan.case.state
            plan.case.state = next_state(plan.case.case_no, previous, CaseAction.BOOK)
            if previous is not plan.case.state:
                session.add(
                    CaseEvent(
                        case_id=plan.case.id,
                        at=self._clock.now(),
                        action=CaseAction.BOOK.value,
                        from_state=previous.value,
                        to_state=plan.case.state.value,
                        actor=actor.username,
                        note="",
                    )
                )
        audit.record(
            session,
            self._clock,
            actor,
            "mediation.book",
            target_type="mediation_session",
            target_id=row.id,
            summary=_describe(plan.title, plan.room.name, slot),
        )
        return BookingResult(row.id, tuple(warnings))

    def move(
        self,
        actor: Actor,
        session_id: uuid.UUID,
        *,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        room_id: uuid.UUID | None = None,
        mediator_ids: Sequence[uuid.UUID] | None = None,
        accept_warnings: bool = False,
    ) -> BookingResult:
        """Move or resize a planned session (also to another room); the same check as a
        booking, the session itself left out."""
        actor.require(Permission.MEDIATION_BOOK)
        slot = validate_slot(starts_at, ends_at)
        with self._session_factory() as session:
            current = session.get(MediationSession, session_id)
            if current is None:
                raise NotFound("调解安排不存在（可能已被删除）")
            draft = SessionDraft(
                room_id or current.room_id,
                slot.starts_at,
                slot.ends_at,
                [uuid.UUID(m) for m in current.mediator_ids]
                if mediator_ids is None
                else mediator_ids,
                current.case_id,
                current.title,
                current.party_keys,
            )

        def apply(session: Session) -> BookingResult:
            row = session.get(MediationSession, session_id)
            if row is None:
                raise NotFound("调解安排不存在（可能已被删除）")
            if row.status is not SessionStatus.PLANNED:
                raise ValidationError(
                    "这场调解已是“{status}”，不能再调整时间", status=STATUS_LABELS[row.status]
                )
            plan = self._plan(session, draft, slot)
            warnings = self._refuse_or_warn(
                self._clashes(session, plan, session_id), accept_warnings
            )
            before = _describe(row.title, plan.room.name, Slot(row.starts_at, row.ends_at))
            row.room_id, row.starts_at, row.ends_at = plan.room.id, slot.starts_at, slot.ends_at
            row.mediator_ids = [str(m.id) for m in plan.mediators]
            row.buffer_minutes = plan.room.buffer_minutes
            row.buffer_before_minutes = plan.room.buffer_before_minutes
            if row.series_id is not None:
                row.detached = True
            session.execute(delete(Booking).where(Booking.session_id == row.id))
            session.flush()
            write_bookings(session, row)
            audit.record(
                session,
                self._clock,
                actor,
                "mediation.move",
                target_type="mediation_session",
                target_id=row.id,
                summary=f"{before} → {_describe(row.title, plan.room.name, slot)}",
            )
            return BookingResult(row.id, tuple(warnings))

        return self._write_guarded(apply, draft, slot, session_id)

    def set_status(
        self, actor: Actor, session_id: uuid.UUID, status: SessionStatus, *, reason: str = ""
    ) -> None:
        """Held, no-show or cancelled (with a reason); a cancelled session frees its slot."""
        actor.require(Permission.MEDIATION_BOOK)
        why = clean_text(reason, msg("取消原因"), 500, required=status is SessionStatus.CANCELLED)
        with self._writing() as session:
            row = session.get(MediationSession, session_id)
            if row is None:
                raise NotFound("调解安排不存在（可能已被删除）")
            if row.status is not SessionStatus.PLANNED:
                raise ValidationError(
                    "这场调解已是“{status}”，不能再改为“{target}”",
                    status=STATUS_LABELS[row.status],
                    target=STATUS_LABELS[status],
                )
            if (
                status in (SessionStatus.HELD, SessionStatus.NO_SHOW)
                and row.starts_at > self._clock.now()
            ):
                raise ValidationError(
                    "这场调解 {start} 才开始，还不能登记为“{target}”",
                    start=to_local(row.starts_at).strftime("%m-%d %H:%M"),
                    target=STATUS_LABELS[status],
                )
            row.status = status
            if status is SessionStatus.CANCELLED:
                row.cancel_reason = why
                session.execute(delete(Booking).where(Booking.session_id == row.id))
            audit.record(
                session,
                self._clock,
                actor,
                f"mediation.session_{status.value}",
                target_type="mediation_session",
                target_id=row.id,
                summary=f"{row.title} {STATUS_LABELS[status]} {why}".strip(),
            )

    def sessions_between(
        self,
        actor: Actor,
        start: dt.datetime,
        end: dt.datetime,
        *,
        room_ids: Sequence[uuid.UUID] | None = None,
        mediator_id: uuid.UUID | None = None,
        include_cancelled: bool = False,
    ) -> list[SessionView]:
        """A window of the calendar (never the whole table): sessions starting in
        [start, end), by room or by mediator."""
        actor.require(Permission.MEDIATION_VIEW)
        query = select(MediationSession).where(
            MediationSession.starts_at >= start, MediationSession.starts_at < end
        )
        if room_ids is not None:
            query = query.where(MediationSession.room_id.in_(list(room_ids)))
        if mediator_id is not None:
            query = query.where(
                MediationSession.id.in_(
                    select(Booking.session_id).where(
                        Booking.resource == f"mediator:{mediator_id}",
                        Booking.starts_at >= start,
                        Booking.starts_at < end,
                    )
                )
            )
        if not include_cancelled:
            query = query.where(MediationSession.status != SessionStatus.CANCELLED)
        with self._session_factory() as session:
            rows = session.scalars(query.order_by(MediationSession.starts_at)).all()
            return _views(session, rows)

    def rooms(self) -> list[Room]:
        with self._session_factory() as session:
            return list(session.scalars(select(Room).where(Room.active).order_by(Room.name)))

    def mediators(self, *, active_only: bool = True) -> list[Mediator]:
        with self._session_factory() as session:
            query = select(Mediator).order_by(Mediator.name)
            if active_only:
                query = query.where(Mediator.active)
            return list(session.scalars(query))

    # --- reference rules ----------------------------------------------------------------

    def set_working_day(self, actor: Actor, day: dt.date, working: bool, note: str = "") -> None:
        """The centre head corrects the official calendar for one day."""
        actor.require(Permission.MEDIATION_MANAGE)
        why = clean_text(note, msg("说明"), 64, required=False)
        with self._writing() as session:
            row = session.scalar(
                select(WorkingDayCorrection).where(WorkingDayCorrection.day == day)
            )
            if row is None:
                session.add(WorkingDayCorrection(day=day, working=working, note=why))
            else:
                row.working, row.note = working, why
            audit.record(
                session,
                self._clock,
                actor,
                "mediation.working_day",
                summary=f"{day.isoformat()} {'上班' if working else '休息'} {why}",
            )

    def add_closure(
        self,
        actor: Actor,
        first_day: dt.date,
        last_day: dt.date,
        reason: str,
        room_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        actor.require(Permission.MEDIATION_MANAGE)
        why = clean_text(reason, msg("暂停原因"), 128)
        if last_day < first_day:
            raise ValidationError(
                "暂停结束日期 {last} 早于开始日期 {first}",
                first=first_day.isoformat(),
                last=last_day.isoformat(),
            )
        with self._writing() as session:
            closure = Closure(room_id=room_id, first_day=first_day, last_day=last_day, reason=why)
            session.add(closure)
            session.flush()
            audit.record(
                session,
                self._clock,
                actor,
                "mediation.closure",
                target_type="mediation_room",
                target_id=room_id,
                summary=f"{first_day}–{last_day} {why}",
            )
            return closure.id

    def set_mediator_active(self, actor: Actor, mediator_id: uuid.UUID, active: bool) -> None:
        """Deactivating a mediator with sessions ahead is refused, naming how many."""
        actor.require(Permission.MEDIATION_MANAGE)
        with self._writing() as session:
            mediator = session.get(Mediator, mediator_id)
            if mediator is None:
                raise NotFound("调解员不存在")
            if not active:
                ahead = session.scalar(
                    select(func.count())
                    .select_from(Booking)
                    .where(
                        Booking.resource == f"mediator:{mediator_id}",
                        Booking.ends_at > self._clock.now(),
                    )
                )
                if ahead:
                    raise ConflictError(
                        "调解员 {name} 还有 {count} 场未开始的调解，请先改派或取消",
                        name=mediator.name,
                        count=ahead,
                    )
            mediator.active = active
            audit.record(
                session,
                self._clock,
                actor,
                "mediation.mediator_active",
                target_type="mediator",
                target_id=mediator.id,
                summary=f"{mediator.name} {'启用' if active else '停用'}",
            )

    def working_days(self, session: Session | None = None) -> WorkingDays:
        if session is not None:
            return WorkingDays.of_centre(session)
        with self._session_factory() as s:
            return WorkingDays.of_centre(s)

    # --- the check ----------------------------------------------------------------------

    def _plan(self, session: Session, draft: SessionDraft, slot: Slot) -> _Plan:
        room = session.get(Room, draft.room_id)
        if room is None or not room.active:
            raise ValidationError("所选调解室不存在或已停用")
        ids = list(dict.fromkeys(draft.mediator_ids))
        mediators = [session.get(Mediator, m) for m in ids]
        if any(m is None for m in mediators):
            raise ValidationError("所选调解员不存在")
        chosen = [m for m in mediators if m is not None]
        for m in chosen:
            if not m.active:
                raise ValidationError("调解员 {name} 已停用，不能安排调解", name=m.name)
        case = session.get(MediationCase, draft.case_id) if draft.case_id else None
        if draft.case_id and case is None:
            raise ValidationError("调解案件不存在（可能已被删除）")
        keys: list[str] = []
        names: list[str] = []
        title = clean_text(draft.title, msg("标题"), 128, required=False)
        if case is not None:
            parties = session.scalars(
                select(CaseParty).where(CaseParty.case_id == case.id).order_by(CaseParty.position)
            ).all()
            wanted = set(draft.party_keys) if draft.party_keys is not None else None
            for p in parties:
                if wanted is None or p.person_key in wanted:
                    keys.append(p.person_key)
                    names.append(p.name)
            if wanted is not None and len(keys) != len(wanted):
                raise ValidationError("所选当事人不属于案件 {case_no}", case_no=case.case_no)
            title = title or case.title
        elif not chosen:
            raise ValidationError("值班安排至少要有一位调解员")
        if not title:
            title = "、".join(m.name for m in chosen) + " 值班"
        closures = [
            (c.first_day, c.last_day, c.reason)
            for c in session.scalars(
                select(Closure).where(
                    or_(Closure.room_id.is_(None), Closure.room_id == room.id),
                    Closure.first_day <= slot.local_day,
                    Closure.last_day >= slot.local_day,
                )
            )
        ]
        return _Plan(room, chosen, case, keys, names, title, slot, closures)

    def _clashes(self, session: Session, plan: _Plan, moving: uuid.UUID | None) -> list[Clash]:
        found = overlap_clashes(session, plan, moving)
        calendar = self.working_days(session)
        policy = self._policy_in(session)
        found += hours_clashes(
            plan.room.name, plan.slot, plan.room.opening_hours, calendar, plan.closures, policy
        )
        for m in plan.mediators:
            clash = availability_clash(m.name, plan.slot, m.availability, policy)
            if clash is not None:
                found.append(clash)
        people = len(plan.party_keys) + len(plan.mediators)
        clash = capacity_clash(plan.room.name, plan.room.capacity, people, policy)
        if clash is not None:
            found.append(clash)
        return found

    @staticmethod
    def _refuse_or_warn(clashes: list[Clash], accept_warnings: bool) -> list[Clash]:
        for clash in clashes:
            if clash.blocking:
                raise ConflictError(clash.template, **clash.params)
        if clashes and not accept_warnings:
            first = clashes[0]
            raise NeedsConfirmation(clashes, first.template, **first.params)
        return clashes

    def _write_guarded(
        self, work: _Work, draft: SessionDraft, slot: Slot, moving: uuid.UUID | None
    ) -> BookingResult:
        """Run `work` in a write transaction; when PostgreSQL's exclusion constraint
        refuses it (another desk booked the slot a moment earlier), name that booking."""
        try:
            with self._writing() as session:
                return work(session)
        except IntegrityError as exc:
            if "ex_mediation_booking_overlap" not in str(exc.orig):
                raise
        with self._session_factory() as session:
            plan = self._plan(session, draft, slot)
            for clash in overlap_clashes(session, plan, moving):
                raise ConflictError(clash.template, **clash.params) from None
        raise ConflictError("这个时段刚被其他工作台预约，请刷新日历后重试")


@dataclass
class _Plan:
    room: Room
    mediators: list[Mediator]
    case: MediationCase | None
    party_keys: list[str]
    party_names: list[str]
    title: str
    slot: Slot
    closures: list[tuple[dt.date, dt.date, str]]

    def resources(self) -> list[tuple[str, str, dt.datetime, dt.datetime]]:
        """(resource, what to call it, start and end of the time it holds) for the overlap
        check: the room from its buffer before to its buffer after, the people the session."""
        before = dt.timedelta(minutes=self.room.buffer_before_minutes)
        after = dt.timedelta(minutes=self.room.buffer_minutes)
        start, end = self.slot.starts_at, self.slot.ends_at
        held = [(f"room:{self.room.id}", self.room.name, start - before, end + after)]
        held += [(f"mediator:{m.id}", m.name, start, end) for m in self.mediators]
        held += [
            (f"party:{k}", n, start, end)
            for k, n in zip(self.party_keys, self.party_names, strict=True)
        ]
        return held


def write_bookings(session: Session, row: MediationSession) -> None:
    """The booking rows a session holds (room with its buffer, mediators, parties)."""
    if row.status is SessionStatus.CANCELLED:
        return
    before = dt.timedelta(minutes=row.buffer_before_minutes or 0)
    after = dt.timedelta(minutes=row.buffer_minutes)
    session.add(
        Booking(
            session_id=row.id,
            resource=f"room:{row.room_id}",
            starts_at=row.starts_at - before,
            ends_at=row.ends_at + after,
        )
    )
    for resource in [f"mediator:{m}" for m in row.mediator_ids] + [
        f"party:{k}" for k in row.party_keys
    ]:
        session.add(
            Booking(
                session_id=row.id, resource=resource, starts_at=row.starts_at, ends_at=row.ends_at
            )
        )
    session.flush()


def overlap_clashes(session: Session, plan: _Plan, moving: uuid.UUID | None) -> list[Clash]:
    """Bookings of the same room, mediators or parties that overlap the plan, each named:
    “与 14:00–15:30 老娘舅调解室 张三诉李四（劳资纠纷）冲突”."""
    conditions = [
        and_(
            Booking.resource == resource,
            Booking.starts_at < until,
            Booking.starts_at > since - MAX_SPAN,
            Booking.ends_at > since,
        )
        for resource, _name, since, until in plan.resources()
    ]
    query = (
        select(
            Booking.resource,
            MediationSession.id,
            MediationSession.title,
            MediationSession.starts_at,
            MediationSession.ends_at,
            MediationSession.buffer_minutes,
            MediationSession.buffer_before_minutes,
            Room.name,
        )
        .join(MediationSession, MediationSession.id == Booking.session_id)
        .join(Room, Room.id == MediationSession.room_id)
        .where(or_(*conditions))
    )
    if moving is not None:
        query = query.where(Booking.session_id != moving)
    rows = [
        (resource, _Other(sid, title, starts, ends, buffer, before), room)
        for resource, sid, title, starts, ends, buffer, before, room in session.execute(
            query.order_by(Booking.starts_at)
        )
    ]
    return name_clashes(plan, rows)


@dataclass(frozen=True)
class _Other:
    """The parts of a clashing session its refusal names."""

    id: uuid.UUID
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    buffer_minutes: int
    buffer_before_minutes: int = 0


def name_clashes(plan: _Plan, rows: Iterable[tuple[str, _Other, str]]) -> list[Clash]:
    start = plan.slot.starts_at
    names = {resource: name for resource, name, _since, _until in plan.resources()}
    found: list[Clash] = []
    for resource, other, room_name in rows:
        params: dict[str, object] = {
            "name": names[resource],
            "start": hm(other.starts_at),
            "end": hm(other.ends_at),
            "room": room_name,
            "title": other.title,
        }
        kind = resource.split(":", 1)[0]
        if kind == "room":
            overlaps = other.starts_at < plan.slot.ends_at and other.ends_at > start
            if overlaps:
                template = msg("调解室 {name} 已有安排：与 {start}–{end} {room} {title}冲突")
            else:
                # the gap the two need: the earlier one's buffer after, the later one's before
                params["minutes"] = (
                    other.buffer_minutes + plan.room.buffer_before_minutes
                    if other.starts_at < start
                    else plan.room.buffer_minutes + (other.buffer_before_minutes or 0)
                )
                template = msg(
                    "调解室 {name} 两场之间要留 {minutes} 分钟：与 {start}–{end} {room} {title}冲突"
                )
        elif kind == "mediator":
            template = msg("调解员 {name} 已有安排：与 {start}–{end} {room} {title}冲突")
        else:
            template = msg("当事人 {name} 已有安排：与 {start}–{end} {room} {title}冲突")
        found.append(Clash(template, params, True, other.id))
    return found


STATUS_LABELS: dict[SessionStatus, str] = {
    SessionStatus.PLANNED: msg("已安排"),
    SessionStatus.HELD: msg("已举行"),
    SessionStatus.NO_SHOW: msg("未到场"),
    SessionStatus.CANCELLED: msg("已取消"),
}


def default_title(parties: Iterable[tuple[str, str]], category: str) -> str:
    """“张三诉李四（劳资纠纷）”: applicants against respondents, the category after."""
    listed = list(parties)
    applicants = "、".join(n for n, r in listed if r == "申请人") or listed[0][0]
    respondents = "、".join(n for n, r in listed if r == "被申请人")
    body = f"{applicants}诉{respondents}" if respondents else applicants
    return f"{body}（{category}）"


def _describe(title: str, room_name: str, slot: Slot) -> str:
    day = slot.starts_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d")
    return f"{day} {hm(slot.starts_at)}–{hm(slot.ends_at)} {room_name} {title}"


def _views(session: Session, rows: Sequence[MediationSession]) -> list[SessionView]:
    rooms = {r.id: r.name for r in session.scalars(select(Room))} if rows else {}
    mediators = {str(m.id): m.name for m in session.scalars(select(Mediator))} if rows else {}
    return [
        SessionView(
            r.id,
            r.case_id,
            r.title,
            r.room_id,
            rooms.get(r.room_id, "?"),
            tuple(uuid.UUID(m) for m in r.mediator_ids),
            tuple(mediators.get(m, "?") for m in r.mediator_ids),
            tuple(r.party_names),
            r.starts_at,
            r.ends_at,
            r.status,
            r.cancel_reason,
            r.series_id,
            r.detached,
        )
        for r in rows
    ]
