"""Offline-first replication between a township centre and the county server.

Capture (`capture.install_change_capture`) writes an outbox row for every change of a
`Replicated` table in the writer's own transaction; `client.SyncClient` pushes the outbox
and pulls county changes; `apply.apply_changes` merges pulled changes by per-table policy
(`policies.register_table_policy` / `register_after_apply`).
"""

from centre_app.replication import registrations  # noqa: F401 - the workspaces' rules
from centre_app.replication.policies import (
    MergePolicy,
    register_after_apply,
    register_routing,
    register_table_policy,
)

__all__ = ["MergePolicy", "register_after_apply", "register_routing", "register_table_policy"]
