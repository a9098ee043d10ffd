"""UCDP GED (Georeferenced Event Dataset) CSV rows mapped onto ACLED's event model.

``map_ucdp_row(row)`` turns one row (a dict of column name -> text, as ``csv.DictReader``
gives) into a :class:`sahelwatch.model.Event`, or raises :class:`sahelwatch.errors.RowError`
naming the field and the reason. Files, line numbers, encodings and batching are the tabular
import framework's job (``sahelwatch.ingest.acled``); this module only knows UCDP.

The mapping (documented with its reasons in docs/formats.md):

- ``event_id_cnty`` = ``UCDP-<id>``; UCDP's id is kept as ``extra["ucdp_id"]``.
- ``type_of_violence`` 1 (state-based) and 2 (non-state) -> Battles / Armed clash;
  3 (one-sided) -> Violence against civilians / Attack, actor2 ``Civilians (<country>)``,
  ``civilian_targeting`` = "Civilian targeting".
- ``fatalities`` = ``best``; ``low``, ``high`` and the deaths_* split are kept in ``extra``.
- ``where_prec`` 1 -> geo_precision 1; 2-3 -> 2; 4-7 -> 3.
- ``date_prec`` 1 -> time_precision 1; 2-3 -> 2; 4-5 -> 3. ``event_date`` = ``date_start``,
  ``date_end`` = UCDP's ``date_end`` when it is a later day.
- actors: "Government of X" -> "Military Forces of X" (inter 1, or 8 when X is not the
  country of the event); "Civilians" -> "Civilians (<country>)" (7); other sides get an inter
  code from the type of violence and the name (``ucdp_actor``). The actor registry
  (``sahelwatch.actors``) then gives ACLED's canonical names: state forces with their period,
  "JNIM" -> "JNIM: Group for Support of Islam and Muslims", "Fulani" (a communal side) ->
  "Fulani Ethnic Militia (Mali)" (``acled_actor``). UCDP's own side names are kept as
  ``extra["side_a"]`` / ``extra["side_b"]``.
- coding method 'import', dataset 'ucdp'.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from functools import lru_cache
from typing import Any, Mapping

from ..actors import Registry
from ..errors import RowError
from ..model import Event, Provenance

log = logging.getLogger(__name__)

#: Columns of a UCDP GED CSV (version 20+).
UCDP_COLUMNS: tuple[str, ...] = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "gwnoa",
    "gwnob",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
)

#: Columns that identify a UCDP GED file (for format detection by the import framework).
UCDP_SIGNATURE = frozenset({"id", "type_of_violence", "side_a", "side_b", "best", "where_prec", "date_prec"})

TYPE_OF_VIOLENCE: dict[int, tuple[str, str]] = {
    1: ("Battles", "Armed clash"),  # state-based conflict
    2: ("Battles", "Armed clash"),  # non-state conflict
    3: ("Violence against civilians", "Attack"),  # one-sided violence
}

#: UCDP where_prec (1 exact place ... 7 international waters) -> ACLED geo_precision.
WHERE_PREC_TO_GEO: dict[int, int] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
#: UCDP date_prec (1 exact day ... 5 a year or more) -> ACLED time_precision.
DATE_PREC_TO_TIME: dict[int, int] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}

#: UCDP country names that ACLED spells differently.
COUNTRY_NAMES: dict[str, str] = {
    "DR Congo (Zaire)": "Democratic Republic of Congo",
    "Congo": "Republic of Congo",
    "Ivory Coast": "Ivory Coast",
    "Cote d'Ivoire": "Ivory Coast",
    "Côte d’Ivoire": "Ivory Coast",
    "Myanmar (Burma)": "Myanmar",
    "Cambodia (Kampuchea)": "Cambodia",
    "Russia (Soviet Union)": "Russia",
    "Yemen (North Yemen)": "Yemen",
    "Zimbabwe (Rhodesia)": "Zimbabwe",
    "Madagascar (Malagasy)": "Madagascar",
    "Serbia (Yugoslavia)": "Serbia",
    "Bosnia-Herzegovina": "Bosnia and Herzegovina",
    "Kingdom of eSwatini (Swaziland)": "eSwatini",
    "Gambia": "Gambia",
}

#: ACLED region and ISO 3166-1 numeric code of the countries sahelwatch covers and their
#: neighbours (UCDP's country_id is a Gleditsch-Ward code, not ISO; its regions are continents).
COUNTRY_INFO: dict[str, tuple[str, int]] = {
    "Mali": ("Western Africa", 466),
    "Burkina Faso": ("Western Africa", 854),
    "Niger": ("Western Africa", 562),
    "Mauritania": ("Western Africa", 478),
    "Senegal": ("Western Africa", 686),
    "Guinea": ("Western Africa", 324),
    "Ivory Coast": ("Western Africa", 384),
    "Nigeria": ("Western Africa", 566),
    "Ghana": ("Western Africa", 288),
    "Benin": ("Western Africa", 204),
    "Togo": ("Western Africa", 768),
    "Gambia": ("Western Africa", 270),
    "Guinea-Bissau": ("Western Africa", 624),
    "Sierra Leone": ("Western Africa", 694),
    "Liberia": ("Western Africa", 430),
    "Cape Verde": ("Western Africa", 132),
    "Chad": ("Middle Africa", 148),
    "Cameroon": ("Middle Africa", 120),
    "Central African Republic": ("Middle Africa", 140),
    "Algeria": ("Northern Africa", 12),
    "Libya": ("Northern Africa", 434),
    "Sudan": ("Northern Africa", 729),
    "Morocco": ("Northern Africa", 504),
    "Tunisia": ("Northern Africa", 788),
    "Egypt": ("Northern Africa", 818),
}

_ADMIN_SUFFIX = re.compile(
    r"\s+(region|province|cercle|department|département|departement|district|prefecture|préfecture|"
    r"county|state|governorate|division|commune|municipality|arrondissement|circle)\s*$",
    re.IGNORECASE,
)
_PLACE_SUFFIX = re.compile(r"\s+(town|village|city|camp|area|hamlet|settlement)\s*$", re.IGNORECASE)
_GOVERNMENT = re.compile(r"^\s*government of\s+(.+?)\s*$", re.IGNORECASE)

# Words naming an organised armed group (inter 2) rather than a communal/identity militia (4).
_ORGANISED = re.compile(
    r"\b(front|movement|mouvement|group|groupe|army|armée|state|brigade|katiba|jama'?at|jamaat|jnim|"
    r"ansar|ansaroul|al-|islamic|coalition|council|conseil|forces?|platform|plateforme|alliance|"
    r"union|organi[sz]ation|hcua|mnla|mujao|gatia|msa|fla|cma|isgs|iswap|aqim|mlf|fpr|rebels?)\b",
    re.IGNORECASE,
)
_ABBREVIATION = re.compile(r"\bIS\b|\b[A-Z]{2,}(?:-[A-Z]+)?\b")  # IS, MNLA, CMA, GSIM ...
_SUPPORTERS = re.compile(r"\b(supporters?|partisans?)\b", re.IGNORECASE)
_IDENTITY = re.compile(
    r"\b(ethnic|communal|clan|tribe|tribal|militia|dozo|dozos|dan na ambassagou|koglweogo)\b", re.IGNORECASE
)


def _text(row: Mapping[str, str | None], name: str) -> str:
    v = row.get(name)
    if v is None:
        return ""
    return str(v).strip()


def _int(row: Mapping[str, str | None], name: str, *, required: bool = True) -> int | None:
    text = _text(row, name)
    if not text:
        if required:
            raise RowError(name, "missing value", text)
        return None
    try:
        f = float(text)
    except ValueError:
        raise RowError(name, "not a number", text) from None
    if math.isnan(f) or not f.is_integer():
        raise RowError(name, "not a whole number", text)
    return int(f)


def _float(row: Mapping[str, str | None], name: str) -> float | None:
    text = _text(row, name)
    if not text:
        return None
    try:
        f = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    except ValueError:
        raise RowError(name, "not a number", text) from None
    if math.isnan(f):
        return None
    return f


def _date(row: Mapping[str, str | None], name: str, *, required: bool = True) -> dt.date | None:
    """UCDP dates: '2019-01-05' or '2019-01-05 00:00:00.000' (also '05/01/2019' from spreadsheets)."""
    text = _text(row, name)
    if not text:
        if required:
            raise RowError(name, "missing date", text)
        return None
    head = text[:10]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    raise RowError(name, "unparseable date (expected YYYY-MM-DD)", text)


def acled_country(ucdp_country: str) -> str:
    """ACLED's spelling of a UCDP country name ('DR Congo (Zaire)' -> 'Democratic Republic of Congo')."""
    name = ucdp_country.strip()
    if name in COUNTRY_NAMES:
        return COUNTRY_NAMES[name]
    return re.sub(r"\s*\([^)]*\)\s*$", "", name)  # former names in brackets


