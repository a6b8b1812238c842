"""The shared path of the upsert routes: API items -> store records -> one atomic write."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, ValidationError

from partnernet.api.deps import write_on_store
from partnernet.api.models import WriteResult
from partnernet.graph.store import GraphStore, LoadSummary
from partnernet.service.cache import GraphCache

__all__ = ["pretty", "upsert"]


def pretty(exc: ValidationError) -> str:
    """A validation error as one sentence naming each field."""
    return "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())


def _places(items: list[dict]) -> None:
    """Countries in any spelling, and gazetteer data a city lacks, as every loader does."""
    from partnernet.graph.schema import NodeLabel
    from partnernet.loaders.errors import RowError
    from partnernet.loaders.places import country_cell, enrich_place

    errors: list[RowError] = []
    for n, item in enumerate(items, start=1):
        props = item.get("props")
        if not isinstance(props, dict):
            continue
        try:
            label = NodeLabel(item.get("label"))
        except ValueError:
            label = None
        country_cell(props, file="request body", row=n, errors=errors, label=label)
        if label is not None:
            enrich_place(label, str(item.get("name") or ""), props)
    if errors:
        raise ValueError("; ".join(f"item {e.row}, props.{e.column}: {e.message}"
                                   for e in errors))


async def upsert(store: GraphStore, cache: GraphCache, items: Sequence[BaseModel],
                 record: type[BaseModel],
                 write: Callable[[list], LoadSummary]) -> WriteResult:
    """Validate ``items`` as ``record`` (node or relationship), write them all or none with
    ``write`` and mark the cached graph stale."""
    dumped = [i.model_dump() for i in items]
    if record.__name__ == "Node":
        _places(dumped)
    try:
        records = [record.model_validate(d) for d in dumped]
    except ValidationError as exc:
        raise ValueError(pretty(exc)) from exc
    summary = await write_on_store(store, len(records), write, records)
    cache.invalidate()
    return WriteResult(**summary.as_dict())
