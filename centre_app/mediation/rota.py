"""The duty rota and recurring sessions: an RRULE (python-dateutil) in local time with
exceptions (EXDATE) and added dates (RDATE), materialised as sessions so one conflict check
covers them like any booking.

- A series is checked occurrence by occurrence, each clash reported; the rest is booked
  only when the clerk agrees (`skip_clashes`), the clashing dates becoming exceptions.
- Editing one occurrence (move, cancel) makes it an exception the series keeps.
- Editing the whole series, or this and the following occurrences (the series is split),
  moves every occurrence that was not edited on its own; earlier exceptions stay as they
  are. All of it is checked in one transaction: one clash and nothing changes.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.rrule import rrule, rruleset, rrulestr
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from centre_app.clock import LOCAL_TZ
from centre_app.errors import ConflictError, NotFound, ValidationError, msg
from centre_app.mediation.rules import Clash, validate_slot
from centre_app.mediation.service import (
    STATUS_LABELS,
    BookingResult,
    MediationService,
    SessionDraft,
    SessionView,
    _views,
    clean_text,
    write_bookings,
)
from centre_app.security import audit
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.mediation import Booking, MediationSession, RotaSeries, SessionStatus
from db.models.mediation_ref import Mediator, Room

MAX_SPAN_DAYS = 2 * 366 + 1  # a series covers at most two years
MAX_OCCURRENCES = 800


def _occurrence(session: Session, session_id: uuid.UUID) -> tuple[MediationSession, RotaSeries]:
    """The session and the rota series it belongs to, or a refusal in words."""
    row = session.get(MediationSession, session_id)
    if row is None:
        raise NotFound("调解安排不存在（可能已被删除）")
    series = session.get(RotaSeries, row.series_id) if row.series_id else None
    if series is None:
        raise ValidationError("这场调解不属于重复安排")
    return row, series


class EditScope(enum.Enum):
    THIS = "this"
    FOLLOWING = "following"
    ALL = "all"


@dataclass(frozen=True)
class SeriesDraft:
    room_id: uuid.UUID
    mediator_ids: Sequence[uuid.UUID]
    rule: str  # e.g. "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630"
    first_start: dt.datetime  # local (naive: Shanghai) start of the first occurrence
    duration_minutes: int
    title: str = ""
    case_id: uuid.UUID | None = None
    added: Sequence[dt.datetime] = ()  # RDATE: extra local starts
    excluded: Sequence[dt.datetime] = ()  # EXDATE


@dataclass(frozen=True)
class Occurrence:
    local_start: dt.datetime  # naive local
    clashes: tuple[Clash, ...]


@dataclass(frozen=True)
class SeriesResult:
    series_id: uuid.UUID
    booked: int
    skipped: tuple[Occurrence, ...]


def _naive_local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        value = value.astimezone(LOCAL_TZ)
    return value.replace(tzinfo=None, second=0, microsecond=0)


def expand(
    rule: str,
    first_start: dt.datetime,
    added: Sequence[dt.datetime] = (),
    excluded: Sequence[dt.datetime] = (),
) -> list[dt.datetime]:
    """The local starts of a rule, refused in words when it never ends, runs past two
    years, or produces no date."""
    start = _naive_local(first_start)
    text = rule.strip().removeprefix("RRULE:")
    if "\n" in text or not text or len(text) > 255:
        raise ValidationError("重复规则应为一行 RRULE，例如 FREQ=WEEKLY;BYDAY=TU;COUNT=10")
    if "UNTIL=" not in text.upper() and "COUNT=" not in text.upper():
        raise ValidationError("重复规则没有结束日期或次数，请填写结束日期（最长两年）")
    try:
        parsed = rrulestr(text, dtstart=start)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            "重复规则“{rule}”无法识别（{reason}）", rule=text[:60], reason=str(exc)[:80]
        ) from None
    assert isinstance(parsed, rrule)
    limit = start + dt.timedelta(days=MAX_SPAN_DAYS)
    rules = rruleset()
    rules.rrule(parsed)
    for extra in added:
        rules.rdate(_naive_local(extra))
    for gone in excluded:
        rules.exdate(_naive_local(gone))
    starts: list[dt.datetime] = []
    for occurrence in rules:
        if occurrence > limit:
            raise ValidationError(
                "重复安排超过两年（{first} 起），请缩短结束日期", first=start.date().isoformat()
            )
        starts.append(occurrence)
        if len(starts) > MAX_OCCURRENCES:
            raise ValidationError("重复安排超过 {limit} 次，请缩短结束日期", limit=MAX_OCCURRENCES)
    if not starts:
        raise ValidationError(
            "重复规则从 {first} 起没有产生任何日期，请检查星期和结束日期",
            first=start.date().isoformat(),
        )
    return starts


def _aware(local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=LOCAL_TZ)


class RotaService:
    def __init__(self, mediation: MediationService) -> None:
        self._m = mediation

    def _draft(self, draft: SeriesDraft, local_start: dt.datetime) -> SessionDraft:
        start = _aware(local_start)
        return SessionDraft(
            draft.room_id,
            start,
            start + dt.timedelta(minutes=draft.duration_minutes),
            draft.mediator_ids,
            draft.case_id,
            draft.title,
        )

    def preview(self, draft: SeriesDraft) -> list[Occurrence]:
        """Every occurrence with its clashes (empty when it can be booked)."""
        self._check_duration(draft.duration_minutes)
        starts = expand(draft.rule, draft.first_start, draft.added, draft.excluded)
        checked = self._m.check_many([self._draft(draft, local) for local in starts])
        return [
            Occurrence(local, tuple(found)) for local, found in zip(starts, checked, strict=True)
        ]

    def book_series(
        self, actor: Actor, draft: SeriesDraft, *, skip_clashes: bool = False
    ) -> SeriesResult:
        """Book every occurrence. With clashes: refused listing how many and the first,
        unless `skip_clashes` (the clerk agreed), when the clashing dates become
        exceptions and the rest is booked."""
        actor.require(Permission.MEDIATION_BOOK)
        self._check_duration(draft.duration_minutes)
        starts = expand(draft.rule, draft.first_start, draft.added, draft.excluded)
        with self._m._writing() as session:
            series = RotaSeries(
                title=draft.title or "",
                case_id=draft.case_id,
                room_id=draft.room_id,
                mediator_ids=[str(m) for m in draft.mediator_ids],
                rrule=draft.rule.strip().removeprefix("RRULE:"),
                dtstart_local=_naive_local(draft.first_start).isoformat(timespec="minutes"),
                duration_minutes=draft.duration_minutes,
                exdates=[_naive_local(x).isoformat() for x in draft.excluded],
                rdates=[_naive_local(x).isoformat() for x in draft.added],
            )
            session.add(series)
            session.flush()
            skipped: list[Occurrence] = []
            booked = 0
            for local in starts:
                one = self._draft(draft, local)
                slot = validate_slot(one.starts_at, one.ends_at)
                plan = self._m._plan(session, one, slot)
                clashes = self._m._clashes(session, plan, None)
                if any(c.blocking for c in clashes):
                    skipped.append(Occurrence(local, tuple(clashes)))
                    continue
                result = self._m._book_in(
                    session,
                    actor,
                    one,
                    slot,
                    True,
                    series_id=series.id,
                    occurrence=local.isoformat(),
                )
                booked += 1
                assert result.session_id
            if skipped and not skip_clashes:
                first = skipped[0].clashes[0]
                raise ConflictError(
                    "重复安排中有 {count} 次冲突，第一次在 {day}：{clash}",
                    count=len(skipped),
                    day=skipped[0].local_start.strftime("%Y-%m-%d"),
                    clash=first.message,
                )
            series.exdates = series.exdates + [o.local_start.isoformat() for o in skipped]
            if not series.title:
                series.title = plan.title
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.series",
                target_type="mediation_series",
                target_id=series.id,
                summary=f"{series.title} {series.rrule} 共 {booked} 次，跳过 {len(skipped)} 次",
            )
            return SeriesResult(series.id, booked, tuple(skipped))

    def cancel_occurrence(self, actor: Actor, session_id: uuid.UUID, reason: str) -> None:
        """Cancel one occurrence; it stays an exception of its series (one transaction)."""
        with self._m._session_factory() as session:
            row = session.get(MediationSession, session_id)
            in_series = row is not None and row.series_id is not None and bool(row.occurrence)
        if in_series:
            RotaBook(self._m).remove_date(actor, session_id, reason)
        else:
            self._m.set_status(actor, session_id, SessionStatus.CANCELLED, reason=reason)

    def cancel_series(
        self, actor: Actor, session_id: uuid.UUID, scope: EditScope, reason: str
    ) -> int:
        """Cancel this occurrence, this and the following, or every planned occurrence of
        its series, in one transaction: each cancelled date becomes an exception (EXDATE),
        so a later series edit leaves it out. Occurrences edited on their own (exceptions)
        and the ones already held stay as they were. Returns how many were cancelled."""
        if scope is EditScope.THIS:
            RotaBook(self._m).remove_date(actor, session_id, reason)
            return 1
        actor.require(Permission.MEDIATION_BOOK)
        why = clean_text(reason, msg("取消原因"), 500)
        with self._m._writing() as session:
            row, series = _occurrence(session, session_id)
            query = select(MediationSession).where(
                MediationSession.series_id == series.id,
                MediationSession.status == SessionStatus.PLANNED,
                or_(MediationSession.detached.is_(False), MediationSession.id == row.id),
            )
            if scope is EditScope.FOLLOWING:
                query = query.where(MediationSession.starts_at >= row.starts_at)
            cancelling = list(session.scalars(query.order_by(MediationSession.starts_at)))
            ids = [m.id for m in cancelling]
            if ids:
                session.execute(delete(Booking).where(Booking.session_id.in_(ids)))
            added = []
            for m in cancelling:
                m.status, m.cancel_reason, m.detached = SessionStatus.CANCELLED, why, True
                if m.occurrence and m.occurrence not in series.exdates:
                    added.append(m.occurrence)
            series.exdates = [*series.exdates, *added]
            series.rdates = [x for x in series.rdates if x not in added]
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.series_cancel",
                target_type="mediation_series",
                target_id=series.id,
                summary=f"{series.title} {scope.value} 取消 {len(cancelling)} 次：{why}",
            )
            return len(cancelling)

    def edit_series(
        self,
        actor: Actor,
        session_id: uuid.UUID,
        scope: EditScope,
        *,
        start_time: dt.time,
        duration_minutes: int,
        room_id: uuid.UUID | None = None,
    ) -> int:
        """Move the occurrences in `scope` to a new time of day (and room) on their own
        dates; returns how many moved. Exceptions (occurrences edited on their own) keep
        their time; the ones already held stay as they were."""
        actor.require(Permission.MEDIATION_BOOK)
        self._check_duration(duration_minutes)
        if scope is EditScope.THIS:
            with self._m._session_factory() as session:
                row = session.get(MediationSession, session_id)
                if row is None:
                    raise NotFound("调解安排不存在（可能已被删除）")
                day = row.starts_at.astimezone(LOCAL_TZ).date()
            start = dt.datetime.combine(day, start_time, LOCAL_TZ)
            self._m.move(
                actor,
                session_id,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=duration_minutes),
                room_id=room_id,
            )
            return 1
        with self._m._writing() as session:
            row, series = _occurrence(session, session_id)
            query = select(MediationSession).where(
                MediationSession.series_id == series.id,
                MediationSession.status == SessionStatus.PLANNED,
                MediationSession.detached.is_(False),
            )
            if scope is EditScope.FOLLOWING:
                query = query.where(MediationSession.starts_at >= row.starts_at)
            moving = list(session.scalars(query.order_by(MediationSession.starts_at)))
            target = series
            if scope is EditScope.FOLLOWING:
                target = self._split(session, series, row)
                for later in session.scalars(
                    select(MediationSession).where(
                        MediationSession.series_id == series.id,
                        MediationSession.starts_at >= row.starts_at,
                    )
                ):
                    later.series_id = target.id  # exceptions follow, unchanged
            target.duration_minutes = duration_minutes
            target.room_id = room_id or target.room_id
            first_local = dt.datetime.fromisoformat(target.dtstart_local)
            target.dtstart_local = dt.datetime.combine(first_local.date(), start_time).isoformat(
                timespec="minutes"
            )
            ids = [m.id for m in moving]
            if ids:
                session.execute(delete(Booking).where(Booking.session_id.in_(ids)))
                session.flush()
            clashes: list[tuple[dt.date, Clash]] = []
            for m in moving:
                day = m.starts_at.astimezone(LOCAL_TZ).date()
                start = dt.datetime.combine(day, start_time, LOCAL_TZ)
                one = SessionDraft(
                    room_id or m.room_id,
                    start,
                    start + dt.timedelta(minutes=duration_minutes),
                    [uuid.UUID(x) for x in m.mediator_ids],
                    m.case_id,
                    m.title,
                    m.party_keys,
                )
                slot = validate_slot(one.starts_at, one.ends_at)
                plan = self._m._plan(session, one, slot)
                found = [c for c in self._m._clashes(session, plan, m.id) if c.blocking]
                if found:
                    clashes.append((day, found[0]))
                    continue
                m.starts_at, m.ends_at, m.room_id = slot.starts_at, slot.ends_at, plan.room.id
                m.buffer_minutes = plan.room.buffer_minutes
                m.buffer_before_minutes = plan.room.buffer_before_minutes
                m.occurrence = dt.datetime.combine(day, start_time).isoformat()
                session.flush()
                write_bookings(session, m)
            if clashes:
                day, clash = clashes[0]
                raise ConflictError(
                    "修改后有 {count} 次冲突，第一次在 {day}：{clash}（未作任何修改）",
                    count=len(clashes),
                    day=day.isoformat(),
                    clash=clash.message,
                )
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.series_edit",
                target_type="mediation_series",
                target_id=target.id,
                summary=f"{target.title} {scope.value} → {start_time:%H:%M} "
                f"{duration_minutes} 分钟，{len(moving)} 次",
            )
            return len(moving)

    @staticmethod
    def _split(session: Session, series: RotaSeries, at_row: MediationSession) -> RotaSeries:
        """End `series` before `at_row`'s occurrence and continue it as a new series."""
        local = at_row.starts_at.astimezone(LOCAL_TZ).replace(tzinfo=None)
        until = (local - dt.timedelta(days=1)).strftime("%Y%m%dT235959")
        parts = [
            p for p in series.rrule.split(";") if not p.upper().startswith(("UNTIL=", "COUNT="))
        ]
        old_parts = [*parts, f"UNTIL={until}"]
        new_parts = [p for p in series.rrule.split(";") if not p.upper().startswith("COUNT=")]
        if not any(p.upper().startswith("UNTIL=") for p in new_parts):
            last = session.scalar(
                select(MediationSession.starts_at)
                .where(MediationSession.series_id == series.id)
                .order_by(MediationSession.starts_at.desc())
                .limit(1)
            )
            assert last is not None
            new_parts.append("UNTIL=" + last.astimezone(LOCAL_TZ).strftime("%Y%m%dT235959"))
        follower = RotaSeries(
            title=series.title,
            case_id=series.case_id,
            room_id=series.room_id,
            mediator_ids=list(series.mediator_ids),
            rrule=";".join(new_parts),
            dtstart_local=local.isoformat(timespec="minutes"),
            duration_minutes=series.duration_minutes,
            exdates=[x for x in series.exdates if x >= local.isoformat()],
            rdates=[x for x in series.rdates if x >= local.isoformat()],
        )
        series.rrule = ";".join(old_parts)
        series.exdates = [x for x in series.exdates if x < local.isoformat()]
        series.rdates = [x for x in series.rdates if x < local.isoformat()]
        session.add(follower)
        session.flush()
        return follower

    @staticmethod
    def _check_duration(minutes: int) -> None:
        if not 5 <= minutes <= 12 * 60:
            raise ValidationError(
                "每次时长应在 5 分钟到 12 小时之间，{minutes} 分钟不行", minutes=minutes
            )


