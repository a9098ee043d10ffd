"""The parts every figure shares: shipped outlines, the map frame (scale bar, north arrow), titles, the
attribution line, colours readable in grey and by colour-blind readers, and saving.

No network: outlines come from ``sahelwatch/data/outlines`` (Natural Earth, GeoNames-derived approximations,
see its ATTRIBUTION); no tile server.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

OUTLINES = Path(__file__).resolve().parents[1] / "data" / "outlines"
FORMATS = (".png", ".svg", ".pdf")

# Okabe & Ito (2008) colour-blind-safe palette; marker shapes repeat the distinction in grey print
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
EVENT_TYPES = [
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Riots",
    "Protests",
    "Strategic developments",
]
EVENT_STYLE = {t: (OKABE_ITO[[4, 0, 3, 5, 1, 2][i]], MARKERS[i]) for i, t in enumerate(EVENT_TYPES)}
INK = "#222222"
MUTED = "#6b6b6b"
LAND = "#f4f2ee"
SEA = "#ffffff"
ADMIN1_EDGE = "#a8a8a8"
COUNTRY_EDGE = "#555555"


def version() -> str:
    """sahelwatch's version from the installed package metadata (the root package is a layer above)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _v

    try:
        return _v("sahelwatch")
    except PackageNotFoundError:
        return "unknown"


class FigureError(InputError):
    """A picture asked of something that has none, or of an empty frame; the message says which."""


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.titlesize": 10,
            "axes.edgecolor": MUTED,
            "axes.labelcolor": INK,
            "xtick.color": MUTED,
            "ytick.color": MUTED,
            "svg.fonttype": "none",
            "svg.hashsalt": "sahelwatch",
            "pdf.fonttype": 42,
        }
    )
    return plt


@lru_cache(maxsize=1)
def countries():
    import geopandas as gpd

    return gpd.read_file(OUTLINES / "countries.geojson")


@lru_cache(maxsize=1)
def admin1():
    import geopandas as gpd

    return gpd.read_file(OUTLINES / "admin1.geojson")


def _fold(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in s if ch.isalnum())


def admin1_shapes(country: str | None = None):
    """Admin1 outlines (of one country by name or ISO2), with a ``key`` column to join ACLED spellings."""
    a = admin1().copy()
    if country:
        k = _fold(country)
        a = a[(a["country"].map(_fold) == k) | (a["iso2"].str.lower() == k)]
    a["key"] = a["admin1"].map(_fold)
    return a


def join_admin1(values: pd.DataFrame, name_col: str, country: str | None = None):
    """Admin1 outlines with ``values`` joined on the (accent- and case-folded) admin1 name."""
    shapes = admin1_shapes(country)
    v = values.copy()
    v["key"] = v[name_col].map(_fold)
    return shapes.merge(v.drop(columns=[name_col]), on="key", how="left")


def nice_length(km: float) -> float:
    """The largest 1/2/5 × 10^k not above ``km``."""
    if km <= 0:
        return 1.0
    p = 10 ** math.floor(math.log10(km))
    for m in (5, 2, 1):
        if m * p <= km:
            return m * p
    return p


def map_axes(
    extent: tuple[float, float, float, float],
    *,
    figsize=(7.2, 5.4),
    country: str | None = None,
    dpi: int = 150,
    labels: bool = True,
):
    """A figure and axes showing ``extent`` (lon0, lat0, lon1, lat1) over land, country and admin1 outlines.

    The aspect is 1/cos(latitude) so that distances read the same in both directions at the centre."""
    plt = pyplot()
    lon0, lat0, lon1, lat1 = extent
    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    ax.set_facecolor(SEA)
    c = countries()
    c.plot(ax=ax, color=LAND, edgecolor="none", zorder=0)
    admin1().boundary.plot(ax=ax, color=ADMIN1_EDGE, linewidth=0.4, zorder=1)
    c.boundary.plot(ax=ax, color=COUNTRY_EDGE, linewidth=0.9, zorder=2)
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1 / math.cos(math.radians((lat0 + lat1) / 2)))
    ax.tick_params(labelsize=6, length=2)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.xaxis.set_major_formatter(lambda v, _: f"{abs(v):g}°{'E' if v > 0 else 'W' if v < 0 else ''}")
    ax.yaxis.set_major_formatter(lambda v, _: f"{abs(v):g}°{'N' if v > 0 else 'S' if v < 0 else ''}")
    if labels:
        label_countries(ax, extent, country)
    return fig, ax


