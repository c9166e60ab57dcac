"""Tour editor (轮巡方案): create, rename and delete tours; an ordered list of cameras and
village/site groups, each with its dwell seconds, reordered by drag or 上移/下移.
The service validates and stores; the dialog shows its sentence."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from centre_app.errors import DomainError
from centre_app.security.actor import Actor
from centre_app.video.layouts import LAYOUTS
from centre_app.video.registry import CameraInfo
from centre_app.video.tours import (
    MAX_DWELL,
    MIN_DWELL,
    StepKind,
    TourPlan,
    TourService,
    TourStep,
    group_key,
)
from ui.messages import error_text
from ui.video_wall.labels import layout_text

StepRole = Qt.ItemDataRole.UserRole + 1
DEFAULT_DWELL = 20


def source_key(kind: StepKind, ref: str) -> str:
    """Item data of the 加入 box (a plain string: Qt compares it in findData)."""
    return f"{kind.value}|{ref}"


class TourEditor(QDialog):
    def __init__(
        self,
        tours: TourService,
        actor: Actor,
        cameras: Iterable[CameraInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("编辑轮巡方案"))
        self._tours, self._actor = tours, actor
        self._cameras = {c.id: c for c in cameras}
        self.current: str | None = None  # name of the tour being edited (None: new)
        self.changed = False

        self.tour_list = QListWidget(self)
        self.tour_list.currentTextChanged.connect(self._load)
        new_btn = QPushButton(self.tr("新建"), self)
        new_btn.clicked.connect(self.new_tour)
        rename_btn = QPushButton(self.tr("重命名"), self)
        rename_btn.clicked.connect(self._ask_rename)
        delete_btn = QPushButton(self.tr("删除"), self)
        delete_btn.clicked.connect(self._ask_delete)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("轮巡方案"), self))
        left.addWidget(self.tour_list, 1)
        row = QHBoxLayout()
        for btn in (new_btn, rename_btn, delete_btn):
            row.addWidget(btn)
        left.addLayout(row)

        self.name = QLabel(self)
        self.layout_box = QComboBox(self)
        for key, lay in LAYOUTS.items():
            self.layout_box.addItem(layout_text(lay), key)
        self.steps = QListWidget(self)
        self.steps.setObjectName("tourSteps")
        self.steps.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.steps.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.steps.currentRowChanged.connect(self._show_step)
        self.source = QComboBox(self)
        self.source.setToolTip(self.tr("单个摄像机，或一个村/点位的全部摄像机（分组单独成页）"))
        self._fill_sources()
        self.dwell = QSpinBox(self)
        self.dwell.setRange(MIN_DWELL, MAX_DWELL)
        self.dwell.setValue(DEFAULT_DWELL)
        self.dwell.setSuffix(self.tr(" 秒"))
        self.dwell.valueChanged.connect(self._set_dwell)
        add_btn = QPushButton(self.tr("加入"), self)
        add_btn.clicked.connect(self.add_step)
        self.up_btn = QPushButton(self.tr("上移"), self)
        self.up_btn.clicked.connect(lambda: self.move_step(-1))
        self.down_btn = QPushButton(self.tr("下移"), self)
        self.down_btn.clicked.connect(lambda: self.move_step(1))
        remove_btn = QPushButton(self.tr("移除"), self)
        remove_btn.clicked.connect(self.remove_step)
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        save_btn = QPushButton(self.tr("保存"), self)
        save_btn.setDefault(True)
        save_btn.clicked.connect(self.save)
        close_btn = QPushButton(self.tr("关闭"), self)
        close_btn.clicked.connect(self.accept)

        form = QFormLayout()
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("分屏"), self.layout_box)
        adder = QHBoxLayout()
        adder.addWidget(self.source, 1)
        adder.addWidget(add_btn)
        form.addRow(self.tr("加入"), adder)
        form.addRow(self.tr("停留时间"), self.dwell)
        moves = QHBoxLayout()
        for btn in (self.up_btn, self.down_btn, remove_btn):
            moves.addWidget(btn)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(QLabel(self.tr("顺序（可拖动调整）"), self))
        right.addWidget(self.steps, 1)
        right.addLayout(moves)
        right.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(save_btn)
        bottom.addWidget(close_btn)
        right.addLayout(bottom)
        box = QHBoxLayout(self)
        box.addLayout(left, 1)
        box.addLayout(right, 2)
        self.resize(760, 480)
        self._reload()

    # --- sources and steps ---------------------------------------------------------------

    def _fill_sources(self) -> None:
        groups = sorted(
            {group_key(c.village) for c in self._cameras.values() if c.village}
            | {group_key(c.village, c.site) for c in self._cameras.values() if c.village and c.site}
        )
        for key in groups:
            self.source.addItem(self.tr("分组：{0}").format(key), source_key(StepKind.GROUP, key))
        for cam in sorted(self._cameras.values(), key=lambda c: (c.place, c.name)):
            self.source.addItem(
                self.tr("摄像机：{0}（{1}）").format(cam.name, cam.place),
                source_key(StepKind.CAMERA, str(cam.id)),
            )

    def _step_text(self, step: TourStep) -> str:
        if step.kind is StepKind.GROUP:
            what = self.tr("分组：{0}").format(step.ref)
        else:
            cam = self._cameras.get(uuid.UUID(step.ref))
            what = self.tr("摄像机：{0}").format(cam.name) if cam else self.tr("已删除的摄像机")
        return self.tr("{0} — {1} 秒").format(what, step.dwell_seconds)

    def _append(self, step: TourStep) -> None:
        item = QListWidgetItem(self._step_text(step))
        item.setData(StepRole, step)
        self.steps.addItem(item)

    def step_list(self) -> list[TourStep]:
        return [self.steps.item(i).data(StepRole) for i in range(self.steps.count())]

    def add_step(self) -> None:
        data = self.source.currentData()
        if not data:
            self.error.setText(self.tr("目录中还没有摄像机。"))
            return
        kind, _, ref = str(data).partition("|")
        self._append(TourStep(StepKind(kind), ref, self.dwell.value()))
        self.steps.setCurrentRow(self.steps.count() - 1)

    def remove_step(self) -> None:
        row = self.steps.currentRow()
        if row >= 0:
            self.steps.takeItem(row)

    def move_step(self, delta: int) -> None:
        row = self.steps.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.steps.count():
            return
        item = self.steps.takeItem(row)
        self.steps.insertItem(target, item)
        self.steps.setCurrentRow(target)

    def _show_step(self, row: int) -> None:
        if row >= 0:
            step: TourStep = self.steps.item(row).data(StepRole)
            self.dwell.blockSignals(True)
            self.dwell.setValue(step.dwell_seconds)
            self.dwell.blockSignals(False)

    def _set_dwell(self, seconds: int) -> None:
        item = self.steps.currentItem()
        if item is None:
            return
        old: TourStep = item.data(StepRole)
        step = TourStep(old.kind, old.ref, seconds)
        item.setData(StepRole, step)
        item.setText(self._step_text(step))

    # --- tours ---------------------------------------------------------------------------

    def _reload(self, select: str | None = None) -> None:
        names = [p.name for p in self._tours.plans(self._actor)]
        self.tour_list.blockSignals(True)
        self.tour_list.clear()
        self.tour_list.addItems(names)
        self.tour_list.blockSignals(False)
        target = select if select in names else (names[0] if names else None)
        if target is None:
            self._load("")
        else:
            self.tour_list.setCurrentRow(names.index(target))
            self._load(target)

    def _load(self, name: str) -> None:
        self.error.clear()
        self.steps.clear()
        if not name:
            self.current = None
            self.name.setText(self.tr("（新方案，保存时命名）"))
            return
        try:
            plan = self._tours.get(self._actor, name)
        except DomainError as exc:
            self.error.setText(error_text(exc))
            return
        self.current = plan.name
        self.name.setText(plan.name)
        self.layout_box.setCurrentIndex(max(0, self.layout_box.findData(plan.layout)))
        for step in plan.effective_steps():
            self._append(step)

    def new_tour(self) -> None:
        self.tour_list.clearSelection()
        self._load("")

    def _plan(self, name: str) -> TourPlan:
        steps = tuple(self.step_list())
        return TourPlan(
            name,
            str(self.layout_box.currentData()),
            steps[0].dwell_seconds if steps else DEFAULT_DWELL,
            steps=steps,
        )

    def save(self, name: str | None = None) -> bool:
        """Save the tour being edited; a new one needs `name` (asked for when missing)."""
        if name is None and self.current is None:
            text, ok = QInputDialog.getText(self, self.tr("保存轮巡方案"), self.tr("方案名称："))
            if not ok:
                return False
            name = text
        return self._store(
            self._plan((name or self.current or "").strip()),
            old_name=self.current if name is not None else None,
        )

    def rename(self, new_name: str) -> bool:
        if self.current is None:
            self.error.setText(self.tr("请先选中一个已保存的轮巡方案。"))
            return False
        return self._store(self._plan(new_name.strip()), old_name=self.current)

    def _store(self, plan: TourPlan, *, old_name: str | None) -> bool:
        try:
            self._tours.save(self._actor, plan, old_name=old_name)
        except DomainError as exc:
            self.error.setText(error_text(exc))
            return False
        self.changed = True
        self._reload(plan.name)
        self.error.setText(self.tr("已保存。"))
        return True

    def delete(self) -> bool:
        if self.current is None:
            self.error.setText(self.tr("请先选中一个已保存的轮巡方案。"))
            return False
        try:
            self._tours.delete(self._actor, self.current)
        except DomainError as exc:
            self.error.setText(error_text(exc))
            return False
        self.changed = True
        self._reload()
        return True

    def _ask_rename(self) -> None:
        if self.current is None:
            self.error.setText(self.tr("请先选中一个已保存的轮巡方案。"))
            return
        text, ok = QInputDialog.getText(
            self, self.tr("重命名轮巡方案"), self.tr("新名称："), text=self.current
        )
        if ok:
            self.rename(text)

    def _ask_delete(self) -> None:
        if self.current is None:
            return
        answer = QMessageBox.question(
            self, self.tr("删除轮巡方案"), self.tr("确定删除轮巡方案“{0}”？").format(self.current)
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete()
