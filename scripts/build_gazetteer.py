#!/usr/bin/env python
"""Build the shipped gazetteer (src/sahelwatch/data/gazetteer/) from GeoNames dumps.

    python scripts/build_gazetteer.py --geonames ../shared/data/geonames \
        --boundaries ../shared/data/boundaries --out src/sahelwatch/data/gazetteer

Inputs (all open data):
* GeoNames per-country dumps (19 tab-separated columns; CC BY 4.0): ML BF NE MR SN GN CI.
  For Burkina Faso the newer BF_2021.txt is merged over BF.txt (newest modification date wins).
* OCHA P-code lists for ML/BF/NE admin1/admin2 (HDX, open): the canonical admin names (ACLED's).
* Burkina Faso department polygons (CC BY 4.0 conversion of a public-domain source): admin1-3 of
  every point in Burkina Faso; simplified to ~100 m.
* Natural Earth admin-0 outlines (public domain): which country a point is in; simplified.

Outputs: places.tsv.gz, admins.tsv, countries.tsv, admin_polygons.parquet, countries.parquet,
ATTRIBUTION. See docs/gazetteer.md for the method.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import gzip
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sahelwatch.gazetteer import (  # noqa: E402
    ADMIN_COLUMNS,
    PLACE_COLUMNS,
    AdminUnit,
    Country,
    Gazetteer,
    admin_key,
    distance_km,
    loose_key,
    name_key,
    place_keys,
)
from sahelwatch.model import Place  # noqa: E402

GEONAMES_COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "cc2",
    "admin1_code",
    "admin2_code",
    "admin3_code",
    "admin4_code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification_date",
)

COUNTRY_FILES = {
    "ML": ["ML.txt"],
    "BF": ["BF.txt", "BF_2021.txt"],
    "NE": ["NE.txt"],
    "MR": ["MR.txt"],
    "SN": ["SN.txt"],
    "GN": ["GN.txt"],
    "CI": ["CI.txt"],
}

#: features kept besides populated places and admin divisions: what conflict reports name.
KEEP_CODES = {
    "P": None,  # all populated places except the ones below
    "A": {"ADM1", "ADM2", "ADM3", "PCLI"},
    "V": {"FRST", "FRSTF"},
    "H": {
        "WLL",
        "WLLS",
        "WTRH",
        "LK",
        "LKI",
        "PND",
        "PNDI",
        "RSV",
        "DAM",
        "WAD",
        "STMI",
        "WTLD",
        "WTLDI",
        "MRSH",
    },
    "S": {
        "DAM",
        "BDG",
        "CMP",
        "AIRP",
        "AIRF",
        "MN",
        "MNAU",
        "MNN",
        "MILB",
        "INSM",
        "MKT",
        "PSTB",
        "PSTP",
        "FT",
    },
    "T": {"MT", "MTS", "PLAT"},
    "L": {"RESF", "RESW", "RES", "PRK", "RGN", "OAS", "LCTY", "AREA"},
}
DROP_P = {"PPLQ", "PPLH", "PPLW"}

#: country metadata: name, ISO alpha-2/alpha-3/numeric, ACLED region, capital and its coordinates, aliases.
COUNTRIES = [
    (
        "Mali",
        "ML",
        "MLI",
        466,
        "Western Africa",
        "Bamako",
        12.65,
        -8.0,
        ["Republic of Mali", "République du Mali"],
    ),
    (
        "Burkina Faso",
        "BF",
        "BFA",
        854,
        "Western Africa",
        "Ouagadougou",
        12.36566,
        -1.53388,
        ["Burkina", "Upper Volta", "Haute-Volta"],
    ),
    (
        "Niger",
        "NE",
        "NER",
        562,
        "Western Africa",
        "Niamey",
        13.51366,
        2.1098,
        ["Republic of Niger", "République du Niger"],
    ),
    ("Mauritania", "MR", "MRT", 478, "Western Africa", "Nouakchott", 18.08581, -15.9785, ["Mauritanie"]),
    ("Senegal", "SN", "SEN", 686, "Western Africa", "Dakar", 14.6937, -17.44406, ["Sénégal"]),
    (
        "Guinea",
        "GN",
        "GIN",
        324,
        "Western Africa",
        "Conakry",
        9.53795,
        -13.67729,
        ["Guinée", "Guinea-Conakry"],
    ),
    (
        "Ivory Coast",
        "CI",
        "CIV",
        384,
        "Western Africa",
        "Yamoussoukro",
        6.82055,
        -5.27674,
        ["Côte d'Ivoire", "Cote d'Ivoire", "Côte d’Ivoire"],
    ),
    ("Algeria", "DZ", "DZA", 12, "Northern Africa", "Algiers", 36.7525, 3.04197, ["Algérie"]),
    ("Libya", "LY", "LBY", 434, "Northern Africa", "Tripoli", 32.88722, 13.19133, ["Libye"]),
    ("Morocco", "MA", "MAR", 504, "Northern Africa", "Rabat", 34.01325, -6.83255, ["Maroc"]),
    ("Chad", "TD", "TCD", 148, "Middle Africa", "N'Djamena", 12.10672, 15.0444, ["Tchad"]),
    ("Cameroon", "CM", "CMR", 120, "Middle Africa", "Yaounde", 3.86667, 11.51667, ["Cameroun"]),
    ("Nigeria", "NG", "NGA", 566, "Western Africa", "Abuja", 9.05785, 7.49508, []),
    ("Benin", "BJ", "BEN", 204, "Western Africa", "Porto-Novo", 6.49646, 2.60359, ["Bénin"]),
    ("Togo", "TG", "TGO", 768, "Western Africa", "Lome", 6.13748, 1.21227, []),
    ("Ghana", "GH", "GHA", 288, "Western Africa", "Accra", 5.55602, -0.1969, []),
    ("Gambia", "GM", "GMB", 270, "Western Africa", "Banjul", 13.45274, -16.57803, ["The Gambia", "Gambie"]),
    ("Guinea-Bissau", "GW", "GNB", 624, "Western Africa", "Bissau", 11.86357, -15.59767, ["Guinée-Bissau"]),
    ("Liberia", "LR", "LBR", 430, "Western Africa", "Monrovia", 6.30054, -10.7969, []),
    ("Sierra Leone", "SL", "SLE", 694, "Western Africa", "Freetown", 8.48714, -13.2356, []),
    ("Cape Verde", "CV", "CPV", 132, "Western Africa", "Praia", 14.93152, -23.51254, ["Cabo Verde"]),
    ("Sudan", "SD", "SDN", 729, "Northern Africa", "Khartoum", 15.55177, 32.53241, ["Soudan"]),
    ("Syria", "SY", "SYR", 760, "Middle East", "Damascus", 33.5102, 36.29128, ["Syrie"]),
    ("Iraq", "IQ", "IRQ", 368, "Middle East", "Baghdad", 33.34058, 44.40088, ["Irak"]),
    ("Yemen", "YE", "YEM", 887, "Middle East", "Sanaa", 15.35472, 44.20667, ["Yémen"]),
    ("Afghanistan", "AF", "AFG", 4, "South Asia", "Kabul", 34.52813, 69.17233, []),
    ("France", "FR", "FRA", 250, "Europe", "Paris", 48.85341, 2.3488, []),
    (
        "United States",
        "US",
        "USA",
        840,
        "North America",
        "Washington",
        38.89511,
        -77.03637,
        ["United States of America", "USA", "the United States", "America", "Etats-Unis"],
    ),
]
NE_ADM0 = {
    "BEN": "BJ",
    "BFA": "BF",
    "CIV": "CI",
    "DZA": "DZ",
    "GHA": "GH",
    "GIN": "GN",
    "LBY": "LY",
    "MLI": "ML",
    "MRT": "MR",
    "NER": "NE",
    "NGA": "NG",
    "SEN": "SN",
    "TCD": "TD",
    "TGO": "TG",
}


def read_geonames(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 19:
                raise SystemExit(f"{path}: a line has {len(parts)} columns, expected 19: {line[:80]!r}")
            rows.append(dict(zip(GEONAMES_COLUMNS, parts)))
    return rows


def keep(r: dict) -> bool:
    fc, code = r["feature_class"], r["feature_code"]
    if fc not in KEEP_CODES:
        return False
    if fc == "P":
        return code not in DROP_P
    return code in KEEP_CODES[fc]


def latin(name: str) -> bool:
    if not name or "http" in name or len(name) > 80:
        return False
    s = unicodedata.normalize("NFKD", name)
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(ord(c) < 0x250 for c in letters)


def clean_admin_display(name: str) -> str:
    """'Région de Dakar' -> 'Dakar', 'Kayes Region' -> 'Kayes' (keeps case and accents)."""
    import re

    s = name.strip()
    s = re.sub(
        r"^(R[ée]gion|Cercle|Province|D[ée]partement|Pr[ée]fecture|Commune|District|Wilaya|Moughataa)"
        r"( autonome)?( de la| de l'| de l’| du| des| de| d'| d’)\s*",
        "",
        s,
        flags=re.I,
    )
    s = re.sub(
        r"\s+(Region|Administrative Region|Cercle|Province|Department|Prefecture|Commune|District|Wilaya)$",
        "",
        s,
        flags=re.I,
    )
    return s.strip()


def unaccent(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


class Matcher:
    """Match names against canonical unit names: key, aliases, then fuzzy (difflib >= 0.84)."""

    def __init__(self, names: list[str], aliases: dict[str, list[str]]):
        self.by_key: dict[str, str] = {}
        for n in names:
            self.by_key.setdefault(admin_key(n), n)
            for a in aliases.get(n, []):
                self.by_key.setdefault(admin_key(a), n)

    def __call__(self, *candidates: str) -> str | None:
        for c in candidates:
            if c and admin_key(c) in self.by_key:
                return self.by_key[admin_key(c)]
        for c in candidates:
            if not c:
                continue
            best = difflib.get_close_matches(admin_key(c), list(self.by_key), n=1, cutoff=0.84)
            if best:
                return self.by_key[best[0]]
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--geonames", type=Path, default=ROOT.parent / "shared/data/geonames")
    ap.add_argument("--boundaries", type=Path, default=ROOT.parent / "shared/data/boundaries")
    ap.add_argument("--out", type=Path, default=ROOT / "src/sahelwatch/data/gazetteer")
    ap.add_argument("--countries", default=",".join(COUNTRY_FILES), help="ISO alpha-2 codes, comma-separated")
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    aliases_all = (
        yaml.safe_load((out / "admin_aliases.yaml").read_text("utf-8"))
        if (out / "admin_aliases.yaml").exists()
        else yaml.safe_load((ROOT / "src/sahelwatch/data/gazetteer/admin_aliases.yaml").read_text("utf-8"))
    )

    # ------------------------------------------------------------ read GeoNames
    rows_by_cc: dict[str, list[dict]] = {}
    for cc in args.countries.split(","):
        merged: dict[str, dict] = {}
        for fname in COUNTRY_FILES[cc]:
            path = args.geonames / fname
            if not path.exists():
                print(f"warning: {path} missing", file=sys.stderr)
                continue
            for r in read_geonames(path):
                old = merged.get(r["geonameid"])
                if old is None or r["modification_date"] >= old["modification_date"]:
                    merged[r["geonameid"]] = r
        rows_by_cc[cc] = [r for r in merged.values() if r["country_code"] == cc and keep(r)]
        print(f"{cc}: {len(merged)} GeoNames rows, {len(rows_by_cc[cc])} kept", file=sys.stderr)

    # ------------------------------------------------------------ canonical admin units
    ocha: dict[str, dict] = defaultdict(lambda: {"1": {}, "2": []})
    iso3to2 = {c[2]: c[1] for c in COUNTRIES}
    pfile = args.boundaries / "pcodes_adm1_adm2_ML_BF_NE.csv"
    if pfile.exists():
        with pfile.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                cc = iso3to2[r["Location"]]
                if r["Admin Level"] == "1":
                    ocha[cc]["1"][r["P-Code"]] = r["Name"]
                else:
                    ocha[cc]["2"].append((r["Name"], r["P-Code"], r["Parent P-Code"]))

    admins: list[AdminUnit] = []
    gn_adm1_map: dict[tuple[str, str], str] = {}  # (cc, gn admin1 code) -> admin1 name
    gn_adm2_map: dict[tuple[str, str, str], tuple[str, str]] = {}  # (cc, a1code, a2code) -> (admin1, admin2)
    report_lines: list[str] = []

    for cc, rows in rows_by_cc.items():
        aliases = aliases_all.get(cc, {}) or {}
        adm1_rows = [r for r in rows if r["feature_code"] == "ADM1"]
        adm2_rows = [r for r in rows if r["feature_code"] == "ADM2"]
        places_p = [r for r in rows if r["feature_class"] == "P"]

        def seat_for(
            name: str,
            a1codes: set[str] | None,
            prefer=("PPLC", "PPLA", "PPLA2", "PPLA3"),
            near: tuple[float, float] | None = None,
            places_p=places_p,
        ):
            """The town named like the unit: admin seats first, then the most populous, then (homonyms
            with no population, e.g. five Kéniéba in Kayes) the one nearest the unit's GeoNames centre."""
            k = admin_key(name)

            def dist(r) -> float:
                if near is None:
                    return 0.0
                return distance_km(near[0], near[1], float(r["latitude"]), float(r["longitude"]))

            cands = []
            for r in places_p:
                if a1codes is not None and r["admin1_code"] not in a1codes:
                    continue
                keys = {name_key(r["name"]), name_key(r["asciiname"])}
                if k in keys:
                    rank = prefer.index(r["feature_code"]) if r["feature_code"] in prefer else len(prefer)
                    cands.append((rank, -int(r["population"] or 0), dist(r), r))
            if not cands:
                for r in places_p:
                    if a1codes is not None and r["admin1_code"] not in a1codes:
                        continue
                    alts = {name_key(a) for a in r["alternatenames"].split(",") if a}
                    if k in alts:
                        rank = prefer.index(r["feature_code"]) if r["feature_code"] in prefer else len(prefer)
                        cands.append((rank, -int(r["population"] or 0), dist(r), r))
            if not cands:
                return None
            cands.sort(key=lambda t: (t[0], t[1], t[2]))
            return cands[0][3]

        if cc in ocha:
            a1names = list(ocha[cc]["1"].values())
            m1 = Matcher(a1names, aliases)
            a1_of_code: dict[str, str] = {}
            for r in adm1_rows:
                alts = [a for a in r["alternatenames"].split(",") if a]
                got = m1(r["name"], r["asciiname"], *alts)
                if got:
                    a1_of_code[r["admin1_code"]] = got
                    gn_adm1_map[(cc, r["admin1_code"])] = got
                else:
                    report_lines.append(
                        f"{cc} ADM1 {r['name']!r} ({r['admin1_code']}) matches no OCHA admin1"
                    )
            codes_of_a1 = defaultdict(set)
            for code, n in a1_of_code.items():
                codes_of_a1[n].add(code)
            # admin2 units (canonical), seats and GeoNames centres
            a2names = [n for n, _, _ in ocha[cc]["2"]]
            m2 = Matcher(a2names, aliases)
            centre_of: dict[str, tuple[float, float]] = {}
            for r in adm2_rows:
                alts = [a for a in r["alternatenames"].split(",") if a and "http" not in a]
                got = m2(r["name"], r["asciiname"], *alts)
                if got:
                    centre_of.setdefault(got, (float(r["latitude"]), float(r["longitude"])))
                else:
                    report_lines.append(f"{cc} ADM2 {r['name']!r} matches no OCHA admin2")
            units1 = {}
            for pcode, n in ocha[cc]["1"].items():
                codes = codes_of_a1.get(n, set())
                seat = None
                for r in places_p:
                    if r["feature_code"] in ("PPLA", "PPLC") and r["admin1_code"] in codes:
                        seat = r
                        break
                if seat is None:
                    seat = seat_for(n, None)
                if seat is None:
                    report_lines.append(f"{cc} admin1 {n!r}: no seat found")
                    continue
                c = next((r for r in adm1_rows if r["admin1_code"] in codes), None)
                u = AdminUnit(
                    cc,
                    1,
                    n,
                    None,
                    None,
                    pcode,
                    float(seat["latitude"]),
                    float(seat["longitude"]),
                    int(seat["geonameid"]),
                    float(c["latitude"]) if c else None,
                    float(c["longitude"]) if c else None,
                    sorted(codes),
                    [a for a in aliases.get(n, [])],
                )
                units1[pcode] = u
                admins.append(u)
            for n, pcode, parent in ocha[cc]["2"]:
                a1 = ocha[cc]["1"].get(parent)
                codes = codes_of_a1.get(a1, set())
                # Ménaka/Taoudenni: GeoNames still codes those places under the old region
                if cc == "ML" and a1 in ("Menaka",):
                    codes = codes | codes_of_a1.get("Gao", set())
                seat = None
                centre = centre_of.get(n)
                for alias in [n, *aliases.get(n, [])]:
                    seat = seat_for(alias.replace("Ville de ", ""), codes or None, near=centre)
                    if seat:
                        break
                if seat is None and centre is None:
                    report_lines.append(f"{cc} admin2 {n!r} ({a1}): no seat, no centre; skipped")
                    continue
                lat, lon = (float(seat["latitude"]), float(seat["longitude"])) if seat else centre
                if seat is None:
                    report_lines.append(f"{cc} admin2 {n!r} ({a1}): no seat town found; centre used")
                admins.append(
                    AdminUnit(
                        cc,
                        2,
                        n,
                        a1,
                        None,
                        pcode,
                        lat,
                        lon,
                        int(seat["geonameid"]) if seat else None,
                        centre[0] if centre else None,
                        centre[1] if centre else None,
                        [],
                        list(aliases.get(n, [])),
                    )
                )
        else:
            # GeoNames names, cleaned ("Région de Dakar" -> "Dakar"), accents dropped as ACLED does
            a1_name: dict[str, str] = {}
            for r in adm1_rows:
                n = unaccent(clean_admin_display(r["name"]))
                a1_name[r["admin1_code"]] = n
                gn_adm1_map[(cc, r["admin1_code"])] = n
                seat = next(
                    (
                        p
                        for p in places_p
                        if p["feature_code"] in ("PPLA", "PPLC") and p["admin1_code"] == r["admin1_code"]
                    ),
                    None,
                ) or seat_for(n, {r["admin1_code"]})
                lat, lon = (
                    (float(seat["latitude"]), float(seat["longitude"]))
                    if seat
                    else (float(r["latitude"]), float(r["longitude"]))
                )
                admins.append(
                    AdminUnit(
                        cc,
                        1,
                        n,
                        None,
                        None,
                        None,
                        lat,
                        lon,
                        int(seat["geonameid"]) if seat else None,
                        float(r["latitude"]),
                        float(r["longitude"]),
                        [r["admin1_code"]],
                        sorted({r["name"], clean_admin_display(r["name"])} - {n}),
                    )
                )
            for r in adm2_rows:
                n = unaccent(clean_admin_display(r["name"]))
                a1 = a1_name.get(r["admin1_code"])
                if a1 is None:
                    continue
                gn_adm2_map[(cc, r["admin1_code"], r["admin2_code"])] = (a1, n)
                seat = seat_for(n, {r["admin1_code"]})
                lat, lon = (
                    (float(seat["latitude"]), float(seat["longitude"]))
                    if seat
                    else (float(r["latitude"]), float(r["longitude"]))
                )
                admins.append(
                    AdminUnit(
                        cc,
                        2,
                        n,
                        a1,
                        None,
                        None,
                        lat,
                        lon,
                        int(seat["geonameid"]) if seat else None,
                        float(r["latitude"]),
                        float(r["longitude"]),
                        [f"{r['admin1_code']}.{r['admin2_code']}"],
                        sorted({r["name"]} - {n}),
                    )
                )

    # ------------------------------------------------------------ Burkina Faso polygons (admin1-3)
    import shapely
    from shapely.geometry import shape
    from shapely.ops import unary_union

    poly_rows = []
    dep_file = args.boundaries / "burkinaFaso_departments.json"
    if dep_file.exists() and "BF" in rows_by_cc:
        bf1 = Matcher(
            [u.name for u in admins if u.country_code == "BF" and u.level == 1], aliases_all.get("BF", {})
        )
        bf2 = Matcher(
            [u.name for u in admins if u.country_code == "BF" and u.level == 2], aliases_all.get("BF", {})
        )
        feats = json.loads(dep_file.read_text("utf-8"))["features"]
        by_a2: dict[tuple[str, str], list] = defaultdict(list)
        places_bf = [r for r in rows_by_cc["BF"] if r["feature_class"] == "P"]
        for f in feats:
            p = f["properties"]
            a1 = bf1(p["ADM1"])
            a2 = bf2(p["ADM2"])
            if a1 is None or a2 is None:
                report_lines.append(f"BF polygon {p['ADM1']}/{p['ADM2']}/{p['ADM3']}: unmatched admin names")
                continue
            a3 = _title(p["ADM3"])
            geom = shape(f["geometry"]).buffer(0)
            simple = shapely.simplify(geom, 0.001, preserve_topology=True)
            by_a2[(a1, a2)].append(geom)
            # seat: the place named like the department inside it (else nearby), else the polygon's centre;
            # spelling variants (Barsalogo/Barsalogho, Matiakoali/Matiacoali) are matched by loose key
            k, lk = admin_key(a3), loose_key(a3)
            near = geom.buffer(0.05)
            cands = [
                r
                for r in places_bf
                if r["feature_class"] in ("P", "A")
                and (k in (name_key(r["name"]), name_key(r["asciiname"])) or lk == loose_key(r["asciiname"]))
            ]
            inside = [
                r for r in cands if near.contains(shapely.Point(float(r["longitude"]), float(r["latitude"])))
            ]
            inside.sort(
                key=lambda r: (
                    r["feature_class"] != "A",
                    name_key(r["asciiname"]) != k,
                    -int(r["population"] or 0),
                )
            )
            rp = geom.representative_point()
            seat = next(
                (
                    r
                    for r in inside
                    if r["feature_class"] == "P" and k in (name_key(r["name"]), name_key(r["asciiname"]))
                ),
                None,
            ) or next((r for r in inside if r["feature_class"] == "P"), None)
            # other spellings of the department: the boundary file's, the seat's GeoNames names
            aliases3 = {p["ADM3"]}
            exact = [r for r in inside if k in (name_key(r["name"]), name_key(r["asciiname"]))]
            for r in exact[:2]:
                aliases3.update(x for x in [r["name"], *r["alternatenames"].split(",")] if x and latin(x))
            aliases3 = {x for x in aliases3 if admin_key(x) != k or x == p["ADM3"]} - {a3}
            poly_rows.append(("BF", a1, a2, a3, shapely.to_wkb(simple)))
            lat, lon = (float(seat["latitude"]), float(seat["longitude"])) if seat else (rp.y, rp.x)
            admins.append(
                AdminUnit(
                    "BF",
                    3,
                    a3,
                    a1,
                    a2,
                    None,
                    lat,
                    lon,
                    int(seat["geonameid"]) if seat else None,
                    rp.y,
                    rp.x,
                    [],
                    sorted(aliases3),
                )
            )
        seat_rank = {"PPLC": 0, "PPLA": 1, "PPLA2": 2}
        for u in admins:
            if u.country_code == "BF" and u.level == 2 and (u.admin1, u.name) in by_a2:
                union = unary_union(by_a2[(u.admin1, u.name)])
                c = union.representative_point()
                u.centre_latitude, u.centre_longitude = c.y, c.x
                if True:
                    # provinces are not named after their seats (Soum -> Djibo; a village "Gourma" is not
                    # the seat of Gourma): the admin seat (PPLA2/PPLA/PPLC) inside the province
                    inside = [
                        r
                        for r in places_bf
                        if r["feature_code"] in seat_rank
                        and union.contains(shapely.Point(float(r["longitude"]), float(r["latitude"])))
                    ]
                    inside.sort(key=lambda r: (seat_rank[r["feature_code"]], -int(r["population"] or 0)))
                    if inside:
                        u.latitude, u.longitude = float(inside[0]["latitude"]), float(inside[0]["longitude"])
                        u.seat_geonameid = int(inside[0]["geonameid"])
                    else:
                        report_lines.append(f"BF admin2 {u.name!r}: no PPLA2 seat inside; centre used")
                        u.latitude, u.longitude = c.y, c.x
        print(f"BF: {len(poly_rows)} department polygons", file=sys.stderr)

    import pyarrow as pa
    import pyarrow.parquet as pq

    if poly_rows:
        t = pa.table(
            {
                k: [r[i] for r in poly_rows]
                for i, k in enumerate(["country_code", "admin1", "admin2", "admin3", "wkb"])
            }
        )
        pq.write_table(t, out / "admin_polygons.parquet", compression="zstd")

    # ------------------------------------------------------------ countries
    shapes_rows = []
    cfile = args.boundaries / "ne_50m_admin_0_countries_sahel_neighbours.geojson"
    if cfile.exists():
        for f in json.loads(cfile.read_text("utf-8"))["features"]:
            iso2 = NE_ADM0.get(f["properties"]["ADM0_A3"])
            if iso2:
                g = shapely.simplify(shape(f["geometry"]).buffer(0), 0.01, preserve_topology=True)
                shapes_rows.append((iso2, shapely.to_wkb(g)))
        pq.write_table(
            pa.table({"iso2": [r[0] for r in shapes_rows], "wkb": [r[1] for r in shapes_rows]}),
            out / "countries.parquet",
            compression="zstd",
        )
    with (out / "countries.tsv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n", escapechar="\\")
        w.writerow(
            [
                "name",
                "iso2",
                "iso3",
                "numeric",
                "region",
                "capital",
                "latitude",
                "longitude",
                "aliases",
                "in_gazetteer",
            ]
        )
        for name, iso2, iso3, num, region, cap, lat, lon, al in COUNTRIES:
            w.writerow([name, iso2, iso3, num, region, cap, lat, lon, "|".join(al), int(iso2 in rows_by_cc)])

    # ------------------------------------------------------------ places, with admin names
    places: list[Place] = []
    codes: list[str] = []
    a2codes: list[tuple[str, str]] = []
    for cc, rows in rows_by_cc.items():
        for r in rows:
            if r["feature_code"] == "PCLI":
                continue
            names, seen = [], {name_key(r["name"])}
            for n in [r["asciiname"], *r["alternatenames"].split(",")]:
                n = n.strip()
                k = name_key(n) if n else ""
                if k and k not in seen and latin(n):
                    seen.add(k)
                    names.append(n)
            places.append(
                Place(
                    r["name"],
                    float(r["latitude"]),
                    float(r["longitude"]),
                    cc,
                    int(r["geonameid"]),
                    r["feature_class"],
                    r["feature_code"],
                    None,
                    None,
                    None,
                    int(r["population"] or 0),
                    names[:25],
                )
            )
            codes.append(r["admin1_code"])
            a2codes.append((r["admin1_code"], r["admin2_code"]))
    countries = [
        Country(n, i2, i3, num, reg, cap, la, lo, al, i2 in rows_by_cc)
        for n, i2, i3, num, reg, cap, la, lo, al in COUNTRIES
    ]
    polygons = {}
    if poly_rows:
        from sahelwatch.gazetteer import _load_polygons

        polygons = _load_polygons(out / "admin_polygons.parquet")
    gz = Gazetteer(places, admins, countries, codes, polygons, {})
    n_assigned = Counter()
    for p, code, (c1, c2) in zip(places, codes, a2codes):
        if p.feature_code == "ADM1":
            p.admin1 = gn_adm1_map.get((p.country_code, code))
            n_assigned["adm1-self"] += 1
            continue
        known = gn_adm2_map.get((p.country_code, c1, c2)) if c2 else None
        if known:
            p.admin1, p.admin2 = known
            n_assigned["geonames-code"] += 1
            continue
        a1, a2, a3 = gz._assign(p.country_code, p.latitude, p.longitude, code or None)
        p.admin1, p.admin2, p.admin3 = a1, a2, a3
        n_assigned["polygon" if p.country_code in polygons else "nearest-seat"] += 1
    print(f"admin names assigned: {dict(n_assigned)}", file=sys.stderr)

    with gzip.open(out / "places.tsv.gz", "wt", encoding="utf-8", newline="", compresslevel=9) as fh:
        fh.write("\t".join(PLACE_COLUMNS) + "\n")
        for p, code in zip(places, codes):
            vals = [
                p.geonameid,
                p.name,
                f"{p.latitude:.5f}",
                f"{p.longitude:.5f}",
                p.country_code,
                p.feature_class,
                p.feature_code,
                p.population,
                p.admin1 or "",
                p.admin2 or "",
                p.admin3 or "",
                code,
                "|".join(p.alternate_names),
                "|".join(place_keys(p)),
            ]
            fh.write("\t".join(_clean(v) for v in vals) + "\n")
    with (out / "admins.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(ADMIN_COLUMNS) + "\n")
        for u in admins:
            vals = [
                u.country_code,
                u.level,
                u.name,
                u.admin1 or "",
                u.admin2 or "",
                u.pcode or "",
                f"{u.latitude:.5f}",
                f"{u.longitude:.5f}",
                u.seat_geonameid or "",
                "" if u.centre_latitude is None else f"{u.centre_latitude:.5f}",
                "" if u.centre_longitude is None else f"{u.centre_longitude:.5f}",
                "|".join(u.gn_codes),
                "|".join(u.aliases),
            ]
            fh.write("\t".join(_clean(v) for v in vals) + "\n")
    (out / "ATTRIBUTION").write_text(ATTRIBUTION, encoding="utf-8")
    (out / "build_report.txt").write_text("\n".join(report_lines) + "\n", encoding="utf-8")
    print(f"wrote {len(places)} places, {len(admins)} admin units to {out}", file=sys.stderr)
    for line in report_lines:
        print("  " + line, file=sys.stderr)
    return 0


def _title(s: str) -> str:
    """'Bobo-dioulasso' -> 'Bobo-Dioulasso' (boundary files lower-case after hyphens)."""
    return "-".join(w[:1].upper() + w[1:] for w in s.split("-"))


def _clean(v) -> str:
    return str(v).replace("\t", " ").replace("\n", " ").replace("\r", " ")


ATTRIBUTION = """\
sahelwatch gazetteer: data sources and licences
================================================

places.tsv.gz, admins.tsv (names, coordinates, populations, feature codes, alternate names)
  Derived from GeoNames (https://www.geonames.org/), per-country dumps ML, BF (2014 and 2021),
  NE, MR, SN, GN, CI. GeoNames data is licensed under the Creative Commons Attribution 4.0
  License (CC BY 4.0). Changes: features filtered, alternate names reduced to Latin-script
  spellings, admin names resolved to OCHA/ACLED spellings, admin2 of points assigned by the
  method described in docs/gazetteer.md.

admins.tsv (canonical admin1/admin2 names and P-codes for Mali, Burkina Faso, Niger)
  OCHA common operational datasets, P-code lists (Humanitarian Data Exchange), open data.

admin_polygons.parquet (Burkina Faso admin1/admin2/admin3 outlines, simplified)
  Conversion under CC BY 4.0 of a public-domain Burkina Faso administrative boundaries source.

countries.parquet (country outlines, simplified)
  Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com (public domain).
"""

if __name__ == "__main__":
    raise SystemExit(main())
