"""新建事件: the new-incident form. It checks what only a form can (a number typed as text,
a phone number), then hands an IncidentDraft to the service, which judges the rest; any
refusal is shown inline in the service's words and nothing typed is lost. Before saving
it looks for open cases about the same thing and offers to merge into one of them."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.errors import DomainError
from centre_app.incidents.categories import CATEGORIES
from centre_app.incidents.intake import (
    CHANNEL_LABELS,
    parse_people,
    parse_reporter,
    require_choices,
)
from centre_app.incidents.service import IncidentDraft
from centre_app.incidents.triage import DuplicateCandidate
from centre_app.security.roles import Permission
from centre_app.video.evidence import EvidenceItem
from db.models import EvidenceKind
from db.models.incidents import Channel, IncidentState, RiskColour
from ui.incidents.attachment_list import THUMB, AttachmentList, thumbnail
from ui.incidents.grid_picker import GridPicker
from ui.incidents.labels import channel_text, state_text
from ui.incidents.queue_model import COLOUR_TEXT
from ui.messages import error_text
from ui.pool_task import run_in_pool

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

log = logging.getLogger(__name__)
FILE_FILTER = QCoreApplication.translate(
    "IncidentForm",
    "照片和文档 (*.jpg *.jpeg *.png *.gif *.webp *.bmp *.pdf *.doc *.docx "
    "*.xls *.xlsx *.ppt *.pptx *.mp4 *.ts);;所有文件 (*)",
)


def _buttons_left(*buttons: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class IncidentForm(QDialog):
    """Emits incidentCreated(uuid) once the case is stored (merged or not)."""

    incidentCreated = Signal(object)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._checked: IncidentDraft | None = None  # the draft whose duplicates were shown
        self.created_id: uuid.UUID | None = None
        self.created_case_no = ""
        self.merged_into = ""
        self.attach_errors: list[str] = []
        # Evidence another desk took streams from the centre's store (a clip: megabytes and
        # an ffmpeg thumbnail): read here, off the GUI thread, one read at a time.
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(1)
        self._reading = False  # evidence for this form is being read
        self.setObjectName("incidentForm")
        self.setWindowTitle(self.tr("新建事件"))
        self.setModal(True)

        self.channel = QComboBox(self)
        self.channel.setObjectName("channelChoice")
        for channel in CHANNEL_LABELS:
            self.channel.addItem(channel_text(channel), channel)
        self.category = QComboBox(self)
        self.category.setObjectName("categoryChoice")
        for category in CATEGORIES:
            self.category.addItem(category, category)
        self.subcategory = QComboBox(self)
        self.subcategory.setObjectName("subcategoryChoice")
        self.suggested = QLabel(self)
        self.suggested.setObjectName("suggestedDepartment")
        self.colour = QComboBox(self)
        self.colour.setObjectName("colourChoice")
        for colour in (RiskColour.GREEN, RiskColour.YELLOW, RiskColour.RED):
            self.colour.addItem(self.tr("{0}色").format(COLOUR_TEXT[colour]), colour)
        # Nothing is preset: a choice the officer did not make is not recorded as one.
        for box, hint in (
            (self.channel, self.tr("请选择来源")),
            (self.category, self.tr("请选择类别")),
            (self.subcategory, self.tr("请选择小类")),
            (self.colour, self.tr("请选择风险等级")),
        ):
            box.setPlaceholderText(hint)
            box.setCurrentIndex(-1)
        self.grid = GridPicker(ctx.incidents.grid_choices(), self)
        self.place = QLineEdit(self)
        self.place.setObjectName("placeEdit")
        self.place.setMaxLength(128)
        self.place.setPlaceholderText(self.tr("如：金乡村菜市场东门"))
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setMaxLength(128)
        self.title_edit.setPlaceholderText(self.tr("一句话说明事件"))
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("descriptionEdit")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(self.tr("时间、地点、人物、经过"))
        self.description.setMaximumHeight(180)
        self.people = QLineEdit("1", self)
        self.people.setObjectName("peopleEdit")
        self.people.setMaximumWidth(100)
        self.reporter = QLineEdit(self)
        self.reporter.setObjectName("reporterEdit")
        self.reporter.setPlaceholderText(self.tr("姓名；匿名来电可写“匿名”"))
        self.phone = QLineEdit(self)
        self.phone.setObjectName("phoneEdit")
        self.phone.setPlaceholderText(self.tr("手机或固定电话，可不填"))

        self.attachments = AttachmentList(ctx.incidents.check_attachment, self)
        self.add_file = QPushButton(self.tr("添加附件…"), self)
        self.add_file.setObjectName("addAttachment")
        self.add_file.clicked.connect(self.chooseFiles)
        self.add_evidence = QPushButton(self.tr("视频证据…"), self)
        self.add_evidence.setObjectName("addEvidence")
        self.add_evidence.setToolTip(self.tr("从本人在视频墙上的截图和录像中选择"))
        self.add_evidence.setVisible(actor.can(Permission.VIDEO_EVIDENCE))
        self.add_evidence.clicked.connect(self.chooseEvidence)

        self.duplicates_label = QLabel(self)
        self.duplicates_label.setObjectName("duplicatesLabel")
        self.duplicates_label.setWordWrap(True)
        self.duplicates = QListWidget(self)
        self.duplicates.setObjectName("duplicateList")
        self.duplicates.setWordWrap(True)
        self.merge_button = QPushButton(self.tr("合并到所选事件(&M)"), self)
        self.merge_button.setObjectName("mergeIntoSelected")
        self.merge_button.setVisible(actor.can(Permission.INCIDENT_TRIAGE))
        self.merge_button.clicked.connect(self.mergeIntoSelected)
        self.create_anyway = QPushButton(self.tr("仍然新建(&N)"), self)
        self.create_anyway.setObjectName("createAnyway")
        self.create_anyway.clicked.connect(self.createAnyway)
        self.duplicate_box = QWidget(self)
        self.duplicate_box.setObjectName("duplicateBox")
        dup_layout = QVBoxLayout(self.duplicate_box)
        dup_layout.setContentsMargins(0, 0, 0, 0)
        dup_layout.addWidget(self.duplicates_label)
        dup_layout.addWidget(self.duplicates, 1)
        dup_layout.addLayout(_buttons_left(self.merge_button, self.create_anyway))
        self.duplicate_box.hide()

        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)

        self._layout()
        self.category.currentIndexChanged.connect(self._fill_subcategories)
        self.subcategory.currentIndexChanged.connect(self._show_suggestion)
        self._fill_subcategories()
        self.resize(980, 640)

    def _layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("来源渠道"), self.channel)
        category_row = QHBoxLayout()
        category_row.addWidget(self.category)
        category_row.addWidget(self.subcategory, 1)
        form.addRow(self.tr("事件类别"), category_row)
        form.addRow("", self.suggested)
        form.addRow(self.tr("风险等级"), self.colour)
        form.addRow(self.tr("所属网格"), self.grid)
        form.addRow(self.tr("事发地点"), self.place)
        form.addRow(self.tr("事件标题"), self.title_edit)
        form.addRow(self.tr("事件描述"), self.description)
        form.addRow(self.tr("涉及人数"), self.people)
        reporter_row = QHBoxLayout()
        reporter_row.addWidget(self.reporter, 1)
        reporter_row.addWidget(QLabel(self.tr("电话"), self))
        reporter_row.addWidget(self.phone, 1)
        form.addRow(self.tr("上报人"), reporter_row)

        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("附件（照片、文档、视频取证）"), self))
        side.addWidget(self.attachments, 1)
        side.addLayout(_buttons_left(self.add_file, self.add_evidence))
        side.addWidget(self.duplicate_box, 1)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)  # spare height goes below the fields, not between them
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _fill_subcategories(self) -> None:
        category = self.category.currentData()
        self.subcategory.blockSignals(True)
        self.subcategory.clear()
        for sub in CATEGORIES.get(category, ()):
            self.subcategory.addItem(sub, sub)
        self.subcategory.setCurrentIndex(-1)  # the subcategory is chosen too, not preset
        self.subcategory.blockSignals(False)
        self._show_suggestion()

    def _show_suggestion(self) -> None:
        """建议承办 by the same rule as the dispatch preset (IncidentService.suggested_department)."""
        category = self.category.currentData()
        if not category:
            self.suggested.setText("")
            return
        department_id = self._ctx.incidents.suggested_department(
            category, self.subcategory.currentData() or ""
        )
        _grid, name = self._ctx.incidents.names(None, department_id)
        self.suggested.setText(self.tr("建议承办：{0}").format(name) if name else "")

    # --- filling in -------------------------------------------------------------------

    def setChannel(self, channel: Channel) -> None:
        self.channel.setCurrentIndex(self.channel.findData(channel))

    def setCategory(self, category: str, subcategory: str) -> None:
        self.category.setCurrentIndex(self.category.findData(category))
        self.subcategory.setCurrentIndex(self.subcategory.findData(subcategory))

    def setColour(self, colour: RiskColour) -> None:
        self.colour.setCurrentIndex(self.colour.findData(colour))

    def addFiles(self, paths: list[Path]) -> None:
        for path in paths:
            self.attachments.addPath(path)
        refused = self.attachments.refused()
        self.error.setText("\n".join(p.error or "" for p in refused[-3:]))

    def addEvidence(self, item: EvidenceItem) -> None:
        picture = item.thumbnail if item.kind is EvidenceKind.CLIP else None
        self.attachments.addPath(item.path, evidence_id=item.id, picture=picture)

    def fillFromEvidence(self, item: EvidenceItem) -> None:
        """视频巡查: channel, place and grid from the evidence's camera, the file attached."""
        self.setChannel(Channel.VIDEO)
        if item.camera_place:
            self.place.setText(item.camera_place)
        self.grid.setGridCode(item.area_code, only_grid=True)
        if not self.description.toPlainText():
            self.description.setPlainText(
                self.tr("{0} 视频巡查发现：").format(
                    f"{to_local(item.taken_at):%m-%d %H:%M} {item.camera_name}"
                )
            )
        self.addEvidence(item)

    def loadEvidence(self, evidence_id: uuid.UUID) -> None:
        """视频巡查: the form stays usable while the evidence is read (from the centre's store
        when another desk took it), then filled; a missing file is refused in words."""
        self.error.setText(self.tr("正在读取取证材料…"))
        self._reading = True
        evidence = self._ctx.video.evidence
        run_in_pool(
            self._reads,
            lambda: evidence.fetch(self._actor, evidence_id),
            self._evidenceRead,
            self._evidenceUnread,
            owner=self,
        )

    def _evidenceUnread(self, error: Exception) -> None:
        self._reading = False
        self.error.setText(self._readFailure(error))

    def _readFailure(self, error: Exception) -> str:
        if isinstance(error, DomainError):
            return error_text(error)
        return self.tr("读取取证材料失败，请稍后重试。")

    def _evidenceRead(self, item: EvidenceItem) -> None:
        self._reading = False
        self.error.setText("")
        self.fillFromEvidence(item)

    def chooseFiles(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("添加附件"), "", FILE_FILTER)
        self.addFiles([Path(n) for n in names])

    def chooseEvidence(self) -> None:
        """The operator's unattached evidence, read off the GUI thread, then the picker."""
        self.add_evidence.setEnabled(False)
        self.error.setText(self.tr("正在读取取证材料…"))
        evidence = self._ctx.video.evidence
        run_in_pool(
            self._reads,
            lambda: evidence.unattached(self._actor),
            self._openPicker,
            self._evidenceRefused,
            owner=self,
        )

    def _evidenceRefused(self, error: Exception) -> None:
        self.add_evidence.setEnabled(True)
        self.showError(self._readFailure(error))

    def _addChosen(self, picker: EvidencePicker) -> None:
        for item in picker.chosen():
            self.addEvidence(item)

    def _openPicker(self, items: list[EvidenceItem]) -> None:
        self.add_evidence.setEnabled(True)
        self.error.setText("")
        picker = EvidencePicker(items, self)
        picker.setObjectName("evidencePicker")
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.accepted.connect(lambda: self._addChosen(picker))
        picker.open()

    # --- saving -----------------------------------------------------------------------

    def draft(self) -> IncidentDraft:
        """The typed draft; ValidationError (in words) for what the form itself checks."""
        channel, category, subcategory, colour = require_choices(
            self.channel.currentData(),
            self.category.currentData(),
            self.subcategory.currentData(),
            self.colour.currentData(),
        )
        people = parse_people(self.people.text())
        reporter = parse_reporter(self.reporter.text(), self.phone.text())
        evidence = [str(p.evidence_id) for p in self.attachments.pending() if p.evidence_id]
        extra: dict[str, object] = {"evidence": evidence} if evidence else {}
        return IncidentDraft(
            channel=channel,
            category=category,
            subcategory=subcategory,
            colour=colour,
            grid_code=self.grid.gridCode(),
            place=self.place.text(),
            title=self.title_edit.text(),
            description=self.description.toPlainText(),
            reporter=reporter.name,
            reporter_phone=reporter.phone,
            people_involved=people,
            extra=extra,
        )

    def showError(self, message: str) -> None:
        """The message under the form, and the cursor in the field it is about."""
        self.error.setText(message)
        fields: tuple[tuple[str, QWidget], ...] = (
            ("标题", self.title_edit),
            ("描述", self.description),
            ("地点", self.place),
            ("网格", self.grid.grid),
            ("人数", self.people),
            ("电话", self.phone),
            ("上报人", self.reporter),
            ("类别", self.category),
        )
        for word, widget in fields:
            if word in message:
                widget.setFocus()
                break

    def save(self) -> None:
        """Check, look for duplicates once per draft, then store."""
        if self._reading:  # saved now, the case would lose the evidence being read
            self.error.setText(self.tr("正在读取取证材料，读完后再保存。"))
            return
        self.error.clear()
        try:
            draft = self.draft()
            duplicates = (
                []
                if draft == self._checked
                else self._ctx.incidents.find_duplicates(self._actor, draft)
            )
        except DomainError as error:
            self.showError(error_text(error))
            return
        if duplicates:
            self._checked = draft
            self._show_duplicates(duplicates)
            return
        self._store(draft)

    def _show_duplicates(self, found: list[DuplicateCandidate]) -> None:
        self.duplicates.clear()
        for candidate in found:
            item = QListWidgetItem(
                self.tr("{0}  {1}（{2}）\n相似度 {3:.0%}：{4}").format(
                    candidate.case_no,
                    candidate.title,
                    state_text(IncidentState(candidate.state)),
                    candidate.score,
                    candidate.reason,
                ),
                self.duplicates,
            )
            item.setData(Qt.ItemDataRole.UserRole, candidate.id)
        self.duplicates_label.setText(
            self.tr(
                "发现 {0} 件可能重复的在办事件。可合并到其中一件，或确认不是同一件事后仍然新建。"
            ).format(len(found))
        )
        self.duplicate_box.show()
        self.duplicates.setCurrentRow(0)
        self.duplicates.setFocus()
        self.error.setText(self.tr("请先处理可能重复的事件。"))

    def createAnyway(self) -> None:
        try:
            draft = self.draft()
        except DomainError as error:
            self.showError(error_text(error))
            return
        self._store(draft)

    def mergeIntoSelected(self) -> None:
        item = self.duplicates.currentItem()
        if item is None:
            self.error.setText(self.tr("请先在列表中选择要合并到的事件。"))
            return
        try:
            draft = self.draft()
        except DomainError as error:
            self.showError(error_text(error))
            return
        self._store(
            draft, merge_into=item.data(Qt.ItemDataRole.UserRole), merge_case=item.text().split()[0]
        )

    def _store(
        self, draft: IncidentDraft, merge_into: uuid.UUID | None = None, merge_case: str = ""
    ) -> None:
        """Report, attach, mark the evidence, then merge: a duplicate is stored too (as
        已合并 pointing at the open case) so the report and its files are never lost."""
        try:
            incident = self._ctx.incidents.report(self._actor, draft)
        except DomainError as error:
            self.showError(error_text(error))
            return
        self.created_id, self.created_case_no = incident.id, incident.case_no
        self.attach_errors = []
        for pending in self.attachments.pending():
            try:
                self._ctx.incidents.attach(self._actor, incident.id, pending.path)
                if pending.evidence_id is not None:
                    self._ctx.video.evidence.attach(self._actor, pending.evidence_id, incident.id)
            except DomainError as error:
                self.attach_errors.append(error_text(error))
        if merge_into is not None:
            try:
                self._ctx.incidents.merge(
                    self._actor,
                    incident.id,
                    merge_into,
                    self.tr("新上报与 {0} 为同一事件").format(merge_case),
                )
                self.merged_into = merge_case
            except DomainError as error:
                self.attach_errors.append(
                    self.tr("已新建 {0}，但未能合并：{1}").format(
                        incident.case_no, error_text(error)
                    )
                )
        self.incidentCreated.emit(incident.id)
        self.accept()

    def summary(self) -> str:
        """One line for the page after saving."""
        if self.merged_into:
            text = self.tr("已登记 {0} 并合并到 {1}").format(self.created_case_no, self.merged_into)
        else:
            text = self.tr("已新建事件 {0}").format(self.created_case_no)
        return "；".join([text, *self.attach_errors])


class EvidencePicker(QDialog):
    """The operator's snapshots and clips not yet attached to a case."""

    def __init__(self, items: list[EvidenceItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("选择视频证据"))
        self._items = items
        self.list = QListWidget(self)
        self.list.setObjectName("evidenceList")
        self.list.setIconSize(THUMB)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        for index, item in enumerate(items):
            kind = self.tr("截图") if item.kind is EvidenceKind.SNAPSHOT else self.tr("录像")
            row = QListWidgetItem(
                f"{to_local(item.taken_at):%m-%d %H:%M}  {kind}  "
                f"{item.camera_name}  {item.camera_place}",
                self.list,
            )
            row.setData(Qt.ItemDataRole.UserRole, index)
            picture = item.thumbnail if item.thumbnail.is_file() else item.path
            pixmap = thumbnail(picture)
            if not pixmap.isNull():
                row.setIcon(pixmap)
        empty = QLabel(self.tr("您没有未关联事件的截图或录像。"), self)
        empty.setVisible(not items)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.setCurrentRow(0)
        self.resize(560, 420)

    def chosen(self) -> list[EvidenceItem]:
        return [self._items[i.data(Qt.ItemDataRole.UserRole)] for i in self.list.selectedItems()]
