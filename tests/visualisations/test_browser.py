"""Views and reports in headless Chromium (Debian chromium + chromium-driver), network
blocked: the graph is drawn, search works, hostile names stay text."""

from __future__ import annotations

import shutil
import time

import pytest

from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType
from partnernet.loaders.generate import GeneratedOptions, generate_plan
from partnernet.loaders.reference_graph import reference_plan
from partnernet.service.report import build_report
from partnernet.visualisations.report import render_report
from partnernet.visualisations.views import build_view, render_view

pytestmark = pytest.mark.browser
XSS = ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "\"><svg onload=alert(3)>",
       "<a href=\"javascript:alert(4)\">href</a>"]


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.fail("chromium and chromedriver are required (Debian: chromium chromium-driver)")
    opts = Options()
    opts.binary_location = chromium
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1400,900",
                # block the network: every host name fails to resolve
                "--host-resolver-rules=MAP * ~NOTFOUND"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    d = webdriver.Chrome(service=Service(driver), options=opts)
    yield d
    d.quit()


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory):
    from partnernet.graph.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path_factory.mktemp("b") / "b.db")
    ref = reference_plan()
    anchors = [n for n in ref.nodes if n.label == "City"]
    gen = generate_plan(GeneratedOptions(cities=150, seed=5), anchors=anchors)
    hostile = [Node(id=f"city:br:xss-{i}", label=NodeLabel.CITY, name=name, source="test",
                    props={"country": "BR"}) for i, name in enumerate(XSS)]
    ties = [Relationship(start=h.id, type=RelType.PARTNERS_WITH, end="city:br:maringa")
            for h in hostile]
    store.load(ref.nodes + gen.nodes + hostile, ref.relationships + gen.relationships + ties)
    yield store
    store.close()


def _open(browser, path):
    browser.get(path.as_uri())
    t = time.time()
    while time.time() - t < 30:
        if browser.execute_script("return window.pnReady === true"):
            return time.time() - t
        time.sleep(0.05)
    pytest.fail("the view was not drawn within 30 s")


def _requests(browser) -> list[str]:
    import json

    urls = []
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def test_view_draws_searches_and_keeps_names_as_text(browser, sqlite_demo, tmp_path):
    g = sqlite_demo.to_networkx()
    view = build_view(g, color_by="region", size_by="betweenness")
    html, _ = render_view(view)
    path = tmp_path / "view.html"
    path.write_text(html, encoding="utf-8")
    _open(browser, path)
    assert browser.execute_script("return document.querySelectorAll('canvas').length") >= 1
    assert browser.execute_script("return window.pnNetwork.body.data.nodes.length") == \
        view.meta["nodes"]
    # search
    box = browser.find_element("id", "pn-search")
    box.send_keys("maringa")
    browser.find_element("id", "pn-go").click()
    assert "found" in browser.find_element("id", "pn-found").text
    assert browser.execute_script("return window.pnNetwork.getSelectedNodes()").count(
        "city:br:maringa") == 1
    # hostile names: no element was injected, no alert ran, and the text is shown as text
    assert browser.execute_script("return document.querySelectorAll('img, svg').length") == 0
    for name in XSS:
        browser.find_element("id", "pn-search").clear()
        browser.find_element("id", "pn-search").send_keys(name[:12])
        browser.find_element("id", "pn-go").click()
        info = browser.find_element("id", "pn-info").text
        assert name in info, (name, info)
    assert browser.execute_script("return document.querySelectorAll('img, svg').length") == 0
    # nothing left the page
    assert [u for u in _requests(browser) if not u.startswith(("file:", "data:"))] == []


def test_report_html_opens(browser, sqlite_demo, tmp_path):
    r = build_report(sqlite_demo, seeker="city:br:maringa")
    view = build_view(sqlite_demo.to_networkx(), color_by="region", size_by="betweenness")
    data, _ = render_report(r, "html", view=view)
    path = tmp_path / "report.html"
    path.write_bytes(data)
    _open(browser, path)
    body = browser.find_element("tag name", "body").text
    assert "Data snapshot" in body and "Group of 77" in body and "Recommended partners" in body
    assert browser.execute_script("return document.querySelectorAll('svg').length") >= 2
    assert [u for u in _requests(browser) if not u.startswith(("file:", "data:"))] == []


def test_pdf_pages_are_not_blank(sqlite_demo, tmp_path):
    import subprocess

    r = build_report(sqlite_demo)
    data, _ = render_report(r, "pdf")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 3
    from PIL import Image

    for p in pages[:3]:
        img = Image.open(p).convert("L")
        dark = sum(img.histogram()[:200])
        assert dark > 500, f"{p.name} looks blank"
