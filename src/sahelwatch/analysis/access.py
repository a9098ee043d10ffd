"""Humanitarian access: events on roads, towns being cut off (issue 5).

    from sahelwatch.analysis.roads import read_roads
    from sahelwatch.analysis import access
    net = read_roads("roads.geojson")
    ev = access.mark_road_related(store.events(countries=["Burkina Faso"]))
    ev = access.snap_events(ev, net, buffer_km=3)              # seg_id per event (or why not)
    towns = access.towns_from_gazetteer("Burkina Faso", min_population=10_000)
    model = access.AccessModel(net, towns)                     # base routes, computed once
    model.status(ev, on="2022-06-30", window_days=30)          # one row per town: isolation, level
    model.timeline(ev, since="2019-10-01", until="2022-09-23") # weekly, ACLED weeks (Sat–Fri)
    access.segment_danger(net, ev)                             # the danger layer (GeoDataFrame)

Definitions (docs/access.md explains them with an example):

* access routes of a town: the shortest road path from the town to the capital (weight
  ``capital_weight`` = 2) and to each of its ``k`` nearest towns of the table (weight 1 each);
* a segment is *hit* on a day when at least ``min_incidents`` incidents (political violence, or
  any road-related event) snapped to it in the ``window_days`` days ending that day;
* detour factor of a route: shortest length without the hit segments / base length (1 when the
  route is not hit; ∞ when no path remains: the route is *cut*);
* disruption of a route: 0 when not hit, else 0.25 + 0.75·min(1, (f − 1)/(F − 1)) with F = 3
  (a route whose detour triples its length counts as cut; f = ∞ gives 1);
* isolation index: the weighted mean disruption of the town's routes, in [0, 1];
* level: ``open`` below 0.1, ``cut off`` from 0.6 (or when every route is cut), ``disrupted`` between.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..gazetteer import Gazetteer
from .roads import RoadNetwork

#: Event types that count as incidents on a road (plus any road-related event of other types).
INCIDENT_EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
#: geo_precision values never snapped to a road (3 = only a larger region is known).
NEVER_SNAP_PRECISION = (3,)
DETOUR_CAP = 3.0  # F: a detour factor at or above this counts as cut in the index
HIT_FLOOR = 0.25  # disruption of a hit route with no detour
LEVEL_DISRUPTED = 0.1  # isolation index from which a town is "disrupted"
LEVEL_CUT_OFF = 0.6  # ... and "cut off"
LEVELS = ("open", "disrupted", "cut off")


class TownLookupError(InputError):
    """A town name is unknown or ambiguous; ``candidates`` lists the possible towns."""

    def __init__(self, message: str, candidates: pd.DataFrame | None = None):
        super().__init__(message)
        self.candidates = candidates if candidates is not None else pd.DataFrame()


# ------------------------------------------------------------------------------ road-related words

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def _fold(text: str) -> str:
    """Accents off (é → e), curly apostrophes straight; other non-ASCII characters dropped."""
    return (
        unicodedata.normalize("NFKD", text.translate(_APOSTROPHES)).encode("ascii", "ignore").decode("ascii")
    )


@dataclass
class RoadTargets:
    patterns: list[tuple[str, str, str]]  # (regex source, language, category)
    sub_event_types: frozenset[str]
    combined: re.Pattern | None = None  # one alternation of all patterns (group gN = pattern N)

    def __post_init__(self):
        if self.combined is None and self.patterns:
            alts = "|".join(f"(?P<g{i}>{src})" for i, (src, _, _) in enumerate(self.patterns))
            # word boundaries checked once around the alternation: fast on long texts
            self.combined = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=4)
def load_road_targets(path: str | None = None) -> RoadTargets:
    """The target words of ``data/road_targets.yaml`` (or another file in the same shape)."""
    import yaml

    if path is None:
        text = resources.files("sahelwatch.data").joinpath("road_targets.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    doc = yaml.safe_load(text) or {}
    pats = []
    for lang in ("en", "fr"):
        for cat, words in (doc.get(lang) or {}).items():
            for w in words or []:
                re.compile(w)  # a bad pattern fails here, naming itself
                pats.append((f"(?:{w})", lang, cat))
    for w in doc.get("refs") or []:
        re.compile(w)
        pats.append((f"(?-i:{w})", "any", "road number"))  # road numbers are case-sensitive
    return RoadTargets(pats, frozenset(doc.get("sub_event_types") or []))


def match_road_words(text: str | None, targets: RoadTargets | None = None) -> tuple[str, str] | None:
    """(matched word, category) of the first road target in ``text`` (earliest in the text), or None."""
    if not text or not isinstance(text, str):
        return None
    targets = targets or load_road_targets()
    if targets.combined is None:
        return None
    m = targets.combined.search(_fold(text))  # leftmost match; ties go to the earlier pattern
    if not m:
        return None
    name = next(k for k, v in m.groupdict().items() if v is not None)
    return m.group(0), targets.patterns[int(name[1:])][2]


def mark_road_related(events: pd.DataFrame, targets: RoadTargets | None = None) -> pd.DataFrame:
    """Add ``road_related`` (bool), ``road_word`` and ``road_basis`` ("notes", "location", "sub-event type").

    The notes are searched first (the analyst's description), then the location name (ACLED writes
    places like "Axe Djibo-Namsiguia" or "Pont de ..."), then the sub-event type list of the YAML file.
    """
    targets = targets or load_road_targets()
    df = events.copy()
    n = len(df)
    words = np.full(n, None, dtype=object)
    basis = np.full(n, None, dtype=object)
    for col in ("notes", "location"):
        if col not in df.columns:
            continue
        vals = df[col].to_numpy(dtype=object)
        for i in np.flatnonzero(pd.isna(words)):
            m = match_road_words(vals[i], targets)
            if m:
                words[i] = m[0]
                basis[i] = col
    if "sub_event_type" in df.columns and targets.sub_event_types:
        sub = df["sub_event_type"].to_numpy(dtype=object)
        for i in np.flatnonzero(pd.isna(words)):
            if sub[i] in targets.sub_event_types:
                words[i] = sub[i]
                basis[i] = "sub-event type"
    df["road_related"] = ~pd.isna(words)
    df["road_word"] = words
    df["road_basis"] = basis
    return df


# ------------------------------------------------------------------------------------ geocoding


def geocode_events(events: pd.DataFrame, gazetteer=None, *, overwrite: bool = False) -> pd.DataFrame:
    """Fill latitude/longitude/geo_precision of events that have none, from their names (gazetteer).

    Adds ``geocoded`` (the gazetteer level used: location, location~ (spelling variant), admin3,
    admin2, admin1, country; None when coordinates were given or nothing matched). The share placed
    and by which level is in ``df.attrs["geocoding"]``.
    """
    if gazetteer is None:
        gazetteer = Gazetteer.load()
    df = events.copy()
    for c in ("latitude", "longitude"):
        df[c] = pd.to_numeric(df[c], errors="coerce") if c in df.columns else np.nan
    if "geo_precision" not in df.columns:
        df["geo_precision"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["geo_precision"] = pd.to_numeric(df["geo_precision"], errors="coerce").astype("Int64")
    need = (
        df["latitude"].isna() | df["longitude"].isna() if not overwrite else pd.Series(True, index=df.index)
    )
    level = np.full(len(df), None, dtype=object)
    cache: dict[tuple, object] = {}
    cols = ["country", "admin1", "admin2", "admin3", "location"]
    for c in cols:
        if c not in df.columns:
            df[c] = None
    lat = df["latitude"].to_numpy(dtype=float).copy()
    lon = df["longitude"].to_numpy(dtype=float).copy()
    gp = df["geo_precision"].to_numpy(dtype=object).copy()
    vals = df[cols].to_numpy(dtype=object)
    for i in np.flatnonzero(need.to_numpy()):
        key = tuple(None if pd.isna(v) else str(v) for v in vals[i])
        if key not in cache:
            cache[key] = (
                gazetteer.geocode(key[0], admin1=key[1], admin2=key[2], admin3=key[3], location=key[4])
                if key[0]
                else None
            )
        r = cache[key]
        if r is not None:
            lat[i], lon[i], gp[i], level[i] = r.latitude, r.longitude, r.geo_precision, r.matched_level
    df["latitude"], df["longitude"] = lat, lon
    df["geo_precision"] = pd.array(gp, dtype="Int64")
    df["geocoded"] = level
    n_need = int(need.sum())
    placed = pd.Series(level[need.to_numpy()]).value_counts(dropna=False)
    df.attrs["geocoding"] = {
        "needed": n_need,
        "placed": int(pd.notna(level).sum()),
        "by_level": {str(k): int(v) for k, v in placed.items()},
        "by_precision": {
            str(k): int(v)
            for k, v in pd.Series(gp[need.to_numpy()], dtype="Int64").value_counts(dropna=False).items()
        },
    }
    return df


# ------------------------------------------------------------------------------ events to roads


def incident_mask(events: pd.DataFrame, event_types: Sequence[str] = INCIDENT_EVENT_TYPES) -> np.ndarray:
    """Events that count as incidents on a road: political violence, or anything road-related."""
    et = (
        events["event_type"].isin(list(event_types)).to_numpy()
        if "event_type" in events.columns
        else np.ones(len(events), bool)
    )
    rr = (
        events["road_related"].fillna(False).to_numpy(dtype=bool)
        if "road_related" in events.columns
        else np.zeros(len(events), bool)
    )
    return et | rr


def snap_events(
    events: pd.DataFrame,
    network: RoadNetwork,
    *,
    buffer_km: float = 3.0,
    never_snap_precision: Sequence[int] = NEVER_SNAP_PRECISION,
    towns: pd.DataFrame | None = None,
    town_radius_km: float = 1.0,
) -> pd.DataFrame:
    """Link each event to its nearest road segment within ``buffer_km`` (STRtree on projected points).

    Adds ``seg_id`` (nullable Int64), ``road_ref``, ``road_distance_m`` and ``snap``: "snapped",
    "no coordinates", "imprecise (geo_precision 3)", "in town" or "beyond buffer". Events whose
    coordinates only stand for a region (geo_precision in ``never_snap_precision``) are never snapped.
    With ``towns`` (name, lat, lon), an event within ``town_radius_km`` of a town's point is "in town"
    and not snapped unless it is road-related: coordinates at a town's centre say nothing about which
    of its roads was hit, and would otherwise cut every route of the town at once.
    ``df.attrs["snapping"]`` counts each status.
    """
    import geopandas as gpd

    if not 0 < buffer_km <= 50:
        raise InputError(f"buffer_km must be in (0, 50] (got {buffer_km}); 2–5 km suits national roads")
    df = events.copy().reset_index(drop=True)
    lat = (
        pd.to_numeric(df.get("latitude"), errors="coerce").to_numpy(dtype=float)
        if "latitude" in df
        else np.full(len(df), np.nan)
    )
    lon = (
        pd.to_numeric(df.get("longitude"), errors="coerce").to_numpy(dtype=float)
        if "longitude" in df
        else np.full(len(df), np.nan)
    )
    gp = (
        pd.to_numeric(df["geo_precision"], errors="coerce").to_numpy(dtype=float)
        if "geo_precision" in df
        else np.full(len(df), np.nan)
    )
    status = np.full(len(df), "beyond buffer", dtype=object)
    has = np.isfinite(lat) & np.isfinite(lon)
    status[~has] = "no coordinates"
    imprecise = has & np.isin(gp, list(never_snap_precision))
    status[imprecise] = f"imprecise (geo_precision {','.join(map(str, never_snap_precision))})"
    in_town = np.zeros(len(df), bool)
    if towns is not None and len(towns) and town_radius_km > 0:
        from scipy.spatial import cKDTree

        tp = gpd.GeoSeries(gpd.points_from_xy(towns["lon"], towns["lat"]), crs="EPSG:4326").to_crs(
            network.crs
        )
        ok = np.flatnonzero(has & ~imprecise)
        ep = gpd.GeoSeries(gpd.points_from_xy(lon[ok], lat[ok]), crs="EPSG:4326").to_crs(network.crs)
        d, _ = cKDTree(np.c_[tp.x, tp.y]).query(np.c_[ep.x, ep.y])
        rr = df["road_related"].fillna(False).to_numpy(dtype=bool)[ok] if "road_related" in df else False
        in_town[ok[(d <= town_radius_km * 1000) & ~rr]] = True
        status[in_town] = "in town"
    cand = np.flatnonzero(has & ~imprecise & ~in_town)
    seg = np.full(len(df), -1, dtype=np.int64)
    dist = np.full(len(df), np.nan)
    if len(cand):
        pts = (
            gpd.GeoSeries(gpd.points_from_xy(lon[cand], lat[cand]), crs="EPSG:4326")
            .to_crs(network.crs)
            .values
        )
        tree = _tree(network)
        (pi, si), d = tree.query_nearest(
            pts, max_distance=buffer_km * 1000, return_distance=True, all_matches=False
        )
        seg[cand[pi]] = network.segments["seg_id"].to_numpy()[si]
        dist[cand[pi]] = d
        status[cand[pi]] = "snapped"
    df["seg_id"] = pd.array(np.where(seg >= 0, seg, 0), dtype="Int64")
    df.loc[seg < 0, "seg_id"] = pd.NA
    refs = network.segments["ref"].to_numpy(dtype=object)
    df["road_ref"] = np.where(seg >= 0, refs[np.clip(seg, 0, None)], None)
    df["road_distance_m"] = dist
    df["snap"] = status
    df.attrs["snapping"] = {str(k): int(v) for k, v in pd.Series(status).value_counts().items()}
    df.attrs["buffer_km"] = buffer_km
    return df


def _tree(network: RoadNetwork):
    import shapely

    t = getattr(network, "_strtree", None)
    if t is None:
        t = shapely.STRtree(network.segments.geometry.values)
        network._strtree = t
    return t


# ------------------------------------------------------------------------------------------ towns


def towns_from_gazetteer(country: str, min_population: int = 10_000, gazetteer=None) -> pd.DataFrame:
    """Towns (name, lat, lon, population, admin1, feature_code, capital) of a country, largest first."""
    if gazetteer is None:
        gazetteer = Gazetteer.load()
    places = gazetteer.towns(country, min_population)
    c = gazetteer.country(country)
    cap = c.capital if c is not None else None
    df = pd.DataFrame(
        {
            "name": [p.name for p in places],
            "lat": [p.latitude for p in places],
            "lon": [p.longitude for p in places],
            "population": [int(p.population) for p in places],
            "admin1": [p.admin1 for p in places],
            "feature_code": [p.feature_code for p in places],
        }
    )
    df["capital"] = (df["feature_code"] == "PPLC") | (df["name"] == cap) if len(df) else []
    return df


def _town_key(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _fold(str(s)).lower()).strip()


def resolve_town(name: str, towns: pd.DataFrame) -> int:
    """Index (label) of the town called ``name`` in ``towns``.

    "Name, Admin1" or "Name (Admin1)" picks among homonyms. Raises :class:`TownLookupError` with the
    candidates when the name is unknown (close spellings listed) or ambiguous (all homonyms listed).
    """
    m = re.match(r"^\s*(.+?)\s*(?:,\s*(.+?)|\((.+?)\))\s*$", name)
    base, qual = (m.group(1), m.group(2) or m.group(3)) if m else (name, None)
    keys = towns["name"].map(_town_key)
    hits = towns[keys == _town_key(base)]
    if qual and len(hits) > 1 and "admin1" in towns.columns:
        q = hits[hits["admin1"].fillna("").map(_town_key) == _town_key(qual)]
        hits = q if len(q) else hits
    cols = [c for c in ("name", "admin1", "population", "lat", "lon") if c in towns.columns]
    if len(hits) == 1:
        return hits.index[0]
    if len(hits) > 1:
        raise TownLookupError(
            f"town {name!r} is ambiguous: {len(hits)} towns have that name; say which with "
            f"'{base}, ADMIN1' (candidates listed)",
            hits[cols],
        )
    close = difflib.get_close_matches(_town_key(base), list(keys.unique()), n=6, cutoff=0.6)
    cands = towns[keys.isin(close)][cols]
    hint = (
        (" Did you mean: " + ", ".join(cands["name"].astype(str)) + "?")
        if len(cands)
        else " (is it below the population threshold? lower --min-population)"
    )
    raise TownLookupError(f"unknown town {name!r} among the {len(towns)} towns analysed.{hint}", cands)


def add_towns(towns: pd.DataFrame, names: Iterable[str], country: str, gazetteer=None) -> pd.DataFrame:
    """``towns`` plus the named places missing from it, looked up in the gazetteer (populated places).

    For a town below the population threshold asked for by name. "Name, Admin1" narrows homonyms.
    Raises :class:`TownLookupError` listing the candidates when a name matches several places, or
    with close spellings when it matches none. Added rows have ``extra=True``: they get their own
    access routes but are not used as neighbour destinations of the other towns.
    """
    if gazetteer is None:
        gazetteer = Gazetteer.load()
    out = towns
    for name in names:
        try:
            resolve_town(name, out)
            continue
        except TownLookupError as exc:
            if "ambiguous" in str(exc):
                raise
        m = re.match(r"^\s*(.+?)\s*(?:,\s*(.+?)|\((.+?)\))\s*$", name)
        base, qual = (m.group(1), m.group(2) or m.group(3)) if m else (name, None)
        cands = (
            gazetteer.lookup(base, country=country, feature_classes="P", admin1=qual)
            if qual
            else gazetteer.lookup(base, country=country, feature_classes="P")
        )
        if not cands:
            resolve_town(name, out)  # raises "unknown town" with close spellings
        exact = [p for p in cands if _town_key(p.name) == _town_key(base)]
        if len(exact) == 1:  # the place called so, over places with it as an alias
            cands = exact
        table = pd.DataFrame(
            {
                "name": [p.name for p in cands],
                "admin1": [p.admin1 for p in cands],
                "admin2": [p.admin2 for p in cands],
                "population": [p.population for p in cands],
                "lat": [p.latitude for p in cands],
                "lon": [p.longitude for p in cands],
            }
        )
        if len(cands) > 1:
            raise TownLookupError(
                f"town {name!r} is ambiguous: {len(cands)} places of {country} have that name; "
                f"say which with '{base}, ADMIN1' (candidates listed)",
                table,
            )
        p = cands[0]
        row = {
            "name": p.name,
            "lat": p.latitude,
            "lon": p.longitude,
            "population": int(p.population),
            "admin1": p.admin1,
            "feature_code": p.feature_code,
            "capital": False,
            "extra": True,
        }
        base_cols = set(out.columns) | {"name", "lat", "lon", "population", "extra"}
        out = pd.concat(
            [out, pd.DataFrame([{k: v for k, v in row.items() if k in base_cols}])], ignore_index=True
        )
        out["extra"] = out["extra"].fillna(False).astype(bool)
    return out


# ------------------------------------------------------------------------------------- routing


class _Router:
    """Undirected weighted graph in arrays; shortest paths with scipy's Dijkstra, edges removable by seg id."""

    def __init__(self, n_nodes: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, seg: np.ndarray):
        self.n = int(n_nodes)
        keep = a != b
        self.a, self.b, self.w, self.seg = a[keep], b[keep], w[keep].astype(float), seg[keep]
        lo, hi = np.minimum(self.a, self.b), np.maximum(self.a, self.b)
        self.pair = lo.astype(np.int64) * self.n + hi
        order = np.lexsort((self.w, self.pair))  # per node pair, shortest edge first
        self.order = order
        self.n_dijkstra = 0
        self._full = self._csr(np.ones(len(self.a), bool))

    def _csr(self, active: np.ndarray):
        from scipy.sparse import csr_matrix

        o = self.order[active[self.order]]
        pair = self.pair[o]
        first = np.r_[True, pair[1:] != pair[:-1]]
        o = o[first]
        return csr_matrix((self.w[o], (self.a[o], self.b[o])), shape=(self.n, self.n))

    def active(self, removed: Iterable[int] | None) -> np.ndarray:
        if not removed:
            return np.ones(len(self.a), bool)
        return ~np.isin(self.seg, np.fromiter(removed, dtype=np.int64))

    def dijkstra(self, sources: Sequence[int], active: np.ndarray | None = None):
        from scipy.sparse.csgraph import dijkstra

        g = self._full if active is None else self._csr(active)
        self.n_dijkstra += len(sources)
        return dijkstra(g, directed=False, indices=np.asarray(sources), return_predecessors=True)

    def path_segments(
        self, pred_row: np.ndarray, src: int, dst: int, active: np.ndarray | None = None
    ) -> tuple[int, ...] | None:
        """Seg ids along the path src → dst read from a predecessor row (None when unreachable)."""
        if src == dst:
            return ()
        if pred_row[dst] < 0:
            return None
        segs = []
        node = dst
        while node != src:
            p = int(pred_row[node])
            key = min(p, node) * self.n + max(p, node)
            segs.append(self._edge_seg(key, active))
            node = p
        return tuple(reversed(segs))

    def _edge_seg(self, key: int, active: np.ndarray | None) -> int:
        if not hasattr(self, "_by_pair"):
            by: dict[int, list[int]] = {}
            for i in self.order:
                by.setdefault(int(self.pair[i]), []).append(int(i))
            self._by_pair = by
        for i in self._by_pair[key]:
            if active is None or active[i]:
                return int(self.seg[i])
        raise RuntimeError("no active edge on a shortest path (internal error)")


