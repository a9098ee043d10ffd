"""The Sahel actor registry: loading, alias matching and normalisation to ACLED-style names.

    from sahelwatch.actors import Registry
    reg = Registry.load()
    reg.normalise("EIGS").name                                   # 'Islamic State (Greater Sahara)'
    reg.normalise("FAMa", date="2019-05-01").name                # 'Military Forces of Mali (2013-2020)'
    reg.normalise("gendarmes", country="Mali", date="2022-01-01").name
                                                                 # 'Police Forces of Mali (2021-) Gendarmerie'
    [m.actor.name for m in reg.match_text("Barkhane and FAMa attacked ISGS")]

All reference data lives in ``data/actors.yaml``. Matching is case-, accent-, space- and
punctuation-insensitive: every string is folded to lower-case ASCII letters and digits and compared
as one concatenated key ("Dan Na Ambassagou" = "Dana Ambassagou" = "dan-na-ambassagou"). Free text is
scanned with a character trie over those keys that only accepts matches starting and ending on word
boundaries, leftmost-longest, in one pass. Short ALL-CAPS aliases ("MSA", "UN", "IS") match only
upper-case text.

Names that changed over time (state forces by regime period, the Islamic State in the Sahel's three
ACLED names, MINUSMA's periods) form a *lineage*: generic aliases resolve to the member active on the
event date; an exact canonical name is returned as given.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml

from .model import Actor

__all__ = ["Registry", "ActorMention", "canonical_names", "fold", "key", "split_actors", "word_tokens"]

_APOS = "'’‘`´"
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’‘`´][a-z0-9]+)*")


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    d = unicodedata.normalize("NFKD", c)
    base = "".join(ch for ch in d if not unicodedata.combining(ch))
    low = base.lower()
    if len(low) == 1:
        return low
    if not low:
        return " "
    return low[0]  # keep one char per input char: offsets stay valid


_SPECIAL = {"ɓ": "b", "ɗ": "d", "ß": "s", "ø": "o", "æ": "a", "œ": "o", "ł": "l", "đ": "d"}


def fold(text: str) -> str:
    """Lower-case, accent-free text of exactly the same length (offsets are preserved)."""
    if text.isascii():
        return text.lower()
    return "".join(_SPECIAL.get(c, None) or _fold_char(c) for c in text)


def _tokens(text: str) -> list[str]:
    return [t.translate({ord(a): None for a in _APOS}) for t in _TOKEN_RE.findall(fold(text))]


#: a leading article ("The Malian army", "la MINUSMA", "l'armée malienne"): dropped when the name is not known with it
_DETERMINER = re.compile(r"^\s*(?:the|a|an|le|la|les|l['’]|un|une)\s*(?<=\s|['’])", re.IGNORECASE)


def key(text: str) -> str:
    """The matching key of a name: folded letters and digits only ("Jama'at Nusrat" -> "jamaatnusrat")."""
    return "".join(_tokens(text))


def split_actors(value: Any) -> list[str]:
    """Split an ACLED associated-actor cell ('A; B') into names; NaN/None/'' give []."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [p.strip() for p in str(value).split(";") if p.strip()]


def _to_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        try:
            return value.to_pydatetime().date()
        except (ValueError, TypeError):
            return None
    if isinstance(value, (int, float)):
        if value != value:
            return None
        return dt.date(int(value), 7, 1)
    s = str(value).strip()
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        pass
    for fmt in ("%d %B %Y", "%d/%m/%Y", "%Y"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True, slots=True)
class ActorMention:
    """One actor mention in a text: character offsets into the original text."""

    start: int
    end: int
    text: str
    actor: Actor
    generic: bool = False  # matched through a generic word ("gunmen", "soldiers")
    target: tuple = ()  # internal target (family/template/name) used to resolve it

    @property
    def name(self) -> str:
        return self.actor.name

    @property
    def inter(self) -> int:
        return self.actor.inter


# A target says what an alias stands for:
#   ("name", canonical)                       a fixed actor
#   ("lineage", lineage_key)                  resolved by date
#   ("family", family, country|None, unit|None)   state forces; country None = the event's country
#   ("template", template_name, country|None)     per-country actors; country None = the event's country
Target = tuple


