"""Work a desk does while its user types the password: the main window's modules and the
duty desk's first workspace are imported on a thread, so pressing Enter leaves only the
password check (which runs in C, off the interpreter lock) and building the window."""

from __future__ import annotations

import importlib
import logging
import threading

log = logging.getLogger(__name__)

# Imported, never instantiated, off the GUI thread: modules that only define classes.
MODULES = ("ui.main_window", "ui.incidents.page")


def preload_main_window() -> threading.Thread:
    def load() -> None:
        for name in MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # the GUI thread imports it again and reports it there
                log.exception("preloading %s failed", name)

    thread = threading.Thread(target=load, name="preload-main-window", daemon=True)
    thread.start()
    return thread
