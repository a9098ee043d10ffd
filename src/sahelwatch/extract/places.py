"""Toponym resolution: find the places a text names and put them on the map, ACLED-style.

    from sahelwatch.extract.places import resolve_places, event_location
    ms = resolve_places("On 3 May, JNIM attacked soldiers near Boulkessi (Douentza, Mopti).", country_focus="Mali")
    ms[0].place.name, ms[0].geo_precision, ms[0].relation     # 'Boulkessi'-like place, 2, 'near'

Steps (docs/gazetteer.md has the details and the measured figures):

1. Candidates. The text is cut into word tokens once (a regex, independent of spaCy's tokenizer);
   at each capitalised token the spans of 1-5 tokens are folded (accents, case, hyphens, apostrophes)
   and looked up in the gazetteer's name index, in the named regions (data/regions.yaml) and in the
   countries; the longest hit wins. That is a handful of dict look-ups per token: the cost stays far
   below spaCy's own pipeline.
2. Filters against common words: function words and common capitalised words (data/gazetteer/
   stopnames.txt) are dropped unless a place cue precedes them ("in", "near", "village of"); a word
   written in lower case elsewhere in the document is a word, not a place; a single-token name
   glued to other capitalised words (a person or a unit: "Katiba Macina", "Amadou Koufa") is
   dropped unless cued; tiny hamlets need a cue or a country focus.
3. Disambiguation: names in parentheses as ACLED writes them ("Boulkessi (Douentza, Mopti)"),
   the country focus and the countries and admin names the document mentions, then feature class,
   admin seats and population.
4. Relations and precision (ACLED): "in/at X" -> 1 at X; "near/outside/N km from/north of X" -> 2 at X;
   "between X and Y" -> 2 at X (ACLED codes the first place; Y is reported with relation
   "between-second"); "X region/cercle/province" and admin units -> 2 (admin2/admin3) or 3 (admin1)
   at the seat; named regions and compass phrases ("northern Mali", "the tri-border area") -> 3 at
   the region's point; countries -> 3 at the capital.
5. A name the gazetteer lacks but that carries admin names in parentheses ("Boulkessi (Douentza,
   Mopti)") is matched by spelling variants within that admin area, else placed at the admin2 seat
   with precision 2.

``split_glued("MaliNiger") == ["Mali", "Niger"]`` repairs tokens glued by scraping.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

from ..gazetteer import Country, Gazetteer, admin_key, distance_km, name_key
from ..model import Place

# --------------------------------------------------------------------------- result type


@dataclass(slots=True)
class PlaceMention:
    text: str
    start_char: int
    end_char: int
    place: Place | None  # the gazetteer entry (None for countries, named regions, unknown names)
    geo_precision: int  # ACLED: 1 town, 2 near / small area, 3 large region
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    relation: str = "mention"  # in, near, between, between-second, from, mention, admin
    kind: str = "place"  # place, admin, country, region, unknown
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None  # ACLED country name
    country_code: str | None = None
    score: float = 0.0  # confidence 0-1 (cues, context agreement, ambiguity)
    candidates: int = 0  # gazetteer candidates for the surface form
    name: str | None = None  # canonical name (place, region or country)
    out_of_region: bool = False  # outside the gazetteer's countries (Syria, ...)
    qualified: bool = False  # admin names given with it: "Boni (Douentza, Mopti)", "Kona, Segou"

    @property
    def location(self) -> str | None:
        """The ACLED `location` value: the place name, or the region/country name."""
        return self.name or (self.place.name if self.place else self.text)


# --------------------------------------------------------------------------- word lists

_NEAR_CUES = {
    "near",
    "nearby",
    "outside",
    "around",
    "close",
    "vicinity",
    "outskirts",
    "environs",
    "neighbourhood",
    "neighborhood",
    "pres",
    "proche",
    "proximite",
    "autour",
    "abords",
    "alentours",
    "environ",
    "periphery",
    "surroundings",
    "area",
    "zone",
    "region",
}
_DIRECTION_CUES = {
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "nord",
    "sud",
    "est",
    "ouest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "kilometres",
    "kilometers",
    "km",
    "kms",
    "miles",
}
_IN_CUES = {
    "in",
    "at",
    "of",
    "to",
    "from",
    "into",
    "inside",
    "on",
    "a",
    "au",
    "aux",
    "dans",
    "de",
    "d",
    "du",
    "des",
    "en",
    "sur",
    "vers",
    "towards",
    "toward",
    "through",
    "via",
    "entre",
    "between",
    "and",
    "et",
    "or",
    "ou",
    "village",
    "town",
    "city",
    "commune",
    "hamlet",
    "locality",
    "localite",
    "ville",
    "hameau",
    "market",
    "camp",
    "base",
    "post",
    "checkpoint",
    "cercle",
    "circle",
    "province",
    "department",
    "departement",
    "axis",
    "axe",
    "road",
    "route",
    "near",
    "outside",
    "around",
    "by",
    "par",
    "pres",
}
_UNIT_WORDS = {
    "region": 1,
    "regions": 1,
    "cercle": 2,
    "circle": 2,
    "province": 2,
    "department": 2,
    "departement": 2,
    "district": 2,
    "commune": 3,
    "municipality": 3,
    "prefecture": 2,
}
_DIRECTION_WORDS = {
    "northern": "n",
    "north": "n",
    "southern": "s",
    "south": "s",
    "eastern": "e",
    "east": "e",
    "western": "w",
    "west": "w",
    "central": "c",
    "centre": "c",
    "center": "c",
    "northeastern": "ne",
    "northeast": "ne",
    "north-eastern": "ne",
    "northwestern": "nw",
    "northwest": "nw",
    "southeastern": "se",
    "southeast": "se",
    "southwestern": "sw",
    "southwest": "sw",
    "nord": "n",
    "sud": "s",
    "est": "e",
    "ouest": "w",
    "nord-est": "ne",
    "nord-ouest": "nw",
    "sud-est": "se",
    "sud-ouest": "sw",
}

#: word tokens; apostrophes inside a word are kept so that "N'Guigmi" is one token
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ELISION_RE = re.compile(r"^(?:[lLdDjJsScC]|[qQ][uU])['’](?=[^\W_])")
_POSSESSIVE_RE = re.compile(r"['’][sS]$")


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(name_key(w) for lang in ("en", "fr") for w in _spacy_stop_words(lang)) - {""}


@lru_cache(maxsize=1)
def _stopnames() -> frozenset[str]:
    words = {name_key(w) for lang in ("en", "fr") for w in _spacy_stop_words(lang)}
    text = resources.files("sahelwatch.data").joinpath("gazetteer/stopnames.txt").read_text("utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(name_key(line))
    words.discard("")
    return frozenset(words)


def _spacy_stop_words(lang: str) -> set[str]:
    """spaCy's stop words for a language, read without importing the language package (importing
    spacy.lang.fr compiles its tokenizer exceptions: ~10 s)."""
    import importlib.util

    try:
        import spacy

        path = f"{spacy.__path__[0]}/lang/{lang}/stop_words.py"
        spec = importlib.util.spec_from_file_location(f"_sw_{lang}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)  # type: ignore[union-attr]
        return set(mod.STOP_WORDS)
    except Exception:  # pragma: no cover - spaCy missing or moved: the shipped list still applies
        return set()


@dataclass(slots=True)
class _Region:
    name: str
    latitude: float
    longitude: float
    countries: list[str]
    out_of_region: bool = False
    admin1: str | None = None  # when the area lies mostly in one admin1 unit (regions.yaml)


@lru_cache(maxsize=1)
def _context_cues() -> dict[str, dict[str, set[str]]]:
    """term key -> {country code: admin1 keys} from the `context` section of regions.yaml."""
    import yaml

    data = yaml.safe_load(resources.files("sahelwatch.data").joinpath("regions.yaml").read_text("utf-8"))
    out: dict[str, dict[str, set[str]]] = {}
    for entry in data.get("context") or []:
        for t in entry["terms"]:
            d = out.setdefault(name_key(t), {})
            for cc, names in (entry.get("admin1") or {}).items():
                d.setdefault(cc, set()).update(admin_key(n) for n in names)
    return out


@lru_cache(maxsize=1)
def _admin1_prior() -> dict[str, dict[str, float]]:
    """country code -> {admin1 key: bonus} from the `conflict_prior` section of regions.yaml."""
    import yaml

    data = yaml.safe_load(resources.files("sahelwatch.data").joinpath("regions.yaml").read_text("utf-8"))
    out: dict[str, dict[str, float]] = {}
    for cc, spec in (data.get("conflict_prior") or {}).items():
        w = float(spec.get("weight", 0.5))
        out[cc] = {admin_key(n): w for n in spec.get("admin1") or []}
    return out


@lru_cache(maxsize=1)
def _regions() -> dict[str, _Region]:
    import yaml

    data = yaml.safe_load(resources.files("sahelwatch.data").joinpath("regions.yaml").read_text("utf-8"))
    out: dict[str, _Region] = {}
    for r in data["regions"]:
        reg = _Region(
            r["name"],
            float(r["latitude"]),
            float(r["longitude"]),
            list(r.get("countries") or []),
            bool(r.get("out_of_region", False)),
            r.get("admin1"),
        )
        for n in (r["name"], *(r.get("aliases") or [])):
            k = name_key(n)
            out.setdefault(k, reg)
            if k.startswith("the"):
                out.setdefault(k[3:], reg)
            else:
                out.setdefault("the" + k, reg)
    return out


# --------------------------------------------------------------------------- tokens


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    key: str  # folded, no spaces
    cap: bool  # starts with an upper-case letter
    upper: bool  # all capitals (acronyms, headlines)


def _tokenize(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _WORD_RE.finditer(text):
        s, e, w = m.start(), m.end(), m.group()
        el = _ELISION_RE.match(w)
        if el and len(w) > el.end() + 1:
            # French elision "d'Ansongo", "l'Azawad", "l'axe Dori-Gorom-Gorom": the article is a token of its own
            out.append(_mk(text, s, s + el.end() - 1))
            s = s + el.end()
            w = text[s:e]
        pos = _POSSESSIVE_RE.search(w)
        if pos:
            e = s + pos.start()
            w = text[s:e]
        out.append(_mk(text, s, e))
    return out


def _mk(text: str, s: int, e: int) -> _Tok:
    w = text[s:e]
    return _Tok(s, e, w, name_key(w), w[:1].isupper(), w.isupper() and len(w) > 1)


# --------------------------------------------------------------------------- the resolver


@dataclass
class _Hit:
    i: int  # first token
    j: int  # one past the last token
    kind: str  # place, country, region, direction, unknown
    places: list[Place] = field(default_factory=list)
    country: Country | None = None
    region: _Region | None = None
    direction: str | None = None
    unit_level: int | None = None  # "X region" / "cercle of X": 1, 2, 3
    paren: list[str] = field(default_factory=list)  # names in a following "( ... )"
    paren_end: int | None = None
    sub: _Tok | None = None  # the part of a glued token ("Niger" in "MaliNiger")
    fuzzy: bool = False  # candidates found by spelling variants
    comma: list[str] = field(default_factory=list)  # admin names after a comma ("Koro, Mopti")
    axis: bool = False  # one end of "the Gao-Gossi axis"
    between_second: bool = False


class PlaceResolver:
    """Resolves the place names of texts against a gazetteer. Build once, call many times."""

    MAX_TOKENS = 5

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gz = gazetteer or Gazetteer.load()
        self.stop = _stopnames()
        self.function_words = _function_words()
        self.regions = _regions()
        self._country_keys: dict[str, Country] = {}
        for c in self.gz.countries:
            for n in (c.name, *c.aliases):
                k = name_key(n)
                self._country_keys[k] = c
                self._country_keys.setdefault("the" + k, c)
        #: capitals of the countries the gazetteer does not cover ("Paris", "N'Djamena"): the country, out of
        #: the region, and never a Sahel village of a similar name
        for c in self.gz.countries:
            if not c.in_gazetteer and c.capital:
                self._country_keys.setdefault(name_key(c.capital), c)
        self._demonyms = {name_key(d): cc for cc, ds in _DEMONYMS.items() for d in ds}
        self._fz_cache: dict = {}
        #: geonameid -> the highest admin level it is the seat of (admins.tsv)
        self._seats: dict[int, int] = {}
        for u in self.gz.admins:
            if u.seat_geonameid:
                self._seats[u.seat_geonameid] = min(u.level, self._seats.get(u.seat_geonameid, 9))
        self._cues = _context_cues()
        self._cue_prefixes = {k[:m] for k in self._cues for m in range(1, len(k) + 1)}
        self._aubk = None
        # every prefix of a region key that ends at a token boundary is not known here, so keep all
        # character prefixes: membership tests stay O(1)
        self._region_prefixes = {k[:m] for k in self.regions for m in range(1, len(k) + 1)}

    # ---------------------------------------------------------------- public
    def resolve(
        self, text: str, country_focus: str | None = None, regions: dict[str, float] | None = None
    ) -> list[PlaceMention]:
        """``regions``: admin1 name -> probability that the text is about it, from a trained model of the
        user's notes (``coded_places.RegionModel``); candidates in a likely admin1 of the focus country gain
        up to ``REGION_WEIGHT``."""
        toks = _tokenize(text)
        lower_words = {t.key for t in toks if not t.cap}
        focus = self.gz.country_code(country_focus) if country_focus else None
        hits = self._candidates(text, toks, lower_words, focus)
        ctx = self._context(hits, toks, focus, text)
        ctx["regions"] = {admin_key(k): v for k, v in regions.items()} if regions else {}
        out: list[PlaceMention] = []
        consumed: set[int] = set()
        for h in hits:
            if id(h) in consumed:
                continue
            m = self._mention(text, toks, h, hits, ctx, consumed)
            if m is not None:
                out.append(m)
        out = self._one_sense(text, toks, out)
        return self._cued_unknowns(text, toks, out)

    def _cued_unknowns(self, text: str, toks: list[_Tok], out: list[PlaceMention]) -> list[PlaceMention]:
        """Villages the gazetteer lacks but the report names as places ("à Inadjatafane, région de
        Tombouctou", "le village d'Intikane ... dans le département de Tillia", "the Bendja bridge near
        Ansongo"): the name as the report writes it (ACLED's location), placed at the known place or admin
        unit the same sentence locates it by, with precision 2 (3 for an admin1 region). A name with no
        such reference in its sentence is left out rather than guessed."""
        covered = [(m.start_char, m.end_char) for m in out]
        added: list[PlaceMention] = []
        for rx in _CUED_UNKNOWN:
            for mt in rx.finditer(text):
                s0, e0 = mt.span("name")
                name = mt.group("name")
                words = [w for w in re.split(r"[\s-]+", name) if w]
                if (
                    any(a < e0 and s0 < z for a, z in covered)
                    or not words
                    or len(name_key(name)) < 4
                    or any(name_key(w) in self.stop or name_key(w) in _STOP_ALWAYS for w in words)
                    or self._lookup_span(name_key(name)) is not None
                ):
                    continue
                ref = _sentence_reference(text, s0, e0, out)
                if ref is None:
                    continue
                if e0 <= ref.start_char <= e0 + 40 and ref.relation in (
                    "near",
                    "in",
                    "between",
                    "admin",
                    "mention",
                ):
                    ref.relation = "ref"  # "the Bendja bridge near Ansongo": Ansongo locates Bendja
                i = next((k for k, t in enumerate(toks) if t.start == s0), None)
                relation, near = _relation(toks, i, text) if i is not None else ("in", False)
                if relation in ("mention", "from"):
                    relation = "in"
                if ref.kind == "admin":
                    a1, a2, a3 = ref.admin1, ref.admin2, ref.admin3
                    gp = 3 if (ref.geo_precision or 3) >= 3 else 2
                else:
                    a1, a2, a3 = ref.admin1, ref.admin2, ref.admin3
                    gp = 2
                added.append(
                    PlaceMention(
                        name,
                        s0,
                        e0,
                        None,
                        gp,
                        a1,
                        a2,
                        a3,
                        relation,
                        "unknown",
                        ref.latitude,
                        ref.longitude,
                        ref.country,
                        ref.country_code,
                        0.4,
                        0,
                        name,
                    )
                )
                covered.append((s0, e0))
        return sorted(out + added, key=lambda m: m.start_char) if added else out

    def _one_sense(self, text: str, toks: list[_Tok], out: list[PlaceMention]) -> list[PlaceMention]:
        """One place per name in a document: every mention of a name resolves to the place its most
        confident mention resolved to ("Ogossagou" twice, once near Mopti: the same village), and a
        name resolved somewhere (by a cue, a spelling variant) is recognised where it recurs without
        one ("... the town of Diabaly. Diabaly, which is in central Mali, ...")."""
        from dataclasses import replace

        best: dict[str, PlaceMention] = {}
        for m in out:
            if m.kind == "place" and m.place is not None and not m.out_of_region:
                k = name_key(m.text)
                if k and (k not in best or m.score > best[k].score):
                    best[k] = m
        if not best:
            return out
        fixed = []
        for m in out:
            b = best.get(name_key(m.text)) if m.kind == "place" else None
            if b is not None and b is not m and m.place is not b.place and m.score < b.score:
                m = replace(
                    m,
                    place=b.place,
                    admin1=b.admin1,
                    admin2=b.admin2,
                    admin3=b.admin3,
                    latitude=b.latitude,
                    longitude=b.longitude,
                    country=b.country,
                    country_code=b.country_code,
                    name=b.name,
                    score=b.score,
                )
            fixed.append(m)
        covered = [(m.start_char, m.end_char) for m in fixed]
        first = {}
        for k, m in best.items():
            first.setdefault(name_key(m.text.split()[0]) if m.text.split() else k, []).append(m)
        added = []
        for i, t in enumerate(toks):
            if not t.cap or t.key not in first:
                continue
            for b in first[t.key]:
                n = len(b.text.split())
                if i + n > len(toks):
                    continue
                s0, e0 = toks[i].start, toks[i + n - 1].end
                if name_key(text[s0:e0]) != name_key(b.text) or any(a < e0 and s0 < z for a, z in covered):
                    continue
                relation, near = _relation(toks, i, text)
                added.append(
                    replace(
                        b,
                        text=text[s0:e0],
                        start_char=s0,
                        end_char=e0,
                        relation=relation,
                        geo_precision=2 if near or relation == "between" else 1,
                        qualified=False,
                    )
                )
                covered.append((s0, e0))
                break
        return sorted(fixed + added, key=lambda m: m.start_char) if added else fixed

    # ---------------------------------------------------------------- candidates
    def warm(self, country_focus: str | None = None) -> None:
        """Build the lazy indexes now (spelling-variant pool of the focus country, outlines) so that the
        first documents are not slower than the rest."""
        self.resolve("in Bamako", country_focus)
        cc = self.gz.country_code(country_focus) if country_focus else None
        if cc:
            self.gz._fuzzy_pool(cc, None)
            self.gz._fuzzy_prefix(cc, None, self.gz._fuzzy_pool(cc, None)[0])

    def _fuzzy_cached(self, name: str, cc: str):
        cache = self._fz_cache
        k = (name_key(name), cc)
        if k not in cache:
            if len(cache) > 20_000:
                cache.clear()
            cache[k] = self.gz.lookup_fuzzy(name, cc, cutoff=0.86, quick=True)
        return cache[k]

    def _lookup_span(self, key: str) -> tuple[str, object] | None:
        if key in self.regions:
            return ("region", self.regions[key])
        if key in self._country_keys:
            return ("country", self._country_keys[key])
        if key.endswith("s") and key[:-1] in self._country_keys and len(key) > 5:
            return ("country", self._country_keys[key[:-1]])  # "multiple Afghanistans and Iraqs"
        if key in self.gz._by_key:
            return ("place", key)
        return None

    def _candidates(
        self, text: str, toks: list[_Tok], lower_words: set[str], focus: str | None = None
    ) -> list[_Hit]:
        hits: list[_Hit] = []
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            # compass phrases: "northern Mali", "nord du Burkina Faso", "the north of Mali"
            d = _DIRECTION_WORDS.get(t.key) or (
                _DIRECTION_WORDS.get(t.key + "ern") if t.key in ("north", "south") else None
            )
            if d and i + 1 < n:
                got = self._direction(toks, i)
                if got is not None:
                    hits.append(got)
                    i = got.j
                    continue
            # named regions, any case: "the tri-border area", "West Africa", "Liptako-Gourma"
            if t.key in self._region_prefixes:
                rbest = None
                key = ""
                for j in range(i, min(n, i + 8)):
                    if j > i and text[toks[j - 1].end : toks[j].start] not in (" ", "-", "'", "’", " - "):
                        break
                    key += toks[j].key
                    if key in self.regions:
                        rbest = j + 1
                    elif key not in self._region_prefixes:
                        break
                if (
                    rbest is not None
                    and rbest < n
                    and text[toks[rbest - 1].end : toks[rbest].start] == "-"
                    and toks[rbest].cap
                ):
                    rbest = None  # "Gourma-Rharous" is a town, not the Gourma region
                if rbest is not None and (t.cap or rbest - i > 1 or t.key in ("the",)):
                    hits.append(
                        _Hit(i, rbest, "region", region=self.regions["".join(x.key for x in toks[i:rbest])])
                    )
                    i = rbest
                    continue
            if not t.cap:
                i += 1
                continue
            best = None
            key = ""
            for j in range(i, min(n, i + self.MAX_TOKENS)):
                if j > i:
                    gap = text[toks[j - 1].end : toks[j].start]
                    if gap not in (" ", "-", "- ", " - ", "'", "’", "") or (
                        not toks[j].cap and toks[j].key not in _JOINERS and gap != "-"
                    ):
                        break
                key += toks[j].key
                got = self._lookup_span(key)
                if got is not None:
                    best = (j + 1, got)
            if best is None and not (i > 0 and text[toks[i - 1].end : toks[i].start] == "-"):
                # glued tokens: "MaliNiger"
                if t.cap and len(t.text) >= 6:
                    parts = self._split(t.text)
                    if parts:
                        best = (i + 1, None)
                        off = t.start
                        for part in parts:
                            s = text.index(part, off)
                            sub = _Tok(s, s + len(part), part, name_key(part), True, False)
                            got = self._lookup_span(sub.key)
                            if got is not None:
                                hits.append(self._hit_from(got, i, i + 1, sub_tok=sub))
                            off = s + len(part)
                if best is not None:
                    i += 1
                    continue
            if best is not None:
                j = best[0]
                if (
                    j < n
                    and toks[j].key in _QUALIFIERS
                    and text[toks[j - 1].end : toks[j].start] in ("-", " ")
                    and (toks[j].cap or text[toks[j - 1].end : toks[j].start] == "-")
                    and len(toks[j].key) > 2
                ):
                    best = (j + 1, best[1])  # "Tagourou-Peulh", "Naye Dogon": the place, qualifier included
                    j += 1
                # part of a longer hyphenated compound ("Sobane-Da", "Ndaki-Nord"): not this place
                if (
                    j < n and text[toks[j - 1].end : toks[j].start] == "-" and toks[j].key not in _QUALIFIERS
                ) or (i > 0 and text[toks[i - 1].end : toks[i].start] == "-" and toks[i - 1].cap):
                    pair = self._axis_pair(text, toks, i, j, best[1])
                    if pair:
                        hits.extend(pair)
                        i = pair[-1].j
                        continue
                    best = None
            if best is None:
                run = self._unknown_run(text, toks, i, focus)
                if run is not None:
                    hits.append(run)
                    i = run.j
                else:
                    i += 1
                continue
            j, got = best
            hits.append(self._hit_from(got, i, j))
            i = j
        for h in hits:
            self._attach_unit_and_paren(text, toks, h)
        kept = [self._keep(text, toks, h, lower_words) for h in hits]
        # a name opening a sentence with no cue is kept when the document names the same place elsewhere as
        # a place ("... to retake the town of Diabaly. Diabaly, which is in central Mali, ...")
        named = {
            "".join(t.key for t in toks[h.i : h.j]) for h, k in zip(hits, kept) if k and h.kind == "place"
        }
        return [
            h
            for h, k in zip(hits, kept)
            if k
            or (
                h.kind == "place"
                and "".join(t.key for t in toks[h.i : h.j]) in named
                and self._keep(text, toks, h, lower_words, sentence_start_ok=True)
            )
        ]

    def _axis_pair(self, text: str, toks: list[_Tok], i: int, j: int, got) -> list[_Hit] | None:
        """'the Gao-Gossi axis', 'the Douentza-Boni road': two known places joined by a hyphen and
        followed (or preceded) by a road word are a 'between' pair (ACLED codes the first, precision 2)."""
        if got[0] != "place" or j >= len(toks) or text[toks[j - 1].end : toks[j].start] != "-":
            return None
        second = None
        key = ""
        for k in range(j, min(len(toks), j + 3)):
            if k > j and text[toks[k - 1].end : toks[k].start] not in (" ", "-"):
                break
            key += toks[k].key
            hit = self._lookup_span(key)
            if hit is not None and hit[0] == "place":
                second = (k + 1, hit)
        if second is None:
            return None
        end = second[0]
        after = toks[end].key if end < len(toks) else ""
        before = toks[i - 1].key if i > 0 else ""
        if after not in _ROAD_WORDS and before not in _ROAD_WORDS:
            return None
        h1, h2 = self._hit_from(got, i, j), self._hit_from(second[1], j, end)
        h1.axis, h2.axis, h2.between_second = True, True, True
        return [h1, h2]

    def _unknown_run(self, text: str, toks: list[_Tok], i: int, focus: str | None = None) -> _Hit | None:
        """A capitalised name missing from the gazetteer, kept when admin names in parentheses follow it
        ("Boulkessi (Douentza, Mopti)") or, after a place cue ("village of Anamoila"), when a spelling
        variant exists in the focus country."""
        if not toks[i].cap or toks[i].key in self.stop or toks[i].upper or _mixed_case(toks[i].text):
            return None
        j = i + 1
        while (
            j < len(toks)
            and j - i < 4
            and text[toks[j - 1].end : toks[j].start] in ("-", " ", "'", "’")
            and (toks[j].cap or text[toks[j - 1].end : toks[j].start] == "-")
        ):
            j += 1
        m = _PAREN_RE.match(text, toks[j - 1].end)
        if not m and _cue(toks, i, text) and len(toks[i].key) >= 3:
            # "in Etambar, Kidal", "the village of Sossobe, Mopti": an unknown village given with its admin names
            mc = _COMMA_RE.match(text, toks[j - 1].end)
            if mc and not re.match(r"\s*(?:and|et|or|ou|&)\b", text[mc.end() :]):
                parts = [re.sub(r"\s+(?:[Rr]egion|[Cc]ercle|[Pp]rovince)$", "", x) for x in mc.groups() if x]
                if (
                    parts
                    and len(self._paren_admins(parts)) == len(parts)
                    and not self._paren_admins([text[toks[i].start : toks[j - 1].end]])
                ):
                    return _Hit(i, j, "place", places=[])
        if not m:
            if (
                focus
                and _cue(toks, i, text)
                and toks[i - 1].key not in ("and", "et", "or", "ou", "by", "par", "to")
                and len(toks[i].key) >= 4
            ):
                name = text[toks[i].start : toks[j - 1].end]
                fz = self._fuzzy_cached(name, focus)
                if fz and fz[0][1] >= 0.86:
                    top = fz[0][1]
                    return _Hit(i, j, "place", places=[p for p, r in fz if r >= top - 1e-9], fuzzy=True)
            return None
        parts = [p.strip() for p in re.split(r",|;| - ", m.group(1)) if p.strip()]
        if not parts or not self._paren_admins(parts):
            return None
        return _Hit(i, j, "place", places=[])

    def _hit_from(self, got, i: int, j: int, sub_tok: _Tok | None = None) -> _Hit:
        kind, val = got
        if kind == "region":
            h = _Hit(i, j, "region", region=val)
        elif kind == "country":
            h = _Hit(i, j, "country", country=val)
        else:
            h = _Hit(i, j, "place", places=[self.gz.places[k] for k in self.gz._by_key[val]])
        h.sub = sub_tok
        return h

    def _direction(self, toks: list[_Tok], i: int) -> _Hit | None:
        """'northern Mali', 'north of Mali', 'nord du Mali', 'Mali's north' are handled by regions.yaml
        when listed; otherwise a point is computed from the country outline."""
        d = _DIRECTION_WORDS.get(toks[i].key)
        j = i + 1
        while j < len(toks) and toks[j].key in ("of", "du", "de", "the", "la", "le"):
            j += 1
        for k in range(min(len(toks), j + 3), j, -1):
            key = "".join(t.key for t in toks[j:k])
            c = self._country_keys.get(key)
            if c is None:
                continue
            phrase = "".join(t.key for t in toks[i:k])
            reg = self.regions.get(phrase)
            if reg is not None:
                return _Hit(i, k, "region", region=reg)
            if d and c.in_gazetteer:
                pt = direction_point(self.gz, c.iso2, d)
                if pt is not None:
                    word = {
                        "n": "northern",
                        "s": "southern",
                        "e": "eastern",
                        "w": "western",
                        "c": "central",
                        "ne": "northeastern",
                        "nw": "northwestern",
                        "se": "southeastern",
                        "sw": "southwestern",
                    }[d]
                    return _Hit(i, k, "region", region=_Region(f"{word} {c.name}", pt[0], pt[1], [c.iso2]))
        return None

    def _split(self, word: str) -> list[str] | None:
        return split_glued(word, self) or None

    def _attach_unit_and_paren(self, text: str, toks: list[_Tok], h: _Hit) -> None:
        # "Mopti region", "Koro cercle" after, "region of Mopti", "cercle de Koro" before
        if h.kind == "place":
            if (
                h.j < len(toks)
                and toks[h.j].key in _UNIT_WORDS
                and text[toks[h.j - 1].end : toks[h.j].start] in (" ", "-")
            ):
                h.unit_level = _UNIT_WORDS[toks[h.j].key]
                h.j += 1
            else:
                k = h.i - 1
                while k >= 0 and toks[k].key in ("of", "de", "du", "d", "la", "l"):
                    k -= 1
                if k >= 0 and toks[k].key in _UNIT_WORDS and k >= h.i - 3:
                    h.unit_level = _UNIT_WORDS[toks[k].key]
        # "(Douentza, Mopti)" right after the name
        end = toks[h.j - 1].end
        m = _PAREN_RE.match(text, end)
        if m:
            inner = m.group(1)
            parts = [p.strip() for p in re.split(r",|;| - ", inner) if p.strip()]
            if 1 <= len(parts) <= 4 and all(len(p) <= 40 for p in parts):
                h.paren = parts
                h.paren_end = m.end()
        elif h.kind == "place":
            # "in Dougabougou, Segou" / "near Sokoura, Mopti Region": admin names after a comma
            m = _COMMA_RE.match(text, end)
            if m and re.match(r"\s*(?:and|et|or|ou|&)\b", text[m.end() :]):
                m = None  # "in Cotonou, Dakar and Bamako": a list, not admin names
            if m is None:
                # "near Waraou in the Tillaberi region", "à Déou, dans la province de l'Oudalan": the unit
                # it is in, named as a unit
                m = _IN_UNIT_RE.match(text, end)
            if m:
                parts = [p for p in (m.group(1), m.group(2)) if p]
                parts = [re.sub(r"\s+(?:[Rr]egion|[Cc]ercle|[Pp]rovince)$", "", p) for p in parts]
                if parts and len(self._paren_admins(parts)) == len(parts):
                    h.comma = parts
                    h.paren_end = m.end()

    def _keep(
        self, text: str, toks: list[_Tok], h: _Hit, lower_words: set[str], sentence_start_ok: bool = False
    ) -> bool:
        if h.kind in ("region", "country"):
            if h.kind == "country" and h.j - h.i == 1 and not toks[h.i].cap:
                return False  # "niger" in lower case is not the country
            return True
        span_key = "".join(t.key for t in toks[h.i : h.j])
        ntok = h.j - h.i
        if h.fuzzy:
            return True
        if ntok == 1 and (span_key in _NAME_PARTICLES or _mixed_case(toks[h.i].text)) and h.sub is None:
            return False
        cue = _cue(toks, h.i, text)
        if h.paren and self._paren_admins(h.paren):
            return True
        if ntok == 1 and len(span_key) <= 2 and not _strong_cue(toks, h.i):
            return False
        if span_key in self.stop and not (
            cue
            and any(
                p.population >= 1000 or (p.feature_code or "").startswith(("PPLA", "PPLC")) for p in h.places
            )
        ):
            return False
        if span_key in _STOP_ALWAYS:
            return False
        if (
            ntok == 1
            and span_key in _COMPASS_NAMES
            and h.j < len(toks)
            and toks[h.j].key in ("de", "du", "d", "of")
        ):
            return False  # "à 45 km au Nord de Djibo": a direction, not the Nord region
        if ntok == 1 and span_key in lower_words:
            return False  # the word is written in lower case elsewhere: a word
        if (
            toks[h.i].upper
            and len(span_key) <= 5
            and not (cue and h.i > 0 and toks[h.i - 1].key in _LOCATIVE)
        ):
            return False  # acronyms (JNIM, MSA, GATIA; "an attack on FAMA soldiers") are not places
        # glued to other capitalised words: part of a person or unit name ("Katiba Macina")
        prev_cap = (
            h.i > 0
            and toks[h.i - 1].cap
            and toks[h.i - 1].key not in self.function_words
            and toks[h.i - 1].key not in _IN_CUES
            and text[toks[h.i - 1].end : toks[h.i].start] == " "
        )
        next_cap = (
            h.j < len(toks)
            and toks[h.j].cap
            and text[toks[h.j - 1].end : toks[h.j].start] == " "
            and toks[h.j].key not in _UNIT_WORDS
            and toks[h.j].key not in _FACILITY_WORDS
            and toks[h.j].key not in _QUALIFIERS
        )
        if (prev_cap or next_cap) and (not cue or next_cap) and ntok == 1 and not h.paren:
            # "Seno Mango", "Katiba Macina", "Amadou Koufa": part of a longer name
            if not any(p.population >= 50_000 for p in h.places):
                return False
        if prev_cap and toks[h.i - 1].key in _NAME_PREFIXES:
            return False
        if _sentence_start(text, toks, h.i) and not cue and ntok == 1 and not sentence_start_ok:
            if not any(
                p.population >= 10_000 or p.feature_code in ("PPLC", "PPLA", "PPLA2") for p in h.places
            ):
                return False
        return True

    def _paren_admins(self, parts: Sequence[str]) -> list[tuple[str, object]]:
        """Recognise "(admin2, admin1)" / "(Gourma-Rharous, Tombouctou)" / "(Mali)" contents."""
        out = []
        for p in parts:
            k = name_key(p)
            if k in self._country_keys:
                out.append(("country", self._country_keys[k]))
                continue
            units = self._admin_units_by_key().get(admin_key(p), [])
            if units:
                out.append(("admin", units))
        return out

    def _admin1_named(self, toks: list[_Tok], h: _Hit) -> bool:
        """Whether the hit's words also name an admin1 unit ("Segou", "Gao": a region as well as a town)."""
        k = "".join(t.key for t in toks[h.i : h.j])
        return any(u.level == 1 for u in self._admin_units_by_key().get(k, []))

    def _admin_units_by_key(self) -> dict[str, list]:
        d = self._aubk
        if d is None:
            d = {}
            for (_, _, k), us in self.gz._admin_by.items():
                for u in us:
                    if u not in d.setdefault(k, []):
                        d[k].append(u)
            self._aubk = d
        return d

    # ---------------------------------------------------------------- context
    def _context(self, hits: list[_Hit], toks: list[_Tok], focus: str | None, text: str = "") -> dict:
        countries: dict[str, float] = {}
        if focus:
            countries[focus] = 5.0
        admin_keys: set[str] = set()
        unit_admins: set[tuple[str, int, str]] = set()
        for h in hits:
            if h.kind == "country":
                # "near the Burkina Faso border", "the border with Niger": a neighbour named as a
                # boundary says little about where the document's villages are
                border = (h.j < len(toks) and toks[h.j].key in _BORDER_WORDS) or any(
                    toks[k].key in _BORDER_WORDS for k in range(max(0, h.i - 3), h.i)
                )
                countries[h.country.iso2] = countries.get(h.country.iso2, 0) + (0.2 if border else 1.0)
            elif h.kind == "place" and h.unit_level:
                # "Mopti Region", "cercle de Koro": the document names the admin unit itself
                for p in h.places:
                    if p.feature_class in ("P", "A") and (focus is None or p.country_code == focus):
                        names = {1: p.admin1, 2: p.admin2, 3: p.admin3}
                        n = names.get(h.unit_level)
                        if n and admin_key(n) == admin_key(p.name):
                            unit_admins.add((p.country_code, h.unit_level, admin_key(n)))
            elif h.kind == "region":
                for cc in h.region.countries[:1] if len(h.region.countries) == 1 else []:
                    countries[cc] = countries.get(cc, 0) + 0.5
            for kind, val in self._paren_admins(h.paren):
                if kind == "admin":
                    for u in val:
                        admin_keys.add(admin_key(u.name))
                        countries[u.country_code] = countries.get(u.country_code, 0) + 0.5
        for t in toks:
            cc = self._demonyms.get(t.key)
            if cc:
                countries[cc] = countries.get(cc, 0) + 0.5
        # groups and communities named in the text: where they mostly operate (regions.yaml `context`)
        cue_admin1: set[tuple[str, str]] = set()
        cues = self._cues
        for i in range(len(toks)):
            key = ""
            for j in range(i, min(len(toks), i + 5)):
                key += toks[j].key
                got = cues.get(key)
                if got:
                    for cc, a1s in got.items():
                        cue_admin1.update((cc, a) for a in a1s)
                if key not in self._cue_prefixes:
                    break
        # unambiguous places (one candidate in the region's countries) anchor the others
        anchors = []
        for h in hits:
            if h.kind == "place" and h.places:
                big = [p for p in h.places if p.feature_class == "P" and p.population >= 20_000]
                if len(big) == 1:
                    anchors.append(big[0])
                    countries[big[0].country_code] = countries.get(big[0].country_code, 0) + 0.3
                elif focus:
                    local = [p for p in h.places if p.country_code == focus and p.feature_class in ("P", "A")]
                    if len(local) == 1:
                        anchors.append(local[0])
        # "Mariko, near Niono", "Atara, 25 km from Niafunke", "the Tabrichat area near Tessalit": the first
        # place lies close to the second one
        refs: dict[int, tuple[list[Place], float, set]] = {}
        part_of: dict[int, int] = {}  # id(hit of a quarter) -> id(hit of its town)
        for a, b in zip(hits, hits[1:]):
            if a.kind != "place" or b.kind != "place" or not b.places or b.i - a.j > 6 or b.i <= a.j:
                continue
            between = toks[a.j : b.i]
            if text and any(_sentence_start(text, toks, k) for k in range(a.j, b.i + 1)):
                continue
            keys = [t.key for t in between]
            if a.unit_level and toks[a.j - 1].key in _PART_WORDS:
                keys = [toks[a.j - 1].key] + keys  # "the Djikoroni Para district of Bamako"
            if len(keys) >= 2 and keys[-1] in ("of", "de", "du", "d") and keys[-2] in _PART_WORDS:
                # "the Djikoroni Para district of Bamako", "the Zinda area of Gao": X lies inside Y; when Y
                # names an admin unit ("the Tougou area of Segou"), inside that unit
                units = self._paren_admins(["".join(t.text for t in toks[b.i : b.j])])
                if units:
                    refs[id(a)] = (
                        [],
                        0.0,
                        {(u.country_code, admin_key(u.name)) for _, us in units if _ == "admin" for u in us},
                    )
                else:
                    refs[id(a)] = (_ref_places(b.places, focus), _PART_WORDS[keys[-2]], set())
                continue
            if any(t.key in _NEAR_REF or t.key.endswith("km") for t in between) and not any(
                t.key in ("between", "entre", "to", "and", "et") for t in between
            ):
                km = [
                    float(m.group(1))
                    for t in between
                    for m in [re.match(r"(\d+(?:[.,]\d+)?)(?:km)?$", t.key)]
                    if m
                ]
                refs[id(a)] = (
                    _ref_places(b.places, focus),
                    max([_REF_MAX_KM] + [1.3 * k + 30 for k in km]),
                    set(),
                )
        # "the Koyaratao quarter of Timbuktu", "the Zinda area of Gao": ACLED codes the town itself
        for k, b in enumerate(hits):
            if b.kind != "place" or b.i < 2 or toks[b.i - 1].key not in ("of", "de", "du", "d"):
                continue
            w = toks[b.i - 2].key
            town = [
                p
                for p in b.places
                if p.feature_class == "P"
                and (
                    p.population >= 10_000
                    or (p.feature_code or "") in ("PPLC", "PPLA", "PPLA2")
                    or self._seats.get(p.geonameid or -1, 9) <= 2
                )
            ]
            if w not in _TOWN_PARTS or not town:
                continue
            # the quarter's own hit ends before the part word, or takes it as a unit word ("X district")
            a = (
                hits[k - 1]
                if k > 0 and hits[k - 1].kind == "place" and hits[k - 1].j in (b.i - 2, b.i - 1)
                else None
            )
            if _TOWN_PARTS[w] is None:
                part_of[id(a) if a is not None else -id(b)] = id(b)  # a quarter, known or not
            elif (
                a is not None
                and not self._admin1_named(toks, b)
                and any(
                    float(distance_km(p.latitude, p.longitude, t.latitude, t.longitude)) <= _TOWN_PARTS[w]
                    for p in a.places
                    for t in town
                )
            ):
                # an area next to a town; "the Kona area of Segou" may mean the region: left as it is
                part_of[id(a)] = id(b)
        surface_keys = {
            id(h): "".join(t.key for t in toks[h.i : h.j]) if h.sub is None else h.sub.key for h in hits
        }
        return {
            "countries": countries,
            "admins": admin_keys,
            "anchors": anchors,
            "focus": focus,
            "surface_keys": surface_keys,
            "cue_admin1": cue_admin1,
            "unit_admins": unit_admins,
            "refs": refs,
            "part_of": part_of,
            "prior": _admin1_prior().get(focus or "", {}),
        }

    # ---------------------------------------------------------------- one mention
    def _mention(
        self, text: str, toks: list[_Tok], h: _Hit, hits: list[_Hit], ctx: dict, consumed: set[int]
    ) -> PlaceMention | None:
        start = toks[h.i].start if h.sub is None else h.sub.start
        end = toks[h.j - 1].end if h.sub is None else h.sub.end
        surface = text[start:end]
        relation, near = _relation(toks, h.i, text)
        if relation == "between":
            # the second place of "between X and Y"
            for other in hits:
                if (
                    other is not h
                    and other.i > h.j
                    and other.i <= h.j + 2
                    and toks[other.i - 1].key in ("and", "et")
                ):
                    other.between_second = True
        if h.between_second:
            relation = "between-second"
        elif h.axis:
            relation, near = "between", True
        if id(h) in ctx["part_of"]:
            relation, near = "part", False  # a quarter or area of a town: the town is coded
        elif id(h) in ctx["part_of"].values():
            relation, near = "in", False
        if h.kind == "country":
            c = h.country
            if (h.j < len(toks) and toks[h.j].key in _BORDER_WORDS) or any(
                toks[k].key in _BORDER_WORDS for k in range(max(0, h.i - 3), h.i)
            ):
                relation = "border"  # "near the Niger border", "the border with Burkina Faso"
            return PlaceMention(
                surface,
                start,
                end,
                None,
                3,
                relation=relation,
                kind="country",
                latitude=c.latitude,
                longitude=c.longitude,
                country=c.name,
                country_code=c.iso2,
                score=0.9,
                name=c.name,
                out_of_region=not c.in_gazetteer,
            )
        if h.kind == "region":
            r = h.region
            cc = r.countries[0] if len(r.countries) == 1 else None
            a1 = r.admin1 if cc else None
            c = self.gz.country(cc) if cc else None
            return PlaceMention(
                surface,
                start,
                end,
                None,
                3,
                a1,
                None,
                None,
                relation,
                "region",
                r.latitude,
                r.longitude,
                c.name if c else None,
                cc,
                0.8,
                0,
                r.name,
                r.out_of_region,
            )
        paren = self._paren_admins(h.paren)
        strict_comma = False
        if h.comma:
            comma = self._paren_admins(h.comma)
            with_comma = self._filter(h, comma, ctx)
            # "Bondo, Cercle of Koro": a village's admin names bind it; "Gao, Kidal and Menaka" (a list of
            # admin names) does not
            strict_comma = bool(comma) and not self._paren_admins([surface])
            if with_comma or strict_comma:
                paren = comma
        cands = self._filter(h, paren, ctx)
        if h.paren_end is not None and paren:
            # the admin names in parentheses are context, not mentions of their own
            for other in hits:
                if other is not h and toks[other.i].start >= end and toks[other.i].start < h.paren_end:
                    consumed.add(id(other))
        if not cands:
            return self._unknown(surface, start, end, h, paren, relation, near)
        best, score = cands[0]
        prec = 2 if near or relation in ("between", "between-second") else 1
        kind = "place"
        unit_level = h.unit_level
        if best.feature_class == "A":
            unit_level = {"ADM1": 1, "ADM2": 2, "ADM3": 3}.get(best.feature_code or "", unit_level)
        elif unit_level and best.country_code in ("ML", "NE", "BF"):
            own = {1: best.admin1, 2: best.admin2, 3: best.admin3}.get(unit_level)
            if own and not any(admin_key(own) == admin_key(n) for n in (best.name, surface)):
                unit_level = None  # "a post in Dioro Region": a town, loosely called a region
        lat, lon = best.latitude, best.longitude
        a1, a2, a3 = best.admin1, best.admin2, best.admin3
        if unit_level:
            # an admin unit named as such: its seat, precision 3 for admin1, 2 below (ACLED)
            kind = "admin"
            unit = self._unit_for(best, unit_level)
            if unit is not None:
                lat, lon = unit.latitude, unit.longitude
                a1, a2, a3 = unit.names
            prec = 3 if unit_level == 1 else max(prec, 2)
        c = self.gz.country(best.country_code)
        name = self._written_name(surface, best, kind, unit_level)
        return PlaceMention(
            surface,
            start,
            end,
            best,
            prec,
            a1,
            a2,
            a3,
            relation,
            kind,
            lat,
            lon,
            c.name if c else None,
            best.country_code,
            round(score, 3),
            len(h.places),
            name,
            qualified=bool(paren) and bool(h.paren),
        )

    def _written_name(self, surface: str, best: Place, kind: str, unit_level: int | None) -> str:
        """The ``location`` of a resolved name, as ACLED's coders write it: the spelling of the report
        ("Arbinda", "Diabaly", "Solenzo") rather than the gazetteer's transliteration ("Aribinda",
        "Diabali", "Salanso"), which is what a reader of the report searches for. Capitals, admin1
        seats, admin1 units, places the user's own export codes (``coded_places``: its coders' name) and
        names that differ only by accents or case keep the standard name ("Tombouctou" in a French report
        is Timbuktu, "BAMAKO" is Bamako)."""
        words = surface.split()
        while len(words) > 1 and name_key(words[-1]) in _NAME_TAIL_WORDS:
            words.pop()  # "Dialoube region", "Kayes cercle": the name without the unit word
        written = " ".join(words).strip(" '’-")
        if not written or name_key(written) == name_key(best.name):
            return best.name
        if (
            unit_level == 1
            or (best.feature_code or "") in ("PPLC", "PPLA", "CODED")
            or self._seats.get(best.geonameid or -1, 9) <= 1
            or self.gz.coded(best)
        ):
            return best.name  # (CODED / prior: a place the user's own export codes, by its name)
        if written.isupper():
            written = written.title()
        if kind == "admin" and name_key(best.name) in name_key(written):
            return best.name  # "Département de Madarounfa", "Province du Soum": the unit's name
        return written

    def _unit_for(self, p: Place, level: int):
        names = {1: (p.admin1, None, None), 2: (p.admin1, p.admin2, None), 3: (p.admin1, p.admin2, p.admin3)}[
            level
        ]
        if level >= 2 and p.admin2 is None:
            return None
        return self.gz.admin_unit(p.country_code, *names)

    def _filter(self, h: _Hit, paren, ctx: dict) -> list[tuple[Place, float]]:
        """Candidates ranked by agreement with the context; each with a 0-1 score."""
        surface_key = ctx["surface_keys"].get(id(h), "")
        countries: dict[str, float] = ctx["countries"]
        focus = ctx["focus"]
        p_admin1 = set()
        p_admin2 = set()
        p_cc = set()
        for kind, val in paren:
            if kind == "country":
                p_cc.add(val.iso2)
            else:
                for u in val:
                    (p_admin1 if u.level == 1 else p_admin2).add((u.country_code, admin_key(u.name)))
        scored = []
        for p in h.places:
            s = 0.0
            if p_cc and p.country_code in p_cc:
                s += 3
            a1k = (p.country_code, admin_key(p.admin1)) if p.admin1 else None
            a2k = (p.country_code, admin_key(p.admin2)) if p.admin2 else None
            if p_admin1 or p_admin2:
                if a1k in p_admin1:
                    s += 3
                if a2k in p_admin2:
                    s += 2
                if not (
                    a1k in p_admin1
                    or a2k in p_admin2
                    or (p_admin2 and any(self._near_unit(p, cc, k) for cc, k in p_admin2))
                ):
                    continue  # outside the admin units named with it: a homonym elsewhere
            s += min(countries.get(p.country_code, 0.0), 5.0) * 0.6
            if focus and p.country_code != focus and not countries.get(p.country_code):
                s -= 1.5
            if p.admin1 and admin_key(p.admin1) in ctx["admins"]:
                s += 0.5
            if ctx["cue_admin1"] and p.admin1 and (p.country_code, admin_key(p.admin1)) in ctx["cue_admin1"]:
                s += 0.8
            if p.admin2 and admin_key(p.admin2) in ctx["admins"]:
                s += 0.5
            if ctx["unit_admins"]:
                if p.admin1 and (p.country_code, 1, admin_key(p.admin1)) in ctx["unit_admins"]:
                    s += 1.5
                if p.admin2 and (p.country_code, 2, admin_key(p.admin2)) in ctx["unit_admins"]:
                    s += 1.0
            if ctx["prior"] and p.country_code == focus:
                # the focus country's regions where the reported violence mostly happens (regions.yaml
                # `conflict_prior`): a weak tie-break between homonymous villages, nothing more
                s += ctx["prior"].get(admin_key(p.admin1 or ""), 0.0)
            s += {"P": 1.0, "A": 0.6, "S": 0.2, "L": 0.1}.get(p.feature_class or "", 0.0)
            # places the user's own export has coded (``extract.coded_places``; 0 without a model)
            s += self.gz.prior(p)
            if ctx.get("regions") and p.country_code == focus and p.admin1:
                s += REGION_WEIGHT * ctx["regions"].get(admin_key(p.admin1), 0.0)
            if name_key(p.name) == surface_key:
                s += 1.0
            # admin seats: by feature code, or as the seat the admin table names (GeoNames often codes a
            # cercle's seat as a plain PPL among homonyms)
            s += max(
                {"PPLC": 2.5, "PPLA": 2.0, "PPLA2": 1.5, "PPLA3": 0.8}.get(p.feature_code or "", 0.0),
                _SEAT_BONUS.get(self._seats.get(p.geonameid, 0), 0.0) if p.geonameid else 0.0,
            )
            if p.feature_class == "P" and (
                (p.admin2 and admin_key(p.admin2) == admin_key(p.name))
                or (p.admin3 and admin_key(p.admin3) == admin_key(p.name))
            ):
                s += 0.8  # a town named like its cercle/commune is most likely its seat
            s += math.log10(1 + p.population) * 0.25
            ref, ref_max, ref_units = ctx["refs"].get(id(h)) or (None, 0.0, None)
            if ref_units:
                if not (
                    (p.admin1 and (p.country_code, admin_key(p.admin1)) in ref_units)
                    or (p.admin2 and (p.country_code, admin_key(p.admin2)) in ref_units)
                ):
                    continue  # "the Tougou area of Segou": a Tougou outside Segou is another village
                s += 1.5
            elif ref:
                dref = min(float(distance_km(p.latitude, p.longitude, a.latitude, a.longitude)) for a in ref)
                if dref > ref_max:
                    continue  # "Mariko, near Niono": a Mariko 300 km away is another village
                s += max(0.0, 1.0 - dref / 80.0) * 3.0
            others = [a for a in ctx["anchors"] if a not in h.places]
            if others:
                dmin = min(
                    float(distance_km(p.latitude, p.longitude, a.latitude, a.longitude)) for a in others
                )
                s += max(0.0, 1.0 - dmin / 150.0) * 1.5
            scored.append((p, s))
        if focus and not (p_cc or p_admin1 or p_admin2):
            # the document is about the focus country: a small foreign place is a homonym, unless the
            # document names that country (not merely as a border) or the place is a city or a seat
            scored = [
                (p, s)
                for p, s in scored
                if p.country_code == focus
                or countries.get(p.country_code, 0) >= 0.5
                or p.population >= 20_000
                or (p.feature_code or "") in ("PPLC", "PPLA")
            ]
        scored.sort(key=lambda t: -t[1])
        if not scored:
            return []
        if (p_admin1 or p_admin2) and scored[0][1] < 0:
            return []  # every candidate contradicts the admin names given: a homonym elsewhere
        # hamlets named like the word (no population, no cue, no focus) are too risky
        top, s0 = scored[0]
        second = scored[1][1] if len(scored) > 1 else -10
        conf = 1.0 / (1.0 + math.exp(-(s0 - 1.5))) * (0.6 + 0.4 * min(1.0, max(0.0, s0 - second) / 2))
        if not focus and not countries and top.population == 0 and not (p_admin1 or p_admin2):
            conf *= 0.5
        return [(p, conf if p is top else 0.0) for p, _ in scored]

    def _near_unit(self, p: Place, cc: str, k: str) -> bool:
        if p.country_code != cc:
            return False
        us = self.gz._admin_by.get((cc, 2, k), [])
        return any(float(distance_km(p.latitude, p.longitude, u.latitude, u.longitude)) < 60 for u in us)

    def _unknown(self, surface, start, end, h: _Hit, paren, relation, near) -> PlaceMention | None:
        """A name not in the gazetteer (or whose homonyms contradict the admin names) with admin names in
        parentheses: a spelling variant within that area, else the admin2 (or admin1) seat at precision 2/3."""
        units = [u for kind, val in paren if kind == "admin" for u in val]
        if not units:
            return None
        u2 = [u for u in units if u.level == 2]
        u1 = [u for u in units if u.level == 1]
        # prefer an admin2 whose parent is among the named admin1s
        if u2 and u1:
            k1 = {admin_key(u.name) for u in u1}
            u2 = [u for u in u2 if u.admin1 and admin_key(u.admin1) in k1] or u2
        if u1 and u2:
            u1 = [u for u in u1 if u.country_code == u2[0].country_code] or u1
        anchor = u2[0] if u2 else u1[0] if u1 else units[0]  # units[0]: an admin3 (commune) alone
        cc = anchor.country_code
        admin1 = anchor.admin1 if anchor.level >= 2 else anchor.name
        fz = self.gz.lookup_fuzzy(
            surface,
            cc,
            admin1,
            near=(anchor.latitude, anchor.longitude),
            max_km=200.0 if anchor.level >= 2 else 400.0,
        )
        c = self.gz.country(cc)
        prec_near = 2 if near or relation in ("between", "between-second") else 1
        if fz and fz[0][1] >= 0.84:
            p, r = fz[0]
            return PlaceMention(
                surface,
                start,
                end,
                p,
                prec_near,
                p.admin1,
                p.admin2,
                p.admin3,
                relation,
                "place",
                p.latitude,
                p.longitude,
                c.name if c else None,
                cc,
                round(0.6 * r, 3),
                0,
                p.name,
                qualified=True,
            )
        prec = 2 if anchor.level >= 2 else 3
        return PlaceMention(
            surface,
            start,
            end,
            None,
            prec,
            *anchor.names,
            relation,
            "unknown",
            anchor.latitude,
            anchor.longitude,
            c.name if c else None,
            cc,
            0.4,
            0,
            surface,
            qualified=True,
        )


#: unit words written after a name ("Dialoube region", "Kayes cercle"), dropped from the written location
_NAME_TAIL_WORDS = {
    "region",
    "regions",
    "cercle",
    "circle",
    "province",
    "department",
    "departement",
    "district",
    "commune",
    "municipality",
    "prefecture",
    "area",
    "zone",
    "town",
    "village",
    "city",
}
_PAREN_RE = re.compile(r"\s*\(([^()]{2,120})\)")
_UNIT_PREFIX = r"(?:(?:the\s+)?(?:[Cc]ercle|[Cc]ircle|[Rr]egion|[Pp]rovince|[Cc]ommune|[Dd]istrict)\s+(?:of\s+|de\s+|d['’]\s*))?"
_COMMA_RE = re.compile(
    r",\s*" + _UNIT_PREFIX + r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?(?: [Rr]egion| [Cc]ercle| [Pp]rovince)?)"
    r"(?:,\s*" + _UNIT_PREFIX + r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?(?: [Rr]egion)?))?(?=[\s.,;:)]|$)"
)
_UNIT_NAME = r"[A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’-]+)?"
_IN_UNIT_RE = re.compile(
    r",?\s+(?:in|dans)\s+(?:the\s+|la\s+|le\s+|l['’]\s*)?(?:"
    r"(?:[Rr][ée]gion|[Pp]rovince|[Cc]ercle|[Dd]istrict|[Cc]ommune)\s+(?:of\s+|de\s+(?:la\s+|l['’]\s*)?|du\s+|d['’]\s*)"
    rf"({_UNIT_NAME})|({_UNIT_NAME})\s+(?:[Rr]egion|[Pp]rovince|[Cc]ercle|[Dd]istrict))(?=[\s.,;:)]|$)"
)
#: first words of Tuareg, Arabic and Fulani names ("Tin Abaw", "In Delimane", "Kel Ansar", "Ag Ghaly")
_NAME_PARTICLES = {
    "tin",
    "in",
    "ti",
    "i",
    "kel",
    "ag",
    "ould",
    "ait",
    "ben",
    "bin",
    "ibn",
    "abu",
    "abou",
    "el",
    "al",
    "dar",
    "sidi",
    "ouro",
    "wuro",
    "dia",
}
#: words after which an all-capitals token may still be a place ("in GAO" in a headline)
_LOCATIVE = {"in", "at", "near", "dans", "a", "pres", "outside"}
#: how much a trained region model's belief (0-1) that the text is about an admin1 adds to its places
REGION_WEIGHT = 1.5
#: score of a town that the admin table names as the seat of an admin1 / admin2 / admin3 unit
_SEAT_BONUS = {1: 2.0, 2: 1.5, 3: 0.8}
#: "the X quarter of Y": parts of a town that ACLED codes at the town itself (precision 1); None: always
#: (a quarter is inside its town), else only when a place called X lies within that many km of the town
_TOWN_PARTS = {
    "quarter": None,
    "district": None,
    "neighbourhood": None,
    "neighborhood": None,
    "suburb": None,
    "quartier": None,
    "secteur": None,
    "area": 35.0,
    "zone": 35.0,
    "sector": 35.0,
    "part": 35.0,
}
#: "X, near Y" / "X, 25 km from Y": candidates for X farther than this from every Y are refused
_REF_MAX_KM = 120.0
#: "the X area of Y", "the X quarter of Y": how far (km) X may lie from Y
_PART_WORDS = {
    "area": 80.0,
    "zone": 80.0,
    "region": 150.0,
    "sector": 60.0,
    "part": 80.0,
    "outskirts": 20.0,
    "district": 25.0,
    "quarter": 15.0,
    "neighbourhood": 15.0,
    "neighborhood": 15.0,
    "suburb": 20.0,
    "quartier": 15.0,
    "secteur": 25.0,
    "commune": 40.0,
    "municipality": 40.0,
}
_NEAR_REF = {
    "near",
    "nearby",
    "outside",
    "close",
    "from",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "pres",
    "proche",
    "nord",
    "sud",
    "est",
    "ouest",
    "kilometres",
    "kilometers",
    "km",
    "kms",
    "miles",
}
_CNAME = r"(?P<name>[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-Za-zÀ-ÿ][a-zà-ÿ'’]+)*(?:\s[A-ZÀ-Ý][a-zà-ÿ'’]+)?)"
#: strong cues before a name the gazetteer may lack: "village of X", "le camp militaire de X", "à X, région de
#: Y", "the X bridge near Y" (see PlaceResolver._cued_unknowns)
_CUED_UNKNOWN = (
    re.compile(
        r"\b(?:village|hamlet|locality|camp|outpost|military base|army base|army post|military post)\s+of\s+"
        + _CNAME
        + r"(?=[\s,.;:)])"
    ),
    re.compile(
        r"\b(?:[Vv]illage|[Ll]ocalit[ée]|[Hh]ameau|[Cc]ommune(?:\s+rurale)?|[Cc]amp(?:\s+militaire)?|"
        r"[Pp]oste(?:\s+militaire)?|[Zz]one|[Ss]ite\s+(?:aurif[èe]re|minier)|[Mm]arch[ée]|[Bb]ase(?:\s+militaire)?)"
        r"\s+(?:de\s+|d['’]\s*|du\s+)" + _CNAME + r"(?=[\s,.;:)])"
    ),
    re.compile(
        r"(?:\s|^)[àÀ]\s+" + _CNAME + r"(?=\s*(?:,\s*(?:dans|région|province|département|commune|cercle|"
        r"situé|située|près|à\s+\d|localité|village)|\s+(?:dans\s+la\s+(?:région|province|commune|zone)|"
        r"situé|située|près\s+de|au\s+(?:nord|sud|est|ouest)|à\s+\d)))"
    ),
    re.compile(r"\bthe\s+" + _CNAME + r"\s+(?:bridge|camp|market|checkpoint|military camp|army camp)\b"),
    re.compile(
        r"\b(?:in|at|near)\s+"
        + _CNAME
        + r"(?=,\s*(?:a\s+(?:village|town|locality|hamlet)|\d+\s*(?:km|kilomet|miles)|"
        r"near|in\s+the\s+\w+\s+(?:region|province|district|department)))"
    ),
)
#: admin units named like compass points (Burkina Faso's Nord, Est, Centre...)
_COMPASS_NAMES = {"nord", "sud", "est", "ouest", "centre", "center", "north", "south", "east", "west"}
#: a reference for a cued unknown name: at most this many characters from it, in its sentence
_REF_WINDOW = 160


