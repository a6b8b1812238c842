"""The reference graph authored from the seeds. Expected values are counted in the
seed documents (section names in each assertion)."""

from __future__ import annotations

from collections import Counter

import pytest

from partnernet.graph.schema import NodeLabel, RelType
from partnernet.loaders.reference_graph import reference_plan


@pytest.fixture(scope="module")
def ref():
    return reference_plan()


def test_every_record_names_its_source(ref):
    assert all(n.source for n in ref.nodes)
    assert all(r.props.get("source") for r in ref.relationships)


def test_nineteen_categories_each_with_the_sop_focal_units(ref):
    cats = {n.id: n for n in ref.nodes if n.label == NodeLabel.PARTNER_CATEGORY}
    assert len(cats) == 19
    assert sorted(n.props["number"] for n in cats.values()) == list(range(1, 20))
    owners: dict[str, set[str]] = {}
    for r in ref.relationships:
        if r.type == RelType.RESPONSIBLE_FOR and r.end in cats:
            owners.setdefault(r.end, set()).add(r.start)
    # SOP, "Who are UN-Habitat partners?" (the italic focal points)
    expected = {
        "category:01-member-states": {"unit:gbs"},
        "category:02-local-regional-governments": {"unit:plgu"},
        "category:03-un-agencies": {"unit:nyo"},
        "category:04-intergovernmental": {"unit:regional-liaison-offices"},
        "category:05-private-sector": {"unit:oed"},
        "category:06-civil-society": {"unit:plgu"},
        "category:07-academia": {"unit:cdtu"},
        "category:08-professional": {"unit:pfes"},
        "category:09-women": {"unit:gender-unit"},
        "category:10-children-youth": {"unit:youth-unit"},
        "category:11-workers-trade-unions": {"unit:plgu"},
        "category:12-foundations": {"unit:drsrpu"},
        "category:13-indigenous-people": {"unit:lhss"},
        "category:14-grassroots": {"unit:lhss"},
        "category:15-older-persons": {"unit:hrsi", "unit:lhss"},  # the one with two
        "category:16-disabilities": {"unit:hrsi"},
        "category:17-media": {"unit:cms"},
        "category:18-farmers": {"unit:plgu"},
        "category:19-parliamentarians": {"unit:plgu"},
    }
    assert owners == expected


def test_sop_channels_entry_points_rules_duties(ref):
    labels = Counter(n.label for n in ref.nodes)
    assert labels[NodeLabel.CHANNEL] == 9  # "How to identify new partners?" (i)-(ix)
    assert labels[NodeLabel.ENTRY_POINT] == 5  # "Stakeholder engagement..." (i)-(v)
    assert labels[NodeLabel.COMMUNICATION_RULE] == 4  # rows of the communication table
    duty = next(n for n in ref.nodes if n.id == "duty:new-partners-1-december")
    assert duty.props["due"] == "12-01"
    assessment = next(n for n in ref.nodes if n.id == "duty:end-of-agreement-assessment")
    assert assessment.props["max_pages"] == 2


def test_mcsr_committees_and_business_council(ref):
    committees = [n for n in ref.nodes if n.label == NodeLabel.COMMITTEE]
    status = Counter(n.props["status"] for n in committees)
    # section 5: 5 established, 9 preparatory; section 6 adds the Think Tank (preparatory)
    assert status == {"established": 5, "preparatory": 10}
    classes = {n.id: n.props["count"] for n in ref.nodes if n.label == NodeLabel.MEMBERSHIP_CLASS}
    assert classes == {"mclass:mcsr-bc:group": 25, "mclass:mcsr-bc:individual": 36,
                       "mclass:mcsr-bc:observer": 21}
    coord = [r for r in ref.relationships if r.type == RelType.COORDINATES]
    assert [(r.start, r.end) for r in coord] == [("partner:unossc",
                                                  "network:mcsr-cities-alliance")]


def test_metropolis_partners_named_in_measures_are_linked(ref):
    linked = {r.end for r in ref.relationships
              if r.start == "network:metropolis" and r.type == RelType.PARTNERS_WITH}
    assert {"network:uclg", "partner:global-taskforce",
            "partner:european-commission"} <= linked
    assert any(r.start == "city:cn:guangzhou" and r.end == "network:metropolis"
               for r in ref.relationships)


def test_maringa_is_a_leading_city_with_coordinates(ref):
    maringa = next(n for n in ref.nodes if n.id == "city:br:maringa")
    assert maringa.name == "Maringá" and maringa.props["country"] == "BR"
    assert -24 < maringa.props["lat"] < -23  # GeoNames: -23.4253
    member = next(r for r in ref.relationships
                  if r.start == "city:br:maringa" and r.type == RelType.MEMBER_OF)
    assert member.props["level"] == "Leading"


def test_reference_loads_into_both_stores_identically(store, ref):
    first = store.load(ref.nodes, ref.relationships)
    assert first.nodes_created == len({n.id for n in ref.nodes})
    again = store.load(ref.nodes, ref.relationships)
    assert again.changed == 0
