"""The reliability campaign (issue 16): kill -9, fuzzing and concurrency, figures into docs/reliability.md.

    .venv/bin/python scripts/reliability.py                      # the whole campaign (about 10 minutes)
    .venv/bin/python scripts/reliability.py --quick              # a smaller run (a minute or two)
    SAHELWATCH_TEST_PG_URL=postgresql://postgres@127.0.0.1:54329/postgres .venv/bin/python scripts/reliability.py

1. kill -9 at random moments of an import, of an extraction into the store and of an export (each a
   forked process running the real CLI command, killed with SIGKILL): after each kill the store passes
   ``check_integrity`` (every event complete, hash matching its content, no duplicates, history consistent,
   no unfinished import) and a rerun gives exactly the events of an uninterrupted run.
2. Fuzzing with hypothesis (and atheris when installed): ACLED and UCDP CSV files with broken quoting,
   encodings, dates, numbers and coordinates; documents of random bytes, huge lines, deeply nested HTML,
   feeds with entities (XML bombs). Every input either imports/reads or is refused with a message naming
   it; anything else is an unhandled exception (the target is 0).
3. Concurrency: two writers (whole imports of 40 events) and four readers for a minute on SQLite (WAL) and on
   PostgreSQL: no error, no lost write, readers see only whole imports.

Everything runs on inputs the script writes itself (no ../shared data), bounded in time for a shared machine.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import multiprocessing as mp
import os
import platform
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
import uuid
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import pandas as pd  # noqa: E402

import sahelwatch  # noqa: E402
from sahelwatch.errors import InputError, SahelwatchError  # noqa: E402
from sahelwatch.store.integrity import check_integrity  # noqa: E402

HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
TYPES = [
    ("Battles", "Armed clash", 1, 2),
    ("Violence against civilians", "Attack", 2, 7),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 2, 1),
    ("Protests", "Peaceful protest", 6, 0),
    ("Riots", "Mob violence", 5, 7),
    ("Strategic developments", "Looting/property destruction", 2, 0),
]
PLACES = [
    ("Mali", 466, "Mopti", "Douentza", "Boni", 15.03, -1.97),
    ("Mali", 466, "Gao", "Ansongo", "Ansongo", 15.66, 0.50),
    ("Burkina Faso", 854, "Sahel", "Soum", "Djibo", 14.10, -1.63),
    ("Niger", 562, "Tillaberi", "Tera", "Tera", 14.01, 0.75),
]
ACTORS = {
    1: "Military Forces of Mali (2013-2020)",
    2: "JNIM: Group for Support of Islam and Muslims",
    5: "Rioters (Mali)",
    6: "Protesters (Mali)",
    7: "Civilians (Mali)",
}


# ============================================================================================ inputs


def acled_rows(n: int, prefix: str, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        et, st, i1, i2 = TYPES[i % len(TYPES)]
        country, iso, a1, a2, loc, lat, lon = PLACES[i % len(PLACES)]
        d = dt.date(2019, 1, 1) + dt.timedelta(days=i % 700)
        out.append(
            {
                "event_id_cnty": f"{prefix}{i:06d}",
                "event_date": d.isoformat(),
                "year": d.year,
                "time_precision": 1,
                "disorder_type": "",
                "event_type": et,
                "sub_event_type": st,
                "actor1": ACTORS[i1],
                "assoc_actor_1": "",
                "inter1": i1,
                "actor2": ACTORS.get(i2, ""),
                "assoc_actor_2": "",
                "inter2": i2 if i2 else "",
                "interaction": int(f"{min(i1, i2)}{max(i1, i2)}") if i2 else i1 * 10,
                "civilian_targeting": "",
                "iso": iso,
                "region": "Western Africa",
                "country": country,
                "admin1": a1,
                "admin2": a2,
                "admin3": "",
                "location": loc,
                "latitude": round(lat + rng.uniform(-0.1, 0.1), 4),
                "longitude": round(lon + rng.uniform(-0.1, 0.1), 4),
                "geo_precision": 1,
                "source": "Test Wire",
                "source_scale": "National",
                "notes": f"On {d:%d %B %Y}, synthetic event {i}, for the campaign.",
                "fatalities": i % 7,
                "tags": "",
                "timestamp": 1600000000,
            }
        )
    return out


def write_acled(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


REPORT = (
    "On {day} May 2019, unknown gunmen killed {n} villagers in Boni. The attackers fled on motorbikes.\n\n"
    "On {day2} May 2019, soldiers clashed with JNIM militants near Douentza; two soldiers were killed.\n\n"
    "The market in Mopti was quiet, traders said.\n"
)


def write_reports(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"report_{i:03d}.txt").write_text(
            REPORT.format(day=1 + i % 27, day2=2 + i % 27, n=2 + i % 9) + f"\nReport number {i}.\n", "utf-8"
        )
    return folder


def snapshot(db: str) -> pd.DataFrame:
    """The events of a store, without what legitimately changes between runs (import ids, timestamps of
    extraction, provenance file)."""
    s = sahelwatch.open(db)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = s.events()
    finally:
        s.close()
    drop = [c for c in ("import_id", "timestamp", "prov_file", "content_hash") if c in df.columns]
    df = df.drop(columns=drop)
    for c in ("extra", "sources"):
        df[c] = df[c].map(repr)
    return df.sort_values("event_id_cnty").reset_index(drop=True)


def same_events(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
        return True
    except AssertionError:
        return False


# ============================================================================================ 1. kill -9


def _child(argv: list[str], cwd: str) -> None:
    """A forked process running one CLI command (the parent has already loaded the libraries and models)."""
    os.chdir(cwd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    from sahelwatch.cli import app

    try:
        app(argv, standalone_mode=False)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    except BaseException:
        code = 3
    os._exit(code)


def _run_child(argv: list[str], cwd: str, kill_after: float | None) -> tuple[bool, float]:
    """Fork, run ``argv``; kill -9 after ``kill_after`` seconds. Returns (killed while running, seconds)."""
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        _child(argv, cwd)
    killed = False
    if kill_after is not None:
        while time.perf_counter() - t0 < kill_after:
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                return False, time.perf_counter() - t0
            time.sleep(0.002)
        os.kill(pid, signal.SIGKILL)
        killed = True
    _, status = os.waitpid(pid, 0)
    if killed and not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
        killed = False  # it had finished just before the signal
    return killed, time.perf_counter() - t0


def kill_campaign(work: Path, kills: int, log) -> dict:
    """kill -9 at random moments of an import, an extraction into the store and an export."""
    rng = random.Random(16)
    results: dict[str, dict] = {}
    # --- inputs and the expected results of uninterrupted runs
    base = write_acled(work / "base.csv", acled_rows(1500, "MLIB"))
    big = acled_rows(4000, "MLIK", seed=2)
    # 500 rows are newer versions of stored events (their old versions go to the history)
    newer = [
        dict(r, event_id_cnty=f"MLIB{i:06d}", fatalities=int(r["fatalities"]) + 1, timestamp=1700000000)
        for i, r in enumerate(acled_rows(1500, "MLIB")[:500])
    ]
    big_file = write_acled(work / "big.csv", newer + big)
    reports = write_reports(work / "reports", N_REPORTS)
    seed_db = str(work / "seed.db")
    s = sahelwatch.open(seed_db)
    from sahelwatch.ingest.acled import import_acled

    import_acled(s, base)
    s.close()

    def fresh(name: str) -> str:
        db = str(work / f"{name}.db")
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        shutil.copy(seed_db, db)
        return db

    expected_import = fresh("expected_import")
    _run_child(["import", "acled", str(big_file), "--db", expected_import], str(work), None)
    expected_extract = fresh("expected_extract")
    # warm the models in the parent, so that forked children do not load them again
    from sahelwatch.extract.pipeline import Pipeline

    Pipeline.load(country_focus="Mali").extract("On 3 May 2019, gunmen killed two villagers in Boni.")
    _, t_extract = _run_child(
        ["extract", str(reports), "--country", "Mali", "--db", expected_extract], str(work), None
    )
    _, t_import = _run_child(["import", "acled", str(big_file), "--db", fresh("timing")], str(work), None)
    export_db = expected_import
    _, t_export = _run_child(
        ["export", "--db", export_db, "-o", str(work / "expected.gpkg")], str(work), None
    )
    exp_import, exp_extract = snapshot(expected_import), snapshot(expected_extract)
    if exp_extract.empty:
        raise RuntimeError("the extraction campaign's reports gave no events: nothing to check")
    expected_gpkg = _read_layer(work / "expected.gpkg")
    log(
        f"kill -9: uninterrupted runs take {t_import:.2f} s (import of {len(newer) + len(big)} rows), "
        f"{t_extract:.2f} s (extraction of {N_REPORTS} reports), {t_export:.2f} s (GeoPackage export)"
    )

    for kind, duration in (("import", t_import), ("extract", t_extract), ("export", t_export)):
        stats = {
            "attempts": 0,
            "killed": 0,
            "finished_first": 0,
            "integrity_failures": 0,
            "rerun_mismatch": 0,
            "moments": [],
        }
        while stats["killed"] < kills and stats["attempts"] < kills * 3:
            stats["attempts"] += 1
            moment = rng.uniform(0.02, max(0.05, duration * 1.05))
            if kind == "import":
                db = fresh("kill_import")
                argv = ["import", "acled", str(big_file), "--db", db]
                expected = exp_import
            elif kind == "extract":
                db = fresh("kill_extract")
                argv = ["extract", str(reports), "--country", "Mali", "--db", db]
                expected = exp_extract
            else:
                db = export_db
                out = work / "killed.gpkg"
                out.unlink(missing_ok=True)
                argv = ["export", "--db", db, "-o", str(out)]
                expected = exp_import
            killed, _ = _run_child(argv, str(work), moment)
            if not killed:
                stats["finished_first"] += 1
                continue
            stats["killed"] += 1
            stats["moments"].append(round(moment, 3))
            s = sahelwatch.open(db, migrate=False)
            problems = check_integrity(s)
            s.close()
            if problems:
                stats["integrity_failures"] += 1
                log(f"  {kind} killed at {moment:.3f} s: INTEGRITY {problems}")
            _run_child(argv, str(work), None)  # the rerun
            ok = same_events(snapshot(db), expected)
            if kind == "export":
                ok = ok and _read_layer(work / "killed.gpkg").equals(expected_gpkg)
            if not ok:
                stats["rerun_mismatch"] += 1
                log(f"  {kind} killed at {moment:.3f} s: the rerun does not give the expected events")
        log(
            f"kill -9 during {kind}: {stats['killed']} kills (of {stats['attempts']} attempts; "
            f"{stats['finished_first']} runs ended before the signal), {stats['integrity_failures']} integrity "
            f"failures, {stats['rerun_mismatch']} reruns differing from the uninterrupted run"
        )
        results[kind] = stats
    results["expected"] = {
        "import_events": len(exp_import),
        "extract_events": len(exp_extract),
        "export_features": len(expected_gpkg),
    }
    return results


def _read_layer(path: Path) -> pd.DataFrame:
    import pyogrio

    df = pyogrio.read_dataframe(path)
    return pd.DataFrame(df.drop(columns="geometry")).sort_values("event_id_cnty").reset_index(drop=True)


# ============================================================================================ 2. fuzzing


class Unhandled(Exception):
    pass


def fuzz_campaign(work: Path, budget: dict, log) -> dict:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from sahelwatch.ingest.acled import import_acled
    from sahelwatch.ingest.documents import read_documents
    from sahelwatch.ingest.rows import import_mapped_csv
    from sahelwatch.ingest.ucdp import is_ucdp_header, map_ucdp_row

    counts = {
        "acled_files": 0,
        "acled_rows": 0,
        "ucdp_files": 0,
        "ucdp_rows": 0,
        "documents": 0,
        "feeds": 0,
        "html": 0,
        "refused_whole": 0,
        "rows_refused": 0,
        "unhandled": 0,
        "unclear_refusals": 0,
    }
    failures: list[str] = []
    store = sahelwatch.open(":memory:")
    good = acled_rows(400, "MLIF", seed=3)

    def fail(kind: str, data: bytes, exc: BaseException) -> None:
        counts["unhandled"] += 1
        if len(failures) < 10:
            failures.append(f"{kind}: {type(exc).__name__}: {exc} (input {data[:120]!r})")

    def check_import(kind: str, data: bytes, n_rows: int, fn) -> None:
        path = work / f"fuzz.{kind}.csv"
        path.write_bytes(data)
        counts[f"{kind}_files"] += 1
        counts[f"{kind}_rows"] += n_rows
        try:
            rep = fn(path)
        except (InputError, SahelwatchError) as exc:
            counts["refused_whole"] += 1
            if str(path) not in str(exc):
                counts["unclear_refusals"] += 1
                if len(failures) < 10:
                    failures.append(f"{kind}: refusal without the file name: {exc}")
            return
        except BaseException as exc:  # noqa: BLE001 - this is what we count
            fail(kind, data, exc)
            return
        counts["rows_refused"] += rep.rejected
        if not rep.balanced():
            counts["unhandled"] += 1
            failures.append(f"{kind}: unbalanced report {rep.summary()}")
        for r in rep.rejections:
            if not r.reason or r.line < 1 or r.file != str(path):
                counts["unclear_refusals"] += 1

    # --- mutations of rows: quoting, encodings, dates, numbers, coordinates
    field_junk = st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            [
                '"',
                '""',
                '"a',
                'a"b',
                "\n",
                "\r\n",
                ",",
                ";",
                "\t",
                "\x00",
                "NaN",
                "inf",
                "-1",
                "1e400",
                "99999999999999999999",
                "3.5",
                "",
                "31/02/2019",
                "2019-13-45",
                "30 Febuary 2019",
                "0000-00-00",
                "-91",
                "181",
                "1,5",
                "  12  ",
                "é",
                "\ufeff",
                "\u202e",
            ]
        ),
        st.integers().map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
    )
    row_mut = st.tuples(st.integers(0, len(good) - 1), st.integers(0, len(HEADER) - 1), field_junk)

    @st.composite
    def acled_file(draw):
        n = draw(st.integers(1, 200))
        start = draw(st.integers(0, len(good) - n))
        rows = [dict(r) for r in good[start : start + n]]
        for _ in range(draw(st.integers(0, 12))):
            i, c, v = draw(row_mut)
            rows[i % n][HEADER[c]] = v
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        text = buf.getvalue()
        lines = text.split("\n")
        for _ in range(draw(st.integers(0, 3))):  # raw damage: cut lines, stray quotes, joined lines
            k = draw(st.integers(0, len(lines) - 1))
            op = draw(st.sampled_from(["cut", "quote", "join", "dup", "drop", "blank"]))
            if op == "cut" and lines[k]:
                lines[k] = lines[k][: draw(st.integers(0, len(lines[k])))]
            elif op == "quote":
                pos = draw(st.integers(0, len(lines[k])))
                lines[k] = lines[k][:pos] + '"' + lines[k][pos:]
            elif op == "join" and k + 1 < len(lines):
                lines[k] += lines.pop(k + 1)
            elif op == "dup":
                lines.insert(k, lines[k])
            elif op == "drop" and k > 0:
                lines.pop(k)
            elif op == "blank":
                lines.insert(k, "")
        text = "\n".join(lines)
        enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
        data = text.encode(enc, "replace")
        if draw(st.booleans()) and len(data) > 10:  # a few random bytes
            for _ in range(draw(st.integers(1, 5))):
                p = draw(st.integers(0, len(data) - 1))
                data = data[:p] + bytes([draw(st.integers(0, 255))]) + data[p + 1 :]
        return data, n

    cfg = dict(
        database=None,
        deadline=None,
        derandomize=False,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
    )

    @settings(max_examples=budget["acled_files"], **cfg)
    @given(acled_file())
    def fuzz_acled(case):
        data, n = case
        check_import("acled", data, n, lambda p: import_acled(store, p))

    t0 = time.perf_counter()
    fuzz_acled()
    log(
        f"fuzz: {counts['acled_files']} ACLED files ({counts['acled_rows']} rows) in {time.perf_counter() - t0:.0f} s"
    )

    ucdp_header = [
        "id",
        "relid",
        "year",
        "active_year",
        "type_of_violence",
        "conflict_new_id",
        "conflict_name",
        "dyad_new_id",
        "dyad_name",
        "side_a_new_id",
        "side_a",
        "side_b_new_id",
        "side_b",
        "number_of_sources",
        "source_article",
        "source_office",
        "source_date",
        "source_headline",
        "source_original",
        "where_prec",
        "where_coordinates",
        "where_description",
        "adm_1",
        "adm_2",
        "latitude",
        "longitude",
        "geom_wkt",
        "priogrid_gid",
        "country",
        "country_id",
        "region",
        "event_clarity",
        "date_prec",
        "date_start",
        "date_end",
        "deaths_a",
        "deaths_b",
        "deaths_civilians",
        "deaths_unknown",
        "best",
        "high",
        "low",
        "gwnoa",
        "gwnob",
    ]

    @st.composite
    def ucdp_file(draw):
        n = draw(st.integers(1, 40))
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(ucdp_header)
        for i in range(n):
            row = [
                str(100000 + i),
                f"MLI-2019-1-{i}",
                "2019",
                "1",
                draw(st.sampled_from(["1", "2", "3", "x", ""])),
                "1",
                "Mali: Government",
                "1",
                "Government of Mali - JNIM",
                "1",
                "Government of Mali",
                "2",
                "JNIM",
                "1",
                "",
                "",
                "",
                "",
                "",
                draw(st.sampled_from(["1", "2", "7", "q"])),
                "Boni",
                "Boni",
                "Mopti region",
                "Douentza cercle",
                draw(field_junk),
                draw(field_junk),
                "",
                "1",
                "Mali",
                "432",
                "Africa",
                "1",
                "1",
                draw(st.sampled_from(["2019-05-03", "2019-05-03 00:00:00.000", "03/05/2019", "x", ""])),
                "2019-05-03",
                "1",
                "2",
                "0",
                "0",
                draw(field_junk),
                "3",
                "3",
                "432",
                "",
            ]
            w.writerow(row)
        data = buf.getvalue().encode(draw(st.sampled_from(["utf-8", "latin-1", "utf-16"])), "replace")
        return data, n

    @settings(max_examples=budget["ucdp_files"], **cfg)
    @given(ucdp_file())
    def fuzz_ucdp(case):
        data, n = case
        check_import(
            "ucdp",
            data,
            n,
            lambda p: import_mapped_csv(store, p, map_ucdp_row, dataset="ucdp", check_header=is_ucdp_header),
        )

    t0 = time.perf_counter()
    fuzz_ucdp()
    log(
        f"fuzz: {counts['ucdp_files']} UCDP files ({counts['ucdp_rows']} rows) in {time.perf_counter() - t0:.0f} s"
    )

    # --- documents: random bytes, huge lines, deep HTML, feeds with entities (XML bombs)
    def check_doc(kind: str, data: bytes, suffix: str) -> None:
        path = work / f"fuzz_doc{suffix}"
        path.write_bytes(data)
        counts[kind] += 1
        try:
            docs = read_documents(path, fetch=False)
            for d in docs:
                if not isinstance(d.text, str):
                    raise TypeError("document text is not text")
        except InputError as exc:
            if str(path) not in str(exc):
                counts["unclear_refusals"] += 1
                if len(failures) < 10:
                    failures.append(f"{kind}: refusal without the file name: {exc}")
        except BaseException as exc:  # noqa: BLE001
            fail(kind, data, exc)

    @st.composite
    def document(draw):
        kind = draw(st.sampled_from(["bytes", "bytes", "text", "text", "hugeline", "html", "pdfish"]))
        if kind == "bytes":
            return draw(st.binary(min_size=1, max_size=2000)), draw(
                st.sampled_from([".txt", ".html", ".xml", ""])
            )
        if kind == "text":
            return draw(st.text(min_size=1, max_size=2000)).encode("utf-8", "surrogatepass"), ".txt"
        if kind == "hugeline":
            return (
                b"On 3 May 2019 gunmen killed two people in Boni " * draw(st.integers(100, 20000))
            ), ".txt"
        if kind == "pdfish":
            return b"%PDF-1." + draw(st.binary(max_size=3000)), ".pdf"
        depth = draw(st.integers(10, 3000))
        tag = draw(st.sampled_from(["div", "p", "span", "b", "table"]))
        return (
            "<html><body>"
            + f"<{tag}>" * depth
            + "On 3 May 2019, gunmen killed two villagers in Boni."
            + f"</{tag}>" * draw(st.integers(0, depth))
            + "</body></html>"
        ).encode(), ".html"

    @settings(max_examples=budget["documents"], **cfg)
    @given(document())
    def fuzz_docs(case):
        data, suffix = case
        check_doc("documents", data, suffix)

    t0 = time.perf_counter()
    fuzz_docs()
    log(f"fuzz: {counts['documents']} documents in {time.perf_counter() - t0:.0f} s")

    bomb_entities = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(10)
        )
        + "]>"
    )

    @st.composite
    def feed(draw):
        kind = draw(st.sampled_from(["bomb", "external", "entities", "broken", "ok"]))
        items = "".join(
            f"<item><title>T{i}</title><description>On {i + 1} May 2019 gunmen attacked Boni"
            f"{' &lol9;' if kind == 'bomb' else ''}{' &xxe;' if kind == 'external' else ''}"
            f"{' &amp; &#233; &eacute;' if kind == 'entities' else ''}</description></item>"
            for i in range(draw(st.integers(1, 5)))
        )
        doctype = {
            "bomb": bomb_entities,
            "external": '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        }.get(kind, "")
        text = f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
        if kind == "broken":
            cut = draw(st.integers(0, len(text)))
            text = text[:cut] + draw(st.text(max_size=20)) + text[cut:]
        return text.encode("utf-8", "surrogatepass"), kind

    @settings(max_examples=budget["feeds"], **cfg)
    @given(feed())
    def fuzz_feeds(case):
        data, kind = case
        t = time.perf_counter()
        check_doc("feeds", data, ".rss")
        if kind in ("bomb", "external"):
            path = work / "fuzz_doc.rss"
            try:
                docs = read_documents(path, fetch=False)
                leaked = any("lollollol" in d.text or "root:" in d.text for d in docs)
            except InputError:
                leaked = False
            except BaseException:  # noqa: BLE001 - counted by check_doc already
                leaked = False
            if leaked or time.perf_counter() - t > 5:
                counts["unhandled"] += 1
                failures.append(f"feed {kind}: entities expanded ({time.perf_counter() - t:.1f} s)")

    t0 = time.perf_counter()
    fuzz_feeds()
    log(f"fuzz: {counts['feeds']} feeds in {time.perf_counter() - t0:.0f} s")
    counts["atheris"] = _atheris(work, budget.get("atheris", 0), log)
    store.close()
    counts["failures"] = failures
    return counts


def _atheris(work: Path, runs: int, log) -> dict:
    """Coverage-guided fuzzing of the CSV reader with atheris, when it is installed (optional)."""
    try:
        import atheris  # noqa: F401
    except ImportError:
        log("fuzz: atheris is not installed; coverage-guided fuzzing skipped (hypothesis only)")
        return {"runs": 0, "note": "atheris not installed"}
    script = work / "atheris_csv.py"
    script.write_text(f"""
