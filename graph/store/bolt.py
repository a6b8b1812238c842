"""The official Neo4j driver, imported without the numerical stack.

The driver imports NumPy, pandas and PyArrow at its own import when they are installed
(``neo4j._optional_deps``: to send their arrays as parameters and for ``Result.to_df``),
about a second of a command that only asks Neo4j for its snapshot and then answers from
the results file. partnernet sends only plain Python values, so the driver is imported
with those modules hidden when they are not loaded yet; a module already loaded is left
as it is (the driver then knows it, as usual). Everything in partnernet that needs the
driver imports it from here.
"""

from __future__ import annotations

import sys

_HIDDEN = ("numpy", "pandas", "pyarrow")


def _import_driver():
    if "neo4j" not in sys.modules:
        hidden = [name for name in _HIDDEN if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # "import name" fails
        try:
            import neo4j  # noqa: F401
        finally:
            for name in hidden:
                if sys.modules.get(name, 0) is None:
                    del sys.modules[name]
    return sys.modules["neo4j"]


neo4j = _import_driver()

from neo4j.exceptions import (  # noqa: E402 - after the driver's import above
    AuthError,
    ConfigurationError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

__all__ = ["AuthError", "ConfigurationError", "ConstraintError", "DriverError",
           "Neo4jError", "ServiceUnavailable", "SessionExpired", "neo4j"]
