"""All of partnernet's Cypher, as constants and small builders.

Values always travel as ``$parameters``. Labels and relationship types cannot
be parameters in Cypher, so they are taken only from the schema enums and
quoted by :func:`quote` — never from user text.
"""

from __future__ import annotations

from partnernet.graph.schema import NodeLabel, RelType

__all__ = [
    "BUMP_SNAPSHOT",
    "COUNT_NODES",
    "COUNT_RELS",
    "CREATE_ENTITY_CONSTRAINT",
    "CREATE_NAME_INDEX",
    "CREATE_STATE_CONSTRAINT",
    "SNAPSHOT",
    "DELETE_NODE",
    "FETCH_NODES",
    "GET_NODE",
    "INDEX_NAMES",
    "LIST_INDEXES",
    "VERSION",
    "create_label_constraint",
    "delete_relationship",
    "fetch_rels",
    "list_nodes",
    "list_relationships",
    "create_nodes",
    "create_rels",
    "update_nodes",
    "update_rels",
    "neighbours",
    "project_labels",
    "project_types",
    "quote",
    "search",
]

ENTITY = "Entity"  # every partnernet node carries this label too (global unique id)
#: The one node holding the data snapshot counter. A fixed internal label (never user text),
#: without ``Entity``: no partnernet read, count or export sees it.
STATE = "PartnernetState"


def quote(value: NodeLabel | RelType) -> str:
    """Backtick-quote a label or type taken from the schema enums.

    >>> quote(NodeLabel.CITY)
    '`City`'
    >>> quote("City")
    Traceback (most recent call last):
    ...
    TypeError: only schema enums can be used as labels or types, got str
    """
    if not isinstance(value, NodeLabel | RelType):
        raise TypeError(f"only schema enums can be used as labels or types, got "
                        f"{type(value).__name__}")
    return f"`{value.value}`"


CREATE_ENTITY_CONSTRAINT = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE")
CREATE_NAME_INDEX = (
    "CREATE TEXT INDEX entity_name_key IF NOT EXISTS FOR (n:Entity) ON (n.name_key)")
CREATE_STATE_CONSTRAINT = (
    f"CREATE CONSTRAINT partnernet_state IF NOT EXISTS FOR (s:{STATE}) REQUIRE s.key IS UNIQUE")

#: Last statement of every write transaction that changed data: increments the snapshot
#: counter. The lock is taken (``_lock``) before the counter is read, so that two writers
#: never read the same value. ``epoch`` is drawn when the node is created: a wiped database
#: starts a new series, never one a cache has seen.
BUMP_SNAPSHOT = (f"MERGE (s:{STATE} {{key: 'state'}}) "
                 "ON CREATE SET s.epoch = randomUUID(), s.generation = 0 "
                 "SET s._lock = true WITH s SET s.generation = s.generation + 1 REMOVE s._lock")
#: The snapshot counter (null before the first write).
SNAPSHOT = (f"OPTIONAL MATCH (s:{STATE} {{key: 'state'}}) "
            "RETURN s.epoch AS epoch, s.generation AS generation")


def create_label_constraint(label: NodeLabel) -> str:
    return (f"CREATE CONSTRAINT {label.value.lower()}_id IF NOT EXISTS "
            f"FOR (n:{quote(label)}) REQUIRE n.id IS UNIQUE")


#: The names of every index ``init`` creates (a uniqueness constraint's index has its name).
INDEX_NAMES = frozenset({"entity_id", "entity_name_key", "partnernet_state",
                         *(f"{label.value.lower()}_id" for label in NodeLabel)})
LIST_INDEXES = "SHOW INDEXES YIELD name, state WHERE state = 'ONLINE' RETURN name"


VERSION = ("CALL dbms.components() YIELD name, versions, edition "
           "RETURN name, versions[0] AS version, edition")

_NODE_FIELDS = ("n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, "
                "properties(n) AS props")

# Batched lookups carry index hints: with a large $rows list the planner may otherwise
# scan the whole id index once per row (seen on Neo4j 5.26 at 20,000 nodes).
_SEEK_A = "MATCH (a:Entity {id: row.start}) USING INDEX SEEK a:Entity(id)"
_SEEK_B = "MATCH (b:Entity {id: row.end}) USING INDEX SEEK b:Entity(id)"

FETCH_NODES = (f"UNWIND $ids AS id MATCH (n:Entity {{id: id}}) USING INDEX SEEK n:Entity(id) "
               f"RETURN {_NODE_FIELDS}")
GET_NODE = f"MATCH (n:Entity {{id: $id}}) RETURN {_NODE_FIELDS}"


