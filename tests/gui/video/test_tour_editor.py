"""Tour editor driven with qtbot: create with cameras and a village group, per-step dwell,
reorder by up/down and by drag, validation in Chinese, rename and delete, all persisted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from centre_app.video.tours import StepKind, TourStep

pytestmark = [pytest.mark.gui]

OPERATOR = Actor.for_roles(None, "shipin", "视频员", (Role.VIDEO,))


@pytest.fixture
def editor(qtbot: Any, ctx: Any) -> Iterator[Any]:
    from ui.video_wall.tour_editor import TourEditor

    dialog = TourEditor(ctx.video.tours, OPERATOR, ctx.video.cameras.cameras(OPERATOR))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog


def pick(editor: Any, kind: StepKind, ref: str) -> None:
    from ui.video_wall.tour_editor import source_key

    i = editor.source.findData(source_key(kind, ref))
    assert i >= 0, ref
    editor.source.setCurrentIndex(i)


def test_new_tour_with_cameras_and_a_group_is_reordered_and_saved(
    qtbot: Any, ctx: Any, editor: Any
) -> None:
    cams = ctx.video.cameras.cameras(OPERATOR)
    assert editor.current == "全镇轮巡"  # the demo tour is shown first
    editor.new_tour()
    assert editor.current is None and editor.steps.count() == 0
    assert not editor.save("空方案") and "为空" in editor.error.text()

    pick(editor, StepKind.CAMERA, str(cams[0].id))
    editor.dwell.setValue(15)
    editor.add_step()
    pick(editor, StepKind.GROUP, cams[1].village)
    editor.add_step()
    editor.dwell.setValue(45)  # edits the selected (group) step
    pick(editor, StepKind.CAMERA, str(cams[2].id))
    editor.add_step()
    qtbot.mouseClick(editor.up_btn, Qt.MouseButton.LeftButton)  # camera 3 before the group
    assert [s.ref for s in editor.step_list()] == [
        str(cams[0].id),
        str(cams[2].id),
        cams[1].village,
    ]
    assert editor.step_list()[2].dwell_seconds == 45
    editor.layout_box.setCurrentIndex(editor.layout_box.findData("9"))
    assert editor.save("夜间巡查"), editor.error.text()

    plan = ctx.video.tours.get(OPERATOR, "夜间巡查")
    assert plan.layout == "9"
    assert plan.steps == (
        TourStep.camera(cams[0].id, 15),
        TourStep.camera(cams[2].id, 45),
        TourStep.group(cams[1].village, 45),
    )
    assert "夜间巡查" in [editor.tour_list.item(i).text() for i in range(editor.tour_list.count())]


def drag_row(qtbot: Any, view: Any, row: int, drop_at: QPoint) -> None:
    """Drag `row` of `view` with the mouse and release it at `drop_at` (viewport coordinates).

    A real QDrag: the press and a move beyond the start distance start it, and QDrag.exec()
    runs its own event loop until the button is released, so the rest of the gesture is
    delivered from a timer inside that loop."""
    viewport = view.viewport()
    start = view.visualItemRect(view.item(row)).center()
    path = [start + (drop_at - start) * (i / 8) for i in range(1, 9)]
    gesture_done: list[bool] = []

    def finish() -> None:
        for pos in path:
            QTest.mouseMove(viewport, pos)
        QTest.mouseRelease(
            viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop_at
        )
        gesture_done.append(True)

    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTimer.singleShot(50, finish)  # runs inside QDrag.exec() once the drag has started
    QTest.mouseMove(viewport, start + QPoint(0, QApplication.startDragDistance() + 2))
    qtbot.waitUntil(lambda: bool(gesture_done))
    qtbot.wait(20)


def test_dragging_the_first_step_below_the_last_reorders_and_saves_that_order(
    qtbot: Any, ctx: Any, editor: Any
) -> None:
    editor.new_tour()
    cams = ctx.video.cameras.cameras(OPERATOR)
    for cam in cams[:3]:
        pick(editor, StepKind.CAMERA, str(cam.id))
        editor.add_step()
    view = editor.steps
    last = view.visualItemRect(view.item(2))
    below_last = QPoint(last.center().x(), last.bottom() + last.height())  # the empty area
    assert view.viewport().rect().contains(below_last)

    drag_row(qtbot, view, 0, below_last)

    moved = [str(c.id) for c in (cams[1], cams[2], cams[0])]
    assert [s.ref for s in editor.step_list()] == moved
    assert view.count() == 3  # moved, not copied
    assert editor.save("拖动排序"), editor.error.text()
    plan = ctx.video.tours.get(OPERATOR, "拖动排序")
    assert [s.ref for s in plan.steps] == moved


def test_rename_to_a_taken_name_is_refused_then_rename_and_delete(ctx: Any, editor: Any) -> None:
    cams = ctx.video.cameras.cameras(OPERATOR)
    editor.new_tour()
    pick(editor, StepKind.CAMERA, str(cams[0].id))
    editor.add_step()
    assert editor.save("早班")
    assert not editor.rename("全镇轮巡") and "已有名为" in editor.error.text()
    assert not editor.rename("  ") and "名称" in editor.error.text()
    assert editor.rename("早班巡查")
    names = [p.name for p in ctx.video.tours.plans(OPERATOR)]
    assert "早班巡查" in names and "早班" not in names
    assert editor.current == "早班巡查" and editor.delete()
    assert "早班巡查" not in [p.name for p in ctx.video.tours.plans(OPERATOR)]
