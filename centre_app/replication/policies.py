"""Per-table merge policy, routing rule and after-apply hooks, registered by table name.

Replication never imports the workspaces; a workspace (e.g. incidents) registers here:
`register_table_policy("incident_event", MergePolicy.UNION)` and
`register_after_apply("incident_event", hook)`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from centre_app.files.store import FileStore

BROADCAST = "*"


class MergePolicy(enum.StrEnum):
    LWW = "lww"  # last writer wins by (hlc, origin); deletes leave tombstones
    UNION = "union"  # insert-only rows: keep every row once, never overwrite


AfterApplyHook = Callable[[Session, Sequence[str]], None]
# A routing rule gets the row data and the pushing node and returns the township it belongs to.
RoutingRule = Callable[[dict[str, Any] | None, str], str]

# A blob locator gets a row's data and the centre's file store and returns a local, checked
# copy of the file the row names by its "sha256" column (sent to the county before the
# row), or None when no desk has it.
BlobLocator = Callable[[dict[str, Any], "FileStore"], Path | None]

_policies: dict[str, MergePolicy] = {"audit_entry": MergePolicy.UNION}
_hooks: dict[str, list[AfterApplyHook]] = {}
_routing: dict[str, RoutingRule] = {}
_blobs: dict[str, BlobLocator] = {}


def register_blob(table_name: str, locator: BlobLocator) -> None:
    _blobs[table_name] = locator


def blob_locator(table_name: str) -> BlobLocator | None:
    return _blobs.get(table_name)


def register_table_policy(table_name: str, policy: MergePolicy) -> None:
    _policies[table_name] = policy


def policy_for(table_name: str) -> MergePolicy:
    return _policies.get(table_name, MergePolicy.LWW)


def register_after_apply(table_name: str, hook: AfterApplyHook) -> None:
    """`hook(session, row_ids)` runs in the applying transaction after rows of the table land."""
    _hooks.setdefault(table_name, []).append(hook)


def after_apply_hooks(table_name: str) -> list[AfterApplyHook]:
    return list(_hooks.get(table_name, ()))


def register_routing(table_name: str, rule: RoutingRule) -> None:
    _routing[table_name] = rule


def route(table_name: str, data: dict[str, Any] | None, node: str) -> str:
    """The township a change is addressed to (BROADCAST for county rows without an owner).

    Default: a `township_code` in the row data, else the pushing township itself; county
    rows with no owner go to every township.
    """
    rule = _routing.get(table_name)
    if rule is not None:
        return rule(data, node)
    code = (data or {}).get("township_code")
    if isinstance(code, str) and code:
        return code
    return BROADCAST if node == "county" else node
