"""One visitor on one screen: this visit (when, why, with whom, its ticket's real waiting
and serving times), earlier visits, petitions, linked incidents and mediation cases,
another name under the same ID number flagged; a visit starts an incident (channel 来访) or
a mediation case in one step, and its state shows here afterwards. Someone allowed to see
personal data shows the full ID number and phone for a few minutes (audited); they are
masked again when the time is up."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.incidents.categories import CATEGORIES
from centre_app.mediation.workflow import STATE_LABELS as CASE_STATES
from centre_app.reception.hall import STATE_LABELS as TICKET_STATES
from centre_app.reception.petitions import STATE_LABELS as PETITION_STATES
from centre_app.reception.visits import (
    PURPOSE_LABELS,
    UNMASK_MINUTES,
    PersonHistory,
    Unmasked,
    VisitDetail,
)
from centre_app.security.roles import Permission
from ui.incidents.labels import state_text
from ui.messages import error_text, translate_template
from ui.pool_task import NewestRead

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor


class VisitorDialog(QDialog):
    loaded = Signal()  # the history asked for last is shown

    def __init__(
        self, ctx: AppContext, actor: Actor, visit_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._visit_id = visit_id
        self._history_reads = NewestRead(self)  # a read older than the newest is dropped
        self.setObjectName("visitorDialog")
        self.resize(760, 620)
        self.heading = QLabel(self)
        self.heading.setObjectName("visitorHeading")
        self.flag = QLabel(self)
        self.flag.setObjectName("otherNamesFlag")
        self.flag.setWordWrap(True)
        self.this_visit = QLabel(self)
        self.this_visit.setObjectName("thisVisit")
        self.this_visit.setWordWrap(True)
        self.unmask_button = QPushButton(self.tr("显示完整证件号和电话"), self)
        self.unmask_button.setObjectName("unmask")
        self.unmask_button.setToolTip(
            self.tr("查看会记入审计日志，{0} 分钟后自动隐藏").format(UNMASK_MINUTES)
        )
        self.unmask_button.setVisible(actor.can(Permission.PERSONAL_DATA_VIEW))
        self.unmask_button.setAutoDefault(False)  # Return must not reveal the numbers
        self.unmask_button.clicked.connect(self.unmask)
        self._history: PersonHistory | None = None
        self._unmasked: Unmasked | None = None
        self._mask_again = QTimer(self, interval=1000)  # the countdown, then masked again
        self._mask_again.timeout.connect(self._show_heading)
        self.visits = QListWidget(self)
        self.visits.setObjectName("visitorVisits")
        self.petitions = QListWidget(self)
        self.petitions.setObjectName("visitorPetitions")
        self.incidents = QListWidget(self)
        self.incidents.setObjectName("visitorIncidents")
        self.category = QComboBox(self)
        for category, subcategories in CATEGORIES.items():
            for sub in subcategories:
                self.category.addItem(f"{category} / {sub}", (category, sub))
        self.start_incident = QPushButton(self.tr("由本次来访生成事件"), self)
        self.start_incident.setObjectName("startIncident")
        self.start_incident.setToolTip(self.tr("生成一件来访渠道的事件，预填来访内容"))
        self.start_incident.clicked.connect(self.startIncident)
        self.cases = QListWidget(self)
        self.cases.setObjectName("visitorMediationCases")
        self.case_category = QComboBox(self)
        self.case_category.setObjectName("mediationCategory")
        self.case_category.setEditable(True)
        self.case_category.addItems(CATEGORIES.get("矛盾纠纷", ()))
        self.case_category.setToolTip(self.tr("纠纷类别，可从列表选择或直接输入"))
        self.start_case = QPushButton(self.tr("由本次来访生成调解案件"), self)
        self.start_case.setObjectName("startMediationCase")
        self.start_case.setToolTip(self.tr("受理一件调解案件，来访人为申请人，关联本次来访"))
        self.start_case.clicked.connect(self.startMediationCase)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        incident_row = QHBoxLayout()
        incident_row.addWidget(self.category, 1)
        incident_row.addWidget(self.start_incident)
        case_row = QHBoxLayout()
        case_row.addWidget(self.case_category, 1)
        case_row.addWidget(self.start_case)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.unmask_button)
        layout = QVBoxLayout(self)
        layout.addLayout(heading_row)
        layout.addWidget(self.flag)
        layout.addWidget(self.this_visit)
        layout.addWidget(QLabel(self.tr("来访记录"), self))
        layout.addWidget(self.visits, 2)
        layout.addWidget(QLabel(self.tr("信访事项"), self))
        layout.addWidget(self.petitions, 1)
        layout.addWidget(QLabel(self.tr("关联事件"), self))
        layout.addWidget(self.incidents, 1)
        layout.addLayout(incident_row)
        layout.addWidget(QLabel(self.tr("调解案件"), self))
        layout.addWidget(self.cases, 1)
        layout.addLayout(case_row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Read the person's history on the pool; the buttons wait for it."""
        visits, actor, visit_id = self._ctx.visits, self._actor, self._visit_id
        self.start_incident.setEnabled(False)
        self.start_case.setEnabled(False)
        self._history_reads.run(lambda: visits.history(actor, visit_id), self._loaded, self._failed)

    def settled(self) -> bool:
        """Whether the history asked for last is shown (or its failure told)."""
        return not self._history_reads.pending

    def _failed(self, error: Exception) -> None:
        self.message.setText(error_text(error) if isinstance(error, DomainError) else str(error))
        self.loaded.emit()

    def _loaded(self, history: PersonHistory) -> None:
        self._history = history
        self.setWindowTitle(self.tr("来访人：{0}").format(history.visitor_name))
        self._show_heading()
        self.this_visit.setText(self._visit_text(history.this_visit))
        self.flag.setText(
            self.tr("注意：同一身份证号还以“{0}”登记过").format("、".join(history.other_names))
            if history.other_names
            else ""
        )
        self.visits.clear()
        for row in history.visits:
            self.visits.addItem(
                self.tr("{0}  {1}  {2}  {3}").format(
                    to_local(row.visited_at).strftime("%Y-%m-%d %H:%M"),
                    row.ticket_no,
                    translate_template(PURPOSE_LABELS[row.purpose]),
                    row.routed_to,
                )
            )
        self.petitions.clear()
        for number, state, received in history.petitions:
            self.petitions.addItem(
                self.tr("{0}  {1}  收到 {2}").format(
                    number, translate_template(PETITION_STATES[state]), received.isoformat()
                )
            )
        self.incidents.clear()
        for case_no, incident_state, title in history.incidents:
            self.incidents.addItem(f"{case_no}  {state_text(incident_state)}  {title}")
        self.cases.clear()
        for case_no, case_state, title in history.mediation_cases:
            self.cases.addItem(f"{case_no}  {translate_template(CASE_STATES[case_state])}  {title}")
        this = next((r for r in history.visits if r.id == str(self._visit_id)), None)
        self.start_incident.setEnabled(this is not None and this.incident_id is None)
        self.start_case.setEnabled(this is not None and this.mediation_case_id is None)
        self.loaded.emit()

    def unmask(self) -> None:
        """The full ID number and phone of this visit, for a few minutes; audited."""
        try:
            self._unmasked = self._ctx.visits.unmask(self._actor, self._visit_id)
        except DomainError as error:
            self.message.setText(error_text(error))
            return
        self._mask_again.start()
        self._show_heading()

    def _show_heading(self) -> None:
        history = self._history
        if history is None:
            return
        number = history.id_number
        phone = history.this_visit.phone if history.this_visit else ""
        until = ""
        if self._unmasked is not None:
            now = self._ctx.clock.now()
            number, phone = self._unmasked.shown(now)  # masked again once the time is up
            if now < self._unmasked.expires_at:
                until = self.tr("（完整号码显示至 {0}）").format(
                    to_local(self._unmasked.expires_at).strftime("%H:%M:%S")
                )
            else:
                self._unmasked = None
                self._mask_again.stop()
        self.unmask_button.setEnabled(self._unmasked is None)
        self.heading.setText(
            self.tr("{0}  {1}  {2}{3}").format(
                history.visitor_name,
                number or self.tr("无身份证号"),
                phone or self.tr("无电话"),
                until,
            )
        )

    def _visit_text(self, visit: VisitDetail | None) -> str:
        if visit is None:
            return ""
        lines = [
            self.tr("本次来访：{0}  {1}  {2}").format(
                to_local(visit.visited_at).strftime("%Y-%m-%d %H:%M"),
                translate_template(PURPOSE_LABELS[visit.purpose]),
                visit.routed_to,
            )
        ]
        if visit.ticket_code and visit.ticket_state is not None:
            ticket = self.tr("{0} {1}  {2}").format(
                visit.ticket_code,
                visit.service_name,
                translate_template(TICKET_STATES[visit.ticket_state]),
            )
            if visit.window_number is not None:
                ticket += self.tr("（{0} 号窗口）").format(visit.window_number)
            times = [
                self.tr("等候 {0} 分钟").format(round(visit.waited.total_seconds() / 60))
                if visit.waited is not None
                else self.tr("仍在等候或未叫号"),
            ]
            if visit.served is not None:
                times.append(
                    self.tr("办理 {0} 分钟").format(round(visit.served.total_seconds() / 60))
                )
            lines.append(self.tr("排队号 {0}；{1}").format(ticket, self.tr("，").join(times)))
        if visit.group_size > 1:
            lines.append(
                self.tr("一行 {0} 人（集体访）").format(visit.group_size)
                if visit.is_group_visit
                else self.tr("一行 {0} 人").format(visit.group_size)
            )
        if visit.summary:
            lines.append(self.tr("内容：{0}").format(visit.summary))
        lines.append(self.tr("登记人：{0}").format(visit.registered_by))
        return "\n".join(lines)

    def startIncident(self) -> None:
        category, sub = self.category.currentData()
        try:
            self._ctx.visits.start_incident(self._actor, self._visit_id, category, sub)
        except DomainError as error:
            self.message.setText(error_text(error))
            return
        self.message.setText(self.tr("已生成事件，值班员可在分流队列中看到。"))
        self.refresh()

    def startMediationCase(self) -> None:
        try:
            self._ctx.visits.start_mediation_case(
                self._actor, self._visit_id, self.case_category.currentText()
            )
        except DomainError as error:
            self.message.setText(error_text(error))
            return
        self.message.setText(self.tr("已受理调解案件，可在调解室日历中安排调解。"))
        self.refresh()
