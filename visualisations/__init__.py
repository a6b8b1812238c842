"""Interactive graph views (pyvis + vis-network, offline) and exported network reports."""
