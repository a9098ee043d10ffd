import numpy as np
import pytest

from sahelwatch.analysis.forecast import targets as tg
from sahelwatch.analysis.forecast.targets import ForecastError, build_panel

from _forecast_data import synthetic_events


def test_month_ids_as_views_counts_them():
    assert tg.month_id(1980, 1) == 1
    assert tg.month_id(2019, 12) == 480
    assert tg.parse_month("2018-06") == (2018 - 1980) * 12 + 6
    assert tg.month_str(480) == "2019-12"
    assert list(tg.month_str(np.array([457, 458]))) == ["2018-01", "2018-02"]
    with pytest.raises(ForecastError, match="YYYY-MM"):
        tg.parse_month("June")


def test_priogrid_gid():
    # Bamako 12.65N 8.0W: row = floor(102.65/0.5)+1 = 206, col = floor(172/0.5)+1 = 345
    assert tg.priogrid_gid(12.65, -8.0) == 205 * 720 + 345
    assert tg.priogrid_gid(-90.0, -180.0) == 1
    lat, lon = tg.priogrid_centroid(tg.priogrid_gid(12.65, -8.0))
    assert (lat, lon) == (12.75, -7.75)


def test_priogrid_agrees_with_the_shared_units_module():
    units = pytest.importorskip("sahelwatch.analysis.units")
    lat = np.array([12.65, 14.49, 16.27, -3.2])
    lon = np.array([-8.0, -4.19, -0.04, 35.1])
    np.testing.assert_array_equal(tg.priogrid_gid(lat, lon), units.priogrid_gid(lat, lon))


def test_violence_type_mapping():
    et = [
        "Battles",
        "Battles",
        "Battles",
        "Explosions/Remote violence",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
        "Battles",
    ]
    i1 = [1, 2, 3, 2, 2, 4, 6, 5, 1, 8]
    i2 = [2, 3, 4, 7, 0, 7, 0, 7, 0, 2]
    assert list(tg.violence_type(et, i1, i2)) == [
        "state",
        "nonstate",
        "nonstate",
        "onesided",
        "nonstate",
        "onesided",
        "",
        "",
        "",
        "state",
    ]


def test_panel_is_zero_filled_and_sums_match():
    ev = synthetic_events(months=24)
    p = build_panel(ev, unit="priogrid")
    vio = tg.violence_type(ev.event_type, ev.inter1, ev.inter2) != ""
    assert p.y.shape == (p.n_units, 24)
    assert p.y.sum() == ev.loc[vio, "fatalities"].sum()
    # the Bamako cell only has protests: in the unit set (it had events), all zeros
    bamako = np.nonzero(p.units == tg.priogrid_gid(12.65, -8.0))[0][0]
    assert p.y[bamako].sum() == 0 and p.counts["ev_any"][bamako].sum() == 24
    ev_panel = build_panel(ev, unit="admin1", target="events", violence="onesided")
    assert ev_panel.y.sum() == (tg.violence_type(ev.event_type, ev.inter1, ev.inter2) == "onesided").sum()
    assert set(ev_panel.units) == set(ev.admin1)
    a2 = build_panel(ev, unit="admin2")
    assert "Mopti/Bandiagara" in set(a2.units)
    s = sum(build_panel(ev, unit="admin1", violence=t).y for t in tg.VIOLENCE_TYPES)
    np.testing.assert_allclose(s, build_panel(ev, unit="admin1").y)


def test_extent_grid_covers_the_bounding_box():
    ev = synthetic_events(months=14)
    obs = build_panel(ev, unit="priogrid")
    ext = build_panel(ev, unit="priogrid", units="extent")
    assert set(obs.units) <= set(ext.units) and ext.n_units > obs.n_units
    assert ext.y.sum() == obs.y.sum()
    with pytest.raises(ForecastError, match="only applies"):
        build_panel(ev, unit="admin1", units="extent")


def test_truncate_hides_later_months():
    p = build_panel(synthetic_events(months=20), unit="admin1")
    t = p.truncate(p.months[9])
    assert t.y.shape[1] == 10 and t.last_month == p.months[9]
    assert all(a.shape[1] == 10 for a in t.counts.values())


def test_bad_input_messages():
    ev = synthetic_events(months=18)
    with pytest.raises(ForecastError, match="no events"):
        build_panel(ev.iloc[:0])
    with pytest.raises(ForecastError, match="outside the data"):
        build_panel(ev, start="2025-01", end="2025-12")
    with pytest.raises(ForecastError, match="unit"):
        build_panel(ev, unit="county")
    with pytest.raises(ForecastError, match="type"):
        build_panel(ev, violence="terror")
    with pytest.raises(ForecastError, match="lack the column"):
        build_panel(ev.drop(columns=["latitude"]))
    gap = ev[(ev.event_date < "2017-05-01") | (ev.event_date >= "2017-07-01")]
    with pytest.raises(ForecastError, match="coverage gap"):
        build_panel(gap)
    with pytest.warns(UserWarning, match="coverage gap"):
        p = build_panel(gap, allow_gaps=True)
    assert p.y[:, 4:6].sum() == 0 and any("gap" in w for w in p.warnings)
    nocoords = ev.copy()
    nocoords.loc[nocoords.index[:3], ["latitude", "longitude"]] = np.nan
    assert any("without coordinates" in w for w in build_panel(nocoords).warnings)
