"""The case tests and benchmarks report when only its existence matters: a green
neighbour dispute from the hotline in the demo township's first grid."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from centre_app.incidents.service import IncidentDraft
from db.models.incidents import Channel, RiskColour


def hotline_draft(title: str, **changes: Any) -> IncidentDraft:
    draft = IncidentDraft(
        channel=Channel.HOTLINE,
        category="矛盾纠纷",
        subcategory="邻里纠纷",
        colour=RiskColour.GREEN,
        grid_code="330327102001001",
        place="老街",
        title=title,
        description="来电反映邻居装修噪音扰民",
        reporter="热线",
    )
    return replace(draft, **changes)
