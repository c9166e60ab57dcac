"""The mediator menu (调解菜单) a party picks from (自选制): every active mediator with
specialities, organisation, success rate over the last year (from `MediationStats`) and the
next free slots (from the free-slot finder, so every slot offered can be booked by the same
rules). Picking one books through `MediationService.book(..., selection=Selection.MENU)`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from centre_app.errors import ValidationError, msg
from centre_app.mediation.free_slots import FreeSlot, find_free
from centre_app.mediation.service import MediationService
from centre_app.mediation.stats import MediationStats
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.mediation_ref import MediatorKind

KIND_LABELS: dict[MediatorKind, str] = {
    MediatorKind.PEOPLES_MEDIATOR: msg("人民调解员"),
    MediatorKind.LAWYER: msg("律师"),
    MediatorKind.EXPERT: msg("专家"),
    MediatorKind.PSYCHOLOGIST: msg("心理咨询师"),
}

# How far back the success rate looks, and how far ahead free slots are sought.
RATE_PERIOD = dt.timedelta(days=365)
SEARCH_DAYS = 14


@dataclass(frozen=True)
class MenuEntry:
    mediator_id: uuid.UUID
    name: str
    kind: MediatorKind
    specialities: tuple[str, ...]
    organisation: str
    accepted: int  # cases of the last year this mediator sat in
    resolved: int
    next_slots: tuple[FreeSlot, ...]

    @property
    def success_rate(self) -> float | None:
        return self.resolved / self.accepted if self.accepted else None


def mediator_menu(
    service: MediationService,
    stats: MediationStats,
    actor: Actor,
    *,
    minutes: int = 60,
    speciality: str = "",
    slots: int = 3,
    start: dt.datetime | None = None,
) -> list[MenuEntry]:
    """The active mediators (those with `speciality` first when one is given), each with
    its figures and up to `slots` free slots of `minutes` that do not overlap each other,
    sought over the next two weeks from `start` (default: now)."""
    actor.require(Permission.MEDIATION_VIEW)
    if not 1 <= slots <= 10:
        raise ValidationError("每位调解员最多列出 {limit} 个空闲时段", limit=10)
    now = service._clock.now()
    begin = start or now
    end = begin + dt.timedelta(days=SEARCH_DAYS)
    figures = {f.key: f for f in stats.by_mediator(actor, now - RATE_PERIOD, now)}
    entries = []
    for mediator in service.mediators():
        chosen = _apart(
            find_free(
                service,
                actor,
                minutes,
                start=begin,
                end=end,
                mediator_ids=[mediator.id],
                # The finder steps 15 minutes at a time: a free run yields a slot that does
                # not overlap the one before at least every `minutes // 15` results.
                limit=slots * max(1, minutes // 15),
            ),
            slots,
        )
        figure = figures.get(mediator.name)
        entries.append(
            MenuEntry(
                mediator.id,
                mediator.name,
                mediator.kind,
                tuple(s for s in mediator.specialties.split(",") if s),
                mediator.organisation or "",
                figure.accepted if figure else 0,
                figure.resolved if figure else 0,
                chosen,
            )
        )
    if speciality:
        entries.sort(key=lambda e: speciality not in e.specialities)
    return entries


def _apart(found: list[FreeSlot], wanted: int) -> tuple[FreeSlot, ...]:
    """The earliest `wanted` slots of `found` (earliest first) that do not overlap."""
    chosen: list[FreeSlot] = []
    for slot in found:
        if not chosen or slot.starts_at >= chosen[-1].ends_at:
            chosen.append(slot)
            if len(chosen) == wanted:
                break
    return tuple(chosen)
