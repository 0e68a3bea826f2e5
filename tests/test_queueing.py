"""Erlang B, C and A against the published values in
docs/sources.md#validation-targets, and staffing."""

from __future__ import annotations

import heapq
import math
import random

import numpy as np
import pytest

from ivrlint.analysis.queueing import (
    MAX_STATES,
    _answered_within,
    erlang_a_chain,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
)
from ivrlint.errors import UsageError
from ivrlint.whatif.staffing import Target, fewest_agents, parse_target

# The examples of docs/sources.md#validation-targets: 100 calls per 30
# minutes, 3 minutes of talk.
RATE, HANDLE, PATIENCE = 100 / 1800, 180.0, 300.0


def four_digits(value):
    return pytest.approx(value, rel=5e-5)


# -- Erlang B and C -------------------------------------------------------

def test_erlang_b_matches_the_table_value_and_survives_large_pools():
    assert erlang_b(10, 10.0) == pytest.approx(0.2145823, rel=1e-6)
    assert erlang_b(0, 3.0) == 1.0
    big = erlang_b(5000, 4900.0)  # a^n / n! would overflow a double
    assert 0 < big < 0.02


def test_erlang_c_reproduces_research_at_14_and_11_agents():
    assert erlang_c(14, 10.0) == four_digits(0.1741319)
    assert erlang_c(11, 10.0) == four_digits(0.6821182)
    m14 = erlang_c_metrics(RATE, HANDLE, 14)
    assert m14["p_wait"] == four_digits(0.1741319)
    assert m14["service_level"] == four_digits(0.88835)
    assert m14["mean_wait"] == four_digits(7.836)
    assert m14["occupancy"] == four_digits(10 / 14)
    assert m14["offered_load"] == pytest.approx(10.0)
    assert m14["p_abandon"] == 0.0 and m14["stable"] is True
    m11 = erlang_c_metrics(RATE, HANDLE, 11)
    assert m11["p_wait"] == four_digits(0.6821182)
    assert m11["service_level"] == four_digits(0.3896138)


def test_erlang_c_pool_that_cannot_keep_up_is_flagged_unstable():
    for agents in (0, 9, 10):
        m = erlang_c_metrics(RATE, HANDLE, agents)
        assert m["stable"] is False
        assert m["p_wait"] == 1.0 and m["service_level"] == 0.0 and math.isinf(m["mean_wait"])
    assert erlang_c(10, 10.0) == 1.0


def test_no_calls_means_no_waiting():
    for metrics in (erlang_c_metrics(0.0, HANDLE, 3), erlang_a_metrics(0.0, HANDLE, PATIENCE, 3)):
        assert metrics["p_wait"] == 0.0 and metrics["service_level"] == 1.0 and metrics["mean_wait"] == 0.0


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        erlang_b(-1, 2.0)
    with pytest.raises(ValueError):
        erlang_c(2.5, 1.0)
    with pytest.raises(ValueError):
        erlang_c_metrics(RATE, 0.0, 3)
    with pytest.raises(ValueError):
        erlang_a_metrics(RATE, HANDLE, 0.0, 3)
    with pytest.raises(ValueError):
        erlang_a_metrics(RATE, HANDLE, PATIENCE, 3, threshold=-1)


# -- Erlang A ---------------------------------------------------------------

@pytest.mark.parametrize(
    "agents, p_wait, p_abandon, wait_minutes",
    [(12, 0.3318, 0.0427, 0.2136), (13, 0.2258, 0.0250, 0.1248), (14, 0.1453, 0.0140, 0.0699)],
)
def test_erlang_a_reproduces_research(agents, p_wait, p_abandon, wait_minutes):
    m = erlang_a_metrics(RATE, HANDLE, PATIENCE, agents)
    assert m["p_wait"] == pytest.approx(p_wait, abs=5e-5)
    assert m["p_abandon"] == pytest.approx(p_abandon, abs=5e-5)
    assert m["mean_wait"] / 60 == pytest.approx(wait_minutes, abs=5e-5)
    assert m["stable"] is True


def test_erlang_a_occupancy_is_the_answered_load_per_agent():
    m = erlang_a_metrics(RATE, HANDLE, PATIENCE, 13)
    assert m["occupancy"] == pytest.approx(0.750, abs=5e-4)
    assert m["occupancy"] == pytest.approx(10.0 * (1 - m["p_abandon"]) / 13, rel=1e-10)


