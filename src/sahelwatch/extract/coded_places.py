"""Places learned from the user's own coded events: the locations their ACLED export has coded.

    sahelwatch train --acled EXPORT.csv -o MODEL_DIR      # writes MODEL_DIR/coded_places.tsv among the rest

GeoNames (the shipped gazetteer) lacks many Sahelian hamlets and knows nothing of where violence is
reported. An analyst's own export knows both: every event names its ``location`` with coordinates and
admin names, so the places their team has coded before are the best guide to the places of new reports.
:func:`learn_places` reads them from an export (events at ``geo_precision`` 1 or 2: the named town, or
the nearest town of an event "near" it; precision 3 is only a region's capital); :func:`overlay` adds them
to a gazetteer for toponym resolution:

* a coded location that matches a gazetteer record (same name or spelling variant within 10 km) raises
  that record's prior (homonyms: the "Douna" the export has coded eleven times beats the one it never
  coded) and takes the export's admin names (GeoNames codes predating Ménaka's creation, say);
* a coded location the gazetteer lacks becomes a new place (``feature_code="CODED"``);
* spellings of the place in the notes that differ from the coded name ("Boulkessi" for "Boulikessi",
  found by similarity among the note's capitalised words) become its alternate names.

The prior is a weak one: ``PRIOR_PER_LOG2_EVENTS`` per doubling of the coded events, capped at
``PRIOR_CAP``; admin names given with a place ("Douna (Bla, Segou)") and references ("near Y") still win.
The file stays in the user's model directory: a model learned from ACLED data is never shipped.
"""

from __future__ import annotations

import csv
import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..gazetteer import Gazetteer, admin_key, distance_km, loose_key, name_key
from ..model import Place
from .places import _tokenize  # the resolver's word tokens (possessives and elisions split)

CODED_FILE = "coded_places.tsv"
COLUMNS = (
    "name",
    "country_code",
    "latitude",
    "longitude",
    "admin1",
    "admin2",
    "admin3",
    "events",
    "geonameid",
    "aliases",
)
#: how far (km) a gazetteer record may lie from the coded point and still be the same place
MATCH_KM = 10.0
#: score added per doubling of the coded events (the first event counts PRIOR_BASE), and its cap
PRIOR_BASE = 0.3
PRIOR_PER_LOG2_EVENTS = 0.3
PRIOR_CAP = 1.5
#: score per factor of ten of the events coded in a record's admin2 (the area prior)
AREA_PRIOR = 0.4
#: a spelling in the notes becomes an alias when this similar to the coded name (difflib ratio on keys)
ALIAS_RATIO = 0.8


@dataclass(slots=True)
class CodedPlace:
    """One location of the export: its name, point, admin names, how many events were coded there."""

    name: str
    country_code: str
    latitude: float
    longitude: float
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    events: int = 1
    geonameid: int | None = None  # the gazetteer record it matched, if any
    aliases: list[str] = field(default_factory=list)


def prior_weight(events: int) -> float:
    """The score a place coded ``events`` times gets in toponym resolution."""
    if events <= 0:
        return 0.0
    return min(PRIOR_CAP, PRIOR_BASE + PRIOR_PER_LOG2_EVENTS * math.log2(events))


# ============================================================================================ learning