def admin_name(ucdp_admin: str) -> str | None:
    """'Mopti region' -> 'Mopti', 'Douentza cercle' -> 'Douentza' (ACLED writes bare names)."""
    name = _ADMIN_SUFFIX.sub("", ucdp_admin.strip())
    return name or None


def place_name(where_coordinates: str) -> str | None:
    """'Boulkessi village' -> 'Boulkessi'; admin names lose their suffix too."""
    name = _PLACE_SUFFIX.sub("", where_coordinates.strip())
    name = _ADMIN_SUFFIX.sub("", name)
    return name or None


def ucdp_actor(side: str, country: str, *, type_of_violence: int) -> tuple[str, int]:
    """ACLED-style (name, inter code) for a UCDP side name.

    - "Government of X" -> "Military Forces of X", inter 1 when X is the event's country,
      8 (external forces) otherwise. ACLED adds the period to state forces ("(2013-2020)"),
      which UCDP does not give: the name is left without it.
    - "Civilians" (one-sided violence) -> "Civilians (<country>)", inter 7.
    - In state-based conflicts (type 1) side_b is an organised rebel group: inter 2.
    - In non-state conflicts (type 2) and one-sided violence (type 3), a side whose name says
      "supporters" is a political militia (3); a name with ethnic/communal words (Dozo, ethnic,
      militia, ...) or a bare group name with no organisation word ("Fulani", "Dogon") is an
      identity militia (4); names of organisations (front, movement, JNIM, Islamic State, ...)
      are rebel groups (2).
    """
    name = side.strip()
    gov = _GOVERNMENT.match(name)
    if gov:
        state = acled_country(gov.group(1))
        return f"Military Forces of {state}", 1 if state == country else 8
    if name.lower() in ("civilians", "civilian", "civilians (unknown)"):
        return f"Civilians ({country})", 7
    if type_of_violence == 1:
        return name, 2
    if _SUPPORTERS.search(name):
        return name, 3
    if _IDENTITY.search(name):
        return name, 4
    if _ORGANISED.search(name) or _ABBREVIATION.search(name):
        return name, 2
    if len(name.split()) <= 2:  # "Fulani", "Dogon", "Bambara": communal sides of UCDP non-state conflicts
        return name, 4
    return name, 2