import sys, atheris
sys.path.insert(0, {str(ROOT / "src")!r})
with atheris.instrument_imports():
    from sahelwatch.ingest.tabular import Encoding, read_chunks
    from sahelwatch.errors import InputError
from pathlib import Path
P = Path({str(work / "atheris.csv")!r})
def one(data):
    P.write_bytes(b"event_id_cnty,event_date,event_type,country,notes\\n" + data)
    try:
        for _ in read_chunks(P, encoding=Encoding("latin-1"), chunk_rows=50, group_column="event_id_cnty"):
            pass
    except InputError:
        pass
atheris.Setup(sys.argv, one)
atheris.Fuzz()
""")
    import subprocess

    r = subprocess.run(
        [sys.executable, str(script), f"-runs={runs}", "-max_len=4096"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    crashed = r.returncode != 0
    log(f"fuzz: atheris ran {runs} inputs through the CSV reader: {'CRASH' if crashed else 'no crash'}")
    return {"runs": runs, "crashed": crashed, "tail": r.stderr[-500:] if crashed else ""}


# ============================================================================================ 3. concurrency

EVENTS_PER_IMPORT = 40
N_REPORTS = 15


def _writer(url: str, wid: int, seconds: float, q) -> None:
    from sahelwatch.ingest.acled import import_acled

    errors, done, t_end = [], [], time.time() + seconds
    tmp = Path(tempfile.mkdtemp(prefix=f"sw-w{wid}-"))
    store = sahelwatch.open(url)
    k = 0
    while time.time() < t_end:
        rows = acled_rows(EVENTS_PER_IMPORT, f"W{wid}I{k:05d}X", seed=k)
        f = write_acled(tmp / f"w{wid}_{k}.csv", rows)
        try:
            rep = import_acled(store, f)
            if rep.inserted != EVENTS_PER_IMPORT:
                errors.append(f"writer {wid} import {k}: inserted {rep.inserted}")
            done.append(f"W{wid}I{k:05d}X")
        except Exception as exc:  # noqa: BLE001 - counted
            errors.append(f"writer {wid} import {k}: {type(exc).__name__}: {exc}")
        k += 1
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)
    q.put(("writer", wid, done, errors, len(done)))


def _reader(url: str, rid: int, seconds: float, q) -> None:
    from sqlalchemy import func, select

    from sahelwatch.store import schema

    errors, reads, t_end = [], 0, time.time() + seconds
    store = sahelwatch.open(url, migrate=False)
    t = schema.events
    prefix = func.substr(t.c.event_id_cnty, 1, 9)
    while time.time() < t_end:
        try:
            with store.engine.connect() as conn:
                counts = conn.execute(
                    select(prefix, func.count()).where(t.c.event_id_cnty.like("W%")).group_by(prefix)
                ).all()
            partial = [(p, n) for p, n in counts if n != EVENTS_PER_IMPORT]
            if partial:
                errors.append(f"reader {rid} saw partial imports {partial[:3]}")
            if rid % 2 == 0:  # half the readers go through the public API too
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    df = store.events(datasets=["acled"], since="2019-01-01")
                per = df[df["event_id_cnty"].str.startswith("W")]["event_id_cnty"].str[:9].value_counts()
                if (per != EVENTS_PER_IMPORT).any():
                    errors.append(f"reader {rid} (API) saw partial imports")
            reads += 1
        except Exception as exc:  # noqa: BLE001 - counted
            errors.append(f"reader {rid}: {type(exc).__name__}: {exc}")
    store.close()
    q.put(("reader", rid, [], errors, reads))


def concurrency_campaign(url: str, seconds: float, log) -> dict:
    s = sahelwatch.open(url)  # create and migrate once, before the workers start
    s.close()
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(url, w, seconds, q)) for w in range(2)]
    procs += [ctx.Process(target=_reader, args=(url, r, seconds, q)) for r in range(4)]
    for p in procs:
        p.start()
    results = [q.get(timeout=seconds + 600) for _ in procs]
    for p in procs:
        p.join(60)
    committed = [eid for kind, _, done, _, _ in results if kind == "writer" for eid in done]
    errors = [e for *_, errs, _ in results for e in errs]
    writes = sum(n for kind, *_, n in results if kind == "writer")
    reads = sum(n for kind, *_, n in results if kind == "reader")
    s = sahelwatch.open(url, migrate=False)
    from sqlalchemy import func, select

    from sahelwatch.store import schema

    t = schema.events
    prefix = func.substr(t.c.event_id_cnty, 1, 9)
    with s.engine.connect() as conn:
        stored = dict(
            conn.execute(
                select(prefix, func.count()).where(t.c.event_id_cnty.like("W%")).group_by(prefix)
            ).all()
        )
    integrity = check_integrity(s)
    s.close()
    lost = [p for p in committed if stored.get(p) != EVENTS_PER_IMPORT]
    extra = [p for p in stored if p not in set(committed)]
    out = {
        "writes": writes,
        "reads": reads,
        "errors": len(errors),
        "error_examples": errors[:5],
        "lost_imports": len(lost),
        "unexpected_imports": len(extra),
        "events_written": writes * EVENTS_PER_IMPORT,
        "events_stored": sum(stored.values()),
        "integrity": integrity,
        "seconds": seconds,
    }
    log(
        f"concurrency on {s.dialect}: {writes} imports ({writes * EVENTS_PER_IMPORT} events) by 2 writers and "
        f"{reads} reads by 4 readers in {seconds:.0f} s: {len(errors)} errors, {len(lost)} lost imports, "
        f"{len(extra)} unexpected, integrity {'ok' if not integrity else integrity}"
    )
    return out


def _pg_database(admin_url: str) -> tuple[str, callable]:
    from sqlalchemy import create_engine, text

    admin = create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    name = f"sw_reliability_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.rsplit("/", 1)[0] + "/" + name, drop


# ============================================================================================ report


def write_report(path: Path, res: dict, args, seconds: float) -> None:
    k, f, c = res["kills"], res["fuzz"], res["concurrency"]
    total_kills = sum(k[x]["killed"] for x in ("import", "extract", "export"))
    integ = sum(k[x]["integrity_failures"] for x in ("import", "extract", "export"))
    mism = sum(k[x]["rerun_mismatch"] for x in ("import", "extract", "export"))
    fuzzed = f["acled_rows"] + f["ucdp_rows"] + f["documents"] + f["feeds"] + f["atheris"].get("runs", 0)
    lines = [
        "# Reliability campaign",
        "",
        f"Run on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, sahelwatch {sahelwatch.__version__}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores (shared), by `scripts/reliability.py"
        f"{' --quick' if args.quick else ''}` in {seconds / 60:.1f} minutes. Rerun it to refresh these figures.",
        "",
        "## Summary",
        "",
        "| check | figure |",
        "|---|---|",
        f"| kill -9 survived (import, extraction into the store, export) | {total_kills} "
        f"({k['import']['killed']} + {k['extract']['killed']} + {k['export']['killed']}) |",
        f"| integrity failures after a kill | {integ} |",
        f"| reruns not giving exactly the expected events | {mism} |",
        f"| fuzzed inputs tried | {fuzzed:,} |",
        f"| unhandled exceptions | {f['unhandled']} |",
        f"| refusals without a clear message (file, line, reason) | {f['unclear_refusals']} |",
        f"| concurrent operations completed (imports + reads, SQLite) | {c['sqlite']['writes']} + {c['sqlite']['reads']} |",
    ]
    if "postgresql" in c:
        lines.append(
            f"| concurrent operations completed (imports + reads, PostgreSQL) | "
            f"{c['postgresql']['writes']} + {c['postgresql']['reads']} |"
        )
    lost = sum(v["lost_imports"] for v in c.values())
    errs = sum(v["errors"] for v in c.values())
    lines += [
        f"| errors / lost or partial imports under concurrency | {errs} / {lost} |",
        f"| lost or duplicated events | {mism + lost} |",
        "",
    ]
    lines += [
        "## 1. kill -9",
        "",
        "Each run is a forked process executing the real CLI command on a store that already holds 1,500 events; "
        "it is killed with SIGKILL at a moment drawn uniformly over the length of an uninterrupted run. After "
        "each kill the store is checked (`sahelwatch.store.integrity.check_integrity`: every event complete "
        "and matching its content hash, no duplicated id, every history version and event from a finished "
        "import, no unfinished import) and the command is run again to the end; the result must equal the "
        "uninterrupted run's, column by column (import ids and extraction timestamps aside).",
        "",
        "| run | kills | attempts (ended before the signal) | integrity failures | rerun differs |",
        "|---|---|---|---|---|",
    ]
    names = {
        "import": f"import of {res['inputs']['import_rows']:,} ACLED rows (500 newer versions)",
        "extract": f"extraction of {N_REPORTS} reports into the store",
        "export": "GeoPackage export",
    }
    for x in ("import", "extract", "export"):
        s = k[x]
        lines.append(
            f"| {names[x]} | {s['killed']} | {s['attempts']} ({s['finished_first']}) | "
            f"{s['integrity_failures']} | {s['rerun_mismatch']} |"
        )
    lines += [
        "",
        f"Expected results: {k['expected']['import_events']:,} events after the import, "
        f"{k['expected']['extract_events']} after the extraction, {k['expected']['export_features']:,} "
        "features in the export.",
        "",
        "## 2. Fuzzing",
        "",
        "hypothesis strategies (no example database, random seeds) generate damaged inputs; each must import "
        "or be read, or be refused with a message naming the file (and, for rows, the line, field and "
        "reason), and an import's summary must account for every row.",
        "",
        "| input | tried |",
        "|---|---|",
        f"| ACLED CSV files (rows with broken quoting, cut/joined/duplicated lines, stray bytes; UTF-8, BOM, "
        f"Latin-1, UTF-16, cp1252; bad dates, numbers, coordinates) | {f['acled_files']:,} files, "
        f"{f['acled_rows']:,} rows |",
        f"| UCDP GED CSV files (bad violence types, precisions, dates, coordinates, counts) | "
        f"{f['ucdp_files']:,} files, {f['ucdp_rows']:,} rows |",
        f"| documents: random bytes, random text, lines of up to 1 MB, HTML nested up to 3,000 deep, "
        f"damaged PDFs | {f['documents']:,} |",
        f"| feeds: XML bombs (billion laughs), external entities, HTML entities, broken XML | {f['feeds']:,} |",
        f"| atheris (coverage-guided) on the CSV reader | {f['atheris'].get('runs', 0):,} "
        f"{('(' + f['atheris']['note'] + ')') if f['atheris'].get('note') else ''} |",
        "",
        f"Whole inputs refused with a message: {f['refused_whole']:,}; rows refused inside imports: "
        f"{f['rows_refused']:,}; unhandled exceptions: **{f['unhandled']}**; refusals without a clear "
        f"message: **{f['unclear_refusals']}**.",
        "",
    ]
    if f["failures"]:
        lines += ["Failures:", ""] + [f"- `{x[:300]}`" for x in f["failures"]] + [""]
    lines += [
        "## 3. Concurrency",
        "",
        f"Two writer processes import files of {EVENTS_PER_IMPORT} new events each, one import after the "
        "other, while four reader processes count events per import (half of them also through "
        "`store.events()`); a reader that sees an import with fewer than its events fails the check. At the "
        "end every committed import must be stored whole.",
        "",
        "| store | seconds | imports | reads | errors | lost imports | events written / stored |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, v in c.items():
        lines.append(
            f"| {name} | {v['seconds']:.0f} | {v['writes']} | {v['reads']} | {v['errors']} | "
            f"{v['lost_imports']} | {v['events_written']:,} / {v['events_stored']:,} |"
        )
    if "postgresql" not in c:
        lines += ["", "PostgreSQL was not tested in this run (set `SAHELWATCH_TEST_PG_URL`)."]
    errors = [e for v in c.values() for e in v["error_examples"]]
    if errors:
        lines += ["", "Errors:", ""] + [f"- `{e[:300]}`" for e in errors]
    lines += [
        "",
        "## What this does not cover",
        "",
        "- Power loss and disk-full conditions (SQLite runs with `synchronous=NORMAL` in WAL mode: a power cut "
        "can lose the last committed transactions, never corrupt the file).",
        "- Kills of the PostgreSQL server itself (the campaign kills the client).",
        "- Monadic pairs whose two rows are far apart in a file and fall into different chunks: the first row "
        "is stored before the second is read; a refused second row is then reported as a warning naming both "
        "lines (see docs/store.md).",
        "",
    ]
    path.write_text("\n".join(lines), "utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--quick", action="store_true", help="a smaller campaign (a minute or two)")
    ap.add_argument("--kills", type=int, default=None, help="kills per kind of run (default 20; quick 3)")
    ap.add_argument(
        "--seconds", type=float, default=None, help="concurrency run per backend (default 60; quick 10)"
    )
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "reliability.md")
    ap.add_argument("--pg", default=os.environ.get("SAHELWATCH_TEST_PG_URL"), help="PostgreSQL admin URL")
    args = ap.parse_args(argv)
    kills = args.kills or (3 if args.quick else 20)
    seconds = args.seconds or (10 if args.quick else 60)
    budget = (
        {"acled_files": 150, "ucdp_files": 40, "documents": 300, "feeds": 60, "atheris": 2000}
        if args.quick
        else {"acled_files": 900, "ucdp_files": 300, "documents": 3000, "feeds": 1500, "atheris": 30000}
    )
    t0 = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t0:6.0f} s] {msg}", flush=True)

    work = Path(tempfile.mkdtemp(prefix="sahelwatch-reliability-"))
    res: dict = {"inputs": {"import_rows": 4500}}
    try:
        (work / "kills").mkdir()
        res["kills"] = kill_campaign(work / "kills", kills, log)
        (work / "fuzz").mkdir()
        res["fuzz"] = fuzz_campaign(work / "fuzz", budget, log)
        res["concurrency"] = {"sqlite": concurrency_campaign(str(work / "concurrent.db"), seconds, log)}
        if args.pg:
            url, drop = _pg_database(args.pg)
            try:
                res["concurrency"]["postgresql"] = concurrency_campaign(url, seconds, log)
            finally:
                drop()
    except Exception:
        traceback.print_exc()
        return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_report(args.out, res, args, time.perf_counter() - t0)
    log(f"wrote {args.out}")
    k, f, c = res["kills"], res["fuzz"], res["concurrency"]
    bad = (
        sum(k[x]["integrity_failures"] + k[x]["rerun_mismatch"] for x in ("import", "extract", "export"))
        + f["unhandled"]
        + f["unclear_refusals"]
        + sum(v["errors"] + v["lost_imports"] for v in c.values())
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
