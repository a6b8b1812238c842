"""partnernet: graph-based partnership network analyser.

Library use: ``net = partnernet.open("sqlite:///partnernet.db")``, then ``net.brokers()``,
``net.south_south()``, ``net.match("Maringá")``... (see :mod:`partnernet.network`).
"""

from typing import Any

from partnernet.version import __version__

__all__ = ["Network", "__version__", "open"]


def __getattr__(name: str) -> Any:
    # lazily: ``import partnernet.graph.schema`` must not import the whole library
    if name in ("open", "Network"):
        from partnernet import network

        return getattr(network, name)
    raise AttributeError(f"module 'partnernet' has no attribute {name!r}")
