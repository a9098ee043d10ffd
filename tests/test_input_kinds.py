"""Input kinds (issue 16, item 3): datasets and binaries are refused by `extract`, PDFs are read, `import`
never prints raw bytes and names a folder as a folder, long documents are read in parts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from typer.testing import CliRunner

from sahelwatch.cli import app
from sahelwatch.errors import InputError
from sahelwatch.extract.pipeline import Pipeline
from sahelwatch.ingest.documents import paragraph_parts, read_document
from sahelwatch.model import Document

from acled_samples import sample_rows, write_csv


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _flat(text):
    return " ".join(text.split())


def test_a_csv_dataset_is_refused_by_extract(tmp_path):
    f = write_csv(tmp_path / "mali.csv", sample_rows())
    with pytest.raises(InputError, match="this is a dataset") as err:
        read_document(f)
    assert str(f) in str(err.value) and "sahelwatch import" in str(err.value)
    renamed = tmp_path / "export.txt"  # a table whatever its name
    renamed.write_bytes(f.read_bytes())
    with pytest.raises(InputError, match=r"dataset \(CSV\)"):
        read_document(renamed)
    tsv = tmp_path / "t.tsv"
    tsv.write_text("a\tb\tc\td\n1\t2\t3\t4\n5\t6\t7\t8\n")
    with pytest.raises(InputError, match="TSV"):
        read_document(tsv)
    res = _run("extract", f, "--no-store")
    assert res.exit_code != 0 or "this is a dataset" in _flat(res.output)
    assert "Battles" not in res.output


def test_an_xlsx_workbook_is_refused_by_extract(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.append(["event_id_cnty", "event_date", "notes"])
    wb.active.append(["MLI1", "2019-01-01", "Gunmen attacked Boni."])
    f = tmp_path / "book.xlsx"
    wb.save(f)
    renamed = tmp_path / "book.bin"
    renamed.write_bytes(f.read_bytes())
    for path in (f, renamed):
        with pytest.raises(InputError, match=r"dataset \(XLSX\)"):
            read_document(path)
    res = _run("import", "acled", f, "--db", tmp_path / "s.db")
    assert res.exit_code == 2 and "Excel workbook" in res.output and not (tmp_path / "s.db").exists()


def test_prose_with_commas_is_not_a_dataset(tmp_path):
    f = tmp_path / "report.txt"
    f.write_text(
        "On 3 May 2019, gunmen killed four villagers in Boni, Mopti region.\n"
        "The army said, in a statement, that it sent reinforcements.\n"
        "Residents, however, said the attackers left before dawn, on motorbikes, towards Hombori.\n"
    )
    assert "Boni" in read_document(f).text


def _pdf_bytes(lines):
    """A minimal one-page PDF with a text layer (Helvetica), written by hand."""
    ops = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({ln}) Tj T*" for ln in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(ops)} >>\nstream\n{ops}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_a_pdf_report_is_read(tmp_path):
    f = tmp_path / "report.pdf"
    f.write_bytes(
        _pdf_bytes(
            [
                "On 3 May 2019, unknown gunmen killed four villagers in Boni.",
                "The attackers fled on motorbikes.",
            ]
        )
    )
    doc = read_document(f, published="2019-05-04")
    assert "killed four villagers in Boni" in doc.text and doc.meta["format"] == "pdf"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match="PDF") as err:
        read_document(broken)
    assert str(broken) in str(err.value)


def test_binary_files_are_refused_by_extract(tmp_path):
    f = tmp_path / "photo.jpg"
    f.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20)
    with pytest.raises(InputError) as err:
        read_document(f)
    assert str(f) in str(err.value)


def test_import_never_prints_raw_bytes_and_names_folders(tmp_path):
    blob = tmp_path / "blob.csv"
    blob.write_bytes(b"\x1b[31m\x00\x01\x02\xff\xfe" + bytes(range(256)) * 40)
    res = _run("import", "acled", blob, "--db", tmp_path / "s.db")
    assert res.exit_code == 2
    assert "\x1b" not in res.output and "\x00" not in res.output and "\x01" not in res.output
    assert str(blob) in _flat(res.output) and "binary" in res.output
    folder = tmp_path / "exports"
    folder.mkdir()
    res = _run("import", "acled", folder, "--db", tmp_path / "s.db")
    assert res.exit_code == 2 and "is a folder" in res.output and str(folder) in _flat(res.output)
    res = _run("import", "acled", tmp_path / "nope.csv", "--db", tmp_path / "s.db")
    assert res.exit_code == 2 and "no such file" in res.output


def test_import_of_a_text_file_names_the_path_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.csv").write_text("Just some words\nwith no columns\n")
    res = _run("import", "acled", "notes.csv", "--db", "s.db")
    assert res.exit_code == 2 and "notes.csv:1: not an ACLED export" in _flat(res.output)
    assert str(tmp_path) not in _flat(res.output)


def test_paragraph_parts_cover_the_text_exactly():
    text = "\n\n".join(f"Paragraph {i}. " + "word " * (i % 17 + 3) for i in range(300))
    parts = paragraph_parts(text, 500)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= 500 for _, p in parts)
    assert all(text[o : o + len(p)] == p for o, p in parts)
    assert all(p.endswith("\n\n") for _, p in parts[:-1])  # cut between paragraphs
    assert paragraph_parts("short", 500) == [(0, "short")]


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline.load(country_focus="Mali")


def _key(e):
    return (
        e.event_id_cnty,
        e.event_date,
        e.event_type,
        e.sub_event_type,
        e.actor1,
        e.actor2,
        e.location,
        e.fatalities,
        e.provenance.char_start,
        e.provenance.char_end,
        e.provenance.sentence,
    )


def test_a_long_document_read_in_parts_gives_the_same_events(pipeline):
    paras = [
        "On {d} May 2019, unknown gunmen killed four villagers in Boni. The attackers fled on motorbikes.",
        "On {d} May 2019, soldiers clashed with JNIM militants near Douentza; two soldiers were killed.",
        "On {d} May 2019, an IED exploded under a MINUSMA vehicle near Tessalit, wounding three peacekeepers.",
        "The market in Mopti was quiet on Friday, traders said.",
        "On {d} May 2019, hundreds of students protested in Bamako against the closure of their school.",
    ]
    text = "\n\n".join(p.format(d=1 + 5 * k + i) for k in range(5) for i, p in enumerate(paras))
    doc = Document(id="long1", text=text, published=dt.date(2019, 5, 31), language="en")
    whole = pipeline.extract(doc)
    parts = pipeline.extract_in_parts(
        Document(id="long1", text=text, published=dt.date(2019, 5, 31), language="en"), max_chars=400
    )
    assert len(paragraph_parts(text, 400)) > 5
    assert whole.events and sorted(map(_key, whole.events)) == sorted(map(_key, parts.events))
    assert any("read in" in m for m in parts.messages)


def test_a_text_over_the_parser_limit_does_not_crash(pipeline):
    para = (
        "On 3 May 2019, unknown gunmen killed four villagers in Boni. The attackers fled on motorbikes.\n\n"
    )
    filler = "Residents described the day in detail and spoke about the market and the weather.\n\n"
    text = para + filler * 30 + para.replace("3 May", "4 May").replace("Boni", "Douentza")
    old = pipeline.nlp.max_length
    pipeline.nlp.max_length = 1000  # a small limit stands in for spaCy's 1,000,000 characters
    try:
        r = pipeline.extract(Document(id="big", text=text, published=dt.date(2019, 5, 31), language="en"))
        piped = list(
            pipeline.pipe([Document(id="big", text=text, published=dt.date(2019, 5, 31), language="en")])
        )
    finally:
        pipeline.nlp.max_length = old
    assert {e.location for e in r.events} >= {"Boni", "Douentza"}
    assert sorted(map(_key, piped[0].events)) == sorted(map(_key, r.events))
