"""CLI commands."""

COMMANDS: list = []
