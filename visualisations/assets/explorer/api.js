/* partnernet explorer, api: Status line and JSON requests to the explorer API.
 * One of the parts that visualisations/explorer.py joins, in the order of EXPLORER_PARTS,
 * inside one function scope into the explorer.js the page runs (live and exported). */
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
