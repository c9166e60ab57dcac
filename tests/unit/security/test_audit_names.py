"""The audit trail in words: every action code has a label, and objects are named (case
number, user, camera, visit ticket) by one query per kind of object, never shown as ids."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import event, select

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import PermissionDenied
from centre_app.incidents.workflow import ACTIONS
from centre_app.mediation.workflow import CaseAction
from centre_app.reception.petitions import TIME_LIMITS
from centre_app.security.audit_labels import ACTION_LABELS, TARGET_LABELS, action_label
from centre_app.settings import Key
from db.models import AuditEntry, Camera, EvidenceKind, Incident, Visit
from db.models.mediation import SessionStatus
from db.models.reception import QueueAction

ROOT = Path(__file__).resolve().parents[3]
_RECORDED = re.compile(
    r"\brecord\(\s*\w+,\s*(?:self\._)?clock,\s*[^,]+,\s*(?:\w+\s+if\s+\w+\s+else\s+)?"
    r"\"([a-z_]+(?:\.[a-z_]+)+)\"(?:\s+if\s+\w+\s+else\s+\"([a-z_.]+)\")?"
)


def codes_written_in_the_source() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "centre_app").rglob("*.py"):
        for match in _RECORDED.finditer(path.read_text(encoding="utf-8")):
            codes.update(code for code in match.groups() if code)
    return codes


def test_every_action_code_the_services_record_has_a_label() -> None:
    codes = codes_written_in_the_source()
    codes |= {f"incident.{name}" for name in ACTIONS}  # f"incident.{action.name}"
    codes |= {f"video.evidence.{kind.value}" for kind in EvidenceKind}
    codes |= {f"reception.queue_{action.value}" for action in QueueAction}  # f-string codes
    # the petitioner's requests (复查, 复核) are recorded under their limit's name
    codes |= {
        f"petition.{limit.value}" for limit, rule in TIME_LIMITS.items() if rule.binds_petitioner
    }
    codes |= {f"mediation.{action.value}" for action in CaseAction}
    codes |= {f"mediation.session_{status.value}" for status in SessionStatus}
    assert {"auth.login", "settings.change", "video.view", "user.deactivate"} <= codes
    assert codes - set(ACTION_LABELS) == set()


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert action_label("mediation.future_step") == "mediation.future_step"
    assert action_label("auth.login") == "登录"


def test_objects_are_named_by_case_number_user_camera_and_visit_ticket(
    ctx: AppContext,
) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    ctx.settings.set(head, Key.DUE_SOON_HOURS, 12)
    entries = ctx.audit_log.recent(head, limit=5000)
    kinds = {e.target_type for e in entries}
    assert {"incident", "user", "visit", "camera", "setting"} <= kinds
    assert kinds - {None} <= set(TARGET_LABELS)
    names = ctx.audit_log.target_names(head, entries)
    with ctx.session_factory() as session:
        incident = session.scalars(select(Incident)).first()
        camera = session.scalars(select(Camera)).first()
        visit = session.scalars(select(Visit)).first()
    assert incident is not None and camera is not None and visit is not None
    assert names[str(incident.id)] == incident.case_no
    assert names[str(head.user_id)] == "黄志明"
    assert names[str(camera.id)] == camera.name
    assert names[str(visit.id)].startswith(visit.ticket_no + " ")
    assert visit.visitor_name not in names[str(visit.id)]  # the trail does not unmask
    assert names["due_soon_hours"] == "即将超期提前量（小时）"
    uuid_text = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    assert not [n for n in names.values() if uuid_text.search(n)]


def test_names_are_looked_up_with_one_query_per_kind_of_object(ctx: AppContext) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    entries = ctx.audit_log.recent(head, limit=2000)
    kinds = {e.target_type for e in entries if e.target_type not in (None, "setting")}
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(ctx.engine, "before_cursor_execute", listener)
    try:
        ctx.audit_log.target_names(head, entries)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", listener)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert 0 < len(selects) <= len(kinds)


def test_a_target_that_no_longer_exists_or_is_not_an_id_is_left_unnamed(
    ctx: AppContext,
) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    gone = AuditEntry(
        username="x", action="incident.accept", target_type="incident", target_id=str(uuid.uuid4())
    )
    junk = AuditEntry(
        username="x", action="incident.accept", target_type="incident", target_id="not-an-id\x00"
    )
    names = ctx.audit_log.target_names(head, [gone, junk])
    assert names == {}


def test_naming_objects_needs_the_right_to_read_the_trail(ctx: AppContext) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        ctx.audit_log.target_names(duty, [])
