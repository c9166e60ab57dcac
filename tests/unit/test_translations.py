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
                    PLACEHOLDER.findall(translation.text or "")
                ):
                    problems.append(f"{name}: {source!r} placeholders differ")
        assert problems == [], f"{ts_path(language).name}:\n" + "\n".join(problems)


def _translated(language: str, context_name: str) -> dict[str, str]:
    for context in ET.parse(ts_path(language)).getroot().iter("context"):
        if context.findtext("name") == context_name:
            return {
                m.findtext("source") or "": m.findtext("translation") or ""
                for m in context.iter("message")
            }
    return {}


def test_labels_of_the_video_domain_are_marked_for_translation() -> None:
    """The wall shows labels that live in centre_app; ui/video_wall/labels.py marks them
    for lupdate. A new state or layout without a mark would show Chinese in English."""
    from centre_app.video.layouts import LAYOUTS
    from centre_app.video.stream_state import STATE_LABELS
    from ui.video_wall.labels import CONTEXT

    labels = {*STATE_LABELS.values(), *(lay.label for lay in LAYOUTS.values())}
    for language in LANGUAGES:
        entries = _translated(language, CONTEXT)
        assert {label for label in labels if not entries.get(label)} == set()


def test_labels_of_the_incident_domain_are_marked_for_translation() -> None:
    """States, queues and actions live in centre_app; ui/incidents/labels.py marks them."""
    from centre_app.incidents.queries import QUEUE_LABELS
    from centre_app.incidents.workflow import ACTIONS, STATE_LABELS
    from ui.incidents import labels

    wanted = {
        labels.STATE_CONTEXT: set(STATE_LABELS.values()),
        labels.QUEUE_CONTEXT: set(QUEUE_LABELS.values()),
        labels.ACTION_CONTEXT: {a.label for a in ACTIONS.values()},
        labels.HISTORY_CONTEXT: {a.label for a in ACTIONS.values()},
    }
    for language in LANGUAGES:
        for context, texts in wanted.items():
            entries = _translated(language, context)
            assert {t for t in texts if not entries.get(t)} == set(), context


def test_labels_of_the_mediation_case_are_marked_for_translation_in_their_own_contexts() -> None:
    """A case's state and the button that records it share a Chinese word (撤回) but not an
    English one (Withdrawn / Withdraw); ui/mediation/labels.py marks both."""
    from centre_app.mediation.workflow import REFUSALS, STATE_LABELS
    from ui.mediation import labels

    for language in LANGUAGES:
        states = _translated(language, labels.STATE_CONTEXT)
        buttons = _translated(language, labels.OUTCOME_CONTEXT)
        assert {t for t in STATE_LABELS.values() if not states.get(t)} == set()
        outcomes = {STATE_LABELS[s] for s in labels.OUTCOMES}
        assert {t for t in outcomes if not buttons.get(t)} == set()
        assert {t for t in outcomes if states[t] == buttons[t]} == set()
        refusals = _translated(language, "DomainMessages")
        assert len({refusals[t] for t in REFUSALS.values()}) == len(REFUSALS)
