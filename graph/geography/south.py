"""Definitions of the Global South. There is no single one: the user picks, results say which.

- ``g77``: member states of the Group of 77 (134 states; includes some high-income
  states such as Singapore, Qatar and Chile).
- ``dac``: countries eligible for Official Development Assistance on the OECD DAC
  list (2024 flows).
- ``wb-income``: World Bank low- and middle-income economies (LIC, LMC, UMC).

Countries a definition does not classify (e.g. Taiwan for DAC) are ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from partnernet.graph.geography.countries import SNAPSHOT, Country, countries

__all__ = ["DEFINITIONS", "SouthDefinition", "is_south", "south_of"]

DefinitionName = Literal["g77", "dac", "wb-income"]


@dataclass(frozen=True)
class SouthDefinition:
    name: DefinitionName
    title: str
    source: str

    def describe(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title, "source": self.source,
                "snapshot": SNAPSHOT}


DEFINITIONS: dict[str, SouthDefinition] = {
    "g77": SouthDefinition("g77", "Group of 77 member states",
                           "g77.org members page (134 member states)"),
    "dac": SouthDefinition("dac", "OECD DAC list of ODA recipients",
                           "OECD DAC ODA eligibility, 2024 flows"),
    "wb-income": SouthDefinition("wb-income", "World Bank low- and middle-income economies",
                                 "World Bank income classification (LIC, LMC, UMC)"),
}


def is_south(country: Country, definition: str = "g77") -> bool | None:
    """Whether ``country`` is in the Global South under ``definition``.

    >>> from graph.geography.countries import countries
    >>> c = countries()
    >>> [is_south(c["SG"], d) for d in ("g77", "dac", "wb-income")]
    [True, False, False]
    >>> is_south(c["BR"], "dac"), is_south(c["FR"], "g77")
    (True, False)
    """
    if definition == "g77":
        return country.g77
    if definition == "dac":
        return country.dac_eligible
    if definition == "wb-income":
        return None if country.wb_income is None else country.wb_income in {"LIC", "LMC", "UMC"}
    raise ValueError(f"unknown Global South definition {definition!r}; "
                     f"choose one of {', '.join(DEFINITIONS)}")


def south_of(iso2: str | None, definition: str = "g77") -> str:
    """``"South"``, ``"North"`` or ``"Unclassified"`` for an ISO alpha-2 code."""
    if not iso2 or iso2 not in countries():
        return "Unclassified"
    v = is_south(countries()[iso2], definition)
    return "Unclassified" if v is None else ("South" if v else "North")
