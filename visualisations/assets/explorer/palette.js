/* partnernet explorer, palette: Colours and sizes of nodes and ties, from the Python palette.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
// ---- colours and shapes: one palette, from Python ----
function kindOf(label) { return P.kinds[label] || {shape: "dot", color: P.unknown, plural: label}; }
function colorOf(n) {
  if (n.label === "Group") return P.regions[n.region] || P.unknown;
  if (state.c === "region" && (n.label === "City" || n.label === "Partner")) return P.regions[n.region || "Unknown"] || P.unknown;
  if (state.c === "bloc" && (n.label === "City" || n.label === "Partner")) return P.blocs[n.bloc || "Unclassified"] || P.unknown;
  return kindOf(n.label).color;
}
function sizeOf(n) {
  // a group's size grows with the log of its members: with the square root, Europe's 12,636
  // cities of the twin-town file drew a hexagon 460 px across that covered every other region
  if (n.label === "Group") return 14 + 12 * Math.log10(1 + (n.members || 1));
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
