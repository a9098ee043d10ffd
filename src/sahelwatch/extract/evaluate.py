"""Evaluation harness: extract events from the notes of an ACLED export and compare with the coding.

    sahelwatch evaluate --acled EXPORT.csv [--model DIR] [--since 2019-01-01] [--json FILE] [--predictions FILE]

Each note is one document; its publication date is the day of the event's ``timestamp`` (``--published
year-end`` uses 31 December of the event's year instead; see docs/extraction.md for why both exist). The first
event extracted from a note is compared with the coded event:

=====================  ==========================================================================
event_type_accuracy    share of notes whose first event has the coded event_type (no event = wrong)
sub_event_type_f1      weighted F1 over sub-event types (no event = the label "none")
actor1 / actor2        coded and extracted actor equal after normalisation by the actor registry
                       (actor2: both empty counts as a match)
date_exact             event_date equal
location_10km          geo_precision-1 events extracted within 10 km of the coded point
admin1                 admin1 equal (case and accents folded)
fatalities_exact       fatalities equal
count_recall           notes yielding at least one event
count_precision        notes yielding at least one event / all events extracted (too many lowers it)
=====================  ==========================================================================

Splits are by time (``--since``/``--until``), never random rows of one period.
"""

from __future__ import annotations

import math
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

import yaml
from rich.progress import track
from rich.table import Table
from sklearn.metrics import f1_score

from ..actors import Registry
from ..model import ACLED_COLUMNS, Document, Event
from .pipeline import Pipeline
from .train import _reference_dates, with_notes

METRICS = (
    "event_type_accuracy",
    "sub_event_type_f1",
    "actor1",
    "actor2",
    "date_exact",
    "location_10km",
    "admin1",
    "fatalities_exact",
    "count_recall",
    "count_precision",
)

TARGETS = {
    "event_type_accuracy": 0.90,
    "sub_event_type_f1": 0.84,
    "actor1": 0.85,
    "actor2": 0.80,
    "date_exact": 0.95,
    "location_10km": 0.85,
    "admin1": 0.95,
    "fatalities_exact": 0.85,
}


def fold(s: Any) -> str:
    if s is None or (isinstance(s, float) and math.isnan(s)):
        return ""
    t = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()
    return " ".join(t.replace("-", " ").replace("'", " ").split())


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(a))


def actor_normaliser() -> Callable[[Any], str]:
    """Registry normalisation when the actor registry is installed, else folded text."""
    norm = Registry.load().normalise

    def f(name: Any) -> str:
        s = "" if name is None or (isinstance(name, float) and math.isnan(name)) else str(name).strip()
        if not s:
            return ""
        if norm is not None:
            try:
                r = norm(s)
                s = getattr(r, "name", r) or s
            except Exception:
                pass
        return fold(s)

    return f


@dataclass(slots=True)
class EvalReport:
    metrics: dict[str, float]
    counts: dict[str, int]
    predictions: pd.DataFrame
    per_row: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"metrics": self.metrics, "counts": self.counts, "targets": TARGETS, "meta": self.meta}


def gold_documents(frame: pd.DataFrame, published: str = "timestamp") -> list[Document]:
    refs = _reference_dates(frame, published)
    docs = []
    for (_, row), ref in zip(frame.iterrows(), refs):
        docs.append(
            Document(
                id=str(row["event_id_cnty"]),
                text=str(row["notes"]),
                published=ref,
                language="en",
                source=None if pd.isna(row.get("source")) else str(row.get("source")),
                meta={"country": row.get("country") if isinstance(row.get("country"), str) else None},
            )
        )
    return docs


def run_pipeline(
    pipeline, docs: Sequence[Document], batch_size: int = 128, progress: bool = False
) -> list[list[Event]]:
    out: list[list[Event]] = []
    it = pipeline.pipe(docs, batch_size=batch_size)
    if progress:
        it = track(it, total=len(docs), description="extracting", transient=True)
    for r in it:
        out.append(r.events)
    return out


