"""The gazetteer: places, admin divisions and countries of the Sahel, from GeoNames.

The shipped data (``data/gazetteer/``) is derived from GeoNames dumps by
``scripts/build_gazetteer.py`` (see docs/gazetteer.md); this module loads it and answers:

* ``lookup(name)``      places by name (accents, case, hyphens, apostrophes and alternate names ignored)
* ``admin_names(...)``  the ACLED-style (admin1, admin2, admin3) of a point or a place
* ``towns(country)``    populated places above a population
* ``admin_centroid``    the point ACLED codes for an admin unit (its seat, else its centre)
* ``geocode(...)``      coordinates for an ACLED-style row that has names but no coordinates

    from sahelwatch.gazetteer import Gazetteer
    gz = Gazetteer.load()
    gz.lookup("Djibo", country="BF")[0]
    gz.geocode("Burkina Faso", admin1="Sahel", admin2="Soum", admin3="Djibo", location="Djibo")

Admin names follow ACLED's spellings (OCHA common operational datasets, accents dropped:
"Mopti"/"Koro", "Boucle du Mouhoun"/"Nayala"). ``admin_key`` folds the variants GeoNames and
reports use ("Région de Mopti", "Cercle de Koro", "Province du Soum", "Gourma Rharous").
"""

from __future__ import annotations

import csv
import gc
import gzip
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np

from .model import Place

# --------------------------------------------------------------------------- normalisation

