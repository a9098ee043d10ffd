"""Scale-out on Dask distributed: a local cluster of real worker processes gives the same events as the
single-process extraction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sahelwatch.ingest.documents import document_from_text
from sahelwatch.watch.distributed import extract_distributed, partitions

REPORTS = Path(__file__).parent / "fixtures" / "merge_reports" / "reports.json"


def _docs(n=8):
    reps = json.loads(REPORTS.read_text("utf-8"))["reports"][:n]
    return [document_from_text(r["text"], published=r["published"], lang=r["lang"]) for r in reps]


def _key(events):
    return sorted(
        (
            e.event_id_cnty,
            str(e.event_date),
            e.event_type,
            e.actor1,
            e.actor2 or "",
            e.location or "",
            e.fatalities,
            len(e.sources),
        )
        for e in events
    )


def test_partitions_are_contiguous_and_cover_everything():
    parts = partitions(list(range(10)), 2, per_worker=2)
    assert [len(p) for p in parts] == [3, 3, 2, 2] and sum(parts, []) == list(range(10))
    assert partitions([1], 4) == [[1]]


def test_two_workers_give_the_same_events_as_one_process():
    pytest.importorskip("distributed")
    from sahelwatch.extract.pipeline import Pipeline, extract_documents

    docs = _docs()
    single, claims1, _, n1 = extract_documents(Pipeline.load(lang="en"), docs)
    dist, claims2, _, n2 = extract_distributed(docs, workers=2, lang="en")
    assert n1 == n2 and len(single) == len(dist) > 5
    assert _key(single) == _key(dist)
    assert sorted(c.claim_id for c in claims1) == sorted(c.claim_id for c in claims2)
