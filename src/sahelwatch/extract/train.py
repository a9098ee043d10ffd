"""Learning the user's coding: an event-type classifier trained on the notes of their own ACLED export.

    sahelwatch train --acled EXPORT.csv -o MODEL_DIR [--until 2018-12-31]

Each ACLED event is one example: its ``notes`` are run through the same spaCy parse and the same components
as extraction (cues, actors with their inter codes, deaths), and a linear model (scikit-learn logistic
regression) learns ``sub_event_type`` (the event type follows from it) from

* TF-IDF word uni- and bigrams of the note (what a bag of words sees), and
* the rule features of ``events.cue_features``: cue families and words, the actors' inter codes and
  interaction, deaths, victim evidence, and the verdict of the codebook rules (what a bag of words cannot
  see).

Whether the TF-IDF words are used, the regularisation and when the rule's decision is kept (tau/kappa) are
chosen on the last training year held out from a fit on the earlier years (:func:`choose_override`).

The model directory holds ``event_type_model.joblib`` (scikit-learn objects), ``meta.json`` (what it was
trained on, when, the label set, library versions) and, when the actor registry can learn them,
``actor_aliases.yaml``. Models trained on ACLED data are for the user's own use: never write them into the
source tree (the CLI refuses paths inside the installed package).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from .. import taxonomy
from . import actors as actors_mod
from . import coded_places
from . import events as ev
from .pipeline import Pipeline, typing_inters
from .typing_model import META_FILE, MODEL_FILE, EventTypeModel, NoteFeatures


# ============================================================================================ ACLED frames


def with_notes(frame: pd.DataFrame) -> pd.DataFrame:
    """The events of an ACLED frame (``sahelwatch.ingest.acled.read_acled``) that have a note to read."""
    notes = frame["notes"] if "notes" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    keep = notes.notna() & (notes.astype(str).str.strip() != "")
    out = frame[keep].copy()
    if "country" not in out.columns:
        out["country"] = None
    for c in ("inter1", "inter2", "fatalities"):
        if c in out.columns:
            out[c] = pd.to_numeric(out[c], errors="coerce").fillna(0).astype(int)
    return out.reset_index(drop=True)


# ============================================================================================ featurising


def featurize(
    pipeline,
    texts: Sequence[str],
    published: Sequence[dt.date | None],
    countries: Sequence[str | None],
    batch_size: int = 128,
) -> list[NoteFeatures]:
    """Run notes through the pipeline's parse and components (exactly what extraction sees)."""
    out: list[NoteFeatures] = []
    comps = pipeline.components
    for text, pub, country, doc in zip(
        texts, published, countries, pipeline.nlp.pipe(texts, batch_size=batch_size)
    ):
        cues = doc._.event_cues or []
        deaths, _, _ = comps.casualties(text, pipeline.lang)
        # as in extraction: the actors for typing are read without a type hint
        roles = comps.roles(doc[:], country or "Mali", pub, None)
        i1, i2 = typing_inters(roles)
        out.append(NoteFeatures(text, list(cues), i1, i2, deaths))
    return out


# ============================================================================================ training entry point


@dataclass(slots=True)
class TrainReport:
    model_dir: Path
    n_events: int
    until: str | None
    classes: list[str]
    aliases_learned: int | None = None
    places_learned: int | None = None
    messages: list[str] = field(default_factory=list)


def _reference_dates(frame: pd.DataFrame, published: str = "timestamp") -> list[dt.date]:
    """Publication date of each note: the day of the ACLED ``timestamp`` (the issue's protocol), or
    'year-end' (31 December of the event's year: for exports whose timestamps are years later than the
    events and whose notes omit the year)."""
    if published == "year-end" or "timestamp" not in frame.columns:
        return [dt.date(int(d.year), 12, 31) for d in frame["event_date"]]
    ts = pd.to_numeric(frame["timestamp"], errors="coerce")
    out = []
    for t, d in zip(ts, frame["event_date"]):
        out.append(
            dt.datetime.fromtimestamp(int(t), dt.timezone.utc).date()
            if not (t is None or math.isnan(t))
            else dt.date(int(d.year), 12, 31)
        )
    return out


