"""The simulation's records: one per call, complete, and telling the story of the call."""

from __future__ import annotations

from itertools import pairwise

import pytest
from conftest import menu

from ivrlint.errors import InputError, UsageError
from ivrlint.sim import records as R
from ivrlint.sim import run_simulation
from ivrlint.sim.engine import arrival_times
from ivrlint.sim.parameters import behaviour_of

BANK = """
ivr: bank
start: main
defaults: {timeout: 5, retries: 2}
nodes:
  main:
    type: menu
    prompt: For your balance, press 1. For cards, press 2. To speak with someone, press 0.
    options: {1: balance, 2: cards, 0: agent}
    on_failure: agent
  balance: {type: self_service, duration: 30, success: 0.8, next: bye, on_failure: agent}
  cards:
    type: menu
    prompt: To block a card, press 1. To go back, press star.
    options: {1: block, "*": {action: back}}
    on_failure: agent
  block: {type: self_service, duration: {mean: 40, distribution: fixed}, next: bye}
  agent: {type: queue, queue: general}
  bye: {type: hangup, prompt: Goodbye.}
queues:
  general: {agents: 3, handle_time: 180}
traffic:
  calls_per_hour: 60
  patience: 2m
  intents:
    balance: {share: 0.5, goal: balance}
    block: {share: 0.3, goal: block}
    other: {share: 0.2, goal: agent}
"""


@pytest.fixture(scope="module")
def bank_run():
    return run_simulation(menu(BANK), hours=4, replications=2, seed=3, jobs=1)


def test_every_call_is_followed_to_its_end(bank_run):
    assert bank_run.records
    for record in bank_run.records:
        assert record.outcome in R.OUTCOMES
        assert record.end >= record.arrival
        assert record.steps[0].node == "main" and record.steps[0].enter == record.arrival
        assert all(a.leave <= b.enter + 1e-9 for a, b in pairwise(record.steps))
        if record.outcome in (R.SERVED, R.MISROUTED):
            assert record.reached_person and record.talk_time > 0 and record.queue == "general"
        if record.outcome == R.ABANDONED:
            assert record.queue_wait > 0 and record.talk_time is None


def test_calls_arriving_just_before_the_horizon_are_still_completed():
    text = """
    ivr: t
    start: agent
    nodes:
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 30, handle_time: {mean: 10m, distribution: fixed}}
    traffic:
      calls_per_hour: 60
      patience: 1h
      intents: {any: {share: 1, goal: agent}}
    """
    result = run_simulation(menu(text), hours=1, replications=1, seed=2, jobs=1)
    late = [r for r in result.records if r.arrival > 50 * 60]
    assert late and all(r.outcome == R.SERVED and r.end == pytest.approx(r.arrival + 600) for r in late)
    assert result.metrics["queues"]["general"]["calls"]["mean"] == len(result.records)


def test_records_tell_the_path_keys_and_goal(bank_run):
    blocked = [r for r in bank_run.records if r.intent == "block" and r.outcome == R.CONTAINED]
    assert blocked
    typical = max(set(r.path for r in blocked), key=[r.path for r in blocked].count)
    assert typical == "main>2>cards>1>block>bye"
    record = next(r for r in blocked if r.path == typical)
    assert record.keypresses == 2 and record.reached_goal and record.menus_heard == 2
    block_step = record.steps[2]
    assert block_step.leave - block_step.enter == pytest.approx(40.0)  # a fixed duration, no prompt


def test_replications_are_numbered_and_each_has_its_own_calls(bank_run):
    assert {r.replication for r in bank_run.records} == {0, 1}
    assert bank_run.params == {"seed": 3, "hours": 4, "replications": 2, "warmup": 0.0, "jobs": 1, "start_hour": 0.0}


def test_queue_samples_follow_the_pool_in_the_first_replication(bank_run):
    samples = bank_run.samples["general"]
    assert samples and all(0 <= s.busy <= 3 and s.waiting >= 0 for s in samples)
    assert [s.time for s in samples] == sorted(s.time for s in samples)


