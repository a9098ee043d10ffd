"""The domain model: one event shape for every source (ACLED, UCDP, our own extraction).

ACLED's export columns are the interface (``ACLED_COLUMNS``); provenance and sources are added
so that every event says where it came from and how it was coded.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from . import taxonomy
from .errors import InputError

#: Columns of a current ACLED export, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

CodingMethod = Literal["import", "rule", "model", "manual"]


@dataclass(slots=True)
class Provenance:
    """Where an event or claim came from and how it was coded."""

    dataset: str | None = None  # "acled", "ucdp", "extract", ...
    file: str | None = None  # file name the row came from
    row: int | None = None  # 1-based line number of the (first) row in that file
    document_id: str | None = None  # for extracted events
    sentence: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    method: CodingMethod = "import"
    confidence: float = 1.0


@dataclass(slots=True)
class Event:
    """One ACLED-style event. Field names and vocabulary are ACLED's."""

    event_id_cnty: str
    event_date: dt.date
    event_type: str
    sub_event_type: str | None
    actor1: str
    country: str
    year: int | None = None
    time_precision: int = 1
    disorder_type: str | None = None
    assoc_actor_1: str | None = None
    inter1: int = 0
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int = 0
    interaction: int | None = None
    civilian_targeting: str | None = None
    iso: int | None = None
    region: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    source: str | None = None
    source_scale: str | None = None
    notes: str | None = None
    fatalities: int = 0
    tags: str | None = None
    timestamp: int | None = None
    # beyond ACLED
    date_end: dt.date | None = None  # last day when the source gives a range
    wounded: int | None = None
    provenance: Provenance = field(default_factory=Provenance)
    sources: list[Provenance] = field(default_factory=list)
    extra: dict[str, Any] = field(
        default_factory=dict
    )  # source columns with no ACLED home (kept for round trips)

    def __post_init__(self) -> None:
        if self.year is None:
            self.year = self.event_date.year
        if self.interaction is None:
            self.interaction = taxonomy.interaction(self.inter1, self.inter2)
        if (
            self.disorder_type is None
            and taxonomy.check_types(self.event_type, self.sub_event_type, allow_missing_sub=True) is None
        ):
            self.disorder_type = taxonomy.disorder_type(self.event_type, self.sub_event_type)

    def problems(self, *, allow_missing_sub: bool = False) -> list[tuple[str, str]]:
        """Validation: a list of (field, reason); empty when the event is valid."""
        out: list[tuple[str, str]] = []
        if not self.event_id_cnty:
            out.append(("event_id_cnty", "missing id"))
        why = taxonomy.check_types(self.event_type, self.sub_event_type, allow_missing_sub=allow_missing_sub)
        if why:
            out.append(("sub_event_type" if "sub_event_type" in why else "event_type", why))
        out.extend(check_coordinates(self.latitude, self.longitude))
        if self.geo_precision is not None and self.geo_precision not in (1, 2, 3):
            out.append(("geo_precision", f"{self.geo_precision} is not 1, 2 or 3"))
        if self.time_precision not in (1, 2, 3):
            out.append(("time_precision", f"{self.time_precision} is not 1, 2 or 3"))
        for name in ("inter1", "inter2"):
            if getattr(self, name) not in range(0, 9):
                out.append((name, f"{getattr(self, name)} is not an inter code 0-8"))
        if self.fatalities is None or self.fatalities < 0:
            out.append(("fatalities", f"{self.fatalities!r} is not a count"))
        if self.date_end is not None and self.date_end < self.event_date:
            out.append(("date_end", "ends before event_date"))
        return out

    def acled_row(self) -> dict[str, Any]:
        """The event as one row of an ACLED export (dyadic)."""
        return {c: getattr(self, c) for c in ACLED_COLUMNS}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def as_date(value: Any, name: str = "date") -> dt.date | None:
    """A date from a date, datetime, pandas Timestamp or 'YYYY-MM-DD…' text; None for None/''.
    Anything else is an ``InputError`` naming the field."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp (NaT included)
        return None if value != value else value.to_pydatetime().date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(f"{name}: {value!r} is not a date; use YYYY-MM-DD") from None


def check_coordinates(lat: float | None, lon: float | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if (lat is None) != (lon is None):
        out.append(("latitude" if lat is None else "longitude", "only one coordinate given"))
    if lat is not None and (math.isnan(lat) or not -90 <= lat <= 90):
        out.append(("latitude", f"{lat} is outside -90..90"))
    if lon is not None and (math.isnan(lon) or not -180 <= lon <= 180):
        out.append(("longitude", f"{lon} is outside -180..180"))
    return out


@dataclass(slots=True)
class Actor:
    """An actor of the registry: ACLED-style canonical name with aliases."""

    name: str
    inter: int
    aliases: list[str] = field(default_factory=list)
    affiliation: str | None = None  # e.g. "al-Qaeda", "Islamic State", "Mali"
    country: str | None = None
    active_from: int | None = None  # year
    active_to: int | None = None  # year, None = still active
    parent: str | None = None  # e.g. Katiba Macina -> JNIM
    kind: str | None = None  # state, rebel, militia, external, civilians, ...


@dataclass(slots=True)
class Place:
    """A gazetteer entry."""

    name: str
    latitude: float
    longitude: float
    country_code: str  # ISO 3166-1 alpha-2
    geonameid: int | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    population: int = 0
    alternate_names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    """A report read by the extraction pipeline."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str | None = None
    bylines: list[str] = field(default_factory=list)
    source: str | None = None
    path: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


ClaimKind = Literal[
    "force_strength", "troop_numbers", "alliance", "rivalry", "affiliation", "pattern", "other"
]


@dataclass(slots=True)
class Claim:
    """A sourced statement that is not an event: strengths, alliances, rivalries..."""

    claim_id: str
    kind: str
    subject: str  # canonical actor name (or free text)
    text: str  # the sentence it came from
    object: str | None = None  # the other actor (alliances, rivalries)
    value: float | None = None  # a number (fighters, troops)
    value_text: str | None = None  # the number as written ("as many as 2,000")
    qualifier: str | None = None  # "at most", "about", "at least"
    stated_by: str | None = None  # who made the statement ("a US report")
    date: dt.date | None = None
    country: str | None = None
    provenance: Provenance = field(default_factory=Provenance)
