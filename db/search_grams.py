"""Character bigrams for the local incident search index (SQLite FTS5).

Chinese words are often two characters and FTS5's trigram tokenizer matches only 3+, so
the index holds the distinct bigrams of every run of letters/digits in an incident's text,
space-separated, for FTS5's unicode61 tokenizer. A search term of n >= 2 characters is the
AND of its bigrams; the caller checks the candidates with LIKE (bigrams ignore order).

The function is registered on every SQLite connection (db.engine) because the triggers that
keep the index current call it; the index is local, derived data and never replicated.
"""

from __future__ import annotations

import re
from typing import Any

FUNCTION = "incident_grams"
TABLE = "incident_search"  # FTS5, contentless, rowid = incident.rowid
# Names autogenerate must leave alone: the FTS5 table and the shadow tables SQLite keeps for it.
LOCAL_TABLES = frozenset(
    {TABLE, *(f"{TABLE}_{s}" for s in ("data", "idx", "docsize", "config", "content"))}
)
# unicode61 splits on everything that is not a letter or digit (and folds case); so do we.
_RUN = re.compile(r"[^\W_]+")


def _runs(text: str) -> list[str]:
    return _RUN.findall(text.lower())


def grams(*texts: str | None) -> str:
    """The distinct bigrams of `texts`, sorted and space-separated (one FTS5 document)."""
    found: set[str] = set()
    for text in texts:
        for run in _runs(text or ""):
            found.update(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(sorted(found))


def term_grams(term: str) -> list[str]:
    """The bigrams a search term needs; empty when it has no run of 2+ letters/digits (then
    the index cannot help and the caller scans)."""
    found: set[str] = set()
    for run in _runs(term):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return sorted(found)


def match_expression(term_bigrams: list[str]) -> str:
    """An FTS5 MATCH string: every bigram, quoted (bigrams are letters/digits only)."""
    return " AND ".join(f'"{g}"' for g in term_bigrams)


def register(dbapi_connection: Any) -> None:
    """Make `incident_grams(title, place, description, case_no)` callable in SQL."""
    dbapi_connection.create_function(FUNCTION, -1, grams, deterministic=True)


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Alembic autogenerate filter: the search index is not a model (it is SQLite-only)."""
    return not (type_ == "table" and name in LOCAL_TABLES)
