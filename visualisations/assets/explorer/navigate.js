/* partnernet explorer, navigate: Aggregate (regions, countries, members), focus, expand and collapse.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
// ---- aggregate: regions -> countries -> members ----
function showAggregate(spec) {
  ensureNetwork();
  clearGraph();
  state.f = null; state.x = [];
  state.agg = spec || "region";
  var parts = state.agg.split(":");
  var path;
  if (parts[0] === "region") path = "/aggregate?by=region";
  else if (parts[0] === "countries") path = "/aggregate?by=country&in_region=" + encodeURIComponent(parts.slice(1).join(":"));
  else path = "/members?by=country&group=" + encodeURIComponent(parts.slice(1).join(":"));
  status("loading the whole network, aggregated…");
  var t0 = performance.now();
  return load(path).then(function (data) {
    aggregateMode = state.agg;
    addData(data, null);
    breadcrumb();
    status(data.note || "", data.capped ? "pn-capped" : "");
    window.pnTimings = {aggregate: performance.now() - t0};
    writeHash();
    network.once("afterDrawing", function () { network.fit(); });
  }).catch(fail);
}
function openGroup(n) {
  if (n.by === "region") showAggregate("countries:" + n.key);
  else showAggregate("members:" + n.key);
}
function breadcrumb() {
  var b = $("pn-crumbs");
  b.textContent = "";
  var link = function (text, spec) {
    var a = el("button", text, "pn-link");
    a.type = "button";
    a.addEventListener("click", function () { showAggregate(spec); });
    b.appendChild(a);
  };
  if (!aggregateMode) return;
  link("All regions", "region");
  var parts = aggregateMode.split(":");
  if (parts[0] === "countries") { b.appendChild(el("span", " › " + parts.slice(1).join(":"))); }
  if (parts[0] === "members") {
    var some = Object.keys(nodes).map(function (k) { return nodes[k]; })[0];
    if (some && some.region) { b.appendChild(el("span", " › ")); link(some.region, "countries:" + some.region); }
    b.appendChild(el("span", " › " + parts.slice(1).join(":")));
  }
}

// ---- focus, expand, collapse ----
function limit() { return +$("pn-limit").value || 100; }
function focus(id) {
  ensureNetwork();
  clearGraph();
  aggregateMode = null;
  state.agg = ""; state.f = id; state.x = []; state.sel = id;
  $("pn-crumbs").textContent = "";
  return expand(id, true).then(function () { select(id); });
}
function expand(id, quiet) {
  if (expanded[id]) return Promise.resolve();
  status("loading the neighbours of " + (nodes[id] ? nodes[id].name : id) + "…");
  var t0 = performance.now();
  return load("/neighbourhood/" + encodeURIComponent(id).replace(/%3A/g, ":") + "?limit=" + limit()).then(function (data) {
    expanded[id] = true;
    if (state.x.indexOf(id) < 0 && id !== state.f) state.x.push(id);
    addData(data, id);
    window.pnTimings = Object.assign(window.pnTimings || {}, {expand: performance.now() - t0});
    status(data.note || (data.shown + " neighbours of " + (nodes[id] || {}).name), data.capped ? "pn-capped" : "");
    writeHash();
  }).catch(fail);
}
function collapse(id) {
  var gone = {};
  (addedBy[id] || []).forEach(function (c) {
    var owned = Object.keys(addedBy).some(function (o) { return o !== id && (addedBy[o] || []).indexOf(c) >= 0; });
    if (!owned && c !== state.f && !expanded[c]) gone[c] = true;
  });
  delete expanded[id]; delete addedBy[id];
  state.x = state.x.filter(function (x) { return x !== id; });
  Object.keys(edges).forEach(function (k) {
    var e = edges[k];
    if (gone[e.from] || gone[e.to]) { delete edges[k]; visEdges.remove(k); }
  });
  Object.keys(gone).forEach(function (c) { delete nodes[c]; visNodes.remove(c); });
  updateLegend(); updateCounts(); writeHash();
}
function toggleExpand(id) { return expanded[id] ? (collapse(id), Promise.resolve()) : expand(id); }
function load(path) {
  if (LIVE) return getJSON(path);
  return Promise.reject(new Error("this exported view holds only what was on screen; open the live explorer to load more"));
}
function fail(err) {
  status(String(err.message || err), "pn-error");
}
