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


async def upsert(store: GraphStore, cache: GraphCache, items: Sequence[BaseModel],
                 record: type[BaseModel],
                 write: Callable[[list], LoadSummary]) -> WriteResult:
    """Validate ``items`` as ``record`` (node or relationship), write them all or none with
    ``write`` and mark the cached graph stale."""
    try:
        records = [record.model_validate(i.model_dump()) for i in items]
    except ValidationError as exc:
        raise ValueError(pretty(exc)) from exc
    summary = await write_on_store(store, len(records), write, records)
    cache.invalidate()
    return WriteResult(**summary.as_dict())
