/* partnernet explorer, graph: The graph: vis-network nodes and ties, non-overlapping labels, adding and clearing data.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
// ---- graph drawing (vis-network; labels placed by partnernet so they never overlap) ----
function tooltip(n) {
  var box = el("div", null, "pn-tip");
  box.appendChild(el("b", n.name));
  box.appendChild(el("div", [n.label, n.country, n.region].filter(Boolean).join(" · ")));
  if (n.label === "Group") box.appendChild(el("div", n.members + " members; " + n.internal + " partnerships inside; click to open"));
  return box;
}
function visNode(n) {
  var k = kindOf(n.label), color = colorOf(n);
  var o = {id: n.id, shape: k.shape, size: sizeOf(n), label: undefined, title: tooltip(n),
           color: {background: color, border: n.id === state.f ? "#000" : "#ffffff",
                   highlight: {background: color, border: "#000"}},
           borderWidth: n.id === state.f ? 3 : 1.5, hidden: !nodePasses(n)};
  if (n.x !== undefined) { o.x = n.x; o.y = n.y; }
  return o;
}
function visEdge(e) {
  var width = e.type === "AGGREGATE" ? 1 + Math.min(10, Math.log(1 + e.weight) * 1.6) : (e.type === "PARTNERS_WITH" ? 1.6 : 1);
  var o = {id: e.id, from: e.from, to: e.to, color: {color: tieColor(e), opacity: e.type === "AGGREGATE" ? 0.6 : 0.85},
           width: width, dashes: e.type === "MISSING" ? [8, 6] : false,
           hidden: !edgePasses(e) || !(nodes[e.from] && nodes[e.to] && nodePasses(nodes[e.from]) && nodePasses(nodes[e.to]))};
  // aggregated ties are few and carry their count: longer springs leave room for it
  if (e.type === "AGGREGATE") { o.label = String(e.weight); o.font = {size: 11, color: "#333", strokeWidth: 3}; o.length = 240; }
  if (e.type === "MISSING") {
    var t = el("div", null, "pn-tip");
    t.appendChild(el("b", "missing South-South link"));
    (e.reasons || []).forEach(function (r) { t.appendChild(el("div", r)); });
    o.title = t;
  } else if (e.type !== "AGGREGATE") {
    o.title = el("div", [e.type, e.kind, e.since].filter(Boolean).join(" · "), "pn-tip");
  }
  return o;
}
function ensureNetwork() {
  if (network) return;
  visNodes = new vis.DataSet();
  visEdges = new vis.DataSet();
  network = new vis.Network($("pn-graph"), {nodes: visNodes, edges: visEdges}, {
    autoResize: true,
    interaction: {hover: true, tooltipDelay: 150, multiselect: false},
    nodes: {font: {size: 0}},
    edges: {smooth: false, selectionWidth: 1.5},
    physics: {solver: "forceAtlas2Based", stabilization: {iterations: 180, fit: true},
              forceAtlas2Based: {gravitationalConstant: -60, springLength: 90, avoidOverlap: 1}},
    layout: {improvedLayout: false, randomSeed: 7}
  });
  window.pnNetwork = network;
  network.on("afterDrawing", drawLabels);
  network.on("stabilizationIterationsDone", function () { network.setOptions({physics: {enabled: false}}); });
  network.on("click", function (p) {
    if (!p.nodes.length) return;
    var id = p.nodes[0], n = nodes[id];
    if (!n) return;
    if (n.label === "Group") { openGroup(n); return; }
    select(id);
  });
  network.on("doubleClick", function (p) {
    if (p.nodes.length && nodes[p.nodes[0]] && nodes[p.nodes[0]].label !== "Group") toggleExpand(p.nodes[0]);
  });
}
function labelPriority(n) {
  if (n.id === state.f) return 1e9;
  if (n.id === state.sel) return 1e8;
  if (expanded[n.id]) return 1e7;
  if (n.label === "Group") return 1e6 + (n.members || 0);
  return (actor(n) ? 0 : 1e5) + (n.degree || 0);
}
function drawLabels(ctx) {
  var ids = visNodes.getIds({filter: function (o) { return !o.hidden; }});
  var pos = network.getPositions(ids);
  var scale = network.getScale();
  var fontPx = 12;
  ctx.save();
  ctx.font = (fontPx / scale) + "px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.lineJoin = "round";
  var list = ids.map(function (id) { return nodes[id]; }).filter(Boolean);
  list.sort(function (a, b) { return labelPriority(b) - labelPriority(a); });
  var boxes = [];
  placedLabels = [];
  list.forEach(function (n) {
    var p = pos[n.id];
    if (!p) return;
    var text = n.label === "Group" ? n.name + " (" + n.members + ")" : n.name;
    if (text.length > 40) text = text.slice(0, 38) + "…";
    var w = ctx.measureText(text).width * scale, h = fontPx + 2;
    var d = network.canvasToDOM({x: p.x, y: p.y});
    var off = sizeOf(n) * scale + 2;
    // below the node, else above it; a label that fits in neither is left out
    var spots = [{x0: d.x - w / 2 - 2, x1: d.x + w / 2 + 2, y0: d.y + off, y1: d.y + off + h, dy: 1},
                 {x0: d.x - w / 2 - 2, x1: d.x + w / 2 + 2, y0: d.y - off - h, y1: d.y - off, dy: -1}];
    var box = null;
    for (var k = 0; k < spots.length && !box; k++) {
      var free = true;
      for (var i = 0; i < boxes.length && free; i++) {
        var o = boxes[i];
        if (spots[k].x0 < o.x1 && spots[k].x1 > o.x0 && spots[k].y0 < o.y1 && spots[k].y1 > o.y0) free = false;
      }
      if (free) box = spots[k];
    }
    if (!box) return;
    boxes.push(box);
    var ty = box.dy > 0 ? p.y + sizeOf(n) + 2 / scale : p.y - sizeOf(n) - (fontPx + 2) / scale;
    ctx.lineWidth = 3 / scale;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.strokeText(text, p.x, ty);
    ctx.fillStyle = "#1a1a1a";
    ctx.fillText(text, p.x, ty);
    placedLabels.push({id: n.id, text: text, x: p.x, y: ty});
  });
  ctx.restore();
  window.pnLabelsPlaced = placedLabels.length;
  if (list.length) window.pnReady = true;
}
function redrawAll() {
  if (!network) return;
  visNodes.update(Object.keys(nodes).map(function (id) { return visNode(nodes[id]); }));
  visEdges.update(Object.keys(edges).map(function (id) { return visEdge(edges[id]); }));
  updateLegend();
  updateCounts();
}
function addData(data, owner) {
  var added = [];
  data.nodes.forEach(function (n) {
    if (!nodes[n.id]) { nodes[n.id] = n; added.push(n.id); visNodes.add(visNode(n)); }
  });
  (data.edges || []).forEach(function (e) {
    if (!edges[e.id] && nodes[e.from] && nodes[e.to]) { edges[e.id] = e; visEdges.add(visEdge(e)); }
  });
  if (owner) addedBy[owner] = (addedBy[owner] || []).concat(added);
  if (added.length) {
    network.setOptions({physics: {enabled: true}});
    network.stabilize(added.length > 150 ? 120 : 200);
  }
  updateLegend();
  updateCounts();
  return added;
}
function clearGraph() {
  nodes = {}; edges = {}; addedBy = {}; expanded = {}; missing = {};
  if (visNodes) { visNodes.clear(); visEdges.clear(); }
}
