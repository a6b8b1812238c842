"""Safe parsers with caps (issue 14, point 3): DTDs refused whatever the encoding or position,
caps on size, inflated size, rows, cells, value length and nesting for CSV, XLSX, JSON,
GraphML and GEXF, checked as the file is read and reported with file, row and column and
the setting that raises the cap; the same caps from the settings on the CLI and the API.

The hostile files are built here, by hand, from what the issue reports (a DOCTYPE after a
6 KB comment, UTF-16, a 200,000-level JSON, an XLSX inflating to a million rows).
"""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import SecretStr

from partnernet.api.main import create_app
from partnernet.cli.main import cli
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.errors import LoadErrors
from partnernet.loaders.load import load_files, plan_files
from partnernet.settings import Settings

TOKEN = "limits-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

LAUGHS = ('<!DOCTYPE graphml [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
GRAPHML = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
           '<key id="n" for="node" attr.name="name" attr.type="string"/>'
           '<graph edgedefault="undirected"><node id="city:x"><data key="n">&c;</data></node>'
           "</graph></graphml>")


def Caps(**kw):  # noqa: N802 - imported late: the module is new (tests must fail before it)
    from partnernet.loaders.limits import Caps

    return Caps(**kw)


def _refused(paths, match, **kw):
    with pytest.raises(LoadErrors) as err:
        plan_files(paths, **kw)
    text = str(err.value)
    assert match in text, text
    return err.value


# -- DTDs --------------------------------------------------------------------------------------
def test_dtd_after_a_long_comment_is_refused(tmp_path):
    p = tmp_path / "late.graphml"
    p.write_text('<?xml version="1.0"?>\n<!--' + "x" * 6000 + "-->\n" + LAUGHS + GRAPHML,
                 encoding="utf-8")
    _refused([p], "DOCTYPE")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8"])
@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_dtd_is_refused_in_any_encoding(tmp_path, encoding, suffix):
    decl = "UTF-16" if encoding.startswith("utf-16") else "UTF-8"
    body = GRAPHML if suffix == ".graphml" else (
        '<gexf xmlns="http://gexf.net/1.3"><graph><nodes><node id="a" label="&c;"/></nodes>'
        "</graph></gexf>")
    text = f'<?xml version="1.0" encoding="{decl}"?>' + LAUGHS.replace("graphml", "x") + body
    p = tmp_path / f"bomb{suffix}"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    p.write_bytes(data)
    _refused([p], "DOCTYPE")


