"""iCalendar: export a room's or a mediator's sessions (a file a calendar program imports or
subscribes to), and import a law firm's duty rota with its recurring events, exceptions and
time zones expanded (recurring-ical-events), previewed with every clash before anything is
saved."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import icalendar
import recurring_ical_events
from sqlalchemy.exc import IntegrityError

from centre_app.clock import LOCAL_TZ
from centre_app.errors import ConflictError, ValidationError, msg
from centre_app.mediation.rules import Clash, hm, validate_slot
from centre_app.mediation.service import MediationService, SessionDraft
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.mediation import SessionStatus

MAX_FILE_BYTES = 2_000_000
MAX_EVENTS = 2_000
PRODID = "-//zongzhi-centre//mediation//ZH"


def export_calendar(
    service: MediationService,
    actor: Actor,
    start: dt.datetime,
    end: dt.datetime,
    *,
    room_id: uuid.UUID | None = None,
    mediator_id: uuid.UUID | None = None,
    name: str = "",
) -> bytes:
    """The sessions of one room or one mediator in [start, end) as an .ics file (UTC)."""
    views = service.sessions_between(
        actor,
        start,
        end,
        room_ids=[room_id] if room_id else None,
        mediator_id=mediator_id,
        include_cancelled=True,
    )
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name or "调解安排")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for view in views:
        event = icalendar.Event()
        event.add("uid", f"{view.id}@zongzhi-centre")
        event.add("dtstamp", stamp)
        event.add("dtstart", view.starts_at)
        event.add("dtend", view.ends_at)
        event.add("summary", view.title)
        event.add("location", view.room_name)
        event.add(
            "description",
            "；".join(filter(None, ["、".join(view.mediator_names), "、".join(view.party_names)])),
        )
        event.add("status", "CANCELLED" if view.status is SessionStatus.CANCELLED else "CONFIRMED")
        cal.add_component(event)
    return bytes(cal.to_ical())


def write_subscription(path: Path, data: bytes) -> None:
    """Replace the subscribed file in one step (a reader never sees half a file)."""
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(data)
    os.replace(part, path)


@dataclass(frozen=True)
class ImportedEvent:
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    mediator_id: uuid.UUID | None
    clashes: tuple[Clash, ...]


def _instant(value: object) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise ValidationError("日历文件中有全天事件，值班安排需要开始和结束时间")
    if value.tzinfo is None:  # floating time: the centre's own
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(dt.UTC)


def preview_import(
    service: MediationService,
    actor: Actor,
    data: bytes,
    room_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
) -> list[ImportedEvent]:
    """Every event of the file in [start, end), expanded, with what it would clash with:
    the centre's bookings, the rules, and the file's own overlapping events."""
    actor.require(Permission.MEDIATION_BOOK)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            "日历文件太大（{size} KB，最多 {limit} KB）",
            size=len(data) // 1024,
            limit=MAX_FILE_BYTES // 1024,
        )
    try:
        cal = icalendar.Calendar.from_ical(data)
        occurrences = recurring_ical_events.of(cal).between(start, end)
    except Exception as exc:  # the library raises many kinds for a broken file
        raise ValidationError(
            "不是有效的 iCalendar 文件（{reason}）", reason=str(exc)[:80]
        ) from None
    if len(occurrences) > MAX_EVENTS:
        raise ValidationError(
            "日历文件在所选时间内有 {count} 个事件，最多 {limit} 个",
            count=len(occurrences),
            limit=MAX_EVENTS,
        )
    mediators = service.mediators()
    events: list[ImportedEvent] = []
    for occurrence in sorted(occurrences, key=lambda e: _instant(e.get("DTSTART").dt)):
        summary = str(occurrence.get("SUMMARY", ""))[:128]
        begin = _instant(occurrence.get("DTSTART").dt)
        finish = (
            _instant(occurrence.get("DTEND").dt)
            if occurrence.get("DTEND")
            else begin + occurrence.get("DURATION").dt
        )
        mediator = next((m for m in mediators if m.name in summary), None)
        clashes: list[Clash] = []
        if mediator is None:
            clashes.append(Clash(msg("“{summary}”中没有本中心调解员的名字"), {"summary": summary}))
        else:
            draft = SessionDraft(room_id, begin, finish, [mediator.id], None, summary)
            try:
                clashes += service.check(draft)
            except ValidationError as exc:
                clashes.append(Clash(exc.template, exc.params))
        for earlier in events:
            if (
                earlier.starts_at < finish
                and begin < earlier.ends_at
                and earlier.mediator_id == (mediator.id if mediator else None)
            ):
                clashes.append(
                    Clash(
                        msg("文件中“{summary}”{start}–{end} 与另一事件重叠"),
                        {
                            "summary": earlier.summary,
                            "start": hm(earlier.starts_at),
                            "end": hm(earlier.ends_at),
                        },
                    )
                )
        events.append(
            ImportedEvent(summary, begin, finish, mediator.id if mediator else None, tuple(clashes))
        )
    return events


def save_import(
    service: MediationService, actor: Actor, room_id: uuid.UUID, events: Sequence[ImportedEvent]
) -> int:
    """Book the previewed events that have no blocking clash (the clerk saw the rest), all
    in one transaction: when one of them was taken meanwhile, nothing is saved."""
    actor.require(Permission.MEDIATION_BOOK)
    drafts = [
        SessionDraft(room_id, e.starts_at, e.ends_at, [e.mediator_id], None, e.summary)
        for e in events
        if e.mediator_id is not None and not any(c.blocking for c in e.clashes)
    ]
    try:
        with service._writing() as session:
            for draft in drafts:
                slot = validate_slot(draft.starts_at, draft.ends_at)
                service._book_in(session, actor, draft, slot, True)
    except IntegrityError as exc:  # PostgreSQL: another desk booked one of them first
        if "ex_mediation_booking_overlap" not in str(exc.orig):
            raise
        raise ConflictError("这个时段刚被其他工作台预约，请刷新日历后重试") from None
    return len(drafts)
