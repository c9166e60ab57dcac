"""The revision graph of versions/ ({file: (revision, down revisions)}), so a start
with a current schema reads no revision file. Written by
`python -m db.migrate --write-cache`; db.migrate ignores it when the files differ.
"""

REVISIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "0001_foundation.py": ("0001_foundation", ()),
    "county_0001_numbering.py": ("county_0001", ("replication_0002",)),
    "county_0002_idempotency.py": ("county_0002", ("county_0001",)),
    "desks_0001_desk_sessions.py": ("desks_0001", ("0001_foundation",)),
    "files_0001_centre_file_store.py": ("files_0001", ("0001_foundation",)),
    "incidents_0001_incidents.py": ("incidents_0001", ("0001_foundation",)),
    "incidents_0002_triage.py": ("incidents_0002", ("incidents_0001",)),
    "incidents_0003_queue_speed.py": ("incidents_0003", ("incidents_0002",)),
    "incidents_0004_reporter_phone.py": ("incidents_0004", ("incidents_0003",)),
    "mediation_0001_cases_sessions.py": ("mediation_0001", ("0001_foundation",)),
    "mediation_0002_buffer_before.py": ("mediation_0002", ("mediation_0001",)),
    "reception_0001_reception_visits.py": ("reception_0001", ("0001_foundation",)),
    "reception_0002_hall_queue_petitions.py": ("reception_0002", ("reception_0001",)),
    "reception_0003_visit_name_grams.py": ("reception_0003", ("reception_0002",)),
    "reception_0004_visit_mediation_case.py": ("reception_0004", ("reception_0003",)),
    "reception_0005_petition_approval_repeat.py": ("reception_0005", ("reception_0004",)),
    "replication_0001_outbox.py": ("replication_0001", ("0001_foundation",)),
    "replication_0002_blobs.py": ("replication_0002", ("replication_0001",)),
    "replication_0003_outbox_collection.py": ("replication_0003", ("replication_0002",)),
    "replication_0004_counters.py": ("replication_0004", ("replication_0003",)),
    "video_0001_video_wall.py": ("video_0001", ("0001_foundation",)),
    "video_0002_tour_steps.py": ("video_0002", ("video_0001",)),
    "video_0003_evidence_stream.py": ("video_0003", ("video_0002",)),
}