def closed_form(rate, handle, patience, agents):
    """The Erlang A formulas of docs/sources.md#erlang-a, with
    A(x, y) = x e^y / y^x * lowergamma(x, y).

    The lower incomplete gamma's series gives A(x, y) = sum over k of
    y^k / ((x + 1)(x + 2)...(x + k)), which needs neither scipy nor huge powers.
    """
    mu, theta = 1 / handle, 1 / patience
    x, y = agents * mu / theta, rate / theta
    a_xy, term, k = 1.0, 1.0, 0
    while term > 1e-17 * a_xy or k < y:
        k += 1
        term *= y / (x + k)
        a_xy += term
    e = erlang_b(agents, rate * handle)
    rho = rate / (agents * mu)
    p_wait = a_xy * e / (1 + (a_xy - 1) * e)
    p_abandon = (1 / (rho * a_xy) + 1 - 1 / rho) * p_wait
    return p_wait, p_abandon, p_abandon / theta


@pytest.mark.parametrize(
    "rate, handle, patience, agents",
    [(RATE, HANDLE, PATIENCE, 13), (RATE, HANDLE, PATIENCE, 8), (RATE, HANDLE, 15.0, 9),
     (2.0, 240.0, 120.0, 500), (2.0, 240.0, 600.0, 400), (0.5, 60.0, 3600.0, 31)],
)
def test_erlang_a_chain_agrees_with_the_closed_form(rate, handle, patience, agents):
    p_wait, p_abandon, mean_wait = closed_form(rate, handle, patience, agents)
    m = erlang_a_metrics(rate, handle, patience, agents)
    assert m["p_wait"] == pytest.approx(p_wait, rel=1e-9)
    assert m["p_abandon"] == pytest.approx(p_abandon, rel=1e-9)
    assert m["mean_wait"] == pytest.approx(mean_wait, rel=1e-9)


def hypoexponential_cdf(rates, t):
    """P(sum of independent exponentials with distinct rates <= t), by partial fractions."""
    total = 0.0
    for i, ri in enumerate(rates):
        weight = math.prod(rj / (rj - ri) for j, rj in enumerate(rates) if j != i)
        total += weight * math.exp(-ri * t)
    return 1 - total


@pytest.mark.parametrize("patience, threshold", [(300.0, 20.0), (15.0, 20.0), (2.0, 60.0), (120.0, 30.0)])
def test_wait_of_a_caller_behind_others_is_a_sum_of_exponentials(patience, threshold):
    c, theta = 9 / 180, 1 / patience
    phases = np.arange(1, 8)
    expected = [hypoexponential_cdf([c + i * theta for i in range(1, m + 1)], threshold) for m in phases]
    assert _answered_within(phases, c, theta, threshold) == pytest.approx(expected, abs=1e-9)


def test_wait_behind_others_with_endless_patience_is_an_erlang_distribution():
    c, t = 9 / 180, 30.0
    phases = np.arange(1, 8)
    poisson = [math.exp(-c * t) * (c * t) ** j / math.factorial(j) for j in range(8)]
    expected = [1 - sum(poisson[:m]) for m in phases]  # P(Erlang(m, c) <= t) = P(Poisson(ct) >= m)
    assert _answered_within(phases, c, 1e-12, t) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("agents", [11, 14])
def test_erlang_a_service_level_tends_to_erlang_c_as_patience_grows(agents):
    patient = erlang_a_metrics(RATE, HANDLE, 1e9, agents)
    exact = erlang_c_metrics(RATE, HANDLE, agents)
    for key in ("p_wait", "service_level", "mean_wait"):
        assert patient[key] == pytest.approx(exact[key], rel=1e-5)
    assert erlang_a_metrics(RATE, HANDLE, math.inf, agents) == exact


def test_erlang_a_service_level_spans_no_wait_to_everyone_answered():
    m = erlang_a_metrics(RATE, HANDLE, 15.0, 9)
    at_once = erlang_a_metrics(RATE, HANDLE, 15.0, 9, threshold=0.0)["service_level"]
    ever = erlang_a_metrics(RATE, HANDLE, 15.0, 9, threshold=1e6)["service_level"]
    assert at_once == pytest.approx(1 - m["p_wait"], abs=1e-12)
    assert ever == pytest.approx(1 - m["p_abandon"], abs=1e-12)
    assert at_once < m["service_level"] < ever


def test_pool_without_agents_loses_every_caller_after_their_patience():
    m = erlang_a_metrics(RATE, HANDLE, PATIENCE, 0)
    assert m["p_abandon"] == pytest.approx(1.0) and m["mean_wait"] == pytest.approx(PATIENCE)
    assert m["service_level"] == 0.0 and m["occupancy"] == 0.0


def test_absurdly_patient_overloaded_pool_stays_bounded():
    lo, probs = erlang_a_chain(1.0, 1 / 180, 1e-9, 170)  # patience of 31 years
    assert len(probs) <= MAX_STATES and lo > 50_000_000
    m = erlang_a_metrics(1.0, 180.0, 1e9, 170)
    assert m["p_abandon"] == pytest.approx(1 - 170 / 180, rel=1e-6)
    assert m["p_wait"] == pytest.approx(1.0) and m["service_level"] == pytest.approx(0.0)


