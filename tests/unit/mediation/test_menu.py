"""The mediator menu's figures and slots without a screen: the last year's 化解率 per
mediator, three slots apart that the same rules would book, the case's speciality first,
deactivated mediators left out."""

from __future__ import annotations

import itertools

from centre_app.clock import ManualClock
from centre_app.mediation.menu import mediator_menu
from centre_app.mediation.service import SessionDraft
from db.models.mediation import CaseState, SessionStatus
from tests.unit.mediation.conftest import MONDAY, Centre, at


def test_the_menu_counts_the_last_year_and_offers_bookable_slots_apart(
    centre: Centre, clock: ManualClock
) -> None:
    won, lost = centre.case("甲", "乙"), centre.case("丙", "丁")
    first = centre.book("劳动争议调解室", "09:00", "10:00", case_id=won)
    second = centre.book("劳动争议调解室", "14:00", "15:00", case_id=lost)
    clock.set(at(MONDAY, "16:00"))
    for held in (first, second):
        centre.svc.set_status(centre.clerk, held, SessionStatus.HELD)
    centre.svc.record_outcome(centre.clerk, won, CaseState.SUCCEEDED, agreement_text="付清")
    centre.svc.record_outcome(centre.clerk, lost, CaseState.LITIGATION)
    centre.svc.set_mediator_active(centre.head, centre.mediators["许海燕"], False)

    entries = mediator_menu(
        centre.svc, centre.ctx.mediation_stats, centre.clerk, minutes=90, speciality="医疗纠纷"
    )
    assert entries[0].name == "周志强"  # the only 医疗纠纷 mediator first
    assert "许海燕" not in {e.name for e in entries}
    huang = next(e for e in entries if e.name == "黄建平")
    assert (huang.accepted, huang.resolved, huang.success_rate) == (2, 1, 0.5)
    assert next(e for e in entries if e.name == "陈国华").success_rate is None
    for entry in entries:
        assert len(entry.next_slots) == 3
        assert all(a.ends_at <= b.starts_at for a, b in itertools.pairwise(entry.next_slots))
        for slot in entry.next_slots:
            assert slot.starts_at >= clock.now()
            assert slot.ends_at - slot.starts_at == at(MONDAY, "01:30") - at(MONDAY, "00:00")
            bookable = centre.svc.check(
                SessionDraft(slot.room_id, slot.starts_at, slot.ends_at, [slot.mediator_id])
            )
            assert [c for c in bookable if c.blocking] == []
