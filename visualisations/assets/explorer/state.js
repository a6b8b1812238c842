/* partnernet explorer, state: Configuration, DOM helpers and the view's state (mirrored in the URL after '#').
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
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
