"""The reception clerk's page: the check-in form on the left, the visit register on the right.

Validation lives in the VisitService; the form shows its Chinese message next to the
button and keeps what the clerk typed, so nothing has to be entered twice.
"""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from centre_app.errors import DomainError
from centre_app.reception.hall import PRIORITY_LABELS
from centre_app.reception.ticket import TicketSlip
from centre_app.reception.visits import GROUP_VISIT_SIZE, PURPOSE_LABELS, VisitDraft, VisitRow
from centre_app.settings import Key
from db.models import Department, DepartmentKind, Room
from db.models.reception import TicketPriority, VisitPurpose, VisitRoute
from ui.change_notice import RefreshOn
from ui.messages import error_text, translate_template
from ui.pool_task import NewestRead, run_in_pool
from ui.reception.hall_display import HallDisplay
from ui.reception.ticket_print import print_ticket
from ui.reception.visitor_dialog import VisitorDialog
from ui.reception.visits_model import VisitsModel
from ui.reception.window_panel import WindowPanel
from ui.status_message import clear_when_edited, show_error, show_success

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

LIST_LIMIT = 500


class ReceptionPage(QWidget):
    visitRegistered = Signal(uuid.UUID)
    loaded = Signal()  # the register asked for last is shown
    printed = Signal()  # a ticket was printed, or the clerk told why not

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.last_visit_id: uuid.UUID | None = None
        self._register_reads = NewestRead(self)  # a read older than the newest is dropped
        self._ticket_target: str | None = None  # set by a caller (tests): wins over both
        # Thermal tickets go over the network: their own threads, so a printer that never
        # answers neither freezes the screen nor holds up the register's reads.
        self._print_pool = QThreadPool(self)
        self._print_pool.setMaxThreadCount(2)
        self._prints_pending = 0
        self.setObjectName("receptionPage")
        self.model = VisitsModel()
        self._build_form()
        self._build_register()
        self.window_panel = WindowPanel(ctx, actor, self)
        self.window_panel.ticketChanged.connect(self.refresh)
        right = QVBoxLayout()
        right.addWidget(self.window_panel)
        right.addWidget(self.register_box, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.form_box)
        layout.addLayout(right, 1)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_timer.start)
        # Visits registered and tickets called at the other windows appear without
        # pressing anything.
        self._live = RefreshOn(
            ctx, ("visit", "queue_ticket", "queue_event", "hall_window"), self.refresh, self
        )
        self.refresh()

    # --- building ---------------------------------------------------------------------

    @property
    def ticket_target(self) -> str:
        """escpos:host:port, pdf:/path.pdf, a printer name, or "" for the default printer:
        this workstation's setting (设置 → 小票打印机, read at each ticket, so a change
        applies to the next one), the environment variable ZONGZHI_TICKET_PRINTER overriding
        it."""
        if self._ticket_target is not None:
            return self._ticket_target
        return os.environ.get("ZONGZHI_TICKET_PRINTER") or str(
            self._ctx.settings.get(Key.TICKET_PRINTER)
        )

    @ticket_target.setter
    def ticket_target(self, target: str) -> None:
        self._ticket_target = target

    def _build_form(self) -> None:
        self.form_box = QGroupBox(self.tr("来访登记"), self)
        self.form_box.setMinimumWidth(380)
        self.name = QLineEdit(self.form_box)
        self.name.setObjectName("visitorName")
        self.id_number = QLineEdit(self.form_box)
        self.id_number.setObjectName("idNumber")
        self.id_number.setPlaceholderText(self.tr("18 位，可留空（匿名咨询）"))
        self.id_number.setMaxLength(64)  # pasted with spaces: the service judges it whole
        self.id_number.editingFinished.connect(self.checkPerson)
        self.person_note = QLabel(self.form_box)
        self.person_note.setObjectName("personNote")
        self.person_note.setWordWrap(True)
        self.document = QLineEdit(self.form_box)
        self.document.setObjectName("otherDocument")
        self.document.setPlaceholderText(self.tr("无身份证号时：护照号或原因"))
        self.phone = QLineEdit(self.form_box)
        self.purpose = QComboBox(self.form_box)
        for purpose in VisitPurpose:
            self.purpose.addItem(translate_template(PURPOSE_LABELS[purpose]), purpose)
        self.service = QComboBox(self.form_box)
        self.service.setObjectName("hallService")
        for info in self._ctx.hall.services():
            self.service.addItem(f"{info.letter} {info.name}", info.letter)
        self.purpose.currentIndexChanged.connect(self._match_service)
        self.priority = QComboBox(self.form_box)
        self.priority.setObjectName("ticketPriority")
        for level in TicketPriority:
            self.priority.addItem(translate_template(PRIORITY_LABELS[level]), level)
        self.group_size = QSpinBox(self.form_box)
        self.group_size.setRange(1, 500)
        self.group_note = QLabel(self.form_box)
        self.group_note.setObjectName("groupVisitNote")
        self.group_size.valueChanged.connect(self._update_group_note)
        self.route = QComboBox(self.form_box)
        self.route.addItem(self.tr("大厅窗口（按服务排队）"), VisitRoute.WINDOW)
        self.route.addItem(self.tr("调解室"), VisitRoute.MEDIATION_ROOM)
        self.route.addItem(self.tr("部门/站所"), VisitRoute.DEPARTMENT)
        self.target = QComboBox(self.form_box)
        self.target.setObjectName("routeTarget")
        self.route.currentIndexChanged.connect(self._fill_targets)
        self.summary = QPlainTextEdit(self.form_box)
        self.summary.setPlaceholderText(self.tr("来访事由"))
        self.summary.setMaximumHeight(90)
        self.register_button = QPushButton(self.tr("登记并取号"), self.form_box)
        self.register_button.setObjectName("registerVisit")
        self.register_button.setDefault(True)
        self.register_button.setToolTip(self.tr("保存登记并生成排队号（Ctrl+Enter）"))
        self.register_button.setShortcut("Ctrl+Return")
        self.register_button.clicked.connect(self.registerVisit)
        self.message = QLabel(self.form_box)
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.ticket = QLabel(self.form_box)
        self.ticket.setObjectName("ticketNumber")
        self.ticket.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big = self.ticket.font()
        big.setPointSize(36)
        big.setBold(True)
        self.ticket.setFont(big)
        self.print_note = QLabel(self.form_box)
        self.print_note.setObjectName("printNote")
        self.print_note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("身份证号"), self.id_number)
        form.addRow("", self.person_note)
        form.addRow(self.tr("其他证件"), self.document)
        form.addRow(self.tr("联系电话"), self.phone)
        form.addRow(self.tr("事由类别"), self.purpose)
        form.addRow(self.tr("大厅服务"), self.service)
        form.addRow(self.tr("优先"), self.priority)
        form.addRow(self.tr("来访人数"), self.group_size)
        form.addRow("", self.group_note)
        form.addRow(self.tr("分流到"), self.route)
        form.addRow("", self.target)
        form.addRow(self.tr("事由"), self.summary)
        box = QVBoxLayout(self.form_box)
        box.addLayout(form)
        box.addWidget(self.register_button)
        box.addWidget(self.message)
        clear_when_edited(self.message, self.form_box)
        box.addWidget(self.ticket)
        box.addWidget(self.print_note)
        box.addStretch(1)
        self._fill_targets()
        self._match_service()

    def _build_register(self) -> None:
        self.register_box = QGroupBox(self.tr("来访记录"), self)
        self.search = QLineEdit(self.register_box)
        self.search.setObjectName("visitSearch")
        self.search.setPlaceholderText(self.tr("按姓名、拼音首字母（如 wxy）或身份证号查找"))
        self.search.setClearButtonEnabled(True)
        self.table = QTableView(self.register_box)
        self.table.setObjectName("visitsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setToolTip(self.tr("双击或回车：查看此人的来访、信访和事件"))
        self.table.doubleClicked.connect(self.openVisitor)
        self.table.activated.connect(self.openVisitor)
        self.count = QLabel(self.register_box)
        self.display_button = QPushButton(self.tr("打开大厅叫号屏"), self.register_box)
        self.display_button.setObjectName("openHallDisplay")
        self.display_button.setToolTip(self.tr("在第二块屏幕上全屏显示叫号并语音播报"))
        self.display_button.clicked.connect(self.openHallDisplay)
        self.hall_display: HallDisplay | None = None
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.display_button)
        box = QVBoxLayout(self.register_box)
        box.addLayout(top)
        box.addWidget(self.table, 1)
        box.addWidget(self.count)

    def _fill_targets(self) -> None:
        route = self.route.currentData()
        with self._ctx.session_factory() as session:
            if route is VisitRoute.MEDIATION_ROOM:
                names = list(
                    session.scalars(select(Room.name).where(Room.active).order_by(Room.name))
                )
            elif route is VisitRoute.DEPARTMENT:
                names = list(
                    session.scalars(
                        select(Department.name)
                        .where(
                            Department.active,
                            Department.kind.in_(
                                [DepartmentKind.TOWNSHIP_PLATFORM, DepartmentKind.STATION]
                            ),
                        )
                        .order_by(Department.kind, Department.name)
                    )
                )
            else:
                names = []
        self.target.clear()
        self.target.addItems(names)
        self.target.setVisible(bool(names))

    def _update_group_note(self, size: int) -> None:
        self.group_note.setText(
            self.tr("{0} 人以上为集体访，登记后请通知值班员").format(GROUP_VISIT_SIZE)
            if size >= GROUP_VISIT_SIZE
            else ""
        )

    # --- actions ----------------------------------------------------------------------

    def _match_service(self) -> None:
        """The service of the chosen purpose (the clerk may still pick another)."""
        purpose = self.purpose.currentData()
        for info in self._ctx.hall.services():
            if info.purpose is purpose:
                self.service.setCurrentIndex(self.service.findData(info.letter))
                return

    def checkPerson(self) -> None:
        """Earlier visits and petitions of the typed ID number; another name is flagged."""
        text = self.id_number.text()
        if not text.strip():
            self.person_note.clear()
            return
        try:
            check = self._ctx.visits.check_person(self._actor, text, self.name.text())
        except DomainError as error:
            self.person_note.setText(error_text(error))
            return
        lines = []
        if check.earlier_visits or check.petitions:
            lines.append(
                self.tr("此前来访 {0} 次，信访 {1} 件（未办结 {2} 件）").format(
                    check.earlier_visits, check.petitions, check.open_petitions
                )
            )
        if check.other_names:
            lines.append(
                self.tr("注意：该身份证号曾以“{0}”登记，请核对身份").format(
                    "、".join(check.other_names)
                )
            )
        self.person_note.setProperty("warning", bool(check.other_names))
        self.person_note.setText("\n".join(lines))

    def registerVisit(self) -> None:
        draft = VisitDraft(
            visitor_name=self.name.text(),
            id_number=self.id_number.text(),
            phone=self.phone.text(),
            purpose=self.purpose.currentData(),
            summary=self.summary.toPlainText(),
            route=self.route.currentData(),
            routed_to=self.target.currentText() if self.target.isVisible() else "",
            group_size=self.group_size.value(),
            service_letter=self.service.currentData() or "",
            priority=self.priority.currentData() or TicketPriority.NORMAL,
            document=self.document.text(),
        )
        try:
            checked = self._ctx.visits.check_in(
                self._actor, draft, str(self._ctx.settings.get(Key.CENTRE_NAME))
            )
        except DomainError as error:
            show_error(self.message, error)
            self.ticket.clear()
            return
        visit = checked.visit
        assert checked.slip is not None
        text = self.registeredText(visit.visitor_name, visit.route, visit.routed_to, checked.slip)
        if visit.incident_id is not None:
            text += "\n" + self.tr("集体访：已向值班员上报红色事件")
        show_success(self.message, text)
        self.ticket.setText(visit.ticket_no)
        self.last_visit_id = visit.id
        self.printSlip(checked.slip)
        for field in (self.name, self.id_number, self.phone, self.document):
            field.clear()
        self.person_note.clear()
        self.summary.clear()
        self.group_size.setValue(1)
        self.priority.setCurrentIndex(0)
        self.name.setFocus()
        self.visitRegistered.emit(visit.id)
        self.refresh()

    def registeredText(self, name: str, route: VisitRoute, routed_to: str, slip: TicketSlip) -> str:
        """Where the visitor goes, as the clerk says it: a window visit waits in the hall
        for its number (the service and the people ahead named); a visit sent to a
        mediation room or a department goes there, its queue number given."""
        if route is VisitRoute.MEDIATION_ROOM:
            return self.tr("已登记：{0}，请到调解室“{1}”，排队号 {2}").format(
                name, routed_to, slip.code
            )
        if route is VisitRoute.DEPARTMENT:
            return self.tr("已登记：{0}，请到“{1}”办理，排队号 {2}").format(
                name, routed_to, slip.code
            )
        if slip.people_ahead == 0:
            return self.tr("已登记：{0}，{1} 号（{2}），前面没有人，请留意叫号").format(
                name, slip.code, slip.service_name
            )
        return self.tr("已登记：{0}，{1} 号（{2}），前面还有 {3} 人，请在大厅等候叫号").format(
            name, slip.code, slip.service_name, slip.people_ahead
        )

    def printTicket(self, visit_id: uuid.UUID) -> None:
        """Print a visit's ticket again (people ahead counted now)."""
        try:
            slip = self._ctx.hall.slip(visit_id, str(self._ctx.settings.get(Key.CENTRE_NAME)))
        except DomainError as error:
            self.print_note.setText(error_text(error))
            return
        self.printSlip(slip)

    def printSlip(self, slip: TicketSlip) -> None:
        """Print the ticket; a missing or failing printer leaves the number on screen and
        tells the clerk (the visit is saved either way). A thermal printer on the network
        is written to on a thread of its own: one that never answers holds the clerk's
        screen for no second (the note says the ticket is being printed until it is)."""
        target = self.ticket_target
        if not target.startswith("escpos:"):
            self._printed(print_ticket(slip, target))
            return
        self.print_note.setText(self.tr("正在打印小票 {0}…").format(slip.code))
        self.print_note.setProperty("warning", False)
        self._prints_pending += 1
        run_in_pool(
            self._print_pool,
            lambda: print_ticket(slip, target),
            self._thermal_done,
            lambda _error: self._thermal_done(
                self.tr("小票打印出错，号码 {0} 已显示在屏幕上，请告诉来访人。").format(slip.code)
            ),
            owner=self,
        )

    def _thermal_done(self, problem: str | None) -> None:
        self._prints_pending -= 1
        self._printed(problem)

    def _printed(self, problem: str | None) -> None:
        self.print_note.setText(problem or self.tr("小票已打印"))
        self.print_note.setProperty("warning", problem is not None)
        self.printed.emit()

    def printing(self) -> bool:
        """Whether a ticket is still on its way to the thermal printer."""
        return self._prints_pending > 0

    def openHallDisplay(self) -> None:
        """The hall display for the second screen (one per desk; shown again if closed)."""
        if self.hall_display is None:
            self.hall_display = HallDisplay(self._ctx)
            self.hall_display.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.hall_display.show_on_second_screen()

    def openVisitor(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        dialog = VisitorDialog(self._ctx, self._actor, uuid.UUID(row.id), self)
        dialog.open()

    def refresh(self) -> None:
        """Re-read the register (on the pool) and the window panel (also on a change
        notice); a register read that arrives after a newer one is dropped."""
        visits, actor, search = self._ctx.visits, self._actor, self.search.text()
        self._register_reads.run(
            lambda: visits.recent(actor, limit=LIST_LIMIT, search=search),
            self._loaded,
            self._failed,
        )
        self.window_panel.refresh()

    def settled(self) -> bool:
        """Whether the register asked for last is shown (or its failure told)."""
        return not self._register_reads.pending

    def _loaded(self, rows: list[VisitRow]) -> None:
        self.model.setRows(rows)
        self.count.setText(self.tr("显示最近 {0} 条").format(len(rows)))
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.count.setText(error_text(error) if isinstance(error, DomainError) else str(error))
        self.loaded.emit()


def build_reception_page(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    """The workspace: visitor registration, and the petitions (信访事项) for those who
    manage them."""
    from centre_app.security.roles import Permission
    from ui.reception.petitions_page import PetitionsPage

    tabs = QTabWidget(parent)
    tabs.setObjectName("receptionTabs")
    tabs.addTab(ReceptionPage(ctx, actor), QCoreApplication.translate("Reception", "来访登记"))
    if actor.can(Permission.PETITION_MANAGE):
        tabs.addTab(PetitionsPage(ctx, actor), QCoreApplication.translate("Reception", "信访事项"))
    return tabs
