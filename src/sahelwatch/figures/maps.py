"""Maps, one per analysis: events, hot spots, influence, alerts, access, forecasts; and the actor network."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    EVENT_STYLE,
    EVENT_TYPES,
    INK,
    MUTED,
    OKABE_ITO,
    FigureError,
    attribution_text,
    extent_of,
    finish,
    join_admin1,
    label_admin1,
    legend,
    map_axes,
    numeric,
    pyplot,
)

HOT_COLOURS = {
    "hot 99%": "#b2182b",
    "hot 95%": "#ef8a62",
    "hot 90%": "#fddbc7",
    "cold 90%": "#d1e5f0",
    "cold 95%": "#67a9cf",
    "cold 99%": "#2166ac",
}


def _points(frame):
    lat = next((c for c in ("latitude", "lat") if c in frame.columns), None)
    lon = next((c for c in ("longitude", "lon") if c in frame.columns), None)
    if lat is None or lon is None:
        raise FigureError("this table has no coordinates (latitude/longitude) to map")
    return numeric(frame[lon]), numeric(frame[lat])


def _geometry(frame, unit_col: str = "unit"):
    """Polygons of a frame: its own geometry, else PRIO-GRID squares from the unit id."""
    import geopandas as gpd

    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.notna().any():
        return frame
    if unit_col in frame.columns:
        gid = pd.to_numeric(frame[unit_col], errors="coerce")
        if gid.notna().all():
            from shapely.geometry import box

            g = gid.astype(int).to_numpy() - 1
            row, col = g // 720, g % 720
            lat0, lon0 = row * 0.5 - 90, col * 0.5 - 180
            geom = [box(x, y, x + 0.5, y + 0.5) for x, y in zip(lon0, lat0)]
            return gpd.GeoDataFrame(frame.copy(), geometry=geom, crs="EPSG:4326")
    return None


def _size(fat: np.ndarray) -> np.ndarray:
    return 6 + 9 * np.sqrt(np.nan_to_num(fat, nan=0.0).clip(0, 400))


def _size_legend(ax, values=(1, 10, 50), killed: str = "killed", killed_one: str | None = None):
    plt = pyplot()
    return [
        plt.scatter(
            [],
            [],
            s=_size(np.array([v]))[0],
            facecolor="none",
            edgecolor=INK,
            linewidth=0.6,
            label=f"{v} {killed_one if v == 1 and killed_one else killed}",
        )
        for v in values
    ]


def event_points(ax, ev, *, alpha=0.85, zorder=7, labels=None):
    """Events as points: colour and shape by event type, area by fatalities. Returns legend handles."""
    from matplotlib.lines import Line2D

    lon, lat = _points(ev)
    fat = numeric(ev["fatalities"]) if "fatalities" in ev.columns else np.zeros(len(ev))
    types = (
        ev["event_type"].fillna("Unknown").astype(str).to_numpy()
        if "event_type" in ev.columns
        else np.array(["Unknown"] * len(ev))
    )
    handles = []
    order = [t for t in EVENT_TYPES if t in set(types)] + sorted(set(types) - set(EVENT_TYPES))
    for t in order:
        m = (types == t) & np.isfinite(lon) & np.isfinite(lat)
        colour, marker = EVENT_STYLE.get(t, ("#999999", "o"))
        ax.scatter(
            lon[m],
            lat[m],
            s=_size(fat[m]),
            c=colour,
            marker=marker,
            edgecolor="white",
            linewidth=0.35,
            alpha=alpha,
            zorder=zorder,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                linestyle="",
                markerfacecolor=colour,
                markeredgecolor="white",
                markersize=6,
                label=f"{(labels or {}).get(t, t)} ({int(m.sum())})",
            )
        )
    return handles


def draw_events(
    frame,
    path,
    *,
    title=None,
    subtitle=None,
    attribution=None,
    country=None,
    hotspots=None,
    labels=None,
    figsize=(7.2, 5.4),
    **_,
):
    """Events as points (type: colour and shape; fatalities: area) over Gi* hot cells when ``hotspots`` is given;
    ``labels`` translates event types, "killed" and "hot"."""
    labels = labels or {}
    ev = frame
    if len(ev) == 0:
        raise FigureError("no events to map: the selection is empty")
    lon, lat = _points(ev)
    located = np.isfinite(lon) & np.isfinite(lat)
    extent = extent_of(lon[located], lat[located], country=country)
    fig, ax = map_axes(extent, country=country, figsize=figsize)
    handles = []
    if hotspots is not None and len(hotspots):
        g = _geometry(hotspots)
        hot = g[g["class"].astype(str).str.startswith("hot")]
        if len(hot):
            from matplotlib.patches import Patch

            for cls in ("hot 90%", "hot 95%", "hot 99%"):
                part = hot[hot["class"] == cls]
                if len(part):
                    part.plot(ax=ax, color=HOT_COLOURS[cls], edgecolor="none", alpha=0.75, zorder=4)
                    handles.append(Patch(facecolor=HOT_COLOURS[cls], label=f"Gi* {labels.get(cls, cls)}"))
    if country:
        label_admin1(ax, country, extent)
    handles += event_points(ax, ev[located], labels=labels)
    handles += _size_legend(ax, killed=labels.get("killed", "killed"), killed_one=labels.get("killed_one"))
    legend(ax, handles, loc="outside")
    if (~located).any():
        ax.annotate(
            f"{int((~located).sum())} event(s) without coordinates not shown",
            (0.01, 0.075),
            xycoords="axes fraction",
            fontsize=5.5,
            color=MUTED,
        )
    return finish(
        fig,
        ax,
        path,
        title=f"{int(located.sum())} events" if title is None else title,
        subtitle=subtitle,
        attribution=attribution_text(ev, attribution),
        extent=extent,
    )


def draw_hotspots(frame, path, *, title=None, subtitle=None, attribution=None, country=None, **_):
    from matplotlib.patches import Patch

    g = _geometry(frame)
    if g is None or len(g) == 0:
        raise FigureError("no cells to map")
    x0, y0, x1, y1 = g.total_bounds
    extent = extent_of([x0, x1], [y0, y1], country=country, pad=0.2)
    fig, ax = map_axes(extent, country=country)
    handles = []
    if "class" in g.columns:
        col = "class"
        cats = [c for c in HOT_COLOURS if (g[col] == c).any()]
        for c in cats:
            g[g[col] == c].plot(ax=ax, color=HOT_COLOURS[c], edgecolor="white", linewidth=0.2, zorder=4)
            handles.append(
                Patch(
                    facecolor=HOT_COLOURS[c],
                    edgecolor="#999999",
                    linewidth=0.3,
                    label=f"{c} ({int((g[col] == c).sum())} cells)",
                )
            )
        legend_title = "Getis-Ord Gi* (FDR)"
    elif "pattern" in g.columns:
        pats = [p for p in g["pattern"].dropna().unique() if p != "no pattern"]
        for i, p in enumerate(sorted(pats)):
            g[g["pattern"] == p].plot(
                ax=ax,
                color=OKABE_ITO[i % 8],
                hatch=["", "///", "...", "xx"][i // 8 % 4],
                edgecolor="white",
                linewidth=0.2,
                zorder=4,
            )
            handles.append(Patch(facecolor=OKABE_ITO[i % 8], label=f"{p} ({int((g['pattern'] == p).sum())})"))
        legend_title = "Emerging hot spots"
    else:
        raise FigureError("a hot-spot table needs a 'class' (Gi*) or 'pattern' (emerging) column")
    if country:
        label_admin1(ax, country, extent)
    legend(ax, handles, title=legend_title, loc="outside")
    return finish(
        fig,
        ax,
        path,
        title=title or "Hot spots",
        subtitle=subtitle,
        attribution=attribution_text(frame, attribution),
        extent=extent,
    )


def draw_clusters(frame, path, *, title=None, subtitle=None, attribution=None, country=None, **_):
    lon, lat = _points(frame)
    extent = extent_of(lon, lat, country=country)
    fig, ax = map_axes(extent, country=country)
    ev = numeric(frame["events"]) if "events" in frame.columns else np.ones(len(frame))
    ax.scatter(
        lon,
        lat,
        s=10 + 4 * np.sqrt(ev),
        facecolor=OKABE_ITO[4],
        alpha=0.6,
        edgecolor=INK,
        linewidth=0.4,
        zorder=6,
    )
    for x, y, c in zip(lon, lat, frame.get("cluster", range(len(frame)))):
        ax.annotate(str(c), (x, y), fontsize=5.5, ha="center", va="center", zorder=7)
    return finish(
        fig,
        ax,
        path,
        title=title or f"{len(frame)} space-time clusters",
        subtitle=subtitle,
        attribution=attribution_text(frame, attribution),
        extent=extent,
    )


def draw_influence(frame, path, *, title=None, subtitle=None, attribution=None, country=None, **_):
    from matplotlib.patches import Patch

    g = _geometry(frame)
    if g is None or "dominant" not in g.columns:
        raise FigureError("an influence table needs cells with a 'dominant' column")
    if "period" in g.columns and g["period"].nunique() > 1:  # gains and losses: map the last period
        g = g[g["period"] == g["period"].max()]
    active = g[g["status"].astype(str) != "no activity"] if "status" in g.columns else g
    x0, y0, x1, y1 = (active if len(active) else g).total_bounds
    extent = extent_of([x0, x1], [y0, y1], country=country, pad=0.3)
    fig, ax = map_axes(extent, country=country)
    counts = active["dominant"].value_counts()
    groups = list(counts.index)
    shown = groups[:7]
    handles = []
    contested = (
        active["contested"].astype(bool) if "contested" in active.columns else pd.Series(False, active.index)
    )
    for i, grp in enumerate(shown):
        part = active[(active["dominant"] == grp) & ~contested]
        share = numeric(part["dominant_share"]) if "dominant_share" in part.columns else np.ones(len(part))
        if len(part):
            part.plot(
                ax=ax,
                color=OKABE_ITO[i],
                alpha=np.clip(0.35 + 0.65 * np.nan_to_num(share), 0.35, 1.0),
                edgecolor="white",
                linewidth=0.2,
                zorder=4,
            )
        handles.append(
            Patch(facecolor=OKABE_ITO[i], label=f"{_short(grp)} dominant ({int(len(part))} cells)")
        )
    rest = active[~active["dominant"].isin(shown) & ~contested]
    if len(rest):
        rest.plot(ax=ax, color="#bbbbbb", edgecolor="white", linewidth=0.2, zorder=4)
        handles.append(Patch(facecolor="#bbbbbb", label=f"other groups ({len(rest)} cells)"))
    cont = active[contested]
    if len(cont):
        cont.plot(ax=ax, facecolor="white", edgecolor=INK, hatch="////", linewidth=0.4, zorder=5)
        handles.append(
            Patch(facecolor="white", edgecolor=INK, hatch="////", label=f"contested ({len(cont)} cells)")
        )
    if country:
        label_admin1(ax, country, extent)
    legend(ax, handles, title="Areas of influence\n(shade: share of armed-group activity)", loc="outside")
    return finish(
        fig,
        ax,
        path,
        title=title or "Areas of influence",
        subtitle=subtitle,
        attribution=attribution_text(frame, attribution),
        extent=extent,
    )


def _short(name: str, n: int = 30) -> str:
    name = str(name)
    return name if len(name) <= n else name[: n - 1] + "…"


def draw_alerts(frame, path, *, title=None, subtitle=None, attribution=None, country=None, **_):
    """Alerts per admin1 (the admin1 of each alert's unit): fill by number of alerts, kinds labelled."""
    from matplotlib.patches import Patch

    if "admin1" not in frame.columns and "unit" not in frame.columns:
        raise FigureError("an alerts table needs 'unit' or 'admin1'")
    a1 = (
        frame["admin1"].where(frame["admin1"].notna(), frame.get("unit"))
        if "admin1" in frame.columns
        else frame["unit"]
    )
    per = pd.DataFrame({"admin1": a1, "kind": frame.get("kind", "alert")}).dropna(subset=["admin1"])
    agg = (
        per.groupby("admin1")
        .agg(alerts=("kind", "size"), kinds=("kind", lambda s: ", ".join(sorted(set(map(str, s))))))
        .reset_index()
    )
    shapes = join_admin1(agg, "admin1", country)
    if len(shapes) == 0:
        raise FigureError(f"no admin1 outlines for {country!r}")
    x0, y0, x1, y1 = shapes.total_bounds
    extent = extent_of([x0, x1], [y0, y1], country=country)
    fig, ax = map_axes(extent, country=country)
    n = shapes["alerts"].fillna(0).astype(int)
    shades = {1: "#fde725", 2: "#35b779", 3: "#31688e"}
    handles = []
    for k, colour in shades.items():
        part = shapes[(n == k) if k < 3 else (n >= 3)]
        if len(part):
            part.plot(ax=ax, color=colour, edgecolor="white", linewidth=0.5, zorder=3, alpha=0.85)
            handles.append(
                Patch(
                    facecolor=colour,
                    label=f"{k}{'+' if k == 3 else ''} alert{'s' if k > 1 else ''} ({len(part)} admin1)",
                )
            )
    legend(ax, handles, title="Alerts per admin1", loc="outside")
    import matplotlib.patheffects as pe

    for r in shapes.itertuples():
        p = r.geometry.representative_point()
        txt = r.admin1 + (f"\n{r.kinds.replace('_', ' ')}" if isinstance(r.kinds, str) else "")
        ax.annotate(
            txt,
            (p.x, p.y),
            ha="center",
            va="center",
            fontsize=5.5,
            color=INK,
            zorder=6,
            path_effects=[pe.withStroke(linewidth=1.8, foreground="white")],
        )
    return finish(
        fig,
        ax,
        path,
        title=title or f"{len(frame)} alerts",
        subtitle=subtitle,
        attribution=attribution_text(frame, attribution),
        extent=extent,
    )


def draw_forecast(
    frame,
    path,
    *,
    title=None,
    subtitle=None,
    attribution=None,
    country=None,
    horizon=None,
    value="p_any",
    **_,
):
    """Forecast map: P(at least one) per cell or admin1 for one horizon (samples are summarised first)."""
    from matplotlib.colors import Normalize

    f = frame
    if "sample" in f.columns and "value" in f.columns:
        g = f.groupby(["unit", "month", "horizon"], sort=False)["value"]
        f = g.agg(
            mean="mean",
            p_any=lambda s: (s >= 1).mean(),
            q05=lambda s: s.quantile(0.05),
            q95=lambda s: s.quantile(0.95),
        ).reset_index()
    if value not in f.columns:
        raise FigureError(f"a forecast table needs a {value!r} column (or samples)")
    if "horizon" in f.columns:
        h = horizon if horizon is not None else int(pd.to_numeric(f["horizon"]).min())
        f = f[pd.to_numeric(f["horizon"]) == h]
    geo = _geometry(f)
    if geo is None:  # admin units: join on admin1 names
        geo = join_admin1(f.rename(columns={"unit": "admin1"}), "admin1", country)
        geo = geo[geo[value].notna()] if country is None else geo
    x0, y0, x1, y1 = geo.total_bounds
    extent = extent_of([x0, x1], [y0, y1], country=country, pad=0.2)
    fig, ax = map_axes(extent, country=country)
    geo.plot(
        ax=ax,
        column=value,
        cmap="cividis",
        norm=Normalize(0, 1),
        edgecolor="white",
        linewidth=0.2,
        zorder=4,
        missing_kwds={"color": "none"},
        legend=True,
        legend_kwds={"label": "probability of at least one" if value == "p_any" else value, "shrink": 0.55},
    )
    if country:
        label_admin1(ax, country, extent)
    month = f["month"].iloc[0] if "month" in f.columns and len(f) else ""
    return finish(
        fig,
        ax,
        path,
        title=title or f"Forecast for {month}",
        subtitle=subtitle,
        attribution=attribution_text(frame, attribution),
        extent=extent,
    )


def draw_access(frame, path, *, title=None, subtitle=None, attribution=None, country=None, **_):
    """The access layer (``layer`` = segment | town | route): roads by incidents, towns by level."""
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D

    if "layer" not in frame.columns:
        raise FigureError("an access map needs the danger layer (column 'layer': segment, town, route)")
    seg = frame[frame["layer"] == "segment"]
    towns = frame[frame["layer"] == "town"]
    routes = frame[frame["layer"] == "route"]
    x0, y0, x1, y1 = (seg if len(seg) else frame).total_bounds
    extent = extent_of([x0, x1], [y0, y1], country=country, pad=0.2)
    fig, ax = map_axes(extent, country=country)
    handles = []
    if len(seg):
        seg.plot(ax=ax, color="#b5b5b5", linewidth=0.7, zorder=3)
        inc = numeric(seg["incidents"]) if "incidents" in seg.columns else np.zeros(len(seg))
        hit = seg[inc > 0]
        if len(hit):
            hit.plot(
                ax=ax,
                column="incidents",
                cmap="magma_r",
                norm=Normalize(0, max(float(np.nanmax(inc)), 1)),
                linewidth=2.0,
                zorder=4,
                legend=True,
                legend_kwds={"label": "incidents on the segment", "shrink": 0.5},
            )
        handles.append(Line2D([], [], color="#b5b5b5", lw=1, label="road"))
    if len(routes):
        ok = routes[~routes["hit"].astype(bool)] if "hit" in routes.columns else routes
        bad = routes[routes["hit"].astype(bool)] if "hit" in routes.columns else routes.iloc[0:0]
        if len(ok):
            ok.plot(ax=ax, color=OKABE_ITO[3], linewidth=2.2, alpha=0.8, zorder=5)
            handles.append(Line2D([], [], color=OKABE_ITO[3], lw=2, label="route open"))
        if len(bad):
            bad.plot(ax=ax, color=OKABE_ITO[4], linewidth=2.4, linestyle="--", zorder=5)
            handles.append(Line2D([], [], color=OKABE_ITO[4], lw=2, ls="--", label="route hit"))
    style = {"open": (OKABE_ITO[2], "o"), "disrupted": (OKABE_ITO[0], "^"), "cut off": (OKABE_ITO[4], "X")}
    if len(towns):
        lv = (
            towns["level"].fillna("n/a").astype(str)
            if "level" in towns.columns
            else pd.Series("n/a", towns.index)
        )
        pop = numeric(towns["population"]) if "population" in towns.columns else np.full(len(towns), 1e4)
        for level, (colour, marker) in list(style.items()) + [("n/a", ("#999999", "o"))]:
            m = (lv == level).to_numpy()
            if m.any():
                ax.scatter(
                    towns.geometry.x[m],
                    towns.geometry.y[m],
                    s=14 + np.sqrt(np.nan_to_num(pop[m])) / 8,
                    c=colour,
                    marker=marker,
                    edgecolor=INK,
                    linewidth=0.4,
                    zorder=7,
                )
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker=marker,
                        ls="",
                        markerfacecolor=colour,
                        markeredgecolor=INK,
                        label=f"town {level} ({int(m.sum())})",
                    )
                )
        name_col = "town" if "town" in towns.columns else "name"
        big = towns.assign(_p=pop).nlargest(10, "_p")
        for r in big.itertuples():
            ax.annotate(
                getattr(r, name_col),
                (r.geometry.x, r.geometry.y),
                fontsize=5.5,
                xytext=(3, 3),
                textcoords="offset points",
                zorder=8,
            )
    legend(ax, handles, title="Access", loc="lower right")
    return finish(
        fig,
        ax,
        path,
        title=title or "Road incidents and town access",
        subtitle=subtitle,
        attribution=attribution_text(frame, attribution),
        extent=extent,
    )


