"""Triage helpers: duplicate detection (same grid/place and similar subject within a
window) and the group-event warning (群体性事件预警). Plain functions over a session; the
service calls them and records what they decide."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from centre_app.incidents.workflow import OPEN_STATES
from db.models.incidents import Incident

DUPLICATE_WINDOW = dt.timedelta(hours=72)
DUPLICATE_MIN_SCORE = 0.5
GROUP_WINDOW = dt.timedelta(hours=72)
GROUP_REPORTS = 3  # this many reports about one place within the window → group warning
GROUP_PEOPLE = 10  # this many people involved in one report → group warning


@dataclass(frozen=True)
class Subject:
    """What duplicate detection compares: a draft or a stored incident."""

    id: uuid.UUID | None
    grid_id: uuid.UUID | None
    place: str
    category: str
    subcategory: str
    text: str
    at: dt.datetime


@dataclass(frozen=True)
class DuplicateCandidate:
    id: uuid.UUID
    case_no: str
    title: str
    place: str
    state: str
    reported_at: dt.datetime
    score: float  # 0..1
    reason: str  # in words, for the duty officer


_PUNCT = re.compile(r"[\s，。、；：！？,.;:!?（）()“”\"'《》\-—]+")


def bigrams(text: str) -> set[str]:
    """Character bigrams of Chinese text (spaces and punctuation dropped)."""
    clean = _PUNCT.sub("", text.lower())
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def similarity(a: str, b: str) -> float:
    """Overlap of character bigrams (Jaccard); 0 for empty text."""
    x, y = bigrams(a), bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def normalise_place(place: str) -> str:
    return _PUNCT.sub("", place)


def find_duplicates(
    session: Session, township: str, subject: Subject, window: dt.timedelta = DUPLICATE_WINDOW
) -> list[DuplicateCandidate]:
    """Open cases in the same grid or at the same place, reported within `window` of the
    subject, scored by category and wording; best first."""
    place = normalise_place(subject.place)
    near = [Incident.place == subject.place.strip()]
    if subject.grid_id is not None:
        near.append(Incident.grid_id == subject.grid_id)
    query = select(Incident).where(
        Incident.township_code == township,
        Incident.state.in_(OPEN_STATES),
        Incident.reported_at >= subject.at - window,
        Incident.reported_at <= subject.at + window,
        or_(*near),
    )
    if subject.id is not None:
        query = query.where(Incident.id != subject.id)
    found: list[DuplicateCandidate] = []
    for other in session.scalars(query.limit(500)):
        same_place = normalise_place(other.place) == place
        same_grid = subject.grid_id is not None and other.grid_id == subject.grid_id
        same_sub = (other.category, other.subcategory) == (subject.category, subject.subcategory)
        same_cat = other.category == subject.category
        text = similarity(subject.text, f"{other.title}{other.description}")
        score = (
            (0.35 if same_place else 0.15 if same_grid else 0.0)
            + (0.3 if same_sub else 0.15 if same_cat else 0.0)
            + 0.35 * min(1.0, text * 2)
        )
        if score < DUPLICATE_MIN_SCORE or not (same_cat or text >= 0.3):
            continue
        hours = abs(other.reported_at - subject.at).total_seconds() / 3600
        reasons = ["同一地点" if same_place else "同一网格"]
        reasons.append(
            f"同类（{other.category}/{other.subcategory}）"
            if same_sub
            else f"同一大类（{other.category}）"
            if same_cat
            else "类别不同"
        )
        reasons.append(f"内容相似 {text:.0%}")
        reasons.append(f"相隔 {hours:.0f} 小时")
        found.append(
            DuplicateCandidate(
                other.id,
                other.case_no,
                other.title,
                other.place,
                other.state.value,
                other.reported_at,
                round(min(score, 1.0), 2),
                "；".join(reasons),
            )
        )
    found.sort(key=lambda c: (-c.score, c.reported_at))
    return found


def group_warning_reason(
    session: Session, township: str, incident: Incident, window: dt.timedelta = GROUP_WINDOW
) -> str | None:
    """Why `incident` looks like a group event, or None: many people in one report, or
    several reports about one place (e.g. one employer) within the window."""
    if incident.people_involved >= GROUP_PEOPLE:
        return f"涉及 {incident.people_involved} 人（≥{GROUP_PEOPLE} 人），可能引发群体性事件"
    reports = (
        session.scalar(
            select(func.count())
            .select_from(Incident)
            .where(
                Incident.township_code == township,
                Incident.place == incident.place,
                Incident.category == incident.category,
                Incident.state.in_(OPEN_STATES),
                Incident.reported_at >= incident.reported_at - window,
                Incident.reported_at <= incident.reported_at,
            )
        )
        or 0
    )
    if reports >= GROUP_REPORTS:
        return (
            f"{window.total_seconds() / 3600:.0f} 小时内关于“{incident.place}”的"
            f"{incident.category}已有 {reports} 起上报，可能引发群体性事件"
        )
    return None
