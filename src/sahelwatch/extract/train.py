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
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from .. import taxonomy
from . import events as ev

MODEL_FILE = "event_type_model.joblib"
META_FILE = "meta.json"


# ============================================================================================ ACLED reading

def read_acled_frame(path: str | Path) -> pd.DataFrame:
    """An ACLED export (dyadic or monadic, current or upper-case legacy headers) as one row per event.

    Monadic exports hold two rows per event (the actor1 side, then the actor2 side); they are folded into
    ``actor2``/``assoc_actor_2``/``inter2``. ``event_date`` becomes datetime64, ``timestamp`` stays seconds.
    """
    raw = pd.read_csv(path, low_memory=False)
    raw.columns = [c.strip().lower() for c in raw.columns]
    raw = raw.rename(columns={"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"})
    if "event_id_cnty" not in raw.columns:
        raise ValueError(f"{path}: not an ACLED export (no event_id_cnty column)")
    monadic = "actor2" not in raw.columns
    if monadic:
        g = raw.groupby("event_id_cnty", sort=False)
        first = g.nth(0).set_index("event_id_cnty")
        second = g.nth(1).set_index("event_id_cnty")
        ev_ = first.copy()
        ev_["actor2"] = second["actor1"].reindex(ev_.index)
        ev_["assoc_actor_2"] = second["assoc_actor_1"].reindex(ev_.index)
        ev_["inter2"] = second["inter1"].reindex(ev_.index).fillna(0).astype(int)
        ev_ = ev_.reset_index()
    else:
        ev_ = raw.drop_duplicates("event_id_cnty").copy()
    for c in ("inter1", "inter2", "fatalities"):
        if c in ev_.columns:
            ev_[c] = pd.to_numeric(ev_[c], errors="coerce").fillna(0).astype(int)
    d = ev_["event_date"].astype(str)
    parsed = pd.to_datetime(d, format="%d %B %Y", errors="coerce")
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%B-%Y"):
        miss = parsed.isna()
        if not miss.any():
            break
        parsed[miss] = pd.to_datetime(d[miss], format=fmt, errors="coerce")
    ev_["event_date"] = parsed
    ev_ = ev_[ev_["event_date"].notna() & ev_["notes"].notna()].copy()
    if "country" not in ev_.columns:
        ev_["country"] = None
    return ev_.reset_index(drop=True)


# ============================================================================================ featurising

@dataclass(slots=True)
class NoteFeatures:
    text: str
    cues: list[ev.Cue]
    inter1: int
    inter2: int
    fatalities: int | None


def featurize(pipeline, texts: Sequence[str], published: Sequence[dt.date | None], countries: Sequence[str | None],
              batch_size: int = 128) -> list[NoteFeatures]:
    """Run notes through the pipeline's parse and components (exactly what extraction sees)."""
    out: list[NoteFeatures] = []
    from .pipeline import typing_inters

    comps = pipeline.components
    for text, pub, country, doc in zip(texts, published, countries, pipeline.nlp.pipe(texts, batch_size=batch_size)):
        cues = doc._.event_cues or []
        deaths, _, _ = comps.casualties(text, pipeline.lang)
        # as in extraction: the actors for typing are read without a type hint
        roles = comps.roles(doc[:], country or "Mali", pub, None)
        i1, i2 = typing_inters(roles)
        out.append(NoteFeatures(text, list(cues), i1, i2, deaths))
    return out


# ============================================================================================ the model

