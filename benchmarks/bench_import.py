"""Import speed and memory: a synthetic ACLED-format CSV (default 1,000,000 rows) into a fresh
SQLite store (and, with a server, a fresh PostgreSQL database), as ratios to baselines measured in the same run:
``pandas.read_csv`` of the file, the database's own floor (inserting the same number of rows from tuples
already in memory and building the same indexes: executemany on SQLite, COPY on PostgreSQL) and
``sqlite-utils insert --csv`` of the same file into a plain table (bench-only pin in requirements-test.lock).

Targets (issue 17): import <= 1.5x the SQLite floor, peak memory of the import < 1 GiB (it streams), ahead of
sqlite-utils. Each measurement runs in its own process so peak RSS belongs to that step alone.

    .venv/bin/python benchmarks/bench_import.py [--rows 1000000] [--json out.json] [--pg postgresql://…/postgres]

``--pg`` (default ``$SAHELWATCH_TEST_PG_URL``) is an admin URL: a throw-away database is created and dropped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    ("Battles", "Armed clash", 2, 1),
    ("Violence against civilians", "Attack", 2, 7),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 2, 1),
    ("Protests", "Peaceful protest", 6, 0),
    ("Strategic developments", "Looting/property destruction", 4, 7),
]
ACTORS = {
    1: "Military Forces of Mali (2013-2020)",
    2: "JNIM: Group for Support of Islam and Muslims",
    6: "Protesters (Mali)",
    4: "Fulani Ethnic Militia (Mali)",
    7: "Civilians (Mali)",
}


def make_file(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(rows):
            et, st, i1, i2 = TYPES[i % len(TYPES)]
            y, m, d = 2010 + i % 13, 1 + i % 12, 1 + i % 28
            lat, lon = round(10 + rng.random() * 10, 4), round(-12 + rng.random() * 16, 4)
            fat = rng.choice((0, 0, 1, 2, 3, 5, 10))
            w.writerow(
                [
                    f"SYN{i}",
                    f"{y}-{m:02d}-{d:02d}",
                    y,
                    1,
                    "",
                    et,
                    st,
                    ACTORS[i1],
                    "",
                    i1,
                    ACTORS.get(i2, ""),
                    "",
                    i2,
                    10 * min(i1, i2) + max(i1, i2) if i2 else 10 * i1,
                    "",
                    466,
                    "Western Africa",
                    "Mali",
                    "Mopti",
                    "Douentza",
                    "Boni",
                    f"Village {i % 5000}",
                    lat,
                    lon,
                    1 + i % 3,
                    "Synthetic Wire",
                    "National",
                    f"On {d} {m} {y}, a synthetic event number {i} took place near village {i % 5000}.",
                    fat,
                    "",
                    1600000000 + i,
                ]
            )


# Each step runs in a fresh interpreter; it times only its own work (imports excluded) and
# the wrapper reads that process's peak RSS.
_PANDAS = (
    "import sys, time, pandas as pd\n"
    "t = time.perf_counter(); df = pd.read_csv(sys.argv[1]); print(time.perf_counter() - t, len(df))"
)
_IMPORT = (
    "import sys, time, sahelwatch\nfrom sahelwatch.ingest.acled import import_acled\n"
    "s = sahelwatch.open(sys.argv[2])\n"
    "t = time.perf_counter(); r = import_acled(s, sys.argv[1]); print(time.perf_counter() - t, r.inserted, r.unchanged, r.rejected)"
)
# The floor: SQLite itself inserting the same number of rows into the same table and building its indexes,
# from tuples already in memory (no reading, no checks, no hashing).
_FLOOR = (
    "import sys, time, datetime as dt, sahelwatch\nfrom sahelwatch.store import schema\n"
    "from sahelwatch.store.writer import insert_rows\n"
    "n = int(sys.argv[1]); s = sahelwatch.open(sys.argv[2])\n"
    "keys = schema.EVENT_COLUMNS\n"
    "base = {k: None for k in keys}\n"
    "base.update(event_date=dt.date(2019, 1, 1), event_type='Battles', sub_event_type='Armed clash', dataset='acled',\n"
    "            actor1='Military Forces of Mali (2013-2020)', actor2='JNIM: Group for Support of Islam and Muslims',\n"
    "            country='Mali', admin1='Mopti', admin2='Douentza', location='Boni', latitude=14.1, longitude=-3.2,\n"
    "            notes='On 1 1 2019, a synthetic event took place near village 12 in the test region.', fatalities=2)\n"
    "rows = [tuple(f'SYN{i}' if k == 'event_id_cnty' else base[k] for k in keys) for i in range(n)]\n"
    "t = time.perf_counter()\n"
    "with s.engine.begin() as conn:\n"
    "    for ix in schema.events.indexes: ix.drop(conn)\n"
    "    for i in range(0, n, 20000): insert_rows(conn, rows[i:i + 20000])\n"
    "    for ix in schema.events.indexes: ix.create(conn)\n"
    "print(time.perf_counter() - t, n)"
)


def timed_cmd(cmd: list[str]) -> dict:
    """Wall time and peak RSS of an external command (sqlite-utils), interpreter start included."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "d = time.perf_counter() - t\n"
        "if p.returncode: sys.exit(p.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, d)\n"
    )
    res = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True)
    rss_kib, secs = res.stdout.split()
    return {"seconds": float(secs), "peak_rss_mib": int(rss_kib) / 1024}


