"""Shared fixtures: a real Neo4j for the whole session, and fresh stores per test.

Neo4j comes from ``tools.neo4j_local.provide``: ``NEO4J_URI``, else testcontainers,
else a local 5.26 Community server started from Maven Central jars. If none can
be had the tests that need it fail (never skip) with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from partnernet.graph.store.neo4j import Neo4jStore
from partnernet.graph.store.sqlite import SQLiteStore
from tools.neo4j_local import Neo4jUnavailable, provide

ROOT = Path(__file__).resolve().parents[1]

SHARED = ROOT.parent / "shared"
_NEO4J_INFO: dict[str, str] = {}


@pytest.fixture(scope="session")
def neo4j_server():
    try:
        with provide() as server:
            yield server
    except Neo4jUnavailable as exc:
        pytest.fail(f"no Neo4j server could be had for the tests: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server):
    import neo4j

    driver = neo4j.GraphDatabase.driver(neo4j_server.uri,
                                        auth=(neo4j_server.user, neo4j_server.password))
    driver.verify_connectivity()
    rec = driver.execute_query("CALL dbms.components() YIELD versions, edition "
                               "RETURN versions[0] AS v, edition AS e").records[0]
    _NEO4J_INFO.update(version=f"{rec['v']} {rec['e']}", how=neo4j_server.how,
                       uri=neo4j_server.uri)
    Neo4jStore(driver).init()
    yield driver
    driver.close()


def wipe_neo4j(driver) -> None:
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                    ).consume()


@pytest.fixture
def neo4j_store(neo4j_driver) -> Iterator[Neo4jStore]:
    wipe_neo4j(neo4j_driver)
    store = Neo4jStore(neo4j_driver, location=_NEO4J_INFO.get("uri", "neo4j"))
    yield store


@pytest.fixture
def sqlite_store(tmp_path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "test.db")
    yield store
    store.close()


@pytest.fixture
def pairs_store(tmp_path):
    """A store loaded from a three-row pair list as a new user would (`partnernet load`):
    three Southern cities twinned with Lyon, no memberships, themes or SDGs. Yields it open
    (SQLite)."""
    from click.testing import CliRunner

    from partnernet.cli.main import cli
    from partnernet.graph.store import open_store

    pairs = tmp_path / "pairs.csv"
    pairs.write_text("city1,country1,city2,country2\nQuito,Ecuador,Lyon,France\n"
                     "Maringá,Brazil,Lyon,France\nDakar,Senegal,Lyon,France\n", "utf-8")
    uri = f"sqlite:///{tmp_path / 'p.db'}"
    assert CliRunner().invoke(cli, ["--store", uri, "load", str(pairs)]).exit_code == 0
    store = open_store(uri)
    yield store
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request):
    """The same test against both backends."""
    return request.getfixturevalue(f"{request.param}_store")


def pytest_terminal_summary(terminalreporter):
    if _NEO4J_INFO:
        terminalreporter.write_line(
            f"Neo4j used by the tests: {_NEO4J_INFO['version']} via {_NEO4J_INFO['how']} "
            f"at {_NEO4J_INFO['uri']}")