def create_nodes(label: NodeLabel) -> str:
    """Create a batch of new nodes of one label: ``$rows`` of ``{id, props}``.

    The caller has checked, in the same transaction, that none exists; the
    uniqueness constraints refuse a node created meanwhile by another writer.
    (CREATE, not MERGE: MERGE slows down inside large transactions.)
    """
    return (f"UNWIND $rows AS row CREATE (n:{quote(label)}:Entity) SET n = row.props "
            "RETURN count(n) AS n")


def update_nodes(label: NodeLabel) -> str:
    """Update existing nodes of one label: ``$rows`` of ``{id, props}`` (props merged)."""
    return (f"UNWIND $rows AS row MATCH (n:Entity {{id: row.id}}) USING INDEX SEEK n:Entity(id) "
            f"WHERE n:{quote(label)} SET n += row.props RETURN count(n) AS n")


def fetch_rels(rtype: RelType) -> str:
    """Existing relationships of one type for ``$rows`` of ``{start, end, key}``."""
    # Anchor on the start node's unique index, then expand: a pattern with both ends
    # as {id: ...} makes the planner scan the whole id index for every row.
    return (f"UNWIND $rows AS row {_SEEK_A} "
            f"MATCH (a)-[r:{quote(rtype)}]->(b) WHERE b.id = row.end AND r.key = row.key "
            "RETURN row.start AS start, row.end AS end, row.key AS key, properties(r) AS props")


def create_rels(rtype: RelType) -> str:
    """Create new relationships of one type: ``$rows`` of ``{start, end, props}``.

    Returns how many rows found both endpoints; the caller checks it equals the batch size.
    """
    return (f"UNWIND $rows AS row {_SEEK_A} {_SEEK_B} "
            f"CREATE (a)-[r:{quote(rtype)}]->(b) SET r = row.props RETURN count(r) AS n")


def update_rels(rtype: RelType) -> str:
    """Update existing relationships of one type: ``$rows`` of ``{start, end, key, props}``."""
    return (f"UNWIND $rows AS row {_SEEK_A} "
            f"MATCH (a)-[r:{quote(rtype)}]->(b) WHERE b.id = row.end AND r.key = row.key "
            "SET r += row.props RETURN count(r) AS n")


def neighbours(direction: str, with_types: bool, limit: bool) -> str:
    """Neighbours of ``$id``: ``direction`` is ``out`` or ``in``; ``$types`` filters types."""
    pattern = "(a)-[r]->(n)" if direction == "out" else "(a)<-[r]-(n)"
    where = " WHERE type(r) IN $types" if with_types else ""
    tail = " LIMIT $limit" if limit else ""
    return (f"MATCH (a:Entity {{id: $id}}) MATCH {pattern}{where} "
            f"RETURN startNode(r).id AS start, type(r) AS type, endNode(r).id AS end, "
            f"properties(r) AS rprops, {_NODE_FIELDS} ORDER BY type, n.name, n.id{tail}")


def search(with_labels: bool) -> str:
    """Nodes whose folded name contains ``$q`` (exact, then prefix matches first)."""
    where = " AND any(l IN labels(n) WHERE l IN $labels)" if with_labels else ""
    return (f"MATCH (n:Entity) WHERE n.name_key CONTAINS $q{where} "
            f"RETURN {_NODE_FIELDS} ORDER BY (n.name_key = $q) DESC, "
            "(n.name_key STARTS WITH $q) DESC, size(n.name_key), n.name_key, n.id LIMIT $limit")


def list_nodes(label: NodeLabel | None, keys: list[str]) -> tuple[str, str]:
    """(count query, page query) for nodes of ``label`` whose property ``$keys[i]`` equals
    ``$values[i]`` (property names travel as parameters too: ``n[$k]``)."""
    match = f"MATCH (n:{quote(label)})" if label is not None else "MATCH (n:Entity)"
    conds = [f"n[$keys[{i}]] = $values[{i}]" for i in range(len(keys))]
    where = f" WHERE {' AND '.join(conds)}" if conds else ""
    return (f"{match}{where} RETURN count(n) AS n",
            f"{match}{where} RETURN {_NODE_FIELDS} ORDER BY label, n.name, n.id "
            "SKIP $offset LIMIT $limit")