def learn_places(frame, gazetteer: Gazetteer | None = None) -> list[CodedPlace]:
    """The coded locations of an export (one row per event: ``train.read_acled_frame``).

    Rows need ``location``, ``latitude``, ``longitude`` and ``geo_precision`` 1 or 2 in a country of the
    gazetteer; rows with the same country, name and point (to ~1 km) are one place.
    """
    import pandas as pd

    gz = gazetteer or Gazetteer.load()
    need = {"location", "latitude", "longitude", "geo_precision", "country"}
    if not need.issubset(frame.columns):
        return []
    rows = frame[frame["location"].notna() & frame["latitude"].notna() & frame["longitude"].notna()]
    gp = pd.to_numeric(rows["geo_precision"], errors="coerce")
    rows = rows[gp.isin([1, 2])]
    groups: dict[tuple, dict] = {}
    for r in rows.itertuples(index=False):
        c = gz.country(str(r.country))
        if c is None or not c.in_gazetteer:
            continue
        name = str(r.location).strip()
        if not name_key(name):
            continue
        lat, lon = float(r.latitude), float(r.longitude)
        k = (c.iso2, name_key(name), round(lat, 2), round(lon, 2))
        g = groups.setdefault(
            k, {"name": name, "cc": c.iso2, "lat": lat, "lon": lon, "n": 0, "admins": {}, "notes": []}
        )
        g["n"] += 1
        adm = tuple(
            None if not isinstance(getattr(r, a, None), str) else getattr(r, a)
            for a in ("admin1", "admin2", "admin3")
        )
        g["admins"][adm] = g["admins"].get(adm, 0) + 1
        note = getattr(r, "notes", None)
        if isinstance(note, str):
            g["notes"].append(note)
    out: list[CodedPlace] = []
    for g in groups.values():
        (a1, a2, a3) = max(g["admins"].items(), key=lambda kv: kv[1])[0]
        cp = CodedPlace(g["name"], g["cc"], round(g["lat"], 5), round(g["lon"], 5), a1, a2, a3, g["n"])
        match = _match(gz, cp)
        if match is not None:
            cp.geonameid = match.geonameid
        known = {name_key(cp.name)} | (
            {name_key(n) for n in (match.name, *match.alternate_names)} if match else set()
        )
        cp.aliases = sorted(_note_spellings(cp.name, g["notes"], known))
        out.append(cp)
    out.sort(key=lambda p: (p.country_code, -p.events, p.name))
    return out


def _match(gz: Gazetteer, cp: CodedPlace) -> Place | None:
    """The gazetteer record of a coded location: same name (or its loose key) within MATCH_KM, nearest first."""
    cands = [p for p in gz.lookup(cp.name, country=cp.country_code) if p.geonameid is not None]
    if not cands:
        lk = loose_key(cp.name)
        cands = [
            p
            for p in gz.nearest_places(cp.latitude, cp.longitude, k=40, feature_classes=None)
            if p.geonameid is not None and any(loose_key(n) == lk for n in (p.name, *p.alternate_names))
        ]
    best, dbest = None, MATCH_KM
    for p in cands:
        d = distance_km(cp.latitude, cp.longitude, p.latitude, p.longitude)
        if d <= dbest:
            best, dbest = p, d
    return best


def _note_spellings(name: str, notes: Iterable[str], known: set[str]) -> set[str]:
    """Capitalised words of the notes spelled like the coded name but not equal to it ("Boulkessi")."""
    want = name_key(name)
    if len(want) < 4:
        return set()
    lk = loose_key(name)
    out: set[str] = set()
    for note in notes:
        toks = _tokenize(note)
        for i in range(len(toks)):
            if not toks[i].cap:
                continue
            for j in range(i + 1, min(len(toks), i + 3) + 1):
                if j - 1 > i and (
                    not toks[j - 1].cap or note[toks[j - 2].end : toks[j - 1].start] not in (" ", "-")
                ):
                    break
                if any(t.key in known for t in toks[i:j]):
                    break  # "Ansongo-Gao" holds the known name: not a spelling of it
                cand = note[toks[i].start : toks[j - 1].end]
                k = name_key(cand)
                if k in known or k[0] != want[0] or abs(len(k) - len(want)) > 3:
                    continue
                if loose_key(cand) == lk or difflib.SequenceMatcher(None, k, want).ratio() >= ALIAS_RATIO:
                    out.add(cand)
    return out


# ============================================================================================ files