def _sentence_reference(text: str, s0: int, e0: int, mentions: Sequence[PlaceMention]) -> PlaceMention | None:
    """The known place or admin unit (not a country, a region or a border) of the same sentence nearest the
    name at ``text[s0:e0]``, after it first ("X, région de Y", "X, near Y")."""
    lo = max(text.rfind(".", 0, s0), text.rfind("\n", 0, s0), text.rfind("!", 0, s0), text.rfind("?", 0, s0))
    hi_c = [k for k in (text.find(".", e0), text.find("\n", e0)) if k >= 0]
    hi = min(hi_c) if hi_c else len(text)
    best, best_d = None, None
    for m in mentions:
        if (
            m.kind not in ("place", "admin")
            or m.out_of_region
            or m.latitude is None
            or m.relation in ("border",)
            or not (lo < m.start_char < hi)
        ):
            continue
        d = m.start_char - e0 if m.start_char >= e0 else (s0 - m.end_char) * 1.5
        if d > _REF_WINDOW:
            continue
        if best_d is None or d < best_d:
            best, best_d = m, d
    return best


#: "the post of X", "le camp de X", "la base de X": a facility at X (the event is in X, not "from" it)
_FACILITY_OF = (
    "camp",
    "camps",
    "base",
    "bases",
    "post",
    "poste",
    "postes",
    "garrison",
    "garnison",
    "checkpoint",
    "position",
    "positions",
    "barracks",
    "caserne",
    "marche",
    "mosque",
    "mosquee",
    "bridge",
    "pont",
    "airport",
    "aeroport",
    "prison",
    "gendarmerie",
    "brigade",
    "commissariat",
    "detachement",
    "detachment",
    "site",
    "mine",
)
_BORDER_WORDS = {"border", "borders", "frontier", "frontiere", "frontieres", "boundary"}
_ROAD_WORDS = {
    "axis",
    "axe",
    "road",
    "route",
    "highway",
    "corridor",
    "track",
    "piste",
    "stretch",
    "troncon",
    "railway",
    "railroad",
}
#: second words that name a quarter or a twin village of the place: "Tagourou-Peulh", "Gouma-Coura",
#: "Naye Dogon", "Minima Maoudo" are coded at the place itself
_QUALIFIERS = {
    "coura",
    "koura",
    "kura",
    "peulh",
    "peul",
    "peuhl",
    "fulbe",
    "dogon",
    "bambara",
    "bozo",
    "marka",
    "sonrai",
    "maoudo",
    "tiadi",
    "daga",
    "darah",
    "nord",
    "sud",
    "est",
    "ouest",
    "centre",
    "ville",
    "haoussa",
    "i",
    "ii",
    "iii",
    "1",
    "2",
    "3",
    "kanda",
    "koro",
    "ba",
    "ni",
    "nin",
}
#: facilities named after their place: "Sevare Airport", "Gao camp" (the place is the location)
_FACILITY_WORDS = {
    "airport",
    "airfield",
    "camp",
    "base",
    "market",
    "bridge",
    "checkpoint",
    "mosque",
    "hospital",
    "prison",
    "forest",
    "lake",
    "dam",
    "mine",
    "station",
    "garrison",
    "post",
    "road",
    "axis",
    "barracks",
    "hotel",
    "school",
    "prefecture",
    "town",
    "village",
    "city",
    "area",
    "zone",
    "hamlet",
    "border",
    "river",
    "mayor",
    "residents",
    "district",
    "military",
}
_JOINERS = {
    "n",
    "el",
    "al",
    "de",
    "du",
    "des",
    "la",
    "le",
    "et",
    "ag",
    "ould",
    "ben",
    "bin",
    "ibn",
    "sur",
    "i",
    "in",
    "ti",
}
_NAME_PREFIXES = {
    "katiba",
    "ansar",
    "ansarul",
    "mujao",
    "general",
    "colonel",
    "captain",
    "sheikh",
    "imam",
    "mr",
    "mrs",
    "president",
    "minister",
    "operation",
    "op",
    "sergeant",
    "lieutenant",
    "commander",
    "chief",
    "emir",
    "dan",
    "la",
    "monsieur",
    "radio",
    "hotel",
    "camp",
}
_STOP_ALWAYS = {
    "islamic",
    "state",
    "army",
    "police",
    "government",
    "minister",
    "president",
    "ministry",
    "forces",
    "force",
    "barkhane",
    "minusma",
    "unknown",
    "suspected",
    "presumed",
}
_DEMONYMS = {
    "ML": ["Malian", "Malians", "malien", "malienne", "maliens"],
    "BF": ["Burkinabe", "Burkinabè", "Burkinabes", "burkinabé", "Burkinan"],
    "NE": ["Nigerien", "Nigeriens", "nigérien", "nigérienne", "Nigérien"],
    "MR": ["Mauritanian", "mauritanien"],
    "SN": ["Senegalese", "sénégalais"],
    "GN": ["Guinean", "guinéen"],
    "CI": ["Ivorian", "ivoirien"],
}


