"""Visitor registration (来访登记): validated check-in, a queue ticket per day, collective
visits (5 or more people, 集体访) flagged, repeat visitors found by ID number or name.

ID numbers are masked for anyone without PERSONAL_DATA_VIEW; an unmasked list is audited.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pypinyin import Style, lazy_pinyin
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock, to_local
from centre_app.errors import ConflictError, NotFound, ValidationError, msg
from centre_app.reception.hall import issue_ticket, local_day, people_ahead, take_number
from centre_app.reception.id_numbers import mask_id_number, validate_id_number
from centre_app.reception.people import (
    check_text,
    name_search_form,
    normalise_document,
    normalise_name,
    normalise_phone,
)
from centre_app.reception.ticket import TicketSlip
from centre_app.security import audit
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.ids import new_id
from db.locks import take_write_lock
from db.models.incidents import Channel, Incident, IncidentState, RiskColour
from db.models.mediation import CaseState, MediationCase
from db.models.reception import (
    HallService,
    HallWindow,
    Petition,
    PetitionState,
    QueueTicket,
    TicketPriority,
    TicketState,
    Visit,
    VisitNameGram,
    VisitPurpose,
    VisitRoute,
)

GROUP_VISIT_SIZE = 5  # 集体访 from five people
MAX_GROUP_SIZE = 500
MAX_SUMMARY = 2000
UNMASK_MINUTES = 3
INCIDENT_REPORTER_MAX = 64  # Incident.reporter's column

PURPOSE_LABELS = {
    VisitPurpose.CONSULTATION: msg("咨询"),
    VisitPurpose.DISPUTE: msg("矛盾纠纷"),
    VisitPurpose.PETITION: msg("信访"),
    VisitPurpose.SERVICE: msg("办事"),
    VisitPurpose.LEGAL_AID: msg("法律援助"),
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
    routed_to: str = ""  # the mediation room or body; a window visit shows its service
    group_size: int = 1
    service_letter: str = ""  # the hall service (A 咨询 …); empty: the purpose's service
    priority: TicketPriority = TicketPriority.NORMAL
    document: str = ""  # no resident ID: a passport number, or why there is none


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
    phone: str = ""  # masked
    incident_id: uuid.UUID | None = None
    mediation_case_id: uuid.UUID | None = None


@dataclass(frozen=True)
class CheckIn:
    """A registered visit and its printed ticket's content (None when not asked for)."""

    visit: Visit
    slip: TicketSlip | None


@dataclass(frozen=True)
class Unmasked:
    """A visitor's full ID number and phone, shown until `expires_at` (then masked again)."""

    visit_id: uuid.UUID
    id_number: str
    phone: str
    expires_at: dt.datetime

    def shown(self, now: dt.datetime) -> tuple[str, str]:
        if now >= self.expires_at:
            return mask_id_number(self.id_number), mask_phone(self.phone)
        return self.id_number, self.phone


@dataclass(frozen=True)
class VisitDetail:
    """One visit as its page shows it: who came with how many, why, where they were sent,
    and the real waiting and serving times of its ticket (None while they still run)."""

    visited_at: dt.datetime
    purpose: VisitPurpose
    summary: str  # a passport number or the reason for no ID leads it, in brackets
    group_size: int
    is_group_visit: bool
    routed_to: str
    phone: str  # masked
    registered_by: str
    ticket_code: str | None
    ticket_state: TicketState | None
    service_name: str
    window_number: int | None
    waited: dt.timedelta | None  # queued until first called
    served: dt.timedelta | None  # serving start until finished


@dataclass(frozen=True)
class PersonHistory:
    """One person on one screen: their visits, petitions and the cases they started."""

    visitor_name: str
    id_number: str  # masked
    visits: list[VisitRow]
    petitions: list[tuple[str, PetitionState, dt.date]]  # (number, state, received)
    incidents: list[tuple[str, IncidentState, str]]  # (case number, state, title)
    other_names: tuple[str, ...]
    mediation_cases: list[tuple[str, CaseState, str]] = field(default_factory=list)
    this_visit: VisitDetail | None = None


