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
    name: str  # codec for open()
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
                return Encoding(
                    "latin-1",
                    f"{path}: not valid UTF-8 (first at line {line}); read as Latin-1 — "
                    "check accented names in the result",
                )
            if not block:
                break
            newlines += block.count(b"\n")
    return Encoding("utf-8-sig" if bom else "utf-8")


def check_input_file(path: Path, what: str = "CSV file") -> None:
    """A path an import can read: it exists, is a file (not a folder), is not empty and is text.
    Messages name the path as given and never print raw bytes (a short escaped excerpt at most)."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a {what}; give one file (e.g. {path}/export.csv)")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from exc
    if not head:
        raise InputError(f"{path}: the file is empty")
    if head[:4] == b"PK\x03\x04" or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(
            f"{path}: an Excel workbook (or another archive), not a {what}; save the sheet as "
            "CSV (UTF-8) and import that"
        )
    text = head.decode("latin-1")
    ctrl = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if b"\x00" in head or ctrl / len(text) > 0.01:
        raise InputError(
            f"{path}: binary data, not a {what} (starts with {_excerpt(text, 24)!s}); "
            "an export from ACLED is a text file with a header line"
        )


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
    lines: list[int]  # line each row starts on (1-based, header is line 1)
    rejections: list[Rejection] = field(default_factory=list)  # rows that could not even be split
    bytes_read: int = 0  # position in the file (bytes), for progress
    #: ids (``group_column``) of refused rows, when they could be read: (id, line, reason), so that the
    #: other rows of a monadic event are refused with them
    refused_keys: list[tuple[str, int, str]] = field(default_factory=list)
    data_lines: int = 0  # physical lines after the header read so far
    blank_lines: int = 0  # blank lines skipped in this chunk
    continuation_lines: int = 0  # extra physical lines of accepted rows (quoted line breaks)


def _looks_like_rows(value: str, width: int) -> bool:
    """A field whose continuation lines hold many delimiters swallowed whole rows: an unclosed quote."""
    threshold = max(2, (width - 1) // 2)
    return any(seg.count(",") >= threshold for seg in value.split("\n")[1:])


def _key_of(physical: str, key: int | None) -> str | None:
    if key is None:
        return None
    try:
        parts = next(csv.reader([physical]))
    except (csv.Error, StopIteration):
        return None
    return parts[key].strip() or None if len(parts) > key else None


def read_chunks(
    path: Path,
    *,
    encoding: Encoding,
    chunk_rows: int = 20000,
    group_column: str | None = None,
    header_map: Callable[[list[str]], list[str]] | None = None,
) -> Iterator[Chunk]:
    """Yield chunks of rows. With ``group_column``, rows sharing that column's value with the
    last row of a chunk are kept in the same chunk (monadic exports: both rows of an event).

    Every physical line is accounted for: a row is accepted, refused (with its line), blank, or the
    continuation of a quoted field. A quoted field that swallows following rows (an unclosed quote)
    is refused as a quoting problem naming the line where the field opened and where reading
    resynchronised, and each swallowed line is refused with it.
    """
    try:
        fh = open(path, encoding=encoding.name, newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from exc
    with fh:
        raw = fh.buffer.raw  # position of the bytes read so far (read-ahead included): for progress bars
        recent: list[str] = []

        def physical() -> Iterator[str]:
            for ln in fh:
                recent.append(ln)
                yield ln

        reader = csv.reader(physical())
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: the file is empty (no header line)") from None
        except csv.Error as exc:
            raise InputError(f"{path}:1: cannot read the header: {exc}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}:1: cannot decode the header ({exc.reason})") from None
        if header_map is not None:
            header = header_map(header)
        width = len(header)
        key = header.index(group_column) if group_column in header else None
        rows: list[list[str]] = []
        lines: list[int] = []
        bad: list[Rejection] = []
        keys: list[tuple[str, int, str]] = []
        blank = cont = 0
        head_lines = reader.line_num
        start = head_lines + 1
        name = str(path)

        def refuse(line: int, reason: str, block: list[str], field_: str = "(row)") -> None:
            bad.append(Rejection(name, line, field_, reason))
            for off, text in enumerate(block):
                k = _key_of(text, key)
                if off:
                    bad.append(
                        Rejection(
                            name,
                            line + off,
                            "(row)",
                            f"inside the quoted field opened on line {line} (see that line)",
                            _excerpt(text),
                        )
                    )
                if k is not None:
                    keys.append(
                        (k, line + off, f"line {line + off}: {reason if not off else 'quoting problem'}")
                    )

        while True:
            recent.clear()
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                refuse(start, f"cannot split the row: {exc}", [])
                start = reader.line_num + 1
                continue
            line = start
            end = reader.line_num
            start = end + 1
            span = end - line + 1
            if span <= 1 and (not row or (len(row) == 1 and not row[0].strip())):
                blank += 1
                continue  # blank line
            block = list(recent)
            if span > 1 and (len(row) != width or any(_looks_like_rows(v, width) for v in row if "\n" in v)):
                refuse(
                    line,
                    f"quoting problem: a quoted field opened on line {line} is not closed on its line "
                    f"(unbalanced quote?); the reader took lines {line}-{end} as one row and "
                    f"resynchronised at line {end + 1}; the {span} lines are refused",
                    block,
                    "(quoting)",
                )
                continue
            if len(row) != width:
                refuse(line, f"{len(row)} fields where the header has {width}", block[:1])
                continue
            if len(rows) >= chunk_rows and (key is None or row[key] != rows[-1][key]):
                yield Chunk(header, rows, lines, bad, raw.tell(), keys, line - 1 - head_lines, blank, cont)
                rows, lines, bad, keys, blank, cont = [], [], [], [], 0, 0
            rows.append(row)
            lines.append(line)
            cont += span - 1
        if rows or bad or blank:
            yield Chunk(header, rows, lines, bad, raw.tell(), keys, reader.line_num - head_lines, blank, cont)


def _excerpt(text: str, limit: int = 60) -> str:
    """A short, escaped excerpt of a line: never raw control bytes on a terminal."""
    text = text.rstrip("\r\n")
    short = text[:limit] + ("…" if len(text) > limit else "")
    return short.encode("unicode_escape", "backslashreplace").decode("ascii", "replace")
