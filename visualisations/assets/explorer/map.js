/* partnernet explorer, map: The map: offline world outline (world-atlas), cities, partnerships as arcs.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
// ---- the map: offline world outline (world-atlas), cities, partnerships as arcs ----
var mapData = null, world = null, proj = null, mapXY = null, mapCanvas = null, mapIndex = {};
function mapNode(id) {
  var i = mapIndex[id];
  if (i === undefined) return null;
  return {id: id, name: mapData.names[i], label: mapData.labels[i], region: mapData.region[i], bloc: mapData.bloc[i], degree: mapData.degree[i], partnerships: mapData.degree[i]};
}
function loadWorld() {
  if (world) return Promise.resolve(world);
  var w = LIVE ? fetch(API + "/assets/countries-110m.json").then(function (r) { return r.json(); })
               : Promise.resolve(JSON.parse(document.getElementById("pn-world").textContent));
  return w.then(function (topo) {
    world = {land: topojson.feature(topo, topo.objects.land), borders: topojson.mesh(topo, topo.objects.countries, function (a, b) { return a !== b; })};
    return world;
  });
}
function showMap() {
  status("loading the map…");
  var t0 = performance.now();
  var data = mapData ? Promise.resolve(mapData) : (LIVE ? getJSON("/map" + (CFG.mapRegion ? "?region=" + encodeURIComponent(CFG.mapRegion) : "")) : Promise.resolve(CFG.data.map));
  return Promise.all([data, loadWorld()]).then(function (res) {
    mapData = res[0];
    mapIndex = {};
    mapData.ids.forEach(function (id, i) { mapIndex[id] = i; });
    var t1 = performance.now();
    setupMap();
    drawMap();
    window.pnTimings = Object.assign(window.pnTimings || {}, {mapFetch: t1 - t0, mapDraw: performance.now() - t1, mapTotal: performance.now() - t0});
    status((mapData.shown || 0).toLocaleString("en") + " cities and " + mapData.ties.length.toLocaleString("en") + " partnerships on the map" + (mapData.note ? "; " + mapData.note : ""), mapData.note ? "pn-capped" : "");
    updateLegend();
    window.pnMapReady = true;
  }).catch(fail);
}
function setupMap() {
  if (mapCanvas) return;
  mapCanvas = $("pn-map");
  var box = mapCanvas.parentNode.getBoundingClientRect();
  var dpr = window.devicePixelRatio || 1;
  mapCanvas.width = box.width * dpr; mapCanvas.height = box.height * dpr;
  mapCanvas.style.width = box.width + "px"; mapCanvas.style.height = box.height + "px";
  proj = d3.geoNaturalEarth1().fitExtent([[10, 10], [box.width - 10, box.height - 10]], {type: "Sphere"});
  var drag = null;
  mapCanvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var k = ev.deltaY < 0 ? 1.4 : 1 / 1.4;
    var r = mapCanvas.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top;
    var t = proj.translate(), s = proj.scale();
    proj.scale(s * k).translate([mx - (mx - t[0]) * k, my - (my - t[1]) * k]);
    schedule();
  }, {passive: false});
  mapCanvas.addEventListener("mousedown", function (ev) { drag = {x: ev.clientX, y: ev.clientY, t: proj.translate(), moved: false}; });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    proj.translate([drag.t[0] + dx, drag.t[1] + dy]); schedule();
  });
  window.addEventListener("mouseup", function (ev) {
    if (drag && !drag.moved) mapClick(ev);
    drag = null;
  });
}
var pending = false;
function schedule() { if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; drawMap(); }); } }
function mapVisible(i) {
  if (state.r && mapData.region[i] !== state.r) return false;
  if (state.b && mapData.bloc[i] !== state.b) return false;
  return true;
}
function mapColor(i) {
  if (state.c === "bloc") return P.blocs[mapData.bloc[i]] || P.unknown;
  if (state.c === "kind") return mapData.labels[i] === "Partner" ? P.kinds.Partner.color : (P.regions[mapData.region[i]] || P.unknown);
  return P.regions[mapData.region[i]] || P.unknown;
}
function drawMap() {
  var ctx = mapCanvas.getContext("2d"), dpr = window.devicePixelRatio || 1;
  var W = mapCanvas.width / dpr, H = mapCanvas.height / dpr;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = "#f3f6fa"; ctx.fillRect(0, 0, W, H);
  var path = d3.geoPath(proj, ctx);
  ctx.beginPath(); path({type: "Sphere"}); ctx.fillStyle = "#dfe9f3"; ctx.fill();
  ctx.beginPath(); path(world.land); ctx.fillStyle = "#fbfbf8"; ctx.fill();
  ctx.strokeStyle = "#c9c9c0"; ctx.lineWidth = 0.5; ctx.beginPath(); path(world.borders); ctx.stroke();
  var n = mapData.ids.length;
  mapXY = new Float32Array(n * 2);
  for (var i = 0; i < n; i++) {
    var p = proj([mapData.lon[i], mapData.lat[i]]);
    mapXY[2 * i] = p ? p[0] : NaN; mapXY[2 * i + 1] = p ? p[1] : NaN;
  }
  var kindIx = state.k ? mapData.kinds.map(function (k) { return k.split(", ").indexOf(state.k) >= 0; }) : null;
  var groups = {ss: [], other: []};
  mapData.ties.forEach(function (t) {
    if (kindIx && !kindIx[t[2]]) return;
    if (!mapVisible(t[0]) || !mapVisible(t[1])) return;
    (mapData.bloc[t[0]] === "South" && mapData.bloc[t[1]] === "South" ? groups.ss : groups.other).push(t);
  });
  var alpha = Math.max(0.04, Math.min(0.5, 400 / (mapData.ties.length + 1)));
  [["other", "rgba(70,70,90," + alpha + ")"], ["ss", hexA(P.blocs.South, Math.min(0.8, alpha * 2))]].forEach(function (g) {
    ctx.beginPath();
    groups[g[0]].forEach(function (t) {
      path({type: "LineString", coordinates: [[mapData.lon[t[0]], mapData.lat[t[0]]], [mapData.lon[t[1]], mapData.lat[t[1]]]]});
    });
    ctx.strokeStyle = g[1]; ctx.lineWidth = 0.7; ctx.stroke();
  });
  var order = [];
  for (i = 0; i < n; i++) if (mapVisible(i)) order.push(i);
  order.sort(function (a, b) { return mapData.degree[a] - mapData.degree[b]; });
  order.forEach(function (i) {
    var x = mapXY[2 * i], y = mapXY[2 * i + 1];
    if (!(x >= -5 && x <= W + 5 && y >= -5 && y <= H + 5)) return;
    var r = 1.3 + Math.sqrt(mapData.degree[i]) * 0.6;
    ctx.beginPath(); ctx.arc(x, y, Math.min(r, 9), 0, 2 * Math.PI);
    ctx.fillStyle = mapColor(i); ctx.fill();
    if (mapData.ids[i] === state.sel) { ctx.lineWidth = 2; ctx.strokeStyle = "#000"; ctx.stroke(); }
  });
  // labels: the cities with most partnerships first, none over another
  var boxes = [], placed = [];
  ctx.font = "11px system-ui, sans-serif"; ctx.textBaseline = "middle"; ctx.lineJoin = "round";
  var byDeg = order.slice().reverse();
  var cell = 40, grid = {};
  var sel = state.sel !== null && mapIndex[state.sel] !== undefined ? [mapIndex[state.sel]] : [];
  sel.concat(byDeg).some(function (i) {
    if (placed.length >= 160) return true;
    var x = mapXY[2 * i], y = mapXY[2 * i + 1];
    if (!(x >= 0 && x <= W && y >= 0 && y <= H)) return false;
    var text = mapData.names[i];
    var w = ctx.measureText(text).width;
    var b = {x0: x + 4, x1: x + 8 + w, y0: y - 7, y1: y + 7};
    if (b.x1 > W) { b.x0 = x - 8 - w; b.x1 = x - 4; }
    var gx0 = Math.floor(b.x0 / cell), gx1 = Math.floor(b.x1 / cell), gy0 = Math.floor(b.y0 / cell), gy1 = Math.floor(b.y1 / cell);
    for (var gx = gx0; gx <= gx1; gx++) for (var gy = gy0; gy <= gy1; gy++) {
      var list = grid[gx + ":" + gy] || [];
      for (var j = 0; j < list.length; j++) { var o = list[j]; if (b.x0 < o.x1 && b.x1 > o.x0 && b.y0 < o.y1 && b.y1 > o.y0) return false; }
    }
    for (gx = gx0; gx <= gx1; gx++) for (gy = gy0; gy <= gy1; gy++) (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(b);
    boxes.push(b);
    placed.push({text: text, x: b.x0 + 2, y: y});
    return false;
  });
  placed.forEach(function (l) {
    ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.strokeText(l.text, l.x, l.y);
    ctx.fillStyle = "#1a1a1a"; ctx.fillText(l.text, l.x, l.y);
  });
  mapLabels = placed;
  window.pnMapLabels = placed.length;
  var unused = [["t", "theme"], ["s", "SDG"], ["n", "network"], ["y0", "period"], ["y1", "period"]]
    .filter(function (f) { return state[f[0]]; }).map(function (f) { return f[1]; });
  $("pn-counts").textContent = unused.length
    ? "The map filters by region, South/North and partnership kind; the " + unused.filter(function (x, i, a) { return a.indexOf(x) === i; }).join(", ") + " filter applies in the graph view."
    : order.length.toLocaleString("en") + " cities drawn";
}
var mapLabels = [];
function hexA(hex, a) {
  var v = parseInt(hex.slice(1), 16);
  return "rgba(" + (v >> 16 & 255) + "," + (v >> 8 & 255) + "," + (v & 255) + "," + a + ")";
}
function mapClick(ev) {
  if (!mapXY) return;
  var r = mapCanvas.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top;
  if (mx < 0 || my < 0 || mx > r.width || my > r.height) return;
  var best = -1, bd = 64;
  for (var i = 0; i < mapData.ids.length; i++) {
    if (!mapVisible(i)) continue;
    var dx = mapXY[2 * i] - mx, dy = mapXY[2 * i + 1] - my, d = dx * dx + dy * dy;
    if (d < bd) { bd = d; best = i; }
  }
  if (best >= 0) { select(mapData.ids[best]); drawMap(); }
}
function mapLegendRows() {
  if (!mapData) return [];
  var rows = {}, out = [];
  for (var i = 0; i < mapData.ids.length; i++) {
    var key = state.c === "bloc" ? mapData.bloc[i] : (state.c === "kind" && mapData.labels[i] === "Partner" ? "partners" : mapData.region[i]);
    if (!rows[key]) { rows[key] = {shape: "dot", color: mapColor(i), text: key, count: 0}; out.push(rows[key]); }
    rows[key].count++;
  }
  out.sort(function (a, b) { return b.count - a.count; });
  out.push({shape: null, color: P.blocs.South, text: "South-South partnership", dashed: false, line: true});
  out[out.length - 1].shape = "line";
  return out;
}
