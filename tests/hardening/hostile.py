"""Shared pieces of the hostile-input tests: cell, label and id strategies, and the check
every generated input must pass (a clean load also goes out in every export format and
comes back unchanged)."""

from __future__ import annotations

from hypothesis import event
from hypothesis import strategies as st

from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.errors import LoadErrors
from partnernet.loaders.export import export_graph, graph_to_json
from partnernet.loaders.load import load_files

__all__ = ["_check", "cell", "ident", "label"]

cell = st.one_of(st.text(max_size=40), st.sampled_from(["", " ", "=1+1", "-5", "1e309", "NaN",
                                                        "true", "[1,2]", "City", "city:x:y",
                                                        "\ufeff", "\x00"]))
label = st.sampled_from(["City", "Partner", "Network", "Castle", "", "city"])
ident = st.one_of(st.sampled_from(["city:br:a", "city:br:b", "partner:p", "bad id", ""]),
                  st.text(max_size=20))


def _check(tmp_path, files: dict[str, bytes]):
    """Load ``files`` onto a seeded store: either a clean load, after which loading them
    again changes nothing, or a LoadErrors naming the file, after which the store is as
    it was."""
    store = SQLiteStore(tmp_path / "h.db")
    try:
        store.load([], [])
        base = load_files(store, [_seed(tmp_path)])
        before = store.counts()
        paths = []
        for name, data in files.items():
            p = tmp_path / name
            p.write_bytes(data)
            paths.append(p)
        try:
            first = load_files(store, paths).summary
            event("clean load, data written" if first.changed else "clean load, nothing new")
        except LoadErrors as exc:
            event("refused: " + exc.errors[0].message.split(":")[0][:40])
            assert exc.errors and all(e.file for e in exc.errors)
            assert "nothing written" in str(exc)
            assert store.counts() == before
        else:
            again = load_files(store, paths).summary
            assert again.changed == 0, again.as_dict()
            _exports_load_back(store, tmp_path)
        assert base.summary.nodes_created == 2
    finally:
        store.close()


def _exports_load_back(store, tmp_path) -> None:
    """Every export of ``store`` loads into a fresh store as the same graph."""
    g = store.to_networkx()
    for fmt in ("json", "graphml", "gexf", "gephi-csv"):
        out = tmp_path / "exports" / (fmt if fmt == "gephi-csv" else f"x.{fmt}")
        fresh = SQLiteStore(tmp_path / "exports" / f"{fmt}.db")
        try:
            load_files(fresh, export_graph(g, fmt, out))
            assert graph_to_json(fresh.to_networkx()) == graph_to_json(g), fmt
        finally:
            fresh.close()


def _seed(tmp_path):
    p = tmp_path / "seed.csv"
    p.write_text("id,label,name,source\ncity:br:a,City,A,t\ncity:br:b,City,B,t\n",
                 encoding="utf-8")
    return p
