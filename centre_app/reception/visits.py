"""Visitor registration (来访登记): validated check-in, a queue ticket per day, collective
visits (5 or more people, 集体访) flagged, repeat visitors found by ID number or name.

ID numbers are masked for anyone without PERSONAL_DATA_VIEW; an unmasked list is audited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock, to_local
from centre_app.errors import ValidationError
from centre_app.reception.id_numbers import mask_id_number, validate_id_number
from centre_app.security import audit
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.reception import Visit, VisitPurpose, VisitRoute

GROUP_VISIT_SIZE = 5  # 集体访 from five people
MAX_GROUP_SIZE = 500
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")

PURPOSE_LABELS = {
    VisitPurpose.CONSULTATION: "咨询", VisitPurpose.DISPUTE: "矛盾纠纷",
    VisitPurpose.PETITION: "信访", VisitPurpose.SERVICE: "办事",
    VisitPurpose.LEGAL_AID: "法律援助",
}


@dataclass(frozen=True)
class VisitDraft:
    """What the clerk typed, before validation."""

    visitor_name: str
    id_number: str
    phone: str
    purpose: VisitPurpose
    summary: str
    route: VisitRoute
    routed_to: str
    group_size: int = 1


@dataclass(frozen=True)
class VisitRow:
    """A visit as a list shows it (ID number masked unless the viewer may see it)."""

    id: str
    ticket_no: str
    visited_at: dt.datetime
    visitor_name: str
    id_number: str
    purpose: VisitPurpose
    group_size: int
    is_group_visit: bool
    routed_to: str


def name_initials(name: str) -> str:
    """Pinyin initials clerks type to find a visitor fast: 王晓燕 → wxy."""
    letters = lazy_pinyin("".join(name.split()), style=Style.FIRST_LETTER)
    return "".join(s[0] for s in letters if s).lower()[:16]


class VisitService:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock,
                 township_code: str) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    def register(self, actor: Actor, draft: VisitDraft) -> Visit:
        """Check the visitor in now; returns the stored visit with its ticket number."""
        actor.require(Permission.RECEPTION_REGISTER)
        with self._session_factory.begin() as session:
            return self._add(session, actor, draft, self._clock.now())

    def import_register(self, actor: Actor, entries: Iterable[tuple[dt.datetime, VisitDraft]]
                        ) -> int:
        """Enter a paper register (or the demo year) in one transaction; all or nothing."""
        actor.require(Permission.RECEPTION_REGISTER)
        count = 0
        issued: dict[dt.date, int] = {}  # tickets per local day, counted once per day
        with self._session_factory.begin() as session:
            for at, draft in sorted(entries, key=lambda e: e[0]):
                self._add(session, actor, draft, at, issued)
                count += 1
        return count

    def _add(self, session: Session, actor: Actor, draft: VisitDraft, at: dt.datetime,
             issued: dict[dt.date, int] | None = None) -> Visit:
        name = draft.visitor_name.strip()
        if not name or len(name) > 32:
            raise ValidationError("请填写来访人姓名（不超过 32 个字）。")
        id_number = validate_id_number(draft.id_number, today=to_local(at).date()) \
            if draft.id_number.strip() else None
        phone = draft.phone.strip().replace(" ", "")
        if phone and not _PHONE.match(phone):
            raise ValidationError("联系电话应为 11 位手机号或带区号的固定电话，请核对。")
        if not 1 <= draft.group_size <= MAX_GROUP_SIZE:
            raise ValidationError(f"来访人数应在 1 到 {MAX_GROUP_SIZE} 之间。")
        if not draft.routed_to.strip():
            raise ValidationError("请选择分流去向（窗口、调解室或部门）。")
        visit = Visit(
            township_code=self._township_code,
            ticket_no=self._next_ticket(session, at, {} if issued is None else issued),
            visited_at=at, visitor_name=name, name_initials=name_initials(name),
            id_number=id_number, phone=phone or None, purpose=draft.purpose,
            summary=draft.summary.strip(), group_size=draft.group_size,
            is_group_visit=draft.group_size >= GROUP_VISIT_SIZE, route=draft.route,
            routed_to=draft.routed_to.strip(), registered_by=actor.username,
        )
        session.add(visit)
        session.flush()
        audit.record(session, self._clock, actor, "reception.register", target_type="visit",
                     target_id=visit.id,
                     summary=f"{visit.ticket_no} {name}（{mask_id_number(id_number)}）"
                             f"{PURPOSE_LABELS[draft.purpose]} → {visit.routed_to}")
        return visit

    def _next_ticket(self, session: Session, at: dt.datetime, issued: dict[dt.date, int]) -> str:
        day = to_local(at).date()
        if day not in issued:
            start, end = _local_day_bounds(at)
            issued[day] = session.scalar(select(func.count()).select_from(Visit).where(
                Visit.township_code == self._township_code,
                Visit.visited_at >= start, Visit.visited_at < end)) or 0
        issued[day] += 1
        return f"A{issued[day]:03d}"

    def recent(self, actor: Actor, *, limit: int = 200, search: str = "") -> list[VisitRow]:
        """Newest visits first; `search` matches name, pinyin initials or ID number."""
        actor.require(Permission.RECEPTION_REGISTER)
        query = select(Visit).where(Visit.township_code == self._township_code)
        term = search.strip()
        if term:
            like = f"%{term}%"
            query = query.where(or_(Visit.visitor_name.like(like),
                                    Visit.name_initials.like(f"{term.lower()}%"),
                                    Visit.id_number == term.upper()))
        query = query.order_by(Visit.visited_at.desc()).limit(limit)
        unmasked = actor.can(Permission.PERSONAL_DATA_VIEW)
        with self._session_factory.begin() as session:
            visits = list(session.scalars(query))
            if unmasked and visits:
                audit.record(session, self._clock, actor, "personal_data.view",
                             target_type="visit_list", summary=f"查看来访登记原始身份证号 {len(visits)} 条")
            return [_row(v, unmasked) for v in visits]

    def previous_visits(self, actor: Actor, id_number: str) -> Sequence[VisitRow]:
        """Earlier visits of the same person (重复来访), found by ID number."""
        actor.require(Permission.RECEPTION_REGISTER)
        number = validate_id_number(id_number, today=to_local(self._clock.now()).date())
        with self._session_factory() as session:
            visits = session.scalars(select(Visit).where(Visit.id_number == number)
                                     .order_by(Visit.visited_at.desc()))
            return [_row(v, actor.can(Permission.PERSONAL_DATA_VIEW)) for v in visits]


def _row(visit: Visit, unmasked: bool) -> VisitRow:
    shown = visit.id_number or ""
    return VisitRow(str(visit.id), visit.ticket_no, visit.visited_at, visit.visitor_name,
                    shown if unmasked else mask_id_number(shown), visit.purpose,
                    visit.group_size, visit.is_group_visit, visit.routed_to)


def _local_day_bounds(at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = to_local(at)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)
