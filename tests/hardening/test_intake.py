"""Reject before reading (issue 14, point 1): the token, Content-Length and a hard cap on
the body are checked before any byte of the body is read.

Two levels. The ASGI tests call the app with a ``receive`` that counts what the app asked
for: a refused request must not ask for a single chunk. The server test streams a 200 MiB
upload to a real uvicorn process over a socket and watches the process's open files: the
spooled upload must never appear on disk (no token) or never pass the cap (token).
Expected values: by construction of the requests (sizes and caps chosen here).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from partnernet.api.main import create_app
from partnernet.settings import Settings

TOKEN = "intake-token-0123456789"
READ = "intake-read-0123456789"
MiB = 1024 * 1024


def _app(**extra):
    return create_app(settings=Settings(store="sqlite:///unused.db",
                                        api_token=SecretStr(TOKEN), **extra))


PART = (b"--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
        b"Content-Type: text/csv\r\n\r\nid,label,name\r\n")


def _call(app, method: str, path: str, headers: dict[str, str], chunks: int,
          chunk: bytes = b"x" * MiB) -> tuple[int, dict, int]:
    """Send a request whose body is ``chunks`` chunks of 1 MiB (a multipart upload's
    first chunk starts with its part header); return the status, the JSON detail and
    how many chunks the app asked for."""
    multipart = "multipart" in headers.get("content-type", "")
    asked = 0
    sent: list[dict] = []

    async def receive():
        nonlocal asked
        if asked >= chunks:
            return {"type": "http.disconnect"}
        asked += 1
        body = PART + chunk[len(PART):] if multipart and asked == 1 else chunk
        return {"type": "http.request", "body": body, "more_body": asked < chunks}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 8000),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    import json

    return start["status"], json.loads(body or b"{}"), asked


MULTIPART = {"content-type": "multipart/form-data; boundary=XYZ"}
CHUNKED = {"transfer-encoding": "chunked"}


def test_upload_without_token_is_refused_unread():
    app = _app()
    for length in ({"content-length": str(200 * MiB)}, CHUNKED):
        status, body, asked = _call(app, "POST", "/loads", {**MULTIPART, **length}, 200)
        assert (status, asked) == (401, 0), (length, status, asked)
        assert body["detail"] == "missing or wrong bearer token"
    wrong = {**MULTIPART, **CHUNKED, "authorization": f"Bearer {TOKEN}x"}
    assert _call(app, "POST", "/loads", wrong, 200)[::2] == (401, 0)


def test_write_routes_without_token_are_refused_unread():
    app = _app()
    for method, path in (("POST", "/nodes"), ("POST", "/relationships"),
                         ("PATCH", "/nodes/city:br:maringa")):
        status, _, asked = _call(app, method, path,
                                 {"content-type": "application/json", **CHUNKED}, 50)
        assert (status, asked) == (401, 0), (method, path)


def test_declared_length_over_the_cap_is_refused_unread():
    app = _app()
    auth = {"authorization": f"Bearer {TOKEN}"}
    status, body, asked = _call(app, "POST", "/loads",
                                {**MULTIPART, **auth, "content-length": str(200 * MiB)}, 200)
    assert (status, asked) == (413, 0)
    assert "PARTNERNET_UPLOAD_MAX_BYTES" in body["detail"] and "20,971,520" in body["detail"]
    status, body, asked = _call(app, "POST", "/nodes",
                                {"content-type": "application/json", **auth,
                                 "content-length": str(5 * MiB)}, 5)
    assert (status, asked) == (413, 0) and "POST /loads" in body["detail"]
    status, _, asked = _call(app, "POST", "/match", {"content-length": "lots"}, 1)
    assert (status, asked) == (400, 0)


def test_streamed_body_stops_at_the_cap():
    # 4 MiB cap: the fifth 1 MiB chunk (plus the framing margin) passes it; the app never
    # gets more than the cap, whatever it does with what it has
    app = _app(upload_max_bytes=4 * MiB)
    auth = {"authorization": f"Bearer {TOKEN}"}
    status, body, asked = _call(app, "POST", "/loads", {**MULTIPART, **CHUNKED, **auth}, 200)
    assert status == 413 and asked == 5, (status, asked)
    assert "passed 4,259,840 bytes" in body["detail"]
    status, _, asked = _call(app, "POST", "/match", {"content-type": "application/json",
                                                     **CHUNKED}, 100)
    assert (status, asked) == (413, 5)  # 4 MiB JSON cap (PARTNERNET_API_BODY_MAX_BYTES)


def test_reads_with_a_body_need_the_read_token_before_reading():
    app = _app(api_read_token=SecretStr(READ))
    status, _, asked = _call(app, "POST", "/match", {"content-type": "application/json",
                                                     **CHUNKED}, 3)
    assert (status, asked) == (401, 0)


# -- a real server ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    port = _free_port()
    env = {**os.environ, "TMPDIR": str(spool), "PARTNERNET_STORE": f"sqlite:///{tmp_path}/s.db",
           "PARTNERNET_API_TOKEN": TOKEN, "PARTNERNET_UPLOAD_MAX_BYTES": str(4 * MiB)}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "partnernet.api.main:create_app",
                             "--factory", "--port", str(port), "--log-level", "warning"],
                            env=env, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/health").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    try:
        yield proc, port, spool
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class _Disk:
    """Samples the server's open files every few milliseconds: the largest file it holds
    open in the spool folder (a spooled upload rolls over there, unlinked but open)."""

    def __init__(self, pid: int, folder: Path):
        self.pid, self.folder, self.largest, self.seen = pid, str(folder), 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        fds = Path(f"/proc/{self.pid}/fd")
        while not self._stop.is_set():
            for fd in list(fds.iterdir()):
                try:
                    if os.readlink(fd).startswith(self.folder):
                        self.seen += 1
                        self.largest = max(self.largest, os.stat(fd).st_size)
                except OSError:
                    continue
            time.sleep(0.003)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _stream(port: int, headers: str, total: int) -> tuple[int, int, float]:
    """POST a chunked multipart upload of ``total`` bytes; stop when the server answers
    or closes. Returns the status, the bytes sent and the seconds until the answer."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(60)
    answer: dict = {}

    def read():
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                part = sock.recv(65536)
                if not part:
                    break
                data += part
        except OSError:
            pass
        answer["status"] = int(data.split(b" ", 2)[1]) if data else 0
        answer["at"] = time.monotonic()

    reader = threading.Thread(target=read)
    start = time.monotonic()
    sent = 0
    head = (f"POST /loads HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            f"Content-Type: multipart/form-data; boundary=XYZ\r\n{headers}\r\n").encode()
    part = PART
    try:
        sock.sendall(head)
        reader.start()
        sock.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        block = b"x" * (256 * 1024)
        frame = f"{len(block):x}\r\n".encode() + block + b"\r\n"
        while sent < total and "status" not in answer:
            sock.sendall(frame)
            sent += len(block)
        if "status" not in answer:  # all sent: close the part and the chunked body
            end = b"\r\n--XYZ--\r\n"
            sock.sendall(f"{len(end):x}\r\n".encode() + end + b"\r\n0\r\n\r\n")
    except OSError:
        pass  # the server closed the connection: what a refusal should do
    reader.join(timeout=60)
    sock.close()
    return answer.get("status", 0), sent, answer.get("at", time.monotonic()) - start


@pytest.mark.slow
def test_200_mib_upload_never_reaches_the_disk(server):
    proc, port, spool = server
    with _Disk(proc.pid, spool) as disk:
        status, sent, seconds = _stream(port, "", 200 * MiB)
    assert status == 401 and seconds < 3, (status, seconds)
    assert sent < 32 * MiB, f"the server read {sent:,} bytes before refusing"
    assert disk.seen == 0, f"a spooled file appeared (up to {disk.largest:,} bytes)"

    with _Disk(proc.pid, spool) as disk:
        status, sent, seconds = _stream(port, f"Authorization: Bearer {TOKEN}\r\n", 200 * MiB)
    assert status == 413 and seconds < 10, (status, seconds)
    assert sent < 4 * MiB + 32 * MiB
    # Starlette spools an upload to disk past 1 MiB: up to the cap, never beyond it
    assert disk.largest <= 4 * MiB, disk.largest
    assert list(spool.iterdir()) == []
