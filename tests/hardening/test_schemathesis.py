"""Schemathesis against the live OpenAPI schema (embedded store): no 5xx for any
generated input, and every response matches the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pydantic import SecretStr

from partnernet.api.main import create_app
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.reference_graph import reference_plan
from partnernet.settings import Settings

pytestmark = pytest.mark.slow


def _app():
    import tempfile
    from pathlib import Path

    store = SQLiteStore(Path(tempfile.mkdtemp()) / "st.db")
    ref = reference_plan()
    store.load(ref.nodes, ref.relationships)
    settings_ = Settings(store="sqlite:///unused.db", api_token=SecretStr("st-token-12345"))
    return create_app(settings=settings_, store=store)


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.exclude(path_regex=r"^/reports/").parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails(case):
    from fastapi.testclient import TestClient

    with TestClient(APP) as client:
        response = case.call(session=client)
    assert response.status_code < 500, (case.method, case.path, response.text[:300])
    # Starlette answers OPTIONS on paths shared by several routes with an Allow header that
    # lists one route's methods: a framework quirk, not partnernet's
    from schemathesis.specs.openapi.checks import allow_header_conformance, negative_data_rejection

    excluded = [allow_header_conformance]
    if case.method in ("GET", "DELETE"):
        # a query string cannot tell the boolean true from the text "true"
        excluded.append(negative_data_rejection)
    query = case.query or {}
    if query.get("since") and query.get("until") and response.status_code == 422:
        # a period ending before it starts is refused (nothing could match): a rule
        # across two parameters, which the schema cannot state
        from partnernet.dates import BadDate, check_period

        try:
            check_period(str(query["since"]), str(query["until"]))
        except BadDate:
            from schemathesis.specs.openapi.checks import positive_data_acceptance

            excluded.append(positive_data_acceptance)
    case.validate_response(response, excluded_checks=excluded)
