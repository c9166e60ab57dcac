"""The case list: each filter narrows, windows follow one another without gaps or repeats."""

from __future__ import annotations

import datetime as dt

import pytest

from centre_app.clock import ManualClock
from centre_app.errors import ValidationError
from centre_app.mediation.cases import CaseFilter
from db.models.mediation import CaseState
from tests.unit.mediation.conftest import MONDAY, Centre, at


def test_filters_narrow_the_list_and_windows_do_not_skip_or_repeat(
    centre: Centre, clock: ManualClock
) -> None:
    ids = []
    for i in range(7):
        clock.set(at(dt.date(2026, 10 + i % 2, 2 + i), "09:00"))
        ids.append(centre.case(f"甲{i}", f"乙{i}", "劳资纠纷" if i % 3 else "邻里纠纷"))
    clock.set(at(MONDAY, "08:00"))
    centre.book("老娘舅调解室", "09:00", "10:00", case_id=ids[1], mediators=("林阿土",))
    centre.svc.record_outcome(centre.clerk, ids[2], CaseState.WITHDRAWN)
    cases = centre.ctx.mediation_cases
    newest_first = [ids[i] for i in (5, 3, 1, 6, 4, 2, 0)]  # November, then October
    everything = cases.window(centre.clerk, CaseFilter())
    assert [r.id for r in everything] == newest_first
    first = cases.window(centre.clerk, CaseFilter(), limit=3)
    rest = cases.window(
        centre.clerk, CaseFilter(), limit=10, after=(first[-1].accepted_at, first[-1].id)
    )
    assert [r.id for r in first + rest] == newest_first
    assert {r.id for r in cases.window(centre.clerk, CaseFilter(category="邻里纠纷"))} == {
        ids[0],
        ids[3],
        ids[6],
    }
    assert [r.id for r in cases.window(centre.clerk, CaseFilter(month="2026-11"))] == [
        ids[5],
        ids[3],
        ids[1],
    ]
    assert [
        r.id for r in cases.window(centre.clerk, CaseFilter(room_id=centre.rooms["老娘舅调解室"]))
    ] == [ids[1]]
    assert [
        r.id for r in cases.window(centre.clerk, CaseFilter(mediator_id=centre.mediators["林阿土"]))
    ] == [ids[1]]
    assert [r.id for r in cases.window(centre.clerk, CaseFilter(state=CaseState.WITHDRAWN))] == [
        ids[2]
    ]


@pytest.mark.parametrize("month", ["2026/11", "十一月", "2026-13", "2026-１１x"])
def test_a_malformed_month_is_refused_in_words(centre: Centre, month: str) -> None:
    with pytest.raises(ValidationError, match="月份应写成 年-月"):
        centre.ctx.mediation_cases.window(centre.clerk, CaseFilter(month=month))
