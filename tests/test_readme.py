"""The README's library example runs as written, on the store `partnernet demo` fills."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("partnernet")


def _blocks(section: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", body, flags=re.S)


def test_library_example_runs(tmp_path, monkeypatch):
    subprocess.run([str(CLI), "demo", "--cities", "80", "--out", str(tmp_path / "out")],
                   cwd=tmp_path, check=True, capture_output=True, timeout=600)
    monkeypatch.chdir(tmp_path)
    [code] = _blocks("Library use (notebooks)")
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    assert len(namespace["top"]) == 10
    assert namespace["top"]["betweenness"].is_monotonic_decreasing
    assert len(namespace["links"]) > 0
    assert len(namespace["ideas"]) > 0 and namespace["ideas"]["reasons"].map(len).min() > 0
    assert "<iframe srcdoc=" in namespace["view"]._repr_html_()
    assert (tmp_path / "report.xlsx").stat().st_size > 5000