_APOS = "'’`´ʼ‘"
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case, accents removed, apostrophes dropped, other punctuation to single spaces.

    >>> fold("Ségou-Région  d’Ansongo")
    'segou region dansongo'
    """
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("œ", "oe").replace("ł", "l")
    s = s.lower()
    for a in _APOS:
        s = s.replace(a, "")
    return " ".join(_TOKEN_RE.findall(s))


def name_key(text: str) -> str:
    """The lookup key of a name: folded, with spaces removed ("Gourma-Rharous" == "Gourma Rharous")."""
    return fold(text).replace(" ", "")


def tokens(text: str) -> list[str]:
    return fold(text).split()


_ADMIN_PREFIXES = [
    # longest first; folded forms
    "region administrative de",
    "region administrative du",
    "region administrative des",
    "region de la",
    "region de",
    "region du",
    "region des",
    "region d",
    "cercle de",
    "cercle du",
    "cercle des",
    "cercle d",
    "province de la",
    "province de",
    "province du",
    "province des",
    "province d",
    "departement de",
    "departement du",
    "departement des",
    "departement d",
    "prefecture de",
    "prefecture du",
    "prefecture d",
    "sous prefecture de",
    "sous prefecture d",
    "commune urbaine de",
    "commune rurale de",
    "commune de",
    "commune du",
    "commune d",
    "district autonome de",
    "district autonome d",
    "district de",
    "district du",
    "district d",
    "arrondissement de",
    "arrondissement d",
    "wilaya de",
    "wilaya du",
    "wilaya d",
    "moughataa de",
    "moughataa d",
    "region",
    "cercle",
    "province",
    "departement",
    "department",
    "prefecture",
    "commune",
    "district",
]
_ADMIN_SUFFIXES = [
    "administrative region",
    "region",
    "cercle",
    "province",
    "department",
    "departement",
    "prefecture",
    "sub prefecture",
    "commune",
    "district",
    "circle",
    "wilaya",
    "moughataa",
    "governorate",
]


@lru_cache(maxsize=50_000)
def admin_key(name: str) -> str:
    """Key for admin-unit names: folded, unit words removed ("Région de Mopti" -> "mopti").

    >>> admin_key("Cercle d'Ansongo") == admin_key("Ansongo") == admin_key("Ansongo Cercle")
    True
    """
    f = name
    for a in _APOS:
        f = f.replace(a, " ")
    f = fold(f)
    changed = True
    while changed:
        changed = False
        for p in _ADMIN_PREFIXES:
            if f.startswith(p + " ") and len(f) > len(p) + 1:
                f = f[len(p) + 1 :]
                changed = True
                break
        for s in _ADMIN_SUFFIXES:
            if f.endswith(" " + s) and len(f) > len(s) + 1:
                f = f[: -len(s) - 1]
                changed = True
                break
    return f.replace(" ", "")


_LOOSE_RULES = (
    ("dj", "j"),
    ("ou", "u"),
    ("y", "i"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("sh", "ch"),
    ("w", "u"),
    ("q", "k"),
    ("c", "k"),
    ("z", "s"),
)


@lru_cache(maxsize=100_000)
def loose_key(text: str) -> str:
    """A spelling-tolerant key for transliterated names: 'Boulikessi' ~ 'Boulkessi' is left to the
    fuzzy step, but 'Diabaly'/'Diabali', 'Djibo'/'Jibo', 'Toumbouctou'/'Tumbuktu' share this key."""
    k = name_key(text)
    for a, b in _LOOSE_RULES:
        k = k.replace(a, b)
    k = re.sub(r"(.)\1+", r"\1", k)  # doubled letters
    k = re.sub(r"h(?![aeiou])|(?<=[^aeiou])h", "", k)  # silent h
    return k.replace("e", "i") if len(k) > 3 else k


@lru_cache(maxsize=100_000)
def admin_match(a: str | None, b: str | None) -> bool:
    """Whether two admin names denote the same unit, spelling variants allowed
    ("Barsalogho"/"Barsalogo", "Matiacoali"/"Matiakoali", "Arbinda"/"Aribinda")."""
    if not a or not b:
        return False
    ka, kb = admin_key(a), admin_key(b)
    if ka == kb or loose_key(ka) == loose_key(kb):
        return True
    import difflib

    return len(ka) >= 4 and difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.85


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points (scalar, no numpy overhead)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 6371.0088 * 2 * math.asin(math.sqrt(min(1.0, a)))


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (numpy-friendly)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 6371.0088 * 2 * np.arcsin(np.sqrt(np.minimum(1.0, a)))


# --------------------------------------------------------------------------- data shapes

#: Columns of places.tsv.gz (the build script writes them in this order).
PLACE_COLUMNS = (
    "geonameid",
    "name",
    "latitude",
    "longitude",
    "country_code",
    "feature_class",
    "feature_code",
    "population",
    "admin1",
    "admin2",
    "admin3",
    "admin1_code",
    "names",
    "keys",
)
#: Columns of admins.tsv.
ADMIN_COLUMNS = (
    "country_code",
    "level",
    "name",
    "admin1",
    "admin2",
    "pcode",
    "latitude",
    "longitude",
    "seat_geonameid",
    "centre_latitude",
    "centre_longitude",
    "gn_codes",
    "aliases",
)


@dataclass(slots=True)
class AdminUnit:
    country_code: str
    level: int  # 1, 2 or 3
    name: str  # ACLED-style spelling
    admin1: str | None  # parent names (admin1 for level 2/3, admin2 for level 3)
    admin2: str | None
    pcode: str | None
    latitude: float  # the point ACLED codes: the seat town when known, else the centre
    longitude: float
    seat_geonameid: int | None
    centre_latitude: float | None
    centre_longitude: float | None
    gn_codes: list[str] = field(default_factory=list)  # GeoNames admin codes that map to this unit
    aliases: list[str] = field(default_factory=list)

    @property
    def names(self) -> tuple[str | None, str | None, str | None]:
        if self.level == 1:
            return (self.name, None, None)
        if self.level == 2:
            return (self.admin1, self.name, None)
        return (self.admin1, self.admin2, self.name)


@dataclass(slots=True)
class Country:
    name: str
    iso2: str
    iso3: str
    numeric: int
    region: str  # ACLED region, e.g. "Western Africa"
    capital: str | None
    latitude: float  # capital (ACLED codes a country-level event at the capital)
    longitude: float
    aliases: list[str] = field(default_factory=list)
    in_gazetteer: bool = False  # whether the places of this country are in the gazetteer


@dataclass(slots=True)
class GeocodeResult:
    latitude: float
    longitude: float
    geo_precision: int  # ACLED: 1 the place itself, 2 near / small part of a region, 3 a large region
    matched_level: str  # "location", "admin3", "admin2", "admin1", "country"
    place: Place | None = None  # the gazetteer place (for location/admin seats), else None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    candidates: int = 0  # gazetteer candidates with the location's name before filtering by admin


# --------------------------------------------------------------------------- the gazetteer


def _data_dir() -> Path:
    return Path(str(resources.files("sahelwatch.data").joinpath("gazetteer")))


def _read_tsv(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _f(x: str) -> float | None:
    return float(x) if x not in ("", None) else None


class Gazetteer:
    """Places, admin units and countries with name and spatial indexes. Use ``Gazetteer.load()``."""

    def __init__(
        self,
        places: Sequence[Place],
        admins: Sequence[AdminUnit],
        countries: Sequence[Country],
        admin1_codes: Sequence[str] | None = None,
        polygons: dict | None = None,
        country_shapes: dict | None = None,
        keys: Sequence[Sequence[str]] | None = None,
    ):
        self.places: list[Place] = list(places)
        self.admins: list[AdminUnit] = list(admins)
        self.countries: list[Country] = list(countries)
        self._admin1_codes = list(admin1_codes) if admin1_codes is not None else [""] * len(self.places)
        self._polygons = polygons if polygons is not None else {}  # cc -> (STRtree, geoms, names)
        self._country_shapes = country_shapes if country_shapes is not None else {}  # iso2 -> shape
        gc_was = gc.isenabled()
        gc.disable()
        try:
            self._build_indexes(keys)
        finally:
            if gc_was:
                gc.enable()

    # ---------------------------------------------------------------- construction
    @classmethod
    def load(cls, path: str | Path | None = None) -> "Gazetteer":
        """The shipped gazetteer (cached: later calls are free). ``path`` loads another build."""
        if path is None:
            return _default()
        return _from_dir_cached(str(Path(path).expanduser().resolve()))

    @classmethod
    def from_dir(cls, path: Path) -> "Gazetteer":
        path = Path(path)
        places, codes, keys = [], [], []
        place_file = path / "places.tsv.gz"
        if not place_file.exists():
            place_file = path / "places.tsv"
        if not place_file.exists():
            raise FileNotFoundError(
                f"{place_file}: no gazetteer here; build one with "
                "`python scripts/build_gazetteer.py --geonames DIR --out DIR`"
            )
        opener = gzip.open if place_file.suffix == ".gz" else open
        gc_was = gc.isenabled()
        gc.disable()  # ~80k small objects: the cyclic GC would triple the load time
        try:
            with opener(place_file, "rt", encoding="utf-8", newline="") as fh:
                header = fh.readline().rstrip("\n").split("\t")
                col = {c: i for i, c in enumerate(header)}
                ix = [
                    col[c]
                    for c in (
                        "name",
                        "latitude",
                        "longitude",
                        "country_code",
                        "geonameid",
                        "feature_class",
                        "feature_code",
                        "admin1",
                        "admin2",
                        "admin3",
                        "population",
                        "names",
                    )
                ]
                i_code, i_keys = col.get("admin1_code"), col.get("keys")
                for line in fh:
                    r = line.rstrip("\n").split("\t")
                    (name, lat, lon, cc, gid, fcl, fco, a1, a2, a3, pop, names) = (r[i] for i in ix)
                    places.append(
                        Place(
                            name,
                            float(lat),
                            float(lon),
                            cc,
                            int(gid) if gid else None,
                            fcl or None,
                            fco or None,
                            a1 or None,
                            a2 or None,
                            a3 or None,
                            int(pop or 0),
                            names.split("|") if names else [],
                        )
                    )
                    codes.append(r[i_code] if i_code is not None else "")
                    keys.append(r[i_keys].split("|") if i_keys is not None and r[i_keys] else None)
        finally:
            if gc_was:
                gc.enable()
        admins = []
        if (path / "admins.tsv").exists():
            for r in _read_tsv(path / "admins.tsv"):
                admins.append(
                    AdminUnit(
                        country_code=r["country_code"],
                        level=int(r["level"]),
                        name=r["name"],
                        admin1=r["admin1"] or None,
                        admin2=r["admin2"] or None,
                        pcode=r["pcode"] or None,
                        latitude=float(r["latitude"]),
                        longitude=float(r["longitude"]),
                        seat_geonameid=int(r["seat_geonameid"]) if r["seat_geonameid"] else None,
                        centre_latitude=_f(r["centre_latitude"]),
                        centre_longitude=_f(r["centre_longitude"]),
                        gn_codes=[c for c in r["gn_codes"].split("|") if c],
                        aliases=[a for a in r["aliases"].split("|") if a],
                    )
                )
        countries = []
        if (path / "countries.tsv").exists():
            for r in _read_tsv(path / "countries.tsv"):
                countries.append(
                    Country(
                        name=r["name"],
                        iso2=r["iso2"],
                        iso3=r["iso3"],
                        numeric=int(r["numeric"]),
                        region=r["region"],
                        capital=r["capital"] or None,
                        latitude=float(r["latitude"]),
                        longitude=float(r["longitude"]),
                        aliases=[a for a in r["aliases"].split("|") if a],
                        in_gazetteer=r.get("in_gazetteer", "0") == "1",
                    )
                )
        polygons = _Lazy(_load_polygons, path / "admin_polygons.parquet")
        shapes = _Lazy(_load_country_shapes, path / "countries.parquet")
        return cls(places, admins, countries, codes, polygons, shapes, keys)

    def extended(
        self,
        places: Sequence[Place] = (),
        replaced: Mapping[int, Place] | None = None,
        keys: Mapping[int, Sequence[str]] | None = None,
        prior: Mapping[int, float] | None = None,
        area_prior: Mapping[tuple[str, str, str], float] | None = None,
    ) -> "Gazetteer":
        """A copy with ``places`` appended (indexes ``len(self.places)`` on), some records ``replaced`` (by
        index), extra lookup ``keys`` for records (by index) and a resolution ``prior`` (index -> score
        added when the record is a candidate) plus an ``area_prior`` ((country code, admin_key(admin1),
        admin_key(admin2)) -> score for every record of that unit). Admin units, countries and outlines are shared; this
        gazetteer is unchanged. Used for the places learned from a user's export (``extract.coded_places``)."""
        g = object.__new__(Gazetteer)
        g.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("_pools", "_prefixes")})
        g.places = list(self.places) + list(places)
        for i, p in (replaced or {}).items():
            g.places[i] = p
        g._admin1_codes = list(self._admin1_codes) + [""] * len(places)
        by_key = dict(self._by_key)
        n0 = len(self.places)
        todo = {i: list(ks) for i, ks in (keys or {}).items()}
        for i, p in enumerate(places, start=n0):
            todo.setdefault(i, [])
            todo[i] = place_keys(p) + todo[i]
        for i, ks in todo.items():
            for k in dict.fromkeys(ks):
                if not k:
                    continue
                lst = by_key.get(k)
                if lst is None:
                    by_key[k] = [i]
                elif i not in lst:
                    by_key[k] = lst + [i]
        g._by_key = by_key
        g._tree_ = None
        g._prior = {id(g.places[i]): float(w) for i, w in (prior or {}).items()}
        g._area_prior = dict(area_prior or {})
        return g

    def coded(self, place: Place) -> bool:
        """Whether the user's own export codes this record (a learned prior of its own, see :meth:`extended`)."""
        return self._prior.get(id(place), 0.0) > 0

    def prior(self, place: Place) -> float:
        """Resolution prior of a record (0 unless learned: see :meth:`extended`)."""
        if not self._prior and not self._area_prior:
            return 0.0
        w = self._prior.get(id(place), 0.0)
        if self._area_prior and place.admin1 and place.admin2:
            w += self._area_prior.get(
                (place.country_code, admin_key(place.admin1), admin_key(place.admin2)), 0.0
            )
        return w

    def _build_indexes(self, keys=None) -> None:
        self._prior: dict[int, float] = {}
        self._area_prior: dict[tuple[str, str, str], float] = {}
        self._by_key: dict[str, list[int]] = {}
        by_key = self._by_key
        for i, p in enumerate(self.places):
            ks = keys[i] if keys is not None and keys[i] is not None else place_keys(p)
            for k in ks:
                lst = by_key.get(k)
                if lst is None:
                    by_key[k] = [i]
                else:
                    lst.append(i)
        self._id_index = {p.geonameid: i for i, p in enumerate(self.places) if p.geonameid is not None}
        self._country_by_key: dict[str, Country] = {}
        for c in self.countries:
            for n in (c.name, c.iso2, c.iso3, *c.aliases):
                self._country_by_key.setdefault(name_key(n), c)
        # admin units by (cc, level, key of own name) and by parent
        self._admin_by: dict[tuple[str, int, str], list[AdminUnit]] = {}
        for u in self.admins:
            for n in (u.name, *u.aliases):
                self._admin_by.setdefault((u.country_code, u.level, admin_key(n)), [])
                if u not in self._admin_by[(u.country_code, u.level, admin_key(n))]:
                    self._admin_by[(u.country_code, u.level, admin_key(n))].append(u)
        self._gn_admin1: dict[tuple[str, str], AdminUnit] = {}
        for u in self.admins:
            if u.level == 1:
                for c in u.gn_codes:
                    self._gn_admin1[(u.country_code, c)] = u
        self._tree_ = None
        self._admin2_by_parent: dict[tuple[str, str], list[AdminUnit]] = {}
        for u in self.admins:
            if u.level == 2 and u.admin1:
                self._admin2_by_parent.setdefault((u.country_code, u.admin1), []).append(u)

    @property
    def _tree(self):
        """k-d tree over all places as 3-D unit vectors (nearest = great-circle nearest); built on first use."""
        if self._tree_ is None and self.places:
            from scipy.spatial import cKDTree

            self._tree_ = cKDTree(
                _xyz(
                    np.array([p.latitude for p in self.places], dtype=float),
                    np.array([p.longitude for p in self.places], dtype=float),
                )
            )
        return self._tree_

    # ---------------------------------------------------------------- countries
    def country(self, name_or_code: str | None) -> Country | None:
        """A country by name, alias, ISO alpha-2 or alpha-3 ("Mali", "MLI", "ML", "Côte d'Ivoire")."""
        if not name_or_code:
            return None
        return self._country_by_key.get(name_key(name_or_code))

    def country_code(self, name_or_code: str | None) -> str | None:
        c = self.country(name_or_code)
        return c.iso2 if c else None

    def country_at(self, lat: float, lon: float) -> str | None:
        """ISO alpha-2 of the country containing the point (Natural Earth outlines), else the nearest place's."""
        if self._country_shapes:
            from shapely import Point

            pt = Point(lon, lat)
            for cc, geom in self._country_shapes.items():
                if geom.contains(pt):
                    return cc
            best = min(self._country_shapes.items(), key=lambda kv: kv[1].distance(pt))
            # just off an outline (coast, simplified border): the nearest country; far away: none
            return best[0] if best[1].distance(pt) < 0.1 else None
        idx = self._nearest(lat, lon, 1)
        if not len(idx):
            return None
        p = self.places[idx[0]]
        return p.country_code if distance_km(lat, lon, p.latitude, p.longitude) < 50 else None

    # ---------------------------------------------------------------- lookup
    def lookup(
        self,
        name: str,
        country: str | None = None,
        feature_classes: Iterable[str] | str | None = None,
        admin1: str | None = None,
        admin2: str | None = None,
    ) -> list[Place]:
        """Places whose name or an alternate name is ``name`` (folded), best first.

        ``country`` is a name or ISO code; ``feature_classes`` GeoNames classes ("P", "A", "H", "T", "S",
        "L", "V"); ``admin1``/``admin2`` keep only places in those units. Ranking: admin seats and larger
        populations first, then populated places before other features.
        """
        idx = self._by_key.get(name_key(name), [])
        if not idx:
            return []
        cc = self.country_code(country) if country else None
        if country and cc is None:
            cc = country.upper() if len(country) == 2 else None
        fcs = set(feature_classes) if feature_classes else None
        a1 = admin_key(admin1) if admin1 else None
        a2 = admin_key(admin2) if admin2 else None
        out = []
        for i in idx:
            p = self.places[i]
            if cc and p.country_code != cc:
                continue
            if fcs and p.feature_class not in fcs:
                continue
            if a1 and (p.admin1 is None or admin_key(p.admin1) != a1):
                continue
            if a2 and (p.admin2 is None or admin_key(p.admin2) != a2):
                continue
            out.append(p)
        out.sort(key=_rank_key)
        return out

    def get(self, geonameid: int) -> Place | None:
        i = self._id_index.get(geonameid)
        return self.places[i] if i is not None else None

    def has_name(self, name: str) -> bool:
        return name_key(name) in self._by_key

    def towns(self, country: str, min_population: int = 0, admin1: str | None = None) -> list[Place]:
        """Populated places (class P) of a country with at least ``min_population``, largest first."""
        cc = self.country_code(country) or country
        a1 = admin_key(admin1) if admin1 else None
        out = [
            p
            for p in self.places
            if p.country_code == cc
            and p.feature_class == "P"
            and p.population >= min_population
            and (a1 is None or (p.admin1 and admin_key(p.admin1) == a1))
        ]
        out.sort(key=lambda p: (-p.population, p.name))
        return out

    # ---------------------------------------------------------------- admin units
    def admin_unit(
        self, country: str, admin1: str | None = None, admin2: str | None = None, admin3: str | None = None
    ) -> AdminUnit | None:
        """The deepest admin unit named, checked against its parents when several share a name."""
        cc = self.country_code(country) or country
        level, name = (
            (3, admin3) if admin3 else (2, admin2) if admin2 else (1, admin1) if admin1 else (0, None)
        )
        if not name:
            return None
        cands = self._admin_by.get((cc, level, admin_key(name)), [])
        if admin1 and level > 1:
            k1 = admin_key(admin1)
            c2 = [u for u in cands if u.admin1 and admin_key(u.admin1) == k1]
            cands = c2 or cands
        if admin2 and level > 2:
            k2 = admin_key(admin2)
            c2 = [u for u in cands if u.admin2 and admin_key(u.admin2) == k2]
            cands = c2 or cands
        if not cands and level >= 2:
            # spelling variants, within the named parent only
            parent = admin2 if level == 3 else admin1
            cands = [
                u
                for u in self.admins
                if u.country_code == cc
                and u.level == level
                and (parent is None or admin_match(u.admin2 if level == 3 else u.admin1, parent))
                and any(admin_match(n, name) for n in (u.name, *u.aliases))
            ]
        return cands[0] if cands else None

    def admin_centroid(
        self, country: str, admin1: str | None = None, admin2: str | None = None, admin3: str | None = None
    ) -> tuple[float, float] | None:
        """(lat, lon) ACLED would code for the unit: its seat (capital) when known, else its centre."""
        u = self.admin_unit(country, admin1, admin2, admin3)
        if u is not None:
            return (u.latitude, u.longitude)
        # a unit missing from the table (e.g. a GeoNames-less admin3): the seat town of the same name
        name = admin3 or admin2
        if name:
            cands = self.lookup(name, country=country, feature_classes="P", admin1=admin1)
            if cands:
                return (cands[0].latitude, cands[0].longitude)
        return None

    def admin_names(
        self, lat: float | Place, lon: float | None = None, country: str | None = None
    ) -> tuple[str | None, str | None, str | None]:
        """ACLED-style (admin1, admin2, admin3) of a point or a Place.

        Burkina Faso: point in the shipped department polygons (exact). Elsewhere admin1 is the majority
        GeoNames admin1 of the 7 nearest places of the country, admin2 the nearest admin2 seat/centre within
        that admin1 (a Voronoi approximation: see docs/gazetteer.md for its measured agreement); admin3 is
        given only where GeoNames or the polygons know it.
        """
        if isinstance(lat, Place):
            p = lat
            if p.admin1 or p.admin2:
                return (p.admin1, p.admin2, p.admin3)
            lat, lon, country = p.latitude, p.longitude, p.country_code
        assert lon is not None
        cc = (self.country_code(country) if country else None) or self.country_at(lat, lon)
        if cc is None:
            return (None, None, None)
        return self._assign(cc, float(lat), float(lon))

    def _assign(self, cc: str, lat: float, lon: float, admin1_code: str | None = None):
        if cc in self._polygons:
            got = _polygon_lookup(self._polygons[cc], lat, lon)
            if got is not None:
                return got
        a1unit = None
        if admin1_code and admin1_code != "00":
            a1unit = self._gn_admin1.get((cc, admin1_code))
        if a1unit is None:
            idx = self._nearest(lat, lon, 12)
            votes: dict[str, float] = {}
            for rank, i in enumerate(idx):
                if self.places[i].country_code != cc:
                    continue
                code = self._admin1_codes[i]
                if code and code != "00":
                    votes[code] = votes.get(code, 0.0) + 1.0 / (1 + rank)
            if votes:
                a1unit = self._gn_admin1.get((cc, max(votes, key=votes.get)))
        if a1unit is None:
            return (None, None, None)
        units = list(self._admin2_by_parent.get((cc, a1unit.name), []))
        for other in _COUPLED_ADMIN1.get((cc, a1unit.name), ()):
            units += self._admin2_by_parent.get((cc, other), [])
        if not units:
            return (a1unit.name, None, None)
        best = min(units, key=lambda u: _admin2_distance(u, lat, lon))
        return (best.admin1, best.name, None)

    def _nearest(self, lat: float, lon: float, k: int) -> np.ndarray:
        if self._tree is None:
            return np.zeros(0, dtype=int)
        k = min(k, len(self.places))
        _, idx = self._tree.query(_xyz(np.array([lat]), np.array([lon]))[0], k=k)
        return np.atleast_1d(idx)

    def nearest_places(
        self, lat: float, lon: float, k: int = 1, feature_classes: str | None = "P"
    ) -> list[Place]:
        idx = self._nearest(lat, lon, max(k * 8, 16))
        out = [
            self.places[i]
            for i in idx
            if feature_classes is None or self.places[i].feature_class in feature_classes
        ]
        return out[:k]

    def lookup_fuzzy(
        self,
        name: str,
        country: str,
        admin1: str | None = None,
        near: tuple[float, float] | None = None,
        max_km: float = 200.0,
        cutoff: float = 0.82,
        quick: bool = False,
    ) -> list[tuple[Place, float]]:
        """Places of ``country`` (and ``admin1``) whose name is spelled like ``name``: (place, similarity).

        A loose key (transliteration variants: ou/u, y/i, dj/j, doubled letters) is tried first, then
        difflib similarity >= ``cutoff`` on folded names; ``near`` keeps candidates within ``max_km``.
        """
        import difflib

        cc = self.country_code(country) or country
        want, lk = name_key(name), loose_key(name)
        if len(want) < 4:
            return []
        pool, loose = self._fuzzy_pool(cc, admin1)
        out: dict[int, float] = {}
        for i in loose.get(lk, ()):
            out[i] = 0.99
        if not out:
            keys = pool
            if quick:
                # only names sharing the first two letters and of similar length (a cheap pre-filter)
                buckets = self._fuzzy_prefix(cc, admin1, pool)
                span = max(2, len(want) // 4)
                keys = [
                    k
                    for n in range(len(want) - span, len(want) + span + 1)
                    for k in buckets.get((want[:2], n), ())
                ]
            for k in difflib.get_close_matches(want, list(keys), n=8, cutoff=cutoff):
                r = difflib.SequenceMatcher(None, want, k).ratio()
                for i in pool[k]:
                    out[i] = max(out.get(i, 0.0), r)
        if near is not None and out:
            out = {
                i: r
                for i, r in out.items()
                if float(haversine_km(self.places[i].latitude, self.places[i].longitude, near[0], near[1]))
                <= max_km
            }
        ranked = sorted(out.items(), key=lambda t: (-t[1], _rank_key(self.places[t[0]])))
        return [(self.places[i], r) for i, r in ranked]

    def _fuzzy_prefix(self, cc: str, admin1: str | None, pool: dict) -> dict[str, list[str]]:
        cache = self.__dict__.setdefault("_prefixes", {})
        key = (cc, admin_key(admin1) if admin1 else None)
        if key not in cache:
            d: dict[str, list[str]] = {}
            for k in pool:
                d.setdefault((k[:2], len(k)), []).append(k)
            cache[key] = d
        return cache[key]

    def _fuzzy_pool(self, cc: str, admin1: str | None):
        """Names of the places of a country (and admin1, with its coupled admin1s), cached."""
        cache = self.__dict__.setdefault("_pools", {})
        key = (cc, admin_key(admin1) if admin1 else None)
        if key not in cache:
            coupled = None
            if admin1:
                coupled = {admin_key(admin1)} | {admin_key(o) for o in _COUPLED_ADMIN1.get((cc, admin1), ())}
            pool: dict[str, list[int]] = {}
            loose: dict[str, list[int]] = {}
            places = self.places
            for k, idx in self._by_key.items():
                keep = [
                    i
                    for i in idx
                    if places[i].country_code == cc
                    and places[i].feature_class != "A"
                    and (
                        coupled is None
                        or (places[i].admin1 is not None and admin_key(places[i].admin1) in coupled)
                    )
                ]
                if keep:
                    pool[k] = keep
                    loose.setdefault(loose_key(k), []).extend(keep)
            cache[key] = (pool, loose)
        return cache[key]

    # ---------------------------------------------------------------- geocoding rows
    def geocode(
        self,
        country: str,
        admin1: str | None = None,
        admin2: str | None = None,
        admin3: str | None = None,
        location: str | None = None,
        fuzzy: bool = True,
    ) -> GeocodeResult | None:
        """Coordinates for an ACLED-style row with names and no coordinates.

        The named location is looked up among places of the country; the candidate consistent with the
        most admin names (admin3, then admin2, then admin1; nearest to the admin2 seat when several) is
        taken with geo_precision 1. When the location is unknown the deepest known admin unit's seat is
        used: admin3 -> precision 2, admin2 -> 2, admin1 -> 3, country capital -> 3 (ACLED's rules).
        """
        cc = self.country_code(country) or (country if country and len(country) == 2 else None)
        if cc is None:
            return None
        unit2 = self.admin_unit(cc, admin1, admin2) if admin2 else None
        unit1 = self.admin_unit(cc, admin1) if admin1 else None
        if location:
            cands = self.lookup(location, country=cc)
            n = len(cands)
            if not cands and ("/" in location or " - " in location):
                # "Koro/Dinangourou" style: take the first
                first = re.split(r"\s*/\s*| - ", location)[0]
                cands = self.lookup(first, country=cc)
                n = len(cands)
            if cands:
                best = self._pick(cands, cc, admin1, admin2, admin3, unit2 or unit1)
                if best is not None:
                    return GeocodeResult(
                        best.latitude,
                        best.longitude,
                        1,
                        "location",
                        best,
                        admin1 or best.admin1,
                        admin2 or best.admin2,
                        admin3 or best.admin3,
                        n,
                    )
            # spelling variants (Boulkessi/Boulikessi, Diabaly/Diabali) within the named admin area
            if fuzzy and admin1:
                anchor = unit2 or unit1
                near = (anchor.latitude, anchor.longitude) if anchor is not None else None
                fz = self.lookup_fuzzy(location, cc, admin1, near=near, max_km=150.0 if unit2 else 400.0)
                if fz:
                    best = self._pick(
                        [p for p, r in fz if r >= fz[0][1] - 1e-9], cc, admin1, admin2, admin3, anchor
                    )
                    if best is not None:
                        return GeocodeResult(
                            best.latitude,
                            best.longitude,
                            1,
                            "location~",
                            best,
                            admin1 or best.admin1,
                            admin2 or best.admin2,
                            admin3 or best.admin3,
                            n,
                        )
        # fall back to admin units
        if admin3:
            u3 = self.admin_unit(cc, admin1, admin2, admin3)
            if u3 is not None and u3.level == 3:
                return GeocodeResult(
                    u3.latitude,
                    u3.longitude,
                    2,
                    "admin3",
                    self.get(u3.seat_geonameid or -1),
                    u3.admin1,
                    u3.admin2,
                    u3.name,
                )
            # no admin3 table for this country (Mali's communes): the town the commune is named after,
            # if it lies in the named admin2
            seats = self.lookup(admin3, country=cc, feature_classes="P", admin1=admin1, admin2=admin2)
            if seats:
                s = seats[0]
                return GeocodeResult(s.latitude, s.longitude, 2, "admin3", s, admin1, admin2, admin3)
        if unit2 is not None:
            return GeocodeResult(
                unit2.latitude,
                unit2.longitude,
                2,
                "admin2",
                self.get(unit2.seat_geonameid or -1),
                unit2.admin1,
                unit2.name,
                admin3,
            )
        if unit1 is not None:
            return GeocodeResult(
                unit1.latitude,
                unit1.longitude,
                3,
                "admin1",
                self.get(unit1.seat_geonameid or -1),
                unit1.name,
                None,
                None,
            )
        c = self.country(cc)
        if c is not None:
            return GeocodeResult(c.latitude, c.longitude, 3, "country", None)
        return None

    def _consistent(self, pt, cc, admin1, admin2) -> bool:
        if not admin1:
            return True
        a1, a2, _ = self._assign(cc, pt[0], pt[1])
        return a1 is None or admin_key(a1) == admin_key(admin1)

    def _pick(
        self, cands: list[Place], cc: str, admin1, admin2, admin3, unit: AdminUnit | None
    ) -> Place | None:
        k1 = admin_key(admin1) if admin1 else None
        k2 = admin_key(admin2) if admin2 else None
        k3 = admin_key(admin3) if admin3 else None

        def score(p: Place) -> tuple:
            s = 0
            if k1 and p.admin1 and admin_key(p.admin1) == k1:
                s += 4
            if k2 and p.admin2 and admin_match(p.admin2, admin2):
                s += 2
            if k3 and p.admin3 and admin_match(p.admin3, admin3):
                s += 1
            dist = 0.0
            if unit is not None:
                dist = float(haversine_km(p.latitude, p.longitude, unit.latitude, unit.longitude))
            return (-s, _FCLASS_RANK.get(p.feature_class or "", 9), dist, -p.population)

        scored = sorted(cands, key=score)
        best = scored[0]
        if k1:
            # a candidate outside the named admin1 is a homonym elsewhere; accept it only when the
            # admin1 could not be checked (place without admin1) and it lies close to the unit
            if best.admin1 and admin_key(best.admin1) != k1:
                return None
            if (
                best.admin1 is None
                and unit is not None
                and haversine_km(best.latitude, best.longitude, unit.latitude, unit.longitude) > 150
            ):
                return None
        return best


_FCLASS_RANK = {"P": 0, "A": 1, "S": 2, "L": 3, "H": 4, "T": 5, "V": 6}
_SEAT_RANK = {"PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLA3": 3, "PPLA4": 4, "PPL": 5}

#: admin1 units whose admin2 units must be considered together (GeoNames predates the split:
#: Ménaka region was carved out of Gao in 2016; the places of both carry Gao's GeoNames code).
_COUPLED_ADMIN1 = {
    ("ML", "Gao"): ("Menaka",),
    ("ML", "Menaka"): ("Gao",),
    ("ML", "Tombouctou"): ("Taoudenni",),
    ("ML", "Taoudenni"): ("Tombouctou",),
}


def place_keys(p: Place) -> list[str]:
    """The distinct lookup keys of a place (its name, then its alternate names)."""
    out: list[str] = []
    for n in (p.name, *p.alternate_names):
        k = name_key(n)
        if k and k not in out:
            out.append(k)
    return out


class _Lazy(dict):
    """A dict filled by ``loader(path)`` on first access (keeps Gazetteer.load() fast)."""

    def __init__(self, loader, path):
        super().__init__()
        self._loader, self._path, self._done = loader, path, False

    def _fill(self):
        if not self._done:
            self._done = True
            self.update(self._loader(self._path))

    def __contains__(self, k):
        self._fill()
        return super().__contains__(k)

    def __getitem__(self, k):
        self._fill()
        return super().__getitem__(k)

    def __bool__(self):
        self._fill()
        return super().__len__() > 0

    def __len__(self):
        self._fill()
        return super().__len__()

    def items(self):
        self._fill()
        return super().items()


def _rank_key(p: Place):
    return (
        _FCLASS_RANK.get(p.feature_class or "", 9),
        _SEAT_RANK.get(p.feature_code or "", 6),
        -p.population,
    )


def _admin2_distance(u: AdminUnit, lat: float, lon: float) -> float:
    d = distance_km(lat, lon, u.latitude, u.longitude)
    if u.centre_latitude is not None and u.centre_longitude is not None:
        d = min(d, distance_km(lat, lon, u.centre_latitude, u.centre_longitude) * _CENTRE_WEIGHT)
    return d


#: a unit's centre counts a little less than its seat when assigning a point (tuned on GeoNames only
#: geometry; see docs/gazetteer.md).
_CENTRE_WEIGHT = 1.0


def _xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _load_polygons(path: Path) -> dict:
    if not path.exists():
        return {}
    import pyarrow.parquet as pq
    import shapely
    from shapely.strtree import STRtree

    t = pq.read_table(path).to_pydict()
    out: dict[str, tuple] = {}
    by_cc: dict[str, list[int]] = {}
    for i, cc in enumerate(t["country_code"]):
        by_cc.setdefault(cc, []).append(i)
    for cc, rows in by_cc.items():
        geoms = shapely.from_wkb([t["wkb"][i] for i in rows])
        names = [(t["admin1"][i], t["admin2"][i], t["admin3"][i]) for i in rows]
        out[cc] = (STRtree(geoms), geoms, names)
    return out


def _polygon_lookup(entry, lat: float, lon: float, max_deg: float = 0.25):
    from shapely import Point

    tree, geoms, names = entry
    pt = Point(lon, lat)
    hits = tree.query(pt, predicate="intersects")
    if len(hits):
        return names[int(hits[0])]
    i = tree.nearest(pt)
    if i is not None and geoms[int(i)].distance(pt) <= max_deg:
        return names[int(i)]
    return None


def _load_country_shapes(path: Path) -> dict:
    if not path.exists():
        return {}
    import pyarrow.parquet as pq
    import shapely

    t = pq.read_table(path).to_pydict()
    geoms = shapely.from_wkb(t["wkb"])
    for g in geoms:
        shapely.prepare(g)
    return dict(zip(t["iso2"], geoms))


@lru_cache(maxsize=1)
def _default() -> Gazetteer:
    return Gazetteer.from_dir(_data_dir())


@lru_cache(maxsize=4)
def _from_dir_cached(path: str) -> Gazetteer:
    """A gazetteer build other than the shipped one, loaded once per (resolved) folder."""
    return Gazetteer.from_dir(Path(path))


def load() -> Gazetteer:
    """The shipped gazetteer (cached)."""
    return Gazetteer.load()


__all__ = [
    "Gazetteer",
    "GeocodeResult",
    "AdminUnit",
    "Country",
    "fold",
    "name_key",
    "admin_key",
    "admin_match",
    "distance_km",
    "loose_key",
    "haversine_km",
    "load",
    "PLACE_COLUMNS",
    "ADMIN_COLUMNS",
]