@dataclass(frozen=True)
class PersonCheck:
    """What the clerk is told about an ID number before registering it."""

    earlier_visits: int
    other_names: tuple[str, ...]  # the same ID number registered under another name
    petitions: int
    open_petitions: int


def name_initials(name: str) -> str:
    """Pinyin initials clerks type to find a visitor fast: 王晓燕 → wxy."""
    letters = lazy_pinyin("".join(name.split()), style=Style.FIRST_LETTER)
    return "".join(s[0] for s in letters if s).lower()[:16]


class VisitService:
    def __init__(
        self, session_factory: sessionmaker[Session], clock: Clock, township_code: str
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code

    def register(self, actor: Actor, draft: VisitDraft) -> Visit:
        """Check the visitor in now and issue the queue ticket. A collective visit (5 or
        more people) also reports a red incident (群体性事件苗头) in the same transaction,
        so the duty desk sees it at once."""
        return self._register(actor, draft, None).visit

    def check_in(self, actor: Actor, draft: VisitDraft, centre_name: str) -> CheckIn:
        """`register`, and what the printed ticket says (people ahead counted in the same
        transaction): the clerk's one action from submit to the ticket job."""
        return self._register(actor, draft, centre_name)

    def _register(self, actor: Actor, draft: VisitDraft, centre_name: str | None) -> CheckIn:
        actor.require(Permission.RECEPTION_REGISTER)
        with self._session_factory.begin() as session:
            at = self._clock.now()
            visit, ticket, service = self._add(session, actor, draft, at)
            if visit.is_group_visit:
                self._start_incident(
                    session, actor, visit, "群体性事件苗头", "集体上访苗头", RiskColour.RED
                )
            slip = None
            if centre_name is not None:
                slip = TicketSlip(
                    centre_name,
                    ticket.code,
                    service.name,
                    ticket.issued_at,
                    people_ahead(session, ticket),
                    visit.id,
                )
            return CheckIn(visit, slip)

    def import_register(
        self, actor: Actor, entries: Iterable[tuple[dt.datetime, VisitDraft]]
    ) -> int:
        """Enter a paper register (or the demo year) in one transaction; all or nothing."""
        actor.require(Permission.RECEPTION_REGISTER)
        count = 0
        with self._session_factory.begin() as session:
            for at, draft in sorted(entries, key=lambda e: e[0]):
                self._add(session, actor, draft, at, TicketState.SERVED)
                count += 1
        return count

    def _service(self, session: Session, draft: VisitDraft) -> HallService:
        query = select(HallService).where(
            HallService.township_code == self._township_code, HallService.active
        )
        letter = draft.service_letter.strip().upper()
        if letter and not (len(letter) == 1 and "A" <= letter <= "Z"):  # PostgreSQL refuses NUL
            raise ValidationError(
                "大厅服务“{letter}”不存在或已停用，请重新选择。", letter=ascii(letter)[1:-1][:12]
            )
        if letter:
            query = query.where(HallService.letter == letter)
        else:
            query = query.order_by(
                HallService.purpose != draft.purpose, HallService.sort_order, HallService.letter
            )
        service = session.scalars(query.limit(1)).first()
        if service is None:
            raise ValidationError(
                "大厅服务“{letter}”不存在或已停用，请重新选择。",
                letter=letter or draft.purpose.value,
            )
        return service

    def _add(
        self,
        session: Session,
        actor: Actor,
        draft: VisitDraft,
        at: dt.datetime,
        ticket_state: TicketState = TicketState.WAITING,
    ) -> tuple[Visit, QueueTicket, HallService]:
        name = normalise_name(draft.visitor_name)
        id_number = (
            validate_id_number(draft.id_number, today=to_local(at).date())
            if draft.id_number.strip()
            else None
        )
        document = normalise_document(draft.document)
        phone = normalise_phone(draft.phone)
        if not 1 <= draft.group_size <= MAX_GROUP_SIZE:
            raise ValidationError("来访人数应在 1 到 {most} 之间。", most=MAX_GROUP_SIZE)
        check_text(draft.summary, "事由")
        if len(draft.summary) > MAX_SUMMARY:
            raise ValidationError("事由不能超过 {most} 个字。", most=MAX_SUMMARY)
        service = self._service(session, draft)
        routed_to = check_text(draft.routed_to, "分流去向").strip() or (
            service.name if draft.route is VisitRoute.WINDOW else ""
        )
        if not routed_to or len(routed_to) > 64:
            raise ValidationError("请选择分流去向（窗口、调解室或部门）。")
        summary = draft.summary.strip()
        if document:
            summary = f"[{document}] {summary}".strip()
        number = take_number(session, service, local_day(at))  # nothing pending: no flush
        visit = Visit(
            id=new_id(),
            township_code=self._township_code,
            ticket_no=f"{service.letter}{number:03d}",
            service_id=service.id,
            visited_at=at,
            visitor_name=name,
            name_initials=name_initials(name),
            id_number=id_number,
            phone=phone,
            purpose=draft.purpose,
            summary=summary,
            group_size=draft.group_size,
            is_group_visit=draft.group_size >= GROUP_VISIT_SIZE,
            route=draft.route,
            routed_to=routed_to,
            registered_by=actor.username,
            id_last4=id_number[-4:] if id_number else None,
        )
        # Three flushes, one per level of foreign keys (the ORM orders inserts by
        # relationship(), not by foreign key): the visit; its name pieces and ticket; the
        # ticket's event and the audit entry with the commit. The number was taken first,
        # so the visit is inserted with it and never updated.
        session.add(visit)
        session.flush()
        session.add_all(
            VisitNameGram(gram=g, visit_id=visit.id, visited_at=at) for g in name_grams(name)
        )
        ticket = issue_ticket(
            session, actor, service, visit.id, at, draft.priority, ticket_state, number
        )
        audit.record(
            session,
            self._clock,
            actor,
            "reception.register",
            target_type="visit",
            target_id=visit.id,
            summary=f"{visit.ticket_no} {name}（{mask_id_number(id_number)}）"
            f"{PURPOSE_LABELS[draft.purpose]} → {visit.routed_to}",
        )
        return visit, ticket, service

    def start_incident(
        self, actor: Actor, visit_id: uuid.UUID, category: str, subcategory: str
    ) -> uuid.UUID:
        """Open an incident (channel 来访) prefilled from the visit, linked to it."""
        actor.require(Permission.RECEPTION_REGISTER)
        with self._session_factory.begin() as session:
            visit = self._visit(session, visit_id)
            if visit.incident_id is not None:
                raise ConflictError("这次来访已经生成过事件，请直接查看该事件。")
            colour = RiskColour.RED if visit.is_group_visit else RiskColour.YELLOW
            return self._start_incident(session, actor, visit, category, subcategory, colour)

    def _start_incident(
        self,
        session: Session,
        actor: Actor,
        visit: Visit,
        category: str,
        subcategory: str,
        colour: RiskColour,
    ) -> uuid.UUID:
        from centre_app.incidents.service import IncidentDraft, IncidentService

        people = f"{visit.group_size} 人" if visit.group_size > 1 else ""
        draft = IncidentDraft(
            channel=Channel.WALK_IN,
            category=category,
            subcategory=subcategory,
            colour=colour,
            grid_code=None,
            place="综治中心接待大厅",
            title=f"来访{people}：{(visit.summary or PURPOSE_LABELS[visit.purpose])[:60]}",
            description=f"{visit.ticket_no} {visit.visitor_name} 来访{people}。"
            f"{visit.summary or PURPOSE_LABELS[visit.purpose]}",
            reporter=visit_reporter(visit.visitor_name, visit.group_size, actor.display_name),
            reporter_phone=_incident_phone(visit.phone),
            people_involved=visit.group_size,
            extra={"visit_id": str(visit.id)},
        )
        incidents = IncidentService(self._session_factory, self._clock, self._township_code)
        incident = incidents._report(
            session, actor, draft, self._township_code, None, self._clock.now()
        )
        visit.incident_id = incident.id
        return incident.id

    def start_mediation_case(self, actor: Actor, visit_id: uuid.UUID, category: str) -> uuid.UUID:
        """Open a mediation case (受理) from the visit in one transaction: the visitor is
        the applicant (申请人), the visit's summary the dispute's, the case linked to the
        visit and the visit to the case. The visit row is locked, so two desks cannot
        start two cases from one visit."""
        from centre_app.mediation.service import (
            CaseDraft,
            MediationService,
            PartyDraft,
            party_phone_ok,
        )

        actor.require(Permission.RECEPTION_REGISTER)
        mediation = MediationService(self._session_factory, self._clock, self._township_code)
        with self._session_factory.begin() as session:
            take_write_lock(session)
            visit = session.scalar(
                select(Visit)
                .where(Visit.id == visit_id, Visit.township_code == self._township_code)
                .with_for_update()
            )
            if visit is None:
                raise NotFound("来访记录不存在或不属于本中心。")
            if visit.mediation_case_id is not None:
                raise ConflictError("这次来访已经生成过调解案件，请直接查看该案件。")
            phone = visit.phone or ""
            party = PartyDraft(
                name=visit.visitor_name,
                role="申请人",
                # a number the case does not take (a foreign one) stays on the visit
                phone=phone if party_phone_ok(phone) else "",
                id_number=visit.id_number or "",
            )
            case_id = mediation.open_case_in(
                session,
                actor,
                CaseDraft(
                    category=category,
                    parties=[party],
                    summary=visit.summary or PURPOSE_LABELS[visit.purpose],
                    incident_id=visit.incident_id,
                    visit_id=visit.id,
                ),
            )
            visit.mediation_case_id = case_id
            return case_id

    def mediation_state(self, actor: Actor, visit_id: uuid.UUID) -> tuple[str, CaseState] | None:
        """(case number, state) of the mediation case the visit started, or None."""
        actor.require(Permission.RECEPTION_REGISTER)
        with self._session_factory() as session:
            visit = self._visit(session, visit_id)
            if visit.mediation_case_id is None:
                return None
            row = session.execute(
                select(MediationCase.case_no, MediationCase.state).where(
                    MediationCase.id == visit.mediation_case_id
                )
            ).first()
            return (row[0], row[1]) if row is not None else None

    def incident_state(self, actor: Actor, visit_id: uuid.UUID) -> tuple[str, str] | None:
        """(case number, state value) of the incident the visit started, or None."""
        actor.require(Permission.RECEPTION_REGISTER)
        with self._session_factory() as session:
            visit = self._visit(session, visit_id)
            if visit.incident_id is None:
                return None
            row = session.execute(
                select(Incident.case_no, Incident.state).where(Incident.id == visit.incident_id)
            ).one()
            return row[0], row[1].value

    def _visit(self, session: Session, visit_id: uuid.UUID) -> Visit:
        visit = session.get(Visit, visit_id)
        if visit is None or visit.township_code != self._township_code:
            raise NotFound("来访记录不存在或不属于本中心。")
        return visit

    # --- finding people (lists are always masked) -----------------------------------

    def recent(self, actor: Actor, *, limit: int = 200, search: str = "") -> list[VisitRow]:
        """Newest visits first; `search` matches a name fragment, pinyin initials, the
        last four digits of the ID number or the whole number. ID numbers and phones are
        masked: the full value is `unmask`ed one visit at a time, audited."""
        actor.require(Permission.RECEPTION_REGISTER)
        mine = Visit.township_code == self._township_code
        newest = (Visit.visited_at.desc(),)
        queries = [
            select(*ROW_COLUMNS).where(mine, c).order_by(*newest).limit(limit)
            for c in search_conditions(search)
        ]
        gram, fragment = fragment_search(search)
        if gram and fragment is not None:
            queries.append(
                select(*ROW_COLUMNS)
                .join(VisitNameGram, VisitNameGram.visit_id == Visit.id)
                .where(VisitNameGram.gram == gram, mine, fragment)
                .order_by(VisitNameGram.visited_at.desc())
                .limit(limit)
            )
        if not search.strip():
            queries = [select(*ROW_COLUMNS).where(mine).order_by(*newest).limit(limit)]
        found: dict[str, VisitRow] = {}
        with self._session_factory() as session:
            for query in queries:
                for row in session.execute(query):
                    visit_row = _row_of(row)
                    found[visit_row.id] = visit_row
        return sorted(found.values(), key=lambda r: r.visited_at, reverse=True)[:limit]

    def previous_visits(self, actor: Actor, id_number: str) -> Sequence[VisitRow]:
        """Earlier visits of the same person (重复来访), found by ID number (masked rows)."""
        actor.require(Permission.RECEPTION_REGISTER)
        number = validate_id_number(id_number, today=to_local(self._clock.now()).date())
        with self._session_factory() as session:
            visits = session.scalars(
                select(Visit)
                .where(Visit.township_code == self._township_code, Visit.id_number == number)
                .order_by(Visit.visited_at.desc())
            )
            return [_row(v) for v in visits]

    def check_person(self, actor: Actor, id_number: str, name: str) -> PersonCheck:
        """Earlier visits and petitions of this ID number, and other names it was
        registered under (the clerk is told before registering)."""
        actor.require(Permission.RECEPTION_REGISTER)
        number = validate_id_number(id_number, today=to_local(self._clock.now()).date())
        clean = normalise_name(name) if name.strip() else ""
        with self._session_factory() as session:
            names = list(
                session.execute(
                    select(Visit.visitor_name, func.count())
                    .where(Visit.township_code == self._township_code, Visit.id_number == number)
                    .group_by(Visit.visitor_name)
                ).all()
            )
            petitions = list(
                session.scalars(
                    select(Petition.state).where(
                        Petition.township_code == self._township_code, Petition.id_number == number
                    )
                )
            )
        closed = (PetitionState.CLOSED, PetitionState.NOT_ACCEPTED)
        return PersonCheck(
            earlier_visits=sum(n for _, n in names),
            other_names=tuple(sorted(n for n, _ in names if clean and n != clean)),
            petitions=len(petitions),
            open_petitions=sum(s not in closed for s in petitions),
        )

    def history(self, actor: Actor, visit_id: uuid.UUID) -> PersonHistory:
        """The visitor of `visit_id` with their earlier visits (same ID number, or the same
        visit alone for an anonymous visitor), petitions and linked incidents."""
        actor.require(Permission.RECEPTION_REGISTER)
        with self._session_factory() as session:
            visit = self._visit(session, visit_id)
            if visit.id_number:
                visits = list(
                    session.scalars(
                        select(Visit)
                        .where(
                            Visit.township_code == self._township_code,
                            Visit.id_number == visit.id_number,
                        )
                        .order_by(Visit.visited_at.desc())
                    )
                )
                petitions = [
                    (p.number, p.state, p.received_on)
                    for p in session.scalars(
                        select(Petition)
                        .where(
                            Petition.township_code == self._township_code,
                            Petition.id_number == visit.id_number,
                        )
                        .order_by(Petition.received_on.desc())
                    )
                ]
            else:
                visits, petitions = [visit], []
            incident_ids = [v.incident_id for v in visits if v.incident_id is not None]
            incidents = (
                [
                    (i.case_no, i.state, i.title)
                    for i in session.scalars(
                        select(Incident)
                        .where(Incident.id.in_(incident_ids))
                        .order_by(Incident.reported_at.desc())
                    )
                ]
                if incident_ids
                else []
            )
            case_ids = [v.mediation_case_id for v in visits if v.mediation_case_id is not None]
            cases = (
                [
                    (c.case_no, c.state, c.title)
                    for c in session.scalars(
                        select(MediationCase)
                        .where(MediationCase.id.in_(case_ids))
                        .order_by(MediationCase.accepted_at.desc())
                    )
                ]
                if case_ids
                else []
            )
            names = sorted({v.visitor_name for v in visits} - {visit.visitor_name})
            return PersonHistory(
                visit.visitor_name,
                mask_id_number(visit.id_number),
                [_row(v) for v in visits],
                petitions,
                incidents,
                tuple(names),
                cases,
                _detail(session, visit),
            )

    def unmask(self, actor: Actor, visit_id: uuid.UUID) -> Unmasked:
        """The full ID number and phone of one visit, for UNMASK_MINUTES; needs the
        personal-data permission and leaves an audit entry."""
        actor.require(Permission.PERSONAL_DATA_VIEW)
        with self._session_factory.begin() as session:
            visit = self._visit(session, visit_id)
            audit.record(
                session,
                self._clock,
                actor,
                "personal_data.view",
                target_type="visit",
                target_id=visit.id,
                summary=f"查看来访人完整证件号和电话 {visit.ticket_no}",
            )
            return Unmasked(
                visit.id,
                visit.id_number or "",
                visit.phone or "",
                self._clock.now() + dt.timedelta(minutes=UNMASK_MINUTES),
            )


def _detail(session: Session, visit: Visit) -> VisitDetail:
    ticket = session.scalar(
        select(QueueTicket).where(QueueTicket.visit_id == visit.id).order_by(QueueTicket.issued_at)
    )
    service = session.get(HallService, ticket.service_id) if ticket else None
    window = session.get(HallWindow, ticket.window_id) if ticket and ticket.window_id else None
    return VisitDetail(
        visited_at=visit.visited_at,
        purpose=visit.purpose,
        summary=visit.summary,
        group_size=visit.group_size,
        is_group_visit=visit.is_group_visit,
        routed_to=visit.routed_to,
        phone=mask_phone(visit.phone),
        registered_by=visit.registered_by,
        ticket_code=ticket.code if ticket else None,
        ticket_state=ticket.state if ticket else None,
        service_name=service.name if service else "",
        window_number=window.number if window else None,
        waited=_span(ticket.queued_at, ticket.first_called_at) if ticket else None,
        served=_span(ticket.serving_at, ticket.finished_at) if ticket else None,
    )


def _span(start: dt.datetime | None, end: dt.datetime | None) -> dt.timedelta | None:
    return end - start if start is not None and end is not None else None


def visit_reporter(visitor: str, group_size: int, clerk: str) -> str:
    """The 上报人 of a case started from a visit, as the duty officer reads it: the visitor
    (and the group's size), then the clerk who registered it by name, not by login:
    "来访群众 金小军 等 12 人（接待窗口 林小红登记）". Fits the incident's 64 characters:
    the clerk's name is dropped before the visitor's."""
    people = f" 等 {group_size} 人" if group_size > 1 else ""
    who = f"来访群众 {visitor}{people}"
    full = f"{who}（接待窗口 {clerk.strip()}登记）"
    if clerk.strip() and len(full) <= INCIDENT_REPORTER_MAX:
        return full
    return f"{who}（接待窗口登记）"[:INCIDENT_REPORTER_MAX]


def _incident_phone(phone: str | None) -> str:
    """The visitor's phone for the case, when the incident's rule takes it (a foreign
    number stays on the visit only)."""
    from centre_app.incidents.phone import normalise_phone as incident_phone

    try:
        return incident_phone(phone or "")
    except ValidationError:
        return ""


def name_grams(name: str) -> set[str]:
    """The two-character pieces of a name (王晓燕 → 王晓, 晓燕) the fragment index holds."""
    compact = "".join(c for c in name.lower() if c.isalnum())
    if len(compact) < 2:
        return {compact} if compact else set()
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def _clean_term(search: str) -> str:
    term = " ".join(unicodedata.normalize("NFKC", search).split())[:32]
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in term):
        return ""
    return name_search_form(term)


