"""The Qt application object: language, style sheets, fonts and the error hook, set up once."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from resources import STYLES_DIR, i18n

log = logging.getLogger(__name__)

APP_STYLE = "app.qss"  # loaded first; each workspace's own sheet follows


def load_style_sheet() -> str:
    """The application sheet followed by every workspace's sheet in resources/styles/."""
    sheets = sorted(STYLES_DIR.glob("*.qss"), key=lambda p: (p.name != APP_STYLE, p.name))
    return "\n".join(p.read_text(encoding="utf-8") for p in sheets)


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Chinese is the source language; any other language loads its compiled catalogue.

    Qt's own strings (buttons of standard dialogs) follow the same language.
    """
    translators: list[QTranslator] = []
    # By name: touching QLocale.Language builds a Python enum of ~350 members (~0.1 s).
    QLocale.setDefault(QLocale("zh_CN" if language == "zh_CN" else "en_US"))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", qt_dir):
        translators.append(qt_base)
    if language != "zh_CN":
        try:
            i18n.build(only_if_stale=True)
        except (OSError, RuntimeError) as exc:  # a read-only install keeps its shipped .qm
            log.warning("could not rebuild translations: %s", exc)
        own = QTranslator(app)
        if own.load(str(i18n.qm_path(language))):
            translators.append(own)
        else:
            log.warning("no translation catalogue for %s; showing Chinese", language)
    for translator in translators:
        app.installTranslator(translator)
    return translators


# Simplified Chinese first: left to fontconfig, a CJK fallback may be the Japanese cut of
# Noto, which draws some hanzi in Japanese forms (seen on printed tickets).
CHINESE_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei")


def chinese_font(pixel_size: int | None = None, *, bold: bool = False) -> QFont:
    """The font for text we draw ourselves (tickets, day sheets): Simplified Chinese."""
    font = QFont()
    font.setFamilies([*CHINESE_FAMILIES, font.family()])
    if pixel_size is not None:
        font.setPixelSize(max(1, pixel_size))
    font.setBold(bold)
    return font


def create_application(argv: Sequence[str], language: str = "zh_CN") -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setApplicationName("zongzhi-centre")
    app.setOrganizationName("zongzhi")
    app.setApplicationDisplayName("综治中心" if language == "zh_CN" else "Governance Centre")
    font = QFont(app.font())
    font.setFamilies([*CHINESE_FAMILIES, font.family()])
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    install_translations(app, language)
    app.setStyleSheet(load_style_sheet())
    return app


def show_preparing_notice(text: str) -> QWidget:
    """A small frameless note shown while the first start creates and fills the database
    (several seconds) so the user is not left looking at nothing."""
    notice = QLabel(text)
    notice.setObjectName("preparingNotice")
    notice.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
    notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
    notice.setMinimumSize(460, 140)
    notice.adjustSize()
    screen = QApplication.primaryScreen()
    if screen is not None:  # it opened in the screen's top-left corner, where the eye is not
        frame = notice.frameGeometry()
        frame.moveCenter(screen.availableGeometry().center())
        notice.move(frame.topLeft())
    notice.show()
    for _ in range(5):  # let the window system map and paint it before the blocking work
        QApplication.processEvents()
    return notice
