"""Scale-out speed: extraction of the same documents on a local Dask cluster of 1 and of 2 worker processes,
pipelines loaded on the workers before timing (the cost a long-running cluster pays once), and the check that
both give the same events as the single process.

    .venv/bin/python benchmarks/bench_distributed.py [--copies 4] [--json out.json]

Documents: the reports written for the tests (tests/fixtures/merge_reports, watch feeds), repeated ``copies``
times with a numbered heading so that every copy is a distinct document.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def documents(copies: int):
    from sahelwatch.ingest.documents import document_from_text

    reps = json.loads((HERE.parent / "tests" / "fixtures" / "merge_reports" / "reports.json").read_text())[
        "reports"
    ]
    return [
        document_from_text(f"Report {k}-{i}.\n\n{r['text']}", published=r["published"], lang=r["lang"])
        for k in range(copies)
        for i, r in enumerate(reps)
    ]


def timed_cluster(docs, n_workers: int) -> tuple[float, list]:
    from distributed import Client, LocalCluster

    from sahelwatch.extract.pipeline import merge_events
    from sahelwatch.watch.distributed import extract_partition, partitions

    with (
        LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(
            lambda: __import__("sahelwatch.watch.distributed", fromlist=["_pipeline"])._pipeline(
                None, "en", None
            )
        )
        t = time.perf_counter()
        parts = partitions(docs, n_workers)
        res = client.gather(client.map(extract_partition, parts, pure=False))
        secs = time.perf_counter() - t
    events = [e for r in res for e in r[0]]
    return secs, merge_events(events)


def key(events):
    return sorted(
        (e.event_id_cnty, str(e.event_date), e.event_type, e.actor1, e.location or "", e.fatalities)
        for e in events
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sahelwatch.extract.pipeline import Pipeline, extract_documents

    docs = documents(args.copies)
    pipe = Pipeline.load(lang="en")
    t = time.perf_counter()
    single, *_ = extract_documents(pipe, docs)
    t_single = time.perf_counter() - t
    t1, ev1 = timed_cluster(docs, 1)
    t2, ev2 = timed_cluster(docs, 2)
    out = {
        "documents": len(docs),
        "events": len(single),
        "single_process_s": round(t_single, 2),
        "dask_1_worker_s": round(t1, 2),
        "dask_2_workers_s": round(t2, 2),
        "speedup_2_vs_1": round(t1 / t2, 2),
        "same_events_1": key(ev1) == key(single),
        "same_events_2": key(ev2) == key(single),
    }
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