@lru_cache(maxsize=1)
def shipped_registry() -> Any | None:
    """The project's actor registry (sahelwatch.actors), or None when it cannot be loaded."""
    try:
        return Registry.load()
    except Exception as exc:  # pragma: no cover - the registry is part of the package
        log.warning("actor registry unavailable (%s): UCDP actor names kept as UCDP writes them", exc)
        return None


def acled_actor(
    side: str,
    country: str,
    date: dt.date | None = None,
    *,
    type_of_violence: int,
    registry: Any | None = None,
) -> tuple[str, int]:
    """(name, inter) in ACLED's naming: the rules of ``ucdp_actor``, then the actor registry.

    With a registry: state forces get ACLED's period ("Military Forces of Mali (2013-2020)" for an
    event in 2019); groups the registry knows get their canonical ACLED name and inter code
    ("JNIM" -> "JNIM: Group for Support of Islam and Muslims", "GATIA" -> inter 3); communal sides
    of non-state conflicts become "<X> Ethnic Militia (<country>)" ("Fulani" -> "Fulani Ethnic
    Militia (Mali)"). The inter code of state forces stays the rule's (8 for foreign forces).
    """
    name, inter = ucdp_actor(side, country, type_of_violence=type_of_violence)
    if registry is None or inter == 7:
        return name, inter
    try:
        gov = _GOVERNMENT.match(side)
        if gov:
            return registry.state_forces(acled_country(gov.group(1)), date).name, inter
        actor = registry.normalise(side, country=country, date=date)
        if actor is not None and actor.inter in range(1, 9) and actor.inter != 7:
            return actor.name, actor.inter
        if inter == 4:
            identity = registry.identity(side)
            militia = registry.ethnic(identity, country, militia=True) if identity else None
            if militia is not None:
                return militia.name, 4
    except Exception as exc:  # a registry problem must not lose the event: keep the rule's answer
        log.debug("actor registry failed on %r: %s", side, exc)
    return name, inter


def is_ucdp_header(columns) -> bool:
    """True when a CSV header is a UCDP GED header."""
    return UCDP_SIGNATURE <= {str(c).strip().lower() for c in columns}


#: UCDP columns stored as ACLED fields (everything else is kept in ``extra``).
_MAPPED = {"id", "latitude", "longitude", "best", "date_start", "date_end", "country"}


_SHIPPED = "shipped"


