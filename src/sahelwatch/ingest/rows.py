"""Importing files whose rows map one-to-one onto events through a row mapper (UCDP GED…)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

from ..errors import InputError, Rejection, RowError
from ..model import Event
from ..store.writer import records_from_events
from .report import ImportReport
from .tabular import _excerpt, check_input_file, detect_encoding, file_sha256, read_chunks

RowMapper = Callable[[Mapping[str, str]], Event]


def import_mapped_csv(
    store: Any,
    path: str | Path,
    mapper: RowMapper,
    *,
    dataset: str,
    strict: bool = False,
    chunk_rows: int = 5000,
    check_header: Callable[[list[str]], bool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read a CSV in chunks, map each row to an Event, validate it and store it (one transaction)."""
    path = Path(path)
    check_input_file(path, f"{dataset} CSV file")
    enc = detect_encoding(path)
    chunks = read_chunks(
        path,
        encoding=enc,
        chunk_rows=chunk_rows,
        header_map=lambda h: [c.strip().lstrip("\ufeff") for c in h],
    )
    with store.importing(dataset, str(path), file_sha256(path), strict=strict) as (conn, report):
        if enc.warning:
            report.warnings.append(enc.warning)
        seen: dict[str, int] = {}
        for n_chunk, chunk in enumerate(chunks):
            if n_chunk == 0 and check_header is not None and not check_header(chunk.header):
                raise InputError(
                    f"{path}:1: not a {dataset} file (columns: {_excerpt(', '.join(chunk.header[:10]), 200)}…)"
                )
            events: list[Event] = []
            for rej in chunk.rejections:
                report.rows += 1
                report.reject(rej)
            report.lines = max(report.lines, chunk.data_lines)
            report.blank_lines += chunk.blank_lines
            report.continuation_lines += chunk.continuation_lines
            for values, line in zip(chunk.rows, chunk.lines):
                report.rows += 1
                row = dict(zip(chunk.header, values))
                try:
                    ev = mapper(row)
                except RowError as err:
                    report.reject(
                        Rejection(
                            str(path),
                            line,
                            err.field,
                            err.reason,
                            None if err.value is None else str(err.value),
                        )
                    )
                    continue
                problems = ev.problems(allow_missing_sub=True)
                if ev.event_id_cnty in seen:
                    problems.append(
                        ("event_id_cnty", f"duplicate id (first at line {seen[ev.event_id_cnty]})")
                    )
                if problems:
                    for i, (fld, why) in enumerate(problems):
                        rej = Rejection(str(path), line, fld, why, str(getattr(ev, fld, "")))
                        report.reject(rej, new_row=i == 0)
                    continue
                seen[ev.event_id_cnty] = line
                ev.provenance.file, ev.provenance.row, ev.provenance.dataset = str(path), line, dataset
                events.append(ev)
            store.write_records(conn, list(records_from_events(events, dataset)), report)
            if progress is not None:
                progress(chunk.bytes_read)
    return report