def save_places(places: Sequence[CodedPlace], model_dir) -> Path:
    d = Path(model_dir)
    d.mkdir(parents=True, exist_ok=True)
    f = d / CODED_FILE
    with f.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(COLUMNS)
        for p in places:
            w.writerow(
                [
                    p.name,
                    p.country_code,
                    p.latitude,
                    p.longitude,
                    p.admin1 or "",
                    p.admin2 or "",
                    p.admin3 or "",
                    p.events,
                    p.geonameid or "",
                    "|".join(p.aliases),
                ]
            )
    return f


def load_places(model_dir_or_file) -> list[CodedPlace]:
    """Read ``coded_places.tsv`` (a model directory or the file). Bad rows name the file and line."""
    f = Path(model_dir_or_file)
    if f.is_dir():
        f = f / CODED_FILE
    out: list[CodedPlace] = []
    with f.open(encoding="utf-8", newline="") as fh:
        r = csv.reader(fh, delimiter="\t")
        header = next(r, None)
        if header is None or tuple(header[: len(COLUMNS)]) != COLUMNS:
            raise ValueError(f"{f}:1: not a coded-places file (expected the columns {', '.join(COLUMNS)})")
        for n, row in enumerate(r, start=2):
            if not row:
                continue
            try:
                name, cc, lat, lon, a1, a2, a3, events, gid, aliases = row[: len(COLUMNS)]
                out.append(
                    CodedPlace(
                        name,
                        cc,
                        float(lat),
                        float(lon),
                        a1 or None,
                        a2 or None,
                        a3 or None,
                        int(events),
                        int(gid) if gid else None,
                        [a for a in aliases.split("|") if a],
                    )
                )
            except ValueError as exc:
                raise ValueError(f"{f}:{n}: bad coded place ({exc})") from None
    return out


# ============================================================================================ overlay


def overlay(gazetteer: Gazetteer, places: Sequence[CodedPlace]) -> Gazetteer:
    """A gazetteer with the coded places added (see the module docstring); the original is unchanged."""
    from dataclasses import replace

    gz = gazetteer
    new_places: list[Place] = []
    replaced: dict[int, Place] = {}
    extra_keys: dict[int, list[str]] = {}
    prior: dict[int, float] = {}
    n0 = len(gz.places)
    for cp in places:
        idx = gz._id_index.get(cp.geonameid) if cp.geonameid is not None else None
        if idx is not None:
            old = replaced.get(idx, gz.places[idx])
            if cp.admin1:
                # the export's admin names: what its coders use (and newer than GeoNames' codes)
                old = replace(
                    old, admin1=cp.admin1, admin2=cp.admin2 or old.admin2, admin3=cp.admin3 or old.admin3
                )
            replaced[idx] = old
            prior[idx] = prior.get(idx, 0.0) + cp.events
            extra_keys.setdefault(idx, []).extend(name_key(a) for a in (cp.name, *cp.aliases))
        else:
            i = n0 + len(new_places)
            new_places.append(
                Place(
                    cp.name,
                    cp.latitude,
                    cp.longitude,
                    cp.country_code,
                    None,
                    "P",
                    "CODED",
                    cp.admin1,
                    cp.admin2,
                    cp.admin3,
                    0,
                    list(cp.aliases),
                )
            )
            prior[i] = float(cp.events)
            extra_keys[i] = [name_key(a) for a in (cp.name, *cp.aliases)]
    weights = {i: prior_weight(int(n)) for i, n in prior.items()}
    # where the export's events are: every record of a cercle (admin2) with many coded events gains a
    # little, so that among homonymous hamlets nothing else separates, the one in the active area wins
    area: dict[tuple[str, str, str], int] = {}
    for cp in places:
        if cp.admin1 and cp.admin2:
            k = (cp.country_code, admin_key(cp.admin1), admin_key(cp.admin2))
            area[k] = area.get(k, 0) + cp.events
    area_w = {k: AREA_PRIOR * math.log10(1 + n) for k, n in area.items()}
    return gz.extended(new_places, replaced, extra_keys, weights, area_w)


# ============================================================================================ region of a note

REGION_FILE = "region_model.joblib"