def _pg_db(admin: str):
    """Create a throw-away database on the server; return (url, drop)."""
    import uuid

    from sqlalchemy import create_engine, text

    eng = create_engine(
        admin.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    name = f"sw_bench_{uuid.uuid4().hex[:8]}"
    with eng.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with eng.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()

    return admin.rsplit("/", 1)[0] + "/" + name, drop


def timed(code: str, *args: str) -> dict:
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run([sys.executable, '-c', sys.argv[1], *sys.argv[2:]], capture_output=True, text=True)\n"
        "if p.returncode: sys.exit(p.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.stdout.strip())\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", wrapper, code, *args], capture_output=True, text=True, check=True
    )
    rss_kib, secs, *outp = res.stdout.split()
    return {"seconds": float(secs), "peak_rss_mib": int(rss_kib) / 1024, "output": " ".join(outp)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--json", type=Path)
    ap.add_argument(
        "--pg",
        default=os.environ.get("SAHELWATCH_TEST_PG_URL"),
        help="PostgreSQL admin URL (a database is created and dropped); default $SAHELWATCH_TEST_PG_URL",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "synthetic_acled.csv"
        t = time.perf_counter()
        make_file(f, args.rows)
        print(
            f"made {args.rows:,} rows ({f.stat().st_size / 2**20:.0f} MiB) in {time.perf_counter() - t:.1f} s"
        )
        base = timed(_PANDAS, str(f))
        imp = timed(_IMPORT, str(f), str(Path(tmp) / "bench.db"))
        again = timed(_IMPORT, str(f), str(Path(tmp) / "bench.db"))
        floor = timed(_FLOOR, str(args.rows), str(Path(tmp) / "floor.db"))
        su_bin = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent)) or shutil.which(
            "sqlite-utils"
        )
        su = (
            timed_cmd([su_bin, "insert", str(Path(tmp) / "su.db"), "events", str(f), "--csv"])
            if su_bin
            else None
        )
        pg = None
        if args.pg:
            url, drop = _pg_db(args.pg)
            furl, fdrop = _pg_db(args.pg)
            try:
                pg = {
                    "import": timed(_IMPORT, str(f), url),
                    "reimport": timed(_IMPORT, str(f), url),
                    "floor": timed(_FLOOR, str(args.rows), furl),
                }
            finally:
                drop()
                fdrop()
    b = base["seconds"]
    result = {
        "rows": args.rows,
        "pandas_read_csv_s": round(b, 2),
        "pandas_peak_rss_mib": round(base["peak_rss_mib"]),
        "sqlite": {
            "import_s": round(imp["seconds"], 2),
            "import_peak_rss_mib": round(imp["peak_rss_mib"]),
            "import_output": imp["output"],
            "reimport_s": round(again["seconds"], 2),
            "reimport_output": again["output"],
            "floor_s": round(floor["seconds"], 2),
            "import_vs_pandas": round(imp["seconds"] / b, 2),
            "floor_vs_pandas": round(floor["seconds"] / b, 2),
            "import_vs_floor": round(imp["seconds"] / floor["seconds"], 2),
            "reimport_vs_pandas": round(again["seconds"] / b, 2),
        },
    }
    if su:
        result["sqlite"].update(
            sqlite_utils_s=round(su["seconds"], 2),
            sqlite_utils_peak_rss_mib=round(su["peak_rss_mib"]),
            sqlite_utils_vs_pandas=round(su["seconds"] / b, 2),
            sqlite_utils_vs_import=round(su["seconds"] / imp["seconds"], 2),
        )
    if pg:
        result["postgresql"] = {
            "import_s": round(pg["import"]["seconds"], 2),
            "import_peak_rss_mib": round(pg["import"]["peak_rss_mib"]),
            "import_output": pg["import"]["output"],
            "reimport_s": round(pg["reimport"]["seconds"], 2),
            "reimport_output": pg["reimport"]["output"],
            "floor_s": round(pg["floor"]["seconds"], 2),
            "import_vs_pandas": round(pg["import"]["seconds"] / b, 2),
            "floor_vs_pandas": round(pg["floor"]["seconds"] / b, 2),
            "import_vs_floor": round(pg["import"]["seconds"] / pg["floor"]["seconds"], 2),
            "reimport_vs_pandas": round(pg["reimport"]["seconds"] / b, 2),
        }
    print(json.dumps(result, indent=2))
    q = result["sqlite"]
    print(
        f"SQLite: import = {q['import_vs_pandas']}x pandas.read_csv, {q['import_vs_floor']}x the SQLite floor "
        f"(target <= 1.5x; floor = {q['floor_vs_pandas']}x pandas); peak RSS {q['import_peak_rss_mib']} MiB "
        "(target < 1024 MiB)"
        + (f"; sqlite-utils insert = {q['sqlite_utils_vs_import']}x our import" if su else "")
    )
    if pg:
        p = result["postgresql"]
        print(
            f"PostgreSQL: import = {p['import_vs_pandas']}x pandas.read_csv, {p['import_vs_floor']}x its COPY floor "
            f"(floor = {p['floor_vs_pandas']}x pandas); peak RSS {p['import_peak_rss_mib']} MiB"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
