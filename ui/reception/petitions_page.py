"""信访事项: the petition screen. Registration (from a visit, a letter, the hotline or
online) on the left with the list below it (all, due soon, overdue, days left from the
clock); the chosen petition on the right with its deadlines and their articles, what was
written, and one button per step of the procedure. Each button is one service call."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.reception.id_numbers import mask_id_number
from centre_app.reception.petitions import (
    CHANNEL_LABELS,
    DUE_SOON_DAYS,
    MAX_EXTENSION_DAYS,
    STATE_LABELS,
    PetitionDraft,
    PetitionRow,
    PetitionView,
    RepeatOf,
)
from centre_app.security.roles import Permission
from db.models.reception import PetitionChannel, PetitionState
from ui.change_notice import RefreshOn
from ui.messages import error_text, translate_template
from ui.pool_task import NewestRead
from ui.reception.petitions_model import WINDOW, DeadlinesModel, PetitionsModel
from ui.status_message import clear_when_edited, show_error, show_success, show_warning

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

S = PetitionState
# Which buttons a state allows (the service refuses the rest in words anyway).
ALLOWED: dict[str, set[PetitionState]] = {
    "accept": {S.RECEIVED},
    "notAccept": {S.RECEIVED},
    "extend": {S.ACCEPTED},
    "reply": {S.ACCEPTED},
    "requestReview": {S.REPLIED},
    "review": {S.REVIEW_REQUESTED},
    "requestRecheck": {S.REVIEWED},
    "hearing": {S.RECHECK_REQUESTED},
    "recheck": {S.RECHECK_REQUESTED},
    "close": {S.REPLIED, S.REVIEWED, S.RECHECKED},
}


class PetitionsPage(QWidget):
    petitionChanged = Signal(uuid.UUID)
    loaded = Signal()  # the list asked for last is shown

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._current: uuid.UUID | None = None
        self._list_reads = NewestRead(self)  # a list older than the newest is dropped
        self.setObjectName("petitionsPage")
        self.model = PetitionsModel()
        self.deadlines_model = DeadlinesModel()
        self._build_registration()
        self._build_list()
        self._build_detail()
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.register_box)
        column.addWidget(self.list_box, 1)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.detail_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        refresh = QShortcut(QKeySequence("F5"), self, self.refresh)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._live = RefreshOn(ctx, ("petition",), self.refresh, self)
        self.refresh()
        self._show_detail()

    # --- building ---------------------------------------------------------------------

    def _build_registration(self) -> None:
        box = self.register_box = QGroupBox(self.tr("登记信访事项"), self)
        self.channel = QComboBox(box)
        self.channel.setObjectName("petitionChannel")
        for channel in PetitionChannel:
            self.channel.addItem(translate_template(CHANNEL_LABELS[channel]), channel)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.visit = QComboBox(box)
        self.visit.setObjectName("petitionVisit")
        self.visit.setToolTip(self.tr("走访：选择来访登记，信访人信息从登记中带出"))
        self.name = QLineEdit(box)
        self.name.setObjectName("petitionerName")
        self.id_number = QLineEdit(box)
        self.id_number.setObjectName("petitionerIdNumber")
        self.id_number.setMaxLength(64)  # pasted with spaces: the service judges it whole
        self.phone = QLineEdit(box)
        self.phone.setObjectName("petitionerPhone")
        self.received = QDateEdit(box)
        self.received.setObjectName("receivedOn")
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd")
        self.received.setToolTip(self.tr("来信的收到日期；走访和电话为今天"))
        self.matter = QPlainTextEdit(box)
        self.matter.setObjectName("petitionMatter")
        self.matter.setPlaceholderText(self.tr("信访事项、请求和理由"))
        self.matter.setMaximumHeight(70)
        self.register_button = QPushButton(self.tr("登记"), box)
        self.register_button.setObjectName("registerPetition")
        self.register_button.setShortcut("Ctrl+Return")
        self.register_button.setToolTip(self.tr("登记信访事项，开始计算受理期限（Ctrl+Enter）"))
        self.register_button.clicked.connect(self.registerPetition)
        self.register_message = QLabel(box)
        self.register_message.setObjectName("registerMessage")
        self.register_message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("来源"), self.channel)
        form.addRow(self.tr("来访登记"), self.visit)
        form.addRow(self.tr("信访人"), self.name)
        form.addRow(self.tr("身份证号"), self.id_number)
        form.addRow(self.tr("联系电话"), self.phone)
        form.addRow(self.tr("收到日期"), self.received)
        form.addRow(self.tr("事项"), self.matter)
        self._visit_label = form.labelForField(self.visit)
        column = QVBoxLayout(box)
        column.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.register_message, 1)
        row.addWidget(self.register_button)
        column.addLayout(row)
        clear_when_edited(self.register_message, box)
        self._channel_changed()

    def _build_list(self) -> None:
        box = self.list_box = QGroupBox(self.tr("信访事项"), self)
        self.which = QComboBox(box)
        self.which.setObjectName("petitionList")
        self.which.addItem(self.tr("全部"), "all")
        self.which.addItem(self.tr("{0} 天内到期").format(DUE_SOON_DAYS), "due")
        self.which.addItem(self.tr("已超期"), "overdue")
        self.which.currentIndexChanged.connect(self.refresh)
        self.refresh_button = QPushButton(self.tr("刷新"), box)
        self.refresh_button.setToolTip(self.tr("按今天的日期重新计算剩余天数（F5）"))
        self.refresh_button.clicked.connect(self.refresh)
        self.today_label = QLabel(box)
        self.today_label.setObjectName("petitionToday")
        self.table = QTableView(box)
        self.table.setObjectName("petitionsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.count = QLabel(box)
        top = QHBoxLayout()
        top.addWidget(self.which)
        top.addWidget(self.today_label, 1)
        top.addWidget(self.refresh_button)
        column = QVBoxLayout(box)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        column.addWidget(self.count)

    def _build_detail(self) -> None:
        box = self.detail_box = QGroupBox(self.tr("办理"), self)
        box.setMinimumWidth(460)
        self.heading = QLabel(box)
        self.heading.setObjectName("petitionHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadlines = QTableView(box)
        self.deadlines.setObjectName("petitionDeadlines")
        self.deadlines.setModel(self.deadlines_model)
        self.deadlines.verticalHeader().hide()
        self.deadlines.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.deadlines.horizontalHeader().setStretchLastSection(True)
        self.deadlines.setMaximumHeight(200)
        self.record = QPlainTextEdit(box)
        self.record.setObjectName("petitionRecord")
        self.record.setReadOnly(True)
        self.text = QPlainTextEdit(box)
        self.text.setObjectName("writtenText")
        self.text.setPlaceholderText(
            self.tr("书面内容：受理或不予受理告知书、延期理由、处理意见、复查或复核意见")
        )
        self.text.setMaximumHeight(90)
        self.body = QLineEdit(box)
        self.body.setObjectName("handlingBody")
        self.body.setPlaceholderText(self.tr("办理机关、单位（受理时填写）"))
        self.approver = QLineEdit(box)
        self.approver.setObjectName("extensionApprover")
        self.approver.setPlaceholderText(self.tr("延期时填写：批准延期的负责人（姓名、职务）"))
        self.days = QSpinBox(box)
        self.days.setObjectName("stepDays")
        self.days.setRange(1, 999)
        self.days.setValue(MAX_EXTENSION_DAYS)
        self.days.setSuffix(self.tr(" 天"))
        self.days.setToolTip(
            self.tr("延期天数（至多 {0} 天）或听证天数").format(MAX_EXTENSION_DAYS)
        )
        self.buttons: dict[str, QPushButton] = {}
        steps: list[tuple[str, str, str, Callable[[uuid.UUID], None]]] = [
            (
                "accept",
                self.tr("受理"),
                self.tr("受理并书面告知，开始 60 日办理期限"),
                self._accept,
            ),
            ("notAccept", self.tr("不予受理"), self.tr("不予受理并书面告知理由"), self._not_accept),
            (
                "extend",
                self.tr("延期"),
                self.tr("经负责人批准，延长办理期限一次，须告知信访人理由"),
                self._extend,
            ),
            ("reply", self.tr("书面答复"), self.tr("出具处理意见书"), self._reply),
            ("requestReview", self.tr("请求复查"), self.tr("信访人请求复查"), self._request_review),
            ("review", self.tr("复查意见"), self.tr("出具复查意见"), self._review),
            (
                "requestRecheck",
                self.tr("请求复核"),
                self.tr("信访人请求复核"),
                self._request_recheck,
            ),
            ("hearing", self.tr("登记听证"), self.tr("听证所用天数不计入复核期限"), self._hearing),
            ("recheck", self.tr("复核意见"), self.tr("出具复核意见"), self._recheck),
            ("close", self.tr("办结"), self.tr("办结此信访事项"), self._close),
        ]
        grid = QVBoxLayout()
        row: QHBoxLayout | None = None
        # Four to a row, none narrower than its label: the English labels are long, and a
        # button cut to "-examination requeste" cannot be read (the pane widens instead).
        for n, (key, label, tip, action) in enumerate(steps):
            if n % 4 == 0:
                row = QHBoxLayout()
                grid.addLayout(row)
            button = QPushButton(label, box)
            button.setObjectName(key)
            button.setToolTip(tip)
            button.setMinimumWidth(button.sizeHint().width())
            button.clicked.connect(lambda _=False, act=action: self._step(act))
            assert row is not None
            row.addWidget(button)
            self.buttons[key] = button
        self.message = QLabel(box)
        self.message.setObjectName("petitionMessage")
        self.message.setWordWrap(True)
        inputs = QFormLayout()
        inputs.addRow(self.tr("书面内容"), self.text)
        inputs.addRow(self.tr("办理机关"), self.body)
        inputs.addRow(self.tr("批准人"), self.approver)
        inputs.addRow(self.tr("天数"), self.days)
        column = QVBoxLayout(box)
        column.addWidget(self.heading)
        column.addWidget(QLabel(self.tr("期限（《信访工作条例》）"), box))
        column.addWidget(self.deadlines)
        column.addWidget(self.record, 1)
        column.addLayout(inputs)
        column.addLayout(grid)
        column.addWidget(self.message)

    # --- registration -----------------------------------------------------------------

    def _today(self) -> dt.date:
        return to_local(self._ctx.clock.now()).date()

    def _channel_changed(self) -> None:
        from_visit = self.channel.currentData() is PetitionChannel.VISIT
        self.visit.setVisible(from_visit)
        if self._visit_label is not None:
            self._visit_label.setVisible(from_visit)
        self.received.setEnabled(self.channel.currentData() is PetitionChannel.LETTER)
        today = self._today()
        self.received.setDate(QDate(today.year, today.month, today.day))
        if from_visit:
            self._fill_visits()

    def _fill_visits(self) -> None:
        """Today's and recent visits; the petitioner's data comes from the chosen one."""
        self.visit.clear()
        self.visit.addItem(self.tr("（不关联来访，手工填写）"), None)
        if not self._actor.can(Permission.RECEPTION_REGISTER):
            return
        for row in self._ctx.visits.recent(self._actor, limit=50):
            self.visit.addItem(
                f"{row.ticket_no}  {row.visitor_name}  "
                f"{to_local(row.visited_at).strftime('%m-%d %H:%M')}",
                uuid.UUID(row.id),
            )
        if self.visit.count() > 1:
            self.visit.setCurrentIndex(1)

    def registerPetition(self) -> None:
        channel = self.channel.currentData()
        picked = self.received.date()
        received = dt.date(picked.year(), picked.month(), picked.day())
        draft = PetitionDraft(
            channel=channel,
            petitioner_name=self.name.text(),
            id_number=self.id_number.text(),
            phone=self.phone.text(),
            matter=self.matter.toPlainText(),
            received_on=received if channel is PetitionChannel.LETTER else None,
            visit_id=self.visit.currentData() if channel is PetitionChannel.VISIT else None,
        )
        try:
            registered = self._ctx.petitions.register(self._actor, draft)
        except DomainError as error:
            show_error(self.register_message, error)
            return
        done = self.tr("已登记 {0}，请在 {1} 前作出是否受理的决定").format(
            registered.number, registered.acceptance_due.isoformat()
        )
        if registered.repeat_of is None:
            show_success(self.register_message, done)
        else:  # in the warning colour: the clerk must see it before deciding on acceptance
            show_warning(
                self.register_message, done + "\n" + self._repeat_text(registered.repeat_of)
            )
        for field in (self.name, self.id_number, self.phone):
            field.clear()
        self.matter.clear()
        self._current = registered.id
        self.petitionChanged.emit(registered.id)
        self.refresh()

    # --- the list ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the list with days left from today's date (also on a change notice),
        on the pool: the window stays responsive, and a list asked for earlier that
        arrives after a newer one is dropped."""
        which = self.which.currentData()
        petitions, actor = self._ctx.petitions, self._actor
        today = self._today()
        self.today_label.setText(self.tr("今天 {0}").format(today.isoformat()))
        self.received.setMaximumDate(QDate(today.year, today.month, today.day))
        work: Callable[[], list[PetitionRow]]
        if which == "due":
            work = lambda: petitions.open_list(actor, due_within=DUE_SOON_DAYS)  # noqa: E731
        elif which == "overdue":
            work = lambda: petitions.open_list(actor, overdue_only=True)  # noqa: E731
        else:
            work = lambda: petitions.window(actor, limit=WINDOW)  # noqa: E731
        self._list_reads.run(work, lambda rows: self._loaded(which, rows), self._failed)

    def settled(self) -> bool:
        """Whether the list asked for last is shown (or its failure told)."""
        return not self._list_reads.pending

    def _loaded(self, which: str, rows: list[PetitionRow]) -> None:
        petitions, actor = self._ctx.petitions, self._actor
        if which in ("due", "overdue"):
            self.model.reload(rows)
        else:
            self.model.reload(
                rows, lambda after: petitions.window(actor, after=after, limit=WINDOW)
            )
        self.count.setText(self.tr("{0} 件").format(self.model.rowCount()))
        current = self._current
        row = self.model.row_of(current) if current else -1
        if row >= 0:
            self.table.selectRow(row)
        self._show_detail()
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.count.setText(error_text(error) if isinstance(error, DomainError) else str(error))
        self.loaded.emit()

    def _row_chosen(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._current = self.model.row_at(index.row()).id
        self._show_detail()

    # --- the chosen petition ----------------------------------------------------------

    def _show_detail(self) -> None:
        view: PetitionView | None = None
        if self._current is not None:
            try:
                view = self._ctx.petitions.view(self._actor, self._current)
            except DomainError:
                self._current = None
        petition = view.petition if view is not None else None
        for key, button in self.buttons.items():
            button.setEnabled(petition is not None and petition.state in ALLOWED[key])
        if petition is not None and petition.extension_days:  # 第三十四条 allows one
            self.buttons["extend"].setEnabled(False)
        if view is None or petition is None:
            self.heading.setText(self.tr("在左侧列表中选择一件信访事项"))
            self.deadlines_model.setRows([], self._today(), None)
            self.record.clear()
            return
        heading = self.tr("{0}  {1}  {2}\n{3}，{4}").format(
            petition.number,
            petition.petitioner_name,
            mask_id_number(petition.id_number) or self.tr("无身份证号"),
            translate_template(CHANNEL_LABELS[petition.channel]),
            translate_template(STATE_LABELS[petition.state]),
        )
        if view.repeat_of is not None:
            heading += "\n" + self._repeat_text(view.repeat_of)
        self.heading.setText(heading)
        self.deadlines_model.setRows(view.deadlines, self._today(), view.running)
        lines = [self.tr("事项：{0}").format(petition.matter)]
        written = (
            (self.tr("办理机关"), petition.handling_body),
            (self.tr("受理决定告知"), petition.decision_note),
            (
                self.tr("延期 {0} 天（{1} 批准），理由").format(
                    petition.extension_days, petition.extension_approved_by
                ),
                petition.extension_reason,
            ),
            (self.tr("处理意见"), petition.reply),
            (self.tr("复查意见"), petition.review_opinion),
            (self.tr("听证天数"), str(petition.hearing_days) if petition.hearing_days else ""),
            (self.tr("复核意见"), petition.recheck_opinion),
        )
        lines += [self.tr("{0}：{1}").format(label, text) for label, text in written if text]
        self.record.setPlainText("\n".join(lines))

    def _repeat_text(self, repeat: RepeatOf) -> str:
        if repeat.rechecked:
            return self.tr(
                "重复信访：与 {0}（{1}）为同一事项，该事项已出具复核意见；"
                "以同一事实和理由再次提出的，不再受理（第三十六条）"
            ).format(repeat.number, translate_template(STATE_LABELS[repeat.state]))
        return self.tr("重复信访：与 {0}（{1}）为同一事项").format(
            repeat.number, translate_template(STATE_LABELS[repeat.state])
        )

    def _step(self, action: Callable[[uuid.UUID], None]) -> None:
        """Run one step of the procedure on the chosen petition: one service call; a
        refusal is shown in words and nothing typed is lost."""
        if self._current is None:
            return
        petition_id = self._current
        try:
            action(petition_id)
        except DomainError as error:
            show_error(self.message, error)
            return
        show_success(self.message, self.tr("已保存"))
        self.text.clear()
        self.petitionChanged.emit(petition_id)
        self.refresh()

    def _accept(self, pid: uuid.UUID) -> None:
        self._ctx.petitions.decide(
            self._actor,
            pid,
            accept=True,
            notice=self.text.toPlainText(),
            handling_body=self.body.text(),
        )

    def _not_accept(self, pid: uuid.UUID) -> None:
        self._ctx.petitions.decide(self._actor, pid, accept=False, notice=self.text.toPlainText())

    def _extend(self, pid: uuid.UUID) -> None:
        self._ctx.petitions.extend(
            self._actor, pid, self.days.value(), self.text.toPlainText(), self.approver.text()
        )

    def _reply(self, pid: uuid.UUID) -> None:
        self._ctx.petitions.reply(self._actor, pid, self.text.toPlainText())

    def _request_review(self, pid: uuid.UUID) -> None:
        self._ctx.petitions.request_review(self._actor, pid)

    def _review(self, pid: uuid.UUID) -> None:
        self._ctx.petitions.review(self._actor, pid, self.text.toPlainText())

    def _request_recheck(self, pid: uuid.UUID) -> None:
        self._ctx.petitions.request_recheck(self._actor, pid)

    def _hearing(self, pid: uuid.UUID) -> None:
        self._ctx.petitions.record_hearing(self._actor, pid, self.days.value())

    def _recheck(self, pid: uuid.UUID) -> None:
        self._ctx.petitions.recheck(self._actor, pid, self.text.toPlainText())

    def _close(self, pid: uuid.UUID) -> None:
        self._ctx.petitions.close(self._actor, pid)