def _like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_conditions(search: str) -> list[ColumnElement[bool]]:
    """Indexed conditions for what the clerk typed, by its shape: the whole ID number, its
    last four digits (what a masked list shows), pinyin initials (a prefix, as a range so
    an index serves it), or a one-character name (the only scan)."""
    term = _clean_term(search)
    compact = term.upper().replace(" ", "")
    if not compact:
        return []
    if len(compact) == 18 and compact[:17].isdigit():
        return [Visit.id_number == compact]
    if len(compact) == 4 and compact[:3].isdigit() and (compact[3].isdigit() or compact[3] == "X"):
        return [Visit.id_last4 == compact]
    conditions: list[ColumnElement[bool]] = []
    if term.isascii() and term.isalpha() and len(term) <= 16:
        low = term.lower()
        conditions.append(
            and_(Visit.name_initials >= low, Visit.name_initials < low[:-1] + chr(ord(low[-1]) + 1))
        )
    if len(name_grams(term)) == 1 and len("".join(c for c in term if c.isalnum())) < 2:
        conditions.append(Visit.visitor_name.like(f"%{_like(term)}%", escape="\\"))
    return conditions


def fragment_search(search: str) -> tuple[str, ColumnElement[bool] | None]:
    """(a two-character piece to look up, the full-fragment check) for a name fragment of
    two or more characters; % and _ are taken literally."""
    term = _clean_term(search)
    compact = "".join(c for c in term.lower() if c.isalnum())
    if len(compact) < 2 or compact.isdigit():
        return "", None
    return compact[:2], Visit.visitor_name.like(f"%{_like(term)}%", escape="\\")


