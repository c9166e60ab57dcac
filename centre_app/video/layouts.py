"""Wall layouts: equal grids 1–36 and span layouts (one large tile plus small ones).

A layout is a list of cells (row, column, row span, column span) on a square grid; the
ui places tiles with QGridLayout from these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True)
class Layout:
    key: str
    label: str
    grid: int  # rows = columns
    cells: tuple[Cell, ...]

    @property
    def size(self) -> int:
        return len(self.cells)


def _grid(n: int) -> Layout:
    cells = tuple(Cell(r, c) for r in range(n) for c in range(n))
    return Layout(str(n * n), f"{n * n} 分屏", n, cells)


def _span(grid: int) -> Layout:
    """One tile of (grid-1)×(grid-1) top-left, small tiles along the right and bottom."""
    big = grid - 1
    cells = [Cell(0, 0, big, big)]
    cells += [Cell(r, big) for r in range(big)]
    cells += [Cell(big, c) for c in range(grid)]
    return Layout(f"1+{len(cells) - 1}", f"1+{len(cells) - 1} 分屏", grid, tuple(cells))


LAYOUTS: dict[str, Layout] = {
    lay.key: lay
    for lay in [_grid(1), _grid(2), _grid(3), _grid(4), _grid(5), _grid(6), _span(3), _span(4)]
}
DEFAULT_LAYOUT = "16"


def layout(key: str) -> Layout:
    """The layout called `key`; unknown keys (an old wall file) fall back to the default."""
    return LAYOUTS.get(key, LAYOUTS[DEFAULT_LAYOUT])


def layout_for_count(count: int) -> Layout:
    """The smallest equal grid holding `count` tiles (tours and imports use it)."""
    for n in range(1, 7):
        if n * n >= count:
            return LAYOUTS[str(n * n)]
    return LAYOUTS["36"]