@dataclass
class _Period:
    label: str
    start: dt.date
    end: dt.date | None
    legacy: list[str] = field(default_factory=list)


class Registry:
    """The actor registry. Build with :meth:`load` (cached); instances are read-only after loading."""

    def __init__(self, data: Mapping[str, Any], extra_aliases: Mapping[str, str] | None = None):
        self.actors: dict[str, Actor] = {}
        self._key_to_name: dict[str, str] = {}
        self._alias: dict[str, Target] = {}  # absolute aliases (need no context)
        self._relative: dict[str, Target] = {}  # need the event's country
        self._generic_keys: set[str] = set()
        self._case_sensitive: set[str] = set()  # keys of short ALL-CAPS aliases
        self._lineages: dict[str, list[tuple[dt.date | None, dt.date | None, str]]] = {}
        self._lineage_of: dict[str, str] = {}
        self._coding: dict[str, str] = {}
        self._coding_from: dict[str, dt.date] = {}
        self._lineage_before: dict[str, str] = {}
        self._countries: dict[str, dict] = {}
        self._country_key: dict[str, str] = {}
        self._periods: dict[str, list[_Period]] = {}
        self._families: dict[str, dict] = {}
        self._units: dict[str, dict] = {}
        self._templates: dict[str, dict] = {}
        self._template_prefix: dict[str, str] = {}  # key of prefix -> template name
        self._identities: dict[str, list[str]] = {}
        self._identity_key: dict[str, str] = {}
        self._build(data)
        if extra_aliases:
            self.add_aliases(extra_aliases)
        self._trie: dict | None = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(
        cls, path: str | Path | None = None, extra_aliases: Mapping[str, str] | str | Path | None = None
    ) -> "Registry":
        """Load the registry (the shipped one when ``path`` is None). Cached per (path, aliases file).

        ``extra_aliases`` is a mapping surface form -> canonical name (as produced by
        :func:`sahelwatch.extract.actors.learn_aliases`) or the path of a JSON file holding one.
        """
        if isinstance(extra_aliases, (str, Path)):
            return _load_cached(str(path) if path else None, str(extra_aliases))
        if extra_aliases:
            reg = _load_cached(str(path) if path else None, None)
            return reg.with_aliases(extra_aliases)
        return _load_cached(str(path) if path else None, None)

    def with_aliases(self, extra: Mapping[str, str]) -> "Registry":
        """A copy of this registry with extra (learned) aliases."""
        new = Registry.__new__(Registry)
        new.__dict__.update(
            {k: (v.copy() if isinstance(v, (dict, set)) else v) for k, v in self.__dict__.items()}
        )
        new._trie = None
        new.add_aliases(extra)
        return new

    def add_aliases(self, extra: Mapping[str, str]) -> int:
        """Add surface form -> canonical name aliases. A name of a per-country or per-period family is
        generalised: "soldiers" -> "Military Forces of Mali (2013-2020)" becomes a relative alias of the
        military family. Returns how many were added; unknown names are ignored."""
        n = 0
        for surface, name in extra.items():
            k = key(surface)
            if not k or k in self._alias or k in self._relative:
                continue
            target = self._target_for_name(name)
            if target is None:
                continue
            if (
                target[0] in ("family", "template")
                and target[2] is not None
                and not self._names_country(surface, target[2])
            ):
                target = target[:2] + (None,) + target[3:]
            # learned forms are weaker evidence than curated names: they match as generic words
            self._relative[k] = target
            self._generic_keys.add(k)
            n += 1
        self._trie = None
        return n

    def _names_country(self, surface: str, country: str) -> bool:
        toks = set(_tokens(surface))
        info = self._countries.get(country, {})
        words = [country, *info.get("demonyms", []), *info.get("aliases", [])]
        return any(set(_tokens(w)) <= toks for w in words if w)

    def _add_actor(self, actor: Actor) -> Actor:
        self.actors[actor.name] = actor
        self._key_to_name.setdefault(key(actor.name), actor.name)
        return actor

    def _alias_add(self, surface: str, target: Target, relative: bool = False, generic: bool = False) -> None:
        k = key(surface)
        if not k:
            return
        table = self._relative if relative else self._alias
        table.setdefault(k, target)
        if generic or relative:
            self._generic_keys.add(k)
        letters = re.sub(r"[^A-Za-z]", "", surface)
        if letters.isupper() and len(letters) <= 5:
            self._case_sensitive.add(k)

    def _build(self, data: Mapping[str, Any]) -> None:
        self._countries = dict(data.get("countries", {}))
        for c, info in self._countries.items():
            for w in [c, *(info.get("aliases") or [])]:
                self._country_key[key(w)] = c
        for c, periods in (data.get("states") or {}).items():
            self._periods[c] = [
                _Period(str(p["label"]), p["from"], p.get("to"), [str(x) for x in p.get("legacy", [])])
                for p in periods
            ]
        self._families = dict(data.get("state_families") or {})
        self._units = dict(data.get("units") or {})
        self._identities = {k: list(v) for k, v in (data.get("identities") or {}).items()}
        for ident, words in self._identities.items():
            for w in [ident, *words]:
                self._identity_key[key(w)] = ident

        # state forces for each country with periods
        for country, periods in self._periods.items():
            for fam in self._families:
                for _i, p in enumerate(periods):
                    for unit in [None, *self._units_for(country, fam)]:
                        name = self._state_name(fam, country, p.label, unit)
                        actor = Actor(
                            name=name,
                            inter=1,
                            aliases=[],
                            affiliation=f"state of {country}",
                            country=country,
                            active_from=p.start.year,
                            active_to=p.end.year if p.end else None,
                            parent=self._state_name(fam, country, p.label, None) if unit else None,
                            kind="state" if fam != "government" else "government",
                        )
                        self._add_actor(actor)
                        lk = f"family:{fam}:{country}:{unit or ''}"
                        self._lineages.setdefault(lk, []).append((p.start, p.end, name))
                        self._lineage_of[name] = lk
                        for leg in p.legacy:
                            self._key_to_name.setdefault(key(self._state_name(fam, country, leg, unit)), name)
            self._family_aliases(country)

        # templates per country
        for t in data.get("templates") or []:
            self._templates[t["name"]] = t
            prefix = t["name"].split(" ({country})")[0]
            if "{country}" in t["name"]:
                self._template_prefix[key(prefix)] = t["name"]
            for w in t.get("generic") or []:
                self._alias_add(w, ("template", t["name"], None), relative=True, generic=True)
            if t.get("fixed"):
                self._add_actor(self._template_actor(t, None))
        for country in self._countries:
            for t in self._templates.values():
                if "{country}" not in t["name"]:
                    continue
                self._add_actor(self._template_actor(t, country))
                for dem in self._countries[country].get("demonyms") or []:
                    for a in t.get("aliases") or []:
                        self._alias_add(a.replace("{dem}", dem), ("template", t["name"], country))
            for ident in self._identities:
                for _suffix, inter, kind in (
                    ("Ethnic Group", 7, "identity"),
                    ("Ethnic Militia", 4, "ethnic_militia"),
                ):
                    self._add_actor(
                        Actor(
                            name=f"{ident} Ethnic Group ({country})"
                            if inter == 7
                            else f"{ident} Ethnic Militia ({country})",
                            inter=inter,
                            affiliation=ident,
                            country=country,
                            kind=kind,
                        )
                    )

        # named actors
        for a in data.get("actors") or []:
            active = a.get("active") or [None, None]
            actor = Actor(
                name=a["name"],
                inter=int(a["inter"]),
                aliases=list(a.get("aliases") or []),
                affiliation=a.get("affiliation"),
                country=a.get("country"),
                active_from=active[0],
                active_to=active[1],
                parent=a.get("parent"),
                kind=a.get("kind"),
            )
            self._add_actor(actor)
            if a.get("coding"):
                self._coding[actor.name] = a["coding"]
                if a.get("coding_from"):
                    self._coding_from[actor.name] = a["coding_from"]
            target: Target = ("name", actor.name)
            if a.get("lineage"):
                lk = "lineage:" + a["lineage"]
                self._lineages.setdefault(lk, []).append((a.get("from"), a.get("to"), actor.name))
                self._lineage_of[actor.name] = lk
                target = ("lineage", lk)
                if a.get("before"):
                    self._lineage_before[lk] = a["before"]
            for alias in actor.aliases:
                self._alias_add(alias, target)
        for lk in self._lineages:
            self._lineages[lk].sort(key=lambda t: t[0] or dt.date.min)

    def _units_for(self, country: str, family: str) -> list[str]:
        out = []
        for unit, u in self._units.items():
            if u.get("countries") and country not in u["countries"]:
                continue
            under = (u.get("by_country") or {}).get(country, u.get("under"))
            if under == family:
                out.append(unit)
        return out

    def _unit_family(self, country: str, unit: str) -> str:
        u = self._units[unit]
        return (u.get("by_country") or {}).get(country, u.get("under"))

    def _state_name(self, family: str, country: str, label: str | None, unit: str | None) -> str:
        base = {
            "military": "Military Forces of",
            "police": "Police Forces of",
            "government": "Government of",
        }[family]
        shown = (self._countries.get(country) or {}).get("acled_name") or country
        name = f"{base} {shown}" + (f" ({label})" if label else "")
        return name + (f" {unit}" if unit else "")

    def _family_aliases(self, country: str) -> None:
        info = self._countries.get(country, {})
        dems = list(info.get("demonyms") or [])
        names = [country, *(info.get("aliases") or [])]
        for fam, f in self._families.items():
            tgt = ("family", fam, country, None)
            for a in f.get("aliases") or []:
                for dem in dems:
                    if "{dem}" in a:
                        self._alias_add(a.replace("{dem}", dem), tgt)
                for nm in names:
                    if "{country}" in a:
                        self._alias_add(a.replace("{country}", nm), tgt)
            for a in (f.get("country_aliases") or {}).get(country, []):
                self._alias_add(a, tgt)
            if country == next(iter(self._periods)):  # relative aliases once
                for a in f.get("relative_aliases") or []:
                    self._alias_add(a, ("family", fam, None, None), relative=True)
        for unit, u in self._units.items():
            if u.get("countries") and country not in u["countries"]:
                continue
            fam = self._unit_family(country, unit)
            for a in u.get("aliases") or []:
                for dem in dems:
                    self._alias_add(a.replace("{dem}", dem), ("family", fam, country, unit))
            if country == next(iter(self._periods)):
                for a in u.get("relative_aliases") or []:
                    self._relative[key(a)] = ("family", None, None, unit)  # units win over generic words
                    self._generic_keys.add(key(a))

    def _template_actor(self, t: Mapping, country: str | None) -> Actor:
        name = t["name"].replace("{country}", country) if country else t["name"]
        return Actor(
            name=name,
            inter=int(t["inter"]),
            aliases=[],
            affiliation=None,
            country=country,
            kind=t.get("kind"),
        )

    # ------------------------------------------------------------------ resolution
    def _country(self, country: str | None) -> str | None:
        if not country:
            return None
        if country in self._countries:
            return country
        return self._country_key.get(key(country), country)

    def _resolve(self, target: Target, country: str | None, date: dt.date | None) -> Actor | None:
        kind = target[0]
        if kind == "name":
            return self.actors.get(target[1])
        if kind == "lineage":
            members = self._lineages[target[1]]
            before = self._lineage_before.get(target[1])
            if before and date is not None and members[0][0] and date < members[0][0]:
                return self.actors.get(before)
            return self.actors.get(self._pick(members, date))
        if kind == "family":
            fam, c, unit = target[1], target[2] or self._country(country), target[3]
            if not c:
                return None
            if unit and self._units[unit].get("countries") and c not in self._units[unit]["countries"]:
                unit = None
            fam = self._unit_family(c, unit) if unit else (fam or "military")
            return self.state_forces(c, date, family=fam, unit=unit)
        if kind == "template":
            c = target[2] or self._country(country)
            if not c:
                return None
            return self._template_for(target[1], c)
        return None

    @staticmethod
    def _pick(members: list[tuple[dt.date | None, dt.date | None, str]], date: dt.date | None) -> str:
        if date is None:
            return members[-1][2]
        for start, end, name in members:
            if (start is None or start <= date) and (end is None or date <= end):
                return name
        if members[0][0] and date < members[0][0]:
            return members[0][2]
        return members[-1][2]

    def _template_for(self, template: str, country: str) -> Actor:
        name = template.replace("{country}", country)
        actor = self.actors.get(name)
        if actor is None:
            t = self._templates[template]
            actor = self._add_actor(self._template_actor(t, country))
        return actor

    def state_forces(
        self, country: str, date: Any = None, family: str = "military", unit: str | None = None
    ) -> Actor:
        """The state force of ``country`` on ``date`` ("Military Forces of Mali (2013-2020)"); the latest
        period when no date is given; a period-less name for countries without periods."""
        c = self._country(country) or country
        d = _to_date(date)
        lk = f"family:{family}:{c}:{unit or ''}"
        if lk in self._lineages:
            return self.actors[self._pick(self._lineages[lk], d)]
        name = self._state_name(family, c, None, unit)
        return self.actors.get(name) or self._add_actor(
            Actor(name=name, inter=1, affiliation=f"state of {c}", country=c, kind="state")
        )

    _FAMILY_RE = re.compile(
        r"^(military forces of|police forces of|government of)\s+(.+?)(?:\s*\((\d{4}\s*-\s*(?:\d{4})?)\))?(?:\s+(.+))?$",
        re.I,
    )
    _TEMPLATE_RE = re.compile(r"^(.+?)\s*\(([^()]+)\)$")

    def _target_for_name(self, name: str) -> Target | None:
        """How a canonical (or canonical-looking) name generalises: family, template, lineage or name."""
        actor = self.normalise(name)
        if actor is None:
            return None
        if actor.name in self._lineage_of:
            lk = self._lineage_of[actor.name]
            if lk.startswith("family:"):
                _, fam, country, unit = lk.split(":", 3)
                return ("family", fam, country, unit or None)
            return ("lineage", lk)
        m = self._TEMPLATE_RE.match(actor.name)
        if (
            m
            and key(m.group(1)) in self._template_prefix
            and actor.kind not in ("identity", "ethnic_militia")
        ):
            return ("template", self._template_prefix[key(m.group(1))], m.group(2))
        return ("name", actor.name)

    def normalise(self, name: str | None, country: str | None = None, date: Any = None) -> Actor | None:
        """The registry actor a name stands for, or None.

        Exact canonical names (and legacy ACLED spellings) come back as themselves; aliases that name a
        state force or a renamed group resolve to the period of ``date`` (the latest when no date);
        generic words ("soldiers", "gunmen", "civilians") need ``country``. Per-country ACLED names not
        listed in the data file ("Tolle Communal Militia (Mali)", "Civilians (Peru)") are accepted by shape.
        """
        if name is None:
            return None
        name = str(name).strip()
        if not name:
            return None
        k = key(name)
        if not k:
            return None
        d = _to_date(date)
        if k in self._key_to_name:
            return self.actors[self._key_to_name[k]]
        if k in self._alias:
            return self._resolve(self._alias[k], country, d)
        m = self._FAMILY_RE.match(name)
        if m:
            fam = {"military": "military", "police": "police", "government": "government"}[
                m.group(1).split()[0].lower()
            ]
            c = self._country(m.group(2).strip())
            unit = m.group(4)
            if unit:
                unit = next((u for u in self._units if key(u) == key(unit)), unit.strip())
            if c in self._periods:
                if unit and unit not in self._units:
                    unit = None
                return self.state_forces(
                    c, d or (self._period_mid(c, m.group(3)) if m.group(3) else None), family=fam, unit=unit
                )
            label = m.group(3)
            base = self._state_name(fam, c, label.replace(" ", "") if label else None, unit)
            return self.actors.get(base) or self._add_actor(
                Actor(name=base, inter=1, affiliation=f"state of {c}", country=c, kind="state")
            )
        m = self._TEMPLATE_RE.match(name)
        if m:
            prefix, c = m.group(1).strip(), self._country(m.group(2).strip())
            pk = key(prefix)
            if pk in self._template_prefix:
                return self._template_for(self._template_prefix[pk], c)
            for suffix, inter, kind in (
                (" Ethnic Militia", 4, "ethnic_militia"),
                (" Ethnic Group", 7, "identity"),
                (" Communal Militia", 4, "communal_militia"),
                (" Clan Militia", 4, "communal_militia"),
                (" Communal Group", 7, "identity"),
                (" Clan Group", 7, "identity"),
            ):
                if prefix.lower().endswith(suffix.lower()):
                    stem = prefix[: -len(suffix)].strip()
                    ident = self._identity_key.get(key(stem), stem)
                    nm = f"{ident}{suffix} ({c})"
                    return self.actors.get(nm) or self._add_actor(
                        Actor(name=nm, inter=inter, affiliation=ident, country=c, kind=kind)
                    )
        if k in self._relative:
            return self._resolve(self._relative[k], country, d)
        bare = _DETERMINER.sub("", name, count=1)
        if bare != name and bare.strip():
            return self.normalise(bare, country, date)  # "The Malian army", "les forces françaises"
        return None

    normalize = normalise

    def _period_mid(self, country: str, label: str) -> dt.date | None:
        label = label.replace(" ", "")
        for p in self._periods.get(country, []):
            if p.label == label or label in p.legacy:
                return p.start
        return None

    # ------------------------------------------------------------------ queries
    def get(self, name: str) -> Actor | None:
        return self.actors.get(name) or self.normalise(name)

    def inter(self, name: str, country: str | None = None) -> int:
        """ACLED inter code of an actor; foreign state forces are external (8) in another country's events."""
        actor = self.normalise(name, country=country)
        if actor is None:
            return 0
        c = self._country(country)
        if actor.kind == "state" and c and actor.country and actor.country != c:
            return 8
        return actor.inter

    def affiliation(self, name: str) -> str | None:
        actor = self.normalise(name)
        return actor.affiliation if actor else None

    def parent(self, name: str) -> Actor | None:
        actor = self.normalise(name)
        return self.actors.get(actor.parent) if actor and actor.parent else None

    def coded_as_assoc_of_parent(self, name: str, date: Any = None) -> bool:
        """True for components ACLED codes as associated actor of their parent (Katiba Macina -> JNIM)."""
        if self._coding.get(name) != "assoc_of_parent":
            return False
        start = self._coding_from.get(name)
        d = _to_date(date)
        return not (start and d and d < start)

    def at_date(self, name: str, date: Any = None) -> Actor | None:
        """The member of ``name``'s lineage (renamed group, state-force period) active on ``date``."""
        actor = self.normalise(name)
        if actor is None:
            return None
        lk = self._lineage_of.get(actor.name)
        d = _to_date(date)
        if lk is None or d is None:
            return actor
        if lk.startswith("family:"):
            _, fam, country, unit = lk.split(":", 3)
            return self.state_forces(country, d, family=fam, unit=unit or None)
        return self._resolve(("lineage", lk), None, d)

    def unidentified(self, country: str) -> Actor:
        return self._template_for("Unidentified Armed Group ({country})", self._country(country) or country)

    def civilians(self, country: str) -> Actor:
        return self._template_for("Civilians ({country})", self._country(country) or country)

    def template(self, template_prefix: str, country: str) -> Actor | None:
        """A per-country actor by its prefix: template("Protesters", "Mali")."""
        t = self._template_prefix.get(key(template_prefix))
        return self._template_for(t, self._country(country) or country) if t else None

    def ethnic(self, identity: str, country: str, militia: bool = False) -> Actor | None:
        """ "{X} Ethnic Group (country)" or, with militia=True, "{X} Ethnic Militia (country)"."""
        ident = self._identity_key.get(key(identity))
        if ident is None:
            return None
        return self.normalise(
            f"{ident} Ethnic {'Militia' if militia else 'Group'} ({self._country(country) or country})"
        )

    def identity(self, word: str) -> str | None:
        """The identity an ethnonym names ("Peul" -> "Fulani"), or None."""
        return self._identity_key.get(key(word))

    def country_of(self, word: str) -> str | None:
        """The country a demonym or country name refers to ("Burkinabe" -> "Burkina Faso")."""
        k = key(word)
        if k in self._country_key:
            return self._country_key[k]
        for c, info in self._countries.items():
            if any(key(d) == k for d in info.get("demonyms") or []):
                return c
        return None

    def lineage(self, name: str) -> str:
        """A key shared by all names of one group over time (used to compare across renamings)."""
        actor = self.normalise(name)
        if actor is None:
            return key(name)
        return self._lineage_of.get(actor.name, actor.name)

    def is_generic(self, surface: str) -> bool:
        return key(surface) in self._generic_keys

    def canonical_names(self) -> list[str]:
        return sorted(self.actors)

    def __contains__(self, name: str) -> bool:
        return self.normalise(name) is not None

    def __len__(self) -> int:
        return len(self.actors)

    # ------------------------------------------------------------------ free text
    def _build_trie(self) -> dict:
        trie: dict = {}
        for table, generic in (
            (self._alias, False),
            (self._relative, True),
            ({k: ("name", n) for k, n in self._key_to_name.items()}, False),
        ):
            for k, tgt in table.items():
                node = trie
                for ch in k:
                    node = node.setdefault(ch, {})
                prev = node.get("")
                # absolute aliases win over generic ones for the same key
                if prev is None or (prev[1] and not generic):
                    node[""] = (tgt, generic, k in self._case_sensitive)
        return trie

    def match_text(
        self, text: str, country: str | None = None, date: Any = None, generic: bool = False
    ) -> list[ActorMention]:
        """All actor mentions in ``text`` (leftmost-longest, non-overlapping, whole words only), in order.

        Named aliases always match; with ``generic=True`` the generic words ("gunmen", "soldiers",
        "villagers") match too and are resolved with ``country``.
        """
        if self._trie is None:
            self._trie = self._build_trie()
        toks = word_tokens(text)
        out: list[ActorMention] = []
        d = _to_date(date)
        i, n = 0, len(toks)
        trie = self._trie
        while i < n:
            best = None
            node = trie
            j = i
            while j < n and node is not None:
                for ch in toks[j][2]:
                    node = node.get(ch)
                    if node is None:
                        break
                if node is None:
                    break
                term = node.get("")
                if term is not None and (generic or not term[1]):
                    best = (j, term)
                j += 1
            if best is None:
                i += 1
                continue
            j, (tgt, is_generic, case_sensitive) = best
            start, end = toks[i][0], toks[j][1]
            surface = text[start:end]
            if case_sensitive and any(c.islower() for c in surface):
                i += 1
                continue
            actor = self._resolve(tgt, country, d)
            if actor is None:
                i += 1
                continue
            out.append(ActorMention(start, end, surface, actor, is_generic, tgt))
            i = j + 1
        return out


