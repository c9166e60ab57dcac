"""Petitions (信访事项) as a procedure, with the time limits of the 信访工作条例 (2022).

The limits are data (TIME_LIMITS), each with its article. The regulation counts these
periods in 日 (it says 工作日 where it means working days, e.g. the 5 working days to
object to a transfer), so they are calendar days. It has no rule of its own for counting
a period; the general rule is the Civil Code's: the day of X is not counted (第二百零一条),
so "within N days of X" ends at the end of day X + N, and a period whose last day is a
statutory rest day or holiday ends on the day after the holiday (第二百零三条) — the first
working day of China's calendar (chinese-calendar with the centre's corrections, the
calendar the mediation rooms open by). The clock stops where the regulation says: the
hearing time of a 复核 is not counted (hearing days are added to that limit).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from centre_app.centre.counters import next_number
from centre_app.clock import Clock, to_local
from centre_app.errors import InvalidTransition, NotFound, ValidationError, msg
from centre_app.incidents.triage import bigrams
from centre_app.mediation.working_days import WorkingDays
from centre_app.reception.id_numbers import mask_id_number, validate_id_number
from centre_app.reception.people import check_text, normalise_name, normalise_phone
from centre_app.security import audit
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.locks import take_write_lock
from db.models.reception import Petition, PetitionChannel, PetitionState, Visit

DUE_SOON_DAYS = 5
MAX_EXTENSION_DAYS = 30
MAX_TEXT = 4000  # a matter, a notice, a reply or an opinion
MAX_APPROVER = 64  # the name and post of who approved an extension
# A petition of the same person whose matter shares this share of the shorter matter's
# character pairs is "the same matter": a reworded repeat keeps most of its key words.
REPEAT_OVERLAP = 0.4
REPEAT_LOOKBACK = 50  # the person's latest petitions compared
REGULATION = msg("《信访工作条例》（2022）")


class Limit(enum.Enum):
    ACCEPTANCE = "acceptance"  # 是否受理的决定（书面告知）
    HANDLING = "handling"  # 办理、书面答复
    REVIEW_REQUEST = "review_request"  # 信访人请求复查
    REVIEW = "review"  # 复查意见
    RECHECK_REQUEST = "recheck_request"  # 信访人请求复核
    RECHECK = "recheck"  # 复核意见


@dataclass(frozen=True)
class TimeLimit:
    days: int
    article: str
    label: str
    binds_petitioner: bool = False  # the petitioner's own period (a late request is refused)


# Article numbers of the 2022 regulation, checked against its published text (README
# "Reception hall"): 22/23 acceptance, 34 handling and its one extension, 35 复查, 36 复核
# (whose second paragraph leaves the hearing time out of the 复核 limit).
TIME_LIMITS: dict[Limit, TimeLimit] = {
    Limit.ACCEPTANCE: TimeLimit(15, msg("第二十二条、第二十三条"), msg("受理告知")),
    Limit.HANDLING: TimeLimit(60, msg("第三十四条"), msg("办结答复")),
    Limit.REVIEW_REQUEST: TimeLimit(30, msg("第三十五条"), msg("请求复查"), binds_petitioner=True),
    Limit.REVIEW: TimeLimit(30, msg("第三十五条"), msg("复查意见")),
    Limit.RECHECK_REQUEST: TimeLimit(30, msg("第三十六条"), msg("请求复核"), binds_petitioner=True),
    Limit.RECHECK: TimeLimit(30, msg("第三十六条"), msg("复核意见")),
}

CHANNEL_LABELS = {
    PetitionChannel.VISIT: msg("走访"),
    PetitionChannel.LETTER: msg("来信"),
    PetitionChannel.HOTLINE: msg("电话"),
    PetitionChannel.ONLINE: msg("网上信访"),
}
STATE_LABELS = {
    PetitionState.RECEIVED: msg("待决定受理"),
    PetitionState.NOT_ACCEPTED: msg("不予受理"),
    PetitionState.ACCEPTED: msg("办理中"),
    PetitionState.REPLIED: msg("已答复"),
    PetitionState.REVIEW_REQUESTED: msg("复查中"),
    PetitionState.REVIEWED: msg("已复查"),
    PetitionState.RECHECK_REQUESTED: msg("复核中"),
    PetitionState.RECHECKED: msg("已复核"),
    PetitionState.CLOSED: msg("已办结"),
}


@dataclass(frozen=True)
class PetitionDraft:
    channel: PetitionChannel
    petitioner_name: str
    id_number: str
    phone: str
    matter: str
    received_on: dt.date | None = None  # a letter's receipt date; default today
    # A visit's petition: name, ID number and phone left empty are taken from the visit.
    visit_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Deadline:
    limit: Limit
    started_on: dt.date
    due_on: dt.date  # the last day, moved past a rest day or holiday
    met_on: dt.date | None  # when the step was done; None while it runs
    article: str
    days: int  # the period in calendar days (extension or hearing days included)

    @property
    def moved(self) -> bool:
        """The last day fell on a rest day or holiday and moved to the next working day."""
        return self.due_on != self.started_on + dt.timedelta(days=self.days)

    def days_left(self, today: dt.date) -> int:
        """Days until the end of the due day (0 on the due day, negative when overdue)."""
        return (self.due_on - (self.met_on or today)).days

    def overdue(self, today: dt.date) -> bool:
        return self.days_left(today) < 0


@dataclass(frozen=True)
class PetitionView:
    petition: Petition
    deadlines: list[Deadline]
    running: Deadline | None
    repeat_of: RepeatOf | None = None


@dataclass(frozen=True)
class RepeatOf:
    """An earlier petition of the same person on the same matter (重复信访)."""

    id: uuid.UUID
    number: str
    state: PetitionState
    # 第三十六条第三款: after the 复核 opinion the same facts and reasons are not accepted again
    rechecked: bool


@dataclass(frozen=True)
class RegisteredPetition:
    id: uuid.UUID
    number: str
    acceptance_due: dt.date
    repeat_of: RepeatOf | None


@dataclass(frozen=True)
class PetitionRow:
    id: uuid.UUID
    number: str
    channel: PetitionChannel
    petitioner_name: str
    id_number: str  # masked unless the viewer may see it
    state: PetitionState
    received_on: dt.date
    running: Deadline | None  # the limit now running, if any
    days_left: int | None


def _repeat_of(p: Petition) -> RepeatOf:
    return RepeatOf(p.id, p.number, p.state, p.rechecked_on is not None)


def written(text: str, field: str) -> str:
    """A matter, notice, reply or opinion as typed: no control, zero-width or broken
    characters, not empty, at most MAX_TEXT characters."""
    clean = check_text(text, field).strip()
    if not clean:
        raise ValidationError("请填写{field}。", field=field)
    if len(clean) > MAX_TEXT:
        raise ValidationError("{field}不能超过 {most} 个字。", field=field, most=MAX_TEXT)
    return clean


def deadlines(p: Petition, calendar: WorkingDays | None = None) -> list[Deadline]:
    """Every limit that has started for this petition, in procedure order; a last day on a
    rest day or holiday of `calendar` (default: the official calendar) moves to the next
    working day."""
    out: list[Deadline] = []
    working = calendar or WorkingDays()

    def add(limit: Limit, start: dt.date | None, met: dt.date | None, extra: int = 0) -> None:
        if start is None:
            return
        rule = TIME_LIMITS[limit]
        days = rule.days + extra
        due = working.on_or_after(start + dt.timedelta(days=days))
        out.append(Deadline(limit, start, due, met, rule.article, days))

    add(Limit.ACCEPTANCE, p.received_on, p.decided_on)
    if p.state is not PetitionState.NOT_ACCEPTED:
        add(Limit.HANDLING, p.decided_on, p.replied_on, p.extension_days)
    add(Limit.REVIEW_REQUEST, p.replied_on, p.review_requested_on)
    add(Limit.REVIEW, p.review_requested_on, p.reviewed_on)
    add(Limit.RECHECK_REQUEST, p.reviewed_on, p.recheck_requested_on)
    add(Limit.RECHECK, p.recheck_requested_on, p.rechecked_on, p.hearing_days)
    return out


def running_deadline(p: Petition, calendar: WorkingDays | None = None) -> Deadline | None:
    """The limit the authorities must meet now (the petitioner's own periods excluded)."""
    return running_among(p.state, deadlines(p, calendar))


def running_among(state: PetitionState, all_deadlines: list[Deadline]) -> Deadline | None:
    if state in (PetitionState.CLOSED, PetitionState.NOT_ACCEPTED):
        return None
    for deadline in all_deadlines:
        if deadline.met_on is None and not TIME_LIMITS[deadline.limit].binds_petitioner:
            return deadline
    return None


class PetitionService:
    def __init__(
        self, session_factory: sessionmaker[Session], clock: Clock, township_code: str
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    def _today(self) -> dt.date:
        return to_local(self._clock.now()).date()

    # --- registration -----------------------------------------------------------------

    def register(self, actor: Actor, draft: PetitionDraft) -> RegisteredPetition:
        """Register a petition from a visit, a letter, the hotline or online. From a visit
        the petitioner's name, ID number and phone default to the visit's. An earlier
        petition of the same person on the same matter is linked as its repeat (the clerk
        is told; a matter already through 复核 is not to be accepted again)."""
        actor.require(Permission.PETITION_MANAGE)
        today = self._today()
        matter = written(draft.matter, msg("信访事项内容"))
        received = draft.received_on or today
        if received > today:
            raise ValidationError("收到日期 {day} 晚于今天，请核对。", day=received.isoformat())
        if (today - received).days > 365:
            raise ValidationError("收到日期 {day} 早于一年前，请核对。", day=received.isoformat())
        for _attempt in range(5):
            try:
                with self._session_factory.begin() as session:
                    name_raw, id_raw, phone_raw = (
                        draft.petitioner_name,
                        draft.id_number,
                        draft.phone,
                    )
                    if draft.visit_id is not None:
                        visit = session.get(Visit, draft.visit_id)
                        if visit is None or visit.township_code != self._township_code:
                            raise NotFound("来访记录不存在或不属于本中心。")
                        if not name_raw.strip():
                            name_raw = visit.visitor_name
                        if not id_raw.strip():
                            id_raw = visit.id_number or ""
                        if not phone_raw.strip():
                            phone_raw = visit.phone or ""
                    name = normalise_name(name_raw)
                    id_number = validate_id_number(id_raw, today=today) if id_raw.strip() else None
                    phone = normalise_phone(phone_raw)
                    petition = Petition(
                        township_code=self._township_code,
                        number=self._next_number(session, received.year),
                        visit_id=draft.visit_id,
                        channel=draft.channel,
                        petitioner_name=name,
                        id_number=id_number,
                        phone=phone,
                        matter=matter,
                        received_on=received,
                        registered_by=actor.username,
                    )
                    repeat = self._same_matter(session, petition)
                    petition.repeat_of_id = repeat.id if repeat else None
                    session.add(petition)
                    session.flush()
                    audit.record(
                        session,
                        self._clock,
                        actor,
                        "petition.register",
                        target_type="petition",
                        target_id=petition.id,
                        summary=f"{petition.number} {name}（{mask_id_number(id_number)}）",
                    )
                    calendar = WorkingDays.of_centre(session)
                    return RegisteredPetition(
                        petition.id,
                        petition.number,
                        deadlines(petition, calendar)[0].due_on,
                        repeat,
                    )
            except IntegrityError:
                continue  # another desk took the number: count again
        raise ValidationError("信访编号分配繁忙，请再保存一次。")

    def _same_matter(self, session: Session, new: Petition) -> RepeatOf | None:
        """The person's latest earlier petition on the same matter: the same ID number, or
        without one the same name and phone; the matter's wording mostly shared."""
        if new.id_number:
            person = Petition.id_number == new.id_number
        elif new.phone:
            person = and_(
                Petition.petitioner_name == new.petitioner_name, Petition.phone == new.phone
            )
        else:
            return None
        earlier = session.scalars(
            select(Petition)
            .where(Petition.township_code == self._township_code, person)
            .order_by(Petition.received_on.desc(), Petition.number.desc())
            .limit(REPEAT_LOOKBACK)
        )
        words = bigrams(new.matter)
        for other in earlier:
            theirs = bigrams(other.matter)
            if (
                words
                and theirs
                and len(words & theirs) / min(len(words), len(theirs)) >= (REPEAT_OVERLAP)
            ):
                return _repeat_of(other)
        return None

    def _next_number(self, session: Session, year: int) -> str:
        """The year's next number from the centre's counter row (locked until the commit),
        so desks registering at once wait for each other instead of colliding."""
        prefix = f"{self._township_code}-XF-{year}-"

        def given(session: Session) -> int:  # numbers handed out before the counter existed
            last = session.scalar(
                select(func.max(Petition.number)).where(
                    Petition.township_code == self._township_code,
                    Petition.number.like(f"{prefix}%"),
                )
            )
            return int(last.rsplit("-", 1)[1]) if last else 0

        return f"{prefix}{next_number(session, 'petition:' + prefix, given):05d}"

    # --- the procedure ----------------------------------------------------------------

    def decide(
        self,
        actor: Actor,
        petition_id: uuid.UUID,
        *,
        accept: bool,
        notice: str,
        handling_body: str = "",
    ) -> None:
        """受理 or 不予受理, with the written notice to the petitioner."""
        if not notice.strip():
            raise ValidationError("请填写告知信访人的书面告知内容。")
        notice = written(notice, msg("书面告知"))
        check_text(handling_body, msg("办理机关、单位"))
        if accept and not handling_body.strip():
            raise ValidationError("受理时请填写办理机关、单位。")
        if len(handling_body.strip()) > 64:
            raise ValidationError("办理机关、单位不能超过 {most} 个字。", most=64)

        def step(p: Petition, today: dt.date, calendar: WorkingDays) -> None:
            self._require(p, {PetitionState.RECEIVED}, msg("决定是否受理"))
            p.decided_on, p.decision_note = today, notice.strip()
            p.handling_body = handling_body.strip()
            p.state = PetitionState.ACCEPTED if accept else PetitionState.NOT_ACCEPTED

        self._act(actor, petition_id, "petition.accept" if accept else "petition.not_accept", step)

    def extend(
        self, actor: Actor, petition_id: uuid.UUID, days: int, reason: str, approved_by: str
    ) -> None:
        """One extension of the handling period (第三十四条): at most 30 days, approved by
        the handling body's head, with the reason the petitioner is told."""
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise ValidationError(
                "延长期限不得超过 {most} 日（现在是 {days} 日）。",
                most=MAX_EXTENSION_DAYS,
                days=days,
            )
        if not reason.strip():
            raise ValidationError("请填写延期理由（须告知信访人）。")
        reason = written(reason, msg("延期理由"))
        approver = check_text(approved_by, msg("批准人")).strip()
        if not approver:
            raise ValidationError("延期须经办理机关、单位负责人批准：请填写批准人。")
        if len(approver) > MAX_APPROVER:
            raise ValidationError("批准人不能超过 {most} 个字。", most=MAX_APPROVER)

        def step(p: Petition, today: dt.date, calendar: WorkingDays) -> None:
            self._require(p, {PetitionState.ACCEPTED}, msg("延期"))
            if p.extension_days:
                raise InvalidTransition(
                    "{number} 已延期 {days} 日，办理期限只能延长一次。",
                    number=p.number,
                    days=p.extension_days,
                )
            p.extension_days, p.extension_reason = days, reason
            p.extension_approved_by = approver

        self._act(actor, petition_id, "petition.extend", step)

    def reply(self, actor: Actor, petition_id: uuid.UUID, reply: str) -> None:
        """The written reply (处理意见书) delivered today."""
        self._text_step(
            actor,
            petition_id,
            reply,
            "petition.reply",
            {PetitionState.ACCEPTED},
            PetitionState.REPLIED,
            "replied_on",
            "reply",
        )

    def request_review(self, actor: Actor, petition_id: uuid.UUID) -> None:
        """The petitioner asks for 复查; refused after the 30 days of the regulation."""
        self._request(
            actor,
            petition_id,
            Limit.REVIEW_REQUEST,
            PetitionState.REPLIED,
            PetitionState.REVIEW_REQUESTED,
            "review_requested_on",
        )

    def review(self, actor: Actor, petition_id: uuid.UUID, opinion: str) -> None:
        self._text_step(
            actor,
            petition_id,
            opinion,
            "petition.review",
            {PetitionState.REVIEW_REQUESTED},
            PetitionState.REVIEWED,
            "reviewed_on",
            "review_opinion",
        )

    def request_recheck(self, actor: Actor, petition_id: uuid.UUID) -> None:
        self._request(
            actor,
            petition_id,
            Limit.RECHECK_REQUEST,
            PetitionState.REVIEWED,
            PetitionState.RECHECK_REQUESTED,
            "recheck_requested_on",
        )

    def record_hearing(self, actor: Actor, petition_id: uuid.UUID, days: int) -> None:
        """A 复核 hearing took `days`; they are not counted in the 复核 limit."""
        if not 1 <= days <= 90:
            raise ValidationError("听证天数应在 1 到 90 之间。")

        def step(p: Petition, today: dt.date, calendar: WorkingDays) -> None:
            self._require(p, {PetitionState.RECHECK_REQUESTED}, msg("登记听证"))
            p.hearing_days += days

        self._act(actor, petition_id, "petition.hearing", step)

    def recheck(self, actor: Actor, petition_id: uuid.UUID, opinion: str) -> None:
        self._text_step(
            actor,
            petition_id,
            opinion,
            "petition.recheck",
            {PetitionState.RECHECK_REQUESTED},
            PetitionState.RECHECKED,
            "rechecked_on",
            "recheck_opinion",
        )

    def close(self, actor: Actor, petition_id: uuid.UUID) -> None:
        def step(p: Petition, today: dt.date, calendar: WorkingDays) -> None:
            self._require(
                p, {PetitionState.REPLIED, PetitionState.REVIEWED, PetitionState.RECHECKED}, "办结"
            )
            p.state, p.closed_on = PetitionState.CLOSED, today

        self._act(actor, petition_id, "petition.close", step)

    def _request(
        self,
        actor: Actor,
        petition_id: uuid.UUID,
        limit: Limit,
        before: PetitionState,
        after: PetitionState,
        column: str,
    ) -> None:
        def step(p: Petition, today: dt.date, calendar: WorkingDays) -> None:
            self._require(p, {before}, TIME_LIMITS[limit].label)
            deadline = next(d for d in deadlines(p, calendar) if d.limit is limit)
            if today > deadline.due_on:
                raise ValidationError(
                    "请求已超过期限：应在 {due} 前提出（{article}），不再受理。",
                    due=deadline.due_on.isoformat(),
                    article=deadline.article,
                )
            setattr(p, column, today)
            p.state = after

        self._act(actor, petition_id, f"petition.{limit.value}", step)

    def _text_step(
        self,
        actor: Actor,
        petition_id: uuid.UUID,
        text: str,
        action: str,
        before: set[PetitionState],
        after: PetitionState,
        day_column: str,
        text_column: str,
    ) -> None:
        if not text.strip():
            raise ValidationError("请填写书面意见的内容。")
        text = written(text, msg("书面意见"))

        def step(p: Petition, today: dt.date, calendar: WorkingDays) -> None:
            self._require(p, before, STATE_LABELS[after])
            setattr(p, day_column, today)
            setattr(p, text_column, text.strip())
            p.state = after

        self._act(actor, petition_id, action, step)

    def _act(
        self,
        actor: Actor,
        petition_id: uuid.UUID,
        action: str,
        step: Callable[[Petition, dt.date, WorkingDays], None],
    ) -> None:
        actor.require(Permission.PETITION_MANAGE)
        with self._session_factory.begin() as session:
            take_write_lock(session)
            petition = session.scalar(
                select(Petition)
                .where(Petition.id == petition_id, Petition.township_code == self._township_code)
                .with_for_update()
            )
            if petition is None:
                raise NotFound("信访事项不存在或不属于本中心。")
            step(petition, self._today(), WorkingDays.of_centre(session))
            audit.record(
                session,
                self._clock,
                actor,
                action,
                target_type="petition",
                target_id=petition.id,
                summary=petition.number,
            )

    @staticmethod
    def _require(p: Petition, allowed: set[PetitionState], step: str) -> None:
        if p.state not in allowed:
            raise InvalidTransition(
                "{number} 现在是“{state}”，不能{step}。",
                number=p.number,
                state=STATE_LABELS[p.state],
                step=step,
            )

    # --- reading ----------------------------------------------------------------------

    def get(self, actor: Actor, petition_id: uuid.UUID) -> Petition:
        actor.require(Permission.PETITION_MANAGE)
        with self._session_factory() as session:
            petition = session.get(Petition, petition_id)
            if petition is None or petition.township_code != self._township_code:
                raise NotFound("信访事项不存在或不属于本中心。")
            session.expunge(petition)
            return petition

    def deadlines(self, actor: Actor, petition_id: uuid.UUID) -> list[Deadline]:
        return self.view(actor, petition_id).deadlines

    def view(self, actor: Actor, petition_id: uuid.UUID) -> PetitionView:
        """The petition page: the petition, its deadlines on the centre's calendar and the
        one running now."""
        petition = self.get(actor, petition_id)
        with self._session_factory() as session:
            calendar = WorkingDays.of_centre(session)
            earlier = (
                session.get(Petition, petition.repeat_of_id) if petition.repeat_of_id else None
            )
            repeat = _repeat_of(earlier) if earlier is not None else None
        all_deadlines = deadlines(petition, calendar)
        return PetitionView(
            petition, all_deadlines, running_among(petition.state, all_deadlines), repeat
        )

    def open_list(
        self, actor: Actor, *, due_within: int | None = None, overdue_only: bool = False
    ) -> list[PetitionRow]:
        """Open petitions by days left (most urgent first): `due_within` keeps those due in
        that many days or overdue; `overdue_only` those past their limit."""
        actor.require(Permission.PETITION_MANAGE)
        today = self._today()
        with self._session_factory() as session:
            petitions = session.scalars(
                select(Petition).where(
                    Petition.township_code == self._township_code,
                    Petition.state.not_in((PetitionState.CLOSED, PetitionState.NOT_ACCEPTED)),
                )
            )
            calendar = WorkingDays.of_centre(session)
            rows = [self._row(p, today, calendar) for p in petitions]
        rows = [r for r in rows if r.days_left is not None]
        if overdue_only:
            rows = [r for r in rows if r.days_left is not None and r.days_left < 0]
        elif due_within is not None:
            rows = [r for r in rows if r.days_left is not None and r.days_left <= due_within]
        return sorted(rows, key=lambda r: (r.days_left, r.number))

    def window(
        self, actor: Actor, *, after: tuple[dt.date, str] | None = None, limit: int = 200
    ) -> list[PetitionRow]:
        """Every petition, open or closed, newest received first, `limit` rows after the
        (received_on, number) of the last row shown (keyset: years of petitions read one
        window at a time)."""
        actor.require(Permission.PETITION_MANAGE)
        today = self._today()
        query = select(Petition).where(Petition.township_code == self._township_code)
        if after is not None:
            day, number = after
            query = query.where(
                or_(
                    Petition.received_on < day,
                    and_(Petition.received_on == day, Petition.number < number),
                )
            )
        query = query.order_by(Petition.received_on.desc(), Petition.number.desc()).limit(limit)
        with self._session_factory() as session:
            calendar = WorkingDays.of_centre(session)
            return [self._row(p, today, calendar) for p in session.scalars(query)]

    def of_person(self, actor: Actor, id_number: str) -> list[PetitionRow]:
        """Petitions of one person (ID number masked in the rows)."""
        actor.require(Permission.PETITION_MANAGE)
        today = self._today()
        with self._session_factory() as session:
            petitions = session.scalars(
                select(Petition)
                .where(
                    Petition.township_code == self._township_code, Petition.id_number == id_number
                )
                .order_by(Petition.received_on.desc())
            )
            calendar = WorkingDays.of_centre(session)
            return [self._row(p, today, calendar) for p in petitions]

    @staticmethod
    def _row(p: Petition, today: dt.date, calendar: WorkingDays) -> PetitionRow:
        """A list row; lists always show the ID number masked."""
        running = running_deadline(p, calendar)
        number = p.id_number or ""
        return PetitionRow(
            p.id,
            p.number,
            p.channel,
            p.petitioner_name,
            mask_id_number(number),
            p.state,
            p.received_on,
            running,
            running.days_left(today) if running else None,
        )
