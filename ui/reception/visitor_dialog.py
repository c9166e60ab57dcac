"""One visitor on one screen: earlier visits, petitions, linked incidents and mediation
cases, another name under the same ID number flagged; a visit starts an incident (channel
来访) or a mediation case in one step, and its state shows here afterwards."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
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
from centre_app.reception.petitions import STATE_LABELS as PETITION_STATES
from centre_app.reception.visits import PURPOSE_LABELS, PersonHistory
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.flag)
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
        self.setWindowTitle(self.tr("来访人：{0}").format(history.visitor_name))
        self.heading.setText(
            self.tr("{0}  {1}").format(
                history.visitor_name, history.id_number or self.tr("无身份证号")
            )
        )
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
