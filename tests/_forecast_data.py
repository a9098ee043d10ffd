"""Synthetic ACLED-like events for the forecast tests (written for the tests; no real rows)."""

from __future__ import annotations

import numpy as np
import pandas as pd

# (lat, lon, admin1, admin2, base monthly rate of violent events)
SITES = [
    (14.49, -4.19, "Mopti", "Mopti", 2.0),
    (14.60, -4.40, "Mopti", "Mopti", 0.0),
    (14.10, -3.60, "Mopti", "Bandiagara", 1.2),
    (14.35, -3.10, "Mopti", "Bankass", 0.6),
    (15.20, -1.80, "Mopti", "Douentza", 0.8),
    (16.27, -0.04, "Gao", "Gao", 1.0),
    (15.90, 0.40, "Gao", "Ansongo", 0.5),
    (15.50, 1.90, "Menaka", "Menaka", 0.9),
    (16.77, -3.01, "Tombouctou", "Tombouctou", 0.4),
    (12.65, -8.00, "Bamako", "Bamako", 0.0),
]
CODES = [
    ("Battles", "Armed clash", 1, 2),
    ("Battles", "Armed clash", 3, 4),
    ("Violence against civilians", "Attack", 2, 7),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 2, 1),
]
ACTORS = {
    1: "Military Forces of Mali (2013-2020)",
    2: "JNIM: Group for Support of Islam and Muslims",
    3: "Dan Na Ambassagou",
    4: "Fulani Ethnic Militia (Mali)",
    7: "Civilians (Mali)",
}


def synthetic_events(
    months: int = 30, start: str = "2017-01", seed: int = 0, protests: bool = True
) -> pd.DataFrame:
    """Persistent hot spots with Poisson events, a mix of violence types, a protest per month in Bamako."""
    rng = np.random.default_rng(seed)
    rows = []
    first = pd.Timestamp(start + "-01")
    k = 0
    for m in range(months):
        month_start = first + pd.DateOffset(months=m)
        for lat, lon, a1, a2, rate in SITES:
            lam = rate * (1 + 0.5 * np.sin(m / 4))
            for _ in range(rng.poisson(lam)):
                et, st, i1, i2 = CODES[rng.integers(len(CODES))]
                rows.append(
                    dict(
                        event_id_cnty=f"SYN{k}",
                        event_date=month_start + pd.Timedelta(days=int(rng.integers(0, 28))),
                        event_type=et,
                        sub_event_type=st,
                        actor1=ACTORS[i1],
                        inter1=i1,
                        actor2=ACTORS[i2],
                        inter2=i2,
                        country="Mali",
                        admin1=a1,
                        admin2=a2,
                        latitude=lat,
                        longitude=lon,
                        fatalities=int(rng.negative_binomial(1, 0.25)),
                    )
                )
                k += 1
        if protests:
            rows.append(
                dict(
                    event_id_cnty=f"SYN{k}",
                    event_date=month_start + pd.Timedelta(days=3),
                    event_type="Protests",
                    sub_event_type="Peaceful protest",
                    actor1="Protesters (Mali)",
                    inter1=6,
                    actor2=None,
                    inter2=0,
                    country="Mali",
                    admin1="Bamako",
                    admin2="Bamako",
                    latitude=12.65,
                    longitude=-8.0,
                    fatalities=0,
                )
            )
            k += 1
    df = pd.DataFrame(rows)
    df["assoc_actor_1"] = None
    df["assoc_actor_2"] = None
    return df
