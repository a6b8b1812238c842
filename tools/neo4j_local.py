"""Start a real Neo4j 5.26 Community server for tests and benchmarks, without Docker.

Order of preference (see :func:`provide`):

1. ``NEO4J_URI`` (with ``NEO4J_USER`` / ``NEO4J_PASSWORD``) if set;
2. testcontainers (``neo4j:5.26-community``) if a Docker engine answers;
3. the launcher in ``tools/neo4j-local``: Maven resolves the Neo4j jars from
   Maven Central on first use (cached in ``~/.m2``) and a small Java class runs
   the DBMS with Bolt on a free loopback port, heap capped at 1 GB.

Run ``python -m tools.neo4j_local`` to start one by hand; it prints the Bolt URI
and runs until interrupted.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Neo4jServer", "Neo4jUnavailable", "provide"]

ROOT = Path(__file__).resolve().parent / "neo4j-local"
IMAGE = "neo4j:5.26-community"


class Neo4jUnavailable(RuntimeError):
    """No Neo4j could be had; the message says what was tried and why it failed."""


@dataclass
class Neo4jServer:
    uri: str
    user: str
    password: str
    how: str  # "NEO4J_URI", "testcontainers" or "local launcher"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _docker_answers() -> bool:
    try:
        import docker  # testcontainers depends on it

        docker.from_env(timeout=3).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means "no engine"
        return False


def build_launcher(*, quiet: bool = True) -> list[str]:
    """Compile the launcher (first run resolves jars with Maven) and return its classpath."""
    cp_file = ROOT / "target" / "classpath.txt"
    classes = ROOT / "target" / "classes"
    if not (cp_file.exists() and (classes / "org").exists()):
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jUnavailable("Maven (mvn) is not installed: cannot resolve the Neo4j jars")
        cmd = [mvn, "-B", "-f", str(ROOT / "pom.xml"), "compile"]
        if quiet:
            cmd.insert(2, "-q")
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1500)
        if proc.returncode != 0:
            raise Neo4jUnavailable("mvn compile of tools/neo4j-local failed:\n"
                                   + proc.stdout[-3000:] + proc.stderr[-3000:])
    return [str(classes), cp_file.read_text().strip()]


@contextmanager
def local_launcher(*, heap: str = "1g", startup_timeout: float = 240, home: Path | None = None,
                   port: int | None = None, kill: bool = False) -> Iterator[Neo4jServer]:
    """Run the Java launcher; stop it (SIGTERM, then SIGKILL; ``kill``: SIGKILL at once) on
    exit. With ``home`` the data folder is kept (to restart on the same data); ``port``
    picks the Bolt port (default: a free one)."""
    java = shutil.which("java")
    if java is None:
        raise Neo4jUnavailable("Java is not installed: cannot run the local Neo4j launcher")
    classpath = os.pathsep.join(build_launcher())
    keep = home is not None
    home = Path(home) if home is not None else Path(tempfile.mkdtemp(prefix="partnernet-neo4j-"))
    home.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    cmd = [java, f"-Xmx{heap}", "-XX:+UseG1GC", "-cp", classpath,
           "org.partnernet.neo4jlocal.Neo4jLocal", str(home), str(port)]
    log = open(home / "launcher.log", "w")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                            text=True)
    found: dict[str, str] = {}

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "=" in line:
                k, v = line.strip().split("=", 1)
                found[k] = v

    threading.Thread(target=reader, daemon=True).start()
    try:
        deadline = time.monotonic() + startup_timeout
        while "BOLT_URI" not in found:
            if proc.poll() is not None:
                log.flush()
                raise Neo4jUnavailable("the local Neo4j launcher exited with code "
                                       f"{proc.returncode}:\n"
                                       + (home / "launcher.log").read_text()[-3000:])
            if time.monotonic() > deadline:
                raise Neo4jUnavailable(f"the local Neo4j did not open Bolt within "
                                       f"{startup_timeout:.0f} s")
            time.sleep(0.2)
        server = Neo4jServer(found["BOLT_URI"], "neo4j", "unused-auth-disabled",
                             f"local launcher ({found.get('NEO4J_VERSION', '?')}, pid {proc.pid})")
        server.pid = proc.pid  # type: ignore[attr-defined]
        server.home = home  # type: ignore[attr-defined]
        yield server
    finally:
        if proc.poll() is None and kill:
            proc.kill()
            proc.wait()
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
        if not keep:
            shutil.rmtree(home, ignore_errors=True)


@contextmanager
def provide() -> Iterator[Neo4jServer]:
    """Yield a running Neo4j by the first way that works (see module docstring)."""
    if os.environ.get("NEO4J_URI"):
        yield Neo4jServer(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                          os.environ.get("NEO4J_PASSWORD", ""), "NEO4J_URI")
        return
    if _docker_answers():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer(IMAGE) as container:
            yield Neo4jServer(container.get_connection_url(), "neo4j", container.password,
                              f"testcontainers ({IMAGE})")
        return
    with local_launcher() as server:
        yield server


if __name__ == "__main__":
    with provide() as srv:
        print(f"Neo4j ready at {srv.uri} ({srv.how}); Ctrl-C to stop", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            sys.exit(0)
