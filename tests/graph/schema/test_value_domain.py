"""One value domain for every path (issue 14, point 4): what a record may hold is what every
store, export and report can carry. Expected outcomes by hand, from the rules in
graph/schema/properties.py; the characters are those the issue reports (U+0001 in a
partner's name, right-to-left overrides, an integer beyond 64 bits, a 20 MB property)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType

MAX_TEXT = 100_000  # graph/schema/properties.py: MAX_TEXT


def node(name="A", **props):
    return Node(id="partner:a", label=NodeLabel.PARTNER, name=name, source="test", props=props)


def refused(match, **kw):
    with pytest.raises(ValidationError) as err:
        node(**kw)
    assert match in str(err.value), str(err.value)


@pytest.mark.parametrize("ch", ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f"])
def test_control_characters_are_refused_in_names_and_text(ch):
    refused(f"U+{ord(ch):04X}", name=f"Evil{ch}Partner")
    refused(f"U+{ord(ch):04X}", note=f"a{ch}b")


def test_tab_and_newline_are_text_but_not_names():
    assert node(note="line one\n\tline two").props["note"] == "line one\n\tline two"
    refused("U+000A", name="two\nlines")
    refused("U+0009", name="a\tb")


def test_line_ends_and_outer_spaces_are_normalised():
    # \r\n and \r become \n (as XML reads them), outer spaces go (as CSV cells lose them)
    assert node(note="  a\r\nb\rc  ").props["note"] == "a\nb\nc"
    assert node(name="  Lyon ").name == "Lyon"
    assert "blank" not in node(blank="   ").props


@pytest.mark.parametrize("ch", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
                                "\u2067", "\u2068", "\u2069"])
def test_bidirectional_overrides_are_refused(ch):
    refused("bidirectional control", name=f"invoice{ch}fdp.exe")
    refused("bidirectional control", note=f"x{ch}y")
    with pytest.raises(ValidationError):
        Node(id=f"partner:a{ch}b", label=NodeLabel.PARTNER, name="A", source="t")


def test_right_to_left_text_itself_is_kept():
    # Arabic and Hebrew names, with the marks (not overrides) that direct them
    assert node(name="القاهرة\u200f").name == "القاهرة\u200f"
    assert node(name="תל אביב").name == "תל אביב"


def test_surrogates_and_xml_non_characters_are_refused():
    refused("lone surrogate", name="a\ud800b")
    refused("U+FFFE", note="a\ufffeb")
    refused("U+FFFF", tags=["a\uffff"])


def test_integers_are_64_bit():
    assert node(n=2**63 - 1, m=-(2**63)).props == {"n": 2**63 - 1, "m": -(2**63)}
    refused("outside the 64-bit range", n=2**63)
    refused("outside the 64-bit range", n=-(2**63) - 1)
    refused("outside the 64-bit range", ns=[1, 2**64])
    with pytest.raises(ValidationError, match="64-bit"):
        Node(id="city:x", label=NodeLabel.CITY, name="X", source="t",
             props={"population": 10**20})


def test_text_and_lists_are_capped():
    assert len(node(note="x" * MAX_TEXT).props["note"]) == MAX_TEXT
    refused("at most 100,000", note="x" * (MAX_TEXT + 1))
    refused("at most 100,000", note="x" * 20_000_000)  # the 20 MB property
    refused("as JSON; at most", tags=["x" * 60_000, "y" * 60_000])
    with pytest.raises(ValidationError):
        node(name="n" * 1001)


def test_property_names():
    refused("property name", **{"bad\x01key": 1})
    refused("property name", **{"_private": 1})
    refused("at most 200", **{"k" * 201: 1})
    with pytest.raises(ValidationError, match="may not contain"):
        Relationship(start="city:a", type=RelType.PARTNERS_WITH, end="city:b",
                     props={"type": "x"})
    with pytest.raises(ValidationError):
        Relationship(start="city:a", type=RelType.PARTNERS_WITH, end="city:b", key="a\x01")


def test_store_answers_are_the_same_on_both_stores(store):
    """Values at the edges of the domain read back identically from SQLite and Neo4j."""
    edge = node(name="Édge «case» \u200f", big=2**63 - 1, small=-(2**63), neg=-0.1852,
                text="t\tab\nnl " + "x" * 99_000, tags=["", " a ", "b"], flag=False, zero=0.0)
    store.upsert_nodes([edge])
    back = store.get_node("partner:a")
    assert (back.name, back.props) == (edge.name, edge.props)
    assert type(back.props["zero"]) is float and type(back.props["big"]) is int
