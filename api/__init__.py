"""The partnernet HTTP API (FastAPI)."""
