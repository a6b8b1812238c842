/* partnernet explorer, export: Export: PNG, SVG and one self-contained HTML file.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
// ---- export: PNG, SVG, self-contained HTML ----
function download(name, blob) {
  var a = document.createElement("a");
  a.href = URL.createObjectURL(blob); a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(function () { URL.revokeObjectURL(a.href); }, 5000);
}
function currentCanvas() { return state.v === "map" ? mapCanvas : $("pn-graph").querySelector("canvas"); }
function exportPNG() {
  var src = currentCanvas();
  var rows = state.v === "map" ? mapLegendRows() : legendRows();
  var out = document.createElement("canvas");
  var lh = 18, legendH = 26 + Math.ceil(rows.length / 3) * lh;
  out.width = src.width; out.height = src.height + legendH * (window.devicePixelRatio || 1);
  var ctx = out.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(src, 0, 0);
  var dpr = window.devicePixelRatio || 1;
  ctx.scale(dpr, dpr);
  var y0 = src.height / dpr + 8, colW = src.width / dpr / 3;
  ctx.font = "12px system-ui, sans-serif"; ctx.fillStyle = "#222"; ctx.textBaseline = "middle";
  ctx.fillText(caption(), 8, y0 + 4);
  rows.forEach(function (r, i) {
    var x = 8 + (i % 3) * colW, y = y0 + 22 + Math.floor(i / 3) * lh;
    ctx.fillStyle = r.color;
    if (r.dashed) { ctx.strokeStyle = r.color; ctx.lineWidth = 2; ctx.setLineDash([4, 3]); ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 14, y); ctx.stroke(); ctx.setLineDash([]); }
    else if (r.shape === "line") ctx.fillRect(x, y - 1, 14, 2); else { ctx.beginPath(); ctx.fill(new Path2D(shapePath(r.shape, x + 7, y, 6))); }
    ctx.fillStyle = "#222"; ctx.fillText(r.text + (r.count !== undefined ? " (" + r.count + ")" : ""), x + 20, y);
  });
  out.toBlob(function (b) {
    window.pnLastExport = {kind: "png", size: b.size, canvas: out};
    download("partnernet-" + state.v + ".png", b);
  });
}
function caption() {
  var text = document.title + " — " + new Date().toISOString().slice(0, 10);
  if (state.v === "map") text += " — places: GeoNames (CC BY 4.0); world outline: Natural Earth";
  return text;
}
var SVGNS = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs, text) {
  var e = document.createElementNS(SVGNS, tag);
  Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  if (text !== undefined) e.textContent = text;
  return e;
}
function exportSVG() {
  var r = currentCanvas().getBoundingClientRect(), W = Math.round(r.width), H = Math.round(r.height);
  var rows = state.v === "map" ? mapLegendRows() : legendRows();
  var legendH = 26 + Math.ceil(rows.length / 3) * 18;
  var svg = svgEl("svg", {xmlns: SVGNS, width: W, height: H + legendH, viewBox: "0 0 " + W + " " + (H + legendH), "font-family": "sans-serif"});
  svg.appendChild(svgEl("rect", {width: W, height: H + legendH, fill: "#fff"}));
  if (state.v === "map") svgMap(svg, W, H); else svgGraph(svg);
  svg.appendChild(svgEl("text", {x: 8, y: H + 14, "font-size": 12, fill: "#222"}, caption()));
  rows.forEach(function (row, i) {
    var x = 8 + (i % 3) * (W / 3), y = H + 34 + Math.floor(i / 3) * 18;
    if (row.dashed) svg.appendChild(svgEl("line", {x1: x, y1: y, x2: x + 14, y2: y, stroke: row.color, "stroke-width": 2, "stroke-dasharray": "4 3"}));
    else if (row.shape === "line") svg.appendChild(svgEl("rect", {x: x, y: y - 1, width: 14, height: 2, fill: row.color}));
    else svg.appendChild(svgEl("path", {d: shapePath(row.shape, x + 7, y, 6), fill: row.color}));
    svg.appendChild(svgEl("text", {x: x + 20, y: y + 4, "font-size": 11, fill: "#222"}, row.text + (row.count !== undefined ? " (" + row.count + ")" : "")));
  });
  var text = new XMLSerializer().serializeToString(svg);
  window.pnLastExport = {kind: "svg", size: text.length, text: text.length < 2e6 ? text : null};
  download("partnernet-" + state.v + ".svg", new Blob([text], {type: "image/svg+xml"}));
}
function svgGraph(svg) {
  var ids = visNodes.getIds({filter: function (o) { return !o.hidden; }});
  var pos = network.getPositions(ids);
  var dom = {};
  ids.forEach(function (id) { dom[id] = network.canvasToDOM(pos[id]); });
  var scale = network.getScale();
  visEdges.get({filter: function (o) { return !o.hidden; }}).forEach(function (e) {
    var a = dom[e.from], b = dom[e.to];
    if (!a || !b) return;
    var attrs = {x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1), stroke: e.color.color, "stroke-width": e.width, "stroke-opacity": 0.8};
    if (e.dashes) attrs["stroke-dasharray"] = "8 6";
    svg.appendChild(svgEl("line", attrs));
  });
  ids.forEach(function (id) {
    var n = nodes[id], p = dom[id];
    if (!n || !p) return;
    var path = svgEl("path", {d: shapePath(kindOf(n.label).shape === "dot" && n.label === "Group" ? "hexagon" : visNodes.get(id).shape, p.x, p.y, sizeOf(n) * scale), fill: colorOf(n), stroke: n.id === state.f ? "#000" : "#fff", "stroke-width": n.id === state.f ? 2 : 1});
    path.appendChild(svgEl("title", {}, n.name));
    svg.appendChild(path);
  });
  placedLabels.forEach(function (l) {
    var d = network.canvasToDOM({x: l.x, y: l.y});
    svg.appendChild(svgEl("text", {x: d.x.toFixed(1), y: (d.y + 10).toFixed(1), "text-anchor": "middle", "font-size": 12, fill: "#1a1a1a", stroke: "#fff", "stroke-width": 3, "paint-order": "stroke"}, l.text));
  });
}
function svgMap(svg, W, H) {
  var path = d3.geoPath(proj);
  svg.appendChild(svgEl("path", {d: path({type: "Sphere"}), fill: "#dfe9f3"}));
  svg.appendChild(svgEl("path", {d: path(world.land), fill: "#fbfbf8"}));
  svg.appendChild(svgEl("path", {d: path(world.borders), fill: "none", stroke: "#c9c9c0", "stroke-width": 0.5}));
  var ties = svgEl("g", {fill: "none", "stroke-width": 0.7});
  var alpha = Math.max(0.04, Math.min(0.5, 400 / (mapData.ties.length + 1)));
  var shown = 0;
  mapData.ties.forEach(function (t) {
    if (!mapVisible(t[0]) || !mapVisible(t[1]) || shown > 30000) return;
    var ss = mapData.bloc[t[0]] === "South" && mapData.bloc[t[1]] === "South";
    var d = path({type: "LineString", coordinates: [[mapData.lon[t[0]], mapData.lat[t[0]]], [mapData.lon[t[1]], mapData.lat[t[1]]]]});
    if (!d) return;
    shown++;
    ties.appendChild(svgEl("path", {d: d, stroke: ss ? P.blocs.South : "#46465a", "stroke-opacity": ss ? Math.min(0.8, alpha * 2) : alpha}));
  });
  svg.appendChild(ties);
  for (var i = 0; i < mapData.ids.length; i++) {
    var x = mapXY[2 * i], y = mapXY[2 * i + 1];
    if (!mapVisible(i) || !(x >= 0 && x <= W && y >= 0 && y <= H)) continue;
    svg.appendChild(svgEl("circle", {cx: x.toFixed(1), cy: y.toFixed(1), r: Math.min(1.3 + Math.sqrt(mapData.degree[i]) * 0.6, 9).toFixed(1), fill: mapColor(i)}));
  }
  mapLabels.forEach(function (l) {
    svg.appendChild(svgEl("text", {x: l.x.toFixed(1), y: (l.y + 4).toFixed(1), "font-size": 11, fill: "#1a1a1a", stroke: "#fff", "stroke-width": 3, "paint-order": "stroke"}, l.text));
  });
}
function snapshotData() {
  if (state.v === "map") return {view: "map", map: mapData, state: state, title: document.title};
  var ids = visNodes.getIds();
  var pos = network.getPositions(ids);
  return {view: "graph", title: document.title, state: state,
          graph: {nodes: ids.map(function (id) { return Object.assign({}, nodes[id], {x: Math.round(pos[id].x), y: Math.round(pos[id].y)}); }),
                  edges: Object.keys(edges).map(function (k) { return edges[k]; })}};
}
function scriptJSON(obj) {
  return JSON.stringify(obj).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
function exportHTML() {
  var names = ["vis-network.min.js", "d3-array.min.js", "d3-geo.min.js", "topojson-client.min.js", "explorer.js", "explorer.css", "countries-110m.json"];
  status("building the HTML file…");
  Promise.all(names.map(function (n) { return fetch(API + "/assets/" + n).then(function (r) { if (!r.ok) throw new Error("asset " + n + ": HTTP " + r.status); return r.text(); }); })).then(function (files) {
    var bytes = new Uint8Array(16); crypto.getRandomValues(bytes);
    var nonce = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    var cfg = {mode: "static", palette: P, data: snapshotData(), title: document.title};
    var csp = "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'";
    var shell = document.getElementById("pn-shell").textContent;
    var esc = function (s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); };
    var scripts = files.slice(0, 4).map(function (t) { return "<script nonce=\"" + nonce + "\">" + t.replace(/<\/script/gi, "<\\/script") + "</script>"; }).join("\n");
    var page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
      "<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp + "\">" +
      "<title>" + esc(document.title + " (exported " + new Date().toISOString().slice(0, 10) + ")") + "</title>" +
      "<style>" + files[5] + "</style></head><body>" + shell +
      "<script nonce=\"" + nonce + "\" id=\"pn-config\" type=\"application/json\">" + scriptJSON(cfg) + "</script>" +
      "<script nonce=\"" + nonce + "\" id=\"pn-world\" type=\"application/json\">" + files[6].replace(/</g, "\\u003c") + "</script>" +
      scripts + "<script nonce=\"" + nonce + "\">" + files[4].replace(/<\/script/gi, "<\\/script") + "</script></body></html>";
    window.pnLastExport = {kind: "html", size: page.length, text: page.length < 5e6 ? page : null};
    download("partnernet-" + state.v + ".html", new Blob([page], {type: "text/html"}));
    status("exported the view as one HTML file (" + Math.round(page.length / 1024) + " KB; opens offline)");
  }).catch(fail);
}
