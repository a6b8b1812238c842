"""Node labels, relationship types and which labels each type may join."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ENDPOINTS", "UNDIRECTED", "NodeLabel", "RelType"]


class NodeLabel(StrEnum):
    """Every node label. A node has exactly one of these (plus ``Entity`` in Neo4j)."""

    CITY = "City"
    COUNTRY = "Country"
    NETWORK = "Network"  # city networks and programmes (Metropolis, UCLG, MCSR, UNGC CP)
    PARTNER = "Partner"  # organisations and individuals, UN-Habitat itself included
    PARTNER_CATEGORY = "PartnerCategory"  # the 19 categories of the UN-Habitat SOP
    FOCAL_UNIT = "FocalUnit"  # UN-Habitat branches, units, sections, offices
    COMMITTEE = "Committee"  # specialised committees, the Business Council
    INITIATIVE = "Initiative"  # projects and workplan activities
    AGREEMENT = "Agreement"  # MoU, agreement of cooperation
    EVENT = "Event"  # Cities Forum, World Urban Forum
    DELIVERABLE = "Deliverable"  # action-plan outcomes with a status
    ACTION_LINE = "ActionLine"  # Metropolis action lines
    MEASURE = "Measure"  # Metropolis measures under an action line
    THEME = "Theme"
    SDG = "SDG"
    CHANNEL = "Channel"  # SOP: channels through which partners are identified
    ENTRY_POINT = "EntryPoint"  # SOP: entry points to intergovernmental processes
    DUTY = "Duty"  # SOP: reporting duties (1 December update, end-of-agreement assessment)
    COMMUNICATION_RULE = "CommunicationRule"  # SOP: a row of the communication table
    MEMBERSHIP_CLASS = "MembershipClass"  # Business Council group/individual/observer
    REQUIREMENT = "Requirement"  # what a programme level requires (UNGC Leading level)
    PILLAR = "Pillar"  # MCSR Cities Alliance pillars
    #: states, provinces, regions, cantons: first-level subnational governments, members of
    #: city and climate networks alongside cities (a fifth of climate-initiative members)
    SUBNATIONAL = "Subnational"


class RelType(StrEnum):
    """Every relationship type, with its direction convention in the comment."""

    LOCATED_IN = "LOCATED_IN"  # City|Partner|Event -> City|Country
    MEMBER_OF = "MEMBER_OF"  # City|Subnational|Partner|Country -> Network|Committee|Initiative...
    PARTNERS_WITH = "PARTNERS_WITH"  # City|Partner <-> City|Partner (stored one way)
    SITS_ON = "SITS_ON"  # City|Partner -> Committee (role)
    PART_OF = "PART_OF"  # Committee->Network, Measure->ActionLine, FocalUnit->FocalUnit...
    IN_CATEGORY = "IN_CATEGORY"  # Partner -> PartnerCategory
    RESPONSIBLE_FOR = "RESPONSIBLE_FOR"  # FocalUnit -> PartnerCategory|Duty|EntryPoint|...
    WORKS_ON = "WORKS_ON"  # any actor -> Theme|SDG
    INVOLVES = "INVOLVES"  # Initiative|Event|Agreement -> City|Country|Partner
    PARTY_TO = "PARTY_TO"  # City|Partner|Network -> Agreement
    DELIVERS = "DELIVERS"  # Measure|Network|Committee -> Deliverable|Initiative
    COORDINATES = "COORDINATES"  # Partner -> Network|Committee|Initiative
    SUPPORTS = "SUPPORTS"  # Partner -> Partner|Network|Initiative
    OVERSEES = "OVERSEES"  # Partner -> Partner (UNOSSC oversees the Secretariat)
    ORGANISES = "ORGANISES"  # Committee|Network -> Initiative|Event
    HOSTS = "HOSTS"  # City -> Event|Partner
    REQUIRES = "REQUIRES"  # Network -> Requirement (per level)
    DRAFTS = "DRAFTS"  # FocalUnit -> CommunicationRule
    DISPATCHES = "DISPATCHES"  # FocalUnit -> CommunicationRule
    COPIED_ON = "COPIED_ON"  # FocalUnit -> CommunicationRule
    APPLIES_TO = "APPLIES_TO"  # CommunicationRule -> PartnerCategory
    CONTRIBUTES_TO = "CONTRIBUTES_TO"  # Deliverable|Initiative|Measure -> SDG|Theme


#: Symmetric ties: stored one way, exported as undirected edges (GraphML, GEXF, Gephi).
UNDIRECTED = frozenset({RelType.PARTNERS_WITH})

_ACTORS = frozenset({NodeLabel.CITY, NodeLabel.PARTNER, NodeLabel.NETWORK, NodeLabel.COMMITTEE,
                     NodeLabel.COUNTRY, NodeLabel.FOCAL_UNIT, NodeLabel.SUBNATIONAL})
_LOCAL = frozenset({NodeLabel.CITY, NodeLabel.SUBNATIONAL})  # local and regional governments
_ALL = frozenset(NodeLabel)

#: Allowed (source labels, target labels) per relationship type. Loaders reject
#: any relationship whose endpoints are not in these sets.
ENDPOINTS: dict[RelType, tuple[frozenset[NodeLabel], frozenset[NodeLabel]]] = {
    RelType.LOCATED_IN: (frozenset({NodeLabel.CITY, NodeLabel.PARTNER, NodeLabel.EVENT,
                                    NodeLabel.FOCAL_UNIT, NodeLabel.INITIATIVE,
                                    NodeLabel.NETWORK, NodeLabel.SUBNATIONAL}),
                         frozenset({NodeLabel.CITY, NodeLabel.COUNTRY, NodeLabel.SUBNATIONAL})),
    RelType.MEMBER_OF: (_LOCAL | {NodeLabel.PARTNER, NodeLabel.COUNTRY, NodeLabel.NETWORK},
                        frozenset({NodeLabel.NETWORK, NodeLabel.COMMITTEE,
                                   NodeLabel.MEMBERSHIP_CLASS, NodeLabel.INITIATIVE})),
    RelType.PARTNERS_WITH: (_LOCAL | {NodeLabel.PARTNER, NodeLabel.NETWORK},
                            _LOCAL | {NodeLabel.PARTNER, NodeLabel.NETWORK}),
    RelType.SITS_ON: (_LOCAL | {NodeLabel.PARTNER, NodeLabel.COUNTRY},
                      frozenset({NodeLabel.COMMITTEE})),
    RelType.PART_OF: (_ALL, _ALL),
    RelType.IN_CATEGORY: (_LOCAL | {NodeLabel.PARTNER, NodeLabel.NETWORK, NodeLabel.COUNTRY},
                          frozenset({NodeLabel.PARTNER_CATEGORY})),
    RelType.RESPONSIBLE_FOR: (frozenset({NodeLabel.FOCAL_UNIT, NodeLabel.PARTNER}),
                              frozenset({NodeLabel.PARTNER_CATEGORY, NodeLabel.DUTY,
                                         NodeLabel.ENTRY_POINT, NodeLabel.COMMUNICATION_RULE,
                                         NodeLabel.CHANNEL, NodeLabel.PARTNER,
                                         NodeLabel.AGREEMENT})),
    RelType.WORKS_ON: (_ACTORS | {NodeLabel.INITIATIVE, NodeLabel.EVENT},
                       frozenset({NodeLabel.THEME, NodeLabel.SDG})),
    RelType.INVOLVES: (frozenset({NodeLabel.INITIATIVE, NodeLabel.EVENT, NodeLabel.AGREEMENT}),
                       _ACTORS),
    RelType.PARTY_TO: (_ACTORS, frozenset({NodeLabel.AGREEMENT})),
    RelType.DELIVERS: (_LOCAL | {NodeLabel.MEASURE, NodeLabel.NETWORK, NodeLabel.COMMITTEE,
                                 NodeLabel.PARTNER},
                       frozenset({NodeLabel.DELIVERABLE, NodeLabel.INITIATIVE})),
    RelType.COORDINATES: (_LOCAL | {NodeLabel.PARTNER, NodeLabel.FOCAL_UNIT},
                          frozenset({NodeLabel.NETWORK, NodeLabel.COMMITTEE,
                                     NodeLabel.INITIATIVE, NodeLabel.EVENT})),
    RelType.SUPPORTS: (_ACTORS, _ACTORS | {NodeLabel.INITIATIVE, NodeLabel.EVENT}),
    RelType.OVERSEES: (_ACTORS, _ACTORS),
    RelType.ORGANISES: (_ACTORS, frozenset({NodeLabel.INITIATIVE, NodeLabel.EVENT})),
    RelType.HOSTS: (_LOCAL | {NodeLabel.COUNTRY},
                    frozenset({NodeLabel.EVENT, NodeLabel.PARTNER, NodeLabel.INITIATIVE})),
    RelType.REQUIRES: (frozenset({NodeLabel.NETWORK, NodeLabel.PARTNER_CATEGORY,
                                  NodeLabel.COMMITTEE}),
                       frozenset({NodeLabel.REQUIREMENT, NodeLabel.DUTY})),
    RelType.DRAFTS: (frozenset({NodeLabel.FOCAL_UNIT}), frozenset({NodeLabel.COMMUNICATION_RULE})),
    RelType.DISPATCHES: (frozenset({NodeLabel.FOCAL_UNIT}),
                         frozenset({NodeLabel.COMMUNICATION_RULE})),
    RelType.COPIED_ON: (frozenset({NodeLabel.FOCAL_UNIT}),
                        frozenset({NodeLabel.COMMUNICATION_RULE})),
    RelType.APPLIES_TO: (frozenset({NodeLabel.COMMUNICATION_RULE, NodeLabel.DUTY}),
                         frozenset({NodeLabel.PARTNER_CATEGORY, NodeLabel.AGREEMENT,
                                    NodeLabel.EVENT})),
    RelType.CONTRIBUTES_TO: (frozenset({NodeLabel.DELIVERABLE, NodeLabel.INITIATIVE,
                                        NodeLabel.MEASURE, NodeLabel.ACTION_LINE,
                                        NodeLabel.AGREEMENT}),
                             frozenset({NodeLabel.SDG, NodeLabel.THEME})),
}
