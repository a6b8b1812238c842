"""The explorer page: live (served by the API) or static (one self-contained HTML file).

Both run ``explorer.js`` on the vendored libraries (vis-network for the
graph, d3-geo + topojson-client + world-atlas for the offline map). The live page loads
them from ``/explore/assets``; a static page inlines them with its data, so it opens
offline from a file. Data reaches the page as JSON in ``<script type="application/json">``
elements (``<``, ``>`` and ``&`` escaped) and is put on screen with ``textContent``.

``explorer.js`` is not a file: :func:`explorer_script` joins the parts in
``assets/explorer/`` (one concern each: state, API calls, graph drawing, side panel, map,
export...) in the order of :data:`EXPLORER_PARTS`, inside one function scope, so the parts
share their names without putting any on ``window``. The live page loads the joined script
from ``/explore/assets/explorer.js``; static and exported views inline it.
"""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from partnernet.version import __version__
from partnernet.visualisations.palette import for_js

__all__ = ["EXPLORER_PARTS", "VENDOR_SCRIPTS", "asset_path", "explorer_policy", "explorer_script",
           "render_explorer", "script_json", "render_static"]

#: The libraries the page runs on, in load order (vendored by tools/vendor_frontend.py).
VENDOR_SCRIPTS = ("vis-network.min.js", "d3-array.min.js", "d3-geo.min.js",
                  "topojson-client.min.js")
#: The explorer's own script, by concern, in the order they are joined (later parts use
#: names declared by earlier ones; ``start.js`` runs the page).
EXPLORER_PARTS = ("state.js", "api.js", "palette.js", "filters.js", "graph.js", "navigate.js",
                  "panel.js", "legend.js", "map.js", "controls.js", "export.js", "start.js")
_OWN = ("explorer.css",)
_DATA = ("countries-110m.json",)

_env = Environment(loader=PackageLoader("partnernet.visualisations", "templates"),
                   autoescape=select_autoescape(["html", "j2"]))


def asset_path(name: str) -> Path | None:
    """The file behind ``/explore/assets/{name}`` (only the listed names are served;
    ``explorer.js`` is not a file: :func:`explorer_script`)."""
    root = resources.files("partnernet.visualisations").joinpath("assets")
    if name in _OWN:
        path = root.joinpath("explorer", name)
    elif name in VENDOR_SCRIPTS or name in _DATA:
        path = root.joinpath("vendor", name)
    else:
        return None
    if not path.is_file():
        raise RuntimeError(f"the explorer's file {name} is missing from the package: build it "
                           "with tools/install.sh (runs tools/vendor_frontend.py)")
    return Path(str(path))


def _read(name: str) -> str:
    path = asset_path(name)
    assert path is not None
    return path.read_text("utf-8")


@lru_cache(maxsize=1)
def explorer_script() -> str:
    """``explorer.js``: the parts of :data:`EXPLORER_PARTS` joined inside one strict-mode
    function scope (what ``/explore/assets/explorer.js`` serves and static views inline)."""
    root = resources.files("partnernet.visualisations").joinpath("assets", "explorer")
    body = "\n".join(root.joinpath(name).read_text("utf-8") for name in EXPLORER_PARTS)
    return ("/* partnernet explorer: search, expand, filter, side panel, map, export.\n"
            " * Live mode asks the API for what it shows; static mode (an exported view) reads "
            "the data\n * embedded in the page. Every name from the data is put on the page as "
            "text\n * (textContent, SVG text nodes), never as markup.\n * Joined from "
            "partnernet/visualisations/assets/explorer/: " + ", ".join(EXPLORER_PARTS)
            + ". */\n(function () {\n\"use strict\";\n" + body + "})();\n")


def explorer_policy(nonce: str, *, static: bool = False) -> str:
    """The page's Content-Security-Policy. Scripts: the page's own files and its inline
    data (by nonce); styles may be set from script (vis-network does)."""
    if static:
        return ("default-src 'none'; script-src 'nonce-" + nonce + "'; style-src "
                "'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; "
                "base-uri 'none'; form-action 'none'")
    return ("default-src 'none'; script-src 'self' 'nonce-" + nonce + "'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' "
            "data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'self'")


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _shell() -> str:
    return _env.get_template("explorer_shell.html.j2").render()


def render_explorer(*, base: str = "") -> tuple[str, str]:
    """The live page (its data comes from the API under ``base``); ``(html, nonce)``."""
    nonce = secrets.token_urlsafe(16)
    config = {"mode": "live", "base": base, "palette": for_js(), "version": __version__}
    html = _env.get_template("explorer.html.j2").render(
        static=False, title="partnernet explorer", base=base, nonce=nonce,
        config_json=script_json(config), shell=_shell(),
        scripts=[*VENDOR_SCRIPTS, "explorer.js"])
    return html, nonce


def render_static(data: dict[str, Any], *, title: str) -> tuple[str, str]:
    """One self-contained HTML file showing ``data`` (``{"view": "graph"|"map",
    "graph": {"nodes", "edges"}, "map": ..., "notes": [...]}``) offline; ``(html, nonce)``."""
    nonce = secrets.token_urlsafe(16)
    config = {"mode": "static", "palette": for_js(), "data": data, "title": title,
              "version": __version__}
    scripts = [_read(n).replace("</script", "<\\/script") for n in VENDOR_SCRIPTS]
    scripts.append(explorer_script().replace("</script", "<\\/script"))
    world = _read("countries-110m.json").replace("<", "\\u003c") if data.get("map") else "{}"
    html = _env.get_template("explorer.html.j2").render(
        static=True, title=title, nonce=nonce, csp=explorer_policy(nonce, static=True),
        css=_read("explorer.css"), config_json=script_json(config), shell=_shell(),
        world_json=world, scripts=scripts)
    return html, nonce