# --- building a rule from a form, reading one back ------------------------------------

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def weekly_rule(
    weekdays: Sequence[int], *, until: dt.date | None = None, count: str | int | None = None
) -> str:
    """“weekly on these ISO weekdays (1 = Monday), until a day or a number of times” as an
    RRULE line; the end is required (a rota that never ends is refused by `expand`)."""
    days = sorted(set(weekdays))
    if not days:
        raise ValidationError("请至少选择一个星期几")
    if any(not 1 <= d <= 7 for d in days):
        raise ValidationError("星期应为 1 到 7")
    parts = ["FREQ=WEEKLY", "BYDAY=" + ",".join(WEEKDAY_CODES[d - 1] for d in days)]
    if (until is None) == (count is None):
        raise ValidationError("请填写结束日期或次数（二选一）")
    if until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    else:
        text = unicodedata.normalize("NFKC", str(count)).strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_OCCURRENCES:
            raise ValidationError(
                "次数应为 1 到 {limit} 的整数，“{raw}”不行",
                limit=MAX_OCCURRENCES,
                raw=str(count)[:20],
            )
        parts.append(f"COUNT={int(text)}")
    return ";".join(parts)


@dataclass(frozen=True)
class RuleParts:
    weekdays: tuple[int, ...]  # ISO, empty when the rule is not by weekday
    until: dt.date | None
    count: int | None
    interval: int


