"""The selected case: header (case number, colour chip, state, countdown), its fields, a
warning banner (群体性事件预警, possible duplicates) with the reason in words, the history
timeline oldest first, and the attachments with thumbnails."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QMargins,
    Qt,
    QThreadPool,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.incidents.attachments import AttachmentInfo
from centre_app.incidents.phone import mask_phone
from centre_app.incidents.workflow import ACTIONS
from centre_app.security.roles import Permission
from db.models.incidents import Incident, IncidentEvent, IncidentState, RiskColour
from ui.incidents.attachment_list import THUMB, thumbnail
from ui.incidents.delegates import deadline_text
from ui.incidents.form import FILE_FILTER
from ui.incidents.labels import action_done_text, channel_text, state_text
from ui.incidents.queue_model import COLOUR_TEXT
from ui.messages import error_text
from ui.pool_task import run_in_pool

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

AttachmentRole = Qt.ItemDataRole.UserRole + 1

# History entries that are not workflow actions (those take their label from ACTIONS).
EVENT_LABELS: dict[str, str] = {
    "report": str(QT_TRANSLATE_NOOP("IncidentDetail", "上报")),
    "colour": str(QT_TRANSLATE_NOOP("IncidentDetail", "调整风险等级")),
    "group_warning": str(QT_TRANSLATE_NOOP("IncidentDetail", "群体性事件预警")),
    "deadline": str(QT_TRANSLATE_NOOP("IncidentDetail", "调整处置时限")),
    "attach": str(QT_TRANSLATE_NOOP("IncidentDetail", "添加附件")),
    "merged_in": str(QT_TRANSLATE_NOOP("IncidentDetail", "合并了重复上报")),
    "merge": str(QT_TRANSLATE_NOOP("IncidentDetail", "合并到")),
    "county_reply": str(QT_TRANSLATE_NOOP("IncidentDetail", "县级答复")),
}


def tr(text: str) -> str:
    return QCoreApplication.translate("IncidentDetail", text)


def event_text(event: IncidentEvent, department_name: Callable[[str], str]) -> str:
    """One line of the timeline in words: when, who, what (and to whom), then why."""
    data: dict[str, Any] = event.data or {}
    kind = event.kind
    label = (
        tr(EVENT_LABELS[kind])
        if kind in EVENT_LABELS
        else action_done_text(kind)
        if kind in ACTIONS
        else kind
    )
    what = ""
    if kind == "dispatch":
        what = " → " + department_name(data.get("department_id", ""))
    elif kind in ("colour", "group_warning") and "colour" in data:
        what = QCoreApplication.translate("IncidentDetail", " → {0}色").format(
            COLOUR_TEXT[RiskColour(data["colour"])]
        )
    elif kind == "report" and "colour" in data:
        what = QCoreApplication.translate("IncidentDetail", "（{0}色）").format(
            COLOUR_TEXT[RiskColour(data["colour"])]
        )
    elif kind == "merge":
        what = " " + data.get("into_case_no", "")
    elif kind == "merged_in":
        what = " " + data.get("from_case_no", "")
    elif kind == "county_reply":
        what = "：" + data.get("decision", "")
    elif kind == "attach":
        what = " " + data.get("name", "")
    elif kind == "deadline" and "deadline" in data:
        until = to_local(dt.datetime.fromisoformat(data["deadline"]))
        what = QCoreApplication.translate("IncidentDetail", " 至 {0}").format(
            f"{until:%m-%d %H:%M}"
        )
    if event.to_state and kind not in ("report",):
        what += QCoreApplication.translate("IncidentDetail", "（转为“{0}”）").format(
            state_text(IncidentState(event.to_state))
        )
    note = event.note if kind != "group_warning" else (data.get("reason") or event.note)
    line = f"{to_local(event.at):%m-%d %H:%M}  {event.actor_name}  {label}{what}"
    return line + (f"\n    {note}" if note else "")


class IncidentDetail(QWidget):
    """Shows one case; `attachmentAdded` after a file was stored with it."""

    attachmentAdded = Signal(object)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.incident_id: uuid.UUID | None = None
        self.setObjectName("incidentDetailPane")

        self.case_no = QLabel(self)
        self.case_no.setObjectName("incidentCaseNo")
        self.case_no.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chip = QLabel(self)
        self.chip.setObjectName("colourChip")
        self.chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state = QLabel(self)
        self.state.setObjectName("incidentState")
        self.state.setWordWrap(True)  # "Awaiting verification" on two lines in a narrow pane
        self.countdown = QLabel(self)
        self.countdown.setObjectName("incidentCountdown")
        # It wraps rather than widening the pane: English states and countdowns are longer,
        # and the header's width was the whole window's minimum (wider than 1366 px).
        self.countdown.setWordWrap(True)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.title = QLabel(self)
        self.title.setObjectName("incidentTitle")
        self.title.setWordWrap(True)
        self.banner = QLabel(self)
        self.banner.setObjectName("warningBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()

        self.fields: dict[str, QLabel] = {}
        facts = QFormLayout()
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        facts.setVerticalSpacing(3)
        for key, caption in (
            ("channel", QCoreApplication.translate("IncidentDetail", "来源")),
            ("category", QCoreApplication.translate("IncidentDetail", "类别")),
            ("grid", QCoreApplication.translate("IncidentDetail", "网格")),
            ("place", QCoreApplication.translate("IncidentDetail", "地点")),
            ("people", QCoreApplication.translate("IncidentDetail", "涉及人数")),
            ("reporter", QCoreApplication.translate("IncidentDetail", "上报人")),
            ("phone", QCoreApplication.translate("IncidentDetail", "联系电话")),
            ("reported", QCoreApplication.translate("IncidentDetail", "上报时间")),
            ("department", QCoreApplication.translate("IncidentDetail", "承办部门")),
            ("deadline", QCoreApplication.translate("IncidentDetail", "处置时限")),
            ("description", QCoreApplication.translate("IncidentDetail", "描述")),
        ):
            label = QLabel(self)
            label.setObjectName(f"field_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = label
            facts.addRow(caption, label)

        self.history = QListWidget(self)
        self.history.setObjectName("incidentHistory")
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.attachments = QListWidget(self)
        self.attachments.setObjectName("incidentAttachments")
        self.attachments.setViewMode(QListView.ViewMode.IconMode)
        self.attachments.setIconSize(THUMB)
        self.attachments.setGridSize(THUMB.grownBy(QMargins(8, 8, 8, 28)))
        self.attachments.setResizeMode(QListView.ResizeMode.Adjust)
        self.attachments.setMovement(QListView.Movement.Static)
        self.attachments.setWordWrap(True)
        self.attachments.setMaximumHeight(THUMB.height() + 56)
        self.attachments.setToolTip(QCoreApplication.translate("IncidentDetail", "双击打开附件"))
        self.attachments.itemActivated.connect(self.openAttachment)  # double-click or Enter
        self._files_pool = QThreadPool(self)  # fetches from the centre's file store
        self._files_pool.setMaxThreadCount(2)
        self.add_button = QPushButton(
            QCoreApplication.translate("IncidentDetail", "添加附件…"), self
        )
        self.add_button.setObjectName("detailAddAttachment")
        self.add_button.clicked.connect(self.chooseAttachments)
        self.message = QLabel(self)
        self.message.setObjectName("detailMessage")
        self.message.setWordWrap(True)

        header = QHBoxLayout()
        middle = Qt.AlignmentFlag.AlignVCenter  # a wrapped countdown does not stretch them
        header.addWidget(self.chip, 0, middle)
        header.addWidget(self.case_no)
        header.addWidget(self.state, 0, middle)
        header.addStretch(1)
        header.addWidget(self.countdown)
        attach_row = QHBoxLayout()
        attach_row.addWidget(QLabel(QCoreApplication.translate("IncidentDetail", "附件"), self))
        attach_row.addStretch(1)
        attach_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(facts)
        layout.addWidget(QLabel(QCoreApplication.translate("IncidentDetail", "处置经过"), self))
        layout.addWidget(self.history, 1)
        layout.addLayout(attach_row)
        layout.addWidget(self.attachments)
        layout.addWidget(self.message)
        self.showIncident(None)

    # --- showing ----------------------------------------------------------------------

    def showIncident(self, incident_id: uuid.UUID | None) -> Incident | None:
        self.incident_id = incident_id
        self.history.clear()
        self.attachments.clear()
        self.message.clear()
        self.banner.hide()
        self.add_button.setEnabled(incident_id is not None)
        if incident_id is None:
            self.title.setText(QCoreApplication.translate("IncidentDetail", "此队列中没有事件"))
            for label in (
                self.case_no,
                self.chip,
                self.state,
                self.countdown,
                *self.fields.values(),
            ):
                label.clear()
            self.chip.hide()
            return None
        service = self._ctx.incidents
        incident = service.get(self._actor, incident_id)
        grid, department = service.names(incident.grid_id, incident.department_id)
        self._header(incident)
        self.title.setText(incident.title)
        values = {
            "channel": channel_text(incident.channel),
            "category": f"{incident.category} / {incident.subcategory}",
            "grid": grid or QCoreApplication.translate("IncidentDetail", "未指定"),
            "place": incident.place,
            "people": str(incident.people_involved),
            "reporter": incident.reporter,
            # Like every list: masked for anyone who may not see personal data.
            "phone": incident.reporter_phone
            if self._actor.can(Permission.PERSONAL_DATA_VIEW)
            else mask_phone(incident.reporter_phone),
            "reported": f"{to_local(incident.reported_at):%Y-%m-%d %H:%M}",
            "department": department or QCoreApplication.translate("IncidentDetail", "未派遣"),
            "deadline": f"{to_local(incident.deadline):%Y-%m-%d %H:%M}"
            if incident.deadline
            else QCoreApplication.translate("IncidentDetail", "受理后计时"),
            "description": incident.description,
        }
        for key, value in values.items():
            self.fields[key].setText(value)
        departments: dict[str, str] = {}

        def department_name(raw: str) -> str:
            if raw not in departments:
                departments[raw] = service.names(None, uuid.UUID(raw))[1] if raw else ""
            return departments[raw]

        for event in service.history(self._actor, incident.id):
            self.history.addItem(event_text(event, department_name))
        self.history.scrollToBottom()
        self._warnings(incident)
        self._fill_attachments(service.attachments(self._actor, incident.id))
        return incident

    def _header(self, incident: Incident) -> None:
        self.case_no.setText(incident.case_no)
        self.chip.setText(COLOUR_TEXT[incident.colour])
        self.chip.setProperty("colour", incident.colour.value)
        self.chip.show()
        self.state.setText(state_text(incident.state))
        if incident.state is IncidentState.ESCALATED:
            text, overdue = (
                QCoreApplication.translate("IncidentDetail", "已暂停（等待县级答复）"),
                False,
            )
        elif incident.state in (IncidentState.CLOSED, IncidentState.REJECTED, IncidentState.MERGED):
            text, overdue = "", False
        elif incident.deadline is None:
            text, overdue = QCoreApplication.translate("IncidentDetail", "未开始计时"), False
        else:
            text, overdue = deadline_text(incident.deadline, self._ctx.clock.now())
        self.countdown.setText(text)
        self.countdown.setProperty("overdue", overdue)
        for label in (self.chip, self.countdown):
            label.style().unpolish(label)
            label.style().polish(label)
        # Never narrower than its word: the sheet's min-width was the chip's minimum, so a
        # narrow pane (English at 1366 px) cut "Yellow" to "ellow".
        self.chip.setMinimumWidth(self.chip.sizeHint().width())

    def _warnings(self, incident: Incident) -> None:
        lines = []
        if incident.group_warning:
            lines.append(
                QCoreApplication.translate("IncidentDetail", "群体性事件预警：{0}").format(
                    incident.group_warning
                )
            )
        if incident.state in (IncidentState.REPORTED, IncidentState.ACCEPTED):
            try:
                found = self._ctx.incidents.find_duplicates(self._actor, incident.id)
            except DomainError:
                found = []
            for candidate in found[:3]:
                lines.append(
                    QCoreApplication.translate(
                        "IncidentDetail", "可能重复：{0} {1}（相似度 {2:.0%}：{3}）"
                    ).format(candidate.case_no, candidate.title, candidate.score, candidate.reason)
                )
        if lines:
            self.banner.setText("\n".join(lines))
            self.banner.setProperty("kind", "group" if incident.group_warning else "duplicate")
            self.banner.style().unpolish(self.banner)
            self.banner.style().polish(self.banner)
            self.banner.show()

    def _fill_attachments(self, infos: list[AttachmentInfo]) -> None:
        """Thumbnails from this desk's cache at once; a picture another desk added is
        fetched from the centre's file store on a worker, then shown."""
        service = self._ctx.incidents
        for info in infos:
            path = service.cached_attachment(info)
            item = QListWidgetItem(info.original_name, self.attachments)
            item.setData(AttachmentRole, info)
            item.setToolTip(
                QCoreApplication.translate(
                    "IncidentDetail", "{0}\n{1} 添加于 {2}，{3:.0f} KB"
                ).format(
                    info.original_name,
                    info.added_by,
                    f"{to_local(info.added_at):%m-%d %H:%M}",
                    info.size / 1024,
                )
            )
            self._show_icon(item, path if info.is_image else None)
            if info.is_image and path is None:
                self._fetch_picture(item, info)

    def _fetch_picture(self, item: QListWidgetItem, info: AttachmentInfo) -> None:
        service = self._ctx.incidents

        def fetched(path: Path) -> None:
            if self._still_shown(item):  # the pane may show another case by now
                self._show_icon(item, path)

        def not_fetched(error: Exception) -> None:
            if self._still_shown(item) and isinstance(error, DomainError):
                item.setToolTip(item.toolTip() + "\n" + error_text(error))

        run_in_pool(
            self._files_pool,
            lambda: service.attachment_path(info),
            fetched,
            not_fetched,
            owner=self,
        )

    def _show_icon(self, item: QListWidgetItem, picture: Path | None) -> None:
        pixmap = thumbnail(picture) if picture is not None else None
        item.setIcon(
            QIcon(pixmap)
            if pixmap is not None and not pixmap.isNull()
            else self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        )

    def _still_shown(self, item: QListWidgetItem) -> bool:
        return shiboken6.isValid(item) and self.attachments.row(item) >= 0

    # --- acting -----------------------------------------------------------------------

    def openAttachment(self, item: QListWidgetItem) -> bool:
        """Open this desk's copy; one it does not have yet is fetched from the centre's
        file store on a worker first (a clip can take a moment). True when opened now."""
        info: AttachmentInfo = item.data(AttachmentRole)
        service = self._ctx.incidents
        path = service.cached_attachment(info)
        if path is not None:
            return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self.message.setText(
            QCoreApplication.translate("IncidentDetail", "正在从中心数据库取出“{0}”…").format(
                info.original_name
            )
        )
        run_in_pool(
            self._files_pool,
            lambda: service.attachment_path(info),
            self._open_fetched,
            lambda error: self.message.setText(
                error_text(error) if isinstance(error, DomainError) else ""
            ),
            owner=self,
        )
        return False

    def _open_fetched(self, path: Path) -> None:
        self.message.setText("")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def chooseAttachments(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, QCoreApplication.translate("IncidentDetail", "添加附件"), "", FILE_FILTER
        )
        self.addAttachments([Path(n) for n in names])

    def addAttachments(self, paths: list[Path]) -> None:
        """Store each file with the case; a refused file is reported in the service's words."""
        if self.incident_id is None:
            return
        errors = []
        for path in paths:
            try:
                self._ctx.incidents.attach(self._actor, self.incident_id, path)
            except DomainError as error:
                errors.append(error_text(error))
        incident_id = self.incident_id
        self.showIncident(incident_id)
        self.message.setText("\n".join(errors))
        self.attachmentAdded.emit(incident_id)
