"""Write the bundled demo data: synthetic ACLED-format events (invented, not ACLED's).

The events are generated from a fixed seed around real towns of Mali, Burkina Faso and Niger,
with plausible actors and types, so the demo and docs have something realistic to show without
shipping any ACLED row. Run: .venv/bin/python scripts/make_sample_data.py
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/sahelwatch/data/sample/sample_events.csv"
OUT_UCDP = OUT.with_name("sample_ucdp_ged.csv")

# (location, country, iso, admin1, admin2, lat, lon) — public coordinates of real towns
TOWNS = [
    ("Mopti", "Mali", 466, "Mopti", "Mopti", 14.4843, -4.1830),
    ("Douentza", "Mali", 466, "Mopti", "Douentza", 15.0019, -2.9497),
    ("Boni", "Mali", 466, "Mopti", "Douentza", 15.0756, -1.7944),
    ("Bankass", "Mali", 466, "Mopti", "Bankass", 14.0759, -3.5188),
    ("Koro", "Mali", 466, "Mopti", "Koro", 14.0683, -3.0816),
    ("Djenne", "Mali", 466, "Mopti", "Djenne", 13.9061, -4.5533),
    ("Menaka", "Mali", 466, "Menaka", "Menaka", 15.9182, 2.4022),
    ("Ansongo", "Mali", 466, "Gao", "Ansongo", 15.6597, 0.5022),
    ("Gao", "Mali", 466, "Gao", "Gao", 16.2666, -0.0400),
    ("Tessit", "Mali", 466, "Gao", "Ansongo", 15.2100, 0.9700),
    ("Niono", "Mali", 466, "Segou", "Niono", 14.2526, -5.9929),
    ("Bamako", "Mali", 466, "Bamako", "Bamako", 12.6392, -8.0029),
    ("Djibo", "Burkina Faso", 854, "Sahel", "Soum", 14.1022, -1.6306),
    ("Arbinda", "Burkina Faso", 854, "Sahel", "Soum", 14.2308, -0.8664),
    ("Dori", "Burkina Faso", 854, "Sahel", "Seno", 14.0354, -0.0345),
    ("Gorom-Gorom", "Burkina Faso", 854, "Sahel", "Oudalan", 14.4439, -0.2361),
    ("Kaya", "Burkina Faso", 854, "Centre-Nord", "Sanmatenga", 13.0917, -1.0844),
    ("Fada N'Gourma", "Burkina Faso", 854, "Est", "Gourma", 12.0616, 0.3584),
    ("Ouahigouya", "Burkina Faso", 854, "Nord", "Yatenga", 13.5828, -2.4216),
    ("Ouagadougou", "Burkina Faso", 854, "Centre", "Kadiogo", 12.3714, -1.5197),
    ("Tillaberi", "Niger", 562, "Tillaberi", "Tillaberi", 14.2117, 1.4531),
    ("Ayorou", "Niger", 562, "Tillaberi", "Tillaberi", 14.7308, 0.9174),
    ("Ouallam", "Niger", 562, "Tillaberi", "Ouallam", 14.3189, 2.0859),
    ("Inates", "Niger", 562, "Tillaberi", "Ayerou", 15.2330, 1.0850),
    ("Niamey", "Niger", 562, "Niamey", "Niamey", 13.5137, 2.1098),
]
JNIM = "JNIM: Group for Support of Islam and Muslims"
ISGS = "Islamic State (West Africa) - Greater Sahara Faction"
STATE = {
    "Mali": "Military Forces of Mali (2013-2020)",
    "Burkina Faso": "Military Forces of Burkina Faso (2015-2022)",
    "Niger": "Military Forces of Niger (2011-2021)",
}
# where each group is strongest (weights by admin1): the demo's "areas of influence"
AREA = {
    JNIM: {"Mopti": 5, "Segou": 3, "Sahel": 2, "Nord": 2, "Centre-Nord": 2, "Est": 1, "Gao": 1},
    ISGS: {"Menaka": 5, "Gao": 3, "Tillaberi": 5, "Sahel": 3, "Est": 1},
}
HEADER = [
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
PREFIX = {"Mali": "SWMLI", "Burkina Faso": "SWBFO", "Niger": "SWNIR"}


def main(n: int = 600, seed: int = 20200403) -> None:
    rng = random.Random(seed)
    start = dt.date(2019, 1, 1)
    rows = []
    for i in range(n):
        group = JNIM if rng.random() < 0.55 else ISGS
        weights = AREA[group]
        towns = [t for t in TOWNS if t[3] in weights]
        town = rng.choices(towns, weights=[weights[t[3]] for t in towns])[0]
        loc, country, iso, adm1, adm2, lat, lon = town
        # violence grows through 2020: the demo has a trend for alerts and forecasts
        day = start + dt.timedelta(days=int(rng.triangular(0, 730, 700)))
        kind = rng.choices(
            ["clash", "attack", "ied", "abduction", "looting", "protest"], [30, 35, 15, 8, 6, 6]
        )[0]
        state = STATE[country]
        civ = f"Civilians ({country})"
        if kind == "protest":
            loc, country, iso, adm1, adm2, lat, lon = rng.choice(
                [t for t in TOWNS if t[0] in ("Bamako", "Ouagadougou", "Niamey")]
            )
            et, st, a1, i1, a2, i2, fat = (
                "Protests",
                "Peaceful protest",
                f"Protesters ({country})",
                6,
                "",
                0,
                0,
            )
            note = f"On {day:%-d %B %Y}, residents demonstrated in {loc} against insecurity in the north."
        elif kind == "clash":
            et, st, a1, i1, a2, i2 = "Battles", "Armed clash", group, 2, state, 1
            fat = rng.choice([0, 1, 2, 3, 4, 5, 7, 10, 12, 20])
            note = f"On {day:%-d %B %Y}, {'JNIM' if group == JNIM else 'ISGS'} militants clashed with soldiers near {loc} ({adm2}, {adm1}). {fat} killed."
        elif kind == "attack":
            et, st, a1, i1, a2, i2 = "Violence against civilians", "Attack", group, 2, civ, 7
            fat = rng.choice([1, 2, 3, 4, 6, 8, 15])
            note = f"On {day:%-d %B %Y}, suspected {'JNIM' if group == JNIM else 'ISGS'} militants attacked villagers near {loc} ({adm2}, {adm1}), killing {fat}."
        elif kind == "ied":
            et, st, a1, i1, a2, i2 = (
                "Explosions/Remote violence",
                "Remote explosive/landmine/IED",
                group,
                2,
                state,
                1,
            )
            fat = rng.choice([0, 1, 2, 3, 4])
            note = f"On {day:%-d %B %Y}, a military vehicle hit an IED planted by {'JNIM' if group == JNIM else 'ISGS'} militants near {loc} ({adm2}, {adm1}). {fat} soldier{'' if fat == 1 else 's'} killed."
        elif kind == "abduction":
            et, st, a1, i1, a2, i2, fat = (
                "Violence against civilians",
                "Abduction/forced disappearance",
                group,
                2,
                civ,
                7,
                0,
            )
            note = f"On {day:%-d %B %Y}, {'JNIM' if group == JNIM else 'ISGS'} militants abducted a village chief near {loc} ({adm2}, {adm1})."
        else:
            et, st, a1, i1, a2, i2, fat = (
                "Strategic developments",
                "Looting/property destruction",
                group,
                2,
                civ,
                7,
                0,
            )
            note = f"On {day:%-d %B %Y}, {'JNIM' if group == JNIM else 'ISGS'} militants stole livestock near {loc} ({adm2}, {adm1})."
        jitter = 0.0 if kind == "protest" else 0.45  # "near" a town: spreads over neighbouring cells
        la, lo = round(lat + rng.uniform(-jitter, jitter), 4), round(lon + rng.uniform(-jitter, jitter), 4)
        interaction = (10 * min(i1, i2) + max(i1, i2)) if i2 else 10 * i1
        rows.append(
            {
                "event_id_cnty": f"{PREFIX[country]}{i + 1:04d}",
                "event_date": day.isoformat(),
                "year": day.year,
                "time_precision": 1,
                "disorder_type": "",
                "event_type": et,
                "sub_event_type": st,
                "actor1": a1,
                "assoc_actor_1": "",
                "inter1": i1,
                "actor2": a2,
                "assoc_actor_2": "",
                "inter2": i2,
                "interaction": interaction,
                "civilian_targeting": "Civilian targeting"
                if a2 == civ and et == "Violence against civilians"
                else "",
                "iso": iso,
                "region": "Western Africa",
                "country": country,
                "admin1": adm1,
                "admin2": adm2,
                "admin3": "",
                "location": loc,
                "latitude": la,
                "longitude": lo,
                "geo_precision": 1 if jitter == 0 else 2,
                "source": "sahelwatch synthetic sample",
                "source_scale": "Other",
                "notes": note,
                "fatalities": fat,
                "tags": "synthetic",
                "timestamp": 1700000000 + i,
            }
        )
    rows.sort(key=lambda r: (r["event_date"], r["event_id_cnty"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} synthetic events to {OUT}")


UCDP_COLUMNS = [
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
]
GW = {"Mali": 432, "Burkina Faso": 439, "Niger": 436}


def main_ucdp(n: int = 80, seed: int = 7) -> None:
    """Synthetic UCDP GED rows (invented) so the demo shows a second dataset mapped onto ACLED's."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        loc, country, _iso, adm1, adm2, lat, lon = rng.choice(
            [t for t in TOWNS if t[0] not in ("Bamako", "Niamey", "Ouagadougou")]
        )
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(730))
        tov = rng.choice([1, 1, 2, 3])
        group = rng.choice(["JNIM", "IS Sahel"])
        side_a, side_b = (
            (f"Government of {country}", group)
            if tov == 1
            else (group, "IS Sahel" if group == "JNIM" else "JNIM")
            if tov == 2
            else (group, "Civilians")
        )
        best = rng.choice([1, 2, 3, 5, 8, 12])
        row = {c: "" for c in UCDP_COLUMNS}
        row.update(
            {
                "id": str(990000 + i),
                "relid": f"SYN-{day.year}-{tov}-{i}",
                "year": str(day.year),
                "active_year": "1",
                "code_status": "Clear",
                "type_of_violence": str(tov),
                "dyad_name": f"{side_a} - {side_b}",
                "side_a": side_a,
                "side_b": side_b,
                "number_of_sources": "1",
                "source_office": "sahelwatch synthetic",
                "source_article": "synthetic sample",
                "where_prec": rng.choice(["1", "1", "2", "4"]),
                "gwnoa": str(GW[country]) if tov == 1 else "",
                "where_coordinates": f"{loc} town",
                "adm_1": f"{adm1} region",
                "adm_2": f"{adm2} cercle",
                "latitude": f"{lat:.4f}",
                "longitude": f"{lon:.4f}",
                "geom_wkt": f"POINT ({lon:.4f} {lat:.4f})",
                "country": country,
                "country_id": str(GW[country]),
                "region": "Africa",
                "event_clarity": "1",
                "date_prec": "1",
                "date_start": f"{day} 00:00:00.000",
                "date_end": f"{day} 00:00:00.000",
                "deaths_a": "0",
                "deaths_b": str(best) if tov != 3 else "0",
                "deaths_civilians": str(best) if tov == 3 else "0",
                "deaths_unknown": "0",
                "best": str(best),
                "high": str(best + rng.randrange(3)),
                "low": str(best),
            }
        )
        rows.append(row)
    with open(OUT_UCDP, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=UCDP_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} synthetic UCDP GED rows to {OUT_UCDP}")


if __name__ == "__main__":
    main()
    main_ucdp()
