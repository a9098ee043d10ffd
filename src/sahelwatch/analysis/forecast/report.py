"""HTML backtest report: results tables, calibration (PIT) histograms, CRPS by horizon and
maps of predicted against observed values (matplotlib PNGs embedded as base64)."""

from __future__ import annotations

import base64
import datetime as _dt
import io
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

METRIC_LABELS = {
    "crps": "CRPS",
    "ign": "Ignorance (bits)",
    "is90": "Interval score 90%",
    "mse_log": "MSE log1p",
    "ap": "Average precision (≥1)",
}
SUBSET_LABELS = {
    "all": "all unit-months",
    "conflict": "unit-months with conflict (observed ≥ 1)",
    "active": "units with conflict in the 12 months before the origin",
}


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _base_models(table: pd.DataFrame) -> list[str]:
    return [m for m in dict.fromkeys(table["model"]) if "@" not in m]


def crps_plot(result) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = result.table[result.table.metric == "crps"]
    subsets = [s for s in ("all", "conflict", "active") if s in set(t.subset)]
    fig, axes = plt.subplots(1, len(subsets), figsize=(4.2 * len(subsets), 3.4))
    axes = np.atleast_1d(axes)
    for ax, sub in zip(axes, subsets):
        for m in _base_models(t):
            g = t[(t.subset == sub) & (t.model == m)].sort_values("horizon")
            ax.errorbar(
                g.horizon,
                g["mean"],
                yerr=g["sd"],
                marker="o",
                ms=3,
                lw=2.2 if m == "lgbm" else 1,
                label=m,
                capsize=2,
            )
        ax.set_title(sub, fontsize=9)
        ax.set_xlabel("horizon (months)")
        ax.set_ylabel("CRPS (lower is better)")
    axes[-1].legend(fontsize=7, loc="best")
    fig.tight_layout()
    return _png(fig)


def pit_plot(result, models=None) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    models = models or [
        m
        for m in ("lgbm", "conflictology", "mixture", "zinb", "negbin", "last")
        if m in set(result.pits.model)
    ]
    subsets = [
        s for s in ("conflict", "active") if "subset" in result.pits and s in set(result.pits.subset)
    ] or ["conflict"]
    n = max(1, len(models))
    fig, axes = plt.subplots(
        len(subsets), n, figsize=(2.6 * n, 2.5 * len(subsets)), sharey="row", squeeze=False
    )
    for r, sub in enumerate(subsets):
        for ax, m in zip(axes[r], models):
            sel = result.pits.model == m
            if "subset" in result.pits:
                sel &= result.pits.subset == sub
            v = result.pits.loc[sel, "pit"].to_numpy()
            if len(v):
                ax.hist(
                    v,
                    bins=10,
                    range=(0, 1),
                    density=True,
                    color="#4477aa" if r == 0 else "#aa7744",
                    edgecolor="white",
                )
            ax.axhline(1.0, color="k", lw=0.8, ls="--")
            ax.set_title(f"{m}, {sub} (n={len(v)})", fontsize=8)
            ax.set_xlabel("PIT")
        axes[r][0].set_ylabel("density")
    fig.tight_layout()
    return _png(fig)


def map_plot(result, model: str = "lgbm", horizon: int = 1) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    p = result.points[(result.points.model == model) & (result.points.horizon == horizon)]
    g = (
        p.groupby("unit")
        .agg(lat=("lat", "first"), lon=("lon", "first"), mean=("mean", "mean"), observed=("observed", "mean"))
        .dropna(subset=["lat", "lon"])
    )
    vmax = max(float(g[["mean", "observed"]].to_numpy().max()) if len(g) else 1.0, 1.0)
    norm = LogNorm(vmin=0.05, vmax=vmax)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharex=True, sharey=True)
    marker = "s" if result.meta.get("unit") == "priogrid" else "o"
    for ax, col, title in (
        (axes[0], "mean", f"predicted ({model}, h={horizon})"),
        (axes[1], "observed", "observed"),
    ):
        v = g[col].clip(lower=0.05)
        sc = ax.scatter(
            g.lon,
            g.lat,
            c=v,
            s=28 if marker == "s" else 60,
            marker=marker,
            cmap="YlOrRd",
            norm=norm,
            edgecolors="#999",
            linewidths=0.3,
        )
        ax.set_title(f"{title}: mean per month over the origins", fontsize=9)
        ax.set_xlabel("longitude")
        ax.set_aspect("equal")
    axes[0].set_ylabel("latitude")
    fig.colorbar(sc, ax=axes, shrink=0.8, label=result.meta.get("target", "value"))
    return _png(fig)


def results_tables(result) -> list[dict]:
    """One HTML table per subset and metric: models × horizons, 'mean ± seed sd'."""
    out = []
    t = result.table
    for sub in [s for s in ("all", "conflict", "active") if s in set(t.subset)]:
        for metric in [m for m in ("crps", "ign", "is90", "mse_log", "ap") if m in set(t.metric)]:
            g = t[(t.subset == sub) & (t.metric == metric)]
            if g.empty:
                continue
            cell = g.assign(
                txt=[f"{a:.3f} ± {b:.3f}" if np.isfinite(a) else "–" for a, b in zip(g["mean"], g["sd"])]
            )
            piv = cell.pivot(index="model", columns="horizon", values="txt")
            order = g.groupby("model")["mean"].mean().sort_values(ascending=(metric != "ap")).index
            piv = piv.loc[order]
            piv.columns = [f"h={c}" for c in piv.columns]
            out.append(
                {
                    "subset": SUBSET_LABELS.get(sub, sub),
                    "metric": METRIC_LABELS.get(metric, metric),
                    "html": piv.to_html(classes="results", border=0, escape=True),
                }
            )
    return out


def write_report(result, path, title: str | None = None) -> Path:
    from jinja2 import Environment, select_autoescape

    text = (
        resources.files("sahelwatch.report").joinpath("templates/forecast_report.html.j2").read_text("utf-8")
    )
    env = Environment(autoescape=select_autoescape(default=True))
    tpl = env.from_string(text)
    head = result.headline() if "lgbm" in set(result.table.model) else pd.DataFrame()
    head_c = result.headline(subset="conflict") if "lgbm" in set(result.table.model) else pd.DataFrame()
    fmt = {c: "{:.3f}".format for c in head.columns if c not in ("horizon", "best_baseline")}
    for c in ("gain_vs_best", "gain_vs_conflictology"):
        fmt[c] = "{:+.1%}".format
    html = tpl.render(
        title=title
        or f"sahelwatch forecast backtest — {result.meta.get('unit')} {result.meta.get('target')} ({result.meta.get('type')})",
        generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        meta=result.meta,
        timing=result.timing,
        headline=head.to_html(index=False, formatters=fmt, border=0, classes="results") if len(head) else "",
        headline_conflict=head_c.to_html(index=False, formatters=fmt, border=0, classes="results")
        if len(head_c)
        else "",
        tables=results_tables(result),
        crps_png=crps_plot(result),
        pit_png=pit_plot(result),
        map_png=map_plot(
            result, "lgbm" if "lgbm" in set(result.points.model) else result.points.model.iat[0]
        ),
        map_obs_note="conflictology" in set(result.points.model),
        conflictology_map=map_plot(result, "conflictology")
        if "conflictology" in set(result.points.model)
        else None,
    )
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path
