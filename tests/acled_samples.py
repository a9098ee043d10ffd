"""Small ACLED-format inputs written for the tests (invented events, real place names)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

CURRENT_HEADER = [
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
]

JNIM = "JNIM: Group for Support of Islam and Muslims"
ISGS = "Islamic State (West Africa) - Greater Sahara Faction"
FAMA = "Military Forces of Mali (2013-2020)"


def row(
    eid,
    date,
    etype,
    stype,
    a1,
    i1,
    a2="",
    i2=0,
    *,
    fat=0,
    lat="14.35",
    lon="-3.61",
    loc="Douentza",
    admin1="Mopti",
    admin2="Douentza",
    country="Mali",
    iso=466,
    ts=1600000000,
    notes="",
    assoc1="",
    assoc2="",
    gp=1,
    tp=1,
    civ="",
):
    inter = int(f"{min(i1, i2)}{max(i1, i2)}") if i2 else i1 * 10
    return {
        "event_id_cnty": eid,
        "event_date": date,
        "year": date[:4],
        "time_precision": tp,
        "disorder_type": "",
        "event_type": etype,
        "sub_event_type": stype,
        "actor1": a1,
        "assoc_actor_1": assoc1,
        "inter1": i1,
        "actor2": a2,
        "assoc_actor_2": assoc2,
        "inter2": i2,
        "interaction": inter,
        "civilian_targeting": civ,
        "iso": iso,
        "region": "Western Africa",
        "country": country,
        "admin1": admin1,
        "admin2": admin2,
        "admin3": "",
        "location": loc,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": gp,
        "source": "Test Wire",
        "source_scale": "National",
        "notes": notes or f"On {date}, test event {eid}.",
        "fatalities": fat,
        "tags": "",
        "timestamp": ts,
    }


def sample_rows() -> list[dict]:
    return [
        row(
            "MLI9001",
            "2019-03-02",
            "Battles",
            "Armed clash",
            FAMA,
            1,
            JNIM,
            2,
            fat=4,
            notes="On 2 March 2019, soldiers clashed with JNIM militants near Douentza. 4 killed.",
        ),
        row(
            "MLI9002",
            "2019-03-05",
            "Violence against civilians",
            "Attack",
            ISGS,
            2,
            "Civilians (Mali)",
            7,
            fat=6,
            lat="15.93",
            lon="0.17",
            loc="Menaka",
            admin1="Menaka",
            admin2="Menaka",
            civ="Civilian targeting",
            assoc2="Tuareg Ethnic Group (Mali)",
        ),
        row(
            "MLI9003",
            "2019-04-10",
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
            JNIM,
            2,
            FAMA,
            1,
            fat=2,
            lat="14.00",
            lon="-3.00",
            loc="Boni",
            admin2="Douentza",
        ),
        row(
            "MLI9004",
            "2019-05-01",
            "Protests",
            "Peaceful protest",
            "Protesters (Mali)",
            6,
            fat=0,
            lat="12.65",
            lon="-8.00",
            loc="Bamako",
            admin1="Bamako",
            admin2="Bamako",
            assoc1="Students (Mali)",
        ),
        row(
            "BFO9001",
            "2019-06-15",
            "Battles",
            "Armed clash",
            "Military Forces of Burkina Faso (2015-2022)",
            1,
            ISGS,
            2,
            fat=12,
            lat="14.10",
            lon="-1.63",
            loc="Djibo",
            admin1="Sahel",
            admin2="Soum",
            country="Burkina Faso",
            iso=854,
        ),
    ]


def write_csv(path: Path, rows: list[dict], header: list[str] | None = None, encoding: str = "utf-8") -> Path:
    header = header or CURRENT_HEADER
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding=encoding)
    return path
