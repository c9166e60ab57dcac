"""The mediation unit fixtures (a centre on reference data) for the calendar's GUI tests."""

from tests.unit.mediation.conftest import centre, ctx, reference_db

__all__ = ["centre", "ctx", "reference_db"]
