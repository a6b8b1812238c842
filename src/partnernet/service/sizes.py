"""About how many bytes a cached result holds (for the cache's byte bound)."""

from __future__ import annotations

from typing import Any

__all__ = ["approx_size"]


def approx_size(value: Any, _depth: int = 0) -> int:
    """About how many bytes ``value`` holds: strings by length, graphs by nodes and edges
    (about 300 bytes each with attributes), containers by their items (the first 200 of
    a large one, scaled). An estimate for the cache's byte bound, not an accounting.

    >>> approx_size("x" * 1000) > 1000
    True
    """
    if isinstance(value, str | bytes | bytearray):
        return 50 + len(value)
    if callable(getattr(value, "number_of_edges", None)):  # a NetworkX graph
        return 300 * (value.number_of_nodes() + value.number_of_edges())
    if value is None or isinstance(value, bool | int | float):
        return 32
    if _depth > 8:
        return 64
    if isinstance(value, dict):
        items = list(value.items()) if len(value) <= 200 else \
            [(k, value[k]) for k in list(value)[:200]]
        part = sum(approx_size(k, _depth + 1) + approx_size(v, _depth + 1) for k, v in items)
        return 64 + (part * len(value) // max(1, len(items)))
    if isinstance(value, list | tuple | set | frozenset):
        seq = list(value)
        items = seq if len(seq) <= 200 else seq[:200]
        part = sum(approx_size(v, _depth + 1) for v in items)
        return 56 + (part * len(seq) // max(1, len(items)))
    return 256