def _ref_places(places: Sequence[Place], focus: str | None) -> list[Place]:
    """The candidates of a reference place ("near Y"): towns and admin units of the focus country, the
    inhabited or administrative ones when there are any (a reference is a place readers know)."""
    ps = [
        p for p in places if p.feature_class in ("P", "A") and (focus is None or p.country_code == focus)
    ] or list(places)
    known = [
        p for p in ps if p.population >= 1000 or (p.feature_code or "").startswith(("PPLA", "PPLC", "ADM"))
    ]
    return known or ps


def _mixed_case(w: str) -> bool:
    """'FAMa', 'GandaKoy', 'MaliNiger': capitals inside a word (acronyms, glued words); not the
    prenasalised 'NDaki', 'MBaou' (N'Daki, M'Baou written without the apostrophe)."""
    if re.match(r"^[NM][A-Z][a-z]+$", w):
        return False
    return any(c.isupper() for c in w[1:]) and not w.isupper() and "'" not in w and "’" not in w


def _strong_cue(toks: list[_Tok], i: int) -> bool:
    """'village of X', 'town of X', 'commune de X': enough to accept even a two-letter name."""
    return (
        i >= 2
        and toks[i - 1].key in ("of", "de", "d")
        and toks[i - 2].key
        in (
            "village",
            "villages",
            "town",
            "hamlet",
            "commune",
            "locality",
            "localite",
            "city",
            "ville",
            "hameau",
        )
    )


