/* partnernet explorer, start: Start-up (live and static) and the hooks used by tests and the benchmark.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
// ---- start ----
window.addEventListener("error", function (e) { window.pnErrors.push(String(e.message)); });
function start() {
  readHash();
  $("pn-view-graph").addEventListener("click", function () { switchView("graph"); if (!Object.keys(nodes).length) showAggregate("region"); });
  $("pn-view-map").addEventListener("click", function () { switchView("map"); });
  $("pn-overview").addEventListener("click", function () { switchView("graph"); showAggregate("region"); });
  $("pn-png").addEventListener("click", exportPNG);
  $("pn-svg").addEventListener("click", exportSVG);
  $("pn-html").addEventListener("click", exportHTML);
  $("pn-copy").addEventListener("click", function () { $("pn-share").select(); try { navigator.clipboard.writeText(location.href); } catch (e) { /* selection is enough */ } });
  setupSearch();
  if (!LIVE) return startStatic();
  // a shared link pasted into a tab already on the explorer changes only the part after
  // '#': the page is not reloaded, so open what the link says (writeHash uses
  // replaceState, which fires no hashchange: only the user's navigation gets here)
  window.addEventListener("hashchange", function () { location.reload(); });
  getJSON("/facets").then(function (f) { facets = f; setupFilters(); }).catch(fail);
  ensureNetwork();
  var go;
  if (state.f) {
    var toOpen = state.x.slice(), sel = state.sel;
    go = focus(state.f).then(function () {
      state.sel = sel;
      return toOpen.reduce(function (p, id) { return p.then(function () { return expand(id, true); }); }, Promise.resolve());
    });
  } else {
    go = showAggregate(state.agg || "region");
  }
  go.then(function () {
    if (state.v === "map") return switchView("map");
    if (state.sel && state.sel !== state.f) select(state.sel);
  });
  writeHash();
}
function startStatic() {
  $("pn-html").hidden = true;
  $("pn-overview").hidden = true;
  var d = CFG.data;
  ["pn-f-region", "pn-f-bloc", "pn-f-kind", "pn-f-theme", "pn-f-sdg", "pn-f-network"].forEach(function (id) { $(id).parentNode.hidden = true; });
  if (d.state) { Object.keys(state).forEach(function (k) { if (d.state[k] !== undefined) state[k] = d.state[k]; }); }
  if (CFG.title) document.title = CFG.title;
  if (d.notes && d.notes.length) status(d.notes.join("; "), "pn-capped");
  $("pn-color").value = state.c;
  $("pn-color").addEventListener("change", function () { state.c = $("pn-color").value; if (state.v === "map") drawMap(); else redrawAll(); updateLegend(); });
  if (!d.graph) $("pn-view-graph").hidden = true;
  if (!d.map) $("pn-view-map").hidden = true;
  if (d.graph) {
    ensureNetwork();
    d.graph.nodes.forEach(function (n) { nodes[n.id] = n; });
    var hasPos = d.graph.nodes.length && d.graph.nodes[0].x !== undefined;
    if (hasPos) network.setOptions({physics: {enabled: false}});
    visNodes.add(d.graph.nodes.map(visNode));
    d.graph.edges.forEach(function (e) { if (nodes[e.from] && nodes[e.to]) { edges[e.id] = e; if (e.type === "MISSING") missing[e.id] = true; } });
    visEdges.add(Object.keys(edges).map(function (k) { return visEdge(edges[k]); }));
    if (!hasPos) network.stabilize(200);
    network.fit();
    updateLegend(); updateCounts();
  }
  if (d.view === "map" || !d.graph) switchView("map"); else switchView("graph");
}
// for tests and the benchmark: the same actions as the buttons
window.pnApp = {focus: focus, expand: expand, collapse: collapse, select: select, state: state,
                switchView: switchView, showAggregate: showAggregate, exportSVG: exportSVG,
                exportPNG: exportPNG, exportHTML: exportHTML,
                nodeCount: function () { return Object.keys(nodes).length; },
                groupSize: function (members) { return sizeOf({label: "Group", members: members}); },
                shownCount: function () { return visNodes ? visNodes.get({filter: function (o) { return !o.hidden; }}).length : 0; }};
start();
