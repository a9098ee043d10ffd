"""ACLED exports into the store: current (lower-case) and old (upper-case, dd/mm/yyyy) formats,
dyadic (one row per event) and monadic (one row per actor) exports, and API rows.

Rows are read in chunks and checked column by column (vectorised), so a million-row file
streams in bounded memory; every refused row is reported with file:line, field and reason.
"""

from __future__ import annotations

import hashlib
import operator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np
import pandas as pd
from sqlalchemy import update

from .. import taxonomy
from ..errors import InputError, Rejection
from ..model import ACLED_COLUMNS
from ..store import schema
from ..store.writer import BASE_COLUMNS, content_hash, dumps
from .report import ImportReport
from .tabular import Chunk, _excerpt, check_input_file, detect_encoding, file_sha256, read_chunks

_RENAME = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
_ACLED_SET = frozenset(ACLED_COLUMNS)
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d/%m/%Y", "%d-%B-%Y", "%d-%b-%y", "%Y-%m-%dT%H:%M:%S")
_INT_FIELDS = ("year", "inter1", "inter2", "interaction", "iso", "timestamp")
_PRECISION_FIELDS = ("time_precision", "geo_precision")
_TEXT_FIELDS = (
    "disorder_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "civilian_targeting",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "source",
    "source_scale",
    "notes",
    "tags",
)
ProgressFn = Callable[[int], None]


def normalise_header(header: list[str]) -> list[str]:
    """Lower-case names, old names mapped to current ones, unnamed columns named."""
    out = []
    for i, name in enumerate(header):
        key = name.strip().lstrip("\ufeff").lower()
        out.append(_RENAME.get(key, key) or f"column_{i + 1}")
    return out


@dataclass
class _Context:
    file: str
    dataset: str
    header: list[str]
    legacy: bool
    monadic: bool
    synth_id: bool
    seen: dict[str, int] = field(default_factory=dict)  # id -> line of its (first) row in this import
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)  # id -> (line, reason) of a refused row
    synth_counts: dict[str, int] = field(default_factory=dict)  # content id -> rows seen with it
    accepted_earlier: dict[str, int] = field(default_factory=dict)  # monadic ids stored by an earlier chunk
    identical: list[tuple[int, str]] = field(
        default_factory=list
    )  # (line, id) of rows repeating an earlier row


def import_acled(
    store: Any,
    path: str | Path,
    *,
    strict: bool = False,
    dataset: str = "acled",
    chunk_rows: int = 20000,
    progress: ProgressFn | None = None,
) -> ImportReport:
    """Import an ACLED CSV export into ``store`` (one transaction; idempotent)."""
    path = Path(path)
    check_input_file(path, "CSV export")
    enc = detect_encoding(path)
    sha = file_sha256(path)
    chunks = read_chunks(
        path, encoding=enc, chunk_rows=chunk_rows, group_column="event_id_cnty", header_map=normalise_header
    )
    with store.importing(dataset, str(path), sha, strict=strict) as (conn, report):
        if enc.warning:
            report.warnings.append(enc.warning)
        _run(store, conn, report, chunks, str(path), dataset, progress)
    return report


def import_acled_rows(
    store: Any,
    rows: Iterable[dict[str, Any]],
    *,
    source: str = "ACLED API",
    dataset: str = "acled",
    strict: bool = False,
    chunk_rows: int = 5000,
) -> ImportReport:
    """Import ACLED rows given as dicts (the API's JSON), with the same checks as a file."""

    def chunks() -> Iterator[Chunk]:
        header: list[str] | None = None
        buf: list[list[str]] = []
        lines: list[int] = []
        for i, row in enumerate(rows, start=1):
            if header is None:
                header = normalise_header(list(row))
                keys = list(row)
            buf.append(["" if row.get(k) is None else str(row.get(k)) for k in keys])
            lines.append(i)
            if len(buf) >= chunk_rows:
                yield Chunk(header, buf, lines)
                buf, lines = [], []
        if buf and header is not None:
            yield Chunk(header, buf, lines)

    with store.importing(dataset, source, None, strict=strict) as (conn, report):
        _run(store, conn, report, chunks(), source, dataset, None)
    return report


