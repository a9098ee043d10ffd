"""Watching sources continuously: feeds, URL lists, drop folders, the ACLED API and UCDP files.

    from sahelwatch import watch
    cfg = watch.load_config("watch.toml")
    report = watch.run_cycle(store, cfg)        # one cycle (`sahelwatch watch --once`)
    watch.status(store, cfg.sources)            # source health (`sahelwatch status`, /api/status)

See cycle.py for the crash-safety argument and docs/alerts.md for the alert rules.
"""

from __future__ import annotations

from typing import Any

from .config import WatchConfig, load_config, parse_config
from .cycle import CycleReport, run_cycle, run_forever
from .health import status as _status


def status(store, sources=None, now=None) -> dict[str, Any]:
    """Health of the watched sources, ledger and alert counts (see ``watch.health.status``)."""
    return _status(store, sources, now=now)


__all__ = ["WatchConfig", "load_config", "parse_config", "run_cycle", "run_forever", "CycleReport", "status"]
