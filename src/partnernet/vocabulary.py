"""The closed sets of values that users type, in one place.

The settings, the CLI, the API models, the analyses and the views all take their
accepted values from here, and :func:`choose` refuses anything else with one line
naming what is accepted and the closest match. A leaf module: it imports nothing of
partnernet, so every layer may use it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "BLOCS",
    "COLOR_BY",
    "DEFINITIONS",
    "EXPORT_FORMATS",
    "GROUP_BY",
    "LOAD_FORMATS",
    "GROUP_LABELS",
    "OUTPUT_FORMATS",
    "PROJECTIONS",
    "REGIONS",
    "REPORT_FORMATS",
    "SIZE_BY",
    "UnknownValue",
    "VIEW_ENGINES",
    "choose",
]

#: Global South definitions (see :mod:`partnernet.graph.geography.south`).
DEFINITIONS = ("g77", "dac", "wb-income")
#: Regions for analysis: UN M49 regions, the Americas split as M49's sub-regions do.
REGIONS = ("Africa", "Asia", "Europe", "Latin America and the Caribbean", "Northern America",
           "Oceania", "Unknown")
#: Blocs a city or partner belongs to under a Global South definition.
BLOCS = ("South", "North", "UN", "Unclassified")
#: Node attributes that group nodes for brokerage roles.
GROUP_BY = ("region", "subregion", "bloc", "country", "label")
#: The graphs a structural analysis can run on (see
#: :mod:`partnernet.graph.analysis.projections`): partnerships between actors; actors tied
#: through the groups they share (Newman-weighted); the two-mode actor-group graph itself;
#: every tie of the store.
PROJECTIONS = ("partnerships", "co-membership", "two-mode", "all")
#: Node labels that are groups in the co-membership and two-mode projections.
GROUP_LABELS = ("Network", "Committee", "Initiative", "Agreement", "Event")
#: Input formats of ``partnernet load``.
LOAD_FORMATS = ("canonical", "gephi", "kumu", "graphml", "gexf", "edges", "pairs", "members",
                "metropolis-action-plan", "reference")
#: Output formats of ``partnernet export``.
EXPORT_FORMATS = ("graphml", "gexf", "gephi-csv", "json")
#: Output formats of ``partnernet report`` (the file extension).
REPORT_FORMATS = ("html", "md", "xlsx", "pdf")
#: How a command prints its result.
OUTPUT_FORMATS = ("table", "json", "csv")
#: View encodings.
COLOR_BY = ("region", "bloc", "label")
SIZE_BY = ("degree", "betweenness", "effective_size", "constraint", "none")
#: What draws a view: the explorer's page, or a physics layout assembled with pyvis.
VIEW_ENGINES = ("explorer", "pyvis")


class UnknownValue(ValueError):
    """A value outside its closed set; the message names the accepted values."""

    def __init__(self, what: str, value: object, accepted: Iterable[str]):
        self.what, self.value, self.accepted = what, value, tuple(accepted)
        close = difflib.get_close_matches(str(value).casefold(),
                                          [a.casefold() for a in self.accepted], n=1,
                                          cutoff=0.6)
        hint = ""
        if close:
            best = next(a for a in self.accepted if a.casefold() == close[0])
            hint = f" (did you mean {best!r}?)"
        super().__init__(f"unknown {what} {value!r}{hint}; accepted: "
                         f"{', '.join(self.accepted)}")


def choose(value: str, accepted: Iterable[str], what: str) -> str:
    """``value`` if it is one of ``accepted`` (case-insensitively, returned as spelled in
    ``accepted``), else :class:`UnknownValue` naming the accepted values.

    >>> choose("Africa", REGIONS, "region")
    'Africa'
    >>> choose("africa", REGIONS, "region")
    'Africa'
    >>> choose("Afrika", REGIONS, "region")
    Traceback (most recent call last):
    ...
    partnernet.vocabulary.UnknownValue: unknown region 'Afrika' (did you mean 'Africa'?); \
accepted: Africa, Asia, Europe, Latin America and the Caribbean, Northern America, Oceania, \
Unknown
    """
    accepted = tuple(accepted)
    for a in accepted:
        if str(value).casefold() == a.casefold():
            return a
    raise UnknownValue(what, value, accepted)
