"""The trained event typer: a sub_event_type classifier over TF-IDF words + the codebook rules' features.

Trained by :mod:`sahelwatch.extract.train` (which depends on the pipeline); loaded by
:class:`sahelwatch.extract.pipeline.Pipeline` from a model directory. This module depends on neither, so
the pipeline can load a model without importing the training code.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from .. import taxonomy
from . import events as ev

# scikit-learn, scipy and joblib are imported where a model is fitted, used or saved: importing them costs
# about 4 s on a loaded 2-core machine (python -X importtime), and the pipeline imports this module even
# when it runs on rules alone.

MODEL_FILE = "event_type_model.joblib"
META_FILE = "meta.json"


@dataclass(slots=True)
class NoteFeatures:
    text: str
    cues: list[ev.Cue]
    inter1: int
    inter2: int
    fatalities: int | None


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
            self.vectorizer = (
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    min_df=2,
                    sublinear_tf=True,
                    lowercase=True,
                    token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",
                )
                if use_text
                else None
            )
            self.dictvec = DictVectorizer()
            a = self.vectorizer.fit_transform(texts) if use_text else None
            b = self.dictvec.fit_transform(dicts)
        else:
            a = self.vectorizer.transform(texts) if use_text else None
            b = self.dictvec.transform(dicts)
        b = b * float(self.meta.get("rule_weight", 1.0))
        return (hstack([a, b]) if a is not None else b).tocsr()

    def fit(
        self,
        feats: Sequence[NoteFeatures],
        labels: Sequence[str],
        C: float = 4.0,
        rule_weight: float = 1.0,
        text_features: bool = True,
    ) -> "EventTypeModel":
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
        return ev.Typing(
            et,
            sub,
            float(p[k]),
            f"model (rule said {rule.sub_event_type if rule else 'nothing'})",
            method="model",
        )

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
            raise FileNotFoundError(
                f"{d}: no {MODEL_FILE}; train one with `sahelwatch train --acled FILE -o {d}`"
            )
        parts = joblib.load(f)
        meta = json.loads((d / META_FILE).read_text("utf-8")) if (d / META_FILE).exists() else {}
        return cls(parts["vectorizer"], parts["dictvec"], parts["clf"], meta)


__all__ = ["EventTypeModel", "NoteFeatures", "MODEL_FILE", "META_FILE"]
