"""Fast versions of the reliability campaign (scripts/reliability.py, docs/reliability.md): a few hundred
hypothesis examples of damaged inputs, a couple of kill -9, a short run of concurrent writers and readers."""

from __future__ import annotations

import csv
import io
import os
import random
import signal
import threading
import time
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sahelwatch
from sahelwatch.errors import InputError
from sahelwatch.ingest.acled import import_acled
from sahelwatch.ingest.documents import read_documents
from sahelwatch.store.integrity import check_integrity

from acled_samples import CURRENT_HEADER, FAMA, JNIM, row, write_csv

SETTINGS = dict(database=None, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def _rows(n, prefix="MLIR", start=0):
    return [
        row(
            f"{prefix}{i:05d}",
            f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "Battles",
            "Armed clash",
            FAMA,
            1,
            JNIM,
            2,
            fat=i % 5,
        )
        for i in range(start, start + n)
    ]


# ------------------------------------------------------------------------------------------ fuzzing

_JUNK = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ['"', '"x', 'a"b', "\n", ",", "\x00", "NaN", "1e400", "-91", "31/02/2019", "", "\ufeff", "inf"]
    ),
)


@st.composite
def _damaged_file(draw):
    rows = _rows(draw(st.integers(1, 30)))
    for _ in range(draw(st.integers(0, 6))):
        rows[draw(st.integers(0, len(rows) - 1))][draw(st.sampled_from(CURRENT_HEADER))] = draw(_JUNK)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CURRENT_HEADER, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    lines = buf.getvalue().split("\n")
    for _ in range(draw(st.integers(0, 2))):
        k = draw(st.integers(1, len(lines) - 1))
        pos = draw(st.integers(0, len(lines[k])))
        lines[k] = lines[k][:pos] + draw(st.sampled_from(['"', "", "\n"])) + lines[k][pos:]
    return "\n".join(lines).encode(
        draw(st.sampled_from(["utf-8", "latin-1", "utf-16", "utf-8-sig"])), "replace"
    )


@pytest.fixture(scope="module")
def mem_store():
    s = sahelwatch.open(":memory:")
    yield s
    s.close()


