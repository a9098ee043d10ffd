"""Maps and charts for every analysis (matplotlib/GeoPandas, no network, no tile server).

    from sahelwatch import figures
    figures.draw(gi_table, "hot.png", kind="hotspots", title="Hot spots, Mali 2019", country="Mali")
    figures.draw(events, "weekly.svg", kind="timeseries", by="week")

``kind`` is one of :data:`KINDS`. Maps carry country and admin1 outlines (shipped, see
data/outlines/ATTRIBUTION), a legend, a scale bar, a north arrow and the data attribution in the lower right
corner; colours come from the Okabe-Ito palette, ColorBrewer's RdBu and cividis/viridis/magma, with
shapes or hatches repeating each distinction for grey print. ``.png``, ``.svg`` and ``.pdf`` are written.
"""

from __future__ import annotations

from pathlib import Path

from .base import FORMATS, FigureError, attribution_text
from .charts import draw_timeseries
from .maps import (
    draw_access,
    draw_alerts,
    draw_clusters,
    draw_events,
    draw_forecast,
    draw_hotspots,
    draw_influence,
    draw_network,
)

_DRAW = {
    "hotspots": draw_hotspots,
    "clusters": draw_clusters,
    "influence": draw_influence,
    "alerts": draw_alerts,
    "network": draw_network,
    "access": draw_access,
    "forecast": draw_forecast,
    "events": draw_events,
    "timeseries": draw_timeseries,
}
KINDS = tuple(_DRAW)


def is_figure(path) -> bool:
    """True when ``path``'s extension asks for a picture (.png, .svg, .pdf)."""
    return Path(path).suffix.lower() in FORMATS


def check_output(path, kind: str | None) -> None:
    """Refuse, before any work, a picture of something that has none (``kind`` None) or a kind we cannot draw."""
    if path is None or not is_figure(path):
        return
    if kind is None:
        raise FigureError(
            f"{Path(path).name}: this command has no picture; write a table "
            "(.csv, .parquet, .json, .geojson, .gpkg) instead"
        )
    if kind not in _DRAW:
        raise FigureError(f"{Path(path).name}: no figure of kind {kind!r}; kinds: {', '.join(KINDS)}")


def draw(
    frame,
    path,
    *,
    kind: str,
    title: str | None = None,
    subtitle: str | None = None,
    attribution: str | None = None,
    **options,
) -> Path:
    """Draw ``frame`` as a ``kind`` figure to ``path`` (.png, .svg or .pdf). ``options`` go to the drawer:
    ``country`` (map extent and admin1 labels), ``by`` (timeseries: week|month), ``hotspots`` (events map:
    a Gi* table drawn under the points), ``horizon`` (forecast)…"""
    check_output(path, kind)
    p = Path(path)
    if not is_figure(p):
        raise FigureError(
            f"{p.name}: a figure is written as {', '.join(FORMATS)}, not {p.suffix or 'no extension'}"
        )
    if frame is None or len(frame) == 0:
        why = getattr(frame, "attrs", {}).get("messages", []) if frame is not None else []
        raise FigureError(
            f"{p.name}: nothing to draw, the {kind} table is empty" + (f" ({'; '.join(why)})" if why else "")
        )
    return _DRAW[kind](frame, p, title=title, subtitle=subtitle, attribution=attribution, **options)


__all__ = ["draw", "check_output", "is_figure", "KINDS", "FORMATS", "FigureError", "attribution_text"]