def _run(
    store,
    conn,
    report: ImportReport,
    chunks: Iterable[Chunk],
    file: str,
    dataset: str,
    progress: ProgressFn | None,
) -> _Context | None:
    ctx: _Context | None = None
    for chunk in chunks:
        if ctx is None:
            ctx = _make_context(chunk.header, file, dataset, report)
        for rej in chunk.rejections:
            report.rows += 1
            report.reject(rej)
        for eid, line, why in chunk.refused_keys:
            ctx.refused.setdefault(eid, (line, why))
            if ctx.monadic and eid in ctx.accepted_earlier:
                _stored_half(ctx, report, eid, line)
        report.lines = max(report.lines, chunk.data_lines)
        report.blank_lines += chunk.blank_lines
        report.continuation_lines += chunk.continuation_lines
        report.rows += len(chunk.rows)
        if chunk.rows:
            rows, merges = _normalise(chunk, ctx, report)
            store.write_rows(conn, rows, report)
            if merges:
                _merge_late_monadic(conn, merges, report)
        if progress is not None:
            progress(chunk.bytes_read)
    if ctx is not None and ctx.identical:
        n = len(ctx.identical)
        first = ", ".join(str(line) for line, _ in ctx.identical[:5]) + (", …" if n > 5 else "")
        report.warnings.append(
            f"{file}: {n} row{'s' if n != 1 else ''} identical in every column to an earlier row "
            f"{'are' if n != 1 else 'is'} kept as separate events, numbered -2, -3… (lines {first}; "
            f"e.g. id {ctx.identical[0][1]})"
        )
    return ctx


def _stored_half(ctx: _Context, report: ImportReport, eid: str, line: int) -> None:
    report.warnings.append(
        f"{ctx.file}:{ctx.accepted_earlier[eid]}: the first row of monadic event {eid} was stored before "
        f"its refused row at line {line} was read (rows far apart in the file): the event has one side "
        "only; fix the file and import it again"
    )


def _make_context(header: list[str], file: str, dataset: str, report: ImportReport) -> _Context:
    required = {"event_date", "event_type", "country"}
    missing = sorted(required - set(header))
    if missing:
        found = _excerpt(", ".join(header[:12]) + ("…" if len(header) > 12 else ""), 200)
        raise InputError(
            f"{file}:1: not an ACLED export: missing column(s) {', '.join(missing)} (found: {found})"
        )
    legacy = "gwno" in header or "sub_event_type" not in header
    monadic = "actor1" in header and "actor2" not in header
    synth = "event_id_cnty" not in header
    if synth:
        report.warnings.append(
            f"{file}: no event_id_cnty column; ids are made from each row's content (prefix SW), so "
            "importing the file again is still idempotent"
        )
    if monadic:
        report.warnings.append(
            f"{file}: monadic export (one row per actor): rows with the same "
            "event_id_cnty are merged, the first giving actor1 and the second actor2"
        )
    return _Context(file, dataset, header, legacy, monadic, synth)