def test_damaged_acled_files_import_or_are_refused_clearly(mem_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"

    @settings(max_examples=150, **SETTINGS)
    @given(_damaged_file())
    def run(data):
        path.write_bytes(data)
        try:
            rep = import_acled(mem_store, path)
        except InputError as exc:
            assert str(path) in str(exc)
            return
        assert rep.balanced(), rep.summary()
        assert all(r.file == str(path) and r.line >= 2 and r.reason for r in rep.rejections)

    run()
    assert check_integrity(mem_store) == []


def test_random_documents_are_read_or_refused_clearly(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")

    @settings(max_examples=150, **SETTINGS)
    @given(
        st.one_of(
            st.binary(min_size=1, max_size=600),
            st.text(min_size=1, max_size=600).map(str.encode),
            st.integers(1, 800).map(
                lambda d: ("<div>" * d + "Gunmen attacked Boni." + "</div>" * d).encode()
            ),
        ),
        st.sampled_from([".txt", ".html", ".xml", ".pdf", ".rss"]),
    )
    def run(data, suffix):
        path = folder / f"doc{suffix}"
        path.write_bytes(data)
        try:
            docs = read_documents(path, fetch=False)
        except InputError as exc:
            assert str(path) in str(exc)
            return
        assert all(isinstance(d.text, str) and d.text for d in docs)

    run()


def test_xml_bombs_and_external_entities_are_not_expanded(tmp_path):
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi")
    )
    for doctype, body in (
        (f"<!DOCTYPE r [{ents}]>", "&i;"),
        ('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
    ):
        f = tmp_path / "bomb.rss"
        f.write_text(
            f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>t</title><item>'
            f"<title>x</title><description>Gunmen attacked Boni {body}</description></item></channel></rss>"
        )
        t0 = time.perf_counter()
        try:
            docs = read_documents(f, fetch=False)
            assert not any("aaaaaaaaaaaaaaaaaaaa" in d.text or "root:" in d.text for d in docs)
        except InputError as exc:
            assert str(f) in str(exc)
        assert time.perf_counter() - t0 < 5


# ------------------------------------------------------------------------------------------ kill -9


def _fork_import(path, db, kill_after):
    pid = os.fork()
    if pid == 0:  # the child: a real import, killed mid-way
        try:
            s = sahelwatch.open(db)
            import_acled(s, path, chunk_rows=500)
        finally:
            os._exit(0)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < kill_after:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return False
        time.sleep(0.002)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_kill_9_during_imports_then_rerun_gives_the_expected_events(tmp_path):
    base = write_csv(tmp_path / "base.csv", _rows(300))
    newer = [dict(r, fatalities=9, timestamp=1700000000) for r in _rows(100)]
    big = write_csv(tmp_path / "big.csv", newer + _rows(6000, start=300))
    expected_db = tmp_path / "expected.db"
    s = sahelwatch.open(expected_db)
    import_acled(s, base)
    t0 = time.perf_counter()
    import_acled(s, big)
    duration = time.perf_counter() - t0
    expected = s.events().drop(columns=["import_id"])
    s.close()
    rng = random.Random(7)
    kills = 0
    for attempt in range(6):
        db = tmp_path / f"k{attempt}.db"
        s = sahelwatch.open(db)
        import_acled(s, base)
        s.close()
        if not _fork_import(big, db, rng.uniform(0.05, duration * 0.9)):
            continue
        kills += 1
        s = sahelwatch.open(db, migrate=False)
        assert check_integrity(s) == []
        assert s.count() == 300 and len(s.history("MLIR00001")) == 0  # as before the import
        import_acled(s, big)  # the rerun
        assert check_integrity(s) == []
        got = s.events().drop(columns=["import_id"])
        s.close()
        assert got.equals(expected)
        if kills == 2:
            break
    assert kills >= 1, "every import ended before its kill: the machine is too fast for these moments"


def test_integrity_check_finds_torn_and_orphan_rows(tmp_path):
    s = sahelwatch.open(tmp_path / "s.db")
    import_acled(s, write_csv(tmp_path / "a.csv", _rows(20)))
    assert check_integrity(s) == []
    with s.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE events SET fatalities = 99 WHERE event_id_cnty = 'MLIR00003'")
        conn.exec_driver_sql("UPDATE events SET import_id = 999 WHERE event_id_cnty = 'MLIR00004'")
        conn.exec_driver_sql("INSERT INTO imports (dataset, started_at) VALUES ('acled', '2020-01-01')")
    problems = " ".join(check_integrity(s))
    assert "MLIR00003" in problems and "hash" in problems
    assert "MLIR00004" in problems and "unfinished" in problems and "never finished" in problems
    s.close()


# ------------------------------------------------------------------------------------------ concurrency


def test_two_writers_and_readers_see_only_whole_imports(tmp_path):
    db = tmp_path / "c.db"
    sahelwatch.open(db).close()
    stop = time.time() + 4
    errors: list[str] = []
    committed: list[str] = []

    def writer(w):
        s = sahelwatch.open(db, migrate=False)
        k = 0
        while time.time() < stop:
            prefix = f"W{w}{k:04d}X"
            try:
                rep = import_acled(s, write_csv(tmp_path / f"{prefix}.csv", _rows(25, prefix=prefix)))
                assert rep.inserted == 25
                committed.append(prefix)
            except Exception as exc:  # noqa: BLE001 - the test counts them
                errors.append(repr(exc))
            k += 1
        s.close()

    def reader():
        s = sahelwatch.open(db, migrate=False)
        while time.time() < stop:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ids = s.events()["event_id_cnty"]
                per = ids.str[:7].value_counts()
                if (per != 25).any():
                    errors.append(f"partial import seen: {per[per != 25].to_dict()}")
            except Exception as exc:  # noqa: BLE001
                errors.append(repr(exc))
        s.close()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(2)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    s = sahelwatch.open(db, migrate=False)
    assert s.count() == 25 * len(committed) and len(committed) >= 2
    assert check_integrity(s) == []
    s.close()
