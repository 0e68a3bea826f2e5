"""The engine through a whole day (issue 14): staff by the hour, redials, callbacks, announcements, overflow.

Each feature is built into a menu in code (the model's fields), so these
tests read the engine alone. Bounds on random counts are binomial (four
standard deviations at a fixed seed).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
import simpy
from conftest import MENUS, menu

from ivrlint.errors import InputError
from ivrlint.menu.loader import load_menu
from ivrlint.menu.model import Announce, Callback, Duration, Overflow, Redial
from ivrlint.sim import engine, records, run_simulation
from ivrlint.sim.caller import UNMET, CallerModel, Redialling
from ivrlint.sim.engine import Replication
from ivrlint.sim.pools import Pool
from ivrlint.sim.runner import default_hours, default_start_hour
from ivrlint.sim.table import CallTable

QUEUE = """
ivr: day
start: agent
nodes:
  agent: {type: queue, queue: general}
queues:
  general: {agents: 3, handle_time: {mean: 240, distribution: exponential}}
traffic:
  calls_per_hour: 60
  patience: {mean: 120, distribution: exponential}
  intents: {any: {share: 1, goal: agent}}
"""

TWO_POOLS = """
ivr: two
start: main
nodes:
  main:
    type: menu
    prompt: For sales press 1. For support press 2.
    options: {1: sales_q, 2: support_q}
    on_failure: support_q
  sales_q: {type: queue, queue: sales}
  support_q: {type: queue, queue: support}
queues:
  sales: {agents: 2, handle_time: {mean: 300, distribution: exponential}}
  support: {agents: 4, handle_time: {mean: 200, distribution: exponential}}
traffic:
  calls_per_hour: 50
  patience: {mean: 600, distribution: exponential}
  intents:
    buy: {share: 0.6, goal: sales_q}
    fix: {share: 0.4, goal: support_q}
"""


def queue_menu(**general):
    """The one-pool menu with the pool's fields set in code."""
    model = menu(QUEUE)
    for key, value in general.items():
        setattr(model.queues["general"], key, value)
    return model


def with_redial(model, share: float, after: float = 600.0, attempts: int = 3, distribution: str = "exponential"):
    model.traffic.redial = Redial(share, Duration(after, distribution), attempts)
    return model


def calls(model, hours: float = 8.0, seed: int = 1, **options) -> CallTable:
    result = run_simulation(model, hours=hours, replications=1, seed=seed, jobs=1, **options)
    return result.calls[0]


def within(count: float, n: float, p: float, sigmas: float = 4.0) -> bool:
    """Is `count` within `sigmas` binomial standard deviations of n * p?"""
    return abs(count - n * p) <= sigmas * math.sqrt(max(n * p * (1 - p), 1e-9)) + 1e-9


def busy_at(table: CallTable, t: float) -> int:
    """Agents talking (or ringing back) at time t, a call's agent being busy over [enter + wait, end)."""
    start = table.queue_enter + table.queue_wait
    talked = ~np.isnan(table.talk_time)
    return int(np.sum(talked & (start <= t) & (table.end > t)))


# -- 1. agents by the hour --------------------------------------------------------------------
def test_a_pool_staffed_the_same_every_hour_gives_the_calls_of_the_constant_pool():
    """Shifts draw nothing: the same count every hour is the constant pool, call for call
    (and staff by the hour needs no column of its own)."""
    constant = calls(menu(QUEUE), hours=30)
    hourly = calls(queue_menu(agents_by_hour=[3] * 24), hours=30)
    assert not hourly.whole_day and not constant.whole_day
    mine, theirs = constant.columns(), hourly.columns()
    for name in mine:
        assert np.array_equal(mine[name], theirs[name], equal_nan=mine[name].dtype.kind == "f"), name


def test_new_agents_at_the_hour_answer_the_callers_waiting_for_them():
    """Nobody on duty until 01:00, then 4: the four first in line are answered at 01:00 exactly."""
    model = queue_menu(agents_by_hour=[0] + [4] * 23, agents=4)
    model.traffic.patience = Duration(36_000.0, "fixed")  # nobody gives up
    table = calls(model, hours=3)
    early = table.arrival < 3600.0
    assert early.sum() > 30
    started = table.queue_enter + table.queue_wait
    assert np.all(started[early] >= 3600.0)  # no agent before the hour
    at_the_hour = np.isclose(started, 3600.0, rtol=0, atol=1e-6)
    assert at_the_hour.sum() == 4
    first_four = np.argsort(table.arrival[early])[:4]  # first come, first answered
    assert np.all(at_the_hour[np.flatnonzero(early)[first_four]])


