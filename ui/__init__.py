"""Qt layer: widgets, item models and delegates, one package per workspace."""
