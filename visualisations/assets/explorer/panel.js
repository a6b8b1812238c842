/* partnernet explorer, panel: The side panel: facts, broker scores, focal units, missing links, suggested partners.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
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
  if (d.focal_units_pending) section(panel, "UN-Habitat focal unit").appendChild(el("div", d.focal_units_pending + "; select the node again in a moment.", "pn-muted"));
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