def label_countries(ax, extent, focus: str | None = None) -> None:
    import shapely

    lon0, lat0, lon1, lat1 = extent
    view = shapely.box(lon0, lat0, lon1, lat1)
    for r in countries().itertuples():
        part = r.geometry.intersection(view)
        if part.is_empty or part.area < 0.04 * view.area:
            continue
        p = part.representative_point()
        bold = focus is not None and _fold(focus) in (_fold(r.name), _fold(r.iso2))
        ax.annotate(
            r.name.upper(),
            (p.x, p.y),
            ha="center",
            va="center",
            fontsize=7 if bold else 6,
            color="#8c8c8c" if not bold else "#6b6b6b",
            fontweight="bold" if bold else "normal",
            zorder=3,
            alpha=0.9,
        )


def label_admin1(ax, country: str | None, extent) -> None:
    import matplotlib.patheffects as pe
    import shapely

    view = shapely.box(*extent)
    for r in admin1_shapes(country).itertuples():
        if not r.geometry.intersects(view):
            continue
        p = r.geometry.intersection(view).representative_point()
        ax.annotate(
            r.admin1,
            (p.x, p.y),
            ha="center",
            va="center",
            fontsize=5.5,
            color="#555555",
            zorder=6,
            path_effects=[pe.withStroke(linewidth=1.6, foreground="white")],
        )


def extent_of(lon, lat, *, country: str | None = None, pad: float = 0.6, min_span: float = 3.0):
    """A map extent: the country's outline when given (and known), else the points' box, padded."""
    if country:
        a = admin1_shapes(country)
        if len(a) == 0:
            k = _fold(country)
            c = countries()
            a = c[(c["name"].map(_fold) == k) | (c["iso2"].str.lower() == k)]
        if len(a):
            x0, y0, x1, y1 = a.total_bounds
            return (x0 - 0.3, y0 - 0.3, x1 + 0.3, y1 + 0.3)
    lon = pd.to_numeric(pd.Series(lon), errors="coerce").dropna()
    lat = pd.to_numeric(pd.Series(lat), errors="coerce").dropna()
    if not len(lon):
        return (-12.5, 9.0, 16.0, 25.0)  # the central Sahel
    x0, x1, y0, y1 = lon.min(), lon.max(), lat.min(), lat.max()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0 + 2 * pad, min_span)
    h = max(y1 - y0 + 2 * pad, min_span * 0.75)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def scale_bar(ax, extent) -> None:
    """A scale bar at the lower left: a round number of km about a fifth of the map's width."""
    lon0, lat0, lon1, lat1 = extent
    lat = lat0 + 0.06 * (lat1 - lat0)
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    km = nice_length((lon1 - lon0) * km_per_deg / 5)
    x = lon0 + 0.04 * (lon1 - lon0)
    dx = km / km_per_deg
    h = 0.012 * (lat1 - lat0)
    ax.add_patch(
        __import__("matplotlib.patches", fromlist=["Rectangle"]).Rectangle(
            (x, lat), dx / 2, h, facecolor=INK, edgecolor=INK, linewidth=0.5, zorder=8
        )
    )
    ax.add_patch(
        __import__("matplotlib.patches", fromlist=["Rectangle"]).Rectangle(
            (x + dx / 2, lat), dx / 2, h, facecolor="white", edgecolor=INK, linewidth=0.5, zorder=8
        )
    )
    ax.annotate(
        f"{km:g} km",
        (x + dx, lat + h / 2),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        fontsize=6,
        color=INK,
        zorder=8,
    )
    ax.annotate(
        "0",
        (x, lat + h),
        xytext=(0, 2),
        textcoords="offset points",
        ha="center",
        fontsize=5.5,
        color=INK,
        zorder=8,
    )


