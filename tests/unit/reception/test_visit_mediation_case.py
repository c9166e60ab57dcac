"""A visit starts a mediation case in one step: the visitor is the applicant, the case and
the visit point at each other, one audit entry, never two cases from one visit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stdnum.cn import ric

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from centre_app.reception.visits import VisitDraft, VisitService
from db.models.mediation import CaseState, MediationCase
from db.models.reception import Visit, VisitPurpose, VisitRoute
from db.models.security import AuditEntry
from tests.support.postgres import PostgresCluster
from tests.unit.reception.test_hall_queue import run_at_once

BODY = "33032719800315123"
ID_NUMBER = BODY + ric.calc_check_digit(BODY + "0")


def visit(ctx: AppContext, phone: str = "13957700123") -> uuid.UUID:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    return ctx.visits.register(
        clerk,
        VisitDraft(
            visitor_name="吴海燕",
            id_number=ID_NUMBER,
            phone=phone,
            purpose=VisitPurpose.DISPUTE,
            summary="邻居加建围墙占用通道",
            route=VisitRoute.WINDOW,
        ),
    ).id


def cases_of(ctx: AppContext, visit_id: uuid.UUID) -> int:
    with ctx.session_factory() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(MediationCase)
                .where(MediationCase.visit_id == visit_id)
            )
            or 0
        )


def test_a_visit_starts_a_mediation_case_with_the_visitor_as_applicant(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit_id = visit(ctx)
    with ctx.session_factory() as session:
        audits_before = session.scalar(select(func.count()).select_from(AuditEntry))
    case_id = ctx.visits.start_mediation_case(clerk, visit_id, "邻里纠纷")
    case = ctx.mediation.case(clerk, case_id)
    assert (case.category, case.state) == ("邻里纠纷", CaseState.ACCEPTED)
    [party] = case.parties
    assert (party.name, party.role) == ("吴海燕", "申请人")
    with ctx.session_factory() as session:
        row = session.get(MediationCase, case_id)
        assert row is not None and row.visit_id == visit_id
        assert row.summary == "邻居加建围墙占用通道"
        linked = session.get(Visit, visit_id)
        assert linked is not None and linked.mediation_case_id == case_id
        audits_after = session.scalar(select(func.count()).select_from(AuditEntry))
    assert audits_after == (audits_before or 0) + 1  # one action, one audit entry
    number, state = ctx.visits.mediation_state(clerk, visit_id) or ("", None)
    assert number == row.case_no and state is CaseState.ACCEPTED
    history = ctx.visits.history(clerk, visit_id)
    assert history.mediation_cases == [(row.case_no, CaseState.ACCEPTED, row.title)]
    [this] = [v for v in history.visits if v.id == str(visit_id)]
    assert this.mediation_case_id == case_id


def test_the_visit_page_shows_the_cases_state_after_it_changes(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    visit_id = visit(ctx)
    case_id = ctx.visits.start_mediation_case(clerk, visit_id, "邻里纠纷")
    ctx.mediation.record_outcome(head, case_id, CaseState.WITHDRAWN, note="当事人撤回申请")
    assert ctx.visits.mediation_state(clerk, visit_id) == (
        ctx.mediation.case(clerk, case_id).case_no,
        CaseState.WITHDRAWN,
    )


def test_one_visit_never_starts_two_cases(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit_id = visit(ctx)
    ctx.visits.start_mediation_case(clerk, visit_id, "邻里纠纷")
    with pytest.raises(ConflictError, match="已经生成过调解案件"):
        ctx.visits.start_mediation_case(clerk, visit_id, "邻里纠纷")
    assert cases_of(ctx, visit_id) == 1


@pytest.mark.parametrize("category", ["", "邻里\x00纠纷", "纠" * 33])
def test_a_bad_category_leaves_neither_a_case_nor_a_link(ctx: AppContext, category: str) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit_id = visit(ctx)
    with pytest.raises(ValidationError):
        ctx.visits.start_mediation_case(clerk, visit_id, category)
    assert cases_of(ctx, visit_id) == 0
    assert ctx.visits.mediation_state(clerk, visit_id) is None


def test_a_foreign_phone_stays_on_the_visit_and_the_case_still_opens(ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit_id = visit(ctx, phone="+44 20 7946 0958")
    case_id = ctx.visits.start_mediation_case(clerk, visit_id, "合同纠纷")
    [party] = ctx.mediation.case(clerk, case_id).parties
    assert party.phone == ""


def test_another_townships_visit_cannot_start_a_case_here(
    ctx: AppContext, clock: ManualClock
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit_id = visit(ctx)
    elsewhere = VisitService(ctx.session_factory, clock, "330328101")
    with pytest.raises(NotFound):
        elsewhere.start_mediation_case(clerk, visit_id, "邻里纠纷")
    assert cases_of(ctx, visit_id) == 0


def test_a_clerk_without_mediation_rights_cannot_start_a_case(ctx: AppContext) -> None:
    video = ctx.auth.login("shipin", DEMO_PASSWORD)
    visit_id = visit(ctx)
    with pytest.raises(PermissionDenied):
        ctx.visits.start_mediation_case(video, visit_id, "邻里纠纷")
    assert cases_of(ctx, visit_id) == 0


def two_desks_start_one_case(ctx: AppContext, desks: int) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit_id = visit(ctx)

    def start(_i: int) -> object:
        try:
            return ctx.visits.start_mediation_case(clerk, visit_id, "邻里纠纷")
        except ConflictError:
            return None

    results = run_at_once(desks, start)
    assert sum(r is not None for r in results) == 1
    assert cases_of(ctx, visit_id) == 1


def test_desks_starting_a_case_from_one_visit_at_once_on_sqlite_make_one(ctx: AppContext) -> None:
    two_desks_start_one_case(ctx, 4)


@pytest.fixture
def pg_ctx(
    postgres: PostgresCluster, clock: ManualClock, data_dir: Path, request: pytest.FixtureRequest
) -> Iterator[AppContext]:
    url = postgres.create_database(f"vmc_{request.node.name[:40].lower()}")
    context = AppContext.open(url, clock=clock, demo_scale=0.01)
    yield context
    context.close()


@pytest.mark.integration
def test_desks_starting_a_case_from_one_visit_at_once_on_postgresql_make_one(
    pg_ctx: AppContext,
) -> None:
    two_desks_start_one_case(pg_ctx, 6)
