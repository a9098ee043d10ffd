"""Alerts per admin unit on weekly series written here, and the `sahelwatch analyze` commands."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from sahelwatch.analysis import alerts as A
from sahelwatch.analysis._checks import AnalysisInputError

WEEK = pd.Timestamp("2019-03-23")  # a Saturday


def series(
    unit,
    per_week,
    *,
    admin2="D1",
    actor="Military Forces of Mali",
    inter=1,
    fat=0,
    lat=14.2,
    lon=-3.6,
    weeks=60,
    last=None,
    last_fat=None,
    loc="Town",
):
    """`per_week` events in each of the `weeks` weeks before WEEK, then `last` events in WEEK."""
    rows = []
    for k in range(1, weeks + 1):
        for j in range(per_week):
            rows.append(
                (WEEK - pd.Timedelta(days=7 * k - j % 7), unit, admin2, actor, inter, fat, lat, lon, loc)
            )
    for j in range(per_week if last is None else last):
        rows.append(
            (
                WEEK + pd.Timedelta(days=j % 7),
                unit,
                admin2,
                actor,
                inter,
                fat if last_fat is None else last_fat,
                lat,
                lon,
                loc,
            )
        )
    return rows


def frame(rows):
    df = pd.DataFrame(
        rows,
        columns=[
            "event_date",
            "admin1",
            "admin2",
            "actor1",
            "inter1",
            "fatalities",
            "latitude",
            "longitude",
            "location",
        ],
    )
    df["event_type"] = "Battles"
    df["geo_precision"] = 1
    df["actor2"] = None
    df["inter2"] = 0
    return df


@pytest.mark.parametrize(
    "latest,baseline,expected,low",
    [
        (13, 10, "large rise", False),
        (12, 10, "moderate rise", False),
        (11, 10, "limited change", False),
        (9, 10, "limited change", False),
        (8, 10, "moderate fall", False),
        (7, 10, "large fall", False),
        (3, 0.25, "large rise", True),
        (2, 0.25, "moderate rise", True),
        (1, 0.25, "limited change", True),
        (0, 0.9, "limited change", True),
    ],
)
def test_trend_classes(latest, baseline, expected, low):
    assert A.trend_class(latest, baseline) == (expected, low)


def test_large_rise_and_surge():
    df = frame(series("Mopti", 4, last=12) + series("Segou", 4, admin2="D2", lat=13.5, lon=-6.0))
    al = A.alerts(df, "admin1", "2019-03-25")
    assert al.attrs["week"] == "2019-03-23"
    tr = al[(al.kind == "trend")].set_index("unit")
    assert tr.loc["Mopti", "level"] == "large rise" and tr.loc["Mopti", "latest"] == 12
    assert tr.loc["Mopti", "baseline"] == 4.0 and tr.loc["Mopti", "change_pct"] == 200.0
    assert "Segou" not in tr.index
    su = al[al.kind == "surge"]
    assert su["unit"].tolist() == ["Mopti"] and "12 events" in su["message"].iloc[0]
    trends = al.attrs["trends"].set_index("unit")
    assert (
        trends.loc["Segou", "class_4w"] == "limited change"
        and trends.loc["Segou", "class_52w"] == "limited change"
    )


def test_small_absolute_changes_are_not_alerts():
    df = frame(series("Gao", 1, last=0) + series("Kidal", 2, admin2="D9", last=5))
    al = A.alerts(df, "admin1", WEEK)
    assert "Gao" not in set(al["unit"])  # 1 a week → 0 is a large fall of one event
    assert al.attrs["trends"].set_index("unit").loc["Gao", "class_4w"] == "large fall"
    assert al[al.kind == "trend"]["unit"].tolist() == ["Kidal"]
    assert A.alerts(df, "admin1", WEEK, min_change=0)["unit"].isin(["Gao"]).any()


def test_large_fall_and_no_event_week():
    df = frame(series("Mopti", 5, last=0))
    al = A.alerts(df, "admin1", WEEK)
    assert al[al.kind == "trend"]["level"].tolist() == ["large fall"]
    assert any("no event in the week" in m for m in al.attrs["messages"])


def test_spread_emerging_actor_and_lethality():
    base = series("Mopti", 3, admin2="Bandiagara")
    new_place = [(WEEK + pd.Timedelta(days=2), "Mopti", "Koro", "Katiba Serma", 2, 30, 14.1, -2.9, "Koro")]
    df = frame(base + new_place)
    al = A.alerts(df, "admin2", WEEK)
    spread = al[al.kind == "spread"]
    assert set(spread["unit_type"]) == {"priogrid", "admin2"}
    assert "Koro" in set(spread["unit"]) and all("52 weeks" in m for m in spread["message"])
    em = al[al.kind == "emerging_actor"]
    assert em["actor"].tolist() == ["Katiba Serma"] and em["unit"].tolist() == ["Koro"]
    leth = al[al.kind == "lethality_jump"]
    assert leth["unit"].tolist() == ["Koro"] and leth["latest"].iloc[0] == 30.0
    # the same actor in Bandiagara during history is not "new" there
    assert "Bandiagara" not in set(em["unit"])
    for c in ("latest", "baseline", "message", "kind", "unit"):
        assert al[c].notna().all()


def test_lethality_against_baseline_rate():
    df = frame(series("Gao", 2, fat=1, last=2, last_fat=8))
    al = A.alerts(df, "admin1", WEEK)
    row = al[al.kind == "lethality_jump"].iloc[0]
    assert row["latest"] == 8.0 and row["baseline"] == 1.0 and row["latest_fatalities"] == 16


def test_short_history_and_bad_input():
    df = frame(series("Mopti", 2, weeks=10, last=3))
    al = A.alerts(df, "admin1", WEEK)
    assert not (al.kind == "spread").any() and not (al.kind == "emerging_actor").any()
    assert any("week(s) before" in m for m in al.attrs["messages"])
    one = frame(series("Mopti", 0, weeks=0, last=1))
    al1 = A.alerts(one, "admin1")
    assert al1.attrs["week"] == "2019-03-23" and al1.attrs["messages"]
    with pytest.raises(AnalysisInputError, match="no events"):
        A.alerts(one.iloc[:0], "admin1")
    with pytest.raises(AnalysisInputError, match="YYYY-MM-DD"):
        A.alerts(one, "admin1", "next tuesday")
    with pytest.raises(AnalysisInputError, match="admin unit"):
        A.alerts(one, "priogrid")
    noadmin = one.assign(admin1=None)
    assert A.trends(noadmin, "admin1").empty
    assert A.trends(noadmin, "admin1").attrs["messages"]


# ------------------------------------------------------------------------------------------- CLI
class FakeStore:
    def __init__(self, df):
        self.df = df
        self.kwargs = None

    def events(self, **kwargs):
        self.kwargs = kwargs
        return self.df


@pytest.fixture
def cli(monkeypatch):
    from sahelwatch.cli import app
    from sahelwatch.commands import analyze

    def use(df):
        store = FakeStore(df)
        monkeypatch.setattr(analyze, "open_store", lambda db: store)
        return store

    return app, use


def test_cli_alerts_writes_csv(cli, tmp_path):
    app, use = cli
    store = use(frame(series("Mopti", 4, last=12)))
    out = tmp_path / "alerts.csv"
    r = CliRunner().invoke(
        app, ["analyze", "alerts", "--week", "2019-03-23", "--since", "2017-01-01", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert store.kwargs == {"since": "2017-01-01"}
    got = pd.read_csv(out)
    assert {"surge", "trend"} <= set(got["kind"]) and "alert(s) for the week of 2019-03-23" in r.output


def test_cli_hotspots_geojson_and_influence_parquet(cli, tmp_path):
    import geopandas as gpd

    from sahelwatch.analysis.influence import synthetic_territories

    app, use = cli
    ev, _ = synthetic_territories(seed=0, n_per_group=150)
    use(ev)
    r = CliRunner().invoke(
        app, ["analyze", "hotspots", "--permutations", "99", "-o", str(tmp_path / "hot.geojson")]
    )
    assert r.exit_code == 0, r.output
    assert len(gpd.read_file(tmp_path / "hot.geojson")) > 0
    r = CliRunner().invoke(
        app,
        [
            "analyze",
            "influence",
            "--raw-names",
            "-o",
            str(tmp_path / "inf.parquet"),
            "--layers",
            str(tmp_path / "layers"),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "Group A" in r.output and (tmp_path / "layers" / "contested.geojson").exists()
    assert len(gpd.read_parquet(tmp_path / "inf.parquet")) > 0
    r = CliRunner().invoke(
        app, ["analyze", "hotspots", "--method", "clusters", "-o", str(tmp_path / "c.csv")]
    )
    assert r.exit_code == 0, r.output


def test_cli_empty_selection_is_a_clear_error(cli):
    app, use = cli
    use(pd.DataFrame())
    for cmd in ("hotspots", "influence", "alerts"):
        r = CliRunner().invoke(app, ["analyze", cmd])
        assert r.exit_code == 2, (cmd, r.output)
        assert "no events" in r.output and "Traceback" not in r.output
