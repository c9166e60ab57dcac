"""Domain errors in the interface's language: the error's template is the key of its
translation (context "DomainMessages", collected by `python -m resources.i18n update`)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from centre_app.errors import DomainError

log = logging.getLogger(__name__)

CONTEXT = "DomainMessages"


def translate_template(template: str) -> str:
    return QCoreApplication.translate(CONTEXT, template)


def error_text(error: DomainError) -> str:
    """The sentence to show for `error`; arguments that are themselves marked templates
    (labels) are translated too. A translation that lost a placeholder falls back to the
    source sentence rather than showing a broken one."""
    params = {
        k: translate_template(v) if isinstance(v, str) else v for k, v in error.params.items()
    }
    try:
        return translate_template(error.template).format(**params)
    except (KeyError, IndexError, ValueError):
        log.warning("translation of %r does not fit its arguments", error.template)
        return error.message
