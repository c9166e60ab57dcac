"""The reception clerk's page: the check-in form on the left, the visit register on the right.

Validation lives in the VisitService; the form shows its Chinese message next to the
button and keeps what the clerk typed, so nothing has to be entered twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
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
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from centre_app.errors import DomainError
from centre_app.reception.visits import GROUP_VISIT_SIZE, PURPOSE_LABELS, VisitDraft
from db.models import Department, DepartmentKind, Room
from db.models.reception import VisitPurpose, VisitRoute
from ui.reception.visits_model import VisitsModel
from ui.status_message import clear_when_edited, show_error, show_success

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

# The purpose labels live in centre_app; these marks let lupdate collect them.
_PURPOSE_MARKS = (
    QT_TRANSLATE_NOOP("Reception", "咨询"), QT_TRANSLATE_NOOP("Reception", "矛盾纠纷"),
    QT_TRANSLATE_NOOP("Reception", "信访"), QT_TRANSLATE_NOOP("Reception", "办事"),
    QT_TRANSLATE_NOOP("Reception", "法律援助"),
)
WINDOWS = ("综合受理窗口1", "综合受理窗口2", "综合受理窗口3")
LIST_LIMIT = 500


class ReceptionPage(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.setObjectName("receptionPage")
        self.model = VisitsModel()
        self._build_form()
        self._build_register()
        layout = QHBoxLayout(self)
        layout.addWidget(self.form_box)
        layout.addWidget(self.register_box, 1)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.refreshVisits)
        self.search.textChanged.connect(self._search_timer.start)
        self.refreshVisits()

    # --- building ---------------------------------------------------------------------

    def _build_form(self) -> None:
        self.form_box = QGroupBox(self.tr("来访登记"), self)
        self.form_box.setMinimumWidth(380)
        self.name = QLineEdit(self.form_box)
        self.name.setObjectName("visitorName")
        self.id_number = QLineEdit(self.form_box)
        self.id_number.setObjectName("idNumber")
        self.id_number.setPlaceholderText(self.tr("18 位，可留空（匿名咨询）"))
        self.id_number.setMaxLength(20)
        self.phone = QLineEdit(self.form_box)
        self.purpose = QComboBox(self.form_box)
        for purpose in VisitPurpose:
            self.purpose.addItem(QCoreApplication.translate("Reception", PURPOSE_LABELS[purpose]),
                                 purpose)
        self.group_size = QSpinBox(self.form_box)
        self.group_size.setRange(1, 500)
        self.group_note = QLabel(self.form_box)
        self.group_note.setObjectName("groupVisitNote")
        self.group_size.valueChanged.connect(self._update_group_note)
        self.route = QComboBox(self.form_box)
        self.route.addItem(self.tr("综合受理窗口"), VisitRoute.WINDOW)
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

        form = QFormLayout()
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("身份证号"), self.id_number)
        form.addRow(self.tr("联系电话"), self.phone)
        form.addRow(self.tr("事由类别"), self.purpose)
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
        box.addStretch(1)
        self._fill_targets()

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
        self.count = QLabel(self.register_box)
        box = QVBoxLayout(self.register_box)
        box.addWidget(self.search)
        box.addWidget(self.table, 1)
        box.addWidget(self.count)

    def _fill_targets(self) -> None:
        route = self.route.currentData()
        with self._ctx.session_factory() as session:
            if route is VisitRoute.MEDIATION_ROOM:
                names = list(session.scalars(select(Room.name).where(Room.active)
                                             .order_by(Room.name)))
            elif route is VisitRoute.DEPARTMENT:
                names = list(session.scalars(select(Department.name).where(
                    Department.active, Department.kind.in_(
                        [DepartmentKind.TOWNSHIP_PLATFORM, DepartmentKind.STATION]))
                    .order_by(Department.kind, Department.name)))
            else:
                names = list(WINDOWS)
        self.target.clear()
        self.target.addItems(names)

    def _update_group_note(self, size: int) -> None:
        self.group_note.setText(self.tr("{0} 人以上为集体访，登记后请通知值班员").format(
            GROUP_VISIT_SIZE) if size >= GROUP_VISIT_SIZE else "")

    # --- actions ----------------------------------------------------------------------

    def registerVisit(self) -> None:
        draft = VisitDraft(
            visitor_name=self.name.text(), id_number=self.id_number.text(),
            phone=self.phone.text(), purpose=self.purpose.currentData(),
            summary=self.summary.toPlainText(), route=self.route.currentData(),
            routed_to=self.target.currentText(), group_size=self.group_size.value())
        try:
            visit = self._ctx.visits.register(self._actor, draft)
        except DomainError as error:
            show_error(self.message, error)
            self.ticket.clear()
            return
        show_success(self.message, self.tr("已登记：{0}，请到 {1}").format(visit.visitor_name,
                                                                   visit.routed_to))
        self.ticket.setText(visit.ticket_no)
        for field in (self.name, self.id_number, self.phone):
            field.clear()
        self.summary.clear()
        self.group_size.setValue(1)
        self.name.setFocus()
        self.refreshVisits()

    def refreshVisits(self) -> None:
        rows = self._ctx.visits.recent(self._actor, limit=LIST_LIMIT, search=self.search.text())
        self.model.setRows(rows)
        self.count.setText(self.tr("显示最近 {0} 条").format(len(rows)))


def build_reception_page(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    return ReceptionPage(ctx, actor, parent)
