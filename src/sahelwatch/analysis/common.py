"""The helpers every analysis shares: one projection, one false-discovery-rate correction.

* :func:`project` — WGS84 lat/lon to planar x/y, in metres or km, on the Sahel Albers equal-area conic
  (hot spots, influence, clusters) or on a Lambert azimuthal equal-area plane centred on the data
  (:func:`local_crs`: the Knox test's distances, good to ~1% within 1000 km).
* :func:`fdr_qvalues` / :func:`fdr_cutoff` — Benjamini–Hochberg, through statsmodels' ``multipletests``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyproj import Transformer
from statsmodels.stats.multitest import multipletests

from .units import SAHEL_ALBERS


def local_crs(lat, lon) -> str:
    """A Lambert azimuthal equal-area plane centred on the mean of the points (distances good to ~1% within
    1000 km of the centre)."""
    lat0 = float(np.nanmean(np.asarray(lat, dtype="float64")))
    lon0 = float(np.nanmean(np.asarray(lon, dtype="float64")))
    return f"+proj=laea +lat_0={lat0} +lon_0={lon0} +units=m +datum=WGS84"


def project(lat, lon, *, crs: str = SAHEL_ALBERS, km: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 ``lat``/``lon`` (arrays, that order) to planar ``(x, y)`` in ``crs``; metres, or km with ``km``."""
    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = tr.transform(np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64"))
    x, y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    return (x / 1000.0, y / 1000.0) if km else (x, y)


def fdr_qvalues(p) -> pd.Series | np.ndarray:
    """Benjamini–Hochberg q-values (adjusted p-values) of the finite p-values; NaN stays NaN. A Series in
    gives a Series (same index) out."""
    arr = np.asarray(p, dtype="float64")
    q = np.full(arr.shape, np.nan)
    ok = np.isfinite(arr)
    if ok.any():
        q[ok] = multipletests(arr[ok], method="fdr_bh")[1]
    return pd.Series(q, index=p.index) if isinstance(p, pd.Series) else q


def fdr_cutoff(p, alpha: float) -> float:
    """The largest p-value Benjamini–Hochberg rejects at false-discovery rate ``alpha`` (0 when none): a cell
    is significant when its p-value is at most this."""
    arr = np.asarray(p, dtype="float64")
    arr = arr[np.isfinite(arr)]
    if not len(arr):
        return 0.0
    reject = multipletests(arr, alpha=alpha, method="fdr_bh")[0]
    return float(arr[reject].max()) if reject.any() else 0.0


__all__ = ["project", "local_crs", "SAHEL_ALBERS", "fdr_qvalues", "fdr_cutoff"]