def train(
    acled: pd.DataFrame,
    model_dir: str | Path,
    *,
    until: str | None = None,
    pipeline=None,
    published: str = "timestamp",
    C: float = 4.0,
    source: str | None = None,
) -> TrainReport:
    """Train the event typer (and the actor aliases when the registry supports it) and save a model dir.

    ``acled``: the events of an export as ``sahelwatch.ingest.acled.read_acled`` reads them (the CLI and
    :func:`sahelwatch.workflows.train_model` read the file); ``source`` names it in the model's meta."""
    frame = with_notes(acled)
    if until:
        frame = frame[frame["event_date"] <= pd.Timestamp(until)]
    frame = frame[frame["sub_event_type"].isin(taxonomy.sub_event_types())]
    if len(frame) < 20:
        raise ValueError(
            f"{source or 'the export'}: only {len(frame)} usable events{' up to ' + until if until else ''}; need at least 20"
        )
    pipe = pipeline or Pipeline.load()
    feats = featurize(
        pipe,
        frame["notes"].astype(str).tolist(),
        _reference_dates(frame, published),
        frame["country"].tolist(),
    )
    labels = frame["sub_event_type"].tolist()
    override, val = choose_override(feats, labels, frame["event_date"], C=C)
    C_best = val.get("C", C)
    text_best = val.get("text_features", True)
    model = EventTypeModel(
        meta={
            "trained_on": Path(source).name if source else None,
            "until": until,
            "published": published,
            "first_event": str(frame["event_date"].min().date()),
            "last_event": str(frame["event_date"].max().date()),
            "override": override,
            "validation": val,
        }
    )
    model.fit(feats, labels, C=C_best, text_features=text_best)
    d = model.save(model_dir)
    report = TrainReport(d, len(frame), until, model.meta["classes"])
    # the actor normaliser, from the same export
    try:
        learned = actors_mod.learn_aliases(frame)
        actors_mod.save_aliases(learned, d)
        report.aliases_learned = len(learned)
    except Exception as exc:  # the event typer is saved either way
        report.messages.append(f"actor aliases not learned: {exc}")
    # the places the export has coded (toponym resolution: hamlets GeoNames lacks, homonym priors)
    places = coded_places.learn_places(frame)
    coded_places.save_places(places, d)
    report.places_learned = len(places)
    region = coded_places.RegionModel.fit(
        frame["notes"].tolist(),
        frame["country"].tolist(),
        frame["admin1"].tolist() if "admin1" in frame.columns else [],
    )
    if region is not None:
        region.save(d)
    return report


#: weighted-F1 gain on the held-out period the model must bring before it may overrule the rules
MIN_GAIN = 0.01