def score(
    gold: pd.DataFrame, predicted: Sequence[Sequence[Event]], normalise: Callable[[Any], str] | None = None
) -> tuple[dict[str, float], dict[str, int], pd.DataFrame]:
    """Compare the first extracted event of each note with the coded event.

    A metric whose coded field is empty in every note (an old export without sub-event types, one without
    geo_precision or admin1) is not scored: its value is None and ``counts['not_scored']`` says why."""
    normalise = normalise or actor_normaliser()
    rows = []
    for (_, g), evs in zip(gold.iterrows(), predicted):
        e = evs[0] if evs else None
        r: dict[str, Any] = {
            "event_id_cnty": g["event_id_cnty"],
            "n_events": len(evs),
            "gold_type": g["event_type"],
            "gold_sub": g["sub_event_type"],
            "pred_type": e.event_type if e else "none",
            "pred_sub": e.sub_event_type if e else "none",
        }
        r["actor1"] = bool(e) and normalise(e.actor1) == normalise(g.get("actor1"))
        r["actor2"] = bool(e) and normalise(e.actor2) == normalise(g.get("actor2"))
        gd = pd.Timestamp(g["event_date"]).date()
        r["date_exact"] = bool(e) and e.event_date == gd
        gp = g.get("geo_precision")
        r["geo1"] = bool(pd.notna(gp) and int(gp) == 1 and pd.notna(g.get("latitude")))
        if r["geo1"]:
            r["km"] = (
                haversine_km(e.latitude, e.longitude, float(g["latitude"]), float(g["longitude"]))
                if e and e.latitude is not None and e.longitude is not None
                else math.inf
            )
        else:
            r["km"] = math.nan
        r["admin1"] = bool(e) and fold(e.admin1) == fold(g.get("admin1")) and fold(g.get("admin1")) != ""
        r["fatalities_exact"] = bool(e) and int(e.fatalities or 0) == int(g.get("fatalities") or 0)
        r["method"] = e.provenance.method if e else ""
        r["confidence"] = e.provenance.confidence if e else 0.0
        rows.append(r)
    per = pd.DataFrame(rows)
    n = len(per)
    n_pred = int(per["n_events"].sum()) if n else 0
    with_event = int((per["n_events"] > 0).sum()) if n else 0
    geo1 = per[per["geo1"]] if n else per
    subs = per[_given(gold, "sub_event_type").to_numpy()] if n else per
    m: dict[str, float | None] = {
        "event_type_accuracy": float((per["pred_type"] == per["gold_type"]).mean()) if n else 0.0,
        "sub_event_type_f1": float(
            f1_score(subs["gold_sub"], subs["pred_sub"], average="weighted", zero_division=0)
        )
        if len(subs)
        else 0.0,
        "actor1": float(per["actor1"].mean()) if n else 0.0,
        "actor2": float(per["actor2"].mean()) if n else 0.0,
        "date_exact": float(per["date_exact"].mean()) if n else 0.0,
        "location_10km": float((geo1["km"] <= 10).mean()) if len(geo1) else 0.0,
        "admin1": float(per["admin1"].mean()) if n else 0.0,
        "fatalities_exact": float(per["fatalities_exact"].mean()) if n else 0.0,
        "count_recall": with_event / n if n else 0.0,
        "count_precision": with_event / n_pred if n_pred else 0.0,
    }
    counts: dict[str, Any] = {
        "notes": n,
        "events_extracted": n_pred,
        "notes_with_event": with_event,
        "notes_with_several": int((per["n_events"] > 1).sum()) if n else 0,
        "geo_precision_1": int(len(geo1)),
        "notes_with_sub_event_type": int(len(subs)),
    }
    not_scored: dict[str, str] = {}
    partly: dict[str, str] = {}
    if n:
        for metric, column in _GOLD_FIELDS.items():
            given = int(_given(gold, column).sum())
            if not given:
                not_scored[metric] = (
                    f"the export has no {column} column"
                    if column not in gold.columns
                    else f"{column} is empty in every event of the export"
                )
                m[metric] = None
            elif given < n and metric == "sub_event_type_f1":
                partly[metric] = (
                    f"scored on the {given} of {n} events the export gives a {column} "
                    "(old exports code none for most event types)"
                )
    counts["not_scored"] = not_scored
    counts["partly_scored"] = partly
    return {k: (None if v is None else round(v, 4)) for k, v in m.items()}, counts, per


#: the coded field each metric needs
_GOLD_FIELDS = {
    "sub_event_type_f1": "sub_event_type",
    "actor1": "actor1",
    "location_10km": "geo_precision",
    "admin1": "admin1",
    "fatalities_exact": "fatalities",
}


def _given(gold: pd.DataFrame, column: str) -> pd.Series:
    if column not in gold.columns:
        return pd.Series(False, index=gold.index)
    v = gold[column]
    return v.notna() & (v.astype(str).str.strip() != "")