def test_research_examples_need_about_fifty_chain_states():
    for agents in (12, 13, 14):
        lo, probs = erlang_a_chain(RATE, 1 / HANDLE, 1 / PATIENCE, agents)
        assert lo == 0 and 40 <= len(probs) <= 60
        assert probs.sum() == pytest.approx(1.0)


def simulated_service_level(rate, handle, patience, agents, threshold, calls, seed):
    """A minimal event-driven M/M/n+M queue: share of callers answered within threshold."""
    rng = random.Random(seed)
    events, queue, free, answered, now = [(rng.expovariate(rate), 0)], [], agents, 0, 0.0
    arrivals = 0
    while events:
        now, kind = heapq.heappop(events)
        if kind == 0:  # an arrival
            arrivals += 1
            if arrivals < calls:
                heapq.heappush(events, (now + rng.expovariate(rate), 0))
            if free:
                free, answered = free - 1, answered + 1
                heapq.heappush(events, (now + rng.expovariate(1 / handle), 1))
            else:
                queue.append((now, now + rng.expovariate(1 / patience)))
        else:  # an agent is free: answer the first caller still waiting
            queue = [q for q in queue if q[1] >= now]
            if queue:
                came, _ = queue.pop(0)
                answered += now - came <= threshold
                heapq.heappush(events, (now + rng.expovariate(1 / handle), 1))
            else:
                free += 1
    return answered / calls


@pytest.mark.slow
def test_erlang_a_service_level_matches_a_simulated_queue():
    exact = erlang_a_metrics(RATE, HANDLE, 15.0, 9)["service_level"]
    runs = [simulated_service_level(RATE, HANDLE, 15.0, 9, 20.0, 200_000, seed) for seed in range(5)]
    assert np.mean(runs) == pytest.approx(exact, abs=4 * np.std(runs) / math.sqrt(5) + 1e-3)


# -- staffing ----------------------------------------------------------------

def test_fewest_agents_for_80_percent_in_20_seconds_is_14():
    evaluate = lambda n: erlang_c_metrics(RATE, HANDLE, n)  # noqa: E731
    assert fewest_agents(evaluate, ["service_level>=0.8"]) == 14
    assert not parse_target("service_level>=0.8").met(evaluate(13))


def test_fewest_agents_meets_every_target_at_once():
    evaluate = lambda n: erlang_a_metrics(RATE, HANDLE, PATIENCE, n)  # noqa: E731
    assert fewest_agents(evaluate, ["p_abandon<=0.03"]) == 13
    assert fewest_agents(evaluate, ["p_abandon<=0.03", "mean_wait<=5s"]) == 14
    assert fewest_agents(evaluate, [Target("p_wait", "<=", 0.5)], start=20) == 20


def test_fewest_agents_gives_none_when_the_limit_is_too_low():
    evaluate = lambda n: erlang_c_metrics(RATE, HANDLE, n)  # noqa: E731
    assert fewest_agents(evaluate, ["service_level>=0.8"], limit=13) is None
    assert fewest_agents(evaluate, ["service_level>=0.8"], limit=14) == 14


def test_fewest_agents_needs_few_evaluations_for_a_large_pool():
    seen = []

    def evaluate(n):
        seen.append(n)
        return erlang_a_metrics(2.0, 240.0, 120.0, n)

    best = fewest_agents(evaluate, ["service_level>=0.9"])
    assert best is not None and len(seen) < 30
    assert not parse_target("service_level>=0.9").met(erlang_a_metrics(2.0, 240.0, 120.0, best - 1))


def test_targets_accept_percentages_and_durations():
    assert parse_target("service_level >= 80%") == Target("service_level", ">=", 0.8)
    assert parse_target("mean_wait<=2m") == Target("mean_wait", "<=", 120.0)
    assert parse_target("p_abandon<=0.05").met({"p_abandon": 0.05})
    assert str(parse_target("occupancy<=0.85")) == "occupancy<=0.85"


@pytest.mark.parametrize(
    "text, message",
    [("service_level=0.8", "expected METRIC>=VALUE or METRIC<=VALUE, metric one of service_level, p_wait"),
     ("speed>=3", "metric one of"),
     ("p_abandon<=five", "takes a share"),
     ("p_abandon<=1.5", "between 0 and 1"),
     ("mean_wait<=10%", "takes seconds"),
     ("service_level<=0.5", "cannot be met by adding agents")],
)
def test_bad_targets_say_what_to_write(text, message):
    with pytest.raises(UsageError, match=message):
        parse_target(text)