def test_warm_up_calls_are_simulated_but_not_recorded():
    result = run_simulation(menu(BANK), hours=1, replications=1, seed=1, jobs=1, warmup=0.5)
    assert result.records and min(r.arrival for r in result.records) >= 1800
    assert max(r.arrival for r in result.records) < 1.5 * 3600


def test_hourly_rates_bring_no_calls_in_hours_without_traffic():
    rates = [0.0] * 6 + [120.0] * 2 + [0.0] * 16
    times = list(arrival_times(rates, 24 * 3600, __import__("random").Random(1)))
    assert times and all(6 * 3600 <= t < 8 * 3600 for t in times)
    assert 180 < len(times) < 300  # 240 expected


def test_a_closed_pool_disconnects_its_callers():
    text = BANK.replace("handle_time: 180}", 'handle_time: 180, hours: "09:00-17:00"}')
    text = text.replace("calls_per_hour: 60", "calls_per_hour: [" + ", ".join(["60"] * 24) + "]")
    result = run_simulation(menu(text), hours=4, replications=1, seed=1, jobs=1)  # midnight to 4 am
    queued = [r for r in result.records if r.queue == "general"]
    assert queued and all(r.outcome == R.DISCONNECTED and r.steps[-1].event == "closed" for r in queued)


def test_a_flat_rate_starts_the_run_when_the_pools_are_open():
    text = BANK.replace("handle_time: 180}", 'handle_time: 180, hours: "09:00-17:00"}')
    result = run_simulation(menu(text), hours=2, replications=1, seed=1, jobs=1)
    assert result.params["start_hour"] == 9.0
    assert not any(r.steps[-1].event == "closed" for r in result.records)


def test_nobody_answers_a_pool_without_agents():
    text = BANK.replace("agents: 3", "agents: 0")
    result = run_simulation(menu(text), hours=2, replications=1, seed=1, jobs=1)
    queued = [r for r in result.records if r.queue == "general"]
    assert queued and all(r.outcome == R.ABANDONED for r in queued)


def test_progress_is_reported_as_replications_finish():
    seen = []
    run_simulation(menu(BANK), hours=0.5, replications=3, seed=1, jobs=1, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_menu_without_traffic_says_what_to_add():
    with pytest.raises(InputError, match="add one with calls_per_hour, patience and intents"):
        run_simulation(menu("ivr: t\nstart: a\nnodes:\n  a: {type: hangup}\n"), hours=1, replications=1)


def test_an_unknown_behaviour_parameter_is_an_error_at_its_line():
    text = BANK.replace("  patience: 2m\n", "  patience: 2m\n  behaviour: {wrong_keys: 0.1}\n")
    with pytest.raises(InputError) as caught:
        behaviour_of(menu(text))
    line = text.splitlines().index("  behaviour: {wrong_keys: 0.1}") + 1
    message = str(caught.value)
    assert f"menu.yaml:{line}:15:" in message and "did you mean 'wrong_key'?" in message


def test_a_chance_above_one_is_an_error():
    text = BANK.replace("  patience: 2m\n", "  patience: 2m\n  behaviour: {silence: 1.5}\n")
    with pytest.raises(InputError, match="between 0 and 1"):
        run_simulation(menu(text), hours=1, replications=1)


@pytest.mark.parametrize("kwargs, message", [
    ({"hours": 0}, "--hours"), ({"replications": 0}, "--replications"), ({"warmup": -1}, "--warmup"),
    ({"jobs": 0}, "--jobs"), ({"hours": 1e7}, "fewer --hours"),
])
def test_impossible_run_settings_are_usage_errors(kwargs, message):
    with pytest.raises(UsageError, match=message):
        run_simulation(menu(BANK), **{"hours": 1, "replications": 1, **kwargs})


def test_a_caller_stuck_in_a_loop_is_ended_not_followed_forever():
    text = """
    ivr: t
    start: a
    nodes:
      a: {type: message, prompt: One., next: b}
      b: {type: message, prompt: Two., next: a}
    traffic:
      calls_per_hour: 2
      patience: 1m
      intents: {x: {share: 1, goal: a}}
    """
    result = run_simulation(menu(text), hours=1, replications=1, seed=1, jobs=1)
    assert result.records and all(r.outcome == R.HUNG_UP for r in result.records)