def test_when_agents_leave_calls_in_progress_finish_and_no_new_call_starts_above_the_hours_count():
    schedule = [6 if h % 2 == 0 else 2 for h in range(24)]
    model = queue_menu(agents_by_hour=schedule, agents=6)
    model.traffic.calls_per_hour = [80.0]
    table = calls(model, hours=12)
    started = table.queue_enter + table.queue_wait
    answered = np.flatnonzero(~np.isnan(table.talk_time))
    for k in answered:
        hour = int(started[k] // 3600) % 24
        assert busy_at(table, started[k]) <= schedule[hour], (k, started[k])  # counting the call itself
    # calls answered in a six-agent hour run on into the two-agent hour: their agents finish them
    crossing = [k for k in answered if int(started[k] // 3600) % 2 == 0 and table.end[k] > (started[k] // 3600 + 1) * 3600]
    assert len(crossing) >= 3
    assert max(busy_at(table, (2 * h + 1) * 3600.0 + 1.0) for h in range(6)) > 2  # above the new count for a while


def test_a_menu_staffed_by_the_hour_runs_a_day_from_midnight():
    model = queue_menu(agents_by_hour=[2] * 8 + [5] * 10 + [2] * 6, agents=5)
    assert default_hours(model) == 24.0 and default_start_hour(model, 8.0) == 0.0
    assert default_hours(menu(QUEUE)) == 8.0


class Counting(simpy.Environment):
    """SimPy's Environment counting the events scheduled."""

    scheduled = 0

    def schedule(self, event, priority=simpy.core.NORMAL, delay=0):
        Counting.scheduled += 1
        super().schedule(event, priority, delay)


def events(model, hours: float, seed: int = 5) -> tuple[int, CallTable]:
    """(events scheduled, calls) of one replication."""
    before = Counting.scheduled
    run = Replication(model, None, 0, seed, hours).run()
    assert run.calls is not None
    return Counting.scheduled - before, run.calls


def test_shifts_cost_one_event_an_hour_for_all_pools(monkeypatch):
    monkeypatch.setattr(engine.simpy, "Environment", Counting)
    flat = menu(TWO_POOLS)
    flat.traffic.calls_per_hour = [20.0]
    flat.traffic.patience = Duration(math.inf, "fixed")  # no patience events: the last event is the last call's end
    hourly = menu(TWO_POOLS)
    hourly.traffic = flat.traffic
    hourly.queues["sales"].agents_by_hour = [2] * 24
    hourly.queues["support"].agents_by_hour = [4] * 24
    flat_events, flat_calls = events(flat, 10.0)
    day_events, day_calls = events(hourly, 10.0)
    assert np.array_equal(day_calls.end, flat_calls.end) and len(day_calls) > 150
    assert day_events - flat_events == math.ceil(max(day_calls.end) / 3600.0)  # one a clock hour, through the drain


# -- 2. redials -------------------------------------------------------------------------------
def test_the_caller_model_says_which_calls_leave_the_need_unmet():
    assert set(UNMET) == {records.ABANDONED, records.HUNG_UP, records.DISCONNECTED, records.MISROUTED}
    redialling = Redialling(Redial(0.5, Duration(60.0), 3))
    assert redialling.chance(records.ABANDONED, 1) == 0.5 and redialling.chance(records.ABANDONED, 3) == 0.0
    assert redialling.chance(records.SERVED, 1) == 0.0 and redialling.chance(records.VOICEMAIL, 1) == 0.0
    assert not Redialling(None).active and not Redialling(Redial(0.0, Duration(60.0), 3)).active
    assert CallerModel(with_redial(menu(QUEUE), 0.3)).redialling.share == 0.3


@pytest.mark.parametrize("others", [False, True])
def test_with_redial_share_0_every_caller_makes_exactly_one_call(others):
    model = with_redial(menu(QUEUE), 0.0)
    if others:  # a whole-day run all the same: the table stores its columns
        model.queues["general"].callback = Callback(60.0, 0.5, Duration(20.0, "fixed"))
    table = calls(model, hours=6)
    assert table.whole_day == others
    assert np.all(table.attempt == 1) and len(np.unique(table.caller)) == len(table)
    assert np.array_equal(table.caller, table.first_id + np.arange(len(table)))


def test_a_redial_share_of_0_changes_nothing():
    plain = run_simulation(menu(TWO_POOLS), hours=4, replications=2, seed=3, jobs=1)
    zero = run_simulation(with_redial(menu(TWO_POOLS), 0.0), hours=4, replications=2, seed=3, jobs=1)
    assert plain.records == zero.records and plain.calls == zero.calls and plain.samples == zero.samples


def test_with_share_1_and_a_pool_nobody_staffs_every_caller_makes_max_attempts_calls():
    model = with_redial(queue_menu(agents=0), 1.0, after=300.0, attempts=4)
    table = calls(model, hours=5, warmup=1.0)
    per_caller = Counter(table.caller.tolist())
    assert len(per_caller) > 200 and set(per_caller.values()) == {4}
    assert np.all(table.outcome == records.OUTCOMES.index(records.ABANDONED))
    for caller in list(per_caller)[:50]:
        rows = np.flatnonzero(table.caller == caller)
        assert table.attempt[rows].tolist() == [1, 2, 3, 4]
        assert table.first_id + rows[0] == caller  # a caller's id is the call_id of their first call
        assert np.all(np.diff(table.arrival[rows]) > 0)
    # the warm-up rule: callers are recorded by their first call; their redials come with them, after the horizon too
    first = table.attempt == 1
    assert np.all(table.arrival[first] >= 3600.0) and np.all(table.arrival[first] < 6 * 3600.0)
    assert np.any(table.arrival > 6 * 3600.0)


def test_redials_come_after_the_drawn_delay_with_the_callers_need_and_language():
    model = with_redial(queue_menu(agents=0), 1.0, after=900.0, attempts=2)
    model.traffic.languages = {"en": 0.5, "de": 0.5}
    model.traffic.patience = Duration(30.0, "fixed")
    table = calls(model, hours=20)
    first = np.flatnonzero(table.attempt == 1)
    again = {int(c): k for k, c in zip(range(len(table)), table.caller.tolist(), strict=True) if table.attempt[k] == 2}
    gaps = np.array([table.arrival[again[table.first_id + k]] - table.end[k] for k in first])
    assert len(gaps) > 1000 and abs(gaps.mean() - 900.0) < 4 * 900.0 / math.sqrt(len(gaps))
    assert all(table.language[again[table.first_id + k]] == table.language[k] for k in first[:200])


def test_a_share_of_the_unmet_call_again():
    model = with_redial(queue_menu(agents=1), 0.4, attempts=2)
    table = calls(model, hours=30)
    unmet = np.isin(table.outcome, [records.OUTCOMES.index(o) for o in UNMET]) & (table.attempt == 1)
    redials = np.sum(table.attempt == 2)
    assert unmet.sum() > 400 and within(redials, unmet.sum(), 0.4)


def test_redials_keep_records_and_columns_in_step():
    model = with_redial(menu(TWO_POOLS), 0.7, after=300.0)
    result = run_simulation(model, hours=3, replications=2, seed=8, jobs=1)
    table, records_ = result.calls[0], [r for r in result.records if r.replication == 0]
    assert [r.caller for r in records_] == table.caller.tolist() and max(r.attempt for r in records_) > 1
    fields = lambda r: (r.call_id, r.caller, r.attempt, r.queue, r.answered_by, r.callback, r.ring_back, r.outcome)  # noqa: E731
    assert [fields(r) for r in CallTable.from_records(records_).records()] == [fields(r) for r in records_]


# -- 3. callbacks -----------------------------------------------------------------------------
def overloaded(accept: float = 0.4, offer_after: float = 60.0, patience: Duration | None = None):
    model = queue_menu(callback=Callback(offer_after, accept, Duration(20.0, "fixed")))
    model.traffic.calls_per_hour = [70.0]  # 4.7 Erlangs on 3 agents
    if patience is not None:
        model.traffic.patience = patience
    return model


def test_callbacks_offered_times_accept_are_callbacks_taken():
    table = calls(overloaded(accept=0.4), hours=40)
    offered, taken = np.sum(table.callback > 0), np.sum(table.callback == 2)
    assert offered > 1000 and taken > 0 and within(taken, offered, 0.4)


def test_a_callback_taker_never_gives_up_and_the_agent_rings_back_before_the_talk():
    table = calls(overloaded(accept=0.5), hours=20)
    took = table.callback == 2
    served = records.OUTCOMES.index(records.SERVED)
    assert took.sum() > 100 and np.all(table.outcome[took] == served)
    assert np.allclose(table.ring_back[took], 20.0) and np.all(np.isnan(table.ring_back[~took]))
    ends = table.queue_enter + table.queue_wait + table.ring_back + table.talk_time
    assert np.allclose(table.end[took], ends[took])
    # offered only to callers who waited: those answered at once were never offered one
    assert np.all(table.callback[table.queue_wait == 0] == 0)


def test_the_offer_is_made_on_joining_when_the_expected_wait_is_long_else_when_the_wait_reaches_it():
    """Everybody takes the offer. With 3 agents and 240 s talks a wait of 320 s is expected from the
    4th place in line: callers who join there take a callback at once (and may be called back within
    320 s); nobody who waited 320 s did so without being offered one."""
    model = overloaded(accept=1.0, offer_after=320.0, patience=Duration(900.0, "exponential"))
    model.traffic.calls_per_hour = [40.0]  # 2.7 Erlangs on 3 agents: lines of 4 and more now and then
    table = calls(model, hours=60)
    took = table.callback == 2
    assert took.sum() > 100 and np.all(table.callback != 1)
    assert np.all(table.queue_wait[~took] < 320.0)
    assert np.sum(took & (table.queue_wait < 320.0)) > 10  # offered on joining a long line
    accept_none = calls(overloaded(accept=0.0, offer_after=320.0, patience=Duration(900.0, "exponential")), hours=20)
    assert np.sum(accept_none.callback == 1) > 100 and not np.any(accept_none.callback == 2)


def test_abandonment_avoided_when_the_callers_patience_was_shorter_than_the_callback():
    impatient = calls(overloaded(accept=1.0, patience=Duration(1.0, "fixed")), hours=10)
    took = impatient.callback == 2
    assert took.sum() > 50 and np.array_equal(impatient.avoided[took] == 1, impatient.queue_wait[took] > 1.0)
    patient = calls(overloaded(accept=1.0, patience=Duration(1e9, "fixed")), hours=10)
    assert np.sum(patient.callback == 2) > 50 and not patient.avoided.any()


def test_an_overloaded_pool_that_offers_callbacks_takes_some():
    table = calls(overloaded(accept=0.5, offer_after=90.0), hours=8)
    assert np.sum(table.callback == 2) > 20


# -- 4. announcements -------------------------------------------------------------------------
def announcing(every: float = 30.0, wait_time: bool = True, position: bool = False):
    model = queue_menu(announce=Announce(every, wait_time, position))
    model.traffic.calls_per_hour = [62.0]
    return model


def test_announcements_make_impatient_callers_leave_earlier():
    abandoned = records.OUTCOMES.index(records.ABANDONED)
    quiet = calls(announcing(wait_time=False), hours=60)
    told = calls(announcing(), hours=60)
    assert not quiet.whole_day  # "please hold" changes nothing: no events, no draws
    left = told.left_at_announcement == 1
    assert left.sum() > 100 and np.all(told.outcome[left] == abandoned)
    quit_wait = lambda t: t.queue_wait[t.outcome == abandoned].mean()  # noqa: E731
    assert quit_wait(told) < 0.8 * quit_wait(quiet)
    # they leave at an announcement: a multiple of 30 s after joining
    assert np.allclose(told.queue_wait[left] / 30.0, np.round(told.queue_wait[left] / 30.0), atol=1e-6)


def test_the_place_in_line_gives_the_same_estimate_as_the_expected_wait():
    assert calls(announcing(wait_time=False, position=True), hours=10) == calls(announcing(), hours=10)


def test_please_hold_messages_change_nothing():
    quiet = run_simulation(announcing(wait_time=False), hours=4, replications=2, seed=2, jobs=1)
    model = menu(QUEUE)
    model.traffic.calls_per_hour = [62.0]
    plain = run_simulation(model, hours=4, replications=2, seed=2, jobs=1)
    assert quiet.records == plain.records and quiet.calls == plain.calls and quiet.samples == plain.samples


def test_callers_leave_when_the_announced_wait_is_longer_than_they_will_stay():
    """Patience that never runs out: nobody leaves. Patience of 100 s, announcements every 20 s,
    the first in line told 1 x 240 / 3 = 80 s: at 20 s (80 s left) the first in line stays and those
    behind leave; at 40 s (60 s left) everyone still waiting leaves; nobody waits until 100 s."""
    model = announcing(every=20.0)
    model.traffic.patience = Duration(1e9, "fixed")
    assert not calls(model, hours=10).left_at_announcement.any()
    model.traffic.patience = Duration(100.0, "fixed")
    table = calls(model, hours=20)
    left, abandoned = table.left_at_announcement == 1, table.outcome == records.OUTCOMES.index(records.ABANDONED)
    at = Counter(np.rint(table.queue_wait[left]).tolist())
    assert set(at) == {20.0, 40.0} and min(at.values()) > 10
    assert np.array_equal(left, abandoned)


def test_a_waiting_caller_costs_one_event_per_announcement_heard_and_one_more(monkeypatch):
    """As the patience event alone did: the timer moves from one moment to the next, and the last
    either ends the wait (patience, or leaving at an announcement) or finds the caller answered."""
    monkeypatch.setattr(engine.simpy, "Environment", Counting)
    scheduled, table = events(announcing(every=30.0), 20.0)
    waited = table.queue_wait > 0
    left = table.left_at_announcement == 1
    heard = np.where(left, np.rint(table.queue_wait / 30.0), np.floor(table.queue_wait / 30.0))  # left at k x 30 s
    timers = np.where(left, heard, heard + 1)[waited].sum()
    answered = np.sum(~np.isnan(table.talk_time))
    assert left.sum() > 20 and scheduled == len(table) + answered + timers


def test_the_size_check_counts_the_redials_a_run_may_make():
    from ivrlint.errors import UsageError
    from ivrlint.sim.runner import MAX_CALLS, _check_size

    model = with_redial(menu(QUEUE), 1.0, attempts=3)
    hours = MAX_CALLS / 60.0 / 3 * 1.01  # three calls a caller at most: just over the cap
    with pytest.raises(UsageError, match="up to .* calls"):
        _check_size(model, hours, 1, keep_records=False)
    _check_size(with_redial(menu(QUEUE), 0.0), hours, 1, keep_records=False)


def test_the_place_in_line_is_the_count_of_callers_still_ahead(monkeypatch):
    """The pool's bookkeeping (numbers, and the sorted numbers of those who left) against a walk along
    the line, at every announcement of a day with callbacks, overflow in and out, and give-ups."""
    real, checked = Pool.position, []

    def position(pool, seq):
        ahead = sum(1 for c in pool.line if c.waiting and (c.seq if c.pool == pool.index else c.seq2) < seq)
        checked.append(real(pool, seq) == ahead + 1)
        return real(pool, seq)

    monkeypatch.setattr(Pool, "position", position)
    model = everything()
    model.queues["sales"].announce = Announce(30.0)
    run_simulation(model, hours=72, replications=1, seed=2, jobs=1, keep_records=False)
    assert len(checked) > 500 and all(checked)


# -- 5. overflow ------------------------------------------------------------------------------
def overflowing(after: float = 60.0, support_serves_buy: bool = True, hours: tuple[float, float] | None = None):
    model = menu(TWO_POOLS)
    model.traffic.calls_per_hour = [60.0]
    model.queues["sales"].overflow = Overflow(after, "support")
    if support_serves_buy:
        model.traffic.intents["buy"].served_by = ["support"]
    model.queues["support"].hours = hours
    return model


def test_overflow_callers_are_answered_by_the_other_pool_after_the_wait():
    table = calls(overflowing(), hours=30)
    sales, support = table.queues.index("sales"), table.queues.index("support")
    over = table.overflowed == 1
    by_support = (table.queue == sales) & (table.answered_by == support)
    assert over.sum() > 100 and by_support.sum() > 50 and np.all(over[by_support])
    assert np.all(table.queue_wait[over] >= 60.0 - 1e-9)
    assert np.all(table.outcome[by_support] == records.OUTCOMES.index(records.SERVED))
    # some who overflowed were answered by their own pool after all: whichever frees first
    assert np.sum(over & (table.answered_by == sales)) > 0
    assert np.all(table.answered_by[table.queue == support] != sales)  # overflow is one way


def test_overflow_callers_are_misrouted_when_the_other_pool_cannot_serve_them():
    table = calls(overflowing(support_serves_buy=False), hours=30)
    sales, support = table.queues.index("sales"), table.queues.index("support")
    by_support = (table.queue == sales) & (table.answered_by == support)
    buy = table.intents.index("buy")
    misrouted = records.OUTCOMES.index(records.MISROUTED)
    assert by_support.sum() > 50
    assert np.all(table.outcome[by_support & (table.intent == buy)] == misrouted)


def test_no_overflow_to_a_pool_that_is_closed():
    table = calls(overflowing(hours=(9.0, 12.0)), hours=24)  # a day from midnight: support opens 09:00 to 12:00
    sales, support = table.queues.index("sales"), table.queues.index("support")
    over = table.overflowed == 1
    at = (table.queue_enter + 60.0) / 3600.0  # when the caller would become eligible
    assert over.sum() > 10 and np.all((at[over] >= 9.0) & (at[over] < 12.0))
    assert np.sum((table.queue == sales) & (at < 9.0) & (table.queue_wait > 60.0)) > 10  # waited on, not eligible
    assert np.all(over[(table.queue == sales) & (table.answered_by == support)])


def test_an_overflow_to_a_pool_that_does_not_exist_is_one_line():
    model = menu(TWO_POOLS)
    model.queues["sales"].overflow = Overflow(60.0, "billing")
    with pytest.raises(InputError, match="overflows to 'billing', which is not another queue; name one of support"):
        run_simulation(model, hours=1, replications=1, jobs=1)


# -- all together -----------------------------------------------------------------------------
def whole_day():
    return load_menu(str(MENUS / "whole-day.yaml"))


def everything():
    """Two pools with every feature: staff by the hour, callbacks, announcements, overflow, redials."""
    model = with_redial(overflowing(), 0.6, after=600.0)
    sales, support = model.queues["sales"], model.queues["support"]
    sales.agents_by_hour, support.agents_by_hour = [1] * 8 + [3] * 10 + [1] * 6, [2] * 8 + [5] * 10 + [2] * 6
    sales.agents, support.agents = 3, 5
    support.callback = Callback(90.0, 0.5, Duration(20.0, "fixed"))
    support.announce = Announce(45.0)
    model.traffic.calls_per_hour = [10.0] * 8 + [70.0] * 10 + [10.0] * 6
    return model


def test_every_feature_at_once_gives_the_same_numbers_serial_or_parallel():
    serial = run_simulation(everything(), hours=24, replications=3, seed=4, jobs=1)
    parallel = run_simulation(everything(), hours=24, replications=3, seed=4, jobs=2)
    assert serial.records == parallel.records and serial.metrics == parallel.metrics
    table = serial.calls[0]
    for column in (table.overflowed, table.left_at_announcement, table.callback == 2, table.attempt > 1):
        assert column.any()


def test_every_call_of_a_whole_day_ends_once_and_agents_are_never_over_the_hours_count():
    table = calls(everything(), hours=24)
    assert len(np.unique(table.first_id + np.arange(len(table)))) == len(table)
    started = table.queue_enter + table.queue_wait
    schedules = {"sales": [1] * 8 + [3] * 10 + [1] * 6, "support": [2] * 8 + [5] * 10 + [2] * 6}
    for name, schedule in schedules.items():
        code = table.queues.index(name)
        mine = replace_queue(table, code)
        for k in np.flatnonzero(table.answered_by == code)[::7]:
            assert busy_at(mine, started[k]) <= schedule[int(started[k] // 3600) % 24]


def replace_queue(table: CallTable, code: int) -> CallTable:
    """The calls whose agent came from pool `code` (NaN talk for the others), for busy_at."""
    other = table.answered_by != code
    talk = table.talk_time.copy()
    talk[other] = np.nan
    columns = table.columns() | {"talk_time": talk}
    return CallTable(table.replication, table.first_id, {"intents": table.intents, "languages": table.languages,
                                                          "queues": table.queues}, table.paths, columns)


def test_the_whole_day_menu_redials_and_takes_callbacks():
    result = run_simulation(whole_day(), replications=2, seed=1, jobs=1)
    table = result.calls[0]
    assert result.params["hours"] == 24.0 and table.whole_day
    assert sum(np.sum(t.attempt > 1) for t in result.calls) > 0 and sum(np.sum(t.callback > 0) for t in result.calls) > 0
    with_share_0 = whole_day()
    with_share_0.traffic.redial = replace(with_share_0.traffic.redial, share=0.0)
    again = run_simulation(with_share_0, replications=2, seed=1, jobs=1).calls[0]
    assert np.all(again.attempt == 1)
