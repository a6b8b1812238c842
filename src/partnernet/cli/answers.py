"""The service's analyses as the CLI calls them: a question already answered on this data
snapshot is read from the store's results file before anything else is imported.

The numerical libraries behind the analyses (NumPy, SciPy, NetworkX, igraph) take longer
to import than a kept answer takes to read, so :data:`analyses` imports
:mod:`partnernet.service.analyses` only when the answer is not kept (a second
``partnernet analyse brokers`` on an unchanged store: about half a second, most of it
Python's start).
"""

from __future__ import annotations

from typing import Any

from partnernet.service.cache import GraphCache, memo_key
from partnernet.service.results import MISSING

__all__ = ["analyses"]


class _Analyses:
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        def call(store: Any, *args: Any, cache: GraphCache | None = None, **kwargs: Any):
            cache = cache or GraphCache.for_store(store)
            kept = cache.recall(memo_key(name, args, kwargs))
            if kept is not MISSING:
                return kept
            from partnernet.service import analyses as real

            return getattr(real, name)(store, *args, cache=cache, **kwargs)

        call.__name__ = name
        return call


#: ``analyses.brokers(store, ...)`` and so on, with the signatures of
#: :mod:`partnernet.service.analyses`.
analyses = _Analyses()
