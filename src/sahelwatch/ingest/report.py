"""Moved to :mod:`sahelwatch.reports` (core layer); this name stays for imports written before the move."""
from __future__ import annotations

from ..reports import MAX_KEPT_REJECTIONS, ImportReport, Rejection

__all__ = ["ImportReport", "Rejection", "MAX_KEPT_REJECTIONS"]
