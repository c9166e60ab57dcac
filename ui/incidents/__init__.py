"""Incidents workspace (事件分流): queues, detail with history, keyboard triage."""