class EventTypeModel:
    """sub_event_type classifier over TF-IDF + rule features (scikit-learn); predicts a ``Typing``."""

    def __init__(self, vectorizer=None, dictvec=None, clf=None, meta: dict | None = None):
        self.vectorizer = vectorizer
        self.dictvec = dictvec
        self.clf = clf
        self.meta = meta or {}

    # -- features
    def _matrix(self, feats: Sequence[NoteFeatures], fit: bool = False):
        from scipy.sparse import hstack
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = [f.text for f in feats]
        dicts = [ev.cue_features(f.cues, f.inter1, f.inter2, f.fatalities) for f in feats]
        use_text = bool(self.meta.get("text_features", True))
        if fit:
            self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True,
                                              token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b") if use_text else None
            self.dictvec = DictVectorizer()
            a = self.vectorizer.fit_transform(texts) if use_text else None
            b = self.dictvec.fit_transform(dicts)
        else:
            a = self.vectorizer.transform(texts) if use_text else None
            b = self.dictvec.transform(dicts)
        b = b * float(self.meta.get("rule_weight", 1.0))
        return (hstack([a, b]) if a is not None else b).tocsr()

    def fit(self, feats: Sequence[NoteFeatures], labels: Sequence[str], C: float = 4.0,
            rule_weight: float = 1.0, text_features: bool = True) -> "EventTypeModel":
        """``text_features`` False: the model sees only the rule features (cues, inter codes, deaths, victims,
        the rules' verdict), i.e. it recalibrates the codebook rules instead of reading words."""
        from sklearn.linear_model import LogisticRegression

        self.meta["rule_weight"] = rule_weight
        self.meta["text_features"] = bool(text_features)
        X = self._matrix(feats, fit=True)
        self.clf = LogisticRegression(C=C, max_iter=2000, class_weight=None)
        self.clf.fit(X, list(labels))
        self.meta.update({"C": C, "classes": list(map(str, self.clf.classes_)), "n_train": len(labels)})
        return self

    def predict_proba(self, feats: Sequence[NoteFeatures]) -> np.ndarray:
        return self.clf.predict_proba(self._matrix(feats))

    def predict(self, feats: Sequence[NoteFeatures]) -> list[ev.Typing]:
        P = self.predict_proba(feats)
        return [self._typing(p, f) for p, f in zip(P, feats)]

    def _typing(self, p: np.ndarray, f: NoteFeatures) -> ev.Typing:
        k = int(np.argmax(p))
        sub = str(self.clf.classes_[k])
        rule = ev.classify(f.cues, f.inter1, f.inter2, f.fatalities)
        if rule is not None and rule.sub_event_type != sub:
            # the codebook rule wins where the model is unsure and the rule is sure (thresholds chosen on a
            # held-out later year of the training data), and for classes the model has never seen
            tau, kappa = self.meta.get("override", (0.5, 1.01))
            unseen = rule.sub_event_type not in self.clf.classes_
            if (p[k] < tau and rule.confidence >= kappa) or (unseen and p[k] < 0.5):
                return rule
        et = taxonomy.sub_event_parent()[sub]
        return ev.Typing(et, sub, float(p[k]), f"model (rule said {rule.sub_event_type if rule else 'nothing'})",
                         method="model")

    def predict_one(self, text: str, cues, inter1: int, inter2: int, fatalities) -> ev.Typing | None:
        if not cues and not text.strip():
            return None
        tau, kappa = self.meta.get("override", (0.5, 1.01))
        if tau > 1.0:
            # the rules decide whenever they speak (the choice made on the held-out period): the model is
            # only asked about what they leave untyped
            rule = ev.classify(cues, inter1, inter2, fatalities)
            if rule is not None and rule.confidence >= kappa:
                return rule
        return self.predict([NoteFeatures(text, list(cues), inter1, inter2, fatalities)])[0]

    # -- persistence
    def save(self, model_dir: str | Path) -> Path:
        import joblib
        import sklearn

        d = Path(model_dir)
        d.mkdir(parents=True, exist_ok=True)
        joblib.dump({"vectorizer": self.vectorizer, "dictvec": self.dictvec, "clf": self.clf}, d / MODEL_FILE)
        meta = dict(self.meta)
        meta.setdefault("created", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
        meta["sklearn"] = sklearn.__version__
        (d / META_FILE).write_text(json.dumps(meta, indent=2, default=str), "utf-8")
        return d

    @classmethod
    def load(cls, model_dir: str | Path) -> "EventTypeModel":
        import joblib

        d = Path(model_dir)
        f = d / MODEL_FILE
        if not f.exists():
            raise FileNotFoundError(f"{d}: no {MODEL_FILE}; train one with `sahelwatch train --acled FILE -o {d}`")
        parts = joblib.load(f)
        meta = json.loads((d / META_FILE).read_text("utf-8")) if (d / META_FILE).exists() else {}
        return cls(parts["vectorizer"], parts["dictvec"], parts["clf"], meta)


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
        out.append(dt.datetime.fromtimestamp(int(t), dt.timezone.utc).date() if not (t is None or math.isnan(t))
                   else dt.date(int(d.year), 12, 31))
    return out


def train(acled: str | Path, model_dir: str | Path, *, until: str | None = None, pipeline=None,
          published: str = "timestamp", C: float = 4.0) -> TrainReport:
    """Train the event typer (and the actor aliases when the registry supports it) and save a model dir."""
    from .pipeline import Pipeline

    frame = read_acled_frame(acled)
    if until:
        frame = frame[frame["event_date"] <= pd.Timestamp(until)]
    frame = frame[frame["sub_event_type"].isin(taxonomy.sub_event_types())]
    if len(frame) < 20:
        raise ValueError(f"{acled}: only {len(frame)} usable events{' up to ' + until if until else ''}; need at least 20")
    pipe = pipeline or Pipeline.load()
    feats = featurize(pipe, frame["notes"].astype(str).tolist(), _reference_dates(frame, published),
                      frame["country"].tolist())
    labels = frame["sub_event_type"].tolist()
    override, val = choose_override(feats, labels, frame["event_date"], C=C)
    C_best = val.get("C", C)
    text_best = val.get("text_features", True)
    model = EventTypeModel(meta={"trained_on": str(Path(acled).name), "until": until, "published": published,
                                 "first_event": str(frame["event_date"].min().date()),
                                 "last_event": str(frame["event_date"].max().date()),
                                 "override": override, "validation": val})
    model.fit(feats, labels, C=C_best, text_features=text_best)
    d = model.save(model_dir)
    report = TrainReport(d, len(frame), until, model.meta["classes"])
    # the actor normaliser, from the same export
    try:
        from . import actors as actors_mod

        learned = actors_mod.learn_aliases(frame)
        actors_mod.save_aliases(learned, d)
        report.aliases_learned = len(learned)
    except Exception as exc:  # the event typer is saved either way
        report.messages.append(f"actor aliases not learned: {exc}")
    # the places the export has coded (toponym resolution: hamlets GeoNames lacks, homonym priors)
    from . import coded_places

    places = coded_places.learn_places(frame)
    coded_places.save_places(places, d)
    report.places_learned = len(places)
    region = coded_places.RegionModel.fit(frame["notes"].tolist(), frame["country"].tolist(),
                                          frame["admin1"].tolist() if "admin1" in frame.columns else [])
    if region is not None:
        region.save(d)
    return report


#: weighted-F1 gain on the held-out period the model must bring before it may overrule the rules
MIN_GAIN = 0.01


def choose_override(feats: Sequence[NoteFeatures], labels: Sequence[str], dates: pd.Series, C: float = 4.0,
                    Cs: Sequence[float] | None = None, text_options: Sequence[bool] = (True, False)
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
        return (1.01, 0.0), {"note": "too little data to hold out a later period; the rules decide whenever "
                                     "they speak, the model types only what they cannot", "C": C,
                             "text_features": True}
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
    grid = [(t, k) for t in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)
            for k in (0.0, 0.55, 0.65, 0.75, 0.8, 0.85, 1.01)]
    best = ((0.5, 1.01), -1.0, C, True)
    model_only = {}
    rules_first: dict = {}          # (1.01, 0.0): the rules decide whenever they speak
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
    return (tau, kappa), {"held_out": held_out, "n_fit": int(len(tr)), "n_held_out": int(len(va)),
                          "C": c, "text_features": use_text,
                          "f1_held_out": round(score, 4),
                          "f1_held_out_model_only": round(model_only.get((use_text, c), 0.0), 4),
                          "f1_held_out_rules_only": round(f1_score(yv, rules_pred, average="weighted",
                                                                   zero_division=0), 4)}


# ============================================================================================ baseline

def tfidf_svm_baseline(train_texts: Sequence[str], train_labels: Sequence[str], test_texts: Sequence[str]) -> list[str]:
    """The plain bag-of-words baseline: TF-IDF word 1-2-grams + linear SVM."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    m = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), LinearSVC(C=1.0))
    m.fit(list(train_texts), list(train_labels))
    return list(m.predict(list(test_texts)))


__all__ = ["EventTypeModel", "NoteFeatures", "TrainReport", "featurize", "read_acled_frame", "train",
           "tfidf_svm_baseline"]
