"""The figure of a simulated day hour by hour: per pool, service level and occupancy against agents on duty.

It answers the question staffing by the hour raises: did each hour of the
day get the service it was staffed for, and were the agents on duty busy?
It reads the summarised ``hours`` of a run (sim/hourly.py): each point is
the mean over replications of one clock hour, its bar the 95% confidence
interval; the shaded steps are the agents on duty. Hours the run did not
cover are shaded grey.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, MultipleLocator

from ivrlint.report.style import SERVICE_LEVEL_SECONDS, new_figure, percent, short, styled

TARGET = 0.8  # "80% within 20 s", as queue_waits draws it
SERVICE_COLOR, OCCUPANCY_COLOR, AGENTS_COLOR = "#2b5d8a", "#c0630f", "#7a9a5a"


def _series(hours: list[dict], pool: str, metric: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, low, high) of a pool's metric per clock hour, NaN where there is none."""
    out = np.full((3, 24), math.nan)
    for entry in hours:
        figures = (entry.get("queues") or {}).get(pool) if entry.get("covered") else None
        value = (figures or {}).get(metric)
        if isinstance(value, dict) and value.get("mean") is not None:
            low, high = value.get("ci95") or [None, None]
            out[:, entry["hour"]] = [value["mean"], _or(low, value["mean"]), _or(high, value["mean"])]
        elif isinstance(value, (int, float)):
            out[:, entry["hour"]] = value
    return out[0], out[1], out[2]


def _or(value, default):
    return default if value is None else value


def pools_with_hours(hours: list[dict]) -> list[str]:
    """Pools that had callers or agents on duty in some hour the run covered."""
    pools: dict[str, None] = {}
    for entry in hours:
        if not entry.get("covered"):
            continue
        for pool, figures in (entry.get("queues") or {}).items():
            calls, agents = (_or(_mean(figures.get(m)), 0) for m in ("calls", "agents"))
            if calls or agents:
                pools[pool] = None
    return list(pools)


def _mean(value):
    return value.get("mean") if isinstance(value, dict) else value


@styled
def hours_figure(hours: list[dict]) -> Figure | None:
    """Per pool, over the 24 clock hours: service level and occupancy (means with 95% intervals) against
    agents on duty; None when the run covered no hour with a pool in it."""
    pools = pools_with_hours(hours)
    if not pools:
        return None
    fig = new_figure(10, 1.4 + 2.3 * len(pools))
    fig.suptitle(f"Hour by hour: answered within {SERVICE_LEVEL_SECONDS:.0f} s and occupancy, against agents on duty",
                 fontweight="bold")
    axes = fig.subplots(len(pools), 1, sharex=True, squeeze=False)[:, 0]
    uncovered = [entry["hour"] for entry in hours if not entry.get("covered")]
    for ax, pool in zip(axes, pools, strict=True):
        _pool(ax, hours, pool, uncovered)
    axes[-1].set_xlim(0, 24)
    axes[-1].xaxis.set_major_locator(MultipleLocator(3))
    axes[-1].xaxis.set_major_formatter(lambda h, _: f"{int(h) % 24:02d}:00" if h < 24 else "24:00")
    axes[-1].set_xlabel("clock hour the callers arrived (occupancy: the agents' time in that hour)")
    legend: dict = {}
    for ax in fig.axes:
        for handle, text in zip(*ax.get_legend_handles_labels(), strict=True):
            legend.setdefault(text, handle)
    fig.legend(list(legend.values()), list(legend), loc="outside lower center", ncol=5, fontsize=8.5)
    return fig


def _pool(ax, hours: list[dict], pool: str, uncovered: list[int]) -> None:
    """One pool's panel: shares on the left axis, agents on duty on the right."""
    middle = np.arange(24) + 0.5
    agents = _series(hours, pool, "agents")[0]
    right = ax.twinx()
    right.stairs(np.nan_to_num(agents), np.arange(25), fill=True, color=AGENTS_COLOR, alpha=0.22, label="agents on duty")
    right.stairs(np.nan_to_num(agents), np.arange(25), color=AGENTS_COLOR, linewidth=1)
    right.set_ylim(0, max(1.0, float(np.nanmax(agents)) if not np.all(np.isnan(agents)) else 1.0) * 1.5)
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_ylabel("agents on duty")
    right.grid(False)
    right.spines["right"].set_visible(True)
    ax.set_zorder(right.get_zorder() + 1)  # the lines over the agents' steps
    ax.patch.set_visible(False)
    top = 1.0
    for metric, color, text in (("service_level", SERVICE_COLOR, f"answered within {SERVICE_LEVEL_SECONDS:.0f} s"),
                                ("occupancy", OCCUPANCY_COLOR, "occupancy (busy / on duty)")):
        mean, low, high = _series(hours, pool, metric)
        shown = ~np.isnan(mean)
        if not shown.any():
            continue
        top = max(top, float(np.nanmax(mean)))  # an interval may reach past the axis; the means stay on it
        ax.errorbar(middle[shown], mean[shown], yerr=[mean[shown] - low[shown], high[shown] - mean[shown]],
                    color=color, linewidth=0, elinewidth=1, capsize=2, marker="o", markersize=3.5)
        ax.plot(middle, mean, color=color, linewidth=1.8, label=text)  # NaN hours break the line
    ax.axhline(TARGET, color="#999999", linestyle=":", linewidth=1, label=f"{percent(TARGET)} target")
    for k, hour in enumerate(uncovered):
        ax.axvspan(hour, hour + 1, color="#9a9a9a", alpha=0.2, linewidth=0, label="not simulated" if k == 0 else None)
    ax.set_ylim(0, min(top, 2.0) * 1.05)
    ax.yaxis.set_major_formatter(lambda y, _: percent(y))
    ax.set_ylabel("share")
    ax.set_title(f"pool {short(pool, 40)}", loc="left", fontsize=10)
