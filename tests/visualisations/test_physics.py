"""Physics views assembled with pyvis: drawn in headless Chromium from the page alone,
offline, with hostile names as text and the shared palette's colours and shapes."""

from __future__ import annotations

import pytest

from partnernet.visualisations.palette import KINDS, REGION_COLORS
from partnernet.visualisations.physics import physics_network, render_physics
from partnernet.visualisations.views import build_view
from tests.visualisations.conftest import (
    XSS,
    console_errors,
    outside,
    requests_made,
    wait_for,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def graph(sqlite_demo):
    return sqlite_demo.to_networkx()


def test_pyvis_network_uses_the_palette(graph):
    net = physics_network(build_view(graph, focus="city:br:maringa", depth=1))
    by_id = {n["id"]: n for n in net.nodes}
    maringa = by_id["city:br:maringa"]
    assert maringa["color"] == REGION_COLORS["Latin America and the Caribbean"]
    assert maringa["shape"] == KINDS["City"]["shape"] and maringa["borderWidth"] == 4
    networks = [n for n in net.nodes if n["id"].startswith("network:")]
    assert networks and all(n["shape"] == KINDS["Network"]["shape"] for n in networks)
    assert {e["from"] for e in net.edges} <= set(by_id)


def test_whole_networks_above_the_limit_are_refused_with_a_pointer(graph):
    view = build_view(graph)  # 400 generated cities: aggregated and mapped
    assert view.data["view"] == "map"
    with pytest.raises(ValueError, match="use the explorer engine"):
        render_physics(view)


def test_page_draws_offline_with_names_as_text(browser, graph, tmp_path):
    page, _ = render_physics(build_view(graph, focus="city:br:maringa", depth=1))
    path = tmp_path / "ego.html"
    path.write_text(page, encoding="utf-8")
    browser.get_log("performance")
    browser.get(path.as_uri())
    wait_for(browser, "document.body.getAttribute('data-settled') === 'true'")
    drawn = browser.execute_script(
        "return window.partnernetNetwork.body.data.nodes.get().map(n => n.label)")
    for name in XSS:  # the hostile neighbours of Maringa: drawn as their names, not markup
        assert name in drawn
    assert browser.execute_script("return document.querySelectorAll('img, svg').length") == 0
    browser.find_element("id", "search").send_keys("<script>alert(2)")
    assert browser.find_element("id", "name").text == "<script>alert(2)</script>"
    assert console_errors(browser) == []
    assert outside(requests_made(browser)) == []


def test_cli_engine_option(tmp_path, sqlite_demo):
    from click.testing import CliRunner

    from partnernet.cli.main import cli

    uri = f"sqlite:///{sqlite_demo.path}"
    r = CliRunner().invoke(cli, ["--store", uri, "view", "--engine", "pyvis", "--focus",
                                 "Maringá", "--depth", "1", "--out", str(tmp_path / "v.html")])
    assert r.exit_code == 0, r.output
    assert "vis.Network" in (tmp_path / "v.html").read_text(encoding="utf-8")
    r = CliRunner().invoke(cli, ["--store", uri, "view", "--engine", "pyvis",
                                 "--out", str(tmp_path / "w.html")])
    assert r.exit_code == 2 and "use the explorer engine" in r.output
    assert not (tmp_path / "w.html").exists()
