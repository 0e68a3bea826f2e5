"""Figures stay within what their measures can take: a sweep's wait bands
never dip below 0 s, and a pool that keeps opening hours has agents on duty
only while it is open, its closed hours shaded."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
from conftest import menu  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from ivrlint.report import figures  # noqa: E402
from ivrlint.sim.engine import open_spans  # noqa: E402
from ivrlint.sim.records import QueueSample  # noqa: E402
from ivrlint.whatif import sweep_plots  # noqa: E402
from ivrlint.whatif.scenarios import Vary  # noqa: E402


def sweep_figure(measure: str, intervals: list[tuple[float, float, float]]):
    vary = Vary("queues.general.agents", tuple(str(k) for k in range(len(intervals))))
    plan = SimpleNamespace(varies=[vary], menu=SimpleNamespace(ivr="shop"))
    rows = [{"values": {vary.path: str(k)}, "overall": {measure.split(".")[1]: {"mean": m, "ci95": [low, high]}}}
            for k, (m, low, high) in enumerate(intervals)]
    return sweep_plots._plot_one(plt, plan, rows, vary, measure)


def band_range(fig) -> tuple[float, float]:
    ys = [y for band in fig.axes[0].collections for path in band.get_paths() for _, y in path.vertices]
    return min(ys), max(ys)


def test_a_wait_band_from_an_unclipped_interval_stops_at_zero_and_so_does_the_axis():
    # a row from a journal written before the simulation clipped its intervals
    fig = sweep_figure("overall.mean_wait", [(15.0, -2.5, 32.5), (4.0, 1.3, 6.7), (0.8, -0.9, 2.5)])
    low, high = band_range(fig)
    assert low == 0.0 and high == 32.5
    assert fig.axes[0].get_ylim()[0] == 0.0
    plt.close(fig)


def test_a_share_band_stays_within_one_hundred_percent():
    fig = sweep_figure("overall.service_level", [(0.95, 0.88, 1.02), (0.99, 0.97, 1.01)])
    assert band_range(fig) == (0.88, 1.0)
    plt.close(fig)


POOL = """\
ivr: shop
start: desk
nodes:
  desk: {type: queue, queue: sales}
queues:
  sales: {agents: 3, handle_time: 60, hours: "9-17"}
"""


def test_agents_are_on_duty_only_while_the_pool_is_open_and_its_closed_hours_are_shaded():
    samples = {"sales": [QueueSample(3600.0 * h, 0, 1 if 9 <= h < 17 else 0) for h in range(25)]}
    fig = figures.queues_over_time(samples, menu(POOL), start_hour=0.0)
    ax = fig.axes[0]
    duty = [line for line in ax.collections if line.get_label() == "agents on duty"]
    assert [[tuple(p) for p in segment] for segment in duty[0].get_segments()] == [[(9.0, 3.0), (17.0, 3.0)]]
    shaded = sorted((round(p.get_x(), 6), round(p.get_x() + p.get_width(), 6)) for p in ax.patches)
    assert shaded[0] == (0.0, 9.0) and shaded[1][0] == 17.0 and shaded[1][1] >= 24.0
    assert "pool closed" in [t.get_text() for t in fig.legends[0].get_texts()]
    plt.close(fig)


def test_a_run_starting_at_opening_time_counts_its_open_stretches_from_there():
    assert open_spans((9.0, 17.0), 9.0, 30.0) == [(0.0, 8.0), (24.0, 30.0)]
    assert open_spans(None, 9.0, 5.0) == [(0.0, 5.0)]


def test_sweep_ticks_sit_at_the_values_swept_as_written():
    vary = Vary("queues.general.handle_time", ("350", "450", "600"))
    plan = SimpleNamespace(varies=[vary], menu=SimpleNamespace(ivr="shop"))
    rows = [{"values": {vary.path: v}, "overall": {"mean_wait": {"mean": m, "ci95": [m - 1, m + 1]}}}
            for v, m in (("350", 5.0), ("450", 9.0), ("600", 20.0))]
    fig = sweep_plots._plot_one(plt, plan, rows, vary, "overall.mean_wait")
    ax = fig.axes[0]
    assert list(ax.get_xticks()) == [350.0, 450.0, 600.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["350", "450", "600"]
    plt.close(fig)


def test_the_queue_wait_axis_starts_below_the_lowest_curve_and_the_target_not_at_zero():
    from ivrlint.report.figures import ANSWERED
    from ivrlint.sim.records import CallRecord

    outcome = sorted(ANSWERED)[0]
    records = [CallRecord(i, 0, 0.0, "x", "en", outcome=outcome, queue="general", queue_wait=0.0 if i % 10 else 30.0)
               for i in range(100)]
    fig = figures.queue_waits(records)
    low, high = fig.axes[0].get_ylim()
    assert 0.0 < low <= 0.8 and high > 0.99  # 90% answered at once, the target 80%: the axis shows both
    plt.close(fig)


def test_queues_over_time_reads_clock_time_from_the_start_hour():
    samples = {"sales": [QueueSample(0.0, 0, 0), QueueSample(3600.0 * 10, 2, 2), QueueSample(3600.0 * 12, 0, 1)]}
    fig = figures.queues_over_time(samples, menu(POOL), start_hour=8.0)
    fig.canvas.draw()
    ax = fig.axes[-1]
    low, high = ax.get_xlim()
    labels = [t.get_text() for t, at in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True) if low <= at <= high]
    assert labels[0] == "08:00" and "18:00" in labels
    assert "time of day" in fig.axes[-1].get_xlabel()
    plt.close(fig)
