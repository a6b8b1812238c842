"""explorer.js is joined from its parts (one concern each) inside one function scope.

Expected values by construction: every part file in ``assets/explorer/`` is listed once in
``EXPLORER_PARTS`` (a part left out would be missing from the page), and the page, the
API and static views all run the same joined script.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from importlib import resources

import pytest

from partnernet.visualisations.explorer import (
    EXPLORER_PARTS,
    explorer_script,
    render_static,
)


def test_every_part_is_joined_once_in_order():
    folder = resources.files("partnernet.visualisations").joinpath("assets", "explorer")
    on_disk = {p.name for p in folder.iterdir() if p.name.endswith(".js")}
    assert on_disk == set(EXPLORER_PARTS) and len(EXPLORER_PARTS) == len(on_disk)
    script = explorer_script()
    at = [script.index(folder.joinpath(n).read_text("utf-8")) for n in EXPLORER_PARTS]
    assert at == sorted(at)  # later parts use names the earlier ones declare
    # one strict-mode function scope: nothing of the parts is put on window by declaration
    assert script.count("(function () {\n\"use strict\";\n") == 1
    assert script.rstrip().endswith("start();\n})();")


def test_served_and_inlined_script_is_the_joined_one(server):
    with urllib.request.urlopen(server + "/explore/assets/explorer.js") as r:
        assert r.read().decode("utf-8") == explorer_script()
        assert r.headers["content-type"].startswith("text/javascript")
        assert r.headers["x-content-type-options"] == "nosniff"
    for part in EXPLORER_PARTS:  # the parts are not served one by one
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"{server}/explore/assets/{part}")
        assert e.value.code == 404
    html, _ = render_static({"view": "graph", "graph": {"nodes": [], "edges": []}}, title="t")
    assert explorer_script().replace("</script", "<\\/script") in html
