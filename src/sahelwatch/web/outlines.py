"""Base-map outlines for the dashboard, from files shipped in the package (no tile server, no network).

Countries: Natural Earth (public domain, ``data/gazetteer/countries.parquet``). Admin units: the shipped
admin polygons (Burkina Faso, CC BY 4.0; see ``data/gazetteer/ATTRIBUTION``). Outlines under
``data/outlines/`` (``countries.geojson``, ``admin1.geojson``, ``admin2.geojson``), where present, are used
instead.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

_NAMES = {
    "ML": "Mali",
    "BF": "Burkina Faso",
    "NE": "Niger",
    "MR": "Mauritania",
    "SN": "Senegal",
    "GN": "Guinea",
    "CI": "Côte d'Ivoire",
    "DZ": "Algeria",
    "TD": "Chad",
    "NG": "Nigeria",
    "BJ": "Benin",
    "TG": "Togo",
    "GH": "Ghana",
    "LY": "Libya",
    "GM": "Gambia",
    "GW": "Guinea-Bissau",
    "SL": "Sierra Leone",
    "LR": "Liberia",
    "CM": "Cameroon",
    "MA": "Morocco",
    "EH": "Western Sahara",
}


def _data(path: str):
    return resources.files("sahelwatch.data").joinpath(path)


@lru_cache(maxsize=4)
def outline_geojson(layer: str) -> bytes:
    shipped = _data(f"outlines/{layer}.geojson")
    if shipped.is_file():
        return shipped.read_bytes()
    import pyarrow.parquet as pq
    import shapely

    feats = []
    if layer == "countries":
        with _data("gazetteer/countries.parquet").open("rb") as fh:
            t = pq.read_table(fh).to_pydict()
        for iso2, wkb in zip(t["iso2"], t["wkb"]):
            g = shapely.simplify(shapely.from_wkb(wkb), 0.01, preserve_topology=True)
            feats.append(
                {
                    "type": "Feature",
                    "properties": {"iso2": iso2, "name": _NAMES.get(iso2, iso2)},
                    "geometry": json.loads(shapely.to_geojson(shapely.set_precision(g, 0.001))),
                }
            )
    else:
        with _data("gazetteer/admin_polygons.parquet").open("rb") as fh:
            t = pq.read_table(fh).to_pydict()
        groups: dict[tuple, list] = {}
        for i, cc in enumerate(t["country_code"]):
            k = (cc, t["admin1"][i]) if layer == "admin1" else (cc, t["admin1"][i], t["admin2"][i])
            groups.setdefault(k, []).append(shapely.from_wkb(t["wkb"][i]))
        for k, geoms in sorted(groups.items()):
            g = shapely.simplify(_dissolve(geoms), 0.005, preserve_topology=True)
            props = {"country_code": k[0], "admin1": k[1]}
            if layer == "admin2":
                props["admin2"] = k[2]
            feats.append(
                {
                    "type": "Feature",
                    "properties": props,
                    "geometry": json.loads(shapely.to_geojson(shapely.set_precision(g, 0.001))),
                }
            )
    return json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":")).encode()


def _dissolve(geoms):
    """The union of adjacent units without the slivers their shared edges leave (a closing by a small buffer;
    holes and specks under ~1 km² go)."""
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    u = shapely.union_all([g.buffer(0.002) for g in geoms]).buffer(-0.002)
    parts = list(getattr(u, "geoms", [u]))
    keep = [Polygon(p.exterior) for p in parts if p.geom_type == "Polygon" and p.area > 1e-4]
    return keep[0] if len(keep) == 1 else MultiPolygon(keep)