def _sentence_start(text: str, toks: list[_Tok], i: int) -> bool:
    if i == 0:
        return True
    gap = text[toks[i - 1].end : toks[i].start]
    return any(ch in gap for ch in '.!?:\n"“')


def _cue(toks: list[_Tok], i: int, text: str = "") -> bool:
    """A place cue right before token i: 'in', 'near', 'village of', 'à', 'commune de'..."""
    if not toks or i == 0 or (text and _sentence_start(text, toks, i)):
        return False
    k = toks[i - 1].key
    if k == "a" and toks[i - 1].text not in ("à", "À"):
        return False  # the English article, not French "à"
    if k in _IN_CUES or k in _NEAR_CUES:
        return True
    if k in ("the",) and i >= 2 and toks[i - 2].key in _IN_CUES:
        return True
    return False


def _relation(toks: list[_Tok], i: int, text: str = "") -> tuple[str, bool]:
    """(relation, near) from the words before token i (in the same sentence)."""
    lo = i
    while lo > max(0, i - 6) and not (text and _sentence_start(text, toks, lo)):
        lo -= 1
    prev = [("km" if re.match(r"\d+(?:[.,]\d+)?(?:km|kms)$", t.key) else t.key) for t in toks[lo:i]][
        ::-1
    ]  # nearest first
    if not prev:
        return ("mention", False)
    if (
        prev[0] in ("the", "la", "le", "l")
        and len(prev) > 1
        and prev[1] in ("in", "at", "inside", "dans", "a")
    ):
        prev = prev[
            1:
        ]  # "in the Tabrichat area", "dans la Tilemsi": the article does not change the relation
    if prev[0] in ("between", "entre") or (
        len(prev) > 1 and prev[1] in ("between", "entre") and prev[0] in ("the",)
    ):
        return ("between", True)
    window = prev[:4]
    if any(w in _NEAR_CUES for w in window[:3]):
        # "near X", "outside X", "in the area of X", "vicinity of X", "près de X"
        if prev[0] in ("in", "at", "dans", "a") and window[0] not in _NEAR_CUES:
            return ("in", False)
        return ("near", True)
    if any(w in _DIRECTION_CUES for w in window[:3]) and any(
        w in ("of", "from", "de", "du") for w in window[:2]
    ):
        return ("near", True)
    if prev[0] in ("in", "at", "inside", "dans", "a", "au", "en", "on"):
        return ("in", False)
    if (
        prev[0] in ("of", "de", "du", "d")
        and len(prev) > 1
        and prev[1]
        in (
            "village",
            "town",
            "city",
            "commune",
            "hamlet",
            "locality",
            "localite",
            "ville",
            "hameau",
            "market",
            "outskirts",
            "streets",
            *_FACILITY_OF,
        )
    ):
        return ("in", prev[1] == "outskirts")
    if prev[0] in ("from", "de", "depuis"):
        return ("from", False)
    return ("mention", False)


