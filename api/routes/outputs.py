"""Views, reports, exports and uploads."""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, Query, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from partnernet.api import compute as jobs
from partnernet.api.answers import computed
from partnernet.api.deps import (
    CacheDep,
    ComputeDep,
    LimitsDep,
    ReadAuth,
    SettingsDep,
    StoreDep,
    WriteAuth,
)
from partnernet.api.docs import page_headers
from partnernet.api.errors import NotFound
from partnernet.api.limits import reserved
from partnernet.api.models import WriteResult
from partnernet.api.routes.nodes import suggestions
from partnernet.visualisations.report import REPORT_POLICY
from partnernet.visualisations.views import COLOR_BY, SIZE_BY, csp_header
from partnernet.vocabulary import REGIONS

router = APIRouter(tags=["views, reports and exports"])

ColorBy = Annotated[Literal[COLOR_BY], Query(description="Colour nodes by")]  # type: ignore[valid-type]
SizeBy = Annotated[Literal[SIZE_BY], Query(description="Size nodes by")]  # type: ignore[valid-type]


def _page(body: str, nonce: str) -> HTMLResponse:
    return HTMLResponse(body, headers=page_headers(csp_header(nonce)))


@router.get("/views", response_class=HTMLResponse, summary="Index of views",
            dependencies=[ReadAuth])
def views_index() -> HTMLResponse:
    """Links to the interactive views."""
    import secrets

    nonce = secrets.token_urlsafe(8)
    links = [("/views/network", "Whole partnership network, coloured by region"),
             ("/views/network?color_by=bloc&size_by=betweenness",
              "South/North, sized by betweenness"),
             ("/explore", "The explorer: search, expand, filter, map, export"),
             ("/views/ego/city:br:maringa?depth=2", "Ego network of Maringá"),
             ("/views/corridor?a=Africa&b=Latin%20America%20and%20the%20Caribbean",
              "Corridor Africa - Latin America and the Caribbean"),
             ("/reports/network.html", "Network report (HTML)")]
    items = "".join(f'<li><a href="{html.escape(u)}">{html.escape(t)}</a></li>'
                    for u, t in links)
    return _page(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>partnernet "
                 f"views</title></head><body><h1>partnernet views</h1><ul>{items}</ul>"
                 "</body></html>", nonce)


async def _view(store, cache, settings, limits, compute, **kw) -> HTMLResponse:
    """A view, built and rendered once per graph and arguments (in the computation
    process); each answer gets a fresh nonce for its scripts."""
    import secrets

    definition = settings.south_definition
    key = ("view-page", definition, tuple(sorted(kw.items())))
    page = await computed(cache, limits, compute, key, jobs.view_page, definition, kw)
    if page is None:
        focus = kw.get("focus", "")
        raise NotFound(f"node {focus!r}", suggestions(store, str(focus)))
    body, nonce = page
    fresh = secrets.token_urlsafe(16)
    return _page(body.replace(nonce, fresh), fresh)


@router.get("/views/network", response_class=HTMLResponse, summary="Whole network view",
            dependencies=[ReadAuth])
async def view_network(store: StoreDep, cache: CacheDep, settings: SettingsDep,
                       limits: LimitsDep, compute: ComputeDep, color_by: ColorBy = "region",
                       size_by: SizeBy = "degree") -> HTMLResponse:
    """Interactive view of the whole partnership network (offline, self-contained)."""
    return await _view(store, cache, settings, limits, compute, color_by=color_by,
                       size_by=size_by)


@router.get("/views/ego/{node_id:path}", response_class=HTMLResponse,
            summary="Ego network view", dependencies=[ReadAuth],
            responses={404: {"description": "Unknown id"}})
async def view_ego(node_id: str, store: StoreDep, cache: CacheDep, settings: SettingsDep,
                   limits: LimitsDep, compute: ComputeDep,
                   depth: Annotated[int, Query(ge=1, le=4)] = 2, color_by: ColorBy = "region",
                   size_by: SizeBy = "degree") -> HTMLResponse:
    """A node and its partners up to ``depth`` steps."""
    return await _view(store, cache, settings, limits, compute, focus=node_id, depth=depth,
                       color_by=color_by, size_by=size_by)


@router.get("/views/corridor", response_class=HTMLResponse, summary="Corridor view",
            dependencies=[ReadAuth])
async def view_corridor(store: StoreDep, cache: CacheDep, settings: SettingsDep,
                        limits: LimitsDep, compute: ComputeDep,
                        a: Annotated[Literal[REGIONS], Query(description="A region")],  # type: ignore[valid-type]
                        b: Annotated[Literal[REGIONS], Query(description="Another region")],  # type: ignore[valid-type]
                        color_by: ColorBy = "region",
                        size_by: SizeBy = "degree") -> HTMLResponse:
    """Partnerships between two regions."""
    return await _view(store, cache, settings, limits, compute, corridor=(a, b),
                       color_by=color_by, size_by=size_by)


