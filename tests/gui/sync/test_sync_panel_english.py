"""In the English interface the link label's tooltip and the sync panel say why the county
link failed in English: the status carries the error's template and arguments, not a
Chinese sentence. A sentence stored by an older version is still shown as it is."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.centre.leader import ERROR_KEY, STATE_KEY, shared_status
from centre_app.errors import msg
from centre_app.net import free_loopback_port
from centre_app.replication.status import LinkState, StatusError, SyncStatus
from centre_app.replication.sync import SyncFailure
from centre_app.security.actor import SYSTEM_ACTOR
from centre_app.settings import Key
from db.models.replication import ReplicationState
from ui.app import install_translations
from ui.link_state import LinkStateLabel
from ui.sync.controller import SyncController
from ui.sync.panel import SyncPanel

pytestmark = [pytest.mark.gui]

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
UNREACHABLE = "Cannot reach the county; the data is kept here and syncs automatically"


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    translators = install_translations(qapp, "en")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale("zh_CN"))


@pytest.fixture
def shown(qtbot: QtBot, ctx: AppContext) -> tuple[SyncController, LinkStateLabel, SyncPanel]:
    ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_URL, f"http://127.0.0.1:{free_loopback_port()}")
    ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_TOKEN, "nobody-listens-on-this-port")
    ctx.settings.set(SYSTEM_ACTOR, Key.SYNC_INTERVAL_S, 1)
    controller = SyncController(ctx)
    label = LinkStateLabel(ctx)
    controller.statusChanged.connect(label.showStatus)
    panel = SyncPanel(ctx, controller)
    qtbot.addWidget(label)
    qtbot.addWidget(panel)
    return controller, label, panel


def latest_error(panel: SyncPanel) -> str:
    return panel.errors.item(0).text()


def test_an_unreachable_county_is_explained_in_english(
    qtbot: QtBot, english: None, shown: tuple[SyncController, LinkStateLabel, SyncPanel]
) -> None:
    controller, label, panel = shown
    try:
        controller.start()
        qtbot.waitUntil(
            lambda: label.property("state") == "offline" and UNREACHABLE in label.toolTip(),
            timeout=20_000,
        )
    finally:
        controller.stop()
    assert UNREACHABLE in latest_error(panel)
    for text in (label.text(), label.toolTip(), latest_error(panel), panel.state_label.text()):
        assert not CJK.search(text), text


def test_a_refusal_is_said_in_english_with_its_arguments_and_an_old_sentence_as_it_is(
    qtbot: QtBot,
    ctx: AppContext,
    english: None,
    shown: tuple[SyncController, LinkStateLabel, SyncPanel],
) -> None:
    controller, label, panel = shown
    refused = SyncFailure(
        msg("县级中心拒绝了同步（HTTP {status}）：{reason}"),
        status=403,
        reason="token revoked",
        permanent=True,
    )
    controller.statusChanged.emit(SyncStatus(LinkState.ERROR, error=StatusError.of(refused)))
    said = "The county refused the sync (HTTP 403): token revoked"
    assert said in label.toolTip().splitlines()
    assert latest_error(panel).endswith(said)
    assert not CJK.search(label.toolTip() + latest_error(panel))

    # Another desk reads the link state an older version of the leader stored: a sentence.
    with ctx.session_factory.begin() as session:
        session.merge(ReplicationState(key=STATE_KEY, value=LinkState.OFFLINE.value))
        session.merge(ReplicationState(key=ERROR_KEY, value="旧版本保存的错误：{不是占位符"))
    controller.statusChanged.emit(shared_status(ctx.session_factory))
    assert "旧版本保存的错误：{不是占位符" in label.toolTip().splitlines()
    assert latest_error(panel).endswith("旧版本保存的错误：{不是占位符")
    assert [e.template for _, e in controller.errors][-2:] == [
        refused.template,
        "旧版本保存的错误：{不是占位符",
    ]
