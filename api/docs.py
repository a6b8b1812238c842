"""Offline API documentation: Swagger UI 5 at ``/docs`` and ReDoc at ``/redoc``.

Both read FastAPI's OpenAPI 3.1 schema. Their files come from the npm registry
(swagger-ui-dist, redoc; pinned in ``frontend/package-lock.json``) and are vendored into
``partnernet/api/static/docs`` when the wheel is built (``tools/vendor_frontend.py``), so
nothing is loaded from a CDN. Each page carries a Content-Security-Policy with a fresh
nonce for its one inline script.
"""

from __future__ import annotations

import html
import secrets
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["install_docs", "page_headers"]

ASSETS = "/docs-assets"


def page_headers(policy: str) -> dict[str, str]:
    """Headers of every HTML answer: the CSP and the usual hardening headers."""
    return {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer"}


def _policy(nonce: str, *, workers: bool = False) -> str:
    # Swagger UI and ReDoc set element styles from script (style-src 'unsafe-inline');
    # ReDoc searches in a web worker it creates from a blob: URL.
    return ("default-src 'none'; script-src 'self' 'nonce-" + nonce + "'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'self'" + ("; worker-src blob:" if workers else ""))


def _static_dir() -> str:
    folder = resources.files("partnernet.api").joinpath("static/docs")
    if not folder.joinpath("swagger-ui-bundle.js").is_file():
        raise RuntimeError("the API documentation files are missing from the package: "
                           "build it with tools/install.sh (runs tools/vendor_frontend.py)")
    return str(folder)


def install_docs(app: FastAPI, *, title: str) -> None:
    """Mount the vendored assets and add ``/docs`` and ``/redoc``."""
    app.mount(ASSETS, StaticFiles(directory=_static_dir()), name="docs-assets")
    esc = html.escape(title)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc} - Swagger UI</title>
<link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png">
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script nonce="{nonce}">
window.ui = SwaggerUIBundle({{url: "/openapi.json", dom_id: "#swagger-ui",
  deepLinking: true, layout: "BaseLayout", docExpansion: "list",
  presets: [SwaggerUIBundle.presets.apis], validatorUrl: null,
  onComplete: function () {{ window.pnDocsReady = true; }}}});
</script></body></html>"""
        return HTMLResponse(body, headers=page_headers(_policy(nonce)))

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc} - ReDoc</title>
<link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png"></head>
<body><div id="redoc"></div>
<script src="{ASSETS}/redoc.standalone.js"></script>
<script nonce="{nonce}">
Redoc.init("/openapi.json", {{hideDownloadButton: false, disableSearch: false}},
  document.getElementById("redoc"), function () {{ window.pnDocsReady = true; }});
</script></body></html>"""
        return HTMLResponse(body, headers=page_headers(_policy(nonce, workers=True)))