class RegionModel:
    """Which admin1 a note is about, from its words: the last resort for notes that name no place the
    gazetteer (or the export) knows ("An attack on the Super Camp was repelled.").

    TF-IDF character 3-5-grams (within words: spellings of hamlets and group names share them) and a
    logistic regression over ``country|admin1`` labels, fitted on the notes of the user's export. The
    pipeline asks it only after the place rules and the groups named have given nothing, codes the answer
    at the region's capital with geo_precision 3 and flags it (``location_from_context``).
    """

    def __init__(self, vectorizer=None, clf=None, meta: dict | None = None):
        self.vectorizer, self.clf, self.meta = vectorizer, clf, meta or {}

    @classmethod
    def fit(
        cls, notes: Sequence[str], countries: Sequence[str], admin1: Sequence[str], C: float = 16.0
    ) -> "RegionModel | None":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        rows = [
            (n, f"{c}|{a}")
            for n, c, a in zip(notes, countries, admin1)
            if isinstance(n, str) and isinstance(c, str) and isinstance(a, str) and a
        ]
        if len(rows) < 20 or len({y for _, y in rows}) < 2:
            return None
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True)
        X = vec.fit_transform([n for n, _ in rows])
        clf = LogisticRegression(C=C, max_iter=3000).fit(X, [y for _, y in rows])
        return cls(vec, clf, {"n_train": len(rows), "C": C, "classes": list(map(str, clf.classes_))})

    def predict(self, text: str, country: str | None) -> tuple[str, float] | None:
        """(admin1, probability within the country) for a note, or None when the country is unknown to it."""
        probs = self.probabilities(text, country)
        if not probs:
            return None
        best = max(probs, key=probs.get)
        return best, probs[best]

    def probabilities(self, text: str, country: str | None) -> dict[str, float]:
        """admin1 -> probability (within the country) for a note; {} when the country is unknown to it."""
        if not country or not text.strip():
            return {}
        key = (text, country)
        cache = self.__dict__.setdefault("_cache", {})
        if key in cache:
            return cache[key]
        P = self._proba(text)
        out: dict[str, float] = {}
        for label, p in zip(self.clf.classes_, P):
            c, a1 = str(label).split("|", 1)
            if c == country:
                out[a1] = out.get(a1, 0.0) + float(p)
        total = sum(out.values())
        got = {k: v / total for k, v in out.items()} if total > 0 else {}
        if len(cache) > 4096:
            cache.clear()
        cache[key] = got
        return got

    def _proba(self, text: str):
        """The classifier's probabilities for one text, computed from its coefficients (the same numbers as
        ``predict_proba``, without scikit-learn's per-call input checks, which cost more than the sum)."""
        import numpy as np

        x = self.vectorizer.transform([text])
        z = np.asarray(x @ self.clf.coef_.T).ravel() + self.clf.intercept_
        if z.shape[0] == 1:  # two classes: one logit
            p1 = 1.0 / (1.0 + np.exp(-z[0]))
            return np.array([1.0 - p1, p1])
        z = z - z.max()
        e = np.exp(z)
        return e / e.sum()

    def save(self, model_dir) -> Path:
        import joblib

        d = Path(model_dir)
        d.mkdir(parents=True, exist_ok=True)
        joblib.dump({"vectorizer": self.vectorizer, "clf": self.clf, "meta": self.meta}, d / REGION_FILE)
        return d / REGION_FILE

    @classmethod
    def load(cls, model_dir) -> "RegionModel | None":
        import joblib

        f = Path(model_dir) / REGION_FILE
        if not f.exists():
            return None
        parts = joblib.load(f)
        return cls(parts["vectorizer"], parts["clf"], parts.get("meta"))


__all__ = [
    "CodedPlace",
    "learn_places",
    "save_places",
    "load_places",
    "overlay",
    "prior_weight",
    "CODED_FILE",
    "RegionModel",
    "REGION_FILE",
]