_APOS_TABLE = {ord(a): None for a in _APOS}
_ELISION = re.compile(r"^(l|d|j|n|s|m|t|c|qu|jusqu|lorsqu|puisqu)['’‘`´]")


def word_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of the words of ``text``; French elisions are split ("l'armée" -> "l", "armee")."""
    out: list[tuple[int, int, str]] = []
    for m in _TOKEN_RE.finditer(fold(text)):
        w, s0 = m.group(), m.start()
        e = _ELISION.match(w)
        if e and e.end() < len(w):
            out.append((s0, s0 + e.end() - 1, e.group(1)))
            s0, w = s0 + e.end(), w[e.end() :]
        out.append((s0, m.end(), w.translate(_APOS_TABLE)))
    return out


@lru_cache(maxsize=8)
def _load_cached(path: str | None, aliases_path: str | None) -> Registry:
    if path:
        text = Path(path).read_text("utf-8")
    else:
        text = resources.files("sahelwatch.data").joinpath("actors.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    extra = None
    if aliases_path:
        p = Path(aliases_path)
        if p.is_dir():
            p = p / "actor_aliases.json"
        raw = json.loads(p.read_text("utf-8"))
        extra = raw.get("aliases", raw) if isinstance(raw, dict) else None
    return Registry(data, extra_aliases=extra)


def canonical_names() -> list[str]:
    """Every canonical name of the shipped registry (sorted)."""
    return Registry.load().canonical_names()