def _parse_dates(s: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = s.str.strip().replace("", np.nan).notna()
    for fmt in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(s[todo].str.strip(), format=fmt, errors="coerce")
        ok = parsed.notna()
        out.loc[parsed.index[ok]] = parsed[ok]
        todo.loc[parsed.index[ok]] = False
    return out


def _ints(s: pd.Series) -> np.ndarray:
    """Float array (NaN = empty) and parse failures are found by the caller."""
    return pd.to_numeric(s.str.strip().replace("", np.nan), errors="coerce").to_numpy(dtype="float64")


def _py_ints(a: np.ndarray) -> list[int | None]:
    return [None if v != v else int(v) for v in a.tolist()]


def _py_floats(a: np.ndarray) -> list[float | None]:
    return [None if v != v else float(v) for v in a.tolist()]


def _normalise(chunk: Chunk, ctx: _Context, report: ImportReport) -> tuple[list[tuple], list[dict]]:
    df = pd.DataFrame(chunk.rows, columns=chunk.header, dtype="str")
    n = len(df)
    lines = np.asarray(chunk.lines)
    col = lambda name: df[name] if name in df.columns else pd.Series([""] * n, dtype="str")  # noqa: E731
    problems: list[tuple[np.ndarray, str, str, pd.Series | None]] = []  # (mask, field, reason, values)

    # --- ids
    if ctx.synth_id:
        ids = _synth_ids(df, ctx, report, chunk.lines)
    else:
        ids = col("event_id_cnty").str.strip()
        problems.append(((ids == "").to_numpy(), "event_id_cnty", "missing id", None))

    # --- dates
    raw_date = col("event_date")
    dates = _parse_dates(raw_date)
    problems.append(
        (
            dates.isna().to_numpy(),
            "event_date",
            "cannot read the date (expected YYYY-MM-DD, '30 December 2019' or dd/mm/yyyy)",
            raw_date,
        )
    )

    # --- types (legacy names mapped)
    etype = col("event_type").str.strip()
    stype = col("sub_event_type").str.strip()
    inter1 = _ints(col("inter1"))
    inter2 = _ints(col("inter2"))
    if ctx.legacy:
        etype, stype = _map_legacy(etype, stype, inter1, inter2)
    parent = taxonomy.sub_event_parent()
    known_types = taxonomy.types_set()
    bad_type = ~etype.isin(known_types).to_numpy()
    problems.append((bad_type, "event_type", "unknown event type (see `sahelwatch types`)", etype))
    has_sub = (stype != "").to_numpy()
    sub_parent = stype.map(parent)
    unknown_sub = has_sub & sub_parent.isna().to_numpy() & ~bad_type
    problems.append((unknown_sub, "sub_event_type", "unknown sub-event type", stype))
    wrong_parent = has_sub & sub_parent.notna().to_numpy() & (sub_parent != etype).to_numpy() & ~bad_type
    problems.append(
        (
            wrong_parent,
            "sub_event_type",
            "sub-event type belongs to another event type",
            stype + " (belongs to " + sub_parent.fillna("") + ")",
        )
    )
    if not ctx.legacy:
        problems.append((~has_sub & ~bad_type, "sub_event_type", "sub-event type is empty", None))

    # --- numbers
    numeric: dict[str, np.ndarray] = {}
    for name in _INT_FIELDS + _PRECISION_FIELDS + ("fatalities",):
        raw = col(name)
        vals = _ints(raw)
        given = (raw.str.strip() != "").to_numpy()
        with np.errstate(invalid="ignore"):
            notint = given & (~np.isfinite(vals) | (vals != np.round(vals)))
            huge = given & np.isfinite(vals) & (np.abs(vals) > 2**53)  # beyond what a store integer holds
        problems.append((notint, name, "not a whole number", raw))
        problems.append((huge & ~notint, name, "number too large", raw))
        vals = np.where(notint | huge, np.nan, vals)
        numeric[name] = vals
    for name in ("inter1", "inter2"):
        v = numeric[name]
        problems.append((~np.isnan(v) & ((v < 0) | (v > 8)), name, "inter code outside 0-8", col(name)))
    for name in _PRECISION_FIELDS:
        v = numeric[name]
        problems.append(
            (~np.isnan(v) & ~np.isin(v, (1, 2, 3)), name, "precision code must be 1, 2 or 3", col(name))
        )
    fat = numeric["fatalities"]
    problems.append(
        (np.isnan(fat) & (col("fatalities").str.strip() == "").to_numpy(), "fatalities", "empty", None)
    )
    problems.append((fat < 0, "fatalities", "negative count", col("fatalities")))

    lat_raw, lon_raw = col("latitude"), col("longitude")
    lat = pd.to_numeric(lat_raw.str.strip().replace("", np.nan), errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(lon_raw.str.strip().replace("", np.nan), errors="coerce").to_numpy(dtype="float64")
    lat_given = (lat_raw.str.strip() != "").to_numpy()
    lon_given = (lon_raw.str.strip() != "").to_numpy()
    problems.append((lat_given & np.isnan(lat), "latitude", "not a number", lat_raw))
    problems.append((lon_given & np.isnan(lon), "longitude", "not a number", lon_raw))
    problems.append((~np.isnan(lat) & ((lat < -90) | (lat > 90)), "latitude", "outside -90..90", lat_raw))
    problems.append(
        (~np.isnan(lon) & ((lon < -180) | (lon > 180)), "longitude", "outside -180..180", lon_raw)
    )
    problems.append((lat_given != lon_given, "latitude", "only one of latitude/longitude given", None))

    # --- collect problems per row
    bad = np.zeros(n, dtype=bool)
    for mask, *_ in problems:
        bad |= mask
    first_reason: dict[int, str] = {}
    for i in np.flatnonzero(bad):
        first = True
        for mask, fld, why, vals in problems:
            if mask[i]:
                report.reject(
                    Rejection(ctx.file, int(lines[i]), fld, why, None if vals is None else str(vals.iloc[i])),
                    new_row=first,
                )
                if first:
                    first_reason[int(i)] = f"{fld}: {why}"
                first = False
    if ctx.monadic:  # a monadic event is accepted or refused as a whole: note its refused rows first
        id_values = ids.tolist()
        for i, why in first_reason.items():
            if id_values[i]:
                ctx.refused.setdefault(id_values[i], (int(lines[i]), why))

    # --- interaction: the file's value when given, else from the two inter codes
    inter = numeric["interaction"]
    need = np.isnan(inter) & ~np.isnan(inter1)
    if need.any():
        i2 = np.where(np.isnan(inter2), 0, inter2)
        lo, hi = np.minimum(inter1, i2), np.maximum(inter1, i2)
        computed = np.where(lo == 0, hi * 10, lo * 10 + hi)
        inter = np.where(need, computed, inter)
    year = numeric["year"]
    year = np.where(np.isnan(year), dates.dt.year.to_numpy(dtype="float64", na_value=np.nan), year)

    disorder = col("disorder_type").str.strip()
    missing_dis = (disorder == "").to_numpy() & ~bad
    if missing_dis.any():
        derived = [
            taxonomy.disorder_type(t, s or None) if m else d
            for t, s, d, m in zip(etype.tolist(), stype.tolist(), disorder.tolist(), missing_dis.tolist())
        ]
        disorder = pd.Series(derived, index=df.index)

    columns: dict[str, list[Any]] = {
        "event_id_cnty": ids.tolist(),
        "event_date": dates.dt.date.tolist(),
        "year": _py_ints(year),
        "event_type": etype.tolist(),
        "sub_event_type": [s or None for s in stype.tolist()],
        "interaction": _py_ints(inter),
        "latitude": _py_floats(lat),
        "longitude": _py_floats(lon),
        "fatalities": _py_ints(fat),
        "disorder_type": [d or None for d in disorder.tolist()],
    }
    for name in _INT_FIELDS + _PRECISION_FIELDS:
        if name not in columns:
            columns[name] = _py_ints(numeric[name])
    for name in _TEXT_FIELDS:
        if name not in columns:
            columns[name] = [v or None for v in col(name).str.strip().tolist()]
    if ctx.monadic:  # single-row events have no second actor: ACLED codes inter2 0
        columns["inter2"] = [0] * n

    # --- ids: duplicates, monadic second rows; `keep` are the rows that become events
    ids_list = columns["event_id_cnty"]
    keep: list[int] = []
    pos: dict[str, int] = {}  # id -> index in keep (this chunk)
    second: dict[int, tuple] = {}  # index in keep -> (actor2, assoc_actor_2, inter2)
    late: list[dict] = []
    for i in range(n):
        eid = ids_list[i]
        line = int(lines[i])
        if bad[i]:
            if ctx.monadic and eid in ctx.accepted_earlier:
                _stored_half(ctx, report, eid, line)
            if eid and eid not in ctx.seen:
                ctx.refused.setdefault(eid, (line, first_reason.get(i, "refused")))
                ctx.seen[eid] = line
            continue
        if ctx.monadic and eid in ctx.refused:
            where, why = ctx.refused[eid]
            if where != line:
                report.reject(
                    Rejection(
                        ctx.file,
                        line,
                        "event_id_cnty",
                        f"monadic event refused as a whole: its other row (line {where}) was "
                        f"refused ({why}); lines {min(where, line)} and {max(where, line)}",
                        eid,
                    )
                )
            continue
        if eid not in ctx.seen and eid not in pos:
            pos[eid] = len(keep)
            keep.append(i)
            continue
        first_line = ctx.seen[eid] if eid in ctx.seen else int(lines[keep[pos[eid]]])
        if not ctx.monadic:
            report.reject(
                Rejection(ctx.file, line, "event_id_cnty", f"duplicate id (first at line {first_line})", eid)
            )
            continue
        side = (columns["actor1"][i], columns["assoc_actor_1"][i], columns["inter1"][i])
        k = pos.get(eid)
        if k is not None and k not in second:
            second[k] = side
            report.merged += 1
        elif k is None and f"\0merged:{eid}" not in ctx.seen:
            late.append(
                {"event_id_cnty": eid, "actor2": side[0], "assoc_actor_2": side[1], "inter2": side[2]}
            )
            ctx.seen[f"\0merged:{eid}"] = line
            report.merged += 1
        else:
            report.reject(
                Rejection(
                    ctx.file,
                    line,
                    "event_id_cnty",
                    f"a third row for a monadic event (first at line {first_line})",
                    eid,
                )
            )
    m = len(keep)
    if not m:
        return [], late
    pick = (
        (lambda values: [values[keep[0]]])
        if m == 1
        else (lambda values, g=operator.itemgetter(*keep): list(g(values)))
    )
    out = {k: pick(v) for k, v in columns.items()}
    for k, (a2, as2, i2) in second.items():
        out["actor2"][k], out["assoc_actor_2"][k], out["inter2"][k] = a2, as2, i2
    kept_lines = [int(lines[i]) for i in keep]
    out.update(
        dataset=[ctx.dataset] * m,
        prov_file=[ctx.file] * m,
        prov_row=kept_lines,
        coding_method=["import"] * m,
        confidence=[1.0] * m,
    )
    extra_cols = [c for c in df.columns if c not in _ACLED_SET]
    if extra_cols:
        vals = zip(*[pick(df[c].tolist()) for c in extra_cols])
        out["extra"] = [dumps({k: v for k, v in zip(extra_cols, row) if v != ""}) for row in vals]
    for eid, line in zip(out["event_id_cnty"], kept_lines):
        ctx.seen[eid] = line
        if ctx.monadic:
            ctx.accepted_earlier[eid] = line
    none = [None] * m
    rows = list(zip(*[out.get(k, none) for k in BASE_COLUMNS]))
    return rows, late


def _merge_late_monadic(conn, merges: list[dict], report: ImportReport) -> None:
    """Second rows of monadic events whose first row came in an earlier chunk (rows not adjacent)."""
    if isinstance(conn, _Collector):  # read into memory (read_acled): merged into the frame there
        conn.late.extend(merges)
        return
    t = schema.events
    for m in merges:
        row = conn.execute(t.select().where(t.c.event_id_cnty == m["event_id_cnty"])).first()
        if row is None:
            continue
        rec = dict(row._mapping)
        rec.update({k: m[k] for k in ("actor2", "assoc_actor_2", "inter2")})
        conn.execute(
            update(t)
            .where(t.c.event_id_cnty == m["event_id_cnty"])
            .values(
                actor2=m["actor2"],
                assoc_actor_2=m["assoc_actor_2"],
                inter2=m["inter2"],
                content_hash=content_hash(rec),
            )
        )


def _map_legacy(
    etype: pd.Series, stype: pd.Series, inter1: np.ndarray, inter2: np.ndarray
) -> tuple[pd.Series, pd.Series]:
    known = taxonomy.types_set()
    et, st = etype.tolist(), stype.tolist()
    i1 = [None if v != v else int(v) for v in inter1.tolist()]
    i2 = [None if v != v else int(v) for v in inter2.tolist()]
    for k, name in enumerate(et):
        if name in known or not name:
            continue
        try:
            new_t, new_s = taxonomy.legacy_event_type(name, i1[k], i2[k])
        except ValueError:
            continue  # reported as an unknown event type
        et[k] = new_t
        if not st[k] and new_s:
            st[k] = new_s
    return pd.Series(et, index=etype.index), pd.Series(st, index=stype.index)


def _synth_ids(df: pd.DataFrame, ctx: _Context, report: ImportReport, lines: Iterable[int]) -> pd.Series:
    """Ids from row content for exports that carry none (index-like columns left out).

    Rows identical in every column are kept as separate events (numbered -2, -3… in file order):
    an export stripped of ids and actors can hold distinct events that now look the same.
    """
    content_cols = [c for c in ctx.header if not c.startswith("column_") and c not in ("", "data_id")]
    iso = df["iso3"].astype(str) if "iso3" in df.columns else df["country"].astype(str).str[:3].str.upper()
    joined = df[content_cols].astype(str).agg("\x1f".join, axis=1)
    out = []
    for p, j, line in zip(iso, joined, lines):
        base = f"{p}SW{hashlib.blake2b(j.encode(), digest_size=6).hexdigest()}"
        k = ctx.synth_counts.get(base, 0) + 1
        ctx.synth_counts[base] = k
        if k >= 2:
            ctx.identical.append((line, f"{base}-{k}"))
        out.append(base if k == 1 else f"{base}-{k}")
    return pd.Series(out, index=df.index)


# ============================================================================================ reading, no store


@dataclass
class AcledFile:
    """An ACLED export read without a store: one row per event (monadic rows folded), checked exactly as
    :func:`import_acled` checks them. ``report`` counts and lists the refused rows."""

    frame: pd.DataFrame
    report: ImportReport
    legacy: bool = False  # old upper-case format (event types mapped onto the current ones)
    monadic: bool = False
    columns: tuple[str, ...] = ()  # the file's columns, normalised

    def why_empty(self) -> str:
        """Why no event could be read: the commonest refusal, naming the column and an example value."""
        if not self.report.rows:
            return f"{self.report.file}: no data rows"
        if not self.report.rejections:
            return f"{self.report.file}: no event could be read"
        counts: dict[tuple[str, str], list[Rejection]] = {}
        for r in self.report.rejections:
            counts.setdefault((r.field, r.reason), []).append(r)
        (fld, why), rs = max(counts.items(), key=lambda kv: len(kv[1]))
        ex = next((r for r in rs if r.value not in (None, "")), rs[0])
        shown = (
            f", e.g. {ex.value!r} at line {ex.line}" if ex.value not in (None, "") else f" (line {ex.line})"
        )
        return (
            f"{self.report.file}: no event could be read: {len(rs)} of {self.report.rows} rows refused "
            f"on column {fld}: {why}{shown}"
        )


class _Collector:
    """Stands in for the store and its connection when an export is read into memory (:func:`read_acled`):
    keeps the rows :func:`_run` would write and the monadic second rows it would merge."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.late: list[dict] = []

    def write_rows(self, conn, rows: list[tuple], report: ImportReport) -> None:
        self.rows.extend(rows)


def read_acled(path: str | Path, *, chunk_rows: int = 20000) -> AcledFile:
    """Read an ACLED export (every format and date style :func:`import_acled` takes) into a frame of
    ``BASE_COLUMNS`` (``event_date`` as datetime64), one row per event, without touching a store."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty")
    enc = detect_encoding(path)
    report = ImportReport(dataset="read", file=str(path))
    if enc.warning:
        report.warnings.append(enc.warning)
    chunks = read_chunks(
        path, encoding=enc, chunk_rows=chunk_rows, group_column="event_id_cnty", header_map=normalise_header
    )
    got = _Collector()
    ctx = _run(got, got, report, chunks, str(path), "read", None)  # the importer's own loop, into memory
    frame = pd.DataFrame(got.rows, columns=list(BASE_COLUMNS))
    if got.late and len(frame):
        pos = {eid: i for i, eid in enumerate(frame["event_id_cnty"])}
        for m in got.late:
            i = pos.get(m["event_id_cnty"])
            if i is not None:
                for k in ("actor2", "assoc_actor_2", "inter2"):
                    frame.at[i, k] = m[k]
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    report.inserted = len(frame)
    return AcledFile(
        frame,
        report,
        legacy=bool(ctx and ctx.legacy),
        monadic=bool(ctx and ctx.monadic),
        columns=tuple(ctx.header) if ctx else (),
    )
