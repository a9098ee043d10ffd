"""Articles evaluation: run the full pipeline on a folder of real articles with hand-coded gold events.

    sahelwatch evaluate --articles DIR [--predictions PRED_DIR] [--json FILE] [--errors]

The folder holds the documents (``NN.txt``) and ``gold.json``: a list of documents
``{"doc", "lang", "published", "events": [...]}`` whose events carry ACLED's columns (event_date, event_type,
sub_event_type, actor1, actor2, admin1, location, fatalities) and the ``evidence`` sentence(s).

Each document is extracted alone, with its publication date when the gold gives one and the language the
gold gives, exactly as ``sahelwatch extract FILE --published D --lang L`` would; its events are written as
one ACLED-column CSV per document (``NN.csv``) in the predictions folder, then scored.

Matching (the rule of the shared scorer ``score_articles.py``, implemented here so that the command works
without it; ``evaluation/eval_articles.py`` checks on the development set that both give the same figures):

- gold events are matched one-to-one to the predictions of the same document, best agreement first;
- a pair is a candidate only when the days are within one day of each other, or the places agree
  (names folded to ASCII lower case: equal, one is a word of the other, or one starts with the other);
- agreement = 2·(same day) + (days within one) + 2·(same place) + (same event type) + (same actor1 family);
  ties go to the later gold event, then the later prediction;
- actors compare by family: the name without ACLED's period suffix ("Military Forces of Mali (2021-)");
- field accuracies are over matched gold events (admin1 only where the gold gives one); end-to-end counts
  a gold event right when it was found with the right event type, day, place and actor1 family;
- ``*_of_gold`` (not in the shared scorer): the same fields over all gold events, a missed one counting
  wrong; they only rise when extraction improves, which the matched shares need not do (a newly found
  event with a wrong date lowers ``date_matched``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import InputError
from ..model import ACLED_COLUMNS, Document, Event
from .pipeline import merge_events

#: metric names, in report order (those of the shared scorer, plus precision/F1 by language)
HEADLINE = ("event_recall", "event_precision", "event_f1", "end_to_end")
FIELDS = ("etype", "sub", "a1", "a2", "date", "place", "adm1", "fat")
FIELD_LABELS = {
    "etype": "event type",
    "sub": "sub-event type",
    "a1": "actor1",
    "a2": "actor2",
    "date": "date",
    "place": "place",
    "adm1": "admin1",
    "fat": "fatalities",
}
#: columns of a prediction file: ACLED's, then where each event came from
EXTRA_COLUMNS = ("confidence", "coding_method", "char_start", "char_end", "sentence")


# ============================================================================================ gold


def load_gold(folder: str | Path) -> list[dict[str, Any]]:
    """The documents of ``folder/gold.json``; an InputError names the file and the document or field at fault."""
    folder = Path(folder)
    f = folder / "gold.json"
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    if not f.is_file():
        raise InputError(f"{f}: missing (an articles folder holds its documents and gold.json)")
    try:
        gold = json.loads(f.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{f}: not JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(gold, list):
        raise InputError(f"{f}: expected a list of documents, found {type(gold).__name__}")
    for i, d in enumerate(gold):
        where = f"{f}: document {i + 1}"
        if not isinstance(d, dict) or not d.get("doc"):
            raise InputError(f"{where}: no 'doc' (the document's file name)")
        where = f"{f}: document {d['doc']!r}"
        if not (folder / d["doc"]).is_file():
            raise InputError(f"{where}: the file {folder / d['doc']} is missing")
        if not isinstance(d.get("events", []), list):
            raise InputError(f"{where}: 'events' must be a list")
        if d.get("published"):
            try:
                dt.date.fromisoformat(str(d["published"])[:10])
            except ValueError:
                raise InputError(
                    f"{where}: published {d['published']!r} is not a date (YYYY-MM-DD)"
                ) from None
        for j, e in enumerate(d.get("events", [])):
            if not isinstance(e, dict) or not e.get("event_type"):
                raise InputError(f"{where}: event {j + 1} has no event_type")
    return gold


# ============================================================================================ predicting


def prediction_rows(events: Iterable[Event]) -> list[dict[str, Any]]:
    """ACLED-column rows (plus provenance columns) of extracted events."""
    rows = []
    for e in events:
        r = e.acled_row()
        r["event_date"] = e.event_date.isoformat() if e.event_date else ""
        r["confidence"] = round(e.provenance.confidence, 3)
        r["coding_method"] = e.provenance.method
        r["char_start"] = e.provenance.char_start
        r["char_end"] = e.provenance.char_end
        r["sentence"] = " ".join((e.provenance.sentence or "").split())
        rows.append(r)
    return rows


def write_predictions(path: Path, events: Iterable[Event]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = prediction_rows(events)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=[*ACLED_COLUMNS, *EXTRA_COLUMNS], extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return len(rows)


def predict(
    folder: str | Path,
    gold: list[dict],
    pred_dir: str | Path,
    pipeline,
    read_document: Callable[..., Document],
    *,
    split_glued=None,
    country_focus_from_gold: bool = False,
    progress: Callable[[Iterable], Iterable] = lambda xs: xs,
) -> dict[str, list[str]]:
    """Extract each gold document alone and write ``pred_dir/NN.csv``; returns the pipeline's messages per
    document. ``read_document`` is the intake function (``sahelwatch.ingest.documents.read_document``)."""
    folder, pred_dir = Path(folder), Path(pred_dir)
    pred_dir.mkdir(parents=True, exist_ok=True)
    messages: dict[str, list[str]] = {}
    for d in progress(gold):
        doc = read_document(
            folder / d["doc"],
            published=d.get("published") or None,
            lang=d.get("lang") or None,
            split_glued=split_glued,
        )
        if country_focus_from_gold and d.get("country_focus"):
            doc.meta["country"] = d["country_focus"]
        res = pipeline.extract(doc)
        messages[Path(d["doc"]).stem] = list(res.messages)
        write_predictions(pred_dir / f"{Path(d['doc']).stem}.csv", merge_events(res.events))
    return messages


# ============================================================================================ matching


def fold(s: Any) -> str:
    """ASCII lower case, anything but letters and digits a space."""
    if not isinstance(s, str):
        return ""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", s).split())


_PERIOD = re.compile(r"\(\d{4}-?\d{0,4}\)")


def actor_family(actor: Any) -> str:
    """'Military Forces of Mali (2021-)' -> 'military forces of mali'."""
    return fold(_PERIOD.sub("", actor if isinstance(actor, str) else ""))


def places_agree(pred: Any, gold: Any) -> bool:
    a, b = fold(pred), fold(gold)
    if not a or not b:
        return False
    return a == b or a in b.split() or b in a.split() or a.startswith(b) or b.startswith(a)


def _day(v: Any) -> dt.date | None:
    s = str(v)[:10] if v is not None else ""
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


@dataclass
class Match:
    doc: str
    lang: str
    gold_index: int
    pred_index: int | None  # None: the gold event was missed
    fields: dict[str, int | None] = field(default_factory=dict)  # FIELDS -> 1/0 (adm1 None: gold has none)

    @property
    def e2e(self) -> int:
        f = self.fields
        return int(self.pred_index is not None and bool(f["etype"] and f["date"] and f["place"] and f["a1"]))


def read_prediction_file(path: Path) -> list[dict[str, str]]:
    """Rows of a prediction CSV, every value text ('' when empty); a missing or empty file is no prediction."""
    if not path.is_file() or path.stat().st_size == 0:
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return [{k: (v or "") for k, v in r.items()} for r in csv.DictReader(fh)]


def match_document(stem: str, lang: str, gold_events: list[dict], preds: list[dict]) -> list[Match]:
    cands = []
    for gi, g in enumerate(gold_events):
        gd = _day(g.get("event_date"))
        for pi, p in enumerate(preds):
            pd_ = _day(p.get("event_date"))
            same_day = gd is not None and pd_ is not None and gd == pd_
            near = gd is not None and pd_ is not None and abs((gd - pd_).days) <= 1
            same_place = places_agree(p.get("location", ""), g.get("location") or "")
            if not (near or same_place):
                continue
            agreement = (
                2 * same_day
                + near
                + 2 * same_place
                + (p.get("event_type") == g["event_type"])
                + (actor_family(p.get("actor1")) == actor_family(g.get("actor1")))
            )
            cands.append((agreement, gi, pi, same_day, same_place))
    cands.sort(key=lambda c: (c[0], c[1], c[2]), reverse=True)
    taken_g: dict[int, Match] = {}
    taken_p: set[int] = set()
    for _agreement, gi, pi, same_day, same_place in cands:
        if gi in taken_g or pi in taken_p:
            continue
        g, p = gold_events[gi], preds[pi]
        taken_p.add(pi)
        fat = str(p.get("fatalities", "")).split(".")[0] == str(g.get("fatalities"))
        taken_g[gi] = Match(
            stem,
            lang,
            gi,
            pi,
            {
                "etype": int(p.get("event_type") == g["event_type"]),
                "sub": int(p.get("sub_event_type") == g.get("sub_event_type")),
                "a1": int(actor_family(p.get("actor1")) == actor_family(g.get("actor1"))),
                "a2": int(actor_family(p.get("actor2")) == actor_family(g.get("actor2"))),
                "date": int(same_day),
                "place": int(same_place),
                "adm1": int(fold(p.get("admin1")) == fold(g.get("admin1"))) if g.get("admin1") else None,
                "fat": int(fat),
            },
        )
    out = []
    for gi, g in enumerate(gold_events):
        out.append(
            taken_g.get(gi)
            or Match(
                stem,
                lang,
                gi,
                None,
                {k: (None if k == "adm1" and not g.get("admin1") else 0) for k in FIELDS},
            )
        )
    return out


def figures(matches: list[Match], n_pred: int) -> dict[str, Any]:
    """Recall, precision, F1, end-to-end and field accuracies on matched events."""
    n_gold = len(matches)
    found = [m for m in matches if m.pred_index is not None]
    recall = len(found) / n_gold if n_gold else 0.0
    precision = len(found) / n_pred if n_pred else 0.0
    out: dict[str, Any] = {
        "gold_events": n_gold,
        "predicted_events": n_pred,
        "matched_events": len(found),
        "event_recall": recall,
        "event_precision": precision,
        "event_f1": 2 * recall * precision / (recall + precision) if recall + precision else 0.0,
        "end_to_end": sum(m.e2e for m in matches) / n_gold if n_gold else 0.0,
    }
    for k in FIELDS:
        vals = [m.fields[k] for m in found if m.fields[k] is not None]
        out[f"{k}_matched"] = sum(vals) / len(vals) if vals else 0.0
    # the same fields over every gold event (a missed event counts wrong): unlike the share on matched
    # events, this never falls when a newly found event has a field wrong, so thresholds can hold it
    for k in FIELDS:
        vals = [m.fields[k] or 0 for m in matches if m.fields[k] is not None or k != "adm1"]
        out[f"{k}_of_gold"] = sum(vals) / len(vals) if vals else 0.0
    return out


@dataclass
class ArticlesReport:
    overall: dict[str, Any]
    by_language: dict[str, dict[str, Any]]
    matches: list[Match]
    gold: list[dict]
    predictions: dict[str, list[dict]]
    messages: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {**self.overall, "by_language": self.by_language, "meta": self.meta}


def score_folder(folder: str | Path, pred_dir: str | Path, gold: list[dict] | None = None) -> ArticlesReport:
    """Score the prediction files of ``pred_dir`` against ``folder/gold.json`` (or the given gold documents)."""
    gold = load_gold(folder) if gold is None else gold
    matches: list[Match] = []
    preds: dict[str, list[dict]] = {}
    n_pred: dict[str, int] = {}
    for d in gold:
        stem = Path(d["doc"]).stem
        lang = d.get("lang") or "?"
        p = read_prediction_file(Path(pred_dir) / f"{stem}.csv")
        preds[stem] = p
        n_pred[lang] = n_pred.get(lang, 0) + len(p)
        matches.extend(match_document(stem, lang, d.get("events", []), p))
    overall = figures(matches, sum(n_pred.values()))
    overall["docs"] = len(gold)
    by_lang = {}
    for lang in sorted({d.get("lang") or "?" for d in gold}):
        by_lang[lang] = figures([m for m in matches if m.lang == lang], n_pred.get(lang, 0))
        by_lang[lang]["docs"] = sum((d.get("lang") or "?") == lang for d in gold)
    return ArticlesReport(overall, by_lang, matches, gold, preds)


def evaluate_articles(
    folder: str | Path,
    pred_dir: str | Path,
    pipeline,
    read_document: Callable[..., Document],
    *,
    split_glued=None,
    docs: Iterable[str] | None = None,
    country_focus_from_gold: bool = False,
    progress: Callable[[Iterable], Iterable] = lambda xs: xs,
) -> ArticlesReport:
    """Extract every document of ``folder`` (or only ``docs``, given by stem or file name), write the
    predictions into ``pred_dir`` and score them."""
    gold = load_gold(folder)
    if docs:
        want = {Path(x).stem for x in docs}
        unknown = want - {Path(d["doc"]).stem for d in gold}
        if unknown:
            raise InputError(f"{Path(folder) / 'gold.json'}: no document {', '.join(sorted(unknown))}")
        gold = [d for d in gold if Path(d["doc"]).stem in want]
    msgs = predict(
        folder,
        gold,
        pred_dir,
        pipeline,
        read_document,
        split_glued=split_glued,
        country_focus_from_gold=country_focus_from_gold,
        progress=progress,
    )
    rep = score_folder(folder, pred_dir, gold)
    rep.messages = msgs
    rep.meta.update(
        folder=str(folder), predictions=str(pred_dir), country_focus_from_gold=country_focus_from_gold
    )
    return rep


# ============================================================================================ rendering


def render_summary(rep: ArticlesReport) -> str:
    cols = [("all", rep.overall), *rep.by_language.items()]
    lines = [f"{'':26}" + "".join(f"{c:>9}" for c, _ in cols)]
    rows = [
        ("documents", "docs", "d"),
        ("gold events", "gold_events", "d"),
        ("predicted", "predicted_events", "d"),
        ("event recall", "event_recall", "f"),
        ("event precision", "event_precision", "f"),
        ("event F1", "event_f1", "f"),
        ("end-to-end", "end_to_end", "f"),
    ]
    rows += [(f"{FIELD_LABELS[k]} (matched)", f"{k}_matched", "f") for k in FIELDS]
    for label, key, kind in rows:
        vals = [c.get(key) for _, c in cols]
        lines.append(f"{label:26}" + "".join(f"{v:>9d}" if kind == "d" else f"{v:>9.3f}" for v in vals))
    return "\n".join(lines)


def _gold_line(g: dict) -> str:
    return (
        f"{g.get('event_date')} {g.get('event_type')}/{g.get('sub_event_type')} | {g.get('actor1')} vs "
        f"{g.get('actor2')} | {g.get('location')} ({g.get('admin1')}) | {g.get('fatalities')} killed"
    )


def _pred_line(p: dict) -> str:
    return (
        f"{p.get('event_date')} {p.get('event_type')}/{p.get('sub_event_type')} | {p.get('actor1')} vs "
        f"{p.get('actor2') or None} | {p.get('location')} ({p.get('admin1')}, gp {p.get('geo_precision')}) | "
        f"{p.get('fatalities')} killed | conf {p.get('confidence')}"
    )


def render_errors(rep: ArticlesReport, only: Iterable[str] = FIELDS, width: int = 220) -> str:
    """Per document: gold events missed (with their evidence), predictions matching nothing (with their
    sentence), and the fields of matched events that differ (gold -> predicted). ``only`` limits the
    field differences shown (e.g. ("place", "adm1"))."""
    only = set(only)
    out: list[str] = []
    by_doc: dict[str, list[Match]] = {}
    for m in rep.matches:
        by_doc.setdefault(m.doc, []).append(m)
    for d in rep.gold:
        stem = Path(d["doc"]).stem
        ms = by_doc.get(stem, [])
        preds = rep.predictions.get(stem, [])
        used = {m.pred_index for m in ms if m.pred_index is not None}
        block: list[str] = []
        for m in ms:
            g = d["events"][m.gold_index]
            if m.pred_index is None:
                block.append(f"  MISSED  {_gold_line(g)}")
                block.append(f"          evidence: {' '.join(str(g.get('evidence', '')).split())[:width]}")
                continue
            p = preds[m.pred_index]
            bad = [k for k in FIELDS if k in only and m.fields[k] == 0]
            if bad:
                diffs = []
                for k in bad:
                    gk, pk = _FIELD_COLUMNS[k]
                    diffs.append(f"{FIELD_LABELS[k]}: {g.get(gk)!r} -> {p.get(pk)!r}")
                block.append(f"  WRONG   {'; '.join(diffs)}")
                block.append(f"          gold: {_gold_line(g)}")
                block.append(f"          pred: {_pred_line(p)}")
                block.append(f"          sentence: {p.get('sentence', '')[:width]}")
        for pi, p in enumerate(preds):
            if pi not in used:
                block.append(f"  SPURIOUS {_pred_line(p)}")
                block.append(f"          sentence: {p.get('sentence', '')[:width]}")
        if block:
            out.append(
                f"{stem} [{d.get('lang')}, published {d.get('published')}]: {len(d.get('events', []))} gold, "
                f"{len(preds)} predicted"
            )
            out.extend(block)
    return "\n".join(out) if out else "no error: every gold event matched with every field right"


_FIELD_COLUMNS = {
    "etype": ("event_type", "event_type"),
    "sub": ("sub_event_type", "sub_event_type"),
    "a1": ("actor1", "actor1"),
    "a2": ("actor2", "actor2"),
    "date": ("event_date", "event_date"),
    "place": ("location", "location"),
    "adm1": ("admin1", "admin1"),
    "fat": ("fatalities", "fatalities"),
}

__all__ = [
    "load_gold",
    "predict",
    "score_folder",
    "evaluate_articles",
    "match_document",
    "figures",
    "render_summary",
    "render_errors",
    "ArticlesReport",
    "Match",
]
