"""`-o FILE.png|.svg|.pdf` for the commands that have a picture: checked before any work, drawn by
``sahelwatch.figures.draw`` with the period and the filters in the title."""
from __future__ import annotations

from pathlib import Path

from ..cli_common import Filters, fail

TITLES = {"hotspots": "Hot spots (Getis-Ord Gi*)", "clusters": "Space-time clusters", "influence": "Areas of influence",
          "alerts": "Alerts", "network": "Actor network", "access": "Road incidents and town access",
          "forecast": "Forecast", "events": "Events", "timeseries": "Events per month"}


def is_picture(path) -> bool:
    from ..figures import is_figure

    return path is not None and is_figure(path)


def check(paths, kind: str | None) -> None:
    """Refuse `-o x.png` at once when the command (or its mode) has no picture."""
    from ..figures import FigureError, check_output

    for p in ([paths] if isinstance(paths, (str, Path)) or paths is None else paths):
        try:
            check_output(p, kind)
        except FigureError as exc:
            fail(str(exc))


def describe(filters: Filters | None) -> str:
    """The filters as one line: 'period 2019-01-01 – 2019-03-31 · country Mali · actor JNIM'."""
    if filters is None:
        return ""
    f = filters
    bits = []
    if f.since or f.until:
        bits.append(f"period {f.since or '…'} – {f.until or '…'}")
    for label, v in (("country", f.countries), ("admin1", f.admin1), ("admin2", f.admin2), ("actor", f.actors),
                     ("event type", f.event_types)):
        if v:
            bits.append(f"{label} {', '.join(v)}")
    if f.bbox:
        bits.append("bbox " + ",".join(f"{x:g}" for x in f.bbox))
    if f.min_fatalities:
        bits.append(f"≥ {f.min_fatalities} killed")
    return " · ".join(bits) or "all events in the store"


def draw(frame, path, kind: str, filters: Filters | None = None, *, title: str | None = None,
         datasets=None, **options) -> Path:
    from ..errors import SahelwatchError
    from ..figures import draw as draw_

    country = filters.countries[0] if filters is not None and filters.countries else None
    if datasets is not None and hasattr(frame, "attrs"):
        frame.attrs = {**frame.attrs, "datasets": sorted(datasets)}
    try:
        return draw_(frame, path, kind=kind, title=title or TITLES.get(kind, kind), subtitle=describe(filters),
                     country=country, **options)
    except SahelwatchError as exc:
        fail(str(exc))