def direction_point(gz: Gazetteer, cc: str, d: str) -> tuple[float, float] | None:
    """A representative point of a compass part of a country ('n', 'se', 'c', ...), from its outline."""
    shapes = gz._country_shapes
    geom = shapes[cc] if cc in shapes else None
    if geom is None:
        return None
    from shapely import Point

    minx, miny, maxx, maxy = geom.bounds
    fx = {"w": 0.2, "e": 0.8}
    fy = {"s": 0.2, "n": 0.8}
    x = minx + (maxx - minx) * (fx.get(d[-1], 0.5) if d[-1] in "we" else 0.5)
    y = miny + (maxy - miny) * (fy.get(d[0], 0.5) if d[0] in "ns" else 0.5)
    if len(d) == 2 and d != "c":
        x = minx + (maxx - minx) * fx[d[1]]
        y = miny + (maxy - miny) * fy[d[0]]
    pt = Point(x, y)
    if not geom.contains(pt):
        from shapely.ops import nearest_points

        pt = nearest_points(geom.buffer(-0.3) if not geom.buffer(-0.3).is_empty else geom, pt)[0]
    return (round(pt.y, 4), round(pt.x, 4))


# --------------------------------------------------------------------------- functions


@lru_cache(maxsize=4)
def _resolver(gz_id: int | None = None) -> PlaceResolver:
    return PlaceResolver()


