/* partnernet explorer, controls: View switching, filter menus and search.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
// ---- view switching, filters, search ----
function switchView(v) {
  state.v = v;
  $("pn-graph").hidden = v !== "graph";
  $("pn-mapbox").hidden = v !== "map";
  $("pn-view-graph").setAttribute("aria-pressed", v === "graph");
  $("pn-view-map").setAttribute("aria-pressed", v === "map");
  writeHash();
  if (v === "map") return showMap();
  updateLegend();
  return Promise.resolve();
}
function fillSelect(id, values, key) {
  var s = $(id);
  values.forEach(function (v) {
    var o = el("option", v.name || v); o.value = v.id || v; s.appendChild(o);
  });
  s.value = state[key] || "";
  s.addEventListener("change", function () {
    state[key] = s.value; writeHash();
    if (state.v === "map") drawMap(); else redrawAll();
    updateLegend();
  });
}
function setupFilters() {
  var f = facets;
  fillSelect("pn-f-region", f.regions, "r");
  fillSelect("pn-f-bloc", f.blocs, "b");
  fillSelect("pn-f-kind", Object.keys(f.kinds), "k");
  fillSelect("pn-f-theme", f.themes, "t");
  fillSelect("pn-f-sdg", f.sdgs, "s");
  fillSelect("pn-f-network", f.networks, "n");
  ["y0", "y1"].forEach(function (k) {
    var i = $("pn-f-" + k);
    if (f.years) { i.min = f.years[0]; i.max = f.years[1]; i.placeholder = k === "y0" ? f.years[0] : f.years[1]; }
    i.value = state[k] || "";
    i.addEventListener("change", function () { state[k] = i.value; writeHash(); redrawAll(); });
  });
  var c = $("pn-color");
  c.value = state.c;
  c.addEventListener("change", function () { state.c = c.value; writeHash(); if (state.v === "map") drawMap(); redrawAll(); updateLegend(); });
}
var searchTimer = null, lastHits = [];
function setupSearch() {
  var box = $("pn-search"), list = $("pn-suggestions");
  box.addEventListener("input", function () {
    clearTimeout(searchTimer);
    var q = box.value.trim();
    if (!q) { list.textContent = ""; return; }
    searchTimer = setTimeout(function () { suggestFor(q); }, 150);
  });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); var q = box.value.trim(); if (q) suggestFor(q, true); }
  });
}
function suggestFor(q, go) {
  var list = $("pn-suggestions");
  var hits = LIVE ? getJSON("/search?limit=8&q=" + encodeURIComponent(q)) : Promise.resolve(staticSearch(q));
  return hits.then(function (r) {
    list.textContent = "";
    lastHits = r.data;
    if (!r.data.length) { list.appendChild(el("li", r.note || "no match", "pn-muted")); return; }
    r.data.forEach(function (h) {
      var li = el("li");
      var b = el("button", h.name, "pn-link"); b.type = "button";
      b.dataset.id = h.id;
      b.addEventListener("click", function () { list.textContent = ""; pick(h.id); });
      li.appendChild(b);
      li.appendChild(el("span", " " + [h.label, h.country].filter(Boolean).join(", "), "pn-muted"));
      list.appendChild(li);
    });
    if (go) { list.textContent = ""; pick(r.data[0].id); }
  }).catch(fail);
}
function fold(s) { return (s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
function staticSearch(q) {
  var k = fold(q);
  var data = Object.keys(nodes).map(function (id) { return nodes[id]; }).filter(function (n) { return fold(n.name).indexOf(k) >= 0; }).slice(0, 8)
    .map(function (n) { return {id: n.id, name: n.name, label: n.label, country: n.country}; });
  return {data: data, note: data.length ? null : "no node of this view matches"};
}
function pick(id) {
  if (!LIVE) {
    if (state.v === "map") { select(id); drawMap(); return; }
    network.selectNodes([id]); network.focus(id, {scale: 1.2, animation: false}); select(id); return;
  }
  if (state.v === "map" && mapData && mapIndex[id] !== undefined) { select(id); drawMap(); return; }
  switchView("graph");
  focus(id);
}