def north_arrow(ax) -> None:
    ax.annotate(
        "N",
        xy=(0.965, 0.955),
        xytext=(0.965, 0.865),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=8,
        fontweight="bold",
        color=INK,
        zorder=9,
        arrowprops=dict(arrowstyle="-|>", color=INK, lw=1.0, shrinkA=6, shrinkB=0),
    )


def data_sources(frame) -> list[str]:
    """The datasets behind a frame: from its ``dataset`` column or ``attrs['datasets']``."""
    names = list(getattr(frame, "attrs", {}).get("datasets", []) or [])
    if not names and hasattr(frame, "columns") and "dataset" in frame.columns:
        names = sorted({str(d) for d in frame["dataset"].dropna().unique()})
    return names


def attribution_text(
    frame=None, attribution: str | None = None, *, outlines: bool = True, approximate: bool = True
) -> str:
    if attribution is None:
        names = data_sources(frame) if frame is not None else []
        pretty = {
            "acled": "ACLED (acleddata.com)",
            "ucdp": "UCDP GED",
            "extracted": "sahelwatch extraction",
            "extraction": "sahelwatch extraction",
        }
        parts = [pretty.get(n.lower(), n) for n in names] or ["events of the sahelwatch store"]
        attribution = "Data: " + ", ".join(dict.fromkeys(parts))
    bits = [attribution]
    if outlines:
        bits.append(
            "Outlines: Natural Earth; GeoNames (CC BY 4.0)"
            + ("; admin1 approximate outside Burkina Faso" if approximate else "")
        )
    bits.append(f"sahelwatch {version()}")
    return " · ".join(bits)


def finish(
    fig,
    ax,
    path,
    *,
    title: str | None,
    subtitle: str | None,
    attribution: str,
    is_map: bool = True,
    extent=None,
) -> Path:
    """Titles above, attribution in the lower right corner, scale bar and north arrow on maps; save."""
    if is_map and extent is not None:
        scale_bar(ax, extent)
        north_arrow(ax)
    if title:
        fig.suptitle(title, x=0.02, ha="left", fontsize=10.5, fontweight="bold", color=INK, y=0.985)
    if subtitle:
        fig.text(0.02, 0.935 if title else 0.975, subtitle, ha="left", va="top", fontsize=7.5, color=MUTED)
    fig.text(0.99, 0.008, attribution, ha="right", va="bottom", fontsize=5.2, color=MUTED)
    top = 0.90 if subtitle else (0.93 if title else 0.98)
    for a in fig.axes:  # GeoPandas adds axis titles we do not want on maps
        if is_map and a is ax:
            a.set_xlabel("")
            a.set_ylabel("")
    fig.tight_layout(rect=(0, 0.025, 1, top))
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    meta = {"png": {"Software": "sahelwatch"}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}
    fig.savefig(
        p, metadata=meta.get(p.suffix.lower().lstrip("."), None), bbox_inches="tight", pad_inches=0.08
    )
    pyplot().close(fig)
    return p


def legend(ax, handles, title: str | None = None, loc: str = "upper left", **kw):
    if loc == "outside":
        kw.setdefault("bbox_to_anchor", (1.01, 1.0))
        loc = "upper left"
    lg = ax.legend(
        handles=handles,
        title=title,
        loc=loc,
        fontsize=6,
        title_fontsize=6.5,
        frameon=True,
        framealpha=0.92,
        edgecolor="#cccccc" if "bbox_to_anchor" not in kw else "none",
        borderaxespad=0.0 if "bbox_to_anchor" in kw else 0.5,
        alignment="left",
        **kw,
    )
    lg.set_zorder(10)
    return lg


def as_frame(frame) -> pd.DataFrame:
    if frame is None:
        raise FigureError("nothing to draw: no table was given")
    return frame


def numeric(s) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").to_numpy(float)
