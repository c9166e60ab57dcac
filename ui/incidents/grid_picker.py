"""Village (社区/村) → grid, two combo boxes. The grid box is editable so a grid worker's
code can be typed; an unknown code goes to the service, which says it does not exist."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from centre_app.incidents.service import GridChoice


class GridPicker(QWidget):
    def __init__(self, choices: list[GridChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self.village = QComboBox(self)
        self.village.setObjectName("villageChoice")
        self.village.addItem(self.tr("（不指定村社）"), None)
        self.village.setMinimumContentsLength(8)
        for choice in choices:
            self.village.addItem(choice.village_name, choice.village_code)
        self.grid = QComboBox(self)
        self.grid.setObjectName("gridChoice")
        self.grid.setEditable(True)
        self.grid.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.grid.setMinimumContentsLength(14)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.village)
        layout.addWidget(self.grid, 1)
        self.setFocusProxy(self.village)
        self.village.currentIndexChanged.connect(self._fill_grids)
        self._fill_grids()

    def _fill_grids(self) -> None:
        self.grid.clear()
        self.grid.addItem(self.tr("（不指定网格）"), None)
        code = self.village.currentData()
        for choice in self._choices:
            if choice.village_code == code:
                for grid_code, name in choice.grids:
                    self.grid.addItem(f"{name}（{grid_code}）", grid_code)

    def gridCode(self) -> str | None:
        """The chosen grid's code; a typed text that matches no item is returned as typed
        (the service refuses it in words); None for no grid."""
        text = self.grid.currentText().strip()
        index = self.grid.findText(text)
        if index >= 0:
            code: str | None = self.grid.itemData(index)
            return code
        return text or None

    def setGridCode(self, code: str | None, *, only_grid: bool = False) -> bool:
        """Select the village and grid of `code` (a grid or a village code); False if unknown.
        With `only_grid`, a village with a single grid selects that grid (a camera placed
        at a village's site: there is only one grid it can be in)."""
        if not code:
            return False
        for choice in self._choices:
            if code == choice.village_code or any(g == code for g, _ in choice.grids):
                self.village.setCurrentIndex(self.village.findData(choice.village_code))
                if code == choice.village_code and only_grid and len(choice.grids) == 1:
                    code = choice.grids[0][0]
                index = self.grid.findData(code)
                self.grid.setCurrentIndex(max(index, 0))
                return True
        return False