def mask_phone(phone: str | None) -> str:
    """138****5678: the first three and last four digits (of the number: a landline's
    extension, 057764781234-8001, is not what identifies it: 057*****1234-8001)."""
    if not phone:
        return ""
    number, hyphen, extension = phone.partition("-")
    if hyphen:
        return mask_phone(number) + hyphen + extension
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


ROW_COLUMNS = (
    Visit.id,
    Visit.ticket_no,
    Visit.visited_at,
    Visit.visitor_name,
    Visit.id_number,
    Visit.purpose,
    Visit.group_size,
    Visit.is_group_visit,
    Visit.routed_to,
    Visit.phone,
    Visit.incident_id,
)


def _row_of(row: Any) -> VisitRow:
    """A VisitRow from the columns of ROW_COLUMNS (no ORM object: lists stay fast)."""
    (visit_id, ticket, at, name, number, purpose, size, group, routed, phone, incident) = row
    return VisitRow(
        str(visit_id),
        ticket,
        at,
        name,
        mask_id_number(number),
        purpose,
        size,
        group,
        routed,
        mask_phone(phone),
        incident,
    )


def _row(visit: Visit) -> VisitRow:
    return VisitRow(
        str(visit.id),
        visit.ticket_no,
        visit.visited_at,
        visit.visitor_name,
        mask_id_number(visit.id_number),
        visit.purpose,
        visit.group_size,
        visit.is_group_visit,
        visit.routed_to,
        mask_phone(visit.phone),
        visit.incident_id,
        visit.mediation_case_id,
    )
