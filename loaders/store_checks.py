"""Checks of a plan against the store it will be loaded into, before anything is written.

- Every relationship end must be a node of this load or of the store. An end that is
  neither, but is a node of the built-in reference graph (``network:metropolis``,
  ``sdg:11``...), is brought in from it, with a note; any other is an error naming the
  file, row and column the relationship came from.
- A stored place is never merged with a loaded one that carries a different external
  identifier (Wikidata id, GeoNames id): the loaded one is given its own id instead
  (``city:es:valencia-q1234``), and the summary says so.
"""

from __future__ import annotations

from partnernet.graph.store import GraphStore
from partnernet.loaders.errors import LoadErrors, RowError
from partnernet.loaders.plan import LoadPlan

__all__ = ["connect_ends", "keep_identities_apart"]

_IDS = ("wikidata", "geonameid")


def connect_ends(store: GraphStore, plan: LoadPlan, *, files: str) -> None:
    """Bring missing ends in from the reference graph, or raise naming their rows."""
    planned = {n.id for n in plan.nodes}
    ends = {i for r in plan.relationships for i in (r.start, r.end)} - planned
    if not ends:
        return
    stored = set(store.get_nodes(sorted(ends)))
    missing = ends - stored
    if not missing:
        return
    from partnernet.loaders.reference_graph import reference_plan

    reference = {n.id: n for n in reference_plan().nodes}
    context = sorted(missing & reference.keys())
    if context:
        plan.nodes.extend(reference[i] for i in context)
        shown = ", ".join(context[:8]) + (" ..." if len(context) > 8 else "")
        plan.notes.append(f"{len(context)} node(s) this load refers to were not in the store: "
                          f"taken from the reference graph ({shown}); `partnernet load "
                          "--input-format reference` loads all of it")
        plan.stats["context nodes from the reference graph"] = len(context)
        missing -= set(context)
    if not missing:
        return
    errors = []
    for r in plan.relationships:
        for end, side in ((r.start, 2), (r.end, 3)):
            if end in missing:
                file, row, *cols = plan.origins.get(r.identity, (files, None, None, None))
                errors.append(RowError(file, row, cols[side - 2] or None,
                                       f"{r.type.value} end {end!r} is not a node of this load "
                                       "nor of the store (load the file that defines it in "
                                       "the same command, or first)"))
    raise LoadErrors(errors)


def keep_identities_apart(store: GraphStore, plan: LoadPlan) -> None:
    """Give a loaded place its own id where the stored node of that id is another place."""
    candidates = [n for n in plan.nodes if any(n.props.get(k) is not None for k in _IDS)]
    if not candidates:
        return
    stored = store.get_nodes([n.id for n in candidates])
    renamed: dict[str, str] = {}
    for n in candidates:
        old = stored.get(n.id)
        if old is None:
            continue
        clash = [k for k in _IDS if old.props.get(k) is not None
                 and n.props.get(k) is not None and old.props[k] != n.props[k]]
        if not clash:
            continue
        key = clash[0]
        suffix = str(n.props[key]).lower() if key == "wikidata" else f"gn{n.props[key]}"
        new_id = f"{n.id}-{suffix}"
        renamed[n.id] = new_id
        plan.details.setdefault("resolution", {}).setdefault("merges", []).append(
            f"{new_id}: kept apart from the stored {n.id} ({key} {old.props[key]}): this "
            f"record has {key} {n.props[key]}")
    if not renamed:
        return
    plan.nodes = [n.model_copy(update={"id": renamed[n.id]}) if n.id in renamed else n
                  for n in plan.nodes]
    rels = []
    origins = {}
    for r in plan.relationships:
        origin = plan.origins.get(r.identity)
        if r.start in renamed or r.end in renamed:
            r = r.model_copy(update={"start": renamed.get(r.start, r.start),
                                     "end": renamed.get(r.end, r.end)})
        rels.append(r)
        if origin:
            origins[r.identity] = origin
    plan.relationships = rels
    plan.origins = origins
    plan.stats["places kept apart from a stored namesake"] = len(renamed)
