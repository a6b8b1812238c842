"""Every import format: detection, validation with file/row/column errors, atomic and
idempotent loads, and export round trips. Expected values are worked out by hand."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from partnernet.graph.schema import NodeLabel, RelType
from partnernet.loaders.errors import LoadErrors
from partnernet.loaders.export import export_graph, graph_to_json
from partnernet.loaders.load import detect_format, load_files, plan_files

NODES_CSV = """id,label,name,source,country,population,capacities
city:br:maringa,City,Maringá,test,BR,430000,
city:cn:quanzhou,City,Quanzhou 泉州,test,CN,,
partner:acme,Partner,"ACME, Inc.",test,FR,,finance|data
"""
RELS_CSV = """start,type,end,key,kind,sdgs,since,source
city:br:maringa,PARTNERS_WITH,city:cn:quanzhou,,twinning,11|17,2019,test
partner:acme,PARTNERS_WITH,city:br:maringa,mou,cooperation,,,test
"""


@pytest.fixture
def canonical(tmp_path):
    (tmp_path / "nodes.csv").write_text(NODES_CSV, encoding="utf-8")
    (tmp_path / "rels.csv").write_text(RELS_CSV, encoding="utf-8")
    return [tmp_path / "nodes.csv", tmp_path / "rels.csv"]


def test_canonical_csv_loads_with_types(store, canonical):
    result = load_files(store, canonical)
    assert result.formats == {str(canonical[0]): "canonical", str(canonical[1]): "canonical"}
    assert (result.summary.nodes_created, result.summary.relationships_created) == (3, 2)
    maringa = store.get_node("city:br:maringa")
    # the file's own values kept; what it does not say comes from GeoNames (Maringá, 3457671)
    assert maringa.props["country"] == "BR" and maringa.props["population"] == 430000
    assert (maringa.props["geonameid"], maringa.props["region"]) == (
        3457671, "Latin America and the Caribbean")
    assert round(maringa.props["lat"], 1) == -23.4
    acme = store.get_node("partner:acme")
    assert acme.props["capacities"] == ["finance", "data"]
    rel = store.neighbours("city:br:maringa", types=["PARTNERS_WITH"], direction="out")[0]
    assert rel.relationship.props == {"kind": "twinning", "sdgs": [11, 17], "since": "2019",
                                      "source": "test"}
    again = load_files(store, canonical)
    assert again.summary.changed == 0


def test_broken_row_rejected_with_row_and_column_and_store_unchanged(store, canonical,
                                                                     tmp_path):
    load_files(store, canonical)
    before = graph_to_json(store.to_networkx())
    broken = tmp_path / "broken.csv"
    lines = NODES_CSV.replace("city:cn:quanzhou,City,Quanzhou 泉州,test,CN,,",
                              "city:cn:quanzhou,City,Quanzhou,test,CN,-5,").splitlines()
    lines.append("city:xx:new,City,New,test,XX,12,")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadErrors) as err:
        load_files(store, [broken, canonical[1]])
    errors = {(e.row, e.column) for e in err.value.errors}
    assert (3, "population") in errors  # -5 < 0 on spreadsheet row 3
    assert (5, "country") in errors  # "XX" is no country: never a silent Unknown
    assert graph_to_json(store.to_networkx()) == before


def test_unknown_label_and_type_are_named(tmp_path):
    (tmp_path / "n.csv").write_text("id,label,name\ncity:a,Castle,A\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("start,type,end\ncity:a,LOVES,city:b\n", encoding="utf-8")
    with pytest.raises(LoadErrors) as err:
        plan_files([tmp_path / "n.csv", tmp_path / "r.csv"])
    msgs = [str(e) for e in err.value.errors]
    assert any("n.csv, row 2, column 'label': unknown label 'Castle'" in m for m in msgs)
    assert any("r.csv, row 2, column 'type': unknown relationship type 'LOVES'" in m
               for m in msgs)


def test_missing_endpoint_is_an_error_and_nothing_is_written(store, tmp_path):
    (tmp_path / "r.csv").write_text("start,type,end\ncity:a:x,PARTNERS_WITH,city:b:y\n",
                                    encoding="utf-8")
    with pytest.raises(LoadErrors) as err:
        load_files(store, [tmp_path / "r.csv"])
    assert [str(e) for e in err.value.errors] == [
        f"r.csv, row 2, column '{col}': PARTNERS_WITH end '{end}' is not a node of this load "
        "nor of the store (load the file that defines it in the same command, or first)"
        for col, end in (("start", "city:a:x"), ("end", "city:b:y"))]
    assert store.counts().total_nodes == 0


def test_dry_run_reports_without_writing(store, canonical):
    result = load_files(store, canonical, dry_run=True)
    assert result.summary.nodes_created == 3 and store.counts().total_nodes == 0


def test_bom_semicolons_and_cp1252(store, tmp_path):
    text = "id;label;name;source\ncity:fr:besancon;City;Besançon;test\n"
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "win.csv").write_bytes(text.replace("besancon", "b2").encode("cp1252"))
    result = load_files(store, [tmp_path / "bom.csv", tmp_path / "win.csv"])
    assert result.summary.nodes_created == 2
    assert store.get_node("city:fr:b2").name == "Besançon"
    assert any("Windows-1252" in n for n in result.plan.notes)


def test_json_and_xlsx_canonical(store, tmp_path):
    data = {"nodes": [{"id": "network:x", "label": "Network", "name": "X", "source": "t"},
                      {"id": "city:br:a", "label": "City", "name": "A", "source": "t",
                       "props": {"country": "BR"}}],
            "relationships": [{"start": "city:br:a", "type": "MEMBER_OF", "end": "network:x",
                               "props": {"level": "full"}}]}
    (tmp_path / "g.json").write_text(json.dumps(data), encoding="utf-8")
    assert load_files(store, [tmp_path / "g.json"]).summary.relationships_created == 1
    wb = Workbook()
    ws = wb.active
    ws.title = "nodes"
    ws.append(["id", "label", "name", "source", "population"])
    ws.append(["city:br:b", "City", "B", "t", 1200])
    ws2 = wb.create_sheet("relationships")
    ws2.append(["start", "type", "end"])
    ws2.append(["city:br:b", "MEMBER_OF", "network:x"])
    wb.save(tmp_path / "g.xlsx")
    assert detect_format(tmp_path / "g.xlsx") == "canonical"
    result = load_files(store, [tmp_path / "g.xlsx"])
    assert (result.summary.nodes_created, result.summary.relationships_created) == (1, 1)
    assert store.get_node("city:br:b").props["population"] == 1200


def test_gephi_tables(store, tmp_path):
    (tmp_path / "nodes.csv").write_text(
        "Id,Label,country\n1,Lyon,FR\n2,Beirut,LB\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text(
        "Source,Target,Type,Weight,Label\n1,2,Undirected,2.5,sister cities\n",
        encoding="utf-8")
    result = load_files(store, [tmp_path / "nodes.csv", tmp_path / "edges.csv"])
    assert result.formats[str(tmp_path / "nodes.csv")] == "gephi"
    # Gephi's Ids are the file's own: the node id comes from the place, the Id is kept
    lyon = store.get_node("city:fr:lyon")
    assert (lyon.name, lyon.props["source_id"], lyon.props["geonameid"]) == ("Lyon", "1",
                                                                            2996944)
    rel = store.list_relationships(RelType.PARTNERS_WITH).items[0]
    assert (rel.start, rel.end, rel.props) == ("city:fr:lyon", "city:lb:beirut",
                                               {"weight": 2.5, "label": "sister cities"})


def test_gephi_edge_to_unknown_node(tmp_path):
    (tmp_path / "nodes.csv").write_text("Id,Label\n1,Lyon\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text("Source,Target\n1,9\n", encoding="utf-8")
    with pytest.raises(LoadErrors, match="edges.csv, row 2, column 'Target'"):
        plan_files([tmp_path / "nodes.csv", tmp_path / "edges.csv"])


def test_kumu_workbook(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Elements"
    ws.append(["Label", "Type", "Tags"])
    ws.append(["Dakar", "City", "coastal|capital"])
    ws.append(["Green Foundation", "Foundation", None])
    ws.append(["Bamako", "City", None])
    c = wb.create_sheet("Connections")
    c.append(["From", "To", "Type"])
    c.append(["Green Foundation", "Dakar|Bamako", "supports"])
    c.append(["Dakar", "Bamako", "Partners With"])
    wb.save(tmp_path / "k.xlsx")
    result = load_files(store, [tmp_path / "k.xlsx"])
    assert result.formats[str(tmp_path / "k.xlsx")] == "kumu"
    # no country column: Dakar is the only GeoNames place of that name (Senegal)
    assert store.get_node("city:sn:dakar").props["tags"] == ["coastal", "capital"]
    assert store.get_node("partner:green-foundation").label == NodeLabel.PARTNER
    assert store.counts().relationships == {"PARTNERS_WITH": 1, "SUPPORTS": 2}


def test_pair_list_resolves_cities(store, tmp_path):
    (tmp_path / "pairs.csv").write_text(
        "city1,country1,city2,country2\n"
        "Maringá,Brazil,Quanzhou,People's Republic of China\n"
        "Quanzhou,China,Maringa,Brasil\n"  # the same pair listed from the other side
        "Springfield,United States,Atlantis,Nowhere\n"
        "Varna, Bulgaria,,\n".replace("Varna, Bulgaria,,", '"Varna, Bulgaria",,Lyon,France'),
        encoding="utf-8")
    with pytest.raises(LoadErrors, match="row 4, column 'country2': unknown country 'Nowhere'"):
        load_files(store, [tmp_path / "pairs.csv"])
    result = load_files(store, [tmp_path / "pairs.csv"], unknown_countries="warn")
    assert result.formats[str(tmp_path / "pairs.csv")] == "pairs"
    assert result.summary.relationships_created == 3
    assert result.plan.stats["pairs listed more than once"] == 1
    # 21 Springfields in the US and nothing to tell which: this mention keeps its own node,
    # told apart by the other end of its tie (never one node for every Springfield)
    amb = store.get_node("city:us:springfield~atlantis-nowhere")
    assert amb.props["resolution"] == "ambiguous" and "lat" not in amb.props
    unknown = store.get_node("city:unknown:atlantis~springfield-united-states")
    assert unknown.props["resolution"] == "unknown-country"
    assert any("unknown country 'Nowhere'" in n for n in result.plan.notes)
    assert store.get_node("city:bg:varna").props["resolution"] == "resolved"
    assert load_files(store, [tmp_path / "pairs.csv"],
                      unknown_countries="warn").summary.changed == 0


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "gephi-csv"])
def test_export_round_trip(store, canonical, tmp_path, fmt, sqlite_store):
    load_files(store, canonical)
    g = store.to_networkx()
    out = tmp_path / ("export" if fmt == "gephi-csv" else f"export.{fmt}")
    files = export_graph(g, fmt, out)
    fresh = sqlite_store if store is not sqlite_store else _other(tmp_path)
    load_files(fresh, files, fmt="gephi" if fmt == "gephi-csv" else None)
    assert graph_to_json(fresh.to_networkx()) == graph_to_json(g)


def _other(tmp_path):
    from partnernet.graph.store.sqlite import SQLiteStore

    return SQLiteStore(tmp_path / "other.db")


def test_formula_cells_are_neutralised_in_csv_and_restored_on_load(sqlite_store, tmp_path):
    (tmp_path / "n.csv").write_text(
        'id,label,name,source\npartner:x,Partner,"=HYPERLINK(""http://evil"")",t\n',
        encoding="utf-8")
    load_files(sqlite_store, [tmp_path / "n.csv"])
    files = export_graph(sqlite_store.to_networkx(), "gephi-csv", tmp_path / "out")
    text = files[0].read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text  # a spreadsheet shows it as text, not as a formula
    fresh = _other(tmp_path)
    load_files(fresh, files, fmt="gephi")  # and loading the export gives the name back
    assert fresh.get_node("partner:x").name == '=HYPERLINK("http://evil")'
    fresh.close()


def test_real_twin_city_file_loads_end_to_end(sqlite_store):
    from tests.conftest import SHARED

    path = SHARED / "data" / "sister-cities" / "twin_cities_wikipedia.csv"
    first = load_files(sqlite_store, [path], unknown_countries="warn")
    assert first.plan.stats["rows"] == 26114  # data/README.md
    res = first.plan.details["resolution"]
    assert res["resolved"] / res["distinct spellings"] > 0.75
    assert res["with a country"] / res["distinct spellings"] > 0.99
    second = load_files(sqlite_store, [path], unknown_countries="warn")
    assert second.summary.changed == 0
    assert second.summary.nodes_unchanged == first.summary.nodes_created
