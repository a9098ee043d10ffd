"""The helpers the analyses share: one false-discovery-rate correction, one projection; ACLED's inter codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sahelwatch import taxonomy
from sahelwatch.analysis.common import fdr_cutoff, fdr_qvalues, local_crs, project
from sahelwatch.taxonomy import Inter


def test_fdr_qvalues_keep_missing_and_the_index():
    q = fdr_qvalues(pd.Series([0.01, np.nan, 0.04, 0.03, 0.5], index=list("abcde")))
    assert list(q.index) == list("abcde") and np.isnan(q["b"])
    assert q[["a", "c", "d", "e"]].round(4).tolist() == [
        0.04,
        0.0533,
        0.0533,
        0.5,
    ]  # by hand: p*m/rank, monotone


def test_fdr_cutoff_is_the_largest_rejected_p():
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216])
    assert fdr_cutoff(p, 0.05) == 0.008  # 0.039 > 0.05 * 3/10
    assert fdr_cutoff(np.array([0.5, 0.9]), 0.05) == 0.0
    assert fdr_cutoff(np.array([np.nan]), 0.05) == 0.0


def test_projection_distances():
    lat, lon = np.array([14.0, 15.0]), np.array([-3.0, -3.0])
    x, y = project(lat, lon, crs=local_crs(lat, lon), km=True)
    assert np.hypot(x[1] - x[0], y[1] - y[0]) == pytest.approx(110.6, abs=0.5)  # one degree of latitude
    xm, ym = project(lat, lon)  # Sahel Albers, metres
    assert np.hypot(xm[1] - xm[0], ym[1] - ym[0]) == pytest.approx(110_600, rel=0.01)


def test_inter_codes_are_the_taxonomy_s():
    assert {int(i): i for i in Inter}.keys() == taxonomy.inter_codes().keys()
    assert Inter.CIVILIANS == 7 and Inter(1) is Inter.STATE_FORCES
    assert set(taxonomy.ARMED_GROUPS) == {2, 3, 4} and set(taxonomy.UNARMED) == {5, 6, 7}
