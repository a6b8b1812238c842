"""Readers for the formats users already have."""
