"""The cache key of an analysis: its name and its arguments, hashable and in a fixed order."""

from __future__ import annotations

from typing import Any

__all__ = ["RANKED_ROWS", "memo_key"]

#: Rows computed for a ranked answer (brokers, missing links); a ``top`` only slices them,
#: so every ``top`` of the CLI and the API shares one computation and one kept result.
RANKED_ROWS = 500


def memo_key(name: str, args: tuple, kwargs: dict[str, Any]) -> tuple:
    """The cache key of the analysis ``name`` called with ``args`` and ``kwargs`` (as
    given). ``today=None`` means the day of the call, so it is keyed by that day: a result
    kept yesterday is not served today.

    >>> memo_key("brokers", (), {"top": 5, "kinds": ["twinning"]})
    ('brokers', (), (('kinds', ('twinning',)), ('top', 5)))
    """
    if "today" in kwargs and kwargs["today"] is None:
        import datetime as dt

        kwargs = {**kwargs, "today": dt.date.today()}
    return (name, _hashable(args), tuple(sorted((k, _hashable(v)) for k, v in kwargs.items())))


def _hashable(v: Any) -> Any:
    if isinstance(v, list | tuple | set):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _hashable(x)) for k, x in v.items()))
    return v
