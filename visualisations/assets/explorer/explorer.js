/* partnernet explorer: search, expand, filter, side panel, map, export.
 * Live mode asks the API for what it shows; static mode (an exported view) reads the data
 * embedded in the page. Every name from the data is put on the page as text
 * (textContent, SVG text nodes), never as markup. */
(function () {
  "use strict";
  var CFG = JSON.parse(document.getElementById("pn-config").textContent);
  var P = CFG.palette;
  var LIVE = CFG.mode === "live";
  var API = (CFG.base || "") + "/explore";
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };
  window.pnErrors = [];

  // ---- state (mirrored in the URL after '#') ----
  var state = {v: "graph", f: null, x: [], agg: "", c: "kind", sel: null,
               r: "", b: "", k: "", t: "", s: "", n: "", y0: "", y1: ""};
  var nodes = {}, edges = {}, addedBy = {}, expanded = {}, missing = {};
  var aggregateMode = null;  // {by, within} while the aggregate is shown
  var network = null, visNodes = null, visEdges = null, placedLabels = [];
  var facets = null;

  function readHash() {
    var h = new URLSearchParams(location.hash.replace(/^#/, ""));
    Object.keys(state).forEach(function (k) {
      if (!h.has(k)) return;
      state[k] = k === "x" ? h.get(k).split(",").filter(Boolean) : h.get(k);
    });
  }
  function writeHash() {
    var h = new URLSearchParams();
    Object.keys(state).forEach(function (k) {
      var v = k === "x" ? state.x.join(",") : state[k];
      if (v) h.set(k, v);
    });
    var s = "#" + h.toString();
    try {
      if (location.hash !== s) history.replaceState(null, "", s);
    } catch (e) { /* a sandboxed frame (a notebook) may refuse: the view still works */ }
    $("pn-share").value = location.href;
  }

  function status(text, cls) {
    var s = $("pn-status");
    s.textContent = text || "";
    s.className = cls || "";
  }
  function getJSON(path) {
    return fetch(API + path, {headers: {"Accept": "application/json"}}).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) {
          var msg = body.detail || ("HTTP " + r.status);
          if (body.suggestions && body.suggestions.length) {
            msg += "; did you mean " + body.suggestions.map(function (s) { return s.name; }).join(", ") + "?";
          }
          throw new Error(msg);
        }
        return body;
      });
    });
  }

  // ---- colours and shapes: one palette, from Python ----
  function kindOf(label) { return P.kinds[label] || {shape: "dot", color: P.unknown, plural: label}; }
  function colorOf(n) {
    if (n.label === "Group") return P.regions[n.region] || P.unknown;
    if (state.c === "region" && (n.label === "City" || n.label === "Partner")) return P.regions[n.region || "Unknown"] || P.unknown;
    if (state.c === "bloc" && (n.label === "City" || n.label === "Partner")) return P.blocs[n.bloc || "Unclassified"] || P.unknown;
    return kindOf(n.label).color;
  }
  function sizeOf(n) {
    if (n.label === "Group") return 14 + 4 * Math.sqrt(n.members || 1);
    if (n.metric !== undefined) return 7 + 24 * n.metric;
    return 9 + 3 * Math.log(1 + (n.degree || 0));
  }
  function tieColor(e) {
    if (e.type === "MISSING") return P.missing;
    if (e.type === "PARTNERS_WITH") {
      var a = nodes[e.from], b = nodes[e.to];
      if (a && b && a.bloc === "South" && b.bloc === "South") return P.blocs.South;
      return "#6b6b6b";
    }
    if (e.type === "AGGREGATE") return "#8a8a8a";
    return "#b9b9b9";
  }

  // ---- filters ----
  function actor(n) { return n.label === "City" || n.label === "Partner"; }
  function nodePasses(n) {
    if (n.id === state.f || n.label === "Group") return true;
    if (!actor(n)) return true;
    if (state.r && (n.region || "Unknown") !== state.r) return false;
    if (state.b && (n.bloc || "Unclassified") !== state.b) return false;
    if (state.t && (n.themes || []).indexOf(state.t) < 0) return false;
    if (state.s && (n.sdgs || []).indexOf(state.s) < 0) return false;
    if (state.n && (n.networks || []).indexOf(state.n) < 0) return false;
    return true;
  }
  function edgePasses(e) {
    if (e.type !== "PARTNERS_WITH") return true;
    if (state.k && (e.kind || "unspecified").split(", ").indexOf(state.k) < 0) return false;
    var y = parseInt((e.since || "").slice(0, 4), 10);
    if ((state.y0 || state.y1) && !y) return false;
    if (state.y0 && y < +state.y0) return false;
    if (state.y1 && y > +state.y1) return false;
    return true;
  }

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
    if (e.type === "AGGREGATE") { o.label = String(e.weight); o.font = {size: 11, color: "#333", strokeWidth: 3}; }
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
                forceAtlas2Based: {gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.4}},
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

  // ---- side panel ----
  function select(id) {
    state.sel = id;
    writeHash();
    var n = nodes[id] || (mapData && mapNode(id));
    var panel = $("pn-panel");
    panel.textContent = "";
    if (!n) return;
    panel.appendChild(el("h2", n.name));
    panel.appendChild(el("div", [n.label, n.country, n.region, n.bloc && ("Global " + n.bloc)].filter(Boolean).join(" · "), "pn-sub"));
    var actions = el("div", null, "pn-actions");
    if (n.label !== "Group") {
      var ex = el("button", expanded[id] ? "Collapse neighbours" : "Expand neighbours");
      ex.type = "button"; ex.id = "pn-expand";
      ex.addEventListener("click", function () {
        if (state.v === "map") { switchView("graph"); focus(id); return; }
        if (!nodes[id]) { focus(id); return; }
        toggleExpand(id).then(function () { select(id); });
      });
      actions.appendChild(ex);
      if (id !== state.f) {
        var fo = el("button", "Centre on it"); fo.type = "button";
        fo.addEventListener("click", function () { switchView("graph"); focus(id); });
        actions.appendChild(fo);
      }
    }
    panel.appendChild(actions);
    if (!LIVE) { staticFacts(panel, n); return; }
    var box = el("div", "loading facts and scores…", "pn-muted");
    panel.appendChild(box);
    getJSON("/node/" + encodeURIComponent(id).replace(/%3A/g, ":")).then(function (d) {
      if (state.sel !== id) return;
      box.remove();
      details(panel, d);
      if (n.label === "City" || n.label === "Partner") suggest(panel, id);
    }).catch(function (e) { box.textContent = String(e.message || e); box.className = "pn-error"; });
  }
  function section(panel, title) {
    var s = el("section"); s.appendChild(el("h3", title)); panel.appendChild(s); return s;
  }
  function kv(parent, k, v) {
    if (v === null || v === undefined || v === "") return;
    var row = el("div", null, "pn-kv");
    row.appendChild(el("span", k, "pn-k"));
    row.appendChild(el("span", Array.isArray(v) ? v.join(", ") : (typeof v === "number" ? fmt(v) : v)));
    parent.appendChild(row);
  }
  function fmt(x) {
    if (typeof x !== "number") return x;
    if (Number.isInteger(x)) return x.toLocaleString("en");
    if (Math.abs(x) < 0.001 && x !== 0) return x.toExponential(2);
    return x.toFixed(3);
  }
  function staticFacts(panel, n) {
    var s = section(panel, "Facts");
    kv(s, "ties", n.degree); kv(s, "partnerships", n.partnerships);
    Object.keys(n.facts || {}).forEach(function (k) { kv(s, k, n.facts[k]); });
    panel.appendChild(el("p", "Exported view: broker scores, focal units and suggestions are in the live explorer.", "pn-muted"));
  }
  var FACT_SKIP = {region: 1, bloc: 1, country: 1, source: 1};
  function details(panel, d) {
    var s = section(panel, "Facts");
    kv(s, "ties (all kinds)", d.node.degree);
    kv(s, "partnerships", d.node.partnerships);
    Object.keys(d.facts).forEach(function (k) {
      if (FACT_SKIP[k]) return;
      var v = d.facts[k];
      if (typeof v === "object" && v !== null && !Array.isArray(v)) v = JSON.stringify(v);
      kv(s, k.replace(/_/g, " "), v);
    });
    kv(s, "source", d.facts.source);
    var kinds = Object.keys(d.neighbour_kinds || {});
    if (kinds.length) kv(s, "neighbours", kinds.map(function (k) { return d.neighbour_kinds[k] + " " + (d.neighbour_kinds[k] === 1 ? k : kindOf(k).plural); }).join(", "));
    if (d.scores && d.scores.pending) {
      var wait = section(panel, "Broker scores");
      wait.appendChild(el("div", d.scores.note + "; asking again in a few seconds…", "pn-muted"));
      setTimeout(function () {
        if (state.sel !== d.node.id) return;
        getJSON("/node/" + encodeURIComponent(d.node.id).replace(/%3A/g, ":")).then(function (again) {
          if (state.sel !== d.node.id || !again.scores || again.scores.pending) return;
          wait.remove();
          var tmp = el("div"); scoreSection(tmp, again.scores);
          panel.insertBefore(tmp, panel.querySelector("section:nth-of-type(2)") || null);
        });
      }, 4000);
    } else if (d.scores) {
      scoreSection(panel, d.scores);
    }
    focalSection(panel, d);
  }
  function scoreSection(panel, sc) {
    var d = {scores: sc};
    {
      var b = section(panel, "Broker scores");
      kv(b, "rank by betweenness", d.scores.rank + " of " + fmt(d.scores.ranked_of));
      kv(b, "betweenness", d.scores.betweenness);
      kv(b, "Burt's constraint", d.scores.constraint);
      kv(b, "effective size", d.scores.effective_size);
      kv(b, "brokerage roles", ["coordinator", "itinerant", "gatekeeper", "representative", "liaison"].map(function (r) { return r + " " + d.scores[r]; }).join(", "));
      if (d.scores.cut_point) kv(b, "cut point", "alone holds " + d.scores.separated + " nodes to the network");
      if (d.scores.connects && d.scores.connects.length) {
        b.appendChild(el("div", "What it connects (region pairs it brokers):", "pn-muted"));
        var ul = el("ul");
        d.scores.connects.forEach(function (c) { ul.appendChild(el("li", c.from + " → " + c.to + " (" + c.role + ", " + c.count + ")")); });
        b.appendChild(ul);
      }
    }
  }
  function focalSection(panel, d) {
    if (d.focal_units) {
      var f = section(panel, "UN-Habitat focal unit");
      kv(f, "category", d.focal_units.categories);
      kv(f, "responsible", d.focal_units.focal_units.length ? d.focal_units.focal_units : "none assigned: assign a partner category");
      kv(f, "due diligence", d.focal_units.due_diligence || (d.focal_units.due_diligence_required ? "required, not recorded" : null));
      (d.focal_units.communication || []).forEach(function (r) {
        var box = el("div", null, "pn-route");
        box.appendChild(el("div", "Letters" + (r.partner_type ? " to " + r.partner_type : ""), "pn-k"));
        kv(box, "drafting", r.drafting); kv(box, "dispatching", r.dispatching);
        kv(box, "cc", r.copied); kv(box, "responsible office", r.responsible_office);
        f.appendChild(box);
      });
      if (!(d.focal_units.communication || []).length) f.appendChild(el("div", "No SOP communication rule for this category.", "pn-muted"));
    }
    if (d.missing_links_pending) section(panel, "Missing South-South links").appendChild(el("div", d.missing_links_pending + "; select the node again in a moment.", "pn-muted"));
    if (d.missing_links_none) section(panel, "Missing South-South links").appendChild(el("div", d.missing_links_none, "pn-muted"));
    if (d.missing_links && d.missing_links.length) {
      var m = section(panel, "Missing South-South links");
      d.missing_links.forEach(function (x) {
        m.appendChild(el("div", x.other_name + " (score " + fmt(x.score) + "): " + x.reasons.join("; "), "pn-reason"));
        drawMissing(d.node.id, {id: x.other, name: x.other_name}, x.reasons);
      });
    }
  }
  function suggest(panel, id) {
    var s = section(panel, "Suggested partners (South-South preferred)");
    var box = el("div", "asking /match…", "pn-muted");
    s.appendChild(box);
    fetch((CFG.base || "") + "/match", {method: "POST", headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify({seeker: id, south_south: true, top: 6})}).then(function (r) {
      return r.json().then(function (b) { if (!r.ok) throw new Error(b.detail || ("HTTP " + r.status)); return b; });
    }).then(function (m) {
      if (state.sel !== id) return;
      box.remove();
      if (!m.candidates.length) { s.appendChild(el("div", "No candidate shares a theme, SDG, network or neighbour with it (considered " + m.considered + ").", "pn-muted")); return; }
      var ol = el("ol", null, "pn-suggest");
      m.candidates.forEach(function (c) {
        var li = el("li");
        var a = el("button", c.name + (c.country ? " (" + c.country + ")" : ""), "pn-link");
        a.type = "button";
        a.addEventListener("click", function () { select(c.id); });
        li.appendChild(a);
        li.appendChild(el("span", " score " + fmt(c.score), "pn-muted"));
        li.appendChild(el("div", c.reasons.join("; "), "pn-reason"));
        if (c.contact_focal_units && c.contact_focal_units.length) li.appendChild(el("div", "contact: " + c.contact_focal_units.join(", "), "pn-muted"));
        ol.appendChild(li);
        if (c.bloc === "South" && state.v === "graph") drawMissing(id, c, c.reasons);
      });
      s.appendChild(ol);
      s.appendChild(el("div", "Dashed orange ties on the graph: suggested South-South partnerships that do not exist yet.", "pn-muted"));
    }).catch(function (e) { box.textContent = String(e.message || e); box.className = "pn-error"; });
  }
  function drawMissing(from, other, reasons) {
    if (!network || !nodes[from] || aggregateMode) return;
    var eid = "missing|" + [from, other.id].sort().join("|");
    if (edges[eid]) return;
    var add = function () {
      if (!nodes[other.id]) return;
      var e = {id: eid, from: from, to: other.id, type: "MISSING", reasons: reasons};
      edges[eid] = e; missing[eid] = true; visEdges.add(visEdge(e)); updateLegend();
    };
    if (nodes[other.id]) { add(); return; }
    getJSON("/neighbourhood/" + encodeURIComponent(other.id).replace(/%3A/g, ":") + "?limit=1").then(function (d) {
      addData({nodes: [d.nodes[0]], edges: []}, from);
      add();
    }).catch(function () {});
  }

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
      seen[key].count++;
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
                  shownCount: function () { return visNodes ? visNodes.get({filter: function (o) { return !o.hidden; }}).length : 0; }};
  start();
})();