def rule_parts(rule: str) -> RuleParts:
    fields = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    weekdays = tuple(
        WEEKDAY_CODES.index(code[-2:]) + 1
        for code in fields.get("BYDAY", "").split(",")
        if code[-2:] in WEEKDAY_CODES
    )
    until = None
    if "UNTIL" in fields:
        until = dt.datetime.strptime(fields["UNTIL"][:8], "%Y%m%d").date()
    count = int(fields["COUNT"]) if fields.get("COUNT", "").isdigit() else None
    interval = int(fields["INTERVAL"]) if fields.get("INTERVAL", "").isdigit() else 1
    return RuleParts(weekdays, until, count, interval)


@dataclass(frozen=True)
class SeriesView:
    id: uuid.UUID
    title: str
    room_id: uuid.UUID
    room_name: str
    mediator_names: tuple[str, ...]
    rule: str
    first_local: dt.datetime
    duration_minutes: int
    exdates: tuple[str, ...]
    rdates: tuple[str, ...]
    planned: int  # occurrences still planned


class RotaBook:
    """Reading the series and adding or removing one date of a series: each one call,
    one transaction, one audit record."""

    def __init__(self, mediation: MediationService) -> None:
        self._m = mediation

    def series(self, actor: Actor) -> list[SeriesView]:
        actor.require(Permission.MEDIATION_VIEW)
        with self._m._session_factory() as session:
            rooms = {r.id: r.name for r in session.scalars(select(Room))}
            people = {str(m.id): m.name for m in session.scalars(select(Mediator))}
            counts = dict(
                session.execute(
                    select(MediationSession.series_id, func.count())
                    .where(
                        MediationSession.series_id.is_not(None),
                        MediationSession.status == SessionStatus.PLANNED,
                    )
                    .group_by(MediationSession.series_id)
                ).all()
            )
            rows = session.scalars(
                select(RotaSeries).where(RotaSeries.active).order_by(RotaSeries.dtstart_local)
            )
            return [
                SeriesView(
                    s.id,
                    s.title,
                    s.room_id,
                    rooms.get(s.room_id, "?"),
                    tuple(people.get(m, "?") for m in s.mediator_ids),
                    s.rrule,
                    dt.datetime.fromisoformat(s.dtstart_local),
                    s.duration_minutes,
                    tuple(s.exdates),
                    tuple(s.rdates),
                    int(counts.get(s.id, 0)),
                )
                for s in rows
                if counts.get(s.id, 0) or s.rdates
            ]

    def occurrences(self, actor: Actor, series_id: uuid.UUID) -> list[SessionView]:
        """Every session of the series, cancelled ones (removed dates) included."""
        actor.require(Permission.MEDIATION_VIEW)
        with self._m._session_factory() as session:
            rows = session.scalars(
                select(MediationSession)
                .where(MediationSession.series_id == series_id)
                .order_by(MediationSession.starts_at)
            ).all()
            return _views(session, rows)

    def add_date(
        self,
        actor: Actor,
        series_id: uuid.UUID,
        local_start: dt.datetime,
        *,
        accept_warnings: bool = False,
    ) -> BookingResult:
        """One more date for the series (RDATE), at the series' room, people and length,
        checked like any booking; a date removed earlier comes back."""
        actor.require(Permission.MEDIATION_BOOK)
        local = _naive_local(local_start)
        with self._m._writing() as session:
            series = session.get(RotaSeries, series_id)
            if series is None:
                raise NotFound("值班轮值不存在（可能已被删除）")
            taken = session.scalar(
                select(func.count())
                .select_from(MediationSession)
                .where(
                    MediationSession.series_id == series_id,
                    MediationSession.occurrence == local.isoformat(),
                    MediationSession.status != SessionStatus.CANCELLED,
                )
            )
            if taken:
                raise ConflictError(
                    "{day} {time} 已在这个轮值中", day=f"{local:%Y-%m-%d}", time=f"{local:%H:%M}"
                )
            start = _aware(local)
            draft = SessionDraft(
                series.room_id,
                start,
                start + dt.timedelta(minutes=series.duration_minutes),
                [uuid.UUID(m) for m in series.mediator_ids],
                series.case_id,
                series.title,
            )
            slot = validate_slot(draft.starts_at, draft.ends_at)
            result = self._m._book_in(
                session,
                actor,
                draft,
                slot,
                accept_warnings,
                series_id=series.id,
                occurrence=local.isoformat(),
            )
            key = local.isoformat()
            series.exdates = [x for x in series.exdates if x != key]
            if key not in series.rdates:
                series.rdates = [*series.rdates, key]
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.series_add_date",
                target_type="mediation_series",
                target_id=series.id,
                summary=f"{series.title} + {local:%Y-%m-%d %H:%M}",
            )
            return result

    def remove_date(self, actor: Actor, session_id: uuid.UUID, reason: str) -> None:
        """Take one date out of its series: the session is cancelled (its slot freed) and
        the date kept as an exception, so later series edits leave it out."""
        actor.require(Permission.MEDIATION_BOOK)
        why = clean_text(reason, msg("取消原因"), 500)
        with self._m._writing() as session:
            row, series = _occurrence(session, session_id)
            if not row.occurrence:
                raise ValidationError("这场调解不属于重复安排")
            if row.status is not SessionStatus.PLANNED:
                raise ValidationError(
                    "这场调解已是“{status}”，不能再改为“{target}”",
                    status=STATUS_LABELS[row.status],
                    target=STATUS_LABELS[SessionStatus.CANCELLED],
                )
            row.status, row.cancel_reason, row.detached = SessionStatus.CANCELLED, why, True
            session.execute(delete(Booking).where(Booking.session_id == row.id))
            if row.occurrence not in series.exdates:
                series.exdates = [*series.exdates, row.occurrence]
            series.rdates = [x for x in series.rdates if x != row.occurrence]
            audit.record(
                session,
                self._m._clock,
                actor,
                "mediation.series_remove_date",
                target_type="mediation_series",
                target_id=series.id,
                summary=f"{series.title} − {row.occurrence[:16]} {why}",
            )
