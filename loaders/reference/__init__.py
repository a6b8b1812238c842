"""Authored reference data: the facts of the seed documents, countries."""