class AccessModel:
    """Towns, their access routes on a road network, and their isolation under a set of hit segments.

    ``towns``: DataFrame with name, lat, lon, population (+ optional admin1, capital). ``capital``:
    name of the capital (default: the row with capital=True, else the largest town). ``k``: neighbour
    towns per town (nearest by straight line among the table). A town is attached to the network at
    the nearest point of the nearest segment (a virtual node splitting it), if within ``max_attach_km``;
    towns farther away are left out and listed in ``self.unattached``. ``destinations`` replaces the
    neighbour routes of the towns named, weight 1 each. ``capital_routes="regional"`` (default) gives
    the capital a route to every regional capital (feature_code PPLA) instead of its k nearest towns,
    when the table has feature codes: the capital's access is its corridors to the regions;
    ``"nearest"`` treats it like any other town.
    """

    def __init__(
        self,
        network: RoadNetwork,
        towns: pd.DataFrame,
        *,
        capital: str | None = None,
        k: int = 3,
        capital_weight: float = 2.0,
        max_attach_km: float = 10.0,
        destinations: dict[str, Sequence[str]] | None = None,
        capital_routes: str = "regional",
    ):
        import geopandas as gpd
        import shapely

        need = {"name", "lat", "lon"}
        if not need <= set(towns.columns):
            raise InputError(f"towns need columns {sorted(need)} (got {list(towns.columns)})")
        if len(towns) < 2:
            raise InputError("at least two towns are needed for access routes")
        self.network = network
        self.k = int(k)
        self.capital_weight = float(capital_weight)
        t = towns.reset_index(drop=True).copy()
        if "population" not in t.columns:
            t["population"] = 0
        if capital is None:
            capital = (
                t.loc[t["capital"].astype(bool), "name"].iloc[0]
                if "capital" in t.columns and t["capital"].astype(bool).any()
                else t.sort_values("population").iloc[-1]["name"]
            )
        self.capital_idx = resolve_town(capital, t)
        self.capital = t.loc[self.capital_idx, "name"]
        segs = network.segments
        pts = (
            gpd.GeoSeries(gpd.points_from_xy(t["lon"], t["lat"]), crs="EPSG:4326").to_crs(network.crs).values
        )
        si, dist = _tree(network).query_nearest(pts, return_distance=True, all_matches=False)
        si = si[1]
        t["attach_km"] = dist / 1000
        t["seg_attached"] = segs["seg_id"].to_numpy()[si]
        t["component"] = segs["component"].to_numpy()[si]
        t["attached"] = t["attach_km"] <= max_attach_km
        self.unattached = t[~t["attached"]].copy()
        geoms = segs.geometry.values
        u_arr, v_arr = segs["u"].to_numpy(), segs["v"].to_numpy()
        lengths = segs["length_m"].to_numpy(dtype=float)
        n_nodes = len(network.nodes)
        a, b, w, sg = [u_arr], [v_arr], [lengths], [segs["seg_id"].to_numpy()]
        town_node = np.full(len(t), -1)
        extra = 0
        for i in np.flatnonzero(t["attached"].to_numpy()):
            s = int(si[i])
            line = geoms[s]
            frac = float(shapely.line_locate_point(line, pts[i], normalized=True))
            along = frac * lengths[s]
            if along <= 1.0:
                town_node[i] = u_arr[s]
            elif lengths[s] - along <= 1.0:
                town_node[i] = v_arr[s]
            else:  # a virtual node on the segment: both halves carry the segment's id
                node = n_nodes + extra
                extra += 1
                town_node[i] = node
                a += [np.array([node, node])]
                b += [np.array([u_arr[s], v_arr[s]])]
                w += [np.array([along, lengths[s] - along])]
                sg += [np.array([s, s])]
        t["node"] = town_node
        self.towns = t
        if capital_routes not in ("regional", "nearest"):
            raise InputError(f"capital_routes must be 'regional' or 'nearest' (got {capital_routes!r})")
        self._dest = {}
        if capital_routes == "regional" and "feature_code" in t.columns:
            regional = [int(i) for i in t.index[t["feature_code"].eq("PPLA")] if i != self.capital_idx]
            if regional:
                self._dest[int(self.capital_idx)] = regional
        for name, dests in (destinations or {}).items():
            self._dest[resolve_town(name, t)] = [resolve_town(d, t) for d in dests]
        self.router = _Router(
            n_nodes + extra, np.concatenate(a), np.concatenate(b), np.concatenate(w), np.concatenate(sg)
        )
        self._build_routes()
        self._cache: dict[frozenset, dict] = {}

    # -------------------------------------------------------------- base routes
    def _build_routes(self):
        t = self.towns
        self._extra = (
            t["extra"].fillna(False).to_numpy(dtype=bool) if "extra" in t.columns else np.zeros(len(t), bool)
        )
        attached = t["attached"].to_numpy()
        att = np.flatnonzero(attached)
        lat, lon = np.radians(t["lat"].to_numpy()), np.radians(t["lon"].to_numpy())
        nodes = t["node"].to_numpy()
        dist, pred = self.router.dijkstra(nodes[att])
        rows = []
        for r, i in enumerate(att):
            # great-circle distances choose the k nearest towns (the capital route is added apart)
            d = np.arccos(
                np.clip(
                    np.sin(lat[i]) * np.sin(lat) + np.cos(lat[i]) * np.cos(lat) * np.cos(lon - lon[i]), -1, 1
                )
            )
            d[i] = np.inf
            d[~attached] = np.inf
            d[self._extra] = np.inf  # towns added by name are not destinations of the others
            dests = []
            if i != self.capital_idx and attached[self.capital_idx]:
                dests.append((int(self.capital_idx), "capital", self.capital_weight))
                d[self.capital_idx] = np.inf
            if int(i) in self._dest:
                dests = [
                    (
                        j,
                        "capital" if j == self.capital_idx else "neighbour",
                        self.capital_weight if j == self.capital_idx else 1.0,
                    )
                    for j in self._dest[int(i)]
                    if j != i and attached[j]
                ]
            else:
                for j in np.argsort(d, kind="stable")[: self.k]:
                    if np.isfinite(d[j]):
                        dests.append((int(j), "neighbour", 1.0))
            for j, kind, wt in dests:
                L = float(dist[r, nodes[j]])
                segs = (
                    self.router.path_segments(pred[r], int(nodes[i]), int(nodes[j]))
                    if np.isfinite(L)
                    else None
                )
                rows.append(
                    {
                        "town_idx": int(i),
                        "dest_idx": j,
                        "town": t.loc[i, "name"],
                        "dest": t.loc[j, "name"],
                        "kind": kind,
                        "weight": wt,
                        "base_m": L,
                        "segments": tuple(segs or ()),
                        "reachable": bool(np.isfinite(L)),
                    }
                )
        self.routes = pd.DataFrame(
            rows,
            columns=[
                "town_idx",
                "dest_idx",
                "town",
                "dest",
                "kind",
                "weight",
                "base_m",
                "segments",
                "reachable",
            ],
        )
        self._route_segs = [frozenset(s) for s in self.routes["segments"]]
        self._relevant = frozenset().union(*self._route_segs) if self._route_segs else frozenset()
        self.base_pass_dijkstra = len(att)
        unreach = self.routes.groupby("town_idx")["reachable"].all()
        some_unreachable = (~unreach).reindex(t.index, fill_value=False).to_numpy(dtype=bool) & attached
        r = self.routes
        self._r_town = r["town_idx"].to_numpy(dtype=np.int64)
        self._r_dest = r["dest_idx"].to_numpy(dtype=np.int64)
        self._r_base = r["base_m"].to_numpy(dtype=float)
        self._r_weight = r["weight"].to_numpy(dtype=float)
        self._r_reach = r["reachable"].to_numpy(dtype=bool)
        self._r_is_cap = (r["kind"] == "capital").to_numpy()
        self._nodes = t["node"].to_numpy(dtype=np.int64)
        n_routes = np.bincount(self._r_town[self._r_reach], minlength=len(t))
        self._notes = np.where(
            ~attached,
            "not on the road network (farther than max_attach_km)",
            np.where(
                n_routes == 0,
                "no route to any other town (disconnected piece)",
                np.where(some_unreachable, "some destinations unreachable in the base network", ""),
            ),
        )

    # -------------------------------------------------------------- one state of the network
    def _key(self, hit: Iterable[int]) -> frozenset:
        return frozenset(int(x) for x in hit) & self._relevant

    def _core(self, key: frozenset) -> dict:
        """Arrays over routes for one set of hit segments (cached): hit, new_m, detour, cut, disruption."""
        c = self._cache.get(key)
        if c is not None:
            return c
        n = len(self.routes)
        base = self._r_base
        is_hit = (
            np.fromiter((bool(s & key) for s in self._route_segs), dtype=bool, count=n)
            if key
            else np.zeros(n, bool)
        ) & self._r_reach
        new_m = base.copy()
        if is_hit.any():
            active = self.router.active(key)
            towns = np.unique(self._r_town[is_hit])
            nodes = self._nodes
            dist, pred = self.router.dijkstra(nodes[towns], active)
            row = np.full(len(self.towns), -1)
            row[towns] = np.arange(len(towns))
            q = np.flatnonzero(is_hit)
            new_m[q] = dist[row[self._r_town[q]], nodes[self._r_dest[q]]]
            c_pred, c_active = pred, active
        else:
            row = c_pred = c_active = None
        with np.errstate(divide="ignore", invalid="ignore"):
            detour = np.where(is_hit, new_m / np.where(base > 0, base, np.nan), 1.0)
        detour = np.where(is_hit & (base == 0), 1.0, detour)
        c = {
            "hit": is_hit,
            "new_m": new_m,
            "detour": detour,
            "cut": is_hit & ~np.isfinite(new_m),
            "disruption": disruption(detour, is_hit),
            "key": key,
            "_pred": c_pred,
            "_row": row,
            "_active": c_active,
        }
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = c
        return c

    def route_status(self, hit: Iterable[int]) -> pd.DataFrame:
        """Every route under the hit segments ``hit``: hit?, new length, detour factor, disruption.

        Dijkstra runs only from towns with at least one route through a hit segment, once per
        distinct set of relevant hit segments (cached).
        """
        key = self._key(hit)
        c = self._core(key)
        r = self.routes
        out = r[["town_idx", "dest_idx", "town", "dest", "kind", "weight", "base_m", "reachable"]].copy()
        for k in ("hit", "new_m", "detour", "cut", "disruption"):
            out[k] = c[k]
        out["hit_segments"] = [
            tuple(sorted(s & key)) if h else () for s, h in zip(self._route_segs, c["hit"])
        ]
        new_segs = list(r["segments"])
        for q in np.flatnonzero(c["hit"] & ~c["cut"]):
            k = c["_row"][self._r_town[q]]
            new_segs[q] = self.router.path_segments(
                c["_pred"][k],
                int(self._nodes[self._r_town[q]]),
                int(self._nodes[self._r_dest[q]]),
                c["_active"],
            )
        for q in np.flatnonzero(c["cut"]):
            new_segs[q] = ()
        out["route_segments"] = new_segs
        return out

    def _iso_arrays(self, key: frozenset) -> dict:
        """Per-town arrays (index = row of self.towns) for one set of hit segments."""
        c = self._core(key)
        nt = len(self.towns)
        ok = self._r_reach
        ti = self._r_town[ok]
        w = self._r_weight[ok]
        routes = np.bincount(ti, minlength=nt)
        hit = np.bincount(ti, weights=c["hit"][ok], minlength=nt).astype(int)
        cut = np.bincount(ti, weights=c["cut"][ok], minlength=nt).astype(int)
        wsum = np.bincount(ti, weights=w, minlength=nt)
        wd = np.bincount(ti, weights=w * c["disruption"][ok], minlength=nt)
        with np.errstate(divide="ignore", invalid="ignore"):
            index = np.where(routes > 0, wd / wsum, np.nan)
            share = np.where(routes > 0, hit / routes, np.nan)
        cap = np.full(nt, np.nan)
        capq = ok & self._r_is_cap
        cap[self._r_town[capq]] = c["detour"][capq]
        fd = np.where(np.isfinite(c["detour"]), c["detour"], np.nan)[ok]
        mx = np.full(nt, np.nan)
        np.fmax.at(mx, ti, fd)
        return {
            "routes": routes,
            "routes_hit": hit,
            "routes_cut": cut,
            "share_routes_hit": share,
            "capital_detour": cap,
            "max_finite_detour": mx,
            "isolation_index": index,
            "level": level_of(index, routes, cut),
        }

    def isolation(self, hit: Iterable[int]) -> pd.DataFrame:
        """One row per town: routes, routes hit/cut, capital detour, isolation index, level."""
        arr = self._iso_arrays(self._key(hit))
        t = self.towns
        res = pd.DataFrame({"town": t["name"], "population": t["population"]})
        if "admin1" in t.columns:
            res["admin1"] = t["admin1"]
        for k, v in arr.items():
            res[k] = v
        res["note"] = self._notes
        return res

    # -------------------------------------------------------------- over time
    def hit_segments(
        self, events: pd.DataFrame, on, window_days: int = 30, min_incidents: int = 1
    ) -> set[int]:
        """Segments with at least ``min_incidents`` incidents in the ``window_days`` days ending ``on``."""
        e = _incidents(events)
        end = pd.Timestamp(on).normalize()
        sel = (e["event_date"] > end - pd.Timedelta(days=window_days)) & (e["event_date"] <= end)
        c = e.loc[sel, "seg_id"].value_counts()
        return set(int(s) for s in c[c >= min_incidents].index)

    def status(
        self, events: pd.DataFrame, on=None, window_days: int = 30, min_incidents: int = 1
    ) -> pd.DataFrame:
        """Isolation of every town on day ``on`` (default: the last event date) from snapped events."""
        e = _incidents(events)
        if on is None:
            on = e["event_date"].max() if len(e) else pd.Timestamp.today()
        hit = self.hit_segments(e, on, window_days, min_incidents)
        res = self.isolation(hit)
        res.insert(0, "date", pd.Timestamp(on).normalize())
        res["incidents_on_routes"] = self._incidents_on_routes(e, pd.Timestamp(on), window_days)
        res.attrs["partial"] = bool(self.network.report.partial or len(self.unattached))
        res.attrs["messages"] = ([self.network.report.summary()] if self.network.report.partial else []) + (
            [f"not on the road network: {', '.join(self.unattached['name'])}"] if len(self.unattached) else []
        )
        return res

    def _incidents_on_routes(self, e: pd.DataFrame, on: pd.Timestamp, window_days: int) -> pd.Series:
        end = on.normalize()
        sel = e[(e["event_date"] > end - pd.Timedelta(days=window_days)) & (e["event_date"] <= end)]
        per_seg = sel["seg_id"].value_counts()
        out = {}
        for ti, grp in self.routes.groupby("town_idx"):
            segs = set().union(*[set(s) for s in grp["segments"]])
            out[ti] = int(per_seg.reindex(list(segs)).fillna(0).sum()) if segs else 0
        return pd.Series(out).reindex(self.towns.index).fillna(0).astype(int)

    def timeline(
        self,
        events: pd.DataFrame,
        since=None,
        until=None,
        window_days: int = 30,
        min_incidents: int = 1,
        towns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Weekly isolation per town: ACLED weeks (Saturday–Friday), the window ending each Friday.

        Columns: town, week_start, week_end, routes, routes_hit, routes_cut, share_routes_hit,
        capital_detour, max_finite_detour, isolation_index, level, hit_segments (on the town's routes).
        """
        e = _incidents(events)
        if since is None:
            since = e["event_date"].min()
        if until is None:
            until = e["event_date"].max()
        weeks = acled_weeks(since, until)
        dates = e["event_date"].to_numpy(dtype="datetime64[ns]")
        order = np.argsort(dates, kind="stable")
        dates, segs = dates[order], e["seg_id"].to_numpy(dtype=np.int64)[order]
        keep_idx = None
        if towns is not None:
            keep_idx = [self._idx(n) for n in towns]
        parts: dict[str, list] = {}
        sel = np.asarray(keep_idx if keep_idx is not None else self.towns.index.to_numpy())
        for ws, we in weeks:
            end = np.datetime64(we + pd.Timedelta(days=1), "ns")
            start = np.datetime64(we - pd.Timedelta(days=window_days - 1), "ns")
            lo, hi = np.searchsorted(dates, start, "left"), np.searchsorted(dates, end, "left")
            s_, c_ = np.unique(segs[lo:hi], return_counts=True)
            key = frozenset(s_[c_ >= min_incidents].tolist()) & self._relevant
            arr = self._iso_arrays(key)
            for k, v in arr.items():
                parts.setdefault(k, []).append(v[sel])
            parts.setdefault("town_idx", []).append(sel)
            parts.setdefault("week_start", []).append(np.repeat(ws.to_datetime64(), len(sel)))
            parts.setdefault("week_end", []).append(np.repeat(we.to_datetime64(), len(sel)))
            parts.setdefault("hit_segments", []).append(np.repeat(len(key), len(sel)))
        if not parts:
            raise InputError(f"no ACLED week between {since} and {until}")
        out = pd.DataFrame({k: np.concatenate(v) for k, v in parts.items()})
        out.insert(0, "town", self.towns["name"].to_numpy()[out["town_idx"].to_numpy()])
        cols = [
            "town",
            "week_start",
            "week_end",
            "routes",
            "routes_hit",
            "routes_cut",
            "share_routes_hit",
            "capital_detour",
            "max_finite_detour",
            "isolation_index",
            "level",
            "hit_segments",
            "town_idx",
        ]
        return out[cols]

    def _idx(self, town) -> int:
        """A town given by row index (int) or name."""
        if isinstance(town, (int, np.integer)):
            if town not in self.towns.index:
                raise TownLookupError(f"no town with index {town}")
            return int(town)
        return resolve_town(str(town), self.towns)

    # -------------------------------------------------------------- geometry
    def routes_geo(self, town: str | None = None, hit: Iterable[int] = ()):
        """Routes (base geometry, EPSG:4326) with their status under ``hit``; one town or all."""
        import geopandas as gpd
        import shapely

        rs = self.route_status(hit)
        if town is not None:
            rs = rs[rs["town_idx"] == self._idx(town)]
        geoms = self.network.segments.geometry.values
        base = self.routes.loc[rs.index, "segments"]
        g = [shapely.line_merge(shapely.union_all(geoms[list(s)])) if len(s) else None for s in base]
        out = rs.drop(columns=["route_segments"]).copy()
        out["hit_segments"] = out["hit_segments"].map(lambda s: ",".join(map(str, s)))
        out["base_km"] = out["base_m"] / 1000
        out["new_km"] = (out["new_m"] / 1000).where(np.isfinite(out["new_m"]))  # NaN: cut
        out["detour"] = out["detour"].where(np.isfinite(out["detour"]))
        out = out.drop(columns=["base_m", "new_m"])
        return gpd.GeoDataFrame(out, geometry=g, crs=self.network.crs).to_crs("EPSG:4326")


def disruption(
    detour: np.ndarray, hit: np.ndarray, cap: float = DETOUR_CAP, floor: float = HIT_FLOOR
) -> np.ndarray:
    """0 for a route not hit; floor + (1 − floor)·min(1, (f − 1)/(cap − 1)) for a hit route (f = ∞ → 1)."""
    f = np.asarray(detour, dtype=float)
    with np.errstate(invalid="ignore"):
        x = np.where(np.isfinite(f), np.clip((f - 1) / (cap - 1), 0, 1), 1.0)
    return np.where(np.asarray(hit, bool), floor + (1 - floor) * x, 0.0)


def level_of(index, routes=None, routes_cut=None) -> np.ndarray:
    """open (< 0.1), disrupted, cut off (≥ 0.6 or every route cut); None for a town without routes."""
    i = np.asarray(index, dtype=float)
    lv = np.where(i >= LEVEL_CUT_OFF, "cut off", np.where(i >= LEVEL_DISRUPTED, "disrupted", "open")).astype(
        object
    )
    if routes is not None and routes_cut is not None:
        r, c = np.asarray(routes), np.asarray(routes_cut)
        lv[(r > 0) & (c == r)] = "cut off"
    lv[~np.isfinite(i)] = None
    return lv


def acled_weeks(since, until) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """(Saturday, Friday) of every ACLED week overlapping [since, until]."""
    s, u = pd.Timestamp(since).normalize(), pd.Timestamp(until).normalize()
    start = s - pd.Timedelta(days=(s.weekday() - 5) % 7)
    out = []
    while start <= u:
        out.append((start, start + pd.Timedelta(days=6)))
        start += pd.Timedelta(days=7)
    return out


def _incidents(events: pd.DataFrame) -> pd.DataFrame:
    if "seg_id" not in events.columns:
        raise InputError("events are not linked to roads yet: call snap_events(events, network) first")
    e = events[events["seg_id"].notna()]
    e = e[incident_mask(e)].copy()
    e["event_date"] = pd.to_datetime(e["event_date"]).dt.normalize()
    e["seg_id"] = e["seg_id"].astype("int64")
    return e


# ------------------------------------------------------------------------------------ road danger


def _months(since: pd.Timestamp, until: pd.Timestamp) -> float:
    return max((until - since).days + 1, 1) / (365.25 / 12)


def segment_danger(
    network: RoadNetwork, events: pd.DataFrame, since=None, until=None, *, min_km: float = 10.0
):
    """The danger layer: one row per segment (EPSG:4326) with incidents, rates and last incident date.

    ``incidents_per_km`` and ``per_100km_month`` divide by max(length, ``min_km``) so that a 300 m
    piece with one event does not top the ranking; ``rank`` orders by incidents per km, then count.
    """
    import geopandas as gpd

    e = _incidents(events)
    since = (
        pd.Timestamp(since)
        if since is not None
        else (e["event_date"].min() if len(e) else pd.Timestamp.today())
    )
    until = (
        pd.Timestamp(until)
        if until is not None
        else (e["event_date"].max() if len(e) else pd.Timestamp.today())
    )
    e = e[(e["event_date"] >= since.normalize()) & (e["event_date"] <= until.normalize())]
    s = network.segments
    g = e.groupby("seg_id")
    fat = (
        pd.to_numeric(e.get("fatalities", 0), errors="coerce").fillna(0) if len(e) else pd.Series(dtype=float)
    )
    agg = pd.DataFrame(
        {
            "incidents": g.size(),
            "road_related": g["road_related"].sum() if "road_related" in e.columns else 0,
            "fatalities": fat.groupby(e["seg_id"]).sum() if len(e) else 0,
            "first_incident": g["event_date"].min(),
            "last_incident": g["event_date"].max(),
        }
    )
    out = s[["seg_id", "ref", "name", "from_name", "to_name", "cls", "component"]].copy()
    out["length_km"] = s["length_m"] / 1000
    out = out.join(agg, on="seg_id")
    for c in ("incidents", "road_related", "fatalities"):
        out[c] = out[c].fillna(0).astype(int)
    eff = np.maximum(out["length_km"], min_km)
    months = _months(since, until)
    out["incidents_per_km"] = out["incidents"] / eff
    out["per_100km_month"] = out["incidents"] / (eff / 100) / months
    order = out.sort_values(["incidents_per_km", "incidents"], ascending=False, kind="stable").index
    out["rank"] = pd.Series(np.arange(1, len(out) + 1, dtype=float), index=order)
    out.loc[out["incidents"] == 0, "rank"] = np.nan
    out["stretch"] = [_stretch_label(r) for r in out.itertuples()]
    gdf = gpd.GeoDataFrame(out, geometry=s.geometry.values, crs=s.crs).to_crs("EPSG:4326")
    gdf.attrs.update(since=str(since.date()), until=str(until.date()), months=months, min_km=min_km)
    return gdf


def _stretch_label(r) -> str:
    ref = r.ref or ""
    if r.from_name and r.to_name:
        return f"{ref} {r.from_name} – {r.to_name}".strip()
    return (f"{ref} {r.name}" if r.name and r.name != ref else ref or f"segment {r.seg_id}").strip()


def dangerous_stretches(danger, n: int = 10, min_incidents: int = 2) -> pd.DataFrame:
    """The ``n`` segments with most incidents per km (at least ``min_incidents``)."""
    d = danger[danger["incidents"] >= min_incidents].sort_values(
        ["incidents_per_km", "incidents"], ascending=False
    )
    cols = [
        "rank",
        "stretch",
        "ref",
        "length_km",
        "incidents",
        "road_related",
        "fatalities",
        "incidents_per_km",
        "per_100km_month",
        "first_incident",
        "last_incident",
        "seg_id",
    ]
    out = pd.DataFrame(d[cols].head(n)).reset_index(drop=True)
    for c in ("first_incident", "last_incident"):
        out[c] = pd.to_datetime(out[c]).dt.strftime("%Y-%m-%d")
    return out


def road_rates(network: RoadNetwork, events: pd.DataFrame, since=None, until=None) -> pd.DataFrame:
    """Incidents per 100 km per month for each road (ref, else name): columns road, month, incidents,
    length_km, per_100km (months without incidents included, with 0)."""
    e = _incidents(events)
    s = network.segments
    road = s["ref"].fillna(s["name"]).fillna("(unnamed)")
    length = (s["length_m"] / 1000).groupby(road).sum()
    if (since is None or until is None) and not len(e):
        raise InputError("no incident is linked to a road: give since= and until= or widen the selection")
    since = pd.Timestamp(since) if since is not None else e["event_date"].min()
    until = pd.Timestamp(until) if until is not None else e["event_date"].max()
    e = e[(e["event_date"] >= since) & (e["event_date"] <= until)]
    months = pd.period_range(since, until, freq="M")
    e = e.assign(road=road.to_numpy()[e["seg_id"].to_numpy()], month=e["event_date"].dt.to_period("M"))
    c = e.groupby(["road", "month"]).size()
    idx = pd.MultiIndex.from_product([length.index, months], names=["road", "month"])
    out = c.reindex(idx, fill_value=0).rename("incidents").reset_index()
    out["length_km"] = out["road"].map(length)
    out["per_100km"] = out["incidents"] / (out["length_km"] / 100)
    out["month"] = out["month"].astype(str)
    return out


def road_summary(rates: pd.DataFrame) -> pd.DataFrame:
    """Per road over the whole period: incidents, length_km, mean incidents per 100 km per month."""
    g = rates.groupby("road")
    out = pd.DataFrame(
        {"incidents": g["incidents"].sum(), "length_km": g["length_km"].first(), "months": g.size()}
    )
    out["per_100km_month"] = out["incidents"] / (out["length_km"] / 100) / out["months"]
    return out.sort_values("per_100km_month", ascending=False).reset_index()


# Maps of the access layer are drawn by sahelwatch.figures (kind 'access').


__all__ = [
    "AccessModel",
    "TownLookupError",
    "RoadTargets",
    "load_road_targets",
    "match_road_words",
    "mark_road_related",
    "geocode_events",
    "snap_events",
    "incident_mask",
    "towns_from_gazetteer",
    "resolve_town",
    "add_towns",
    "disruption",
    "level_of",
    "acled_weeks",
    "segment_danger",
    "dangerous_stretches",
    "road_rates",
    "road_summary",
    "danger_layer",
    "INCIDENT_EVENT_TYPES",
]


def danger_layer(danger: pd.DataFrame, model, status: pd.DataFrame, picked: list[int], hit):
    """One GeoDataFrame: the road segments (layer=segment), the towns (layer=town) and the routes of the towns
    asked for (layer=route), for a GeoJSON/GPKG danger layer."""
    import geopandas as gpd  # geopandas costs ~1 s to import: only the spatial output needs it

    seg = danger.copy()
    seg["layer"] = "segment"
    for c in ("first_incident", "last_incident"):
        seg[c] = seg[c].dt.strftime("%Y-%m-%d")
    t = model.towns.join(status[["isolation_index", "level", "routes", "routes_hit", "routes_cut"]])
    tg = gpd.GeoDataFrame(
        t[["name", "population", "isolation_index", "level", "routes", "routes_hit", "routes_cut"]].rename(
            columns={"name": "town"}
        ),
        geometry=gpd.points_from_xy(t["lon"], t["lat"]),
        crs="EPSG:4326",
    )
    tg["layer"] = "town"
    parts = [seg, tg]
    for i in picked:
        rg = model.routes_geo(i, hit)
        rg = rg.drop(columns=["town_idx", "dest_idx"])
        rg["layer"] = "route"
        parts.append(rg)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
