"""Charts: events per week or month by event type (stacked bars) with fatalities (line)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import EVENT_STYLE, EVENT_TYPES, INK, FigureError, attribution_text, finish, legend, pyplot

HATCHES = ["", "////", "....", "xxxx", "\\\\\\\\", "++"]


def period_starts(dates: pd.Series, by: str) -> pd.Series:
    d = pd.to_datetime(dates, errors="coerce")
    if by == "week":  # ACLED weeks run Saturday to Friday
        return (d - pd.to_timedelta((d.dt.day_of_week + 2) % 7, unit="D")).dt.normalize()
    if by == "month":
        return d.dt.to_period("M").dt.to_timestamp()
    raise FigureError(f"by must be 'week' or 'month', not {by!r}")


def draw_timeseries(
    frame,
    path,
    *,
    title=None,
    subtitle=None,
    attribution=None,
    by: str = "month",
    since=None,
    until=None,
    labels: dict | None = None,
    month_names=None,
    highlight=None,
    **_,
):
    """``frame``: events (event_date, event_type, fatalities). Bars: events per period by type; line:
    fatalities. ``since``/``until`` fix the range (empty periods shown as zero); ``highlight`` a period start."""
    if "event_date" not in frame.columns:
        raise FigureError("a time series needs events with an 'event_date' column")
    labels = labels or {}
    ev = frame.copy()
    ev["period"] = period_starts(ev["event_date"], by)
    lo = period_starts(pd.Series([pd.Timestamp(since)]), by).iat[0] if since else ev["period"].min()
    hi = period_starts(pd.Series([pd.Timestamp(until)]), by).iat[0] if until else ev["period"].max()
    if pd.isna(lo) or pd.isna(hi):
        raise FigureError("no dated events to chart")
    idx = pd.date_range(lo, hi, freq="7D" if by == "week" else "MS")
    ev["event_type"] = ev["event_type"].fillna("Unknown") if "event_type" in ev.columns else "Events"
    counts = ev.groupby(["period", "event_type"]).size().unstack(fill_value=0).reindex(idx, fill_value=0)
    fat = pd.to_numeric(ev.get("fatalities", 0), errors="coerce").fillna(0)
    deaths = fat.groupby(ev["period"]).sum().reindex(idx, fill_value=0)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 3.1), dpi=150)
    x = np.arange(len(idx))
    bottom = np.zeros(len(idx))
    handles = []
    types = [t for t in EVENT_TYPES if t in counts.columns] + [
        t for t in counts.columns if t not in EVENT_TYPES
    ]
    for i, t in enumerate(types):
        colour, _ = EVENT_STYLE.get(t, ("#999999", "o"))
        b = ax.bar(
            x,
            counts[t].to_numpy(),
            bottom=bottom,
            color=colour,
            width=0.78,
            edgecolor="white",
            linewidth=0.3,
            hatch=HATCHES[i % len(HATCHES)],
            label=labels.get(t, t),
            zorder=2,
        )
        handles.append(b)
        bottom += counts[t].to_numpy()
    ax.set_ylabel(labels.get("events", "events"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", lw=0.5, zorder=0)
    if highlight is not None:
        h = period_starts(pd.Series([pd.Timestamp(highlight)]), by).iat[0]
        if h in idx:
            k = idx.get_loc(h)
            ax.axvspan(k - 0.5, k + 0.5, color="#cfcfcf", alpha=0.45, zorder=1, lw=0)
    ax2 = ax.twinx()
    (line,) = ax2.plot(
        x,
        deaths.to_numpy(),
        color=INK,
        lw=1.3,
        marker="o",
        ms=2.5,
        label=labels.get("fatalities", "fatalities"),
        zorder=3,
    )
    ax2.set_ylabel(labels.get("fatalities", "fatalities"))
    ax2.spines[["top"]].set_visible(False)
    ax2.set_ylim(bottom=0)
    ax.set_ylim(0, max(bottom.max(), 1) * 1.15)
    step = max(1, len(idx) // 12)
    ticks = x[::step]
    if by == "month":
        names = month_names or [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ]
        tl = [
            f"{names[d.month - 1]}\n{d.year}" if (i == 0 or d.month == 1) else names[d.month - 1]
            for i, d in enumerate(idx[::step])
        ]
    else:
        tl = [
            d.strftime("%d %b\n%Y") if i == 0 or d.month == 1 and d.day <= 7 else d.strftime("%d %b")
            for i, d in enumerate(idx[::step])
        ]
    ax.set_xticks(ticks, tl, fontsize=6)
    ax.set_xlim(-0.6, len(idx) - 0.4)
    legend(ax, handles + [line], loc="lower left", ncol=4, bbox_to_anchor=(0.0, 1.01))
    out = finish(
        fig,
        ax,
        path,
        title=title,
        subtitle=subtitle,
        attribution=attribution_text(frame, attribution, outlines=False),
        is_map=False,
    )
    return out
