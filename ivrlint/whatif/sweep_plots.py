"""Line plots of a sweep: a measure against one varied value, with 95% CI bands.

One PNG per (measure, numeric varied path): the x axis is that path's values
(durations in seconds), one line per combination of the other varied values,
each with its confidence band (the interval stored with the row, which stays
within what the measure can take: no wait below 0 s, no share above 100%). The trade-off an analyst is after (agents
against abandonment, at each traffic level) reads straight off the picture.

Each PNG is drawn in memory and written as reports are (``ivrlint.common.atomic``):
a temporary file, fsynced, renamed over the old plot, then the folder fsynced,
so a kill leaves the old plot or the new one, and a power cut neither half
nor lost once the sweep said it wrote it.
"""

from __future__ import annotations

import io
import os
import re

from ivrlint.common.atomic import write_file
from ivrlint.sim.metrics import SHARES
from ivrlint.whatif.scenario_task import POOL_MEASURES
from ivrlint.whatif.scenarios import as_number
from ivrlint.whatif.sweep_table import lookup, measure_columns

#: Measures plotted when the caller does not choose: the overall queue measures,
#: and those of every pool a varied path belongs to (queues.<pool>....).
DEFAULT_MEASURES = ("overall.p_abandon", "overall.mean_wait", "overall.service_level")
#: Lines per plot beyond which the legend is dropped (the lines are still drawn).
LEGEND_LIMIT = 12


def plot_sweep(plan, rows: list[dict], out_dir: str, measures: list[str] | None = None) -> list[str]:
    """Write the plots; return their paths. Nothing to plot without numeric varied values."""
    if not rows:
        return []
    available = measure_columns(rows)
    chosen = [m for m in (measures or default_measures(plan)) if m in available]
    if not chosen and measures is None:
        chosen = available[:4]
    numeric = [v for v in plan.varies if all(as_number(x) is not None for x in v.values) and len(v.values) > 1]
    if not numeric or not chosen:
        return []
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    from ivrlint.report.style import missing_glyphs_quiet

    files = []
    for vary in numeric:
        for measure in chosen:
            fig = _plot_one(plt, plan, rows, vary, measure)
            path = os.path.join(out_dir, f"{_slug(measure)}-by-{_slug(vary.path)}.png")
            image = io.BytesIO()
            try:
                with missing_glyphs_quiet():
                    fig.savefig(image, format="png", dpi=110)
            finally:
                plt.close(fig)
            write_file(path, image.getvalue())
            files.append(path)
    return files


def default_measures(plan) -> list[str]:
    pools = [v.path.split(".")[1] for v in plan.varies if v.path.startswith("queues.")]
    pooled = [f"queues.{pool}.{m}" for pool in dict.fromkeys(pools) for m in POOL_MEASURES]
    return list(DEFAULT_MEASURES) + pooled


#: Up to this many values swept, each gets a tick of its own.
MAX_TICKS = 12


def _plot_one(plt, plan, rows: list[dict], vary, measure: str):
    others = [v.path for v in plan.varies if v.path != vary.path]
    metric = measure.rsplit(".", 1)[-1]
    is_share = metric.startswith("p_") or metric in SHARES
    lines: dict[tuple, list[tuple[float, dict]]] = {}
    for row in rows:
        value = lookup(row, measure)
        if value is None or value.get("mean") is None:
            continue
        x = as_number(row["values"][vary.path])
        if x is None:  # not reached: plot_sweep plots only varied paths whose every value is a number
            continue
        label = tuple((p, row["values"][p]) for p in others)
        lines.setdefault(label, []).append((x, value))
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, points in lines.items():
        points.sort(key=lambda p: p[0])
        xs = [x for x, _ in points]
        means = [v["mean"] for _, v in points]
        name = ", ".join(f"{p.rsplit('.', 1)[-1]}={v}" for p, v in label) or "all"
        (line,) = ax.plot(xs, means, marker="o", markersize=3, label=name)
        cis = [v.get("ci95") for _, v in points]
        bands = [ci for ci in cis if ci and None not in ci]
        if len(bands) == len(cis):  # every point has its interval
            # the stored intervals, as the simulation clipped them; a journal
            # written before it clipped them is held to the measure's range here
            lows = [max(c[0], 0.0) for c in bands]
            highs = [min(c[1], 1.0) if is_share else c[1] for c in bands]
            ax.fill_between(xs, lows, highs, color=line.get_color(), alpha=0.18, linewidth=0)
    ax.set_ylim(bottom=0)  # every measure plotted is a share or a time: no room below 0
    ax.set_xlabel(vary.path + (" (s)" if any(not _plain(x) for x in vary.values) else ""))
    ax.set_ylabel(measure + (" (s)" if metric in ("mean_wait", "ivr_seconds") else ""))
    swept = sorted({x for _, points in lines.items() for x, _ in points})
    if len(swept) <= MAX_TICKS:  # a tick at each value swept, labelled as it was written
        written = {as_number(v): v for v in vary.values}
        ax.set_xticks(swept, [str(written.get(x, f"{x:g}")) for x in swept])
    ax.set_title(f"{plan.menu.ivr}: {measure} by {vary.path} (mean, 95% CI)", fontsize=10)
    ax.grid(True, alpha=0.3)
    if 1 < len(lines) <= LEGEND_LIMIT:
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _plain(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "measure"