@router.get("/reports/network.{fmt}", summary="Network report",
            dependencies=[ReadAuth, reserved(pivots=None)], response_class=Response,
            responses={200: {"content": {"text/html": {}, "text/markdown": {},
                                         "application/pdf": {}}}})
async def report(fmt: Literal["html", "md", "xlsx", "pdf"], cache: CacheDep,
                 settings: SettingsDep, limits: LimitsDep, compute: ComputeDep,
                 seeker: Annotated[str | None, Query(max_length=300, description=(
                     "Add recommended partners for this city"))] = None,
                 pivots: Annotated[int | None, Query(ge=2, le=100_000, description=(
                     "Sample betweenness from this many pivots. Other values than the "
                     "default need the API token."))] = None) -> Response:
    """The exported network report as HTML, Markdown, XLSX or PDF."""
    definition = settings.south_definition
    key = ("report-file", fmt, definition, seeker, pivots)
    body, media = await computed(cache, limits, compute, key, jobs.report_file, fmt,
                                 definition, seeker, pivots)
    headers = {"Content-Disposition": f'attachment; filename="partnernet-report.{fmt}"'}
    if fmt == "html":
        # the report has no script: nothing may run, whatever its text holds
        headers.update(page_headers(REPORT_POLICY))
    return Response(body, media_type=media, headers=headers)


@router.get("/exports/{fmt}", summary="Export the graph", dependencies=[ReadAuth],
            response_class=Response)
async def export(fmt: Literal["graphml", "gexf", "gephi-csv", "json"], cache: CacheDep,
                 limits: LimitsDep, compute: ComputeDep) -> Response:
    """GraphML, GEXF, Gephi CSV (a ZIP of nodes.csv and edges.csv) or JSON; each loads back
    unchanged through ``POST /loads`` (the ZIP too)."""
    data, media, name = await computed(cache, limits, compute, ("export-file", fmt),
                                       jobs.export_file, fmt)
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/loads", response_model=WriteResult, dependencies=[WriteAuth],
             summary="Upload a file to load (token needed)",
             responses={401: {"description": "Missing or wrong token"},
                        413: {"description": "File too large"},
                        422: {"description": "Rows refused, with file, row and column"}})
async def upload(store: StoreDep, cache: CacheDep, settings: SettingsDep, limits: LimitsDep,
                 file: Annotated[UploadFile, File(description="CSV, XLSX, JSON, GraphML...")],
                 format: Annotated[Literal["canonical", "gephi", "kumu", "graphml", "gexf",
                                           "pairs", "edges", "members",
                                           "metropolis-action-plan"] | None,
                                   Form()] = None,
                 dry_run: Annotated[bool, Form()] = False,
                 unknown_countries: Annotated[Literal["error", "warn"], Form(description=(
                     "error: an unknown country refuses the load, naming row and column; "
                     "warn: those places load without a country and the answer's notes "
                     "list every such value (the CLI's --unknown-countries)"))] = "error",
                 ) -> WriteResult:
    """Load one file: all rows or none; re-loading it changes nothing. Reading stops at
    the first cap passed (size, inflated size, rows, cells, value length, nesting: the
    ``PARTNERNET_LOAD_MAX_*`` settings), with a 422 naming it."""
    from partnernet.loaders.load import load_files

    limit = settings.upload_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(status_code=413, detail=f"file larger than {limit} bytes")
    # only the last part of the client's name, in safe characters: it names the file in
    # error messages and can never point outside the temporary directory
    name = re.sub(r"[^\w.-]", "_", Path((file.filename or "").replace("\\", "/")).name)
    name = name.lstrip(".")[-100:] or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".tsv", ".txt", ".xlsx", ".json", ".graphml", ".gexf", ".zip"):
        raise HTTPException(status_code=422, detail=f"unsupported file type {suffix!r}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        # a load takes seconds: in the thread pool, not on the event loop, one at a time
        async with limits.loads.slot():
            result = await run_in_threadpool(load_files, store, [path], fmt=format,
                                             dry_run=dry_run, caps=settings.load_caps(),
                                             unknown_countries=unknown_countries)
    if not dry_run:
        cache.invalidate()
    notes = list(result.plan.notes)
    shown = notes[:50] + ([f"... and {len(notes) - 50} more"] if len(notes) > 50 else [])
    return WriteResult(**result.summary.as_dict(), notes=shown)
