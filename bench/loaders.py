"""Real data in: the twin-town file and a built membership list, loaded as a user would.

For each data set, in one run and side by side:

- ``new``: ``partnernet load`` as it is (identity registry, countries in any spelling);
- ``baseline``: the loader as it was before issue 11 (keys on name + country only; its
  pair-list module is taken from git at ``--baseline-ref``), on the same file. It has no
  membership format: for the membership list the baseline is the same rows keyed on name
  + country, which is what a user's pandas script or the old pair loader would merge.

Each step runs in its own process so that its peak memory (ru_maxrss) is its own.
Printed: rows, share of rows whose places all have a country and all resolve to a place,
merges of different spellings, ties folded, distinct places, wrong merges where the truth
is known (the membership list is generated with it), plan and load time, peak memory.

    python -m bench.loaders [--members 14000] [--initiatives 52] [--baseline-ref main]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import types
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TWINS = ROOT.parent / "shared" / "data" / "sister-cities" / "twin_cities_wikipedia.csv"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _row_shares(plan, rows: int) -> tuple[float, float]:
    """Share of rows whose places (every end) have a country / resolve to a place."""
    return (plan.stats["rows whose places all have a country"] / rows,
            plan.stats["rows whose places all resolve to a place"] / rows)


def step_new(path: str, fmt: str | None, truth_file: str | None) -> dict:
    from partnernet.graph.store.sqlite import SQLiteStore
    from partnernet.loaders.load import load_files, plan_files

    t0 = time.perf_counter()
    from partnernet.graph.geography.gazetteer import gazetteer

    gazetteer()
    t_gaz = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan, _ = plan_files([path], fmt=fmt, unknown_countries="warn")
    t_plan = time.perf_counter() - t0
    rows = plan.stats["rows"]
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "b.db")
        t0 = time.perf_counter()
        load_files(store, [path], fmt=fmt, unknown_countries="warn")
        t_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = load_files(store, [path], fmt=fmt, unknown_countries="warn")
        t_reload = time.perf_counter() - t0
        store.close()
    country, place = _row_shares(plan, rows)
    out = {"rows": rows, "rows with a country": country, "rows resolved to a place": place,
           "merges of different spellings or ids": len(plan.details["resolution"]["merges"]),
           "ties folded (listed both ways)": plan.stats.get(
               "ties listed both ways (folded into one)", 0),
           "places": plan.stats["places"],
           "subnational members": sum(1 for n in plan.nodes if n.label.value == "Subnational"),
           "relationships": len(plan.relationships),
           "gazetteer s": t_gaz, "plan s": t_plan, "plan + load s": t_load,
           "reload s (unchanged)": t_reload, "reload changed": again.summary.changed,
           "peak MB": _peak_mb()}
    if truth_file:
        out["wrong merges"] = _wrong_merges(plan, json.loads(Path(truth_file).read_text()))
    return out


def _wrong_merges(plan, truth: list[str]) -> int:
    """Nodes holding members of different accounts (truth: account id per data row)."""
    holders: dict[str, set[str]] = defaultdict(set)
    for r in plan.relationships:
        origin = plan.origins.get(r.identity)
        if origin is not None:
            holders[r.start].add(truth[origin[1] - 2])
    return sum(1 for accounts in holders.values() if len(accounts) > 1)


def step_baseline(path: str, ref: str, members: bool, truth_file: str | None) -> dict:
    """The pre-issue-11 keys: one node per (name, country), cities resolved as before."""
    from partnernet.graph.geography.gazetteer import gazetteer
    from partnernet.loaders.formats.tables import read_csv
    from partnernet.loaders.plan import LoadPlan

    t0 = time.perf_counter()
    gazetteer()
    t_gaz = time.perf_counter() - t0
    table = read_csv(path)
    t0 = time.perf_counter()
    if members:
        # what a user script or the old pair loader would do: key = (name, country)
        keys: dict[tuple[str, str], set[str]] = defaultdict(set)
        truth = json.loads(Path(truth_file).read_text()) if truth_file else []
        for i, (_n, row) in enumerate(table):
            m = gazetteer().resolve(row["name"], row["country"])
            keys[(m.node_id, "")].add(truth[i] if truth else row["name"])
        return {"rows": len(table), "places": len(keys),
                "wrong merges": sum(1 for v in keys.values() if len(v) > 1),
                "gazetteer s": t_gaz, "plan s": time.perf_counter() - t0,
                "peak MB": _peak_mb()}
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:loaders/formats/pairs.py"],
                            capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("baseline_pairs")
    exec(compile(source, "baseline_pairs.py", "exec"), module.__dict__)  # noqa: S102
    plan, errors = LoadPlan(), []
    module.plan_pairs(table, Path(path).name, errors, plan)
    t_plan = time.perf_counter() - t0
    with_country = resolved = 0
    for _n, row in table:  # the baseline's own resolution of each row's two ends
        ends = [gazetteer().resolve(*module._split_country(str(row[c] or ""), str(row[k] or "")))
                for c, k in (("city1", "country1"), ("city2", "country2"))]
        with_country += all(m.country is not None for m in ends)
        resolved += all(m.status == "resolved" for m in ends)
    return {"rows": len(table), "places": plan.stats["distinct cities"],
            "rows with a country": with_country / len(table),
            "rows resolved to a place": resolved / len(table),
            "pairs skipped as 'the same city'": plan.stats.get(
                "pairs skipped: same city twice", 0),
            "relationships": len(plan.relationships), "gazetteer s": t_gaz, "plan s": t_plan,
            "peak MB": _peak_mb()}


def _run(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.loaders", "--step", *args],
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _table(title: str, new: dict, base: dict) -> None:
    print(f"\n{title}")
    print(f"{'':44} {'new':>14} {'baseline':>14}")
    for k in dict.fromkeys([*new, *base]):
        def fmt(v):
            if v is None:
                return "-"
            if isinstance(v, float):
                return f"{v:.1%}" if v <= 1 and ("rows" in k or "spellings" in k) else \
                    f"{v:,.1f}"
            return f"{v:,}"
        print(f"{k:44} {fmt(new.get(k)):>14} {fmt(base.get(k)):>14}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--members", type=int, default=14000)
    ap.add_argument("--initiatives", type=int, default=52)
    ap.add_argument("--baseline-ref", default="main")
    ap.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.step:
        kind, path, *rest = a.step
        truth = rest[1] if len(rest) > 1 and rest[1] != "-" else None
        if kind == "new":
            result = step_new(path, rest[0] if rest[0] != "-" else None, truth)
        else:
            result = step_baseline(path, a.baseline_ref, rest[0] == "members", truth)
        print(json.dumps(result))
        return
    from tools.membership_sample import build, write

    print(f"bench/loaders.py: {time.strftime('%Y-%m-%d %H:%M')}, Python "
          f"{sys.version.split()[0]}; each column in its own process")
    new = _run("new", str(TWINS), "-")
    base = _run("baseline", str(TWINS), "pairs")
    _table(f"twin-town file ({TWINS.name})", new, base)
    with tempfile.TemporaryDirectory() as tmp:
        rows, truth = build(a.members, a.initiatives, seed=7)
        path = write(Path(tmp) / "members.csv", rows)
        truth_file = Path(tmp) / "truth.json"
        truth_file.write_text(json.dumps([t.account_id for t in truth]))
        new = _run("new", str(path), "members", str(truth_file))
        base = _run("baseline", str(path), "members", str(truth_file))
        _table(f"membership list ({a.members:,} members asked, {len(rows):,} rows, "
               f"{a.initiatives} initiatives; tools/membership_sample.py, seed 7)", new, base)


if __name__ == "__main__":
    main()