def list_relationships(rtype: RelType | None, with_node: bool) -> tuple[str, str]:
    pattern = f"(a:Entity)-[r:{quote(rtype)}]->(b:Entity)" if rtype else \
        "(a:Entity)-[r]->(b:Entity)"
    where = " WHERE a.id = $node OR b.id = $node" if with_node else ""
    if with_node:
        # use the id index: start from the node, both directions
        rt = f":{quote(rtype)}" if rtype else ""
        body = (f"MATCH (x:Entity {{id: $node}}) MATCH (a)-[r{rt}]->(b) "
                "WHERE a = x OR b = x")
    else:
        body = f"MATCH {pattern}{where}"
    return (f"{body} RETURN count(r) AS n",
            f"{body} RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props "
            "ORDER BY type, start, end, r.key SKIP $offset LIMIT $limit")


DELETE_NODE = "MATCH (n:Entity {id: $id}) DETACH DELETE n RETURN count(*) AS n"


def delete_relationship(rtype: RelType) -> str:
    return (f"MATCH (a:Entity {{id: $start}}) MATCH (a)-[r:{quote(rtype)}]->(b) "
            "WHERE b.id = $end AND r.key = $key DELETE r RETURN count(*) AS n")


COUNT_NODES = ("MATCH (n:Entity) WITH [l IN labels(n) WHERE l <> 'Entity'][0] AS label "
               "RETURN label, count(*) AS n ORDER BY label")
COUNT_RELS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"


def _key(name: str) -> str:
    """A property key of the schema (a Python identifier), backtick-quoted.

    >>> _key("since")
    '`since`'
    """
    if not name.isidentifier() or not name.isascii():
        raise ValueError(f"not a schema property key: {name!r}")
    return f"`{name}`"


def _columns(var: str, known: tuple[str, ...]) -> str:
    """One list per property ``known`` over the list ``var`` (nulls kept: a list
    comprehension keeps them where ``collect`` would drop them)."""
    return "[" + ", ".join(f"[x IN {var} | x.{_key(k)}]" for k in known) + "]"


def _extra(var: str, skip: str) -> str:
    """``WITH`` clause adding ``ek``: per element of the list ``var``, its property keys
    not in ``skip`` (read once)."""
    return f"WITH {var}, [x IN {var} | [k IN keys(x) WHERE NOT k IN {skip}]] AS ek "


def _sparse(var: str) -> str:
    """The properties named in ``ek`` of the elements of ``var`` that have any, as
    ``[index, [[key, value], ...]]``: sparse, as most have none."""
    return (f"[i IN range(0, size({var}) - 1) WHERE size(ek[i]) > 0 | "
            f"[i, [k IN ek[i] | [k, {var}[i][k]]]]]")


def project_labels(parts: list[tuple[NodeLabel, tuple[str, ...]]]) -> str:
    """The nodes of every label in ``parts`` as columns, in one query: one record per label
    (``part``: its index in ``parts``) holding lists of plain values: internal ids (to map
    the relationships' ends once), ids, names, sources, one column per schema property
    ``known`` for that label (in that order, null where absent; the keys come from the
    schema's property models, never from user text) and the other properties, sparse
    (not in ``$skip[part]``). Columns of primitives travel and decode several times faster
    than a map or a list per node, and one round trip replaces one per label."""
    branches = [
        f"MATCH (n:{quote(label)}) WHERE n:{ENTITY} WITH collect(n) AS ns "
        f"{_extra('ns', f'$skip[{i}]')}RETURN {i} AS part, [x IN ns | id(x)] AS iids, "
        "[x IN ns | x.id] AS ids, "
        "[x IN ns | x.name] AS names, [x IN ns | x.source] AS sources, "
        f"{_columns('ns', known)} AS known, {_sparse('ns')} AS extra"
        for i, (label, known) in enumerate(parts)]
    return " UNION ALL ".join(branches)


def project_types(parts: list[tuple[RelType, tuple[str, ...]]]) -> str:
    """The relationships of every type in ``parts`` as columns, in one query (see
    :func:`project_labels`): internal ids of the start and end nodes, keys, one column per
    schema property ``known``, the other properties (not in ``$skip[part]``), sparse. The
    caller keeps the relationships whose two ends it read as nodes."""
    branches = [
        f"MATCH ()-[r:{quote(rtype)}]->() WITH collect(r) AS rs "
        f"{_extra('rs', f'$skip[{i}]')}RETURN {i} AS part, "
        "[x IN rs | id(startNode(x))] AS starts, "
        "[x IN rs | id(endNode(x))] AS ends, [x IN rs | coalesce(x.key, '')] AS keys, "
        f"{_columns('rs', known)} AS known, {_sparse('rs')} AS extra"
        for i, (rtype, known) in enumerate(parts)]
    return " UNION ALL ".join(branches)