def predictions_frame(gold: pd.DataFrame, predicted: Sequence[Sequence[Event]]) -> pd.DataFrame:
    """Every extracted event in ACLED columns + gold_event_id_cnty + how it was coded."""
    recs = []
    for gid, evs in zip(gold["event_id_cnty"], predicted):
        for e in evs:
            row = e.acled_row()
            row["event_date"] = e.event_date.isoformat()
            row["gold_event_id_cnty"] = gid
            row["method"] = e.provenance.method
            row["confidence"] = e.provenance.confidence
            recs.append(row)
    cols = list(ACLED_COLUMNS) + ["gold_event_id_cnty", "method", "confidence"]
    return pd.DataFrame(recs, columns=cols)


def evaluate(
    acled: pd.DataFrame,
    *,
    model_dir: str | Path | None = None,
    since: str | None = None,
    until: str | None = None,
    pipeline=None,
    published: str = "timestamp",
    limit: int | None = None,
    progress: bool = False,
) -> EvalReport:
    """Score extraction against the events of an ACLED export (a frame as
    ``sahelwatch.ingest.acled.read_acled`` reads it; :func:`sahelwatch.workflows.evaluate_export` reads
    the file). See the module docstring for the metrics."""
    if not isinstance(acled, pd.DataFrame):
        raise TypeError(
            "evaluate() takes the export's events as a frame; "
            "sahelwatch.workflows.evaluate_export(path) reads a file"
        )
    n_read = len(acled)
    frame = with_notes(acled)
    if frame.empty:
        raise ValueError(f"none of the {n_read} events read has a note (column notes is empty)")
    if since:
        frame = frame[frame["event_date"] >= pd.Timestamp(since)]
    if until:
        frame = frame[frame["event_date"] <= pd.Timestamp(until)]
    frame = frame.sort_values("event_date", kind="stable").reset_index(drop=True)
    if limit:
        frame = frame.head(limit)
    if frame.empty:
        raise ValueError("no events to evaluate in the chosen period")
    pipe = pipeline or Pipeline.load(model_dir)
    docs = gold_documents(frame, published)
    t0 = time.perf_counter()
    predicted = run_pipeline(pipe, docs, progress=progress)
    secs = time.perf_counter() - t0
    metrics, counts, per = score(frame, predicted)
    meta = {
        "model": str(model_dir) if model_dir else None,
        "method": "model" if pipe.model is not None else "rules",
        "since": since,
        "until": until,
        "published": published,
        "seconds": round(secs, 2),
        "docs_per_second": round(len(docs) / secs, 1) if secs else None,
        "first_event": str(frame["event_date"].min().date()),
        "last_event": str(frame["event_date"].max().date()),
        "not_scored": counts.pop("not_scored", {}),
        "partly_scored": counts.pop("partly_scored", {}),
    }
    return EvalReport(metrics, counts, predictions_frame(frame, predicted), per, meta)


def render_table(reports: dict[str, EvalReport]):
    """A rich table with one column per report (e.g. rules vs trained) and the targets."""
    t = Table(title="Extraction vs coded events")
    t.add_column("metric")
    for name in reports:
        t.add_column(name, justify="right")
    t.add_column("target", justify="right")
    for k in METRICS:
        vals = []
        for r in reports.values():
            v = r.metrics.get(k)
            ok = k in TARGETS and v is not None and v >= TARGETS[k]
            vals.append("not scored" if v is None else f"[green]{v:.3f}[/green]" if ok else f"{v:.3f}")
        t.add_row(k, *vals, f"{TARGETS[k]:.2f}" if k in TARGETS else "")
    first = next(iter(reports.values()))
    t.caption = f"{first.counts['notes']} notes, {first.counts['geo_precision_1']} at geo_precision 1"
    return t


# ============================================================================================ check-document


@dataclass(slots=True)
class Check:
    what: str
    ok: bool
    detail: str = ""


