"""Camera tree search and health at the seeds' scale: how long one keystroke's filter pass
takes over 3,800 and 11,581 cameras, beside the bare Python scan of the same strings, and
how long the health icons of every camera take to update. (A QSortFilterProxyModel with
recursive filtering, tried first, took 1.4–6.5 s per keystroke at 11,581 cameras: Python
runs for every row.)

    python -m bench.video_tree

Runs offscreen (no X needed); each figure is the median of 5 passes.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QTreeView

from centre_app.video.registry import CameraInfo, TreeNode
from ui.video_wall.camera_tree import CameraTreeModel
from ui.video_wall.page import EXPAND_ALL_UP_TO

VILLAGES, SITES = 30, 12
QUERIES = ("3", "31", "312", "3120", "片区07", "监控点99")


def tree(count: int) -> TreeNode:
    root = TreeNode("root")
    sites: dict[tuple[int, int], TreeNode] = {}
    for v in range(VILLAGES):
        village = TreeNode(f"第{v:02d}村")
        root.children.append(village)
        for s in range(SITES):
            sites[v, s] = TreeNode(f"片区{s:02d}")
            village.children.append(sites[v, s])
    for i in range(count):
        v, s = i % VILLAGES, (i // VILLAGES) % SITES
        cam = CameraInfo(
            uuid.uuid4(),
            f"3303271000132{i:07d}",
            f"第{v:02d}村监控点{i:05d}",
            f"第{v:02d}村",
            f"片区{s:02d}",
            f"http://10.0.{i // 250}.{i % 250}/m.ts",
            None,
            "",
            "",
            True,
        )
        sites[v, s].children.append(TreeNode(cam.name, camera=cam))
    return root


def ms(fn: object, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    for count in (3800, 11581):
        model = CameraTreeModel(tree(count))
        view = QTreeView()
        view.setUniformRowHeights(True)
        view.setModel(model)
        view.resize(300, 900)
        view.show()
        app.processEvents()
        texts = [f"{c.name} {c.place} {c.national_code}".lower() for c in model.cameras()]
        print(f"{count} cameras")
        for query in QUERIES:
            print(f"  search {query!r:12} " + measure(app, model, view, texts, query))
        cams = model.cameras()
        flips = [{c.id: s for c in cams} for s in ("online", "offline")]
        changed = ms(lambda m=model, f=flips: [m.set_health(x) for x in f]) / 2
        print(f"  health of every camera changes: {changed:.1f} ms")
        view.close()


def measure(
    app: QApplication, model: CameraTreeModel, view: QTreeView, texts: list[str], query: str
) -> str:
    """One keystroke pause as the page handles it, then clearing the box."""

    def search() -> None:
        if model.search(query) <= EXPAND_ALL_UP_TO:
            view.expandAll()
        else:
            view.expandToDepth(0)
        app.processEvents()

    def clear() -> None:
        model.search("")
        view.expandToDepth(0)
        app.processEvents()

    times = []
    for _ in range(5):
        started = time.perf_counter()
        search()
        middle = time.perf_counter()
        clear()
        times.append(((middle - started) * 1000, (time.perf_counter() - middle) * 1000))
    bare = ms(lambda: [t for t in texts if query in t])
    hits = sum(query in t for t in texts)
    return (
        f"{hits:6} hits: filter + expand {statistics.median(t[0] for t in times):6.1f} ms, "
        f"clear {statistics.median(t[1] for t in times):6.1f} ms "
        f"(bare scan of the same texts {bare:4.1f} ms)"
    )


if __name__ == "__main__":
    main()
