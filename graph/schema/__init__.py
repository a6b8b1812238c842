"""The domain model: every node label, relationship type and key property.

Everything else in partnernet names labels and types through this package.
"""

from partnernet.graph.schema.labels import (
    ENDPOINTS,
    UNDIRECTED,
    NodeLabel,
    RelType,
)
from partnernet.graph.schema.records import Node, Relationship, SchemaError, name_key, validate_id

__all__ = [
    "ENDPOINTS",
    "UNDIRECTED",
    "Node",
    "NodeLabel",
    "RelType",
    "Relationship",
    "SchemaError",
    "name_key",
    "validate_id",
]
