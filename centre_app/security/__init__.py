"""Users, roles, permissions, audit trail and personal-data masking."""
