"""Every string lupdate extracted into the English catalogue has a translation, and the
placeholders of each translation match its source (a lost {0} would drop a count)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from resources.i18n import LANGUAGES, ts_path

PLACEHOLDER = re.compile(r"\{\d+\}")


def test_every_extracted_string_is_translated_with_its_placeholders() -> None:
    for language in LANGUAGES:
        problems = []
        for context in ET.parse(ts_path(language)).getroot().iter("context"):
            name = context.findtext("name")
            for message in context.iter("message"):
                source = message.findtext("source") or ""
                translation = message.find("translation")
                assert translation is not None
                if translation.get("type") in ("unfinished", "vanished", "obsolete"):
                    problems.append(f"{name}: {source!r} not translated")
                elif sorted(PLACEHOLDER.findall(source)) != sorted(
                        PLACEHOLDER.findall(translation.text or "")):
                    problems.append(f"{name}: {source!r} placeholders differ")
        assert problems == [], f"{ts_path(language).name}:\n" + "\n".join(problems)
