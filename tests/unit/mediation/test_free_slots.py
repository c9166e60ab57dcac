"""The free-slot finder respects every booking rule: what it offers can be booked."""

from __future__ import annotations

import datetime as dt
import random

from centre_app.clock import ManualClock
from centre_app.mediation.free_slots import find_free
from centre_app.mediation.service import SessionDraft
from tests.unit.mediation.conftest import MONDAY, Centre, at

WEEK = (at(MONDAY, "00:00"), at(MONDAY + dt.timedelta(days=7), "00:00"))


def test_the_next_free_90_minutes_for_a_labour_dispute_mediator(centre: Centre) -> None:
    # Both labour-dispute mediators (黄建平, 谢春生) are busy on Monday morning.
    centre.book("劳动争议调解室", "08:30", "12:00", mediators=("黄建平",))
    centre.book("法律援助服务室", "08:30", "11:45", mediators=("谢春生",))
    [slot] = find_free(
        centre.svc, centre.clerk, 90, start=WEEK[0], end=WEEK[1], speciality="劳资纠纷"
    )
    assert (slot.starts_at, slot.mediator_name) == (at(MONDAY, "11:45"), "谢春生")
    assert slot.room_name != "法律援助服务室"  # its buffer keeps it until 11:55
    centre.svc.book(
        centre.clerk, SessionDraft(slot.room_id, slot.starts_at, slot.ends_at, [slot.mediator_id])
    )


def test_a_holiday_week_offers_the_first_working_day(centre: Centre, clock: ManualClock) -> None:
    start = at(dt.date(2026, 10, 1), "00:00")
    clock.set(start - dt.timedelta(days=1))
    [slot] = find_free(
        centre.svc,
        centre.clerk,
        60,
        start=start,
        end=start + dt.timedelta(days=14),
        speciality="劳资纠纷",
    )
    # 10-01..10-07 are holidays (National Day and Mid-Autumn), 10-08 is not: the 8th.
    assert slot.starts_at == at(dt.date(2026, 10, 8), "08:30")


def test_the_past_is_never_offered(centre: Centre) -> None:
    [slot] = find_free(
        centre.svc, centre.clerk, 60, start=at(dt.date(2026, 11, 20), "00:00"), end=WEEK[1]
    )
    assert slot.starts_at == at(dt.date(2026, 11, 20), "10:00")  # the clock says 10:00


def test_every_slot_offered_on_a_busy_week_can_be_booked(centre: Centre) -> None:
    rng = random.Random(5)
    rooms, mediators = list(centre.rooms), list(centre.mediators)
    for _ in range(60):
        day = MONDAY + dt.timedelta(days=rng.randrange(5))
        start = at(day, f"{rng.randrange(8, 16):02d}:{rng.choice(['00', '30']):s}")
        draft = SessionDraft(
            centre.rooms[rng.choice(rooms)],
            start,
            start + dt.timedelta(minutes=rng.choice([30, 60, 90])),
            [centre.mediators[rng.choice(mediators)]],
        )
        if not [c for c in centre.svc.check(draft) if c.blocking]:
            centre.svc.book(centre.clerk, draft)
    offered = find_free(centre.svc, centre.clerk, 90, start=WEEK[0], end=WEEK[1], limit=40)
    assert len(offered) == 40
    assert offered == sorted(offered, key=lambda s: s.starts_at)
    for slot in offered:
        draft = SessionDraft(slot.room_id, slot.starts_at, slot.ends_at, [slot.mediator_id])
        assert centre.svc.check(draft) == [], slot


def test_the_batched_series_check_says_what_the_single_check_says(centre: Centre) -> None:
    rng = random.Random(9)
    for _ in range(40):
        day = MONDAY + dt.timedelta(days=rng.randrange(5))
        start = at(day, f"{rng.randrange(8, 17):02d}:{rng.choice(['00', '30']):s}")
        draft = SessionDraft(
            centre.rooms["劳动争议调解室"]
            if rng.random() < 0.5
            else centre.rooms[rng.choice(list(centre.rooms))],
            start,
            start + dt.timedelta(minutes=rng.choice([30, 60])),
            [centre.mediators[rng.choice(list(centre.mediators))]],
        )
        if not [c for c in centre.svc.check(draft) if c.blocking]:
            centre.svc.book(centre.clerk, draft)
    drafts = [
        SessionDraft(
            centre.rooms["劳动争议调解室"],
            at(MONDAY + dt.timedelta(days=d), t),
            at(MONDAY + dt.timedelta(days=d), t) + dt.timedelta(minutes=75),
            [centre.mediators["黄建平"]],
        )
        for d in range(7)
        for t in ("08:00", "09:15", "10:40", "13:00", "16:45")
    ]
    batched = centre.svc.check_many(drafts)
    single = [centre.svc.check(d) for d in drafts]
    assert [[c.message for c in b] for b in batched] == [[c.message for c in s] for s in single]
    assert any(batched) and not all(batched)