def get_resolver(gazetteer: Gazetteer | None = None) -> PlaceResolver:
    if gazetteer is None:
        return _resolver(None)
    cache = _CUSTOM.get(id(gazetteer))
    if cache is None or cache.gz is not gazetteer:
        cache = PlaceResolver(gazetteer)
        _CUSTOM.clear()
        _CUSTOM[id(gazetteer)] = cache
    return cache


_CUSTOM: dict[int, PlaceResolver] = {}


def resolve_places(
    text_or_doc,
    country_focus: str | None = None,
    gazetteer: Gazetteer | None = None,
    min_score: float = 0.0,
    regions: dict[str, float] | None = None,
) -> list[PlaceMention]:
    """The place mentions of a text (or a spaCy Doc), in reading order, with coordinates and precision
    (``regions``: see :meth:`PlaceResolver.resolve`)."""
    text = text_or_doc if isinstance(text_or_doc, str) else text_or_doc.text
    out = get_resolver(gazetteer).resolve(text, country_focus, regions)
    return [m for m in out if m.score >= min_score]


def event_location(
    mentions: Sequence[PlaceMention],
    in_region_only: bool = True,
    country_focus: str | None = None,
    text: str | None = None,
) -> PlaceMention | None:
    """The mention an ACLED coder would use as an event's location.

    Order: a place given with its admin names ("Boni (Douentza, Mopti)": ACLED's and many reports' way
    of naming the event's place); a confident place or admin unit with a location relation (in/near/between; the first of a
    'between'), in the focus country when one is given; then any place; then an unknown name placed at
    its admin seat; then a named region; then a country. Within a tier the first mention wins (ACLED
    notes and news leads name the event's place first). A country named as a border ("near the Niger
    border") is never the location. When ``text`` and a focus are given and the choice has no admin1 (no
    place, a country, a vast region), the admin1 the text's groups point to (``context_admin1``) is
    returned instead, as an ``admin`` mention at its capital with precision 3 and relation ``"context"``.
    """
    m = _event_location(mentions, in_region_only, country_focus)
    if text and country_focus and (m is None or (m.admin1 is None and not m.out_of_region)):
        guess = context_admin1(text, country_focus)
        if guess is not None:
            u, share = guess
            c = get_resolver().gz.country(u.country_code)
            return PlaceMention(
                u.name,
                -1,
                -1,
                None,
                3,
                u.name,
                None,
                None,
                "context",
                "admin",
                u.latitude,
                u.longitude,
                c.name if c else None,
                u.country_code,
                round(0.5 * share, 3),
                0,
                u.name,
            )
    return m


