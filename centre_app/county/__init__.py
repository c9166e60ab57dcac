"""The county centre's replication server: `python -m centre_app.county --help`."""
