"""One set of colours and shapes for every view, the explorer and the reports.

Regions, blocs and node kinds keep the same colour everywhere (Latin America and the
Caribbean is the same green in the explorer, the map, a static view, the report's
picture and its charts). Colours follow Okabe & Ito's colour-blind-safe palette where it
has enough hues. The JavaScript of the explorer receives :func:`for_js`, so Python and the
browser cannot drift apart.

>>> region_color("Latin America and the Caribbean") == REGION_COLORS[
...     "Latin America and the Caribbean"]
True
>>> region_color("Atlantis")  # anything unknown is grey
'#9e9e9e'
>>> KINDS["City"]["shape"], KINDS["Network"]["shape"]
('dot', 'hexagon')
"""

from __future__ import annotations

from typing import Any

__all__ = ["BLOC_COLORS", "KINDS", "MISSING_LINK", "REGION_COLORS", "STATUS_COLORS",
           "UNKNOWN", "bloc_color", "for_js", "kind_of", "region_color"]

UNKNOWN = "#9e9e9e"

#: UN M49 regions (the Americas split as M49's sub-regions do), as in
#: :data:`partnernet.vocabulary.REGIONS`.
REGION_COLORS = {
    "Africa": "#E69F00",
    "Asia": "#CC79A7",
    "Europe": "#0072B2",
    "Latin America and the Caribbean": "#009E73",
    "Northern America": "#56B4E9",
    "Oceania": "#8C6D31",
    "Unknown": UNKNOWN,
}

#: Blocs under a Global South definition (see :data:`partnernet.vocabulary.BLOCS`).
BLOC_COLORS = {"South": "#D55E00", "North": "#0072B2", "UN": "#5B92E5",
               "Unclassified": UNKNOWN}

#: Deliverable status.
STATUS_COLORS = {"attained": "#009E73", "in_progress": "#E69F00", "not_developed": "#D55E00"}

#: Missing South-South links: drawn dashed in this colour, everywhere.
MISSING_LINK = "#D55E00"

#: Every node label: its shape (vis-network names; the SVG export draws the same) and colour.
KINDS: dict[str, dict[str, str]] = {
    "City": {"shape": "dot", "color": "#4D4D4D", "plural": "cities"},
    "Subnational": {"shape": "diamond", "color": "#4D9221", "plural": "subnational governments"},
    "Partner": {"shape": "square", "color": "#7B3294", "plural": "partners"},
    "Network": {"shape": "hexagon", "color": "#1B7837", "plural": "networks"},
    "Committee": {"shape": "triangle", "color": "#B35806", "plural": "committees"},
    "FocalUnit": {"shape": "diamond", "color": "#2166AC", "plural": "focal units"},
    "Initiative": {"shape": "star", "color": "#C51B7D", "plural": "initiatives"},
    "Agreement": {"shape": "triangleDown", "color": "#8C510A", "plural": "agreements"},
    "Country": {"shape": "square", "color": "#878787", "plural": "countries"},
    "PartnerCategory": {"shape": "diamond", "color": "#9970AB", "plural": "partner categories"},
    "Event": {"shape": "star", "color": "#E08214", "plural": "events"},
    "Deliverable": {"shape": "triangleDown", "color": "#35978F", "plural": "deliverables"},
    "ActionLine": {"shape": "hexagon", "color": "#01665E", "plural": "action lines"},
    "Measure": {"shape": "triangle", "color": "#80CDC1", "plural": "measures"},
    "Theme": {"shape": "dot", "color": "#A6761D", "plural": "themes"},
    "SDG": {"shape": "dot", "color": "#19486A", "plural": "SDGs"},
    "Channel": {"shape": "triangle", "color": "#666666", "plural": "channels"},
    "EntryPoint": {"shape": "triangleDown", "color": "#666666", "plural": "entry points"},
    "Duty": {"shape": "diamond", "color": "#B2182B", "plural": "duties"},
    "CommunicationRule": {"shape": "square", "color": "#4393C3", "plural": "communication rules"},
    "MembershipClass": {"shape": "triangle", "color": "#D6604D", "plural": "membership classes"},
    "Requirement": {"shape": "triangleDown", "color": "#B2182B", "plural": "requirements"},
    "Pillar": {"shape": "hexagon", "color": "#5AAE61", "plural": "pillars"},
    "Group": {"shape": "hexagon", "color": "#555555", "plural": "groups"},
}


def region_color(region: str | None) -> str:
    """The colour of a region (grey when unknown)."""
    return REGION_COLORS.get(region or "Unknown", UNKNOWN)


def bloc_color(bloc: str | None) -> str:
    """The colour of a bloc (grey when unclassified)."""
    return BLOC_COLORS.get(bloc or "Unclassified", UNKNOWN)


def kind_of(label: str | None) -> dict[str, str]:
    """Shape and colour of a node label (a neutral dot for one not listed)."""
    return KINDS.get(label or "", {"shape": "dot", "color": UNKNOWN, "plural": str(label)})


def for_js() -> dict[str, Any]:
    """The palette as the explorer's JavaScript receives it."""
    return {"regions": REGION_COLORS, "blocs": BLOC_COLORS, "kinds": KINDS,
            "status": STATUS_COLORS, "missing": MISSING_LINK, "unknown": UNKNOWN}