def _event_location(
    mentions: Sequence[PlaceMention], in_region_only: bool = True, country_focus: str | None = None
) -> PlaceMention | None:
    ms = [m for m in mentions if not (in_region_only and m.out_of_region)]
    ms = [m for m in ms if m.relation not in ("between-second", "border") and m.latitude is not None]
    focus = None
    if country_focus:
        c = get_resolver().gz.country(country_focus)
        focus = c.iso2 if c else None

    def ok_cc(m):
        return focus is None or m.country_code == focus

    tiers = (
        lambda m: m.kind in ("place", "unknown") and m.qualified and ok_cc(m),
        lambda m: (
            m.kind in ("place", "admin")
            and m.relation in ("in", "near", "between")
            and m.score >= 0.3
            and ok_cc(m)
        ),
        lambda m: m.kind in ("place", "unknown") and m.relation in ("in", "near", "between") and ok_cc(m),
        lambda m: m.kind == "place" and m.score >= 0.3 and ok_cc(m),
        lambda m: m.kind in ("place", "admin") and m.relation in ("in", "near", "between"),
        lambda m: m.kind == "place",
        lambda m: m.kind == "admin",
        lambda m: m.kind == "unknown",
        lambda m: m.kind == "region",
        lambda m: m.kind == "country",
    )
    for t in tiers:
        for m in ms:
            if t(m):
                return m
    return None


def context_admin1(
    text: str, country_focus: str | None, gazetteer: Gazetteer | None = None
) -> tuple[object, float] | None:
    """The admin1 unit the groups and communities a text names point to (regions.yaml `context`), for a
    text that names no usable place: ``(AdminUnit, share)`` where ``share`` (0-1) is the part of the votes
    the winner got, or None when the text names none or the vote is tied.

    Each term votes for its listed admin1 units, the first listed (where the group mostly operates)
    with weight 1, the others 0.5. This is a last resort, a region the event is *likely* in: callers code
    it at geo_precision 3 and flag it.
    """
    r = get_resolver(gazetteer)
    cc = r.gz.country_code(country_focus) if country_focus else None
    if not cc:
        return None
    toks = _tokenize(text)
    cues = r._cues
    votes: dict[str, float] = {}
    seen: set[str] = set()
    for i in range(len(toks)):
        key = ""
        for j in range(i, min(len(toks), i + 5)):
            key += toks[j].key
            got = cues.get(key)
            if got and key not in seen and (j > i or toks[i].cap or len(key) > 4):
                seen.add(key)
                for n, a in enumerate(_context_order().get(key, {}).get(cc, [])):
                    votes[a] = votes.get(a, 0.0) + (1.0 if n == 0 else 0.5)
            if key not in r._cue_prefixes:
                break
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 1e-9:
        return None
    unit = r.gz.admin_unit(cc, ranked[0][0])
    if unit is None:
        return None
    return unit, round(ranked[0][1] / sum(votes.values()), 3)


def capital_mention(country: str | None, gazetteer: Gazetteer | None = None) -> PlaceMention | None:
    """The country's capital as a country-level location (geo_precision 3, relation ``"capital"``), with
    its admin names: ACLED codes an event known only at the country level at the capital."""
    r = get_resolver(gazetteer)
    c = r.gz.country(country) if country else None
    if c is None or not c.capital or not c.in_gazetteer:
        return None
    for m in r.resolve(f"in {c.capital}", c.name):
        if m.kind == "place" and m.country_code == c.iso2:
            m.geo_precision, m.relation, m.start_char, m.end_char = 3, "capital", -1, -1
            return m
    return None


@lru_cache(maxsize=1)
def _context_order() -> dict[str, dict[str, list[str]]]:
    """term key -> {country code: admin1 names in the order regions.yaml lists them}."""
    import yaml

    data = yaml.safe_load(resources.files("sahelwatch.data").joinpath("regions.yaml").read_text("utf-8"))
    out: dict[str, dict[str, list[str]]] = {}
    for entry in data.get("context") or []:
        for t in entry["terms"]:
            d = out.setdefault(name_key(t), {})
            for cc, names in (entry.get("admin1") or {}).items():
                for n in names:
                    if n not in d.setdefault(cc, []):
                        d[cc].append(n)
    return out


def split_glued(token: str, resolver: PlaceResolver | None = None) -> list[str]:
    """Repair a token glued by scraping when both halves are known names: 'MaliNiger' -> ['Mali', 'Niger'].

    Splits at an inner capital ("MaliNiger", "BamakoMopti"); both halves must be countries, named regions
    or gazetteer places with a population or an admin role. Returns ``[token]`` when no split is found.
    """
    r = resolver or get_resolver()
    for k in range(2, len(token) - 1):
        if token[k].isupper() and token[k - 1].islower():
            left, right = token[:k], token[k:]
            if _known(r, left) and _known(r, right):
                return [left, right]
    return [token] if resolver is None else []


def _known(r: PlaceResolver, word: str) -> bool:
    k = name_key(word)
    if k in r._country_keys or k in r.regions:
        return True
    return any(
        p.population > 0 or (p.feature_code or "").startswith(("PPLA", "PPLC", "ADM"))
        for p in r.gz.lookup(word)
    )


# --------------------------------------------------------------------------- spaCy component


def _register_spacy() -> None:
    try:
        from spacy.language import Language
        from spacy.tokens import Doc
    except ImportError:  # pragma: no cover
        return
    if not Doc.has_extension("places"):
        Doc.set_extension("places", default=None)

    @Language.factory("sahelwatch_places", default_config={"country_focus": None, "min_score": 0.0})
    def _make(nlp, name: str, country_focus: str | None, min_score: float):
        return PlacesComponent(country_focus=country_focus, min_score=min_score)


class PlacesComponent:
    """spaCy component: ``nlp.add_pipe("sahelwatch_places", config={"country_focus": "Mali"})``.

    Sets ``doc._.places`` (list of PlaceMention) and ``doc.spans["places"]`` (spans labelled with the
    mention kind). Works from ``doc.text`` alone, so it can sit anywhere in the pipeline.
    """

    def __init__(
        self, country_focus: str | None = None, min_score: float = 0.0, gazetteer: Gazetteer | None = None
    ):
        self.country_focus = country_focus
        self.min_score = min_score
        self.resolver = get_resolver(gazetteer)
        self.resolver.warm(country_focus)

    def __call__(self, doc):
        focus = (
            doc.user_data.get("country_focus", self.country_focus) if doc.user_data else self.country_focus
        )
        ms = [m for m in self.resolver.resolve(doc.text, focus) if m.score >= self.min_score]
        doc._.places = ms
        spans = []
        for m in ms:
            sp = doc.char_span(m.start_char, m.end_char, label=m.kind, alignment_mode="expand")
            if sp is not None:
                spans.append(sp)
        doc.spans["places"] = spans
        return doc

    def pipe(self, docs: Iterable, batch_size: int = 128):
        for d in docs:
            yield self(d)


