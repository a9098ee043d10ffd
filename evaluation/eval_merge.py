"""Merge precision and recall: one event from many reports (store/merge.py) on the shared development articles.

    .venv/bin/python -m evaluation.eval_merge [--json evaluation/output/merge.json]

The pipeline extracts the 100 articles of ../shared/data/articles (each alone, with the publication date and
language of gold.json) and then 28 reports we wrote ourselves (tests/fixtures/merge_reports/reports.json): 20
second reports of events the articles describe, in other words and often with another toll, and 8 invented
reports of different events close in place or time. Each document's events go into one store through
``merge_events``, one document per transaction, as ``sahelwatch watch`` does.

Truth: an extracted event belongs to the gold event it matches (the articles scorer's one-to-one matching);
a report's events match the event it reports (``same_as``). Two extracted events are the *same event* when
they belong to the same gold event; events matching no gold event are each their own event.

- pair precision = pairs merged together that are the same event / pairs merged together;
- pair recall = same-event pairs merged together / same-event pairs;
- report level: second reports merged into the article's event; invented reports merged into anything.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORTS = HERE.parent / "tests" / "fixtures" / "merge_reports" / "reports.json"
ARTICLES = HERE.parents[1] / "shared" / "data" / "articles"


def pairs(groups: dict[str, list[str]]) -> set[frozenset]:
    out = set()
    for members in groups.values():
        for a, b in itertools.combinations(sorted(set(members)), 2):
            out.add(frozenset((a, b)))
    return out


def run(articles: Path = ARTICLES, reports: Path = REPORTS) -> dict:
    import sahelwatch
    from sahelwatch.extract.evaluate_articles import load_gold, match_document, prediction_rows
    from sahelwatch.extract.pipeline import Pipeline
    from sahelwatch.extract.places import split_glued
    from sahelwatch.ingest.documents import read_document
    from sahelwatch.store.merge import merge_events

    if not (articles / "gold.json").is_file():
        raise SystemExit(f"skipped: {articles} is absent (../shared holds the evaluation data)")
    gold = load_gold(articles)
    by_doc = {d["doc"]: d for d in gold}
    extra = json.loads(reports.read_text("utf-8"))["reports"]
    pipe = Pipeline.load(None, lang="en")
    store = sahelwatch.open(":memory:")
    label: dict[str, str] = {}  # event id -> gold event key (or its own id)
    origin: dict[str, str] = {}  # event id -> document (article or report id)
    final: dict[str, str] = {}  # absorbed id -> the event it merged into
    t0 = time.perf_counter()

    def feed(name, doc, gold_events, keys):
        res = pipe.extract(doc)
        evs = res.events
        rows = prediction_rows(evs)
        for m in match_document(name, doc.language or "en", gold_events, rows):
            if m.pred_index is not None:
                label[evs[m.pred_index].event_id_cnty] = keys[m.gold_index]
        for e in evs:
            label.setdefault(e.event_id_cnty, e.event_id_cnty)
            origin[e.event_id_cnty] = name
        with store.engine.begin() as conn:
            rep = merge_events(conn, evs)
        for absorbed, into, _score in rep.merges:
            final[absorbed] = into
        return len(evs)

    n_article_events = 0
    for d in gold:
        doc = read_document(
            articles / d["doc"],
            published=d.get("published") or None,
            lang=d.get("lang") or None,
            split_glued=split_glued,
        )
        n_article_events += feed(
            d["doc"], doc, d["events"], [f"{d['doc']}#{i}" for i in range(len(d["events"]))]
        )
    report_events = {}
    for r in extra:
        doc = read_document(r["text"], published=r["published"], lang=r["lang"], split_glued=split_glued)
        doc.meta["report_id"] = r["id"]
        if r["same_as"]:
            g = by_doc[r["same_as"]["doc"]]
            gi = next(
                i
                for i, e in enumerate(g["events"])
                if e["event_date"] == r["same_as"]["event_date"] and e["location"] == r["same_as"]["location"]
            )
            gev, keys = [g["events"][gi]], [f"{g['doc']}#{gi}"]
        else:
            gev, keys = [], []
        before = set(origin)
        feed(r["id"], doc, gev, keys)
        report_events[r["id"]] = sorted(set(origin) - before)
    seconds = time.perf_counter() - t0

    def root(eid: str) -> str:
        while eid in final:
            eid = final[eid]
        return eid

    pred_groups, true_groups = defaultdict(list), defaultdict(list)
    for eid in origin:
        pred_groups[root(eid)].append(eid)
        true_groups[label[eid]].append(eid)
    P, T = pairs(pred_groups), pairs(true_groups)
    tp = len(P & T)
    wrong = [sorted((origin[a], origin[b]) for a, b in (tuple(p),)) for p in P - T]
    missed = [sorted((origin[a], origin[b]) for a, b in (tuple(p),)) for p in T - P]
    # report level
    pos = [r for r in extra if r["same_as"]]
    neg = [r for r in extra if not r["same_as"]]
    found = [
        r for r in pos if any(label[e] != e for e in report_events[r["id"]])
    ]  # extraction found the event
    merged_right = [
        r
        for r in pos
        if any(label[e] != e and root(e) != e and label[root(e)] == label[e] for e in report_events[r["id"]])
    ]
    neg_merged = [r for r in neg if any(root(e) != e for e in report_events[r["id"]])]
    article_labels = {label[e] for e, o in origin.items() if o.endswith(".txt")}
    mergeable = [r for r in found if any(label[e] in article_labels for e in report_events[r["id"]])]
    return {
        "articles": len(gold),
        "article_events": n_article_events,
        "reports": len(extra),
        "report_events": sum(len(v) for v in report_events.values()),
        "seconds": round(seconds, 1),
        "merged_pairs": len(P),
        "same_event_pairs": len(T),
        "correct_pairs": tp,
        "pair_precision": round(tp / len(P), 3) if P else None,
        "pair_recall": round(tp / len(T), 3) if T else None,
        "second_reports": len(pos),
        "second_reports_extracted": len(found),
        "second_reports_merged_right": len(merged_right),
        "second_report_recall": round(len(merged_right) / len(pos), 3),
        "second_reports_mergeable": len(mergeable),
        "second_report_recall_given_mergeable": round(len(merged_right) / len(mergeable), 3)
        if mergeable
        else None,
        "invented_reports": len(neg),
        "invented_reports_merged": len(neg_merged),
        "wrong_pairs": wrong[:30],
        "missed_pairs": missed[:30],
        "not_extracted": [r["id"] for r in pos if r not in found],
        "article_event_not_extracted": [r["id"] for r in found if r not in mergeable],
        "not_merged": [r["id"] for r in found if r not in merged_right],
        "invented_merged": [r["id"] for r in neg_merged],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    res = run()
    print(json.dumps(res, indent=1))
    print(
        f"merge: pair precision {res['pair_precision']} ({res['correct_pairs']}/{res['merged_pairs']}), pair recall "
        f"{res['pair_recall']} ({res['correct_pairs']}/{res['same_event_pairs']}); second reports merged right "
        f"{res['second_reports_merged_right']}/{res['second_reports']} ({res['second_reports_mergeable']} with the "
        "article's event extracted too); "
        f"invented reports merged {res['invented_reports_merged']}/{res['invented_reports']}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
