"""The camera tree with thousands of cameras: each camera's health icon comes from the
background prober before anyone watches it, and the search box narrows the tree as one
types."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from centre_app.video.codes import make_camera_code
from centre_app.video.registry import CameraDraft, CameraInfo
from tests.integration.video.test_prober import CountingCamera
from tests.support.video import free_ports, requires_video

pytestmark = [
    pytest.mark.gui,
    pytest.mark.video,
    requires_video,
    pytest.mark.skipif(
        os.environ.get("QT_QPA_PLATFORM") == "offscreen",
        reason="libVLC needs an X server (run under Xvfb)",
    ),
]

ADMIN = Actor.for_roles(None, "admin", "管理员", (Role.ADMIN,))
OPERATOR = Actor.for_roles(None, "shipin", "视频员", (Role.VIDEO,))
COUNT = 3000


@pytest.fixture
def many(ctx: Any) -> Iterator[list[CameraInfo]]:
    server = CountingCamera(hold=0.0)
    village = ctx.video.cameras.cameras(ADMIN)[0].village
    closed = free_ports(1)
    drafts = [
        CameraDraft(
            make_camera_code("33032710", 7_000_000 + i),
            f"路口{i:04d}",
            f"http://127.0.0.1:{closed if i % 10 == 0 else server.port}/c{i}.ts",
            village=village,
            site=f"片区{i % 40:02d}",
        )
        for i in range(COUNT)
    ]
    yield ctx.video.cameras.add_many(ADMIN, drafts)
    server.close()


def leaves(model: Any, parent: QModelIndex | None = None) -> list[QModelIndex]:
    parent = parent or QModelIndex()
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out += leaves(model, index) if model.hasChildren(index) else [index]
    return out


def test_every_camera_shows_its_probed_health_and_the_search_narrows_thousands(
    qtbot: Any, ctx: Any, many: list[CameraInfo], qtmodeltester: Any
) -> None:
    from ui.video_wall.camera_tree import CameraRole, HealthRole, health_icon
    from ui.video_wall.page import VideoWallPage

    page = VideoWallPage(ctx, OPERATOR, restore=False)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    try:
        model = page.model
        # Nobody watched any of them; the prober finds out which answer.
        qtbot.waitUntil(lambda: all(model.health(c.id) != "unknown" for c in many), timeout=120_000)
        assert [c.name for c in many if model.health(c.id) == "offline"] == [
            c.name for i, c in enumerate(many) if i % 10 == 0
        ]
        by_camera = {
            ix.data(CameraRole).id: ix
            for ix in leaves(model)
            if isinstance(ix.data(CameraRole), CameraInfo)
        }
        offline, online = by_camera[many[0].id], by_camera[many[1].id]
        assert offline.data(HealthRole) == "offline" and online.data(HealthRole) == "online"
        assert (
            offline.data(Qt.ItemDataRole.DecorationRole).cacheKey()
            == health_icon("offline").cacheKey()
        )
        assert (
            online.data(Qt.ItemDataRole.DecorationRole).cacheKey()
            == health_icon("online").cacheKey()
        )

        # Typing narrows the tree as one types (one filter pass per pause in typing).
        def matching(text: str) -> set[str]:
            return {
                c.name
                for c in model.cameras()
                if text.lower() in f"{c.name} {c.place} {c.national_code}".lower()
            }

        def shown() -> set[str]:
            return {
                ix.data(CameraRole).name
                for ix in leaves(page.model)
                if isinstance(ix.data(CameraRole), CameraInfo)
            }

        page.search.setFocus()
        qtbot.keyClicks(page.search, "2")
        qtbot.waitUntil(lambda: shown() == matching("2"))
        qtbot.keyClicks(page.search, "99")
        qtbot.waitUntil(lambda: shown() == matching("299"))
        assert {f"路口299{d}" for d in range(10)} <= shown() and len(shown()) < 30
        found = leaves(page.model)
        assert page.tree.isExpanded(found[0].parent())  # shown in place, opened
        qtmodeltester.check(page.model)  # sound while filtered too
        # A site name finds the cameras there; the national code finds its camera.
        page.search.setText("片区07")
        qtbot.waitUntil(lambda: shown() == matching("片区07"))
        assert len(shown()) == COUNT // 40
        page.search.setText(many[1234].national_code)
        qtbot.waitUntil(lambda: [ix.data(CameraRole) for ix in leaves(page.model)] == [many[1234]])
        # Hostile input finds nothing and breaks nothing; clearing shows everything again.
        for junk in ("\x00", "\ud800", "路口\x07口", "９９９９", "x" * 10_000):
            page.search.setText(junk)
            qtbot.waitUntil(lambda: not page._search_timer.isActive())
            assert all(
                isinstance(ix.data(CameraRole), CameraInfo) or not page.model.hasChildren(ix)
                for ix in leaves(page.model)
            )
        page.search.clear()
        qtbot.waitUntil(
            lambda: (
                len(
                    [ix for ix in leaves(page.model) if isinstance(ix.data(CameraRole), CameraInfo)]
                )
                == len(model.cameras())
            )
        )
    finally:
        page.shutdown()


def test_the_tree_is_a_sound_item_model_filtered_or_not(
    qtbot: Any, ctx: Any, qtmodeltester: Any
) -> None:
    from ui.video_wall.camera_tree import CameraTreeModel

    model = CameraTreeModel(ctx.video.cameras.tree(OPERATOR))
    model.set_health({c.id: "offline" for c in model.cameras()[:3]})
    qtmodeltester.check(model)
    everyone = model.cameras()
    assert model.search(everyone[0].name[:2]) >= 1
    qtmodeltester.check(model)
    assert model.search("\x00\ud800") == len(everyone)  # only noise: nothing to narrow by
    assert model.search("\x00zz\ud800") == 0 and model.rowCount() == 0  # "zz" finds none
    qtmodeltester.check(model)
    assert model.search("") == len(everyone) and model.cameras() == everyone
