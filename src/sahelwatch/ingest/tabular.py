"""Streaming CSV reading for imports: encodings, true line numbers, bounded chunks.

A file is read in chunks of rows (never whole), each row with the line it starts on,
so an import of a million rows runs in bounded memory and every error names file:line.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..errors import InputError, Rejection

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_BLOCK = 1 << 22


@dataclass
class Encoding:
    name: str                 # codec for open()
    warning: str | None = None


def detect_encoding(path: Path) -> Encoding:
    """UTF-8 (with or without BOM) is expected; anything that is not valid UTF-8 is read as
    Latin-1 with a warning naming the first offending line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    with open(path, "rb") as fh:
        head = fh.read(3)
        bom = head == codecs.BOM_UTF8
        fh.seek(0)
        while True:
            block = fh.read(_BLOCK)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                line = newlines + block.count(b"\n", 0, exc.start) + 1
                return Encoding("latin-1", f"{path}: not valid UTF-8 (first at line {line}); read as Latin-1 — "
                                           "check accented names in the result")
            if not block:
                break
            newlines += block.count(b"\n")
    return Encoding("utf-8-sig" if bom else "utf-8")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Chunk:
    header: list[str]
    rows: list[list[str]]
    lines: list[int]                            # line each row starts on (1-based, header is line 1)
    rejections: list[Rejection] = field(default_factory=list)   # rows that could not even be split
    bytes_read: int = 0                         # position in the file (bytes), for progress


def read_chunks(path: Path, *, encoding: Encoding, chunk_rows: int = 20000,
                group_column: str | None = None,
                header_map: Callable[[list[str]], list[str]] | None = None) -> Iterator[Chunk]:
    """Yield chunks of rows. With ``group_column``, rows sharing that column's value with the
    last row of a chunk are kept in the same chunk (monadic exports: both rows of an event)."""
    try:
        fh = open(path, encoding=encoding.name, newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from exc
    with fh:
        raw = fh.buffer.raw  # position of the bytes read so far (read-ahead included): for progress bars
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: the file is empty (no header line)") from None
        except csv.Error as exc:
            raise InputError(f"{path}:1: cannot read the header: {exc}") from None
        if header_map is not None:
            header = header_map(header)
        width = len(header)
        key = header.index(group_column) if group_column in header else None
        rows: list[list[str]] = []
        lines: list[int] = []
        bad: list[Rejection] = []
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                bad.append(Rejection(str(path), start, "(row)", f"cannot split the row: {exc}"))
                start = reader.line_num + 1
                continue
            line = start
            start = reader.line_num + 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if len(row) != width:
                bad.append(Rejection(str(path), line, "(row)", f"{len(row)} fields where the header has {width}"))
                continue
            if len(rows) >= chunk_rows and (key is None or row[key] != rows[-1][key]):
                yield Chunk(header, rows, lines, bad, raw.tell())
                rows, lines, bad = [], [], []
            rows.append(row)
            lines.append(line)
        if rows or bad:
            yield Chunk(header, rows, lines, bad, raw.tell())
