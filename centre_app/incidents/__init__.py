"""The incident closed loop (闭环): report → triage → dispatch → handle → verify → close,
with escalation to the county."""
