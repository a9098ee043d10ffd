"""Build the shipped map outlines in src/sahelwatch/data/outlines/ (countries and admin1 areas).

    python scripts/build_outlines.py [--boundaries ../shared/data/boundaries] [--out src/sahelwatch/data/outlines]

Inputs (read once, at build time; nothing is read from them at run time):
- Natural Earth 1:50m admin-0 countries (public domain): ``ne_50m_admin_0_countries_sahel_neighbours.geojson``.
- Burkina Faso admin1 polygons (public-domain source, CC BY 4.0 conversion): ``burkinaFaso_regions.json``.
- The project's own gazetteer (``data/gazetteer/places.tsv.gz``, derived from GeoNames, CC BY 4.0): for the
  countries without admin1 polygons (Mali, Niger, Mauritania, Senegal, Guinea, Côte d'Ivoire) each admin1 area is
  APPROXIMATED by the Voronoi cells (on a 0.025° raster) of the populated places coded to it (after a nearest-neighbour majority vote
  that removes isolated mis-coded places), clipped to the Natural Earth country outline. Such areas carry
  ``source = approximate`` and the maps say so; they are good for orientation, not for measuring areas.

Outputs (GeoJSON, EPSG:4326, coordinates rounded to 0.001°, ~100 m):
- ``countries.geojson``: ``iso2, iso3, name`` per country (14 countries of the Sahel and its neighbours).
- ``admin1.geojson``: ``iso2, country, admin1, pcode, source`` (``polygons`` or ``approximate``).
- ``ATTRIBUTION`` and ``build_report.txt`` (what was approximated, sizes).
The admin1 layer is simplified as a coverage (shared borders stay shared, no slivers or gaps).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
GAZ = ROOT / "src" / "sahelwatch" / "data" / "gazetteer"
DEFAULT_OUT = ROOT / "src" / "sahelwatch" / "data" / "outlines"
APPROX = ("ML", "NE", "MR", "SN", "GN", "CI")
RASTER = 0.025  # degrees: resolution of the nearest-place raster
TOLERANCE = 0.02  # degrees (~2 km): simplification tolerance
DIGITS = 3


def _round(geom):
    return shapely.set_precision(geom, 10**-DIGITS)


def _key(name: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in s if ch.isalnum())


def _polys(geom) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)] + [
        p for g in getattr(geom, "geoms", []) if isinstance(g, MultiPolygon) for p in g.geoms
    ]


def countries(boundaries: Path) -> pd.DataFrame:
    data = json.loads((boundaries / "ne_50m_admin_0_countries_sahel_neighbours.geojson").read_text())
    rows = []
    for f in data["features"]:
        p = f["properties"]
        rows.append(
            {"iso2": p["ISO_A2"], "iso3": p["ISO_A3"], "name": p["NAME"], "geometry": shape(f["geometry"])}
        )
    return pd.DataFrame(rows)


def _majority(xy: np.ndarray, labels: np.ndarray, k: int = 9) -> np.ndarray:
    """Each place takes the most common admin1 of its k nearest places (itself included): a place coded to a
    region it is not in (a homonym, an old code) does not carve an enclave out of its neighbour."""
    from scipy.spatial import cKDTree

    _, idx = cKDTree(xy).query(xy, k=min(k, len(xy)))
    nb = labels[idx]
    out = labels.copy()
    for i, row in enumerate(nb):
        vals, counts = np.unique(row, return_counts=True)
        if counts.max() > (row == labels[i]).sum():
            out[i] = vals[counts.argmax()]
    return out


def approximate_admin1(cc: str, outline, places: pd.DataFrame, report: list[str]) -> list[dict]:
    p = places[(places["country_code"] == cc) & places["admin1"].notna() & (places["admin1"] != "")]
    # places closer than ~500 m make degenerate Voronoi cells: one point per 0.005° square
    p = p.assign(
        latitude=p["latitude"].astype(float).round(2), longitude=p["longitude"].astype(float).round(2)
    )
    p = p.drop_duplicates(subset=["latitude", "longitude"])
    xy = p[["longitude", "latitude"]].to_numpy(float)
    inside = shapely.contains_xy(outline, xy[:, 0], xy[:, 1])
    p, xy = p[inside], xy[inside]
    labels = _majority(xy, p["admin1"].to_numpy(object))
    changed = int((labels != p["admin1"].to_numpy(object)).sum())
    # nearest-place assignment on a regular 0.025° raster (a discrete Voronoi diagram: robust where GEOS'
    # exact Voronoi cells of near-duplicate places fail to union), squares merged per admin1
    from scipy.spatial import cKDTree

    x0, y0, x1, y1 = outline.bounds
    gx = np.arange(np.floor(x0 / RASTER) * RASTER, x1 + RASTER, RASTER)
    gy = np.arange(np.floor(y0 / RASTER) * RASTER, y1 + RASTER, RASTER)
    cx, cy = np.meshgrid(gx + RASTER / 2, gy + RASTER / 2)
    cx, cy = cx.ravel(), cy.ravel()
    near = shapely.intersects_xy(outline.buffer(RASTER * 1.5), cx, cy)
    cx, cy = cx[near], cy[near]
    _, nearest = cKDTree(xy).query(np.c_[cx, cy])
    owner = labels[nearest]
    areas = {}
    for name in sorted(set(owner)):
        m = owner == name
        squares = shapely.box(cx[m] - RASTER / 2, cy[m] - RASTER / 2, cx[m] + RASTER / 2, cy[m] + RASTER / 2)
        areas[name] = shapely.intersection(
            shapely.union_all(squares, grid_size=1e-4), outline, grid_size=1e-4
        )
    # enclaves: parts smaller than 10% of a region's largest part go to the neighbour sharing most border
    pieces = [(n, g) for n, geom in areas.items() for g in _polys(geom)]
    largest: dict[str, float] = {}
    for n, g in pieces:
        largest[n] = max(largest.get(n, 0.0), g.area)
    keep = [(n, g) for n, g in pieces if g.area >= 0.1 * largest[n]]
    small = [(n, g) for n, g in pieces if g.area < 0.1 * largest[n]]
    ktree = shapely.STRtree([g for _, g in keep])
    moved = 0
    for n, g in small:
        best, shared = None, 0.0
        for j in ktree.query(g.buffer(1e-6), predicate="intersects"):
            m, h = keep[j]
            if m != n:
                s = shapely.intersection(g.boundary, h.buffer(1e-6)).length
                if s > shared:
                    best, shared = m, s
        if best is not None:
            keep.append((best, g))
            moved += 1
    merged: dict[str, list] = {}
    for n, g in keep:
        merged.setdefault(n, []).append(g)
    report.append(
        f"{cc}: {len(p)} places, {changed} re-assigned by the neighbour vote, {moved} enclave(s) "
        f"merged into their neighbour, {len(merged)} admin1 areas (approximate)"
    )
    return [
        {
            "iso2": cc,
            "admin1": n,
            "geometry": shapely.make_valid(shapely.union_all(gs)),
            "source": "approximate",
        }
        for n, gs in sorted(merged.items())
    ]


def burkina_admin1(boundaries: Path, outline, report: list[str]) -> list[dict]:
    data = json.loads((boundaries / "burkinaFaso_regions.json").read_text())
    out = []
    for f in data["features"]:
        g = shapely.make_valid(shape(f["geometry"]))
        out.append({"iso2": "BF", "admin1": f["properties"]["CAPTION"], "geometry": g, "source": "polygons"})
    report.append(f"BF: {len(out)} admin1 polygons (CC BY 4.0 conversion)")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boundaries", type=Path, default=ROOT / ".." / "shared" / "data" / "boundaries")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    report: list[str] = []

    cty = countries(args.boundaries)
    outlines = dict(zip(cty["iso2"], cty["geometry"]))
    admins = pd.read_csv(GAZ / "admins.tsv", sep="\t", dtype=str, keep_default_na=False)
    a1 = admins[admins["level"] == "1"]
    canon = {(r.country_code, _key(r.name)): r.name for r in a1.itertuples()}
    pcode = {(r.country_code, r.name): r.pcode for r in a1.itertuples()}
    places = pd.read_csv(
        GAZ / "places.tsv.gz",
        sep="\t",
        dtype={"admin1": str, "country_code": str},
        usecols=["latitude", "longitude", "country_code", "admin1"],
        keep_default_na=False,
    )

    rows = burkina_admin1(args.boundaries, outlines["BF"], report)
    for cc in APPROX:
        if cc in outlines:
            rows += approximate_admin1(cc, outlines[cc], places, report)
    adm = pd.DataFrame(rows)
    adm["admin1"] = [canon.get((c, _key(n)), n) for c, n in zip(adm["iso2"], adm["admin1"])]  # OCHA spelling
    adm["country"] = adm["iso2"].map(dict(zip(cty["iso2"], cty["name"])))
    adm["pcode"] = [pcode.get((c, n), "") for c, n in zip(adm["iso2"], adm["admin1"])]
    unmatched = adm[(adm["pcode"] == "") & adm["iso2"].isin(["ML", "BF", "NE"])]
    for r in unmatched.itertuples():
        report.append(f"{r.iso2} admin1 {r.admin1!r}: no OCHA P-code")

    # simplify: countries one by one; admin1 as one coverage per country so neighbours keep one border
    cty["geometry"] = [
        _round(shapely.simplify(g, TOLERANCE, preserve_topology=True)) for g in cty["geometry"]
    ]
    simplified = []
    for _cc, grp in adm.groupby("iso2", sort=False):
        polygonal = [MultiPolygon(_polys(shapely.make_valid(g))) for g in grp["geometry"]]
        geoms = shapely.coverage_simplify(np.array(polygonal), TOLERANCE)
        simplified += [MultiPolygon(_polys(shapely.make_valid(_round(g)))) for g in geoms]
    adm["geometry"] = simplified

    def write(df: pd.DataFrame, cols: list[str], path: Path) -> None:
        feats = [
            {"type": "Feature", "properties": {c: r[c] for c in cols}, "geometry": mapping(r["geometry"])}
            for _, r in df.iterrows()
        ]
        text = json.dumps(
            {"type": "FeatureCollection", "features": feats}, ensure_ascii=False, separators=(",", ":")
        )
        path.write_text(text + "\n", encoding="utf-8")
        report.append(f"{path.name}: {len(df)} features, {path.stat().st_size / 1024:.0f} KiB")

    write(cty.sort_values("iso2"), ["iso2", "iso3", "name"], args.out / "countries.geojson")
    write(
        adm.sort_values(["iso2", "admin1"]),
        ["iso2", "country", "admin1", "pcode", "source"],
        args.out / "admin1.geojson",
    )
    (args.out / "build_report.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    main()
