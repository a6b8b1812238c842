"""Headless Chromium with the network blocked (only 127.0.0.1 resolves), a demo store with
hostile names, and the API serving it on a free local port."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time

import pytest

from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType
from partnernet.loaders.generate import GeneratedOptions, generate_plan
from partnernet.loaders.reference_graph import reference_plan

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
                # block the network: every host name but the local server fails to resolve
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
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
    gen = generate_plan(GeneratedOptions(cities=400, seed=5), anchors=anchors)
    hostile = [Node(id=f"city:br:xss-{i}", label=NodeLabel.CITY, name=name, source="test",
                    props={"country": "BR"}) for i, name in enumerate(XSS)]
    ties = [Relationship(start=h.id, type=RelType.PARTNERS_WITH, end="city:br:maringa")
            for h in hostile]
    store.load(ref.nodes + gen.nodes + hostile, ref.relationships + gen.relationships + ties)
    yield store
    store.close()


@pytest.fixture(scope="module")
def server(sqlite_demo):
    """The API over the demo store, served by uvicorn in a thread on 127.0.0.1."""
    import uvicorn

    from partnernet.api.main import create_app
    from partnernet.settings import Settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(settings=Settings(store="sqlite:///unused.db"), store=sqlite_demo,
                     cache_ttl=0)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    t = time.time()
    while not srv.started:
        if time.time() - t > 20:
            pytest.fail("the API did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def wait_for(browser, js: str, timeout: float = 60) -> float:
    t = time.time()
    while time.time() - t < timeout:
        if browser.execute_script("return " + js):
            return time.time() - t
        time.sleep(0.05)
    pytest.fail(f"not true within {timeout} s: {js}")


def requests_made(browser) -> list[str]:
    urls = []
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def outside(urls: list[str], base: str | None = None) -> list[str]:
    """Requests that would leave the machine (anything but the local server, files, data
    and blob URLs)."""
    local = ("file:", "data:", "blob:", "about:") + ((base,) if base else ())
    return [u for u in urls if not u.startswith(local)]


def console_errors(browser) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