def draw_network(frame, path, *, title=None, subtitle=None, attribution=None, top: int = 25, **_):
    """Who fights whom (solid, vermillion) and who is allied (dashed, blue); width by events."""
    import networkx as nx
    from matplotlib.lines import Line2D

    need = {"source", "target", "relation", "events"}
    if not need <= set(frame.columns):
        raise FigureError(f"a network table needs the columns {sorted(need)}")
    e = frame.groupby(["source", "target", "relation"], as_index=False)["events"].sum()
    weight = (
        pd.concat([e.groupby("source")["events"].sum(), e.groupby("target")["events"].sum()])
        .groupby(level=0)
        .sum()
    )
    keep = set(weight.sort_values(ascending=False).head(top).index)
    e = e[e["source"].isin(keep) & e["target"].isin(keep)]
    if len(e) == 0:
        raise FigureError("no relation between actors to draw")
    G = nx.Graph()
    for r in e.itertuples():
        w = G.get_edge_data(r.source, r.target, {"weight": 0})["weight"]
        G.add_edge(r.source, r.target, weight=w + r.events)
    pos = nx.spring_layout(G, seed=7, k=1.6 / np.sqrt(max(len(G), 1)), weight=None)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 5.4), dpi=150)
    ax.axis("off")
    styles = {
        "opposition": (OKABE_ITO[4], "-"),
        "alliance": (OKABE_ITO[3], "--"),
        "association": ("#888888", ":"),
    }
    for r in e.itertuples():
        colour, ls = styles.get(r.relation, ("#888888", "-"))
        (xa, ya), (xb, yb) = pos[r.source], pos[r.target]
        ax.plot(
            [xa, xb],
            [ya, yb],
            color=colour,
            ls=ls,
            lw=0.5 + 2.5 * np.sqrt(r.events / e["events"].max()),
            alpha=0.8,
            zorder=1,
        )
    size = weight.reindex(list(G.nodes)).fillna(0).to_numpy()
    xs = np.array([pos[n][0] for n in G.nodes])
    ys = np.array([pos[n][1] for n in G.nodes])
    ax.scatter(
        xs, ys, s=20 + 200 * np.sqrt(size / size.max()), c="white", edgecolor=INK, linewidth=0.8, zorder=2
    )
    for n, x, y in zip(G.nodes, xs, ys):
        ax.annotate(
            _short(n, 30),
            (x, y),
            fontsize=5.5,
            ha="center",
            va="bottom",
            xytext=(0, 5),
            textcoords="offset points",
            zorder=3,
        )
    handles = [
        Line2D([], [], color=c, ls=ls, lw=1.5, label=k)
        for k, (c, ls) in styles.items()
        if (e["relation"] == k).any()
    ]
    legend(ax, handles, title="relation (width: events)", loc="lower left")
    return finish(
        fig,
        ax,
        path,
        title=title or "Actor network",
        subtitle=subtitle,
        attribution=attribution_text(frame, attribution, outlines=False),
        is_map=False,
    )
