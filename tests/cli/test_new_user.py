"""Found trying partnernet as a new user on files loaded with plain `partnernet load`: each
answer that was empty, capped or ambiguous without saying so. Expected values by hand from
the small files written here (countries and populations from the GeoNames gazetteer)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from partnernet.cli.main import cli


@pytest.fixture
def store(tmp_path):
    runner = CliRunner()
    uri = f"sqlite:///{tmp_path / 'user.db'}"

    def invoke(*args, code=0):
        result = runner.invoke(cli, ["--store", uri, *args])
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result.output

    def load(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return invoke("load", str(path))
    return invoke, load


def test_a_plain_edge_list_says_why_no_south_south_link_is_proposed(store):
    run, load = store
    # Southern cities tied North-South, no memberships, themes or SDGs: nothing to propose from
    load("ties.csv", "source,source_country,target,target_country\n"
                     "Quito,EC,Lyon,FR\nMaringá,BR,Lyon,FR\nDakar,SN,Lyon,FR\n")
    out = run("analyse", "south-south")
    section = out.split("missing South-South links:\n", 1)[1]
    assert section.startswith("  none: none of the 3 Southern cities is in a network, "
                              "committee, initiative, theme or SDG\n  try: load memberships")
    as_json = json.loads(run("analyse", "south-south", "--format", "json"))
    assert as_json["missing_links"]["empty"]["why"].startswith("none of the 3 Southern")


def test_matching_a_name_shared_by_several_places_says_which_was_taken(store):
    run, load = store
    load("pairs.csv", "city1,country1,city2,country2\nValencia,Spain,Lyon,France\n"
                      "Valencia,Venezuela,Quito,Ecuador\n")
    out = run("match", "--for", "Valencia", "--top", "3")
    # GeoNames: Valencia VE 1,385,083 inhabitants, Valencia ES 814,208: VE is taken
    assert ("note: 'Valencia' names 2 places: matched for Valencia (Carabobo, VE, "
            "city:ve:valencia), the largest; the others are Valencia (Valencia, ES, "
            "city:es:valencia): give an id") in out
    assert "names 2 places" not in run("match", "--for", "city:es:valencia", "--top", "3")


def test_the_hub_note_names_the_size_of_the_groups_kept_as_hubs(store):
    run, load = store
    rows = "".join(f"City{i},FR,Big network\n" for i in range(120))
    load("members.csv", "member,country,network\n" + rows + "City1,FR,Small club\n"
         "City2,FR,Small club\n")
    out = run("analyse", "brokers", "--top", "3")
    assert ("note: 1 group(s) of 120 members or more (above 100 members, or beyond "
            "250,000 member pairs) kept as one node each (a hub)") in out


def test_the_load_summary_says_what_became_of_unresolved_places(store):
    run, load = store
    # Columbus: 15 US places share the name (GeoNames), none 20 times the others: ambiguous;
    # Xyzzyville: no such place
    out = load("pairs.csv", "city1,country1,city2,country2\nColumbus,United States,Lyon,France\n"
                            "Xyzzyville,France,Lyon,France\n")
    assert ("place spellings not resolved: 1 ambiguous (several places share the name: "
            "each mention kept apart by its context); 1 unresolved (no such place in the "
            "gazetteer: kept with the file's own data)") in out
    assert "    e.g. Columbus (United States): ambiguous: 15 places share this name" in out
    assert "    e.g. Xyzzyville (France): unresolved" in out
