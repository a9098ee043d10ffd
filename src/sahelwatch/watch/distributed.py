"""Extraction of a large corpus on Dask distributed: documents partitioned, one pipeline loaded per worker.

    from sahelwatch.watch.distributed import extract_distributed
    merged, claims, messages, n = extract_distributed(docs, workers=2)                 # a local cluster
    merged, claims, messages, n = extract_distributed(docs, scheduler="tcp://host:8786")

The documents are cut into contiguous partitions (about ``per_worker`` per worker); each task extracts one
partition on a worker, whose process loads the pipeline once (spaCy models, gazetteer, a trained model
directory, which must exist at the same path on every machine) and keeps it for its next tasks. Results come
back in document order and are merged across documents exactly as the single-process
``extract_documents`` does, so the output is the same events, whatever the number of workers; the caller
writes them (``store.add_events`` is idempotent, and on PostgreSQL a bulk load uses COPY). See
docs/deployment.md.
"""

from __future__ import annotations

import os
from typing import Any, Sequence

_PIPELINES: dict[tuple, Any] = {}


def _pipeline(model: str | None, lang: str, country: str | None):
    key = (model, lang, country)
    if key not in _PIPELINES:
        # lazy: start-up (spaCy, seconds): the pipeline is loaded in each worker process, once
        from ..extract.pipeline import Pipeline

        _PIPELINES[key] = Pipeline.load(model, lang=lang, country_focus=country)
    return _PIPELINES[key]


def extract_partition(
    docs: list, model: str | None = None, lang: str = "en", country: str | None = None, batch_size: int = 16
) -> tuple[list, list, list[tuple[str, str]], int]:
    """One partition, on a worker: (events before cross-document merging, claims, (document id, message),
    worker pid)."""
    pipe = _pipeline(model, lang, country)
    events, claims, messages = [], [], []
    for r in pipe.pipe(docs, batch_size=batch_size):
        messages.extend((r.document.id, m) for m in r.messages)
        events.extend(r.events)
        claims.extend(r.claims)
    return events, claims, messages, os.getpid()


def partitions(docs: Sequence, n_workers: int, per_worker: int = 2) -> list[list]:
    """Contiguous partitions, in order, about ``per_worker`` per worker (so a slow partition does not idle
    the others)."""
    k = max(1, min(len(docs), n_workers * per_worker))
    size, extra = divmod(len(docs), k)
    out, i = [], 0
    for j in range(k):
        n = size + (1 if j < extra else 0)
        out.append(list(docs[i : i + n]))
        i += n
    return [p for p in out if p]


def extract_distributed(
    docs: Sequence,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    model: str | None = None,
    lang: str = "en",
    country: str | None = None,
    per_worker: int = 2,
) -> tuple[list, list, list[tuple[Any, str]], int]:
    """Like ``extract.pipeline.extract_documents`` (merged events, claims, (document, message), events before
    merging), on a Dask cluster: ``scheduler`` (tcp://HOST:8786) or a local cluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    # lazy: start-up (spaCy, seconds): `sahelwatch extract` imports this module only with --workers/--scheduler
    from ..extract.pipeline import merge_events

    if not docs:
        return [], [], [], 0
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=max(1, workers or 1),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
        parts = partitions(list(docs), n_workers, per_worker)
        futures = client.map(extract_partition, parts, model=model, lang=lang, country=country, pure=False)
        results = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    by_id = {d.id: d for d in docs}
    events, claims, messages = [], [], []
    for evs, cls, msgs, _pid in results:
        events.extend(evs)
        claims.extend(cls)
        messages.extend((by_id.get(i, i), m) for i, m in msgs)
    return merge_events(events), claims, messages, len(events)