def check_extraction(doc: Document, expect: str | Path | dict, pipeline=None) -> list[Check]:
    """Check what the pipeline extracts from one read document against an expectations file (YAML; see
    evaluation/seed_expected.yaml). :func:`sahelwatch.workflows.check_document` reads the file first."""
    spec = expect if isinstance(expect, dict) else yaml.safe_load(Path(expect).read_text("utf-8"))
    pipe = pipeline or Pipeline.load(lang=doc.language if doc.language in ("en", "fr") else "en")
    res = pipe.extract(doc)
    checks: list[Check] = []
    d = spec.get("document", {})
    text_low = doc.text.lower()
    if "published" in d:
        want = str(d["published"])
        checks.append(
            Check("publication date", str(doc.published) == want, f"found {doc.published}, expected {want}")
        )
    if "language" in d:
        checks.append(Check("language", doc.language == d["language"], f"found {doc.language}"))
    for b in d.get("bylines", []):
        ok = any(fold(b) == fold(x) for x in doc.bylines)
        checks.append(Check(f"byline {b}", ok, f"bylines found: {doc.bylines}"))
    if "bylines_count" in d:
        n = int(d["bylines_count"])
        checks.append(Check(f"{n} bylines", len(doc.bylines) == n, f"{len(doc.bylines)} found"))
    for c in d.get("clutter_absent", []):
        checks.append(Check(f"clutter gone: {c[:40]}", c.lower() not in text_low, ""))
    for g in d.get("repaired", []):
        checks.append(
            Check(
                f"glued token repaired: {g['glued']}", g["glued"] not in doc.text and g["as"] in doc.text, ""
            )
        )
    ev_text = " ".join((e.notes or "") for e in res.events).lower()
    for c in d.get("clutter_absent", []):
        checks.append(Check(f"no event from clutter: {c[:30]}", c.lower() not in ev_text, ""))
    for want in spec.get("events", []):
        checks.append(_check_event(want, res.events))
    for want in spec.get("claims", []):
        checks.append(_check_claim(want, res.claims))
    if "max_events" in spec:
        checks.append(
            Check(
                "event count",
                len(res.events) <= int(spec["max_events"]),
                f"{len(res.events)} events extracted, at most {spec['max_events']} expected",
            )
        )
    return checks


def _check_event(want: dict, events: Sequence[Event]) -> Check:
    label = want.get("label") or want.get("what", "event")
    best: tuple[int, Event | None, list[str]] = (-1, None, [])
    for e in events:
        misses: list[str] = []
        if (
            "year" in want
            and e.event_date.year != int(want["year"])
            and not (e.date_end and e.event_date.year <= int(want["year"]) <= e.date_end.year)
        ):
            misses.append(f"year {e.event_date.year}")
        if "country" in want and fold(e.country) != fold(want["country"]):
            misses.append(f"country {e.country}")
        if "event_type" in want and e.event_type not in _as_list(want["event_type"]):
            misses.append(f"type {e.event_type}")
        if "actors_any" in want:
            names = fold(" ".join(filter(None, [e.actor1, e.assoc_actor_1, e.actor2, e.assoc_actor_2])))
            if not any(fold(a) in names for a in want["actors_any"]):
                misses.append(f"actors {e.actor1} / {e.actor2}")
        if "fatalities" in want and int(e.fatalities or 0) != int(want["fatalities"]):
            misses.append(f"fatalities {e.fatalities}")
        if want.get("out_of_region") and "out_of_region" not in (e.tags or ""):
            misses.append("not flagged out_of_region")
        if "sentence_contains" in want and fold(want["sentence_contains"]) not in fold(e.provenance.sentence):
            misses.append("other sentence")
        score_ = 10 - len(misses)
        if score_ > best[0]:
            best = (score_, e, misses)
    _, e, misses = best
    if e is None:
        return Check(f"event: {label}", False, "no events extracted")
    return Check(
        f"event: {label}",
        not misses,
        "matched"
        if not misses
        else f"closest {e.event_date} {e.event_type} {e.actor1}: " + ", ".join(misses),
    )


def _check_claim(want: dict, claims) -> Check:
    label = want.get("label", "claim")
    norm = actor_normaliser()
    for c in claims:
        raw = getattr(c, "subject", "") or ""
        subj = f"{fold(raw)} | {norm(raw)}"
        if "subject_any" in want and not any(fold(s) in subj for s in want["subject_any"]):
            continue
        if "kind" in want and getattr(c, "kind", None) not in _as_list(want["kind"]):
            continue
        if "value" in want and (getattr(c, "value", None) is None or float(c.value) != float(want["value"])):
            continue
        return Check(f"claim: {label}", True, "matched")
    return Check(f"claim: {label}", False, f"{len(list(claims))} claims extracted, none matched")


def _as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


__all__ = [
    "evaluate",
    "score",
    "EvalReport",
    "render_table",
    "predictions_frame",
    "check_extraction",
    "Check",
    "gold_documents",
    "METRICS",
    "TARGETS",
]