def _xlsx(sheet: bytes | str, *, shared: str | None = None, level: int = 6) -> bytes:
    """A minimal workbook written by hand (openpyxl would not write a DTD or a bomb)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
        'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/office'
        'Document" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="nodes" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return buf.getvalue()


SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
              'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


def _cell(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = "<row>" + "".join(_cell(h) for h in ("id", "label", "name")) + "</row>"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_dtd_in_a_workbook_part_is_refused(tmp_path, encoding):
    decl = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
    sheet = (decl + "<!--" + "x" * 6000 + "-->" + LAUGHS.replace("graphml", "worksheet")
             + SHEET_HEAD.split("?>", 1)[1] + HEADER_ROW
             + "<row>" + _cell("city:x") + _cell("City") + _cell("&c;") + "</row>"
             + SHEET_TAIL)
    p = tmp_path / "bomb.xlsx"
    p.write_bytes(_xlsx(sheet.encode(encoding)))
    _refused([p], "DOCTYPE")


# -- decompression bombs -------------------------------------------------------------------------
def _row_bomb(rows: int) -> bytes:
    """An XLSX whose one sheet holds ``rows`` identical rows: a few hundred KB inflating to
    tens or hundreds of MB (deflate reaches ~1000:1 on it), written in pieces."""
    row = ("<row>" + _cell("city:x") + _cell("City") + _cell("X") + "</row>").encode()
    buf = io.BytesIO(_xlsx("", level=9))
    names = zipfile.ZipFile(buf).namelist()
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                      compresslevel=9) as z:
        for name in names:
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, src.read(name))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write((SHEET_HEAD + HEADER_ROW).encode())
            block = row * 10_000
            for _ in range(rows // 10_000):
                f.write(block)
            f.write(SHEET_TAIL.encode())
    return out.getvalue()


def test_xlsx_inflating_past_the_cap_is_refused_before_inflating(tmp_path):
    # 2,000,000 rows: about 1 MB on disk, 266 MB inflated (the bomb was 528 KB
    # inflating to 1,000,000 rows: 131 s and 1.5 GB before this cap)
    p = tmp_path / "bomb.xlsx"
    p.write_bytes(_row_bomb(2_000_000))
    assert p.stat().st_size < 2_000_000
    tracemalloc.start()
    err = _refused([p], "PARTNERNET_LOAD_MAX_UNCOMPRESSED_BYTES")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "inflates to" in err.errors[0].message
    assert peak < 50 * 1024 * 1024  # the archive is read, never inflated


def test_xlsx_rows_stop_at_the_cap(tmp_path):
    p = tmp_path / "rows.xlsx"
    p.write_bytes(_row_bomb(1_000_000))  # 1,000,000 rows, 133 MB inflated: under that cap
    tracemalloc.start()
    err = _refused([p], "PARTNERNET_LOAD_MAX_ROWS", caps=Caps(max_rows=1000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert err.errors[0].row == 1002  # the first row past the cap, as the sheet numbers it
    assert peak < 60 * 1024 * 1024  # streamed: stopped at row 1,002 of 1,000,001


def test_zip_upload_inflating_past_the_cap_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("nodes.csv", "id,label,name\n" + "city:x,City,X\n" * 2_000_000)
    p = tmp_path / "g.zip"
    p.write_bytes(buf.getvalue())
    _refused([p], "PARTNERNET_LOAD_MAX_UNCOMPRESSED_BYTES",
             caps=Caps(max_uncompressed_bytes=10 * 1024 * 1024))


def test_archive_lying_about_its_sizes_is_never_inflated_past_them(tmp_path):
    import struct

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("nodes.csv", "id,label,name\n" + "city:x,City,X\n" * 2_000_000)  # 28 MB
    data = bytearray(buf.getvalue())
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # declare 1,000 bytes
        struct.pack_into("<I", data, data.find(header) + offset, 1000)
    p = tmp_path / "liar.zip"
    p.write_bytes(bytes(data))
    tracemalloc.start()
    err = _refused([p], "CRC")  # zipfile stops at the declared size and the CRC fails
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "not a readable ZIP archive" in err.errors[0].message
    assert peak < 10 * 1024 * 1024


def test_workbook_part_lying_about_its_size_is_never_inflated_whole(tmp_path):
    # a 300 MB styles part declared as 1,000 bytes: openpyxl reads such parts with one
    # read(), which inflated it whole (628 MB resident before) and only then failed the CRC
    import struct

    src = zipfile.ZipFile(io.BytesIO(_xlsx(SHEET_HEAD + HEADER_ROW + SHEET_TAIL)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info))
        with z.open("xl/styles.xml", "w") as f:
            f.write(b"<a>")
            for _ in range(300):
                f.write(b" " * 1_000_000)
            f.write(b"</a>")
    data = bytearray(out.getvalue())
    name = b"xl/styles.xml"
    struct.pack_into("<I", data, data.find(name) - 30 + 22, 1000)  # local header
    struct.pack_into("<I", data, data.rfind(name) - 46 + 24, 1000)  # central directory
    p = tmp_path / "liar.xlsx"
    p.write_bytes(bytes(data))
    tracemalloc.start()
    with pytest.raises(LoadErrors) as err:
        plan_files([p])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert "not a readable ZIP archive" in err.value.errors[0].message
    assert "CRC" in err.value.errors[0].message


# -- JSON ----------------------------------------------------------------------------------------
def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path):
    p = tmp_path / "deep.json"
    p.write_text('{"nodes": ' + "[" * 200_000 + "]" * 200_000 + "}", encoding="utf-8")
    err = _refused([p], "PARTNERNET_LOAD_MAX_DEPTH")
    assert "levels deep" in err.errors[0].message
    q = tmp_path / "40.json"  # under Python's limit, over the cap (32): measured after parsing
    q.write_text('{"nodes": [{"id": "city:x", "label": "City", "name": "X", "props": {"a": '
                 + "[" * 40 + "]" * 40 + "}}]}", encoding="utf-8")
    err = _refused([q], "PARTNERNET_LOAD_MAX_DEPTH")
    assert (err.errors[0].file, err.errors[0].row, err.errors[0].column) == \
        ("40.json nodes", 1, "a")


def test_json_depth_counts_brackets_outside_strings_only(tmp_path):
    p = tmp_path / "ok.json"
    p.write_text(json.dumps({"nodes": [{"id": "city:x", "label": "City", "name": "[" * 500,
                                        "source": "{{{" * 100}]}), encoding="utf-8")
    plan, _ = plan_files([p])
    assert plan.nodes[0].name == "[" * 500


def test_json_with_only_nodes_loads(sqlite_store, tmp_path):
    p = tmp_path / "nodes.json"
    p.write_text(json.dumps({"nodes": [{"id": "city:br:x", "label": "City", "name": "X"}]}),
                 encoding="utf-8")
    assert load_files(sqlite_store, [p]).summary.nodes_created == 1
    q = tmp_path / "rels.json"
    q.write_text(json.dumps({"nodes": [], "relationships": [
        {"start": "city:br:x", "type": "PARTNERS_WITH", "end": "city:br:x"}]}),
        encoding="utf-8")
    assert load_files(sqlite_store, [q]).summary.relationships_created == 1


def test_json_caps_name_item_and_field(tmp_path):
    p = tmp_path / "g.json"
    nodes = [{"id": f"city:{i}", "label": "City", "name": "N", "props": {"note": "x" * 60}}
             for i in range(5)]
    p.write_text(json.dumps({"nodes": nodes}), encoding="utf-8")
    err = _refused([p], "PARTNERNET_LOAD_MAX_VALUE_CHARS", caps=Caps(max_value_chars=50))
    assert (err.errors[0].file, err.errors[0].row, err.errors[0].column) == \
        ("g.json nodes", 1, "note")
    _refused([p], "PARTNERNET_LOAD_MAX_ROWS", caps=Caps(max_rows=4))
    _refused([p], "PARTNERNET_LOAD_MAX_CELLS", caps=Caps(max_cells=12))


# -- CSV -----------------------------------------------------------------------------------------
def test_csv_caps(tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("id,label,name,note\n" + "".join(f"city:{i},City,N{i},{'y' * (i * 10)}\n"
                                                  for i in range(1, 21)), encoding="utf-8")
    err = _refused([p], "PARTNERNET_LOAD_MAX_ROWS", caps=Caps(max_rows=10))
    assert err.errors[0].row == 12
    err = _refused([p], "PARTNERNET_LOAD_MAX_CELLS", caps=Caps(max_cells=30))
    assert err.errors[0].row == 9  # 4 cells a row: the 31st is on spreadsheet row 9
    err = _refused([p], "PARTNERNET_LOAD_MAX_VALUE_CHARS", caps=Caps(max_value_chars=150))
    assert [(e.row, e.column) for e in err.errors] == [(i + 1, "note") for i in range(16, 21)]
    _refused([p], "PARTNERNET_LOAD_MAX_BYTES", caps=Caps(max_bytes=1024))


# -- GraphML and GEXF ----------------------------------------------------------------------------
def test_graph_xml_caps(tmp_path):
    nodes = "".join(f'<node id="city:{i}"><data key="n">N{i}</data></node>' for i in range(8))
    p = tmp_path / "g.graphml"
    p.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
                 '<key id="n" for="node" attr.name="name" attr.type="string"/>'
                 '<key id="d" for="node" attr.name="note" attr.type="string"/>'
                 f'<graph edgedefault="undirected">{nodes}'
                 f'<node id="city:long"><data key="n">L</data><data key="d">{"z" * 200_000}'
                 "</data></node></graph></graphml>", encoding="utf-8")
    err = _refused([p], "PARTNERNET_LOAD_MAX_VALUE_CHARS")  # the default cap: 100,000
    assert (err.errors[0].row, err.errors[0].column) == (9, "note")
    _refused([p], "PARTNERNET_LOAD_MAX_ROWS", caps=Caps(max_rows=5))
    _refused([p], "PARTNERNET_LOAD_MAX_DEPTH", caps=Caps(max_depth=3))


# -- the same caps on the CLI and the API, from the settings -------------------------------------
def test_cli_and_api_take_the_caps_from_the_settings(tmp_path, monkeypatch):
    p = tmp_path / "n.csv"
    p.write_text("id,label,name\n" + "".join(f"city:{i},City,N{i}\n" for i in range(10)),
                 encoding="utf-8")
    monkeypatch.setenv("PARTNERNET_LOAD_MAX_ROWS", "5")
    from partnernet.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["--store", f"sqlite:///{tmp_path / 'c.db'}", "load",
                                          str(p)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "more than 5 rows; the limit is 5 (PARTNERNET_LOAD_MAX_ROWS)" in result.output
    store = SQLiteStore(tmp_path / "a.db")
    settings = Settings(store="sqlite:///unused.db", api_token=SecretStr(TOKEN),
                        load_max_rows=5)
    with TestClient(create_app(settings=settings, store=store, cache_ttl=0)) as client:
        r = client.post("/loads", files={"file": ("n.csv", p.read_bytes(), "text/csv")},
                        headers=AUTH)
        assert r.status_code == 422
        assert "PARTNERNET_LOAD_MAX_ROWS" in r.json()["errors"][0]["message"]
        deep = '{"nodes": ' + "[" * 200_000 + "]" * 200_000 + "}"
        r = client.post("/loads", files={"file": ("d.json", deep.encode(), "application/json")},
                        headers=AUTH)
        assert r.status_code == 422 and "PARTNERNET_LOAD_MAX_DEPTH" in r.text
    assert store.counts().total_nodes == 0
    store.close()


def test_caps_cannot_exceed_the_value_domain():
    from partnernet.graph.schema.properties import MAX_TEXT

    with pytest.raises(ValueError, match="value domain"):
        Caps(max_value_chars=MAX_TEXT + 1)
    with pytest.raises(ValueError):
        Settings(load_max_value_chars=MAX_TEXT + 1)
