"""ImportReport lives in :mod:`sahelwatch.reports` (core layer: the store fills it, so it cannot live in
ingest). Edit it there; this module only keeps the old import path working."""

from __future__ import annotations

from ..reports import MAX_KEPT_REJECTIONS, ImportReport, Rejection

__all__ = ["ImportReport", "Rejection", "MAX_KEPT_REJECTIONS"]
