/* partnernet explorer, legend: Legend, counts and the shapes shared by the legend and the SVG export.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
// ---- legend and counts ----
function swatch(shape, color, dashed) {
  var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
  if (dashed || shape === "line") {
    var l = document.createElementNS(svg.namespaceURI, "line");
    l.setAttribute("x1", "0"); l.setAttribute("y1", "8"); l.setAttribute("x2", "16"); l.setAttribute("y2", "8");
    l.setAttribute("stroke", color); l.setAttribute("stroke-width", "2"); if (dashed) l.setAttribute("stroke-dasharray", "4 3");
    svg.appendChild(l);
  } else {
    var p = document.createElementNS(svg.namespaceURI, "path");
    p.setAttribute("d", shapePath(shape, 8, 8, 6)); p.setAttribute("fill", color);
    svg.appendChild(p);
  }
  return svg;
}
function legendRows() {
  var rows = [], seen = {};
  Object.keys(nodes).forEach(function (id) {
    var n = nodes[id];
    var key, color, shape = kindOf(n.label).shape, text;
    if (n.label === "Group") { key = "g:" + n.region; color = colorOf(n); text = n.by === "region" ? n.name : "countries of " + (n.region || "Unknown"); shape = "hexagon"; }
    else if ((state.c === "region" || state.c === "bloc") && actor(n)) {
      var g = state.c === "region" ? (n.region || "Unknown") : (n.bloc || "Unclassified");
      key = "a:" + n.label + ":" + g; color = colorOf(n); text = n.label + ", " + g;
    } else { key = "k:" + n.label; color = kindOf(n.label).color; text = kindOf(n.label).plural; }
    if (!seen[key]) { seen[key] = {shape: shape, color: color, text: text, count: 0}; rows.push(seen[key]); }
    // a group (region or country super-node) counts its members, not itself
    seen[key].count += n.label === "Group" && n.members ? n.members : 1;
  });
  rows.sort(function (a, b) { return b.count - a.count; });
  if (Object.keys(missing).length) rows.push({shape: null, color: P.missing, dashed: true, text: "missing South-South link (suggested)"});
  return rows;
}
function updateLegend() {
  var box = $("pn-legend");
  box.textContent = "";
  var rows = state.v === "map" ? mapLegendRows() : legendRows();
  rows.forEach(function (r) {
    var row = el("div", null, "pn-legend-row");
    row.appendChild(swatch(r.shape, r.color, r.dashed));
    row.appendChild(el("span", r.text + (r.count !== undefined ? " (" + r.count.toLocaleString("en") + ")" : "")));
    box.appendChild(row);
  });
}
function updateCounts() {
  if (!visNodes) return;
  var shown = visNodes.get({filter: function (o) { return !o.hidden; }}).length;
  $("pn-counts").textContent = shown + " of " + Object.keys(nodes).length + " nodes shown, " + Object.keys(edges).length + " ties loaded";
}

// ---- shapes shared by the legend and the SVG export ----
function shapePath(shape, x, y, r) {
  var pts = function (list) { return "M" + list.map(function (p) { return (x + p[0] * r).toFixed(1) + "," + (y + p[1] * r).toFixed(1); }).join("L") + "Z"; };
  switch (shape) {
    case "square": return pts([[-1, -1], [1, -1], [1, 1], [-1, 1]]);
    case "triangle": return pts([[0, -1.15], [1.1, 0.8], [-1.1, 0.8]]);
    case "triangleDown": return pts([[0, 1.15], [1.1, -0.8], [-1.1, -0.8]]);
    case "diamond": return pts([[0, -1.25], [1.25, 0], [0, 1.25], [-1.25, 0]]);
    case "hexagon": return pts([0, 1, 2, 3, 4, 5].map(function (i) { var a = Math.PI / 3 * i; return [Math.cos(a), Math.sin(a)]; }));
    case "star": return pts([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(function (i) { var a = -Math.PI / 2 + Math.PI / 5 * i, k = i % 2 ? 0.45 : 1.2; return [k * Math.cos(a), k * Math.sin(a)]; }));
    default: return "M" + (x - r) + "," + y + "a" + r + "," + r + " 0 1,0 " + 2 * r + ",0a" + r + "," + r + " 0 1,0 " + (-2 * r) + ",0Z";
  }
}
