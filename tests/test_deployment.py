"""The deployment files agree with the code (no Docker engine here: `docker compose config`
cannot run, so these check what it would not catch either).

- The Neo4j healthcheck may only use variables set inside that container (it ran
  `cypher-shell -p "$NEO4J_PASSWORD"` where only NEO4J_AUTH is set: never healthy).
- The Dockerfile's build stage copies every folder the wheel is built from.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_healthchecks_use_only_the_container_environment():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        check = service.get("healthcheck")
        if not check:
            continue
        command = " ".join(check["test"])
        # $$ escapes compose's interpolation: the container's shell expands these
        used = set(re.findall(r"\$\$\{?([A-Za-z_][A-Za-z0-9_]*)", command))
        assert used <= set(service.get("environment", {})), (name, used)


def test_neo4j_healthcheck_takes_the_password_from_neo4j_auth():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j = compose["services"]["neo4j"]
    assert neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/")
    assert "$${NEO4J_AUTH#*/}" in " ".join(neo4j["healthcheck"]["test"])


def test_dockerfile_copies_every_source_folder_of_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {d.split("/")[0] for d in config["package-dir"].values()}
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\S+) \1$", dockerfile, flags=re.M))
    assert folders <= copied, f"COPY these in the Dockerfile: {sorted(folders - copied)}"
    assert re.search(r"pip install .*/dist/partnernet-\*\.whl", dockerfile)
