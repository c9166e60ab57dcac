"""Persistence layer: SQLAlchemy 2.0 typed models, engine/session factory, migrations.

`db` imports neither `centre_app` nor `ui`.
"""
