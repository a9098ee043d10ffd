"""sahelwatch: conflict monitoring and early warning for the Sahel.

    import sahelwatch
    store = sahelwatch.open("sahelwatch.db")          # or a postgresql:// URL
    df = store.events(countries=["Mali"], since="2019-01-01", actors=["JNIM"])

    settings = sahelwatch.Settings.load()              # defaults < sahelwatch.toml < SAHELWATCH_* < arguments
    sahelwatch.import_acled(store, "acled.csv")
    pipe = sahelwatch.Pipeline.from_settings(settings)  # documents -> ACLED-coded events and claims
    hot = sahelwatch.hotspots.gi_star(df, "priogrid")

The names below are the public API (the README's Python section); everything else is reachable through
its module. ``Pipeline`` and the analysis modules are loaded on first use: importing them pulls in spaCy,
scikit-learn, esda and LightGBM (seconds), which the command line must not pay for on every call.
"""

from __future__ import annotations

import importlib
from importlib.metadata import version as _package_version
from pathlib import Path
from typing import Any

from . import workflows
from .errors import InputError, SahelwatchError
from .ingest.acled import import_acled, import_acled_rows, read_acled
from .ingest.rows import import_mapped_csv
from .ingest.ucdp import map_ucdp_row
from .io import write_table
from .model import Actor, Claim, Document, Event, Place, Provenance
from .reports import ImportReport, Rejection
from .settings import Settings
from .store import EventStore

__version__ = _package_version("sahelwatch")

#: name -> module loaded on first access (see the module docstring)
_LAZY = {
    "Pipeline": ("sahelwatch.extract.pipeline", "Pipeline"),
    "ExtractionResult": ("sahelwatch.extract.pipeline", "ExtractionResult"),
    "hotspots": ("sahelwatch.analysis.hotspots", None),
    "influence": ("sahelwatch.analysis.influence", None),
    "alerts": ("sahelwatch.analysis.alerts", None),
    "coordination": ("sahelwatch.analysis.coordination", None),
    "network": ("sahelwatch.analysis.network", None),
    "access": ("sahelwatch.analysis.access", None),
    "forecast": ("sahelwatch.analysis.forecast", None),
    "brief": ("sahelwatch.report.brief", "build"),  # sahelwatch.brief(store, country=..., period=...)
}


def open(
    url_or_path: str | Path | None = None,
    *,
    settings: Settings | None = None,  # noqa: A001
    **kwargs: Any,
) -> EventStore:
    """Open (creating and migrating if needed) an event store by path or SQLAlchemy URL; with no argument,
    the store of ``settings`` (default :meth:`Settings.load`), whose actor registry the filters use."""
    if url_or_path is None or settings is not None:
        s = settings or Settings.load()
        kwargs.setdefault("actors", s.actors)
        url_or_path = url_or_path or s.db
    return EventStore.open(url_or_path, **kwargs)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        mod = importlib.import_module(module)
        value = getattr(mod, attr) if attr else mod
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sahelwatch' has no attribute {name!r}")


__all__ = [
    "open",
    "Settings",
    "EventStore",
    "Event",
    "Claim",
    "Document",
    "Actor",
    "Place",
    "Provenance",
    "ImportReport",
    "Rejection",
    "SahelwatchError",
    "InputError",
    "import_acled",
    "import_acled_rows",
    "read_acled",
    "import_mapped_csv",
    "map_ucdp_row",
    "write_table",
    "workflows",
    "Pipeline",
    "ExtractionResult",
    "hotspots",
    "influence",
    "alerts",
    "coordination",
    "network",
    "access",
    "forecast",
    "brief",
    "__version__",
]
