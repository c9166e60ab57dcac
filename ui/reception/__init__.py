"""Reception-hall workspace: register visitors, see today's and earlier visits."""