def map_ucdp_row(row: Mapping[str, str | None], *, registry: Any = _SHIPPED) -> Event:
    """One UCDP GED CSV row -> Event (ACLED vocabulary). Raises RowError(field, reason, value).

    ``registry``: the actor registry used to give actors their ACLED names (default: the shipped
    one, ``sahelwatch.actors``); ``None`` keeps UCDP's names with the rules of ``ucdp_actor``.
    """
    if registry is _SHIPPED:
        registry = shipped_registry()
    ucdp_id = _text(row, "id")
    if not ucdp_id:
        raise RowError("id", "missing id", ucdp_id)
    if ucdp_id.endswith(".0") and ucdp_id[:-2].isdigit():
        ucdp_id = ucdp_id[:-2]

    tov = _int(row, "type_of_violence")
    if tov not in TYPE_OF_VIOLENCE:
        raise RowError(
            "type_of_violence",
            "unknown type_of_violence; expected 1 (state-based), 2 (non-state) or 3 (one-sided)",
            _text(row, "type_of_violence"),
        )
    event_type, sub_event_type = TYPE_OF_VIOLENCE[tov]

    start = _date(row, "date_start")
    end = _date(row, "date_end", required=False)
    if end is not None and end < start:
        raise RowError("date_end", f"ends before date_start {start.isoformat()}", _text(row, "date_end"))
    date_prec = _int(row, "date_prec", required=False)
    if date_prec is None:
        date_prec = 1 if end in (None, start) else 3
    if date_prec not in DATE_PREC_TO_TIME:
        raise RowError("date_prec", "not a UCDP date precision 1-5", _text(row, "date_prec"))

    lat, lon = _float(row, "latitude"), _float(row, "longitude")
    if (lat is None) != (lon is None):
        raise RowError(
            "latitude" if lat is None else "longitude",
            "only one coordinate given",
            _text(row, "latitude" if lat is None else "longitude"),
        )
    if lat is not None and not -90 <= lat <= 90:
        raise RowError("latitude", "outside -90..90", _text(row, "latitude"))
    if lon is not None and not -180 <= lon <= 180:
        raise RowError("longitude", "outside -180..180", _text(row, "longitude"))
    where_prec = _int(row, "where_prec", required=False)
    if where_prec is not None and where_prec not in WHERE_PREC_TO_GEO:
        raise RowError("where_prec", "not a UCDP location precision 1-7", _text(row, "where_prec"))

    best = _int(row, "best")
    if best < 0:
        raise RowError("best", "negative death count", _text(row, "best"))

    country_raw = _text(row, "country")
    if not country_raw:
        raise RowError("country", "missing country", country_raw)
    country = acled_country(country_raw)
    side_a, side_b = _text(row, "side_a"), _text(row, "side_b")
    if not side_a:
        raise RowError("side_a", "missing actor", side_a)
    actor1, inter1 = acled_actor(side_a, country, start, type_of_violence=tov, registry=registry)
    if tov == 3:
        actor2, inter2 = f"Civilians ({country})", 7
    elif side_b:
        actor2, inter2 = acled_actor(side_b, country, start, type_of_violence=tov, registry=registry)
    else:
        actor2, inter2 = None, 0

    region, iso = COUNTRY_INFO.get(country, (None, None))
    extra: dict[str, object] = {"ucdp_id": ucdp_id}
    for name, value in row.items():
        if name is None or name in _MAPPED:
            continue
        value = "" if value is None else str(value).strip()
        if value != "":
            extra[name] = value
    if country != country_raw:
        extra["ucdp_country"] = country_raw

    location = (
        place_name(_text(row, "where_coordinates"))
        or admin_name(_text(row, "adm_2"))
        or admin_name(_text(row, "adm_1"))
    )
    return Event(
        event_id_cnty=f"UCDP-{ucdp_id}",
        event_date=start,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=actor1,
        country=country,
        year=start.year,
        time_precision=DATE_PREC_TO_TIME[date_prec],
        inter1=inter1,
        actor2=actor2,
        inter2=inter2,
        civilian_targeting="Civilian targeting" if tov == 3 else None,
        iso=iso,
        region=region,
        admin1=admin_name(_text(row, "adm_1")),
        admin2=admin_name(_text(row, "adm_2")),
        location=location,
        latitude=lat,
        longitude=lon,
        geo_precision=WHERE_PREC_TO_GEO[where_prec] if where_prec is not None else None,
        source=_text(row, "source_office").replace(";", "; ").replace(";  ", "; ") or None,
        fatalities=best,
        date_end=end if end is not None and end != start else None,
        provenance=Provenance(dataset="ucdp", method="import"),
        extra=extra,
    )


__all__ = [
    "map_ucdp_row",
    "ucdp_actor",
    "acled_actor",
    "shipped_registry",
    "acled_country",
    "admin_name",
    "place_name",
    "is_ucdp_header",
    "UCDP_COLUMNS",
    "UCDP_SIGNATURE",
    "TYPE_OF_VIOLENCE",
    "WHERE_PREC_TO_GEO",
    "DATE_PREC_TO_TIME",
]
