"""The shapes users bring, loaded without a conversion script: plain and symmetric edge
lists, membership lists (thousands of members, Latin-1, ISO3 codes, countries in the
spellings of the ISO/UN/GeoNames tables), Gephi with several node tables or edges only,
Kumu with countries and connection types. Expected values: by hand from the fixtures,
and for the generated membership list the truth it was generated from (GeoNames)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from openpyxl import Workbook

from partnernet.graph.schema import NodeLabel, RelType
from partnernet.loaders.errors import LoadErrors
from partnernet.loaders.load import load_files, plan_files
from tools.membership_sample import build, write


def test_plain_edge_list_with_names_weight_kind_and_date(store, tmp_path):
    path = tmp_path / "ties.csv"
    path.write_text("source,target,weight,kind,date\n"
                    "Lyon,Beirut,2.5,sister city,1985\n"
                    "Beirut,Lyon,2.5,sister city,1985\n"  # the same tie from the other side
                    "Dakar,Bamako,1,friendship,2001-05-03\n", encoding="utf-8")
    result = load_files(store, [path])
    assert result.formats == {str(path): "edges"}
    assert result.plan.stats["ties listed both ways (folded into one)"] == 1
    assert result.summary.relationships_created == 2
    rels = {(r.start, r.end): r.props
            for r in store.list_relationships(RelType.PARTNERS_WITH).items}
    assert rels[("city:fr:lyon", "city:lb:beirut")] == {
        "weight": 2.5, "kind": "sister-city", "since": "1985", "source": "ties.csv, rows 2, 3"}
    assert rels[("city:sn:dakar", "city:ml:bamako")]["since"] == "2001-05-03"
    assert load_files(store, [path]).summary.changed == 0


def test_a_tie_between_two_same_named_places_keeps_both(tmp_path):
    # found by the new-user walk on an edge list without countries: Córdoba - Córdoba
    # became one node and the row was dropped ("both ends are the same place"); a place
    # does not twin with itself, so the two ends stay two (ambiguous) places, and the tie
    # listed both ways is still one
    path = tmp_path / "ties.csv"
    path.write_text("source,target\nCórdoba,Córdoba\nValencia,Valencia\n"
                    "Córdoba,Córdoba\nCórdoba,Sevilla\n", encoding="utf-8")
    plan, _ = plan_files([path])
    ends = {(r.start, r.end) for r in plan.relationships}
    assert len(ends) == 3 and all(a != b for a, b in ends)
    assert "rows skipped: the same place at both ends" not in plan.stats
    assert plan.stats["rows repeating a tie the same way"] == 1


def test_directed_types_are_not_folded(tmp_path):
    path = tmp_path / "support.csv"
    path.write_text("from,to,type\nGreen Fund,Blue Fund,SUPPORTS\nBlue Fund,Green Fund,SUPPORTS\n",
                    encoding="utf-8")
    plan, _ = plan_files([path], default_label=NodeLabel.PARTNER)
    assert len(plan.relationships) == 2
    assert "ties listed both ways (folded into one)" not in plan.stats


def test_unknown_kind_lists_the_accepted_ones(tmp_path):
    path = tmp_path / "ties.csv"
    path.write_text("source,target,kind\nLyon,Beirut,pen pals\n", encoding="utf-8")
    with pytest.raises(LoadErrors, match=r"row 2, column 'kind': unknown partnership kind "
                                         r"'pen pals'; accepted: cooperation, decentralised"):
        plan_files([path])


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    rows, truth = build(3000, 20, seed=11, encoding="latin-1")
    path = write(tmp_path_factory.mktemp("m") / "members.csv", rows, encoding="latin-1")
    plan, formats = plan_files([path])
    return rows, truth, plan, formats, path


def test_membership_list_is_detected_and_read_as_latin1(members):
    rows, _truth, plan, formats, path = members
    assert formats == {str(path): "members"}
    assert any("read as Windows-1252 / Latin-1" in n for n in plan.notes)
    assert plan.details["columns"]["members.csv"] == {
        "member": "name", "organisation": "initiative", "country": "country",
        "type": "entity_type", "since": "year_joined", "own": "account_id", "area": "state",
        "lat": "lat", "lon": "lng", "population": "population"}
    distinct = {(r["account_id"], r["initiative"]) for r in rows}
    assert plan.stats["memberships"] == len(distinct)
    assert plan.stats["rows repeating a membership"] == len(rows) - len(distinct)
    assert all(r.type == RelType.MEMBER_OF for r in plan.relationships)


def test_membership_members_are_the_places_they_name(members):
    rows, truth, plan, _formats, _path = members
    member_of_row = {plan.origins[r.identity][1]: r.start for r in plan.relationships}
    nodes = {n.id: n for n in plan.nodes}
    accounts = defaultdict(set)
    right = wrong = 0
    for row_no, t in enumerate(truth, start=2):
        node_id = member_of_row.get(row_no)
        if node_id is None:  # a repeated membership row
            continue
        accounts[node_id].add(t.account_id)
        p = nodes[node_id].props
        if p.get("resolution") != "resolved":
            continue
        if t.geonameid is not None:
            ok = p.get("geonameid") == t.geonameid
        else:
            ok = (p.get("country"), p.get("admin1")) == t.admin
        right, wrong = right + ok, wrong + (not ok)
    assert all(len(a) == 1 for a in accounts.values())  # no two members share a node
    assert wrong == 0  # resolved means resolved to the right place
    assert right / len(member_of_row) > 0.9
    countries = sum(1 for n in plan.nodes if n.label in (NodeLabel.CITY, NodeLabel.SUBNATIONAL)
                    and n.props.get("country"))
    assert countries == sum(1 for n in plan.nodes if n.label in (NodeLabel.CITY,
                                                                 NodeLabel.SUBNATIONAL))


def test_regions_and_states_are_subnational_members(members):
    rows, _truth, plan, _f, _p = members
    subnational = [n for n in plan.nodes if n.label == NodeLabel.SUBNATIONAL]
    regions = {r["account_id"] for r in rows if r["entity_type"] != "City"
               and r["account_id"].startswith("R")}
    assert len(subnational) == len(regions)
    assert all(n.id.startswith("subnational:") and n.props["region"] for n in subnational)


def test_population_decimals_are_rounded_and_said(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("member,country,organisation,population\nLyon,FRA,Net,513275.6\n"
                    "Porto,PRT,Net,abc\n", encoding="utf-8")
    with pytest.raises(LoadErrors, match="row 3, column 'population': population 'abc' is not"):
        plan_files([path])
    path.write_text("member,country,organisation,population\nLyon,FRA,Net,513275.6\n",
                    encoding="utf-8")
    plan, _ = plan_files([path])
    assert next(n for n in plan.nodes if n.id == "city:fr:lyon").props["population"] == 513276
    assert any("rounded to whole people" in n for n in plan.notes)


def test_gephi_with_two_node_tables(store, tmp_path):
    (tmp_path / "cities.csv").write_text("Id,Label,country\nc1,Lyon,France\nc2,Beirut,LBN\n",
                                         encoding="utf-8")
    (tmp_path / "partners.csv").write_text("Id,Label,Type\np1,Green Fund,Partner\n",
                                           encoding="utf-8")
    (tmp_path / "edges.csv").write_text("Source,Target,Type,Weight\nc1,c2,Undirected,1\n"
                                        "p1,c1,Undirected,1\n", encoding="utf-8")
    files = [tmp_path / "cities.csv", tmp_path / "partners.csv", tmp_path / "edges.csv"]
    result = load_files(store, files, fmt="gephi")
    assert store.get_node("partner:p1").name == "Green Fund"
    assert store.get_node("city:lb:beirut").props["source_id"] == "c2"
    assert result.summary.relationships_created == 2
    (tmp_path / "partners.csv").write_text("Id,Label,Type\np1,Green Fund,Partner\n,No id,"
                                           "Partner\n", encoding="utf-8")
    with pytest.raises(LoadErrors) as err:
        plan_files(files, fmt="gephi")
    assert [str(e) for e in err.value.errors] == ["partners.csv, row 3, column 'Id': empty id"]


def test_gephi_edges_without_nodes_is_an_edge_list(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("Source,Target,Type,Weight\n" + "".join(
        f"{a},{b},Undirected,1\n" for a, b in [("Lyon", "Beirut"), ("Dakar", "Bamako")] * 200),
        encoding="utf-8")
    plan, formats = plan_files([path])
    assert formats == {str(path): "gephi"}
    assert len(plan.relationships) == 2
    assert any("Gephi edges without a nodes table" in n for n in plan.notes)


def _kumu(tmp_path, connection_type):
    wb = Workbook()
    ws = wb.active
    ws.title = "Elements"
    ws.append(["Label", "Type", "Country"])
    ws.append(["Curitiba", "City", "Brazil"])
    ws.append(["Paraná", "State", "Brasil"])
    ws.append(["ICLEI", "Network", None])
    c = wb.create_sheet("Connections")
    c.append(["From", "To", "Type"])
    c.append(["Curitiba", "ICLEI", connection_type])
    c.append(["Paraná", "ICLEI", "member"])
    path = tmp_path / "k.xlsx"
    wb.save(path)
    return path


def test_kumu_countries_and_member_connections(store, tmp_path):
    load_files(store, [_kumu(tmp_path, "Member")])
    curitiba = store.get_node("city:br:curitiba")
    assert (curitiba.props["country"], curitiba.props["region"]) == (
        "BR", "Latin America and the Caribbean")
    assert curitiba.props["lat"] == pytest.approx(-25.43, abs=0.01)
    assert store.get_node("subnational:br:parana").props["iso3166_2"] == "BR-PR"
    assert store.counts().relationships == {"MEMBER_OF": 2}


def test_kumu_unknown_connection_type_lists_the_known_ones(tmp_path):
    with pytest.raises(LoadErrors, match=r"k.xlsx \[Connections\], row 2, column 'Type': "
                                         r"unknown connection type 'Mentors'; known: "
                                         r"belongs to, collaboration, committee member"):
        plan_files([_kumu(tmp_path, "Mentors")])


@pytest.mark.parametrize("country", ["Italy", "ITA", "380", "Italia", "Italie",
                                     "the Republic of Italy"])
def test_canonical_tables_take_countries_in_any_spelling(tmp_path, country):
    path = tmp_path / "n.csv"
    path.write_text(f'id,label,name,country\ncity:it:rome,City,Rome,"{country}"\n',
                    encoding="utf-8")
    plan, _ = plan_files([path])
    assert plan.nodes[0].props["country"] == "IT"
    assert plan.nodes[0].props["region"] == "Europe"


def test_edge_list_between_the_ids_of_a_nodes_table(tmp_path):
    (tmp_path / "nodes.csv").write_text("id,name,country\n1,Lyon,France\n2,Beirut,Lebanon\n"
                                        "3,Columbus,US\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text("source,target,weight\n1,2,1\n3,1,2\n",
                                        encoding="utf-8")
    for order in ([0, 1], [1, 0]):
        files = [[tmp_path / "nodes.csv", tmp_path / "edges.csv"][i] for i in order]
        plan, formats = plan_files(files)
        assert set(formats.values()) == {"gephi"}
        ties = {(r.start, r.end, r.props["weight"]) for r in plan.relationships}
        # Columbus (US) is one of 15: its node keeps the file's id, never a namesake's
        assert ties == {("city:fr:lyon", "city:lb:beirut", 1),
                        ("city:us:columbus-id-3", "city:fr:lyon", 2)}


@pytest.mark.parametrize("header, row", [
    ("sourceCity,sourceCountry,targetCity,targetCountry", "Valencia,ES,Valencia,VE"),
    ("cityA,countryA,cityB,countryB", "Valencia,Spain,Valencia,Venezuela"),
    ("city,cityLabel,country,twinned,twinnedLabel,twinnedCountry",
     "http://www.wikidata.org/entity/Q8818,Valencia,http://www.wikidata.org/entity/Q29,"
     "http://www.wikidata.org/entity/Q8919,Valencia,http://www.wikidata.org/entity/Q717"),
])
def test_end_columns_as_exports_name_them(tmp_path, header, row):
    path = tmp_path / "e.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    plan, formats = plan_files([path])
    assert formats == {str(path): "edges"}
    assert sorted(n.id for n in plan.nodes) == ["city:es:valencia", "city:ve:valencia"]


def test_one_row_per_member_with_its_initiatives_in_one_cell(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text('name,iso,entity_type,initiatives_committed\n'
                    'Curitiba,BRA,City,"GCoM, ICLEI; C40"\nParaná,BRA,Region,Under2 Coalition\n',
                    encoding="utf-8")
    plan, formats = plan_files([path])
    assert formats == {str(path): "members"}
    assert sorted((r.start, r.end) for r in plan.relationships) == [
        ("city:br:curitiba", "network:c40"), ("city:br:curitiba", "network:gcom"),
        ("city:br:curitiba", "network:iclei"), ("subnational:br:parana",
                                                "network:under2-coalition")]


def test_every_id_the_loaders_give_has_a_known_prefix():
    # is_node_id tells an edge list of stored ids from one of names by these prefixes: a
    # loader giving an id of another prefix would make that node's ties read as names again
    from partnernet.graph.schema.records import is_node_id
    from partnernet.loaders.generate import GeneratedOptions, generate_plan
    from partnernet.loaders.reference_graph import reference_plan

    ref = reference_plan()
    anchors = [n for n in ref.nodes if n.label is NodeLabel.CITY]
    ids = {n.id for n in ref.nodes} | {
        n.id for n in generate_plan(GeneratedOptions(cities=60, seed=3), anchors=anchors).nodes}
    assert {i for i in ids if not is_node_id(i)} == set()


def test_an_edge_list_of_stored_ids_links_the_stored_nodes(store, tmp_path):
    # found by the new-user walk: `source,target` rows of ids (city:fr:lyon) became new
    # places named "city:fr:lyon" (city:unknown:city-fr-lyon~...), exit 0
    names = tmp_path / "names.csv"
    names.write_text("source,target\nLyon,Beirut\nDakar,Bamako\n", encoding="utf-8")
    load_files(store, [names])
    ids = tmp_path / "ids.csv"
    ids.write_text("source,target\ncity:fr:lyon,city:sn:dakar\ncity:lb:beirut,city:ml:bamako\n",
                   encoding="utf-8")
    result = load_files(store, [ids])
    assert result.summary.nodes_created == 0
    assert result.summary.relationships_created == 2
    assert result.plan.stats["ends given as node ids"] == 4
    assert store.get_nodes(["city:unknown:city-fr-lyon~city-sn-dakar"]) == {}
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\ncity:fr:lyon,city:fr:nowhere\n", encoding="utf-8")
    with pytest.raises(LoadErrors) as exc:
        load_files(store, [bad])
    assert "bad.csv, row 2, column 'target'" in str(exc.value)
    assert "'city:fr:nowhere' is not a node of this load nor of the store" in str(exc.value)


def test_an_exports_edges_file_alone_reads_its_ids_and_types(store, tmp_path):
    # found by the new-user walk: the gephi-csv export's edges.csv loaded alone planned
    # 50,276 new nodes named after the ids (the whole graph twice)
    names = tmp_path / "names.csv"
    names.write_text("source,target\nLyon,Beirut\n", encoding="utf-8")
    load_files(store, [names])
    edges = tmp_path / "edges.csv"
    edges.write_text("Source,Target,Type,rel_type\n"
                     "city:fr:lyon,city:lb:beirut,Undirected,PARTNERS_WITH\n"
                     "city:fr:lyon,country:fr,Directed,LOCATED_IN\n", encoding="utf-8")
    result = load_files(store, [edges])
    assert result.summary.relationships_unchanged == 1  # Lyon - Beirut, stored above
    assert result.summary.relationships_created == 1  # its type read from rel_type
    assert result.summary.nodes_created == 1  # country:fr, from the reference graph (noted)
    assert any("taken from the reference graph (country:fr)" in n for n in result.plan.notes)
    assert not any("read as place names" in n for n in result.plan.notes)
    located = store.list_relationships(RelType.LOCATED_IN).items
    assert [(r.start, r.end) for r in located] == [("city:fr:lyon", "country:fr")]
