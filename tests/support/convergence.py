"""Compare a township database with the county's copy of it, row by row, so a failed
convergence says which rows differ instead of only that two hashes differ."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from centre_app.county.store import CountyStore
from centre_app.replication.digest import IGNORED, _canonical, local_documents


def differences(session: Session, store: CountyStore, township: str) -> list[str]:
    mine = {(t, r): d for t, r, d in local_documents(session)}
    theirs = store.township_documents(township)
    found = [f"missing at county: {k}" for k in sorted(set(mine) - set(theirs))]
    found += [f"only at county: {k}" for k in sorted(set(theirs) - set(mine))]
    for key in sorted(set(mine) & set(theirs)):
        delta: dict[str, Any] = {
            c: (v, theirs[key].get(c))
            for c, v in mine[key].items()
            if c not in IGNORED and theirs[key].get(c) != v
        }
        if delta:
            found.append(f"differs {key}: {delta}")
        elif _canonical(*key, mine[key]) != _canonical(*key, theirs[key]):
            columns = sorted(set(mine[key]) ^ set(theirs[key])) or [
                c for c in mine[key] if repr(mine[key][c]) != repr(theirs[key].get(c))
            ]
            found.append(
                f"encodes differently {key}: "
                + "; ".join(
                    f"{c}: {mine[key].get(c, '<absent>')!r} vs {theirs[key].get(c, '<absent>')!r}"
                    for c in columns
                    if c not in IGNORED
                )
            )
    return found
