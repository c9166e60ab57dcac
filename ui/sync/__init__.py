"""The county link in the UI: the worker's controller and the sync panel."""