_register_spacy()

__all__ = [
    "PlaceMention",
    "PlaceResolver",
    "PlacesComponent",
    "resolve_places",
    "event_location",
    "split_glued",
    "context_admin1",
    "capital_mention",
    "direction_point",
    "get_resolver",
]


# --------------------------------------------------------------------------- an event's place in its document

#: "Mali's capital", "the capital", "la capitale": the country's capital
_CAPITAL_AFTER = re.compile(r"^\s*['’]s\s+(?:desert\s+)?capital\b", re.I)
_CAPITAL_BEFORE = re.compile(
    r"\b(?:capital|capitale)\s+(?:of|du|de|d['’])\s*(?:la\s+|le\s+|l['’]\s*)?$", re.I
)
_THE_CAPITAL = re.compile(
    r"\b(?:in|at|on|to|of|dans|à|a|de|sur)\s+(?:the|la)\s+capital(?:e)?\b(?!\s+(?:of|du|de|d['’]))", re.I
)


def _has_coords(m) -> bool:
    return (
        getattr(m, "latitude", None) is not None
        or getattr(getattr(m, "place", None), "latitude", None) is not None
    )


def _is_town(m) -> bool:
    """A town or a named village (not an admin unit, a region or a country), usable as an event's place."""
    return (
        m is not None
        and getattr(m, "kind", "") in ("place", "unknown")
        and _has_coords(m)
        and getattr(m, "relation", "") not in ("border", "between-second", "part")
        and not getattr(m, "out_of_region", False)
    )


def _coarse(m) -> bool:
    """No place, a country, a named region, or an admin unit: an area an ACLED coder would narrow down to
    the town the report names, when it names one inside it."""
    if m is None:
        return True
    kind = getattr(m, "kind", "place")
    return kind in ("country", "region") or (kind == "admin" and (getattr(m, "geo_precision", 1) or 1) >= 2)


def _inside(m, area, country: str | None, lenient: bool = False) -> bool:
    """The place ``m`` lies within ``area`` (a coarse mention, or None: the document's country).
    ``lenient`` (a town of the event's own sentence): a named area's admin1 need not match when the town
    is within reach of its point ("Diabaly, which is in central Mali": central Mali is mostly Mopti)."""
    mc = getattr(m, "country", None)
    if area is None:
        return country is None or mc == country
    ac = getattr(area, "country", None)
    if ac and mc != ac:
        return False
    kind = getattr(area, "kind", "")
    a1 = getattr(area, "admin1", None)
    if kind == "admin":
        if not (a1 and getattr(m, "admin1", None) and admin_key(a1) == admin_key(m.admin1)):
            return False
        a2 = getattr(area, "admin2", None)
        if (getattr(area, "geo_precision", 3) or 3) <= 2 and a2 and getattr(m, "kind", "") != "admin":
            if getattr(m, "admin2", None):
                return admin_key(a2) == admin_key(m.admin2)
            return _km(m, area) <= _UNIT_REACH_KM  # a town without admin2 in the gazetteer: near the seat
        return True
    if kind == "region":
        if a1 and getattr(m, "admin1", None) and admin_key(a1) == admin_key(m.admin1):
            return True
        if a1 and not lenient:
            return False
        # "northern Mali", "the Liptako": a town within reach of the area's point, on its side of the
        # country (nearer the area's point than the country's centre), not across the country
        d = _km(m, area)
        if d > _REGION_REACH_KM:
            return False
        centre = _COUNTRY_CENTRES.get(getattr(m, "country_code", None) or "")
        if centre is not None and _DIRECTION_START.match(getattr(area, "name", "") or ""):
            lat, lon = _point(m)
            return d < float(distance_km(lat, lon, centre[0], centre[1]))
        return True
    return bool(ac) or (country is not None and mc == country)


def _km(m, area) -> float:
    lat, lon = _point(m)
    alat, alon = _point(area)
    if lat is None or alat is None:
        return math.inf
    return float(distance_km(lat, lon, alat, alon))


#: compass phrases as named regions ("northern Mali", "nord du Burkina", "central Niger")
_DIRECTION_START = re.compile(
    r"^(?:the\s+)?(?:north|south|east|west|central|centre|center|nord|sud|est|ouest)", re.I
)
#: the middle of each core country's territory (not its capital): which side of it a town is on
_COUNTRY_CENTRES = {"ML": (17.0, -3.5), "BF": (12.3, -1.6), "NE": (16.5, 8.5)}
#: how far (km) from an admin2 unit's seat a town that the gazetteer gives no admin2 may lie to be in it
_UNIT_REACH_KM = 80.0


def _point(m) -> tuple[float | None, float | None]:
    if getattr(m, "latitude", None) is not None:
        return m.latitude, m.longitude
    p = getattr(m, "place", None)
    return (p.latitude, p.longitude) if p is not None else (None, None)


#: how far (km) from a named region's point ("northern Mali", "central Burkina") a town may lie to be in it
_REGION_REACH_KM = 400.0


_DATELINE_AFTER = re.compile(
    r"^\)?\s*(?:,\s*[A-Z][\w .'’-]{0,30})?(?:,?\s*\d{1,2}(?:er)?\s+\w+\.?(?:\s+\d{4})?)?"
    r"\s*(?:\([^)]{1,30}\)\s*)?[-–—:]"
)


def is_dateline(text: str, m) -> bool:
    """The mention opens a line as a dateline: "BAMAKO (Reuters) -", "(Bamako) –", "OUAGADOUGOU, 12 mars -":
    where the report was written, not where its events happened."""
    s, e = getattr(m, "start_char", -1), getattr(m, "end_char", -1)
    if not text or s < 0 or e > len(text):
        return False
    line_start = text.rfind("\n", 0, s) + 1
    if text[line_start:s].strip() not in ("", "("):
        return False
    return bool(_DATELINE_AFTER.match(text[e : e + 60]))


def _town_key(m) -> str:
    p = getattr(m, "place", None)
    return f"id:{p.geonameid}" if p is not None and p.geonameid else name_key(m.location or m.text or "")


def place_in_context(
    place,
    own: Sequence,
    document: Sequence,
    *,
    anchor: int | None = None,
    text: str = "",
    span: tuple[int, int] | None = None,
    country: str | None = None,
    gazetteer: Gazetteer | None = None,
):
    """An event's place, narrowed with its document: ``(mention, rule)``, rule None when ``place`` stands.

    ``place`` is the mention chosen from the event's own sentences (``own``); ``document`` is every mention
    of the document. When ``place`` is coarse (none, a country, a region, an admin unit), ACLED codes the
    most precise place the report gives inside it:

    1. "Mali's capital", "in the capital", "la capitale": the country's capital;
    2. a town named in the event's own sentences inside that area, even in passing ("the camps of
       Boulkessi and Mondoro, in central Mali"), the one nearest the event's verb (``anchor``);
    3. the town the document places its news in, inside that area: the dateline's place or the town it
       names most often, when one town stands out (named more often than any other town inside the
       area, or the only one). When several towns are equally likely, the coarse place stays: the name is
       ambiguous, and the event says so with its precision (2-3) rather than guessing.

    ``text`` is the document's text and ``span`` the event's sentences in it (character offsets, as the
    mentions'); ``country`` is the country of the document (focus, or the one its places are in)."""
    if not _coarse(place):
        return place, None
    area_country = getattr(place, "country", None) or country
    kind = getattr(place, "kind", "") if place is not None else ""
    # 1. the capital
    cap_said = False
    if kind == "country" and text:
        s, e = getattr(place, "start_char", -1), getattr(place, "end_char", -1)
        if 0 <= s <= e <= len(text):
            cap_said = bool(
                _CAPITAL_AFTER.match(text[e : e + 30]) or _CAPITAL_BEFORE.search(text[max(0, s - 30) : s])
            )
    own_text = text[span[0] : span[1]] if text and span else ""
    if not cap_said and own_text and area_country and _THE_CAPITAL.search(own_text):
        cap_said = place is None or kind == "country"
    if cap_said and area_country:
        cap = capital_mention(area_country, gazetteer)
        if cap is not None:
            cap.relation, cap.geo_precision = "in", 1
            return cap, "the capital, as the report says"
    # 2. a town of the event's own sentences inside the area
    towns = [
        m
        for m in own
        if m is not place
        and _is_town(m)
        and _inside(m, place, area_country, lenient=True)
        and not is_dateline(text, m)
    ]
    if towns:

        def dist(m) -> float:
            if anchor is None:
                return m.start_char
            d = m.start_char - anchor
            return d if d >= 0 else -1.5 * d

        return min(towns, key=dist), "a town of the event's sentences inside the area it names"
    # 3. the document's town inside the area: narrowed first to the admin unit the document names most
    # inside it ("the attack in the Kayes region ... the road from Kayes to Bamako": Kayes)
    finer = (getattr(place, "geo_precision", 3) or 3) if kind == "admin" else 9
    unit = _standout(
        [
            m
            for m in document
            if getattr(m, "kind", "") == "admin"
            and m is not place
            and (m.geo_precision or 3) < finer
            and _has_coords(m)
            and _inside(m, place, area_country)
        ],
        capital_of=None,
        anchor=anchor,
        text=text,
    )
    inner = unit if unit is not None else place
    town = _standout(
        [m for m in document if _is_town(m) and _inside(m, inner, area_country)],
        capital_of=area_country,
        anchor=anchor,
        text=text,
    )
    if town is not None:
        return town, "the document's town inside the area the event names"
    if unit is not None:
        return unit, "the document's admin unit inside the area the event names"
    return place, None


#: a document's mention this close (characters) to the event's verb weighs more in _standout
_NEAR_EVENT_CHARS = 250


def _standout(mentions: list, capital_of: str | None, anchor: int | None = None, text: str = ""):
    """The place that stands out among a document's mentions: the most weighted (a mention where something
    happens, "in/near X", weighs 1; a passing mention 0.5; the capital counts half, as it names where
    governments speak; a dateline not at all: it says where the report was written; a mention next to the event's verb ``anchor``
    weighs half as much again), when no other place weighs as much; its mention nearest before ``anchor``. None when none stands out: ambiguous."""
    cap = None
    if capital_of:
        c = get_resolver().gz.country(capital_of)
        cap = name_key(c.capital) if c is not None and c.capital else None
    groups: dict[str, list] = {}
    weight: dict[str, float] = {}
    for m in mentions:
        k = _town_key(m)
        # in X > near X / between X and Y (X locates something else: "the post of Boni, between Douentza
        # and Hombori") > a passing mention
        w = {"in": 1.0, "admin": 1.0, "near": 0.8, "between": 0.8}.get(getattr(m, "relation", ""), 0.5)
        if cap and name_key(getattr(m, "location", None) or "") == cap:
            w *= 0.5
        if is_dateline(text, m):
            continue  # a dateline: where the report was written, not where its events happened
        if anchor is not None and abs(m.start_char - anchor) <= _NEAR_EVENT_CHARS:
            w *= 1.5  # told next to the event (the sentence before or after it)
        groups.setdefault(k, []).append(m)
        weight[k] = weight.get(k, 0.0) + w
    ranked = sorted(weight, key=lambda k: -weight[k])
    if not ranked:
        return None
    if len(ranked) > 1 and weight[ranked[1]] >= weight[ranked[0]] - 1e-9:
        return None
    best = groups[ranked[0]]
    before = [m for m in best if anchor is None or m.start_char <= anchor]
    return before[-1] if before else best[0]
