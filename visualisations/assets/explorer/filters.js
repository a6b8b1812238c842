/* partnernet explorer, filters: Which nodes and ties pass the filters in the state.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
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