def choose_override(
    feats: Sequence[NoteFeatures],
    labels: Sequence[str],
    dates: pd.Series,
    C: float = 4.0,
    Cs: Sequence[float] | None = None,
    text_options: Sequence[bool] = (True, False),
) -> tuple[tuple[float, float], dict]:
    """How should the model and the codebook rules share the work? Fit on all but the last year of the
    training data and score weighted F1 on that last year (a time split, never random rows), over

    * the model's inputs: TF-IDF words + rule features, or the rule features alone (``text_options``);
    * its regularisation ``C`` (``Cs``; default C/16, C/4 and C);
    * (tau, kappa): the rule's decision is kept where the model's probability is below tau and the rule's
      confidence is at least kappa; tau 1.01 / kappa 0 means the rule decides whenever it speaks and the
      model only types events the rules cannot.

    Returns ((tau, kappa), validation figures incl. the chosen ``C`` and ``text_features``, and the
    held-out F1 of the rules alone and of the model alone, so the choice can be checked)."""
    from sklearn.metrics import f1_score

    when = pd.to_datetime(pd.Series(list(dates)))
    years = when.dt.year.to_numpy()
    last = years.max()
    tr = np.flatnonzero(years < last)
    va = np.flatnonzero(years == last)
    held_out = int(last)
    if len(tr) < 20 or len(va) < 20:
        # a single year: hold out its last third (still a split by time, never random rows)
        cut = when.quantile(2 / 3)
        tr = np.flatnonzero((when <= cut).to_numpy())
        va = np.flatnonzero((when > cut).to_numpy())
        held_out = f"after {cut.date()}"
    if len(tr) < 20 or len(va) < 20:
        return (1.01, 0.0), {
            "note": "too little data to hold out a later period; the rules decide whenever "
            "they speak, the model types only what they cannot",
            "C": C,
            "text_features": True,
        }
    Cs = list(Cs) if Cs else sorted({C / 16, C / 4, C} if C > 0 else {1.0})
    ft = [feats[i] for i in tr]
    yt = [labels[i] for i in tr]
    fv = [feats[i] for i in va]
    yv = [labels[i] for i in va]
    rules_pred = []
    for f in fv:
        t = ev.classify(f.cues, f.inter1, f.inter2, f.fatalities)
        rules_pred.append(t.sub_event_type if t else "")
    # tau 1.01 with kappa 0: the rule decides whenever it speaks, the model only fills its gaps
    grid = [
        (t, k)
        for t in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)
        for k in (0.0, 0.55, 0.65, 0.75, 0.8, 0.85, 1.01)
    ]
    best = ((0.5, 1.01), -1.0, C, True)
    model_only = {}
    rules_first: dict = {}  # (1.01, 0.0): the rules decide whenever they speak
    for use_text in text_options:
        for c in Cs:
            m = EventTypeModel()
            m.fit(ft, yt, C=c, text_features=use_text)
            P = m.predict_proba(fv)
            for tau, kappa in grid:
                m.meta["override"] = (tau, kappa)
                pred = [m._typing(p, f).sub_event_type for p, f in zip(P, fv)]
                score = f1_score(yv, pred, average="weighted", zero_division=0)
                if tau == 0.0 and kappa == 1.01:
                    model_only[(use_text, c)] = score
                if tau == 1.01 and kappa == 0.0:
                    rules_first[(use_text, c)] = score
                if score > best[1] + 1e-9:
                    best = ((tau, kappa), score, c, use_text)
    (tau, kappa), score, c, use_text = best
    # a held-out period of a few hundred notes is noisy: the model may overrule the rules only where that
    # gained at least MIN_GAIN there; else the rules decide whenever they speak
    rf_key = max(rules_first, key=rules_first.get)
    if score < rules_first[rf_key] + MIN_GAIN:
        (tau, kappa), score, (use_text, c) = (1.01, 0.0), rules_first[rf_key], rf_key
    return (tau, kappa), {
        "held_out": held_out,
        "n_fit": int(len(tr)),
        "n_held_out": int(len(va)),
        "C": c,
        "text_features": use_text,
        "f1_held_out": round(score, 4),
        "f1_held_out_model_only": round(model_only.get((use_text, c), 0.0), 4),
        "f1_held_out_rules_only": round(f1_score(yv, rules_pred, average="weighted", zero_division=0), 4),
    }


# ============================================================================================ baseline


def tfidf_svm_baseline(
    train_texts: Sequence[str], train_labels: Sequence[str], test_texts: Sequence[str]
) -> list[str]:
    """The plain bag-of-words baseline: TF-IDF word 1-2-grams + linear SVM."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    m = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), LinearSVC(C=1.0))
    m.fit(list(train_texts), list(train_labels))
    return list(m.predict(list(test_texts)))


__all__ = [
    "EventTypeModel",
    "NoteFeatures",
    "TrainReport",
    "featurize",
    "with_notes",
    "train",
    "MODEL_FILE",
    "META_FILE",
    "tfidf_svm_baseline",
]
