"""Figures of a simulation run, each answering one question an ops lead asks.

* ``queue_waits``: how fast does each pool answer? (share of queued callers
  answered within t seconds, with the 20 s service-level line);
* ``time_per_intent``: how long do callers spend in the menu, and until
  their need is met?
* ``outcomes``: how does each kind of call end?
* ``queues_over_time``: when do queues build up, and are agents all busy?

Every figure is computed from call records or queue samples alone, takes
its title, units and legend with it, and is built with matplotlib's
object-oriented API (no pyplot), so it draws the same without a display.
A function returns None when the run has nothing to show (no call queued).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import pairwise

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, MultipleLocator

from ivrlint.menu.model import Menu
from ivrlint.report.style import OUTCOME_STYLE, SERVICE_LEVEL_SECONDS, new_figure, percent, short, styled
from ivrlint.sim import records as rec
from ivrlint.sim.engine import open_spans


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


#: Outcomes where the caller's need was met.
RESOLVED = getattr(rec, "RESOLVED", (rec.SERVED, rec.CONTAINED))
ANSWERED = (rec.SERVED, rec.MISROUTED)  # a person picked up
TARGET = 0.8  # "80% within 20 s"
#: boxplot's way to lie down changed name in matplotlib 3.10.
HORIZONTAL = {"orientation": "horizontal"} if _version(matplotlib.__version__) >= (3, 10) else {"vert": False}


def by_intent(records: Iterable[rec.CallRecord]) -> dict[str, list[rec.CallRecord]]:
    """Records grouped by intent, intents in order of first appearance."""
    groups: dict[str, list[rec.CallRecord]] = defaultdict(list)
    for record in records:
        groups[record.intent].append(record)
    return dict(groups)


@styled
def queue_waits(records: Sequence[rec.CallRecord]) -> Figure | None:
    """Per pool: the share of callers who queued that an agent answered within t seconds."""
    pools: dict[str, list[rec.CallRecord]] = defaultdict(list)
    for record in records:
        if record.queue is not None and record.queue_wait is not None:
            pools[record.queue].append(record)
    if not pools:
        return None
    all_waits = np.array([r.queue_wait for group in pools.values() for r in group])
    limit = max(60.0, float(np.percentile(all_waits, 97)) * 1.1)
    fig = new_figure(8, 4.8)
    ax = fig.add_subplot()
    lowest = TARGET  # the axis starts below every curve's first answer and the target line
    for pool, group in sorted(pools.items()):
        answered = np.sort([r.queue_wait for r in group if r.outcome in ANSWERED])
        share = np.arange(1, len(answered) + 1) / len(group)
        if len(answered):
            lowest = min(lowest, float(share[np.searchsorted(answered, answered[0], side="right") - 1]))
        within = float(np.searchsorted(answered, SERVICE_LEVEL_SECONDS, side="right")) / len(group)
        abandoned = sum(r.outcome == rec.ABANDONED for r in group) / len(group)
        shown = int(np.searchsorted(answered, limit, side="right"))  # later answers are off the chart
        ax.step(np.r_[0.0, answered[:shown], limit], np.r_[0.0, share[:shown], share[shown - 1] if shown else 0.0],
                where="post",
                linewidth=2, label=f"{short(pool, 24)}: {percent(within)} within {SERVICE_LEVEL_SECONDS:.0f} s, "
                                   f"{percent(abandoned)} abandoned ({len(group):,} callers)")
    ax.axvline(SERVICE_LEVEL_SECONDS, color="#333333", linestyle="--", linewidth=1)
    ax.axhline(TARGET, color="#999999", linestyle=":", linewidth=1)
    ax.annotate(f"{SERVICE_LEVEL_SECONDS:.0f} s service level", (SERVICE_LEVEL_SECONDS, axis_floor(lowest)), xytext=(4, 4),
                textcoords="offset points", fontsize=8.5, color="#333333")
    ax.annotate(f"{percent(TARGET)} target", (limit, TARGET), xytext=(-4, 3), textcoords="offset points",
                ha="right", fontsize=8.5, color="#777777")
    ax.set_xlim(0, limit)
    ax.set_ylim(axis_floor(lowest), 1.005)
    ax.yaxis.set_major_formatter(lambda y, _: percent(y))
    ax.set_xlabel("seconds waited in the queue")
    ax.set_ylabel("callers answered by an agent")
    ax.set_title("Queue wait per pool: share of queued callers answered within t seconds")
    ax.legend(loc="lower right", fontsize=8.5, title="pool", title_fontsize=9)
    return fig


@styled
def time_per_intent(records: Sequence[rec.CallRecord]) -> Figure | None:
    """Box plots per intent: seconds in the menu, and minutes from dialling to resolution."""
    groups = by_intent(records)
    if not groups:
        return None
    names = sorted(groups)
    fig = new_figure(10, 1.4 + 0.45 * len(names))
    left, right = fig.subplots(1, 2, sharey=True)
    menu_times = [[r.ivr_seconds for r in groups[n]] for n in names]
    resolved = [[(r.end - r.arrival) / 60 for r in groups[n] if r.outcome in RESOLVED] for n in names]
    _boxes(left, menu_times, names, "seconds in the menu (before a queue or the end)", "Time in the menu", "s")
    _boxes(right, resolved, names, "minutes from dialling to resolution (served or contained)",
           "Time to resolution", "min")
    fig.suptitle("Per intent: box = middle half of calls, line = median, ◆ = mean, whiskers = 5th-95th percentile",
                  fontsize=9.5, color="#444444")
    return fig


def _boxes(ax, data: list[list[float]], names: list[str], xlabel: str, title: str, unit: str) -> None:
    positions = np.arange(len(names))
    shown = [(i, d) for i, d in zip(positions, data, strict=True) if d]
    if shown:
        ax.boxplot([d for _, d in shown], positions=[i for i, _ in shown], **HORIZONTAL,
                   whis=(5, 95), showfliers=False, showmeans=True, widths=0.55, patch_artist=True,
                   boxprops={"facecolor": "#d6e6f5", "edgecolor": "#2b5d8a"},
                   medianprops={"color": "#08306b", "linewidth": 2},
                   meanprops={"marker": "D", "markerfacecolor": "#c0630f", "markeredgecolor": "white"})
    highest = max((float(np.percentile(d, 95)) for d in data if d), default=1.0)
    for i, d in zip(positions, data, strict=True):
        at = float(np.percentile(d, 95)) if d else 0.0
        text = f"mean {np.mean(d):.1f} {unit}" if d else "no call resolved"
        ax.annotate(text, (at, i), xytext=(5, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=8, color="#444444")
    ax.set_xlim(0, highest * 1.3)
    ax.set_yticks(positions, [short(n, 28) for n in names])
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="y", visible=False)


@styled
def outcomes(records: Sequence[rec.CallRecord]) -> Figure | None:
    """Stacked bars per intent (and for all calls): how calls ended."""
    groups = by_intent(records)
    if not groups:
        return None
    rows = [("all calls", list(records))] + [(n, groups[n]) for n in sorted(groups)]
    present = [o for o in OUTCOME_STYLE if any(r.outcome == o for r in records)]
    fig = new_figure(10, 1.9 + 0.42 * len(rows))
    ax = fig.add_subplot()
    left = np.zeros(len(rows))
    for outcome in present:
        shares = np.array([sum(r.outcome == outcome for r in group) / len(group) for _, group in rows])
        color, label = OUTCOME_STYLE[outcome]
        ax.barh(range(len(rows)), shares, left=left, color=color, label=label, height=0.7, edgecolor="white")
        for i, (x, w) in enumerate(zip(left, shares, strict=True)):
            if w >= 0.06:
                ax.text(x + w / 2, i, percent(w), ha="center", va="center", fontsize=8,
                        color="white" if outcome not in ("contained", "misrouted", "voicemail") else "black")
        left += shares
    ax.set_yticks(range(len(rows)), [f"{short(n, 28)} ({len(g):,})" for n, g in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: percent(x))
    ax.set_xlabel("share of calls")
    ax.grid(axis="y", visible=False)
    ax.set_title("How calls ended, per intent (number of calls in brackets)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.5 / (1.9 + 0.42 * len(rows))), ncol=4, fontsize=8.5)
    return fig


def axis_floor(lowest: float, step: float = 0.05) -> float:
    """Where a share axis starts: a round step below `lowest`, so lines that sit high stay apart.

    >>> axis_floor(0.87), axis_floor(0.8), axis_floor(0.02)
    (0.85, 0.75, 0.0)
    """
    return max(0.0, round(float(np.floor(lowest / step - 1e-9)) * step, 10)) if lowest > step else 0.0


def clock(hours: float) -> str:
    """A time of day for an axis: hours since midnight of the first simulated day.

    >>> clock(8), clock(18.5), clock(32)
    ('08:00', '18:30', 'day 2 08:00')
    """
    day, at = divmod(hours, 24)
    text = f"{int(at):02d}:{int(round(at % 1 * 60)):02d}"
    return f"day {int(day) + 1} {text}" if day else text


@styled
def queues_over_time(samples: dict[str, list[rec.QueueSample]], menu: Menu | None = None,
                     start_hour: float = 0.0) -> Figure | None:
    """Per pool, over the simulated day: callers waiting, and agents busy against agents on duty.

    A busy pool changes state thousands of times an hour, so each curve is
    the time-weighted average over short bins (1 to 60 minutes, about a
    hundred bins a day), with the longest queue of each bin as a thin line.
    A pool with ``hours`` has agents on duty only while open (the run's
    clock starts at `start_hour`); its closed hours are shaded. A pool
    staffed by the hour draws its agents on duty as a step, hour by hour,
    and its title gives their range ("2-8 agents by the hour").
    """
    pools = [p for p in sorted(samples) if samples[p]]
    if not pools:
        return None
    end = max(s.time for p in pools for s in samples[p])
    width = bin_minutes(end) * 60
    edges = np.arange(0.0, end + width, width)
    fig = new_figure(10, 1.3 + 1.9 * len(pools))
    fig.suptitle("Queues over the simulated day (first replication)", fontweight="bold")
    axes = fig.subplots(len(pools), 1, sharex=True, squeeze=False)[:, 0]
    for ax, pool in zip(axes, pools, strict=True):
        times = np.array([s.time for s in samples[pool]])
        waiting = np.array([s.waiting for s in samples[pool]], dtype=float)
        busy = np.array([s.busy for s in samples[pool]], dtype=float)
        hours = edges[:-1] / 3600
        ax.fill_between(hours, binned_mean(times, waiting, edges), step="post", color="#f28e2b", alpha=0.6,
                        label="callers waiting (average)", linewidth=0)
        ax.step(hours, binned_peak(times, waiting, edges), where="post", color="#c0630f", linewidth=0.7, alpha=0.8,
                label="callers waiting (peak)")
        ax.step(hours, binned_mean(times, busy, edges), where="post", color="#2b5d8a", linewidth=1.8,
                label="agents busy (average)")
        queue = menu.queues.get(pool) if menu else None
        if queue is not None:
            _duty(ax, queue, open_spans(queue.hours, start_hour, edges[-1] / 3600), edges[-1] / 3600, start_hour)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("people")
        ax.set_title(f"pool {short(pool, 40)}" + (f": {staff_words(queue)}" if queue else ""), loc="left", fontsize=10)
    axes[-1].set_xlabel(f"time of day ({width / 60:.0f}-minute averages)")
    axes[-1].set_xlim(0, edges[-1] / 3600)
    axes[-1].xaxis.set_major_locator(MultipleLocator(_tick_hours(edges[-1] / 3600)))
    axes[-1].xaxis.set_major_formatter(lambda h, _: clock(start_hour + h))
    legend = {label: handle for ax in axes for handle, label in zip(*ax.get_legend_handles_labels(), strict=True)}
    fig.legend(list(legend.values()), list(legend), loc="outside lower center", ncol=5, fontsize=8.5)
    return fig


def _tick_hours(span: float) -> float:
    """Hours between clock ticks: about eight ticks, at 1, 2, 3, 4, 6 or 12 hours."""
    return next((step for step in (0.25, 0.5, 1, 2, 3, 4, 6, 12) if span / step <= 9), 24)


def staff_words(queue) -> str:
    """A pool's staff in words: "3 agents", or for a pool staffed by the hour the range, "2-8 agents by the hour".

    >>> from ivrlint.menu.model import Queue
    >>> staff_words(Queue("q", 3, 60.0)), staff_words(Queue("q", 8, 60.0, agents_by_hour=[2] * 12 + [8] * 12))
    ('3 agents', '2-8 agents by the hour')
    """
    if not queue.hourly:
        return f"{queue.agents} agents"
    low, high = min(queue.agents_by_hour), max(queue.agents_by_hour)
    return f"{low}-{high} agents by the hour" if low != high else f"{low} agents"


def duty_steps(queue, spans: list[tuple[float, float]], start_hour: float) -> list[tuple[float, float, int]]:
    """(from, until, agents) of the agents on duty while open (`spans`, hours since the run's start at clock
    hour `start_hour`), cut at every clock hour where a pool staffed by the hour changes its count.

    >>> from ivrlint.menu.model import Queue
    >>> duty_steps(Queue("q", 3, 60.0, agents_by_hour=[1] * 8 + [3] * 16), [(0.0, 3.0)], 6.5)
    [(0.0, 1.5, 1), (1.5, 3.0, 3)]
    """
    steps: list[tuple[float, float, int]] = []
    for since, until in spans:
        at = since
        while at < until:
            nxt = until if not queue.hourly else min(until, math.floor(start_hour + at + 1e-9) + 1 - start_hour)
            n = queue.agents_at(math.floor(start_hour + at + 1e-9))
            if steps and steps[-1][1] == at and steps[-1][2] == n:
                steps[-1] = (steps[-1][0], nxt, n)
            else:
                steps.append((at, nxt, n))
            at = nxt
    return steps


def _duty(ax, queue, spans: list[tuple[float, float]], length: float, start_hour: float) -> None:
    """Agents on duty while the pool is open (`spans`, in hours), hour by hour for a pool staffed by the
    hour, as a step; its closed hours shaded."""
    steps = duty_steps(queue, spans, start_hour)
    if steps:
        ax.hlines([n for _, _, n in steps], [a for a, _, _ in steps], [b for _, b, _ in steps], color="#2b5d8a",
                  linestyle="--", linewidth=1, label="agents on duty")
        rises = [(b, m, n) for (_, b, m), (a, _, n) in pairwise(steps) if a == b]
        if rises:
            ax.vlines([b for b, _, _ in rises], [min(m, n) for _, m, n in rises], [max(m, n) for _, m, n in rises],
                      color="#2b5d8a", linestyle="--", linewidth=1)
    closed, at = [], 0.0
    for since, until in spans:
        if since > at:
            closed.append((at, since))
        at = until
    if at < length:
        closed.append((at, length))
    for k, (since, until) in enumerate(closed):
        ax.axvspan(since, until, color="#9a9a9a", alpha=0.2, linewidth=0, label="pool closed" if k == 0 else None)


def bin_minutes(seconds: float, most: int = 120) -> int:
    """The shortest of 1, 2, 5, 10, 15, 30, 60 minutes that cuts `seconds` into at most `most` bins."""
    for minutes in (1, 2, 5, 10, 15, 30, 60):
        if seconds / (minutes * 60) <= most:
            return minutes
    return 60


def binned_mean(times: np.ndarray, values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Time-weighted mean of a step function (value i holds from times[i] on) over each bin.

    >>> binned_mean(np.array([0.0, 5.0]), np.array([2.0, 4.0]), np.array([0.0, 10.0]))
    array([3.])
    """
    area = np.r_[0.0, np.cumsum(values[:-1] * np.diff(times))]

    def integral(x: np.ndarray) -> np.ndarray:
        k = np.searchsorted(times, x, side="right") - 1
        inside = k >= 0
        out = np.zeros_like(x, dtype=float)
        out[inside] = area[k[inside]] + values[k[inside]] * (x[inside] - times[k[inside]])
        return out

    totals = integral(edges)
    return np.diff(totals) / np.diff(edges)


def binned_peak(times: np.ndarray, values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The highest value the step function takes in each bin (the value carried in counts too)."""
    peaks = np.zeros(len(edges) - 1)
    for b, (lo, hi) in enumerate(pairwise(edges)):
        first = max(np.searchsorted(times, lo, side="right") - 1, 0)
        last = np.searchsorted(times, hi, side="left")
        if last > first:
            peaks[b] = values[first:last].max()
    return peaks
